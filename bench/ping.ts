// Ping benchmarks on a private real ecflow_server, everything measured in the same run, in
// interleaved rounds (each round measures every contender once, so a machine that gets busier
// or quieter affects them alike); the ratio is the median of the rounds' ratios and the spread
// is their range:
//   1. in-process ping() one at a time, beside the floor: a raw Deno.connect + write + read +
//      close + JSON.parse loop sending the same bytes in the same process
//   2. the same against Python's ecflow.Client().ping() (the C++ client; /usr/bin/python3)
//   3. ping() with 8 in flight against Python's sequential rate
//   4. CLI --ping as a whole process against ecflow_client --ping (paired runs)
// Run: ../shared/jsr-offline/run deno run -A bench/ping.ts [--pings=2000] [--rounds=7] [--runs=20]
//      [--generation=5.9|5.17]   (Python's ecflow is 5.9.2's; it pings a 5.17 server too)
import { parseArgs } from "../lib/deps.ts";
import { Client } from "../mod.ts";
import { ctsCommand } from "../lib/requests/user.ts";
import { encodeRequest } from "../lib/wire/request.ts";
import { encodeFrame } from "../lib/wire/frame.ts";
import { userName } from "../lib/identity.ts";
import { readEnv } from "../lib/env.ts";
import { ecflowPrograms, type Generation, startServer } from "../tests/harness/server.ts";
import { count, median, python, rawExchange, runProcess, spread } from "./stats.ts";

const args = parseArgs(Deno.args, { string: ["pings", "rounds", "runs", "generation"] });
const PINGS = Number(args.pings ?? 2000);
const ROUNDS = Number(args.rounds ?? 7);
const RUNS = Number(args.runs ?? 20);
const CONCURRENCY = 8;
const generation = (args.generation ?? "5.9") as Generation;

await using server = await startServer({ generation });
const port = server.port;
const client = new Client("127.0.0.1", port, { retry: { attempts: 1 } });
// the floor sends the bytes the client sends
const frame = encodeFrame(encodeRequest(ctsCommand("ping"), {
  kind: "user",
  user: { user: userName(readEnv), clientHost: client.hostName },
}));

async function rate(n: number, inFlight: number, one: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      for (let i = 0; i < n / inFlight; i++) await one();
    }),
  );
  return n / ((performance.now() - t0) / 1000);
}

const pyProgram = `
import ecflow, json, sys, time
c = ecflow.Client("127.0.0.1", int(sys.argv[1]))
n = int(sys.argv[2])
for _ in range(200): c.ping()
t0 = time.perf_counter()
for _ in range(n): c.ping()
print(json.dumps(n / (time.perf_counter() - t0)))
`;

const ping = () => client.ping();
const raw = () => rawExchange(port, frame);
await rate(500, 1, raw); // warm-up
await rate(500, 1, ping);
const rounds: { raw: number; ours: number; inFlight: number; py: number }[] = [];
for (let r = 0; r < ROUNDS; r++) {
  const order = r % 2 === 0 ? ["raw", "ours"] : ["ours", "raw"];
  const round = { raw: 0, ours: 0, inFlight: 0, py: 0 };
  for (const which of order) {
    if (which === "raw") round.raw = await rate(PINGS, 1, raw);
    else round.ours = await rate(PINGS, 1, ping);
  }
  round.inFlight = await rate(PINGS, CONCURRENCY, ping);
  round.py = await python<number>(pyProgram, [String(port), String(PINGS)]);
  rounds.push(round);
}

// the CLI as a whole process, paired with ecflow_client of the server's generation
const refBin = ecflowPrograms(generation).client;
const cli = new URL("../cli.ts", import.meta.url).pathname;
const refArgs = ["--host=127.0.0.1", `--port=${port}`, "--ping"];
const denoArgs = ["run", "--quiet", "--no-lock", `--allow-net=127.0.0.1:${port}`, "--allow-env"];
const oursArgs = [...denoArgs, cli, ...refArgs];
const emptyScript = await Deno.makeTempFile({ suffix: ".ts" });
await runProcess(refBin, refArgs);
await runProcess(Deno.execPath(), oursArgs); // warm-up (module cache)
const cliRuns: { ref: number; ours: number; empty: number }[] = [];
for (let i = 0; i < RUNS; i++) {
  cliRuns.push({
    ref: (await runProcess(refBin, refArgs)).ms,
    ours: (await runProcess(Deno.execPath(), oursArgs)).ms,
    empty: (await runProcess(Deno.execPath(), ["run", "--quiet", emptyScript])).ms,
  });
}
await Deno.remove(emptyScript);

const ratios = (f: (r: typeof rounds[number]) => number) => rounds.map(f);
const row = (what: string, ours: string, ref: string, rs: number[], goal: string) =>
  console.log(
    `| ${what} | ${ours} | ${ref} | ${median(rs).toFixed(2)}× (${spread(rs)}) | ${goal} |`,
  );
console.log(
  `ping benchmark: ecflow_server ${generation} on 127.0.0.1:${port}, ${ROUNDS} interleaved ` +
    `rounds of ${PINGS} pings; CLI ${RUNS} paired runs (Deno ${Deno.version.deno})`,
);
console.log("");
console.log("| measure | ecflow-ts | floor / reference | ratio (spread) | goal |");
console.log("|---|---:|---:|---:|---|");
row(
  "`ping()` one at a time vs the raw socket loop",
  `${count(median(ratios((r) => r.ours)))}/s`,
  `raw loop ${count(median(ratios((r) => r.raw)))}/s`,
  ratios((r) => r.ours / r.raw),
  "≥ 0.95×",
);
row(
  "`ping()` one at a time vs Python",
  `${count(median(ratios((r) => r.ours)))}/s`,
  `Python ${count(median(ratios((r) => r.py)))}/s`,
  ratios((r) => r.ours / r.py),
  "≥ 1.25×",
);
row(
  `\`ping()\`, ${CONCURRENCY} in flight vs Python sequential`,
  `${count(median(ratios((r) => r.inFlight)))}/s`,
  `Python ${count(median(ratios((r) => r.py)))}/s`,
  ratios((r) => r.inFlight / r.py),
  "≥ 2×",
);
row(
  "CLI `--ping`, whole process (time / reference time)",
  `${median(cliRuns.map((r) => r.ours)).toFixed(1)} ms`,
  `ecflow_client ${median(cliRuns.map((r) => r.ref)).toFixed(1)} ms`,
  cliRuns.map((r) => r.ours / r.ref),
  `(empty \`deno run\`: ${median(cliRuns.map((r) => r.empty)).toFixed(1)} ms)`,
);
