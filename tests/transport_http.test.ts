// HTTP and HTTPS against the real ecFlow 5.17 server started with --http,
// compared with 5.17's own ecflow_client --http/--https. The server itself
// speaks only HTTP (its ServerMain starts an HTTP server and no HTTPS one), so
// HTTPS and a token-checking front end are an in-test reverse proxy in front of
// the real server, as ecFlow's documentation deploys it; the same proxy shows
// the requests as sent. A peer that never answers is an in-test listener.
import { assert, assertEquals, assertMatch, assertRejects, assertStringIncludes } from "./deps.ts";
import { ecflowClient, ecflowTs, type RunResult, startServer } from "./harness/server.ts";
import {
  commandSequence,
  makeCertificate,
  runSequence,
  SEQUENCE_DEFS,
  spawnServer,
  startForwarder,
  testClient,
} from "./transport_harness.ts";
import { ctsCommand, decodeReply, encodeRequest } from "../lib/wire/mod.ts";
import { envFrom, ProtocolError, TimeoutError, TlsSetupError } from "../mod.ts";
import { HttpTransport } from "../lib/transport/mod.ts";

const ENV_PERMS = "--allow-env=HOME,ECF_HOST,ECF_PORT,ECF_HOST_PROTOCOL,ECF_AUTHTOKENS,ECF_SSL," +
  "USER,LOGNAME,ECF_USER,ECF_PASSWD,ECF_CUSTOM_PASSWD,ECF_CONNECT_TIMEOUT";

/** A real ecflow_server 5.17 speaking HTTP on its port. */
function httpServer(
  o: { running?: boolean; files?: (port: number) => Record<string, string> } = {},
) {
  return spawnServer({
    generation: "5.17",
    args: ["--http"],
    files: o.files,
    running: o.running,
    client: (port) => testClient(port, { http: true }),
  });
}

/** A token file whose one token matches every http(s)://127.0.0.1 server. */
async function tokenFile(dir: string, type: "bearer" | "basic" = "basic"): Promise<string> {
  const path = `${dir}/tokens.json`;
  const token = type === "bearer"
    ? { type, server: "https?://127\\.0\\.0\\.1:\\d+", api: { url: "u", key: "K-123", email: "e" } }
    : { type, server: "https?://127\\.0\\.0\\.1:\\d+", api: { username: "ann", password: "pw" } };
  await Deno.writeTextFile(path, JSON.stringify({ version: 1, tokens: [token] }));
  return path;
}

const normPing = (s: string) => s.replace(/\d{2}:\d{2}:\d{2}\.\d{6} {2}~\d+/, "T");

Deno.test("HTTP 5.17: one POST /v1/ecflow per command, the TCP payload as the JSON body", async () => {
  await using server = await httpServer();
  await using proxy = startForwarder({ serverPort: server.port, upstream: "http" });
  const payload = encodeRequest(ctsCommand("ping"), {
    kind: "user",
    user: { user: "root", clientHost: "vm" },
  });
  const http = new HttpTransport("http", { connectTimeoutMs: 2000 }, { env: envFrom({}) });
  // Straight to the real server, then through the proxy that shows the request.
  for (const port of [server.port, proxy.port]) {
    const reply = await http.exchange({ host: "127.0.0.1", port }, payload);
    assertEquals(decodeReply(reply).kind, "stc");
  }
  http.close();
  assertEquals(proxy.seen.length, 1);
  const seen = proxy.seen[0];
  assertEquals([seen.method, seen.path], ["POST", "/v1/ecflow"]);
  assertEquals(seen.headers["content-type"], "application/json");
  assertEquals(seen.headers.authorization, undefined);
  assertEquals(seen.body, payload);
  // close() released the client; the transport makes a new one when used again.
  assertEquals(
    decodeReply(await http.exchange({ host: "127.0.0.1", port: server.port }, payload)).kind,
    "stc",
  );
  http.close();
  assert(await server.alive());
});

