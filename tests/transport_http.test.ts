// HTTP and HTTPS. Debian has no ecFlow 5.14+ server, so an in-test
// endpoint stands in for `ecflow_server --http` (or an HTTPS proxy in front of
// it): it forwards each POST body byte-for-byte to a real 5.9.2 TCP server and
// returns its reply as 5.17 does (200, application/json, the reply JSON).
import { assert, assertEquals, assertMatch, assertRejects, assertStringIncludes } from "./deps.ts";
import { ecflowClient, ecflowTs, startServer } from "./harness/server.ts";
import {
  commandSequence,
  makeCertificate,
  runSequence,
  SEQUENCE_DEFS,
  startForwarder,
  testClient,
} from "./transport_harness.ts";
import { asksServerVersion } from "./user_twin.ts";
import { ctsCommand, decodeReply, encodeRequest } from "../lib/wire/mod.ts";
import { envFrom, ProtocolError, TimeoutError, TlsSetupError } from "../mod.ts";
import { HttpTransport } from "../lib/transport/mod.ts";

const ENV_PERMS = "--allow-env=HOME,ECF_HOST,ECF_PORT,ECF_HOST_PROTOCOL,ECF_AUTHTOKENS,ECF_SSL," +
  "USER,LOGNAME,ECF_USER,ECF_PASSWD,ECF_CUSTOM_PASSWD,ECF_CONNECT_TIMEOUT";

Deno.test("HTTP: one POST /v1/ecflow per command, the TCP payload as the JSON body", async () => {
  await using server = await startServer({ halted: true });
  await using fwd = startForwarder({ serverPort: server.port });
  const payload = encodeRequest(ctsCommand("ping"), {
    kind: "user",
    user: { user: "root", clientHost: "vm" },
  });
  const http = new HttpTransport("http", { connectTimeoutMs: 2000 }, { env: envFrom({}) });
  const reply = await http.exchange({ host: "127.0.0.1", port: fwd.port }, payload);
  assertEquals(decodeReply(reply).kind, "stc");
  assertEquals(fwd.seen.length, 1);
  const seen = fwd.seen[0];
  assertEquals([seen.method, seen.path], ["POST", "/v1/ecflow"]);
  assertEquals(seen.headers["content-type"], "application/json");
  assertEquals(seen.headers.authorization, undefined);
  assertEquals(seen.body, payload);
  assert(await server.alive());
});

