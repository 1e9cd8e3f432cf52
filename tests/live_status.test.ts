// Many servers at once: --status (table and --json) and the library's queryServers against
// 24 real loopback targets: 20 private ecflow_servers (Debian's 5.9.2 and 5.17, one halted,
// each with its own task states), 3 that were started and stopped, and one that accepts
// connections and never answers. Each row is checked against what the reference
// ecflow_client of the server's generation says about that server; the total time is
// compared with the deadline and the count (a slow server delays no other).
import { assert, assertEquals, assertInstanceOf, assertStringIncludes } from "./deps.ts";
import {
  ecflowClient,
  type EcflowServer,
  ecflowTs,
  type Generation,
  run,
  startServer,
} from "./harness/server.ts";
import { ConnectionError, TimeoutError } from "../mod.ts";
import { queryServers, type ServerStatus } from "../lib/live/status.ts";

const DEADLINE_S = 2;
const STATES = ["aborted", "active", "submitted", "queued", "complete"] as const;

/** What the reference client says about a server. */
interface Reference {
  version: string;
  state: string;
  suites: number;
  tasks: Record<string, number>;
}

interface Fleet extends AsyncDisposable {
  running: EcflowServer[];
  stoppedPorts: number[];
  silentPort: number;
  /** host:port of every target, in table order. */
  targets: string[];
}

/** A suite of six tasks; server `i` forces a pattern of states on them, then suspends it. */
async function giveStates(server: EcflowServer, i: number): Promise<void> {
  const c = server.client();
  const def = `${server.home}/live.def`;
  const tasks = Array.from({ length: 6 }, (_, j) => `  task t${j}\n`).join("");
  await Deno.writeTextFile(def, `suite live\n  family f\n${tasks}  endfamily\nendsuite\n`);
  await c.load(def);
  await c.beginSuite("live");
  await c.suspend("/live"); // no job is submitted while the test reads
  for (let j = 0; j < 6; j++) {
    await c.forceState(`/live/f/t${j}`, STATES[(i + j) % (1 + (i % STATES.length))]);
  }
  if (i % 4 === 0) {
    await Deno.writeTextFile(`${server.home}/two.def`, "suite two\n  task a\nendsuite\n");
    await c.load(`${server.home}/two.def`);
  }
}

async function startFleet(): Promise<Fleet> {
  const running: EcflowServer[] = [];
  const stopped: EcflowServer[] = [];
  const silent = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const held: Deno.Conn[] = [];
  const accepting = (async () => {
    try {
      for await (const conn of silent) held.push(conn); // accepted, never answered
    } catch { /* closed */ }
  })();
  const plan: { generation: Generation; halted?: boolean }[] = [];
  for (let i = 0; i < 20; i++) plan.push({ generation: i % 2 === 0 ? "5.9" : "5.17" });
  plan[7].halted = true;
  try {
    for (let b = 0; b < plan.length; b += 5) {
      running.push(...await Promise.all(plan.slice(b, b + 5).map((p) => startServer(p))));
    }
    for (let i = 0; i < running.length; i++) {
      if (!plan[i].halted) await giveStates(running[i], i);
    }
    for (let i = 0; i < 3; i++) stopped.push(await startServer({ generation: "5.9" }));
    for (const s of stopped) await s.stop();
  } catch (e) {
    await Promise.all(running.map((s) => s.stop()));
    silent.close();
    throw e;
  }
  const silentPort = (silent.addr as Deno.NetAddr).port;
  const targets = [
    ...running.slice(0, 10).map((s) => `127.0.0.1:${s.port}`),
    `127.0.0.1:${stopped[0].port}`,
    `127.0.0.1:${silentPort}`,
    ...running.slice(10, 15).map((s) => `127.0.0.1:${s.port}`),
    `127.0.0.1:${stopped[1].port}`,
    ...running.slice(15).map((s) => `127.0.0.1:${s.port}`),
    `127.0.0.1:${stopped[2].port}`,
  ];
  return {
    running,
    stoppedPorts: stopped.map((s) => s.port),
    silentPort,
    targets,
    async [Symbol.asyncDispose]() {
      silent.close();
      for (const c of held) c.close();
      await accepting;
      await Promise.all(running.map((s) => s.stop()));
    },
  };
}

