import {
  assert,
  assertEquals,
  assertMatch,
  assertStringIncludes,
  getAvailablePort,
} from "./deps.ts";
import { ecflowClient, ecflowTs, startServer } from "./harness/server.ts";
import { main } from "../cli.ts";
import { envFrom } from "../mod.ts";

const OK =
  /^ping server\(127\.0\.0\.1:(\d+)\) succeeded in \d\d:\d\d:\d\d\.\d{6} {2}~\d+ milliseconds\n$/;
const FAST = ["--retry-delay=50"];

/** Runs the CLI in-process with a pinned environment. */
async function cli(args: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    env: envFrom(env),
  });
  return { code, stdout: out.join(""), stderr: err.join("") };
}

Deno.test("CLI precedence: option > ECF_HOST/ECF_PORT > default, against a real server", async (t) => {
  await using server = await startServer();
  const p = String(server.port);
  const cases: [string, string[], Record<string, string>][] = [
    ["host and port from the environment", [], { ECF_HOST: "127.0.0.1", ECF_PORT: p }],
    ["--port overrides a wrong ECF_PORT", [`--port=${p}`], {
      ECF_HOST: "127.0.0.1",
      ECF_PORT: "1",
    }],
    ["--host overrides a wrong ECF_HOST", ["--host=127.0.0.1"], {
      ECF_HOST: "no-such-host.invalid",
      ECF_PORT: p,
    }],
    ["both options override both variables", ["--host", "127.0.0.1", "--port", p], {
      ECF_HOST: "no-such-host.invalid",
      ECF_PORT: "1",
    }],
    ["--host=host:port carries the port", [`--host=127.0.0.1:${p}`], { ECF_PORT: "1" }],
  ];
  for (const [name, args, env] of cases) {
    await t.step(name, async () => {
      const r = await cli([...args, ...FAST, "--ping"], env);
      assertEquals(r.stderr, "");
      assertEquals(r.code, 0);
      assertMatch(r.stdout, OK);
      assertEquals(OK.exec(r.stdout)![1], p);
    });
  }
  assert(await server.alive());
});

Deno.test("CLI default endpoint is localhost:3141 and the message says it is the default", async () => {
  const r = await cli(["--ping", "--attempts=1"]);
  if (getAvailablePort({ preferredPort: 3141 }) === 3141) {
    assertEquals(r.code, 1);
    assertStringIncludes(r.stderr, "Failed to connect to localhost:3141");
    assertStringIncludes(r.stderr, "host 'localhost' (default), port 3141 (default)");
  } else {
    // Something listens on 3141 here: whatever answers, the line names localhost:3141.
    assertStringIncludes(r.stdout + r.stderr, "localhost:3141");
  }
});

Deno.test("CLI ping of a dead port: 2 attempts 1 s apart, exit 1, says what was tried and why", async () => {
  const port = getAvailablePort({ preferredPort: 20000 + Math.floor(Math.random() * 9000) });
  const t0 = performance.now();
  const r = await cli(["--ping", "--host=127.0.0.1"], { ECF_PORT: String(port) });
  const elapsed = performance.now() - t0;
  assertEquals(r.code, 1);
  assertEquals(r.stdout, "");
  assert(elapsed >= 950 && elapsed < 5000, `took ${elapsed} ms`);
  const lines = r.stderr.trimEnd().split("\n");
  assertEquals(
    lines[0],
    `Request( --ping ), Failed to connect to 127.0.0.1:${port}. Is the server running ?`,
  );
  assertStringIncludes(r.stderr, "connection refused");
  assertStringIncludes(r.stderr, "after 2 attempts");
  assertStringIncludes(r.stderr, `host '127.0.0.1' (from --host), port ${port} (from ECF_PORT)`);
  assertStringIncludes(r.stderr, "export ECF_HOST=<host> ECF_PORT=<port>");
  assertStringIncludes(r.stderr, "1500 + your uid");
  assert(!r.stderr.includes("    at "), "no stack trace");
});

