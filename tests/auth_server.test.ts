// Authentication end to end against a real ecflow_server 5.9.2 with
// a password file (ECF_PASSWD) and a custom password file (ECF_CUSTOM_PASSWD):
// the same environment through ecflow_client and ecflow-ts, compared.
import { assert, assertEquals, assertRejects, assertStringIncludes } from "./deps.ts";
import { ecflowClient, ecflowTs } from "./harness/server.ts";
import { HOST_NAME, LOGIN, spawnServer, startForwarder, testClient } from "./transport_harness.ts";
import { AuthenticationSetupError, envFrom, ServerError } from "../mod.ts";
import { CUSTOM_USER_WITHOUT_PASSWORD } from "../lib/auth/mod.ts";

/** Plain passwords used below: none may ever show up in output, errors or logs. */
const PASSWORDS = ["s3cretRoot", "b0bSecret", "wrongOne", "aliceWord"];

function authServer() {
  return spawnServer({
    files: (port) => ({
      "server.passwd": `4.5.0\n${LOGIN} ${HOST_NAME} ${port} s3cretRoot\n` +
        `alice ${HOST_NAME} ${port} aliceWord # a second user\n`,
      "server.custom_passwd": `4.5.0\nbob ${HOST_NAME} ${port} b0bSecret\n`,
    }),
    env: () => ({ ECF_PASSWD: "server.passwd", ECF_CUSTOM_PASSWD: "server.custom_passwd" }),
    // The harness client itself authenticates with --password (a login user).
    client: (port) => testClient(port, { password: "s3cretRoot" }),
  });
}

/** Client-side password files in a temporary folder (kept apart from the server's). */
async function clientFiles(port: number) {
  const dir = await Deno.makeTempDir({ prefix: "ecflow-ts-auth-client." });
  const write = (name: string, text: string) => Deno.writeTextFile(`${dir}/${name}`, text);
  await write("good.passwd", `4.5.0\n${LOGIN} localhost ${port} s3cretRoot\n`);
  await write("wrong.passwd", `4.5.0\n${LOGIN} localhost ${port} wrongOne\n`);
  // Only the machine's host name: found through ecflow_client's fallback lookup.
  await write("byname.passwd", `4.5.0\n${LOGIN} ${HOST_NAME} ${port} s3cretRoot\n`);
  await write("custom.passwd", `4.5.0\nbob localhost ${port} b0bSecret\n`);
  await write("custom-wrong.passwd", `4.5.0\nbob localhost ${port} wrongOne\n`);
  return { dir, [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }) };
}

function assertNoPassword(text: string, where: string) {
  for (const p of PASSWORDS) assert(!text.includes(p), `password '${p}' appears in ${where}`);
}

const ENV_PERMS = "--allow-env=USER,LOGNAME,HOSTNAME,ECF_HOST,ECF_PORT,ECF_USER,ECF_PASSWD," +
  "ECF_CUSTOM_PASSWD,ECF_SSL,ECF_HOST_PROTOCOL,ECF_CONNECT_TIMEOUT";

Deno.test("auth: ecflow-ts and ecflow_client agree on every password case of a real server", async () => {
  await using server = await authServer();
  await using files = await clientFiles(server.port);
  const d = files.dir;
  const perms = [
    `--allow-net=localhost:${server.port}`,
    ENV_PERMS,
    `--allow-read=${d}`,
    "--allow-sys=hostname", // the host-name fallback of the password lookup
  ];
  const cases: { name: string; env: Record<string, string>; args?: string[]; ok: boolean }[] = [
    { name: "login user, ECF_PASSWD right", env: { ECF_PASSWD: `${d}/good.passwd` }, ok: true },
    { name: "login user, host-name entry", env: { ECF_PASSWD: `${d}/byname.passwd` }, ok: true },
    { name: "login user, no password", env: {}, ok: false },
    { name: "login user, ECF_PASSWD wrong", env: { ECF_PASSWD: `${d}/wrong.passwd` }, ok: false },
    { name: "login user, ECF_PASSWD missing file", env: { ECF_PASSWD: `${d}/none` }, ok: false },
    {
      name: "ECF_USER custom user, ECF_CUSTOM_PASSWD right",
      env: { ECF_USER: "bob", ECF_CUSTOM_PASSWD: `${d}/custom.passwd` },
      ok: true,
    },
    {
      name: "--user custom user, ECF_CUSTOM_PASSWD right",
      env: { ECF_CUSTOM_PASSWD: `${d}/custom.passwd` },
      args: ["--user=bob"],
      ok: true,
    },
    {
      name: "custom user, ECF_CUSTOM_PASSWD wrong",
      env: { ECF_USER: "bob", ECF_CUSTOM_PASSWD: `${d}/custom-wrong.passwd` },
      ok: false,
    },
    {
      name: "custom user from the login password file is not enough",
      env: { ECF_USER: "bob", ECF_PASSWD: `${d}/good.passwd` },
      ok: false,
    },
  ];
  for (const c of cases) {
    for (const command of ["--ping", "--suites"]) {
      const args = ["--host=localhost", `--port=${server.port}`, ...(c.args ?? []), command];
      const ref = await ecflowClient(args, { USER: LOGIN, ...c.env });
      const ours = await ecflowTs(args, { USER: LOGIN, ...c.env }, perms);
      const label = `${c.name} ${command}`;
      assertEquals(ref.code, c.ok ? 0 : 1, `ecflow_client: ${label}: ${ref.stderr}`);
      assertEquals(ours.code, ref.code, `${label}: ${ours.stderr}`);
      if (command === "--suites") assertEquals(ours.stdout, ref.stdout, label);
      if (ref.stderr.startsWith("Error: ")) {
        // The server's refusal, verbatim. ecflow_client ends it with an empty line,
        // which the CLI's shared error printer (lib/cli/main.ts) does not print yet.
        assertEquals(ours.stderr, ref.stderr.replace(/\n\n$/, "\n"), label);
      } else if (!c.ok) {
        // Refused before sending: ecflow_client's own words.
        assertStringIncludes(ref.stderr, CUSTOM_USER_WITHOUT_PASSWORD, label);
        assertStringIncludes(ours.stderr, CUSTOM_USER_WITHOUT_PASSWORD, label);
      }
      for (const r of [ref, ours]) assertNoPassword(r.stdout + r.stderr, label);
    }
  }
  assertNoPassword(await server.log(), "the server log");
  assert(await server.alive());
});