/** The reference client's view of a server: version, state, suites and task states. */
async function reference(server: EcflowServer): Promise<Reference> {
  const env = { ECF_HOST: "127.0.0.1", ECF_PORT: String(server.port) };
  const ask = async (args: string[]) => {
    const r = await ecflowClient(args, env, server.generation);
    assertEquals(r.code, 0, `${args.join(" ")}: ${r.stderr}`);
    return r.stdout;
  };
  const version = (await ask(["--server_version"])).trim();
  const state = /^\s*Status\s+(\S+)/m.exec(await ask(["--stats"]))?.[1] ?? "?";
  const names = (await ask(["--suites"])).trim();
  const suites = names === "No suites" ? 0 : names.split(/\s+/).length;
  const tasks: Record<string, number> = {
    aborted: 0,
    active: 0,
    submitted: 0,
    queued: 0,
    complete: 0,
    unknown: 0,
  };
  for (const line of (await ask(["--get_state"])).split("\n")) {
    if (!/^\s*(task|alias) /.test(line)) continue;
    tasks[/ state:(\w+)/.exec(line)?.[1] ?? "unknown"]++;
  }
  return { version, state, suites, tasks };
}

/** One table row split into its columns (the error text kept whole). */
function columns(line: string): string[] {
  const cells = line.trim().split(/\s{2,}/);
  return cells;
}

Deno.test("24 targets: 20 real servers (one halted), 3 stopped, 1 silent", async (t) => {
  await using fleet = await startFleet();
  await t.step(
    "--status: every row as the reference client sees that server; the stopped and silent fail in their own rows within one deadline",
    async () => {
      await statusTable(fleet);
    },
  );
  await t.step(
    "queryServers: per-server results or typed errors, concurrently, each within its deadline",
    async () => {
      await libraryQuery(fleet);
    },
  );
});

async function statusTable(fleet: Fleet) {
  const refs = new Map<string, Reference>();
  for (const s of fleet.running) refs.set(`127.0.0.1:${s.port}`, await reference(s));
  assertEquals(
    [...refs.values()].filter((r) => r.state === "HALTED").length,
    1,
    "exactly one halted server",
  );

  const r = await ecflowTs(["--status", ...fleet.targets, `--timeout=${DEADLINE_S}`]);
  assertEquals(r.code, 1, r.stderr);
  assertEquals(r.stderr, "ecflow-ts: 4 of 24 servers did not answer\n");
  const lines = r.stdout.trimEnd().split("\n");
  assertEquals(
    columns(lines[0]),
    [
      "NAME",
      "HOST:PORT",
      "VERSION",
      "STATE",
      "SUITES",
      "ABORTED",
      "ACTIVE",
      "SUBMITTED",
      "QUEUED",
      "COMPLETE",
      "RTT",
    ],
  );
  assertEquals(lines.length, 1 + fleet.targets.length);
  fleet.targets.forEach((hp, i) => {
    const cells = columns(lines[i + 1]);
    assertEquals(cells[0], hp, lines[i + 1]);
    assertEquals(cells[1], hp);
    const ref = refs.get(hp);
    if (ref) {
      const t = ref.tasks;
      assertEquals(cells.slice(2, 10), [
        ref.version,
        ref.state,
        String(ref.suites),
        String(t.aborted),
        String(t.active),
        String(t.submitted),
        String(t.queued),
        String(t.complete),
      ], hp);
      assert(/^\d+(\.\d)? ms$/.test(cells[10]), cells[10]);
    } else if (hp.endsWith(`:${fleet.silentPort}`)) {
      assertEquals(cells.slice(2, 4), ["-", "TIMEOUT"]);
      assertEquals(cells[11], `no answer within ${DEADLINE_S} s`);
    } else {
      assertEquals(cells.slice(2, 4), ["-", "UNREACHABLE"]);
      assertStringIncludes(cells[11], "connection refused");
    }
  });

  // the same as one JSON document; the servers were asked at once: the total is about one
  // deadline (the silent server's), never the sum of every server's deadline
  const j = await ecflowTs(["--status", ...fleet.targets, `--timeout=${DEADLINE_S}`, "--json"]);
  assertEquals(j.code, 1);
  const doc = JSON.parse(j.stdout);
  assertEquals(doc.command, "status");
  assertEquals(doc.deadlineMs, DEADLINE_S * 1000);
  assertEquals(
    doc.servers.map((s: { host: string; port: number }) => `${s.host}:${s.port}`),
    fleet.targets,
  );
  for (const s of doc.servers) {
    const ref = refs.get(`${s.host}:${s.port}`);
    if (ref) {
      assertEquals([s.ok, s.version, s.serverState, s.suites], [
        true,
        ref.version,
        ref.state,
        ref.suites,
      ]);
      for (const st of STATES) assertEquals(s.tasks[st], ref.tasks[st], `${s.port} ${st}`);
    } else {
      assertEquals(s.ok, false);
      assertEquals(s.state, s.port === fleet.silentPort ? "TIMEOUT" : "UNREACHABLE");
    }
  }
  const silentRow = doc.servers.find((s: { port: number }) => s.port === fleet.silentPort);
  assert(silentRow.elapsedMs >= DEADLINE_S * 1000, `the silent server took its deadline`);
  const sumOfDeadlines = fleet.targets.length * DEADLINE_S * 1000;
  assert(
    doc.elapsedMs < sumOfDeadlines,
    `${doc.elapsedMs} ms for ${fleet.targets.length} servers, not the sum of their deadlines`,
  );
  console.log(
    `--status: ${fleet.targets.length} servers in ${Math.round(doc.elapsedMs)} ms = ` +
      `${(doc.elapsedMs / (DEADLINE_S * 1000)).toFixed(2)} deadlines ` +
      `(sum of deadlines ${sumOfDeadlines} ms)`,
  );
}

