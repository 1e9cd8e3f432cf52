// Local discovery against the tool the ecFlow documentation names for it, measured in the
// same run (reads /proc, so it needs -A):
//   1. one look in-process: findLocalServersSync(), the mean over many
//   2. whole process: `netstat -lnpt` vs `deno run -A cli.ts --find_servers=<a user with no
//      server>` (the look and the table, nothing asked), beside the floor (an empty
//      `deno run`); paired runs, medians and their ratio
// Run: ../shared/jsr-offline/run deno run -A bench/discover.ts [--looks=200] [--runs=20]
import { parseArgs } from "../lib/deps.ts";
import { findLocalServersSync } from "../lib/discover/mod.ts";

const args = parseArgs(Deno.args, { string: ["looks", "runs"] });
const LOOKS = Number(args.looks ?? 200);
const RUNS = Number(args.runs ?? 20);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const first = findLocalServersSync();
if (first.unavailable) throw new Error(`cannot look: ${first.unavailable}`);
const processes = [...Deno.readDirSync("/proc")].filter((e) => /^\d+$/.test(e.name)).length;
const tcpLines = Deno.readTextFileSync("/proc/net/tcp").split("\n").length - 2;
const t0 = performance.now();
for (let i = 0; i < LOOKS; i++) findLocalServersSync();
const lookMs = (performance.now() - t0) / LOOKS;

async function timeProcess(cmd: string, cmdArgs: string[]): Promise<number> {
  const t = performance.now();
  const out = await new Deno.Command(cmd, { args: cmdArgs, stdout: "null", stderr: "piped" })
    .output();
  const ms = performance.now() - t;
  if (!out.success) throw new Error(`${cmd} failed: ${new TextDecoder().decode(out.stderr)}`);
  return ms;
}
const empty = await Deno.makeTempFile({ suffix: ".ts" });
const cli = new URL("../cli.ts", import.meta.url).pathname;
const nobody = "59999"; // a uid with no server: the listing asks nothing
const ours = ["run", "--quiet", "--no-lock", "-A", cli, `--find_servers=${nobody}`];
const floor = ["run", "--quiet", "--no-lock", empty];
await timeProcess(Deno.execPath(), ours); // warm-up (module cache)
await timeProcess(Deno.execPath(), floor);
const netstat: number[] = [], cliMs: number[] = [], floorMs: number[] = [];
for (let i = 0; i < RUNS; i++) {
  netstat.push(await timeProcess("netstat", ["-lnpt"]));
  cliMs.push(await timeProcess(Deno.execPath(), ours));
  floorMs.push(await timeProcess(Deno.execPath(), floor));
}
await Deno.remove(empty);

const f = (ms: number) => `${ms.toFixed(1)} ms`;
console.log(
  `machine: ${processes} processes, ${tcpLines} lines in /proc/net/tcp, ` +
    `${first.servers.length} ecflow_server(s) found`,
);
console.log(`1. one look in-process (findLocalServersSync): ${lookMs.toFixed(2)} ms`);
console.log(
  `2. whole process, median of ${RUNS}: netstat -lnpt ${f(median(netstat))}, ` +
    `ecflow-ts --find_servers ${f(median(cliMs))} (${
      (median(cliMs) / median(netstat)).toFixed(1)
    }x netstat), floor (empty deno run) ${f(median(floorMs))}`,
);
