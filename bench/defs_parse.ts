// Parse throughput of lib/defs on a 20,000-task suite, compared with ecflow 5.9.2's
// Python binding (`ecflow.Defs(path)`) measured in the same run.
//
//   ../shared/jsr-offline/run deno run --allow-read --allow-write --allow-run --allow-sys bench/defs_parse.ts
//
// The suite has the shape of tests/fixtures/ecflow/tools/gen_big_def.py (20 families ×
// 10 sub-families × 100 tasks, an event per task, a meter and a label every 10th task,
// sub-family triggers, a limit and inlimits). It is generated here in TypeScript and, when
// that script and /usr/bin/python3 exist, checked to be byte-identical to its output.
// Two texts are timed: the .def file (indented, ~870 KB) and the NET text a server sends
// for it (no indentation, server variables, ~605 KB).
import { loadDefsText, parseDefs, printDefs } from "../lib/defs/mod.ts";
import { ECFLOW_FIXTURES } from "../tests/captures.ts";

const GEN = `${ECFLOW_FIXTURES}/tools/gen_big_def.py`;
const PYTHON = "/usr/bin/python3";

function generate(families = 20, subfamilies = 10, tasks = 100, suite = "big"): string {
  const out: string[] = [];
  const p2 = (n: number) => String(n).padStart(2, "0");
  const p3 = (n: number) => String(n).padStart(3, "0");
  out.push(
    `suite ${suite}`,
    "  edit ECF_JOB_CMD 'true'",
    "  edit SUITE_VAR 'big suite'",
    "  limit lim 50",
  );
  for (let f = 0; f < families; f++) {
    out.push(`  family f${p2(f)}`, `    edit FAM 'f${p2(f)}'`, `    inlimit /${suite}:lim`);
    for (let g = 0; g < subfamilies; g++) {
      out.push(`    family g${g}`);
      if (g > 0) out.push(`      trigger g${g - 1} == complete`);
      for (let t = 0; t < tasks; t++) {
        out.push(`      task t${p3(t)}`, "        event done");
        if (t % 10 === 0) {
          out.push(
            "        meter progress 0 100 100",
            `        label info "task ${t} of family f${p2(f)}/g${g}"`,
          );
        }
      }
      out.push("    endfamily");
    }
    out.push("  endfamily");
  }
  out.push("endsuite");
  return out.join("\n") + "\n";
}

async function exists(p: string): Promise<boolean> {
  try {
    await Deno.stat(p);
    return true;
  } catch {
    return false;
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Median and minimum of `runs` timed calls (after a warm-up), in ms. */
function timeIt(fn: () => void, runs: number, warmup = 5): { ms: number; min: number } {
  for (let i = 0; i < warmup; i++) fn();
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const a = performance.now();
    fn();
    t.push(performance.now() - a);
  }
  return { ms: median(t), min: Math.min(...t) };
}

const defText = generate();
const havePython = (await exists(PYTHON)) && (await exists(GEN));
if (havePython) {
  const out = await new Deno.Command(PYTHON, { args: [GEN], stdout: "piped" }).output();
  const py = new TextDecoder().decode(out.stdout);
  if (py !== defText) throw new Error("TS generator differs from gen_big_def.py");
}
const parsed = parseDefs(defText);
const netText = loadDefsText(parsed, { hostName: Deno.hostname() });
if (printDefs(parseDefs(netText), { style: "net" }) !== netText) {
  throw new Error("NET round trip failed");
}

const dir = await Deno.makeTempDir({ prefix: "defs-bench-" });
const defPath = `${dir}/big.def`;
const netPath = `${dir}/big.net`;
await Deno.writeTextFile(defPath, defText);
await Deno.writeTextFile(netPath, netText);

const RUNS = 21;
const results: { name: string; bytes: number; ms: number; min: number }[] = [];
results.push({
  name: "parse .def (indented)",
  bytes: defText.length,
  ...timeIt(() => parseDefs(defText), RUNS),
});
results.push({
  name: "parse NET text",
  bytes: netText.length,
  ...timeIt(() => parseDefs(netText), RUNS),
});
const netDefs = parseDefs(netText);
results.push({
  name: "print NET text",
  bytes: netText.length,
  ...timeIt(() => printDefs(netDefs, { style: "net" }), RUNS),
});

let py: Record<string, number> | undefined;
if (havePython) {
  const script = `
import ecflow, json, sys, time
def med(path, n=9):
    ecflow.Defs(path)
    t = []
    for _ in range(n):
        a = time.perf_counter(); ecflow.Defs(path); t.append((time.perf_counter() - a) * 1000)
    t.sort(); return t[len(t)//2]
print(json.dumps({"def": med(sys.argv[1]), "net": med(sys.argv[2])}))
`;
  const out = await new Deno.Command(PYTHON, {
    args: ["-c", script, defPath, netPath],
    stdout: "piped",
    stderr: "null",
  }).output();
  if (out.success) py = JSON.parse(new TextDecoder().decode(out.stdout));
}
await Deno.remove(dir, { recursive: true });

const tasks = [...parsed.tasks()].length;
console.log(
  `defs parse benchmark: ${tasks} tasks, median of ${RUNS} runs (Deno ${Deno.version.deno})`,
);
console.log("");
console.log(
  "| measurement | bytes | median ms | min ms | MB/s (median) | python ecflow.Defs ms | python / ts |",
);
console.log("|---|---:|---:|---:|---:|---:|---:|");
for (const r of results) {
  const mbs = r.bytes / 1e6 / (r.ms / 1000);
  const pyMs = py === undefined
    ? undefined
    : r.name.startsWith("parse .def")
    ? py.def
    : r.name.startsWith("parse NET")
    ? py.net
    : undefined;
  console.log(
    `| ${r.name} | ${r.bytes} | ${r.ms.toFixed(2)} | ${r.min.toFixed(2)} | ${mbs.toFixed(1)} | ${
      pyMs?.toFixed(2) ?? "-"
    } | ${pyMs === undefined ? "-" : (pyMs / r.ms).toFixed(2)} |`,
  );
}
if (!py) console.log("\n(python ecflow not available: no comparison)");
