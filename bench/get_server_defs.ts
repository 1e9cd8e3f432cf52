// Fetch and parse a 20,000-task suite into a tree, in-process: ecflow-ts
// `client.getServerDefs()` against Python's `ecflow.Client.get_server_defs()`, same server,
// same run; medians of N, and the peak memory of each process. No thresholds.
// Run: ../shared/jsr-offline/run deno run -A bench/get_server_defs.ts [--runs=15]
import { parseArgs } from "../lib/deps.ts";
import { Client } from "../mod.ts";
import { ecflowClient, startServer } from "../tests/harness/server.ts";
import { ECFLOW_FIXTURES } from "../tests/captures.ts";

const args = parseArgs(Deno.args, { string: ["runs"] });
const RUNS = Number(args.runs ?? 15);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

await using server = await startServer({ halted: true });
const gen = await new Deno.Command("/usr/bin/python3", {
  args: [`${ECFLOW_FIXTURES}/tools/gen_big_def.py`],
  stdout: "piped",
}).output();
if (!gen.success) throw new Error("gen_big_def.py failed");
const def = `${server.home}/big.def`;
await Deno.writeFile(def, gen.stdout);
const env = { ECF_HOST: "127.0.0.1", ECF_PORT: String(server.port) };
const load = await ecflowClient([`--load=${def}`], env);
if (load.code !== 0) throw new Error(load.stderr);

const client = new Client("127.0.0.1", server.port, { retry: { attempts: 1 } });
let tasks = 0;
for (const _ of (await client.getServerDefs()).tasks()) tasks++; // warm-up, and a check
const ours: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const t0 = performance.now();
  await client.getServerDefs();
  ours.push(performance.now() - t0);
}
const oursRss = Deno.memoryUsage().rss / 1e6;

const py = `
import ecflow, time, resource, json
c = ecflow.Client("127.0.0.1", ${server.port})
c.get_server_defs()
t = []
for _ in range(${RUNS}):
    a = time.perf_counter(); c.get_server_defs(); t.append((time.perf_counter() - a) * 1000)
n = sum(1 for _ in c.get_defs().get_all_tasks())
print(json.dumps({"ms": sorted(t)[len(t)//2], "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1000, "tasks": n}))
`;
const out = await new Deno.Command("/usr/bin/python3", { args: ["-c", py], stdout: "piped" })
  .output();
if (!out.success) throw new Error("python3-ecflow benchmark failed");
const p = JSON.parse(new TextDecoder().decode(out.stdout));

console.log(`fetch + parse ${tasks} tasks (python sees ${p.tasks}), median of ${RUNS}:`);
console.log(
  `  ecflow-ts getServerDefs() ${median(ours).toFixed(1)} ms, python get_server_defs() ${
    p.ms.toFixed(1)
  } ms, ratio ${(median(ours) / p.ms).toFixed(2)}x (goal <= 0.75x)`,
);
console.log(
  `  process memory: ecflow-ts rss ${oursRss.toFixed(0)} MB, python max rss ${p.rss.toFixed(0)} MB`,
);
