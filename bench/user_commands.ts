// The CLI's big commands as whole processes, ecflow-ts against ecflow_client of the server's
// generation, on a private real ecflow_server, at 2,000 / 20,000 / 200,000 tasks
// (tools/gen_big_def.py shapes):
//   --load=<file> force   read, parse, check, send (the server replaces the suite)
//   --get                 fetch the whole definition and print it
// Runs are paired (ecflow_client, then ecflow-ts, then again), so a machine that gets busier
// affects both alike; the ratio is the median of the pairs' ratios, the spread their range.
// Peak memory is each process's max RSS (GNU time). The floor beside them: an empty
// `deno run` and `ecflow_client --version`. The --get outputs are compared once per size (the
// same bytes). No thresholds.
// Run: ../shared/jsr-offline/run deno run -A bench/user_commands.ts [--runs=7]
//      [--sizes=2000,20000,200000] [--generation=5.9|5.17]
import { parseArgs } from "../lib/deps.ts";
import { ecflowPrograms, type Generation, startServer } from "../tests/harness/server.ts";
import {
  count,
  generateSuite,
  median,
  type ProcessRun,
  runProcess,
  spread,
  suiteOf,
} from "./stats.ts";

const args = parseArgs(Deno.args, { string: ["runs", "sizes", "generation"] });
const RUNS = Number(args.runs ?? 7);
const SIZES = (args.sizes ?? "2000,20000,200000").split(",").map(Number);
const generation = (args.generation ?? "5.9") as Generation;
const refBin = ecflowPrograms(generation).client;

await using server = await startServer({ generation, halted: true });
const port = server.port;
const dir = await Deno.makeTempDir({ prefix: "ecflow-ts-bench." });
const cli = new URL("../cli.ts", import.meta.url).pathname;
const common = ["--host=127.0.0.1", `--port=${port}`];

const ref = (a: string[]) => runProcess(refBin, [...common, ...a]);
const ours = (a: string[]) =>
  runProcess(Deno.execPath(), [
    "run",
    "--quiet",
    "--no-lock",
    `--allow-net=127.0.0.1:${port}`,
    "--allow-env",
    `--allow-read=${dir}`,
    cli,
    ...common,
    ...a,
  ]);

interface Result {
  command: string;
  tasks: number;
  ref: ProcessRun[];
  ours: ProcessRun[];
}

async function paired(command: string, tasks: number, a: string[]): Promise<Result> {
  await ref(a); // warm-up (page cache, module cache)
  await ours(a);
  const result: Result = { command, tasks, ref: [], ours: [] };
  const runs = tasks > 50_000 ? Math.max(3, Math.ceil(RUNS / 2)) : RUNS;
  for (let i = 0; i < runs; i++) {
    result.ref.push(await ref(a));
    result.ours.push(await ours(a));
  }
  return result;
}

const results: Result[] = [];
const identical: string[] = [];
for (const tasks of SIZES) {
  const file = `${dir}/big_${tasks}.def`;
  await Deno.writeFile(file, await generateSuite(suiteOf(tasks)));
  // load first (the server then holds the suite for --get); force replaces it every run
  results.push(await paired("--load=<file> force", tasks, [`--load=${file}`, "force"]));
  results.push(await paired("--get", tasks, ["--get"]));
  const [g1, g2] = [await ref(["--get"]), await ours(["--get"])];
  const same = g1.stdout.length === g2.stdout.length &&
    g1.stdout.every((b, i) => b === g2.stdout[i]);
  identical.push(`${count(tasks)} tasks: ${same} (${count(g1.stdout.length)} B)`);
}

// the floors: a process that does nothing
const empty = await Deno.makeTempFile({ dir, suffix: ".ts" });
const floors = { deno: [] as number[], denoRss: 0, ref: [] as number[], refRss: 0 };
for (let i = 0; i < RUNS; i++) {
  const d = await runProcess(Deno.execPath(), ["run", "--quiet", empty]);
  const r = await runProcess(refBin, ["--version"]);
  floors.deno.push(d.ms);
  floors.ref.push(r.ms);
  floors.denoRss = Math.max(floors.denoRss, d.maxRssMb);
  floors.refRss = Math.max(floors.refRss, r.maxRssMb);
}

const msOf = (runs: ProcessRun[]) => median(runs.map((r) => r.ms));
const rssOf = (runs: ProcessRun[]) => Math.max(...runs.map((r) => r.maxRssMb));
console.log(
  `CLI big commands: ecflow_server ${generation}, ecflow_client ${refBin}, ${RUNS} paired runs ` +
    `(fewer above 50,000 tasks) (Deno ${Deno.version.deno})`,
);
console.log(`--get output identical to ecflow_client: ${identical.join("; ")}`);
console.log("");
console.log(
  "| command | tasks | ecflow_client | ecflow-ts | time ratio (goal ≤ 1.5×) | " +
    "ecflow_client max RSS | ecflow-ts max RSS | memory ratio (goal ≤ 2×) |",
);
console.log("|---|---:|---:|---:|---:|---:|---:|---:|");
for (const r of results) {
  const ratios = r.ours.map((o, i) => o.ms / r.ref[i].ms);
  console.log(
    `| \`${r.command}\` | ${count(r.tasks)} | ${msOf(r.ref).toFixed(1)} ms | ${
      msOf(r.ours).toFixed(1)
    } ms | ${median(ratios).toFixed(2)}× (${spread(ratios)}) | ${rssOf(r.ref).toFixed(1)} MiB | ${
      rssOf(r.ours).toFixed(1)
    } MiB | ${(rssOf(r.ours) / rssOf(r.ref)).toFixed(2)}× |`,
  );
}
console.log(
  `| floor: empty process | | \`ecflow_client --version\` ${median(floors.ref).toFixed(1)} ms | ` +
    `empty \`deno run\` ${median(floors.deno).toFixed(1)} ms | | ${
      floors.refRss.toFixed(1)
    } MiB | ` +
    `${floors.denoRss.toFixed(1)} MiB | |`,
);
await Deno.remove(dir, { recursive: true });
