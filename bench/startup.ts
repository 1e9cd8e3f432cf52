// Start-up: the whole-process cost of one CLI call as a job makes it (--ping, --label,
// --complete), as a ratio to the floor, an empty script run by `deno run` with the same flags,
// and to ecflow_client, all measured in the same run on a private real ecflow_server.
//
// Each round runs every variant once, in a fresh random order; a ratio is the median over the
// rounds of (variant / floor in the same round), so the load other processes put on the machine
// cancels out as far as it can. The machine is shared: run it twice and compare.
//
// ecflow-ts runs from its sources (cli.ts), through the README's job-script wrapper, and from
// the bundle `deno task compile --bundle` builds (built here into the server's ECF_HOME).
//
// Run: ../shared/jsr-offline/run deno run -A bench/startup.ts [--rounds=40] [--generation=5.9|5.17]
//      [--flags="..."]  (other deno run flags in place of the wrapper's, to compare)
import { parseArgs } from "../lib/deps.ts";
import { ecflowPrograms, type Generation } from "../tests/harness/server.ts";
import { jobEnv, median, startJobServer } from "./stats.ts";
import {
  bundleArgs,
  WRAPPER_PERMISSIONS,
  WRAPPER_RUN_FLAGS,
  wrapperScript,
} from "../tools/compile.ts";

const args = parseArgs(Deno.args, { string: ["rounds", "generation", "flags"] });
const ROUNDS = Number(args.rounds ?? 40);
const GENERATION = (args.generation ?? "5.9") as Generation;
const FLAGS = args.flags === undefined
  ? [...WRAPPER_RUN_FLAGS]
  : args.flags.split(/\s+/).filter(Boolean);
const programs = ecflowPrograms(GENERATION);
const dec = new TextDecoder();

const jobServer = await startJobServer(GENERATION);
await using server = jobServer.server;
const { ref } = jobServer;
const home = server.home;
const port = server.port;

const emptyScript = `${home}/empty.ts`;
await Deno.writeTextFile(emptyScript, "");
const cli = new URL("../cli.ts", import.meta.url).pathname;
const deno = Deno.execPath();
// the CLI as `deno task compile --bundle` builds it
const bundled = await new Deno.Command(deno, { args: bundleArgs(`${home}/bundle`) }).output();
if (!bundled.success) throw new Error(`deno bundle: ${dec.decode(bundled.stderr)}`);
const bundle = `${home}/bundle/cli.js`;
// the README's job-script wrapper (sh, mkfifo, then deno run)
const wrapper = `${home}/ecflow_client`;
await Deno.writeTextFile(wrapper, wrapperScript(cli, deno));
await Deno.chmod(wrapper, 0o755);
const perms = WRAPPER_PERMISSIONS.map((p) =>
  p.startsWith("--allow-net") ? `--allow-net=127.0.0.1:${port}` : p
);
const noIdentity = perms.filter((p) =>
  !p.startsWith("--allow-sys") && !p.startsWith("--allow-read")
);

const env = jobEnv(port);

interface Variant {
  name: string;
  cmd: string[];
  before?: () => Promise<void>;
}
const requeue = () => ref("--requeue", "/x/t");
const ts = (p: string[], a: string[], entry = cli) => [
  deno,
  "run",
  ...FLAGS,
  "--no-lock",
  ...p,
  entry,
  ...a,
];
const VARIANTS: Variant[] = [
  { name: "floor: empty script", cmd: [deno, "run", ...FLAGS, "--no-lock", emptyScript] },
  { name: "floor, no V8 flags", cmd: [deno, "run", "--quiet", "--no-lock", emptyScript] },
  { name: "--ping ecflow-ts", cmd: ts(perms, ["--ping"]) },
  { name: "--ping ecflow-ts, no identity flags", cmd: ts(noIdentity, ["--ping"]) },
  { name: "--ping ecflow-ts bundle", cmd: ts(perms, ["--ping"], bundle) },
  { name: "--ping ecflow_client", cmd: [programs.client, "--ping"] },
  { name: "--label ecflow-ts", cmd: ts(perms, ["--label=l", "start", "up"]) },
  { name: "--label ecflow-ts wrapper", cmd: [wrapper, "--label=l", "start", "up"] },
  { name: "--label ecflow-ts bundle", cmd: ts(perms, ["--label=l", "start", "up"], bundle) },
  { name: "--label ecflow_client", cmd: [programs.client, "--label=l", "start", "up"] },
  { name: "--complete ecflow-ts", cmd: ts(perms, ["--complete"]), before: requeue },
  {
    name: "--complete ecflow-ts bundle",
    cmd: ts(perms, ["--complete"], bundle),
    before: requeue,
  },
  { name: "--complete ecflow_client", cmd: [programs.client, "--complete"], before: requeue },
];

async function once(v: Variant): Promise<number> {
  await v.before?.();
  const t0 = performance.now();
  const out = await new Deno.Command(v.cmd[0], {
    args: v.cmd.slice(1),
    env,
    clearEnv: true,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).output();
  const ms = performance.now() - t0;
  if (!out.success) throw new Error(`${v.cmd.join(" ")}: ${dec.decode(out.stderr)}`);
  return ms;
}

for (const v of VARIANTS) await once(v); // module caches warm
const times = new Map<string, number[]>(VARIANTS.map((v) => [v.name, []]));
const toFloor = new Map<string, number[]>(VARIANTS.map((v) => [v.name, []]));
for (let r = 0; r < ROUNDS; r++) {
  const order = [...VARIANTS].sort(() => Math.random() - 0.5);
  const round = new Map<string, number>();
  for (const v of order) round.set(v.name, await once(v));
  const floor = round.get(VARIANTS[0].name)!;
  for (const [name, ms] of round) {
    times.get(name)!.push(ms);
    toFloor.get(name)!.push(ms / floor);
  }
}

console.log(
  `ecflow_server ${GENERATION}; ${ROUNDS} rounds; ${navigator.hardwareConcurrency} cores, load ${
    Deno.loadavg().map((x) => x.toFixed(2)).join(" ")
  }`,
);
console.log(`deno run flags: ${FLAGS.join(" ")}; permissions: ${perms.join(" ")}\n`);
console.log("what                                  median ms   / floor   / ecflow_client");
for (const v of VARIANTS) {
  const cmd = v.name.split(" ")[0];
  const refName = `${cmd} ecflow_client`;
  const vsRef = v.name.includes("ecflow-ts") && times.has(refName)
    ? `${(median(times.get(v.name)!) / median(times.get(refName)!)).toFixed(2)}x`
    : "";
  console.log(
    `${v.name.padEnd(37)} ${median(times.get(v.name)!).toFixed(1).padStart(8)}   ${
      median(toFloor.get(v.name)!).toFixed(2).padStart(6)
    }x   ${vsRef.padStart(8)}`,
  );
}