Deno.test("HTTP 5.17: user and child commands over --http give ecflow_client 5.17's results", async () => {
  // Twin servers: one for ecflow_client, one for ecflow-ts (a task path reused on
  // one server would look like a zombie).
  await using ref = await httpServer();
  await using twin = await httpServer();
  const dir = await Deno.makeTempDir({ prefix: "ecflow-ts-http." });
  try {
    const defs = `${dir}/s.def`;
    await Deno.writeTextFile(defs, SEQUENCE_DEFS);
    const steps = commandSequence(defs);
    // Both clients send the token (5.17's warns on stderr when it finds none).
    const tokens = await tokenFile(dir);
    const env = (port: number) => ({
      ECF_HOST: "127.0.0.1",
      ECF_PORT: String(port),
      ECF_AUTHTOKENS: tokens,
    });
    const refs = await runSequence(
      (args, e) => ecflowClient(args, e, "5.17"),
      steps,
      ["--http"],
      env(ref.port),
    );
    const ours = await runSequence(
      (args, e) =>
        ecflowTs(args, e, ["--allow-net=127.0.0.1", "--allow-env", `--allow-read=${dir}`]),
      steps,
      ["--http"],
      env(twin.port),
    );
    // ecflow-ts heads a printed definition with 5.9.2's version line, ecflow_client
    // 5.17 with its own: the one difference that is not the transport's.
    const version = (r: RunResult) => ({
      ...r,
      stdout: r.stdout.replace(/^#5\.\d+\.\d+\n/, "#V\n"),
    });
    steps.forEach((step, i) => {
      const label = step.args.join(" ");
      assertEquals(refs[i].code, 0, `ecflow_client ${label}: ${refs[i].stderr}`);
      assertEquals(version(ours[i]), version(refs[i]), label);
    });
    assertStringIncludes(refs[8].stdout, "hello world");
    // The servers' resulting state, printed by the same client, without what differs
    // between two servers (their ports, files and process ids).
    const state = await Promise.all([ref.port, twin.port].map(async (port) => {
      const r = await ecflowClient(["--get_state", "--http"], env(port), "5.17");
      return r.stdout.split("\n").filter((l) => !l.endsWith("# server")).join("\n");
    }));
    assertEquals(state[1], state[0]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  assert(await ref.alive());
  assert(await twin.alive());
});

Deno.test("HTTP 5.17: ECF_HOST_PROTOCOL=HTTP selects it; --ping as ecflow_client prints it", async () => {
  await using server = await httpServer();
  const perms = [`--allow-net=127.0.0.1:${server.port}`, ENV_PERMS];
  const base = ["--host=127.0.0.1", `--port=${server.port}`];
  const json = await ecflowTs([...base, "--ping", "--json"], { ECF_HOST_PROTOCOL: "HTTP" }, perms);
  assertEquals(json.code, 0, json.stderr);
  assertEquals(JSON.parse(json.stdout).transport, "http");
  for (const args of [[...base, "--http", "--ping"], [...base, "--server_version"]]) {
    const env = { ECF_HOST_PROTOCOL: "HTTP", HOME: "/nonexistent" };
    const ref = await ecflowClient(args, env, "5.17");
    const ours = await ecflowTs(args, env, perms);
    assertEquals([ours.code, ref.code], [0, 0], ours.stderr);
    const want = args.includes("--ping") ? ref.stdout.replace(/\n$/, " (http)\n") : ref.stdout;
    assertEquals(normPing(ours.stdout), normPing(want));
    assertEquals(ours.stderr, "");
  }
});

Deno.test("HTTPS 5.17: through an HTTPS proxy, verified against its certificate; refused when not trusted", async () => {
  await using server = await httpServer();
  const dir = await Deno.makeTempDir({ prefix: "ecflow-ts-https." });
  try {
    await makeCertificate(dir, "proxy", "san");
    const cert = await Deno.readTextFile(`${dir}/proxy.crt`);
    const key = await Deno.readTextFile(`${dir}/proxy.key`);
    await using proxy = startForwarder({
      serverPort: server.port,
      upstream: "http",
      tls: { cert, key },
    });
    const tokens = await tokenFile(dir);

    // CLI: Deno's own DENO_CERT adds the certificate to the trusted roots.
    const args = ["--host=127.0.0.1", `--port=${proxy.port}`, "--https", "--server_version"];
    const perms = [`--allow-net=127.0.0.1:${proxy.port}`, ENV_PERMS, `--allow-read=${dir}`];
    const env = { ECF_AUTHTOKENS: tokens };
    const ref = await ecflowClient(args, env, "5.17");
    const ok = await ecflowTs(args, { ...env, DENO_CERT: `${dir}/proxy.crt` }, perms);
    assertEquals(ref, { code: 0, stdout: "5.17.0\n", stderr: "" });
    assertEquals(ok, ref);
    // ecflow_client 5.17 does not check the proxy's certificate at all; ecflow-ts refuses
    // one it cannot verify.
    const refused = await ecflowTs(args, env, perms);
    assertEquals(refused.code, 1);
    assertMatch(
      refused.stderr,
      /HTTPS to https:\/\/127\.0\.0\.1:\d+\/v1\/ecflow failed: .*DENO_CERT/,
    );

    // Library: the caCerts option.
    const client = testClient(proxy.port, { https: true, caCerts: [cert] });
    assertEquals(client.transportKind, "https");
    assertEquals(await client.serverVersion(), "5.17.0");
    const untrusted = testClient(proxy.port, { https: true });
    const e = await assertRejects(() => untrusted.ping(), TlsSetupError);
    assertEquals(e.reason, "tls");
    // Plain HTTP to the HTTPS proxy is refused too, in one line.
    const plain = await ecflowTs(
      ["--host=127.0.0.1", `--port=${proxy.port}`, "--http", "--ping"],
      env,
      perms,
    );
    assertEquals(plain.code, 1);
    assertEquals(plain.stderr.split("\n").length, 2);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  assert(await server.alive());
});

Deno.test("HTTP 5.17: the token goes as Authorization, as ecflow_client 5.17 sends it; a proxy's 401 says what to check", async () => {
  await using server = await httpServer();
  await using proxy = startForwarder({
    serverPort: server.port,
    upstream: "http",
    requireAuthorization: "Bearer K-123",
  });
  const dir = await Deno.makeTempDir({ prefix: "ecflow-ts-tokens." });
  try {
    const bearer = await tokenFile(dir, "bearer");
    const args = ["--host=127.0.0.1", `--port=${proxy.port}`, "--http", "--server_version"];
    const perms = [`--allow-net=127.0.0.1:${proxy.port}`, ENV_PERMS, `--allow-read=${dir}`];
    const ref = await ecflowClient(args, { ECF_AUTHTOKENS: bearer }, "5.17");
    const ours = await ecflowTs(args, { ECF_AUTHTOKENS: bearer }, perms);
    assertEquals(ref, { code: 0, stdout: "5.17.0\n", stderr: "" });
    assertEquals(ours, ref);
    const [theirs, mine] = proxy.seen.slice(-2).map((r) => r.headers.authorization);
    assertEquals([theirs, mine], ["Bearer K-123", "Bearer K-123"]);

    // Without a matching token both are refused by the proxy.
    const none = { ECF_AUTHTOKENS: `${dir}/none.json` };
    const refDenied = await ecflowClient(args, none, "5.17");
    const denied = await ecflowTs(args, none, perms);
    assertEquals([refDenied.code, denied.code], [1, 1]);
    assertMatch(denied.stderr, /answered HTTP 401 Unauthorized: Unauthorized; check the token/);
    for (const r of [ours, denied]) assert(!(r.stdout + r.stderr).includes("K-123"));

    // The library: a basic token from $HOME/.ecflowapirc.
    await Deno.writeTextFile(
      `${dir}/.ecflowapirc`,
      JSON.stringify({
        version: 1,
        tokens: [{ type: "basic", server: ".*", api: { username: "ann", password: "pw" } }],
      }),
    );
    const lib = testClient(proxy.port, { http: true, env: envFrom({ HOME: dir }) });
    const e = await assertRejects(() => lib.ping(), ProtocolError);
    assertStringIncludes(e.message, "HTTP 401");
    assertEquals(proxy.seen.at(-1)?.headers.authorization, `Basic ${btoa("ann:pw")}`);
    // Straight to the server, a token changes nothing: it authenticates users by the
    // identity inside the body (it trusts a proxy's X-Auth-Username, never sent here).
    const direct = testClient(server.port, { http: true, env: envFrom({ HOME: dir }) });
    assertEquals(await direct.serverVersion(), "5.17.0");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  assert(await server.alive());
});

Deno.test("HTTP 5.17: password files authenticate over HTTP as over TCP, as with ecflow_client 5.17", async () => {
  const login = new TextDecoder().decode(
    new Deno.Command("id", { args: ["-un"] }).outputSync().stdout,
  ).trim();
  const host = Deno.hostname();
  await using server = await spawnServer({
    generation: "5.17",
    args: ["--http"],
    files: (port) => ({
      "server.passwd": `4.5.0\n${login} ${host} ${port} s3cretRoot\n`,
      "server.custom_passwd": `4.5.0\nbob ${host} ${port} b0bSecret\n`,
    }),
    env: () => ({ ECF_PASSWD: "server.passwd", ECF_CUSTOM_PASSWD: "server.custom_passwd" }),
    client: (port) => testClient(port, { http: true, password: "s3cretRoot" }),
  });
  const dir = await Deno.makeTempDir({ prefix: "ecflow-ts-http-auth." });
  try {
    const tokens = await tokenFile(dir);
    const perms = [`--allow-net=127.0.0.1:${server.port}`, ENV_PERMS, `--allow-read=${dir}`];
    const base = ["--host=127.0.0.1", `--port=${server.port}`, "--http"];
    const cases: [string, string[], Record<string, string>][] = [
      ["custom user, right password", ["--user=bob", "--password=b0bSecret", "--suites"], {}],
      ["custom user, wrong password", ["--user=bob", "--password=wrongOne", "--suites"], {}],
      ["login user, no password", ["--suites"], {}],
    ];
    for (const [label, args, extra] of cases) {
      const env = { ECF_AUTHTOKENS: tokens, USER: login, ...extra };
      const ref = await ecflowClient([...base, ...args], env, "5.17");
      const ours = await ecflowTs([...base, ...args], env, perms);
      assertEquals([ours.code, ours.stdout], [ref.code, ref.stdout], label);
      // A refusal: the server's own words, in both.
      const reply = (r: RunResult) => /Server reply: (.*)/.exec(r.stderr)?.[1];
      assertEquals(reply(ours), reply(ref), label);
      if (ref.code !== 0) assertStringIncludes(reply(ref) ?? "", "Authentication");
      for (const r of [ours]) assert(!(r.stdout + r.stderr).includes("b0bSecret"));
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  assert(await server.alive());
});

Deno.test("HTTP: --http to a plain ecFlow TCP port fails in one line", async () => {
  await using server = await startServer({ halted: true });
  const r = await ecflowTs(
    ["--host=127.0.0.1", `--port=${server.port}`, "--http", "--ping"],
    {},
    [`--allow-net=127.0.0.1:${server.port}`, ENV_PERMS],
  );
  assertEquals(r.code, 1);
  assertMatch(
    r.stderr,
    /^Error: request\( --ping \) failed: .*not an HTTP reply .*--http[^\n]*\n$/,
  );
  assert(await server.alive());
});

Deno.test("HTTP: a peer that never answers hits the deadline", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const held: Deno.Conn[] = [];
  const accepting = (async () => {
    for await (const c of listener) held.push(c);
  })();
  try {
    const http = new HttpTransport("http", { connectTimeoutMs: 200, replyTimeoutMs: 200 }, {
      env: envFrom({}),
    });
    const e = await assertRejects(
      () => http.exchange({ host: "127.0.0.1", port: listener.addr.port }, new Uint8Array(2)),
      TimeoutError,
    );
    assertEquals(e.phase, "reply");
    assertStringIncludes(e.message, "within 0.4 s");
    http.close();
  } finally {
    listener.close();
    await accepting.catch(() => {});
    for (const c of held) c.close();
  }
});

Deno.test("HTTP 5.17: the library's enableHttp/enableHttps, and the reply size limit", async () => {
  await using server = await httpServer();
  const client = testClient(server.port);
  assertEquals(client.transportKind, "tcp");
  client.enableHttp();
  assertEquals(client.transportKind, "http");
  assertEquals(await client.serverVersion(), "5.17.0");
  client.enableHttps();
  assertEquals(client.transportKind, "https");
  client.enableSsl();
  assertEquals(client.transportKind, "tls", "TLS wins over HTTP, as in ecflow_client");

  const tiny = new HttpTransport("http", { maxReplyBytes: 10 }, { env: envFrom({}) });
  const payload = encodeRequest(ctsCommand("ping"), {
    kind: "user",
    user: { user: "u", clientHost: "h" },
  });
  const e = await assertRejects(
    () => tiny.exchange({ host: "127.0.0.1", port: server.port }, payload),
    ProtocolError,
  );
  assertMatch(e.message, /reply of \d+ bytes exceeds the 10-byte limit/);
  tiny.close();
  assert(await server.alive());
});
