// A 100,000-line password file (ECF_PASSWD): `--ping` through it, ecflow-ts against
// ecflow_client in the same run on a private real 5.9.2 server (whole processes, paired
// A B A B …, medians and the median ratio), with the floor beside them (an empty `deno run`);
// and, in-process, how reading the file scales from 10,000 to 100,000 lines (10× the lines: a
// linear reader takes about 10× the time; a duplicate check that scans every earlier entry took
// 100×). No thresholds.
// Run: ../shared/jsr-offline/run deno run -A bench/passwd_file.ts [--runs=1]
import { parseArgs } from "../lib/deps.ts";
import { parsePasswdFile } from "../lib/auth/passwd_file.ts";
import { CLIENT_BIN, startServer } from "../tests/harness/server.ts";

const args = parseArgs(Deno.args, { string: ["runs"] });
const RUNS = Number(args.runs ?? 1); // ecflow_client needs minutes per run on this file
const USER = Deno.env.get("USER") ?? "root";

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** `count` entries for other users, then none for this one (the server wants no password). */
function passwdText(count: number, port: number): string {
  const lines = ["4.5.0 # version"];
  for (let i = 0; i < count; i++) lines.push(`user${i} localhost ${port} secret${i}`);
  return lines.join("\n") + "\n";
}

await using server = await startServer({ halted: true });
const dir = await Deno.makeTempDir({ prefix: "ecflow-ts-bench." });
const file = `${dir}/passwd`;
await Deno.writeTextFile(file, passwdText(100_000, server.port));
const empty = `${dir}/empty.ts`;
await Deno.writeTextFile(empty, "");
const cli = new URL("../cli.ts", import.meta.url).pathname;
const env = { ECF_PASSWD: file, ECF_HOST: "127.0.0.1", ECF_PORT: String(server.port), USER };

async function wall(cmd: string, cmdArgs: string[]): Promise<number> {
  const t0 = performance.now();
  const out = await new Deno.Command(cmd, { args: cmdArgs, env, stdout: "piped", stderr: "piped" })
    .output();
  const ms = performance.now() - t0;
  if (!out.success) {
    throw new Error(`${cmd} ${cmdArgs.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
  }
  return ms;
}

const deno = (a: string[]) => wall(Deno.execPath(), ["run", "--quiet", "--no-lock", ...a]);
const ours = () => deno(["--allow-net", "--allow-env", `--allow-read=${dir}`, cli, "--ping"]);
const ref = () => wall(CLIENT_BIN, ["--ping"]);

await ours(); // warm-up
const r: number[] = [], o: number[] = [], ratios: number[] = [], f: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const x = await ref();
  const y = await ours();
  f.push(await deno([empty]));
  r.push(x);
  o.push(y);
  ratios.push(y / x);
}
console.log(`ECF_PASSWD bench: 100,000-line password file, --ping, ${RUNS} paired runs (noisy)`);
console.log(
  `ecflow_client ${median(r).toFixed(1)} ms, ecflow-ts ${median(o).toFixed(1)} ms, ratio ` +
    `${median(ratios).toFixed(2)}; empty deno run ${median(f).toFixed(1)} ms`,
);

const parseMs = (count: number) => {
  const text = passwdText(count, 3141);
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    parsePasswdFile(text, "bench");
    times.push(performance.now() - t0);
  }
  return median(times);
};
const small = parseMs(10_000), large = parseMs(100_000);
console.log(
  `in-process: 10,000 lines ${small.toFixed(1)} ms, 100,000 lines ${large.toFixed(1)} ms: ` +
    `${(large / small).toFixed(1)}× the time for 10× the lines`,
);
await Deno.remove(dir, { recursive: true });