Deno.test("HTTP: user and child commands over --http give ecflow_client's results over TCP", async () => {
  await using ref = await startServer({ halted: true });
  await using twin = await startServer({ halted: true });
  await using fwd = startForwarder({ serverPort: twin.port });
  const dir = await Deno.makeTempDir({ prefix: "ecflow-ts-http." });
  try {
    const defs = `${dir}/s.def`;
    await Deno.writeTextFile(defs, SEQUENCE_DEFS);
    const steps = commandSequence(defs);
    const env = (port: number) => ({ ECF_HOST: "127.0.0.1", ECF_PORT: String(port) });
    const refs = await runSequence(ecflowClient, steps, [], env(ref.port));
    const ours = await runSequence(
      (args, e) =>
        ecflowTs(args, e, ["--allow-net=127.0.0.1", "--allow-env", `--allow-read=${dir}`]),
      steps,
      ["--http"],
      env(fwd.port),
    );
    steps.forEach((step, i) => {
      const label = step.args.join(" ");
      assertEquals(refs[i].code, 0, `ecflow_client ${label}: ${refs[i].stderr}`);
      assertEquals(ours[i], refs[i], label);
    });
    // one POST per command, and one --server_version for a node printed (its text names none)
    const versions = steps.filter((s) => asksServerVersion(s.args)).length;
    assert(versions > 0);
    assertEquals(fwd.seen.length, steps.length + versions, "one POST per command");
    assert(fwd.seen.every((r) => r.method === "POST" && r.path === "/v1/ecflow"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  assert(await ref.alive());
  assert(await twin.alive());
});

Deno.test("HTTP: ECF_HOST_PROTOCOL=HTTP selects it; --ping --json reports the transport", async () => {
  await using server = await startServer({ halted: true });
  await using fwd = startForwarder({ serverPort: server.port });
  const perms = [`--allow-net=127.0.0.1:${fwd.port}`, ENV_PERMS];
  const args = ["--host=127.0.0.1", `--port=${fwd.port}`, "--ping", "--json"];
  const viaEnv = await ecflowTs(args, { ECF_HOST_PROTOCOL: "HTTP" }, perms);
  assertEquals(viaEnv.code, 0, viaEnv.stderr);
  assertEquals(JSON.parse(viaEnv.stdout).transport, "http");
  const viaOption = await ecflowTs([...args, "--http"], {}, perms);
  assertEquals(JSON.parse(viaOption.stdout).transport, "http");
  const version = await ecflowTs(["--host=127.0.0.1", `--port=${fwd.port}`, "--server_version"], {
    ECF_HOST_PROTOCOL: "HTTP",
  }, perms);
  assertEquals(version, { code: 0, stdout: "5.9.2\n", stderr: "" });
  assertEquals(fwd.seen.length, 3);
});

Deno.test("HTTPS: verified against a generated certificate; refused when not trusted", async () => {
  await using server = await startServer({ halted: true });
  const dir = await Deno.makeTempDir({ prefix: "ecflow-ts-https." });
  try {
    await makeCertificate(dir, "proxy", "san");
    const cert = await Deno.readTextFile(`${dir}/proxy.crt`);
    const key = await Deno.readTextFile(`${dir}/proxy.key`);
    await using fwd = startForwarder({ serverPort: server.port, tls: { cert, key } });

    // Library: the caCerts option.
    const client = testClient(fwd.port, { https: true, caCerts: [cert] });
    assertEquals(client.transportKind, "https");
    assertEquals(await client.serverVersion(), "5.9.2");
    const untrusted = testClient(fwd.port, { https: true });
    const e = await assertRejects(() => untrusted.ping(), TlsSetupError);
    assertEquals(e.reason, "tls");

    // CLI: Deno's own DENO_CERT adds the certificate to the trusted roots.
    const args = ["--host=127.0.0.1", `--port=${fwd.port}`, "--https", "--server_version"];
    const perms = [`--allow-net=127.0.0.1:${fwd.port}`, ENV_PERMS];
    const ok = await ecflowTs(args, { DENO_CERT: `${dir}/proxy.crt` }, [
      ...perms,
      `--allow-read=${dir}`,
    ]);
    assertEquals(ok, { code: 0, stdout: "5.9.2\n", stderr: "" });
    const refused = await ecflowTs(args, {}, perms);
    assertEquals(refused.code, 1);
    assertMatch(
      refused.stderr,
      /HTTPS to https:\/\/127\.0\.0\.1:\d+\/v1\/ecflow failed: .*DENO_CERT/,
    );
    // Plain HTTP to the HTTPS endpoint is refused too, in one line.
    const plain = await ecflowTs(
      ["--host=127.0.0.1", `--port=${fwd.port}`, "--http", "--ping"],
      {},
      perms,
    );
    assertEquals(plain.code, 1);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  assert(await server.alive());
});

Deno.test("HTTP: tokens from ECF_AUTHTOKENS give Authorization; a 401 says what to check", async () => {
  await using server = await startServer({ halted: true });
  await using fwd = startForwarder({
    serverPort: server.port,
    requireAuthorization: "Bearer K-123",
  });
  const dir = await Deno.makeTempDir({ prefix: "ecflow-ts-tokens." });
  try {
    const tokens = `${dir}/tokens.json`;
    await Deno.writeTextFile(
      tokens,
      JSON.stringify({
        version: 1,
        tokens: [
          { type: "basic", server: "http://other:1", api: { username: "u", password: "p" } },
          {
            type: "bearer",
            server: "http://127\\.0\\.0\\.1:\\d+",
            api: { url: "x", key: "K-123", email: "e" },
          },
        ],
      }),
    );
    const args = ["--host=127.0.0.1", `--port=${fwd.port}`, "--http", "--ping"];
    const perms = [`--allow-net=127.0.0.1:${fwd.port}`, ENV_PERMS, `--allow-read=${dir}`];
    const ok = await ecflowTs(args, { ECF_AUTHTOKENS: tokens }, perms);
    assertEquals(ok.code, 0, ok.stderr);
    assertEquals(fwd.seen.at(-1)?.headers.authorization, "Bearer K-123");
    const denied = await ecflowTs(args, { ECF_AUTHTOKENS: `${dir}/none.json` }, perms);
    assertEquals(denied.code, 1);
    assertMatch(denied.stderr, /answered HTTP 401 Unauthorized: Unauthorized; check the token/);
    for (const r of [ok, denied]) assert(!(r.stdout + r.stderr).includes("K-123"));

    // The library: a basic token from $HOME/.ecflowapirc.
    await Deno.writeTextFile(
      `${dir}/.ecflowapirc`,
      JSON.stringify({
        version: 1,
        tokens: [{ type: "basic", server: ".*", api: { username: "ann", password: "pw" } }],
      }),
    );
    const lib = testClient(fwd.port, { http: true, env: envFrom({ HOME: dir }) });
    const e = await assertRejects(() => lib.ping(), ProtocolError);
    assertStringIncludes(e.message, "HTTP 401");
    assertEquals(fwd.seen.at(-1)?.headers.authorization, `Basic ${btoa("ann:pw")}`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  assert(await server.alive());
});

Deno.test("HTTP: --http to a plain ecFlow TCP port fails in one line, without hanging", async () => {
  await using server = await startServer({ halted: true });
  const t0 = performance.now();
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
  assert(performance.now() - t0 < 15_000);
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
    const t0 = performance.now();
    const e = await assertRejects(
      () => http.exchange({ host: "127.0.0.1", port: listener.addr.port }, new Uint8Array(2)),
      TimeoutError,
    );
    const ms = performance.now() - t0;
    assertEquals(e.phase, "reply");
    assert(ms >= 390 && ms < 3000, `gave up after ${ms} ms`);
  } finally {
    listener.close();
    await accepting.catch(() => {});
    for (const c of held) c.close();
  }
});

Deno.test("HTTP: the library's enableHttp/enableHttps, and the reply size limit", async () => {
  await using server = await startServer({ halted: true });
  await using fwd = startForwarder({ serverPort: server.port });
  const client = testClient(fwd.port);
  assertEquals(client.transportKind, "tcp");
  client.enableHttp();
  assertEquals(client.transportKind, "http");
  assertEquals(await client.serverVersion(), "5.9.2");
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
    () => tiny.exchange({ host: "127.0.0.1", port: fwd.port }, payload),
    ProtocolError,
  );
  assertMatch(e.message, /reply of \d+ bytes exceeds the 10-byte limit/);
  assert(await server.alive());
});
