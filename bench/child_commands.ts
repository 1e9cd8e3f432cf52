// Child-command benchmarks, ecflow-ts against ecflow_client in the same run on a
// private real ecflow_server (jobs generated with ECF_JOB_CMD 'true', so the
// benchmark plays the jobs itself with each task's real password):
//   1. one `--label` as a whole process (deno run cli.ts vs ecflow_client), paired runs
//   2. JOBS concurrent jobs each sending COMMANDS child commands (init, meter/label
//      alternately, complete): total wall time per client, and the server's own
//      counters (--stats) prove that no command was lost; every task must end complete
//   3. the same load from the library in one process (no process start-up)
// Run: ../shared/jsr-offline/run deno run -A bench/child_commands.ts [--jobs=100] [--commands=20] [--runs=20]
import { parseArgs } from "../lib/deps.ts";
import { Client, envFrom } from "../mod.ts";
import { CLIENT_BIN, startServer } from "../tests/harness/server.ts";

const args = parseArgs(Deno.args, { string: ["jobs", "commands", "runs"] });
const JOBS = Number(args.jobs ?? 100);
const COMMANDS = Math.max(3, Number(args.commands ?? 20));
const RUNS = Number(args.runs ?? 20);
const FAMILIES = ["one", "ref", "ts", "lib"];
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const dec = new TextDecoder();

await using server = await startServer();
const port = server.port;
const ref = async (...a: string[]) => {
  const out = await new Deno.Command(CLIENT_BIN, {
    args: ["--host=127.0.0.1", `--port=${port}`, ...a],
  }).output();
  if (!out.success) throw new Error(`ecflow_client ${a.join(" ")}: ${dec.decode(out.stderr)}`);
  return dec.decode(out.stdout);
};

// The suite: one family per client, JOBS tasks each.
let defs = "suite bench\n  edit ECF_JOB_CMD 'true'\n";
for (const f of FAMILIES) {
  defs += `  family ${f}\n`;
  const n = f === "one" ? 1 : JOBS;
  for (let i = 0; i < n; i++) {
    defs += `    task j${i}\n      meter m 0 ${COMMANDS} ${COMMANDS}\n      label lab ""\n`;
    await Deno.mkdir(`${server.home}/bench/${f}`, { recursive: true });
    await Deno.writeTextFile(`${server.home}/bench/${f}/j${i}.ecf`, "true\n");
  }
  defs += "  endfamily\n";
}
defs += "endsuite\n";
await Deno.writeTextFile(`${server.home}/bench.def`, defs);
await ref(`--load=${server.home}/bench.def`);
await ref("--begin=bench");

/** Jobs passwords by task path, from --get_state. */
async function passwords(): Promise<Map<string, string>> {
  const text = await ref("--get_state=/bench");
  const map = new Map<string, string>();
  let family = "";
  for (const line of text.split("\n")) {
    const f = /^\s*family (\S+)/.exec(line);
    if (f) family = f[1];
    const t = /^\s*task (\S+) # passwd:(\S+)/.exec(line);
    if (t) map.set(`/bench/${family}/${t[1]}`, t[2]);
  }
  return map;
}
let pw = await passwords();
for (let i = 0; pw.size < 1 + 3 * JOBS && i < 100; i++) {
  await new Promise((r) => setTimeout(r, 100));
  pw = await passwords();
}
if (pw.size < 1 + 3 * JOBS) throw new Error(`only ${pw.size} jobs were submitted`);

const jobEnv = (path: string) => ({
  ECF_HOST: "127.0.0.1",
  ECF_PORT: String(port),
  ECF_NAME: path,
  ECF_PASS: pw.get(path)!,
  ECF_RID: "4242",
  ECF_TRYNO: "1",
});
const cli = new URL("../cli.ts", import.meta.url).pathname;
const tsWords = [
  Deno.execPath(),
  "run",
  "--quiet",
  "--no-lock",
  `--allow-net=127.0.0.1:${port}`,
  "--allow-env=ECF_*,NO_ECF",
  cli,
];

// 1. one --label, whole process, paired
async function timeOnce(cmd: string[], env: Record<string, string>): Promise<number> {
  const t0 = performance.now();
  const out = await new Deno.Command(cmd[0], { args: cmd.slice(1), env }).output();
  const ms = performance.now() - t0;
  if (!out.success) throw new Error(`${cmd.join(" ")}: ${dec.decode(out.stderr)}`);
  return ms;
}
const labelArgs = ["--label=lab", "benchmark", "label"];
const one = jobEnv("/bench/one/j0");
const refMs: number[] = [], tsMs: number[] = [], ratios: number[] = [];
for (let i = 0; i < 3; i++) await timeOnce([...tsWords, ...labelArgs], one); // warm caches
for (let i = 0; i < RUNS; i++) {
  const a = await timeOnce([CLIENT_BIN, ...labelArgs], one);
  const b = await timeOnce([...tsWords, ...labelArgs], one);
  refMs.push(a);
  tsMs.push(b);
  ratios.push(b / a);
}