async function libraryQuery(fleet: Fleet) {
  const targets = fleet.targets.map((hp) => {
    const [host, port] = hp.split(":");
    return { host, port: Number(port) };
  });
  const t0 = performance.now();
  const rows: ServerStatus[] = await queryServers(targets, { deadlineMs: DEADLINE_S * 1000 });
  const total = performance.now() - t0;
  assertEquals(rows.length, 24);
  const halted = rows.filter((r) => r.ok && r.serverState === "HALTED");
  assertEquals(halted.length, 1);
  for (const r of rows) {
    const server = fleet.running.find((s) => s.port === r.port);
    if (server) {
      assert(r.ok, `${r.port}: ${!r.ok && r.error.message}`);
      assertEquals(r.version, server.generation === "5.9" ? "5.9.2" : "5.17.0");
      let tasks = 0;
      for (const _ of r.defs.tasks()) tasks++;
      assertEquals(Object.values(r.tasks).reduce((a, b) => a + b, 0), tasks);
    } else if (r.port === fleet.silentPort) {
      assert(!r.ok);
      assertInstanceOf(r.error, TimeoutError);
      assert(r.elapsedMs >= DEADLINE_S * 1000);
    } else {
      assert(!r.ok);
      assertInstanceOf(r.error, ConnectionError);
      assertEquals((r.error as ConnectionError).reason, "refused");
    }
  }
  assert(total < rows.length * DEADLINE_S * 1000, `${total} ms is not the sum of the deadlines`);
  console.log(
    `queryServers: 24 servers in ${Math.round(total)} ms = ${
      (total / (DEADLINE_S * 1000)).toFixed(2)
    } deadlines`,
  );

  // an aborted query ends every unfinished server with the signal's reason, at once
  const controller = new AbortController();
  const pending = queryServers(targets, { deadlineMs: 60_000, signal: controller.signal });
  setTimeout(() => controller.abort(new Error("operator left")), 200);
  const cancelled = await pending;
  const silent = cancelled.find((r) => r.port === fleet.silentPort)!;
  assert(!silent.ok);
  assertEquals(silent.error.message, "operator left");
}

