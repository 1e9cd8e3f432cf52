// `--load=<file> check_only` on generated definitions, ecflow-ts against ecflow_client in the
// same run (whole processes, paired A B A B …, medians and the median ratio), with the floor
// beside them (an empty `deno run`):
//   million.def  1,000,000 lines: 100,000 `edit` lines on the suite, then families of 30 tasks,
//                each with an edit, an event, a meter, a label and a trigger on its sibling
//   edits.def    100,000 `edit` lines on one task (a linear scan per line made this quadratic)
// and, in-process, how parsing and checking scale from 10,000 to 100,000 `edit` lines (10× the
// lines: a linear parser takes about 10× the time, a quadratic one 100×). No thresholds.
// Run: ../shared/jsr-offline/run deno run -A bench/check_only.ts [--runs=3]
import { parseArgs } from "../lib/deps.ts";
import { checkDefsText } from "../lib/defs/mod.ts";
import { CLIENT_BIN } from "../tests/harness/server.ts";

const args = parseArgs(Deno.args, { string: ["runs"] });
const RUNS = Number(args.runs ?? 3);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** The million-line definition. */
function millionLines(): string {
  const lines = ["suite big", "  limit l 10"];
  for (let i = 0; i < 100_000; i++) lines.push(`  edit V${i} 'value ${i}'`);
  for (let k = 0; lines.length < 1_000_000 - 1; k++) {
    lines.push(`  family f${k}`, `    edit FV '${k}'`, "    inlimit /big:l");
    for (let j = 0; j < 30; j++) {
      lines.push(`    task t${j}`, `      edit TV '${j}'`, "      event e");
      lines.push("      meter m 0 100 50", '      label lab "text"');
      if (j > 0) lines.push(`      trigger t${j - 1} == complete and t${j - 1}:e`);
    }
    lines.push("  endfamily");
  }
  lines.push("endsuite");
  return lines.join("\n") + "\n";
}

/** `count` edit lines on one task. */
function editLines(count: number): string {
  const lines = ["suite s", "  task t"];
  for (let i = 0; i < count; i++) lines.push(`    edit V${i} 'v${i}'`);
  lines.push("endsuite");
  return lines.join("\n") + "\n";
}

const dir = await Deno.makeTempDir({ prefix: "ecflow-ts-bench." });
const cli = new URL("../cli.ts", import.meta.url).pathname;
const empty = `${dir}/empty.ts`;
await Deno.writeTextFile(empty, "");
const files = { "million.def": millionLines(), "edits.def": editLines(100_000) };
for (const [name, text] of Object.entries(files)) await Deno.writeTextFile(`${dir}/${name}`, text);

async function wall(cmd: string, cmdArgs: string[]): Promise<number> {
  const t0 = performance.now();
  const out = await new Deno.Command(cmd, { args: cmdArgs, stdout: "piped", stderr: "piped" })
    .output();
  const ms = performance.now() - t0;
  if (!out.success) {
    throw new Error(`${cmd} ${cmdArgs.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
  }
  return ms;
}

const deno = (a: string[]) =>
  wall(Deno.execPath(), ["run", "--quiet", "--no-lock", `--allow-read=${dir}`, ...a]);
const floor = () => deno([empty]);
const ref = (file: string) => wall(CLIENT_BIN, [`--load=${dir}/${file}`, "check_only"]);
const ours = (file: string) =>
  deno(["--allow-env", "--allow-net", cli, `--load=${dir}/${file}`, "check_only"]);

console.log(`check_only bench: ${RUNS} paired runs per file (machine load makes these noisy)`);
console.log(
  "file".padEnd(14) + "lines".padStart(10) + "ecflow_client ms".padStart(18) +
    "ecflow-ts ms".padStart(14) + "ratio".padStart(8) + "empty deno run ms".padStart(19),
);
for (const [name, text] of Object.entries(files)) {
  await ours(name); // warm-up: module cache, page cache
  const r: number[] = [], o: number[] = [], ratios: number[] = [], f: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const x = await ref(name);
    const y = await ours(name);
    f.push(await floor());
    r.push(x);
    o.push(y);
    ratios.push(y / x);
  }
  const lines = text.split("\n").length - 1;
  console.log(
    name.padEnd(14) + String(lines).padStart(10) + median(r).toFixed(0).padStart(18) +
      median(o).toFixed(0).padStart(14) + median(ratios).toFixed(2).padStart(8) +
      median(f).toFixed(0).padStart(19),
  );
}

// in-process scaling of parse + check with the number of edit lines on one node
const checkMs = (count: number) => {
  const text = editLines(count);
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    const result = checkDefsText(text);
    times.push(performance.now() - t0);
    if (result.errors.length > 0) throw new Error(result.errors[0].message);
  }
  return median(times);
};
const small = checkMs(10_000), large = checkMs(100_000);
console.log(
  `in-process parse+check: 10,000 edit lines ${small.toFixed(1)} ms, 100,000 edit lines ` +
    `${large.toFixed(1)} ms: ${(large / small).toFixed(1)}× the time for 10× the lines`,
);
await Deno.remove(dir, { recursive: true });
