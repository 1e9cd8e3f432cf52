// User-command benchmarks on a 20,000-task suite (tools/gen_big_def.py defaults), ecflow-ts
// against ecflow_client in the same run on a private real ecflow_server:
//   --get              whole process, paired (A B A B ...), median wall time and ratio
//   --load=big force   whole process, paired, median and ratio (local parse+check, send, reply)
//   peak memory        max RSS of each process (GNU time -f %M)
// The outputs are also compared once (--get must print the same bytes). No thresholds.
// Run: ../shared/jsr-offline/run deno run -A bench/user_commands.ts [--runs=10]
import { parseArgs } from "../lib/deps.ts";
import { CLIENT_BIN, startServer } from "../tests/harness/server.ts";
import { ECFLOW_FIXTURES } from "../tests/captures.ts";

const args = parseArgs(Deno.args, { string: ["runs", "tasks"] });
const RUNS = Number(args.runs ?? 10);
const TIME_BIN = "/usr/bin/time";

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const dir = await Deno.makeTempDir({ prefix: "ecflow-ts-bench." });
const bigDef = `${dir}/big.def`;
const gen = await new Deno.Command("/usr/bin/python3", {
  args: [
    `${ECFLOW_FIXTURES}/tools/gen_big_def.py`,
    ...(args.tasks ? ["--tasks", args.tasks] : []),
  ],
  stdout: "piped",
}).output();
if (!gen.success) throw new Error("gen_big_def.py failed");
await Deno.writeFile(bigDef, gen.stdout);

await using server = await startServer({ halted: true });
const port = server.port;
const cli = new URL("../cli.ts", import.meta.url).pathname;
const common = ["--host=127.0.0.1", `--port=${port}`];

interface Run {
  ms: number;
  maxRssKb: number;
  stdout: Uint8Array;
}

/** Runs a whole process under GNU time; wall time measured here, peak RSS from time. */
async function runProcess(cmd: string, cmdArgs: string[]): Promise<Run> {
  const t0 = performance.now();
  const out = await new Deno.Command(TIME_BIN, {
    args: ["-f", "MAXRSS %M", cmd, ...cmdArgs],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const ms = performance.now() - t0;
  const err = new TextDecoder().decode(out.stderr);
  if (!out.success) throw new Error(`${cmd} ${cmdArgs.join(" ")} failed: ${err}`);
  const rss = /MAXRSS (\d+)/.exec(err);
  return { ms, maxRssKb: rss ? Number(rss[1]) : NaN, stdout: out.stdout };
}

const ref = (a: string[]) => runProcess(CLIENT_BIN, [...common, ...a]);
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
  name: string;
  refMs: number;
  oursMs: number;
  ratio: number;
  refRssMb: number;
  oursRssMb: number;
}

async function paired(name: string, a: string[]): Promise<Result> {
  await ref(a); // warm-up (page cache, module cache)
  await ours(a);
  const r: Run[] = [], o: Run[] = [], ratios: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const x = await ref(a);
    const y = await ours(a);
    r.push(x);
    o.push(y);
    ratios.push(y.ms / x.ms);
  }
  return {
    name,
    refMs: median(r.map((x) => x.ms)),
    oursMs: median(o.map((x) => x.ms)),
    ratio: median(ratios),
    refRssMb: Math.max(...r.map((x) => x.maxRssKb)) / 1024,
    oursRssMb: Math.max(...o.map((x) => x.maxRssKb)) / 1024,
  };
}

const results: Result[] = [];
// load first (the server then holds the suite for --get); force replaces it every run
results.push(await paired("--load=big.def force", [`--load=${bigDef}`, "force"]));
results.push(await paired("--get", ["--get"]));

// fidelity check, once: the same bytes on stdout
const [g1, g2] = [await ref(["--get"]), await ours(["--get"])];
const same = g1.stdout.length === g2.stdout.length && g1.stdout.every((b, i) => b === g2.stdout[i]);

const defBytes = (await Deno.stat(bigDef)).size;
console.log(`user-command bench: ${defBytes} B definition (20,000 tasks), ${RUNS} paired runs`);
console.log(`--get output identical to ecflow_client: ${same} (${g1.stdout.length} B)`);
console.log(
  "command".padEnd(24) + "ecflow_client ms".padStart(18) + "ecflow-ts ms".padStart(14) +
    "ratio".padStart(8) + "ref RSS MB".padStart(12) + "ts RSS MB".padStart(11),
);
for (const r of results) {
  console.log(
    r.name.padEnd(24) + r.refMs.toFixed(1).padStart(18) + r.oursMs.toFixed(1).padStart(14) +
      r.ratio.toFixed(2).padStart(8) + r.refRssMb.toFixed(1).padStart(12) +
      r.oursRssMb.toFixed(1).padStart(11),
  );
}
await Deno.remove(dir, { recursive: true });