Deno.test("--status with no server named shows ecflow_ui's server list, by name, with scoped permissions", async () => {
  await using a = await startServer({ generation: "5.9" });
  await using b = await startServer({ generation: "5.17", halted: true });
  const dead = await startServer({ generation: "5.9" });
  await dead.stop();
  const dir = await Deno.makeTempDir({ prefix: "ecflow-ts-ui." });
  try {
    const list = `${dir}/servers.txt`;
    await Deno.writeTextFile(
      list,
      "# Name, Host, Port, Favourite, System, Protocol, User\n" +
        `alpha,127.0.0.1,${a.port},1,0,0,\nbeta,127.0.0.1,${b.port},0,0,0,\n` +
        `gone,127.0.0.1,${dead.port},0,0,0,\n`,
    );
    const net = [a.port, b.port, dead.port].map((p) => `127.0.0.1:${p}`).join(",");
    const cli = new URL("../cli.ts", import.meta.url).pathname;
    const denoEnv: Record<string, string> = {};
    for (const k of ["DENO_DIR", "JSR_URL", "DENO_NO_UPDATE_CHECK"]) {
      const v = Deno.env.get(k);
      if (v !== undefined) denoEnv[k] = v;
    }
    const status = (args: string[], netFlag = net) =>
      run(Deno.execPath(), [
        "run",
        "--quiet",
        "--no-lock",
        "--no-prompt",
        `--allow-net=${netFlag}`,
        "--allow-env=ECF_HOST,ECF_PORT,ECFLOWUI_CONFIG_DIR,HOME,COLORTERM",
        `--allow-read=${list}`,
        cli,
        "--status",
        ...args,
        "--timeout=2",
      ], { ...denoEnv, ECFLOWUI_CONFIG_DIR: dir });
    const all = await status([]);
    assertEquals(all.stderr, "ecflow-ts: 1 of 3 servers did not answer\n");
    const rows = all.stdout.trimEnd().split("\n").slice(1).map(columns);
    assertEquals(rows.map((r) => [r[0], r[1], r[2], r[3]]), [
      ["alpha", `127.0.0.1:${a.port}`, "5.9.2", "RUNNING"],
      ["beta", `127.0.0.1:${b.port}`, "5.17.0", "HALTED"],
      ["gone", `127.0.0.1:${dead.port}`, "-", "UNREACHABLE"],
    ]);
    // by name, and mixed with host:port; all answer: exit 0, nothing on stderr
    const named = await status(["beta", `127.0.0.1:${a.port}`]);
    assertEquals([named.code, named.stderr], [0, ""]);
    assertEquals(named.stdout.trimEnd().split("\n").slice(1).map((l) => columns(l)[0]), [
      "beta",
      `127.0.0.1:${a.port}`,
    ]);
    // a server this process may not reach says so in its own row; the others answer
    const scoped = await status(["alpha", "beta"], `127.0.0.1:${a.port}`);
    assertEquals(scoped.code, 1);
    const scopedRows = scoped.stdout.trimEnd().split("\n").slice(1).map(columns);
    assertEquals(scopedRows[0][3], "RUNNING");
    assertEquals(scopedRows[1][3], "ERROR");
    assertStringIncludes(scopedRows[1][11], `--allow-net=127.0.0.1:${b.port}`);
    // node paths and servers do not mix; paths alone stay ecflow_client's --status
    const mixed = await status(["/live", "alpha"]);
    assertEquals(mixed.code, 1);
    assertStringIncludes(mixed.stderr, "give node paths (/live) or servers, not both");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("--status=<path> is still ecflow_client's job status request (same output and exit code)", async () => {
  for (const generation of ["5.9", "5.17"] as const) {
    await using server = await startServer({ generation });
    await giveStates(server, 1);
    const env = { ECF_HOST: "127.0.0.1", ECF_PORT: String(server.port) };
    for (
      const args of [["--status=/live/f/t0"], ["--status", "/live/f/t0", "/live/f/t1"], [
        "--status=/nope",
      ]]
    ) {
      const ref = await ecflowClient(args, env, generation);
      const ours = await ecflowTs(args, env);
      assertEquals(
        [ours.code, ours.stdout],
        [ref.code, ref.stdout],
        `${generation} ${args.join(" ")}`,
      );
    }
  }
});
