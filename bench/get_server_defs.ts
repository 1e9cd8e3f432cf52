// Big replies, in-process, at 2,000 / 20,000 / 200,000 tasks (tools/gen_big_def.py shapes), one
// private real ecflow_server, the suite replaced for each size. For each size, in interleaved
// rounds (medians of the rounds, spread = their range):
//   floor     a raw Deno.connect + write + read of the whole `--get` reply + JSON.parse
//   exchange  client.getDefsText(): the same reply through the Client (deadline, framing,
//             decodeReply), the definition's text unwrapped, no parse
//   fetch     client.getServerDefs(): fetched and parsed into a tree
//   python    ecflow.Client().get_server_defs() (the C++ client; /usr/bin/python3)
// and each process's memory. No thresholds: ratios in the same run.
// Run: ../shared/jsr-offline/run deno run -A bench/get_server_defs.ts [--rounds=7]
//      [--sizes=2000,20000,200000] [--generation=5.9|5.17]
import { parseArgs } from "../lib/deps.ts";
import { Client } from "../mod.ts";
import { ctsNodeCommand } from "../lib/requests/user.ts";
import { encodeRequest } from "../lib/wire/request.ts";
import { encodeFrame } from "../lib/wire/frame.ts";
import { userName } from "../lib/identity.ts";
import { readEnv } from "../lib/env.ts";
import { ecflowClient, type Generation, startServer } from "../tests/harness/server.ts";
import { count, generateSuite, median, python, rawExchange, spread, suiteOf } from "./stats.ts";

const args = parseArgs(Deno.args, { string: ["rounds", "sizes", "generation"] });
const ROUNDS = Number(args.rounds ?? 7);
const SIZES = (args.sizes ?? "2000,20000,200000").split(",").map(Number);
const generation = (args.generation ?? "5.9") as Generation;

await using server = await startServer({ generation, halted: true });
const port = server.port;
const client = new Client("127.0.0.1", port, { retry: { attempts: 1 } });
const frame = encodeFrame(encodeRequest(ctsNodeCommand("get"), {
  kind: "user",
  user: { user: userName(readEnv), clientHost: client.hostName },
}));
const env = { ECF_HOST: "127.0.0.1", ECF_PORT: String(port) };

const pyProgram = `
import ecflow, json, sys, time, resource
c = ecflow.Client("127.0.0.1", int(sys.argv[1]))
c.get_server_defs()
t = []
for _ in range(3):
    a = time.perf_counter(); c.get_server_defs(); t.append((time.perf_counter() - a) * 1000)
print(json.dumps({"ms": sorted(t)[1], "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
`;

/** Median of three timed calls (after one not timed). */
async function time3(f: () => Promise<unknown>): Promise<number> {
  await f();
  const t: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    await f();
    t.push(performance.now() - t0);
  }
  return median(t);
}

interface Row {
  tasks: number;
  bytes: number;
  floor: number[];
  exchange: number[];
  fetch: number[];
  py: number[];
  pyRss: number;
}

const rows: Row[] = [];
for (const tasks of SIZES) {
  const def = `${server.home}/big_${tasks}.def`;
  await Deno.writeFile(def, await generateSuite(suiteOf(tasks)));
  const load = await ecflowClient([`--load=${def}`, "force"], env, generation);
  if (load.code !== 0) throw new Error(load.stderr);
  let seen = 0;
  for (const _ of (await client.getServerDefs()).tasks()) seen++;
  if (seen !== tasks) throw new Error(`expected ${tasks} tasks, the tree has ${seen}`);
  const row: Row = {
    tasks,
    bytes: new TextEncoder().encode(await client.getDefsText()).length,
    floor: [],
    exchange: [],
    fetch: [],
    py: [],
    pyRss: 0,
  };
  for (let r = 0; r < ROUNDS; r++) {
    row.floor.push(await time3(() => rawExchange(port, frame)));
    row.exchange.push(await time3(() => client.getDefsText()));
    row.fetch.push(await time3(() => client.getServerDefs()));
    const py = await python<{ ms: number; rss: number }>(pyProgram, [String(port)]);
    row.py.push(py.ms);
    row.pyRss = Math.max(row.pyRss, py.rss);
  }
  rows.push(row);
}

const ms = (xs: number[]) => `${median(xs).toFixed(xs.some((x) => x < 10) ? 2 : 1)} ms`;
const ratio = (a: number[], b: number[]) => {
  const rs = a.map((x, i) => x / b[i]);
  return `${median(rs).toFixed(2)}× (${spread(rs)})`;
};
console.log(
  `big replies: ecflow_server ${generation}, ${ROUNDS} interleaved rounds per size, each the ` +
    `median of 3 calls (Deno ${Deno.version.deno})`,
);
console.log("");
console.log(
  "| tasks | reply | raw read + JSON.parse | `getDefsText()` | ratio to raw (goal ≤ 1.2×) " +
    "| `getServerDefs()` | Python `get_server_defs()` | ratio to Python (goal ≤ 0.75×) |",
);
console.log("|---:|---:|---:|---:|---:|---:|---:|---:|");
for (const r of rows) {
  console.log(
    `| ${count(r.tasks)} | ${count(r.bytes / 1024)} KiB | ${ms(r.floor)} | ${ms(r.exchange)} | ${
      ratio(r.exchange, r.floor)
    } | ${ms(r.fetch)} | ${ms(r.py)} | ${ratio(r.fetch, r.py)} |`,
  );
}
console.log("");
console.log(
  `process memory at the end: ecflow-ts rss ${
    (Deno.memoryUsage().rss / 1048576).toFixed(0)
  } MiB; ` +
    `python max rss ${rows.map((r) => `${r.pyRss.toFixed(0)} MiB`).join(" / ")}`,
);