Deno.test("auth: --password (ecFlow 5.10+) is sent crypted; a wrong one gets the server's refusal", async () => {
  await using server = await authServer();
  const perms = [`--allow-net=localhost:${server.port}`, ENV_PERMS];
  const base = ["--host=localhost", `--port=${server.port}`];
  const ok = await ecflowTs([...base, "--user=bob", "--password=b0bSecret", "--suites"], {}, perms);
  assertEquals([ok.code, ok.stderr], [0, ""]);
  const login = await ecflowTs(
    [...base, "--password=s3cretRoot", "--ping"],
    { USER: LOGIN },
    perms,
  );
  assertEquals(login.code, 0, login.stderr);
  const bad = await ecflowTs([...base, "--user=bob", "--password=wrongOne", "--ping"], {}, perms);
  assertEquals(bad.code, 1);
  assertEquals(
    bad.stderr,
    "Error: request( --ping ) failed!  Server reply: [ authentication failed ] User 'bob' is not allowed any access.\n",
  );
  const other = await ecflowTs(
    [...base, "--user=alice", "--password=aliceWord", "--ping"],
    {},
    perms,
  );
  assertEquals(other.code, 1, "alice is a login-file user, not a custom user");
  for (const r of [ok, login, bad, other]) assertNoPassword(r.stdout + r.stderr, "CLI output");
  assertNoPassword(await server.log(), "the server log");
  assert(await server.alive());
});

Deno.test("auth: the library's setUserName/setPassword and typed errors", async () => {
  await using server = await authServer();
  const client = testClient(server.port, { host: "localhost" });
  const refused = await assertRejects(() => client.ping(), ServerError);
  assertEquals(
    refused.serverMessage,
    `[ authentication failed ] User '${LOGIN}' is not allowed any access.`,
  );

  client.setUserName("bob");
  const e = await assertRejects(() => client.ping(), AuthenticationSetupError);
  assertEquals(e.message, CUSTOM_USER_WITHOUT_PASSWORD);
  client.setPassword("b0bSecret");
  assertEquals(await client.suites(), []);
  assertEquals(client.endpoint.port > 0, true);

  client.setPassword("wrongOne");
  const wrong = await assertRejects(() => client.ping(), ServerError);
  assertNoPassword(wrong.message, "ServerError");

  // ECF_USER from the environment is a custom user too.
  const fromEnv = testClient(server.port, {
    env: envFrom({ ECF_USER: "bob" }),
    password: "b0bSecret",
  });
  assert((await fromEnv.ping()) >= 0);
  assert(await server.alive());
});

Deno.test("auth: an unreadable password file names the --allow-read flag", async () => {
  await using server = await authServer();
  await using files = await clientFiles(server.port);
  const args = ["--host=localhost", `--port=${server.port}`, "--ping"];
  const perms = [`--allow-net=localhost:${server.port}`, ENV_PERMS];
  const r = await ecflowTs(args, { USER: LOGIN, ECF_PASSWD: `${files.dir}/good.passwd` }, perms);
  assertEquals(r.code, 1);
  assertEquals(
    r.stderr,
    `ecflow-ts: cannot read ECF_PASSWD file '${files.dir}/good.passwd': ` +
      `run deno with --allow-read=${files.dir}/good.passwd\n`,
  );
});

Deno.test("auth: the identity travels inside the body over HTTP too (5.17 server without proxy headers)", async () => {
  await using server = await authServer();
  await using fwd = startForwarder({ serverPort: server.port });
  const perms = [`--allow-net=127.0.0.1:${fwd.port}`, ENV_PERMS];
  const base = ["--host=127.0.0.1", `--port=${fwd.port}`, "--http"];
  const ok = await ecflowTs([...base, "--user=bob", "--password=b0bSecret", "--suites"], {}, perms);
  assertEquals([ok.code, ok.stderr], [0, ""]);
  const bad = await ecflowTs([...base, "--user=bob", "--password=wrongOne", "--ping"], {}, perms);
  assertEquals(bad.code, 1);
  assertStringIncludes(
    bad.stderr,
    "[ authentication failed ] User 'bob' is not allowed any access.",
  );
  for (const r of [ok, bad]) assertNoPassword(r.stdout + r.stderr, "CLI output over HTTP");
  const bodies = fwd.seen.map((r) => new TextDecoder().decode(r.body));
  assert(bodies.every((b) => b.includes('"cu_": true') && b.includes('"user_": "bob"')));
  for (const b of bodies) assertNoPassword(b, "the HTTP body");
  assert(await server.alive());
});