// 2. concurrent jobs, whole processes
function jobScript(client: string): string {
  const steps = [`${client} --init=4242`];
  for (let i = 1; i <= COMMANDS - 2; i++) {
    steps.push(i % 2 ? `${client} --meter=m ${i}` : `${client} --label=lab step ${i}`);
  }
  steps.push(`${client} --complete`);
  return `set -e\n${steps.join("\n")}\n`;
}

async function stats(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const m of (await ref("--stats")).matchAll(/^\s+Task (\w+)\s+(\d+)$/gm)) {
    out[m[1]] = Number(m[2]);
  }
  return out;
}

function delta(a: Record<string, number>, b: Record<string, number>) {
  return Object.fromEntries(
    Object.keys(b).map((k) => [k, b[k] - (a[k] ?? 0)]).filter(([, v]) => v),
  );
}

async function states(family: string): Promise<number> {
  const text = await ref(`--get_state=/bench/${family}`);
  return [...text.matchAll(/task j\d+ # .*state:complete/g)].length;
}

async function concurrentRun(family: string, client: string) {
  const before = await stats();
  const script = jobScript(client);
  const t0 = performance.now();
  const results = await Promise.all(
    Array.from(
      { length: JOBS },
      (_, i) =>
        new Deno.Command("bash", { args: ["-c", script], env: jobEnv(`/bench/${family}/j${i}`) })
          .output(),
    ),
  );
  const s = (performance.now() - t0) / 1000;
  const failures = results.filter((r) => !r.success);
  for (const r of failures.slice(0, 3)) {
    console.error(
      `a ${family} job failed (exit ${r.code}):\n${dec.decode(r.stdout)}${dec.decode(r.stderr)}`,
    );
  }
  const failed = failures.length;
  return { s, failed, counted: delta(before, await stats()), complete: await states(family) };
}

const refRun = await concurrentRun("ref", CLIENT_BIN);
const tsRun = await concurrentRun("ts", tsWords.join(" "));

// 3. the same load from the library, in this process
const before = await stats();
const t0 = performance.now();
await Promise.all(Array.from({ length: JOBS }, async (_, i) => {
  const c = new Client({ env: envFrom(jobEnv(`/bench/lib/j${i}`)) });
  await c.childInit();
  for (let k = 1; k <= COMMANDS - 2; k++) {
    if (k % 2) await c.childMeter("m", k);
    else await c.childLabel("lab", `step ${k}`);
  }
  await c.childComplete();
}));
const libRun = {
  s: (performance.now() - t0) / 1000,
  failed: 0,
  counted: delta(before, await stats()),
  complete: await states("lib"),
};

const expected = {
  init: JOBS,
  meter: JOBS * Math.ceil((COMMANDS - 2) / 2),
  label: JOBS * Math.floor((COMMANDS - 2) / 2),
  complete: JOBS,
};
const f = (n: number) => n.toFixed(1);
console.log(`ecflow_server 5.9.2 on 127.0.0.1:${port}; ${navigator.hardwareConcurrency} cores\n`);
console.log(`1. one --label, whole process, ${RUNS} paired runs (median):`);
console.log(
  `   ecflow_client ${f(median(refMs))} ms   ecflow-ts ${f(median(tsMs))} ms   ratio ${
    median(ratios).toFixed(2)
  }x`,
);
console.log(
  `\n2. ${JOBS} concurrent jobs x ${COMMANDS} child commands (${JOBS * COMMANDS} in all):`,
);
console.log(`   expected server counters: ${JSON.stringify(expected)}`);
for (
  const [name, r] of [["ecflow_client", refRun], ["ecflow-ts CLI", tsRun], [
    "ecflow-ts library",
    libRun,
  ]] as const
) {
  const same = Object.keys(r.counted).length === Object.keys(expected).length &&
    Object.entries(expected).every(([k, v]) => r.counted[k] === v);
  const lost = same && r.complete === JOBS && r.failed === 0 ? "nothing lost" : "MISMATCH";
  console.log(
    `   ${name.padEnd(18)} ${r.s.toFixed(2).padStart(6)} s  ${
      f(JOBS * COMMANDS / r.s).padStart(7)
    } cmd/s  failed jobs ${r.failed}  complete ${r.complete}/${JOBS}  counted ${
      JSON.stringify(r.counted)
    }  ${lost}`,
  );
}
console.log(`   ecflow-ts CLI / ecflow_client total time: ${(tsRun.s / refRun.s).toFixed(2)}x`);
if (!(await server.alive())) throw new Error("server died");
