// One change on a 20,000-task suite: bytes and milliseconds of ecflow-ts's incremental sync
// (`client.sync()`: news, then the changes only) against a full sync (the whole definition,
// parsed), and against Python's `ecflow.Client.sync_local()` doing the same incremental sync in
// the same run (5.9 only: Python ecflow is Debian's 5.9.2). The floor is a ping on the same
// server. Medians of N; no thresholds.
// Run: ../shared/jsr-offline/run deno run -A bench/sync.ts [--runs=15] [--generation=5.9|5.17]
import { parseArgs } from "../lib/deps.ts";
import { Client } from "../mod.ts";
import { type Generation, startServer } from "../tests/harness/server.ts";
import { ECFLOW_FIXTURES } from "../tests/captures.ts";

const args = parseArgs(Deno.args, { string: ["runs", "generation"] });
const RUNS = Number(args.runs ?? 15);
const generation = (args.generation ?? "5.9") as Generation;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

await using server = await startServer({ generation, halted: true });
const gen = await new Deno.Command("/usr/bin/python3", {
  args: [`${ECFLOW_FIXTURES}/tools/gen_big_def.py`],
  stdout: "piped",
}).output();
if (!gen.success) throw new Error("gen_big_def.py failed");
const def = `${server.home}/big.def`;
await Deno.writeFile(def, gen.stdout);
const client = new Client("127.0.0.1", server.port, { retry: { attempts: 1 } });
await client.load(def);

const first = await client.sync();
let tasks = 0;
for (const _ of first.defs.tasks()) tasks++;
const task = "/big/f07/g3/t040";
const inc = { ms: [] as number[], bytes: [] as number[] };
const direct = { ms: [] as number[], bytes: [] as number[] };
const full = { ms: [] as number[], bytes: [] as number[] };
const ping: number[] = [];
for (let i = 0; i < RUNS; i++) {
  await client.alter(task, { action: "change", kind: "label", name: "info", value: `run ${i}` });
  const r = await client.sync();
  if (r.kind !== "incremental") throw new Error(`expected an incremental sync, got ${r.kind}`);
  if (r.defs.find(task)?.labels.find((l) => l.name === "info")?.newValue !== `run ${i}`) {
    throw new Error("the change did not arrive");
  }
  inc.ms.push(r.ms);
  inc.bytes.push(r.bytes);
  await client.alter(task, { action: "change", kind: "label", name: "info", value: `direct ${i}` });
  const d = await client.sync({ news: false });
  if (d.kind !== "incremental") throw new Error(`expected an incremental sync, got ${d.kind}`);
  direct.ms.push(d.ms);
  direct.bytes.push(d.bytes);
  const fresh = new Client("127.0.0.1", server.port, { retry: { attempts: 1 } });
  const f = await fresh.sync();
  if (f.kind !== "full") throw new Error("expected a full sync");
  full.ms.push(f.ms);
  full.bytes.push(f.bytes);
}
for (let i = 0; i < RUNS; i++) {
  const t0 = performance.now();
  await client.ping();
  ping.push(performance.now() - t0);
}

console.log(`${generation}: one label change on a ${tasks}-task suite, median of ${RUNS}:`);
console.log(
  `  ecflow-ts incremental sync ${median(inc.ms).toFixed(2)} ms, ${median(inc.bytes)} bytes ` +
    `(news + sync replies)`,
);
console.log(
  `  ecflow-ts incremental sync without news ${median(direct.ms).toFixed(2)} ms, ` +
    `${median(direct.bytes)} bytes (one request: sync({ news: false }))`,
);
console.log(
  `  ecflow-ts full sync        ${median(full.ms).toFixed(2)} ms, ${median(full.bytes)} bytes ` +
    `(parsed into a tree)`,
);
console.log(
  `  incremental / full: ${(median(inc.ms) / median(full.ms)).toFixed(4)}x time, ` +
    `${(median(inc.bytes) / median(full.bytes)).toFixed(5)}x bytes`,
);
console.log(`  floor: ping ${median(ping).toFixed(2)} ms`);

if (generation === "5.9") {
  const py = `
import ecflow, time, json
c = ecflow.Client("127.0.0.1", ${server.port})
c.sync_local()
t = []
for i in range(${RUNS}):
    c.alter("${task}", { action: "change", kind: "label", name: "info", value: "py %d" % i })
    a = time.perf_counter(); c.sync_local(); t.append((time.perf_counter() - a) * 1000)
    assert c.get_defs().find_abs_node("${task}") is not None
print(json.dumps({"ms": sorted(t)[len(t)//2]}))
`;
  const out = await new Deno.Command("/usr/bin/python3", { args: ["-c", py], stdout: "piped" })
    .output();
  if (!out.success) throw new Error("python3-ecflow benchmark failed");
  const p = JSON.parse(new TextDecoder().decode(out.stdout));
  console.log(
    `  python sync_local() (incremental, one request) ${p.ms.toFixed(2)} ms; ecflow-ts / ` +
      `python ${(median(inc.ms) / p.ms).toFixed(2)}x with news, ` +
      `${(median(direct.ms) / p.ms).toFixed(2)}x without`,
  );
}