Deno.test("CLI ping of an unresolvable host fails at once and names it", async () => {
  const t0 = performance.now();
  const r = await cli(["--ping", "--host=no-such-host.invalid", "--port=3141"]);
  assertEquals(r.code, 1);
  assert(performance.now() - t0 < 5000);
  assertStringIncludes(r.stderr, "no-such-host.invalid:3141");
  assertStringIncludes(r.stderr, "cannot resolve host 'no-such-host.invalid'");
  assertStringIncludes(r.stderr, "(from --host)");
});

Deno.test("CLI bad input: one line on stderr and exit 1", async () => {
  const cases: [string[], string][] = [
    [["--pong"], "unknown option '--pong'"],
    [["--ping", "--port=abc"], "invalid port 'abc' (from --port)"],
    [["--ping", "--port=70000"], "invalid port '70000' (from --port)"],
    [["--ping", "--host="], "the argument for option '--host' should follow immediately after"],
    [["--ping", "--port"], "option '--port' needs a value"],
    [["--ping=yes"], "option '--ping' takes no value"],
    [["ping"], "unexpected argument 'ping'"],
    [["--ping", "extra"], "unexpected argument 'extra' after '--ping'"],
    [["--ping", "--server_version"], "only one command per call"],
    [[], "no command given"],
    [["--ping", "--attempts=0"], "invalid value '0' for --attempts"],
  ];
  for (const [args, want] of cases) {
    const r = await cli(args, { ECF_HOST: "127.0.0.1", ECF_PORT: "1" });
    assertEquals(r.code, 1, args.join(" "));
    assertEquals(r.stdout, "");
    assertEquals(r.stderr.split("\n").length, 2, `one line for ${args.join(" ")}: ${r.stderr}`);
    assertStringIncludes(r.stderr, want);
  }
  const env = { ECF_PORT: "99999" };
  const r = await cli(["--ping"], env);
  assertEquals(r.code, 1);
  assertEquals(
    r.stderr,
    "ecflow-ts: invalid port '99999' (from ECF_PORT): must be between 1 and 65535\n",
  );
});

Deno.test("CLI --version and --help need no server", async () => {
  const v = await cli(["--version"]);
  assertEquals(v.code, 0);
  assertMatch(v.stdout, /^ecflow-ts version\(0\.1\.0\) protocol\(JSON cereal 1\.3\.0\)/);
  const h = await cli(["--help"]);
  assertEquals(h.code, 0);
  assertStringIncludes(h.stdout, "--ping");
  const hp = await cli(["--help=port"]);
  assertStringIncludes(hp.stdout, "--port=<port>");
});

Deno.test("CLI least privilege: --allow-net=<host:port> --allow-env=ECF_HOST,ECF_PORT is enough", async () => {
  await using server = await startServer();
  const env = { ECF_HOST: "127.0.0.1", ECF_PORT: String(server.port) };
  const ours = await ecflowTs(["--ping"], env, [
    `--allow-net=127.0.0.1:${server.port}`,
    "--allow-env=ECF_HOST,ECF_PORT",
  ]);
  assertEquals(ours.stderr, "");
  assertEquals(ours.code, 0);
  assertMatch(ours.stdout, OK);
  const ref = await ecflowClient(["--ping"], env);
  assertEquals(ref.code, 0);
});

Deno.test("CLI without network permission for the target says which flag is missing", async () => {
  const r = await ecflowTs(["--ping", "--host=127.0.0.1", "--port=3999"], {}, [
    "--allow-net=127.0.0.1:4000",
  ]);
  assertEquals(r.code, 1);
  assertEquals(
    r.stderr,
    "ecflow-ts: no network permission for 127.0.0.1:3999: run deno with --allow-net=127.0.0.1:3999\n",
  );
});

Deno.test("CLI --json ping prints one JSON document", async () => {
  await using server = await startServer({ halted: true });
  const r = await cli(["--ping", "--json", "--host=127.0.0.1", `--port=${server.port}`]);
  assertEquals(r.code, 0);
  const doc = JSON.parse(r.stdout);
  assertEquals([doc.command, doc.host, doc.port, doc.transport], [
    "ping",
    "127.0.0.1",
    server.port,
    "tcp",
  ]);
  assert(typeof doc.ms === "number" && doc.ms > 0);
});
