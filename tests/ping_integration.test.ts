import { assert, assertEquals, assertMatch, assertRejects } from "./deps.ts";
import { ecflowClient, ecflowTs, startServer } from "./harness/server.ts";
import { Client, ConnectionError, envFrom } from "../mod.ts";

const PING_LINE =
  /^ping server\((?<host>[^)]+)\) succeeded in 00:00:00\.\d{6} {2}~\d+ milliseconds\n$/;

Deno.test("CLI --ping prints what ecflow_client --ping prints for the same server", async () => {
  await using server = await startServer();
  const args = ["--host=127.0.0.1", `--port=${server.port}`, "--ping"];
  const ref = await ecflowClient(args);
  const ours = await ecflowTs(args);
  assertEquals(ours.code, ref.code);
  assertEquals(ref.code, 0);
  assertMatch(ref.stdout, PING_LINE);
  assertMatch(ours.stdout, PING_LINE);
  const norm = (s: string) => s.replace(/\d{2}:\d{2}:\d{2}\.\d{6} {2}~\d+/, "T");
  assertEquals(norm(ours.stdout), norm(ref.stdout));
  assertEquals(ours.stderr, "");
  assert(await server.alive());
});

Deno.test("CLI --server_version matches ecflow_client", async () => {
  await using server = await startServer({ halted: true });
  const args = ["--host=127.0.0.1", `--port=${server.port}`, "--server_version"];
  const ref = await ecflowClient(args);
  const ours = await ecflowTs(args);
  assertEquals(ours, ref);
  assert(await server.alive());
});

Deno.test("library: every constructor form reaches the server", async () => {
  await using server = await startServer();
  const p = server.port;
  const opts = { retry: { attempts: 1 }, env: envFrom({}) };
  const clients = [
    new Client(`127.0.0.1:${p}`, opts),
    new Client(`127.0.0.1@${p}`, opts),
    new Client("127.0.0.1", p, opts),
    new Client("127.0.0.1", String(p), opts),
    new Client({ ...opts, host: "127.0.0.1", port: p }),
    new Client({ env: envFrom({ ECF_HOST: "127.0.0.1", ECF_PORT: String(p) }) }),
  ];
  const moved = new Client("127.0.0.1:1", opts);
  moved.setHostPort(`127.0.0.1:${p}`);
  clients.push(moved);
  const moved2 = new Client(opts);
  moved2.setHostPort("127.0.0.1", p);
  clients.push(moved2);
  for (const c of clients) {
    assertEquals(c.getPort(), p);
    const ms = await c.ping();
    assert(ms > 0 && ms < 10_000, `round trip ${ms}`);
    assertEquals(await c.serverVersion(), "5.9.2");
  }
  assert(await server.alive());
});

Deno.test("library: IPv6 loopback form is parsed and tried", async () => {
  // The server listens on IPv4 only; [::1] must fail as a connection error naming [::1].
  const c = new Client("[::1]:1", { retry: { attempts: 1 }, env: envFrom({}) });
  assertEquals(c.getHost(), "::1");
  const e = await assertRejects(() => c.ping(), ConnectionError);
  assertMatch(e.message, /^\[::1\]:1: /);
});

Deno.test("library: a refused port is retried as configured, then a ConnectionError", async () => {
  const c = new Client("127.0.0.1", 1, { retry: { attempts: 3, delayMs: 50 }, env: envFrom({}) });
  const t0 = performance.now();
  const e = await assertRejects(() => c.ping(), ConnectionError);
  const elapsed = performance.now() - t0;
  assert(elapsed >= 100, `3 attempts 50 ms apart took ${elapsed} ms`);
  assertMatch(e.message, /127\.0\.0\.1:1: cannot connect \(connection refused\) after 3 attempts/);
  assertEquals(e.reason, "refused");
});
