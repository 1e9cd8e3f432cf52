// Ping benchmarks, ecflow-ts against the reference clients, measured in the same run on a
// private real ecflow_server:
//   1. in-process ping() throughput vs Python's ecflow.Client().ping() (/usr/bin/python3)
//   2. CLI --ping whole process vs ecflow_client --ping (paired, median ratio)
// Run: ../shared/jsr-offline/run deno run -A bench/ping.ts [--pings=2000] [--rounds=5] [--runs=20]
import { parseArgs } from "../lib/deps.ts";
import { Client } from "../mod.ts";
import { CLIENT_BIN, startServer } from "../tests/harness/server.ts";

const args = parseArgs(Deno.args, { string: ["pings", "rounds", "runs"] });
const PINGS = Number(args.pings ?? 2000);
const ROUNDS = Number(args.rounds ?? 5);
const RUNS = Number(args.runs ?? 20);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

await using server = await startServer();
const port = server.port;

// 1. in-process throughput
const client = new Client("127.0.0.1", port, { retry: { attempts: 1 } });
for (let i = 0; i < 200; i++) await client.ping(); // warm-up
const oursRates: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  const t0 = performance.now();
  for (let i = 0; i < PINGS; i++) await client.ping();
  oursRates.push(PINGS / ((performance.now() - t0) / 1000));
}
const py = `
import ecflow, time, sys
c = ecflow.Client("127.0.0.1", ${port})
for _ in range(200): c.ping()
rates = []
for _ in range(${ROUNDS}):
    t0 = time.perf_counter()
    for _ in range(${PINGS}): c.ping()
    rates.append(${PINGS} / (time.perf_counter() - t0))
print(" ".join(str(r) for r in rates))
`;
// the same pings with several in flight (an async client can; Python's cannot)
const CONCURRENCY = 8;
const concurrentRates: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let i = 0; i < PINGS / CONCURRENCY; i++) await client.ping();
    }),
  );
  concurrentRates.push(PINGS / ((performance.now() - t0) / 1000));
}
const pyOut = await new Deno.Command("/usr/bin/python3", { args: ["-c", py], stderr: "inherit" })
  .output();
if (!pyOut.success) throw new Error("python3-ecflow benchmark failed");
const pyRates = new TextDecoder().decode(pyOut.stdout).trim().split(/\s+/).map(Number);

// 2. whole process, paired
const cli = new URL("../cli.ts", import.meta.url).pathname;
async function timeProcess(cmd: string, cmdArgs: string[]): Promise<number> {
  const t0 = performance.now();
  const out = await new Deno.Command(cmd, { args: cmdArgs, stdout: "null", stderr: "piped" })
    .output();
  const ms = performance.now() - t0;
  if (!out.success) throw new Error(`${cmd} failed: ${new TextDecoder().decode(out.stderr)}`);
  return ms;
}
const refArgs = ["--host=127.0.0.1", `--port=${port}`, "--ping"];
const oursArgs = [
  "run",
  "--quiet",
  "--no-lock",
  `--allow-net=127.0.0.1:${port}`,
  "--allow-env",
  cli,
  ...refArgs,
];
await timeProcess(CLIENT_BIN, refArgs);
await timeProcess(Deno.execPath(), oursArgs); // warm-up (module cache)
const refMs: number[] = [];
const oursMs: number[] = [];
const ratios: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const a = await timeProcess(CLIENT_BIN, refArgs);
  const b = await timeProcess(Deno.execPath(), oursArgs);
  refMs.push(a);
  oursMs.push(b);
  ratios.push(b / a);
}

const f = (n: number, d = 1) => n.toFixed(d);
console.log(`ecflow-ts ping benchmark (server 127.0.0.1:${port}, ecflow_server 5.9.2)`);
console.log(
  `in-process ping(): ecflow-ts ${f(median(oursRates), 0)}/s, python ecflow ${
    f(median(pyRates), 0)
  }/s  (median of ${ROUNDS} x ${PINGS})  ratio ecflow-ts/python = ${
    f(median(oursRates) / median(pyRates), 2)
  }x  (goal >= 1.25x)`,
);
console.log(
  `in-process ping(), ${CONCURRENCY} in flight: ecflow-ts ${
    f(median(concurrentRates), 0)
  }/s  ratio to sequential python = ${f(median(concurrentRates) / median(pyRates), 2)}x`,
);
console.log(
  `CLI --ping whole process: deno run cli.ts ${f(median(oursMs))} ms, ecflow_client ${
    f(median(refMs))
  } ms  (median of ${RUNS} pairs)  ratio = ${f(median(ratios), 2)}x  (goal <= 3x)`,
);
