// Parse throughput of lib/defs at 2,000 / 20,000 / 200,000 tasks, compared with ecflow 5.9.2's
// Python binding (`ecflow.Defs(path)`) measured in the same run.
//
//   ../shared/jsr-offline/run deno run --allow-read --allow-write --allow-run --allow-sys \
//     bench/defs_parse.ts [--sizes=2000,20000,200000]
//
// The suites have the shape of tests/fixtures/ecflow/tools/gen_big_def.py (families ×
// 10 sub-families × 100 tasks, an event per task, a meter and a label every 10th task,
// sub-family triggers, a limit and inlimits). They are generated here in TypeScript and, when
// that script and /usr/bin/python3 exist, checked to be byte-identical to its output.
// Two texts are timed: the .def file (indented; ~870 KB at 20,000 tasks) and the NET text a
// server sends for it (no indentation, server variables; ~605 KB).
import { parseArgs } from "../lib/deps.ts";
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

const args = parseArgs(Deno.args, { string: ["sizes"] });
const SIZES = (args.sizes ?? "2000,20000,200000").split(",").map(Number);
const havePython = (await exists(PYTHON)) && (await exists(GEN));
const dir = await Deno.makeTempDir({ prefix: "defs-bench-" });

interface Result {
  tasks: number;
  name: string;
  bytes: number;
  ms: number;
  min: number;
  py?: number;
}
const results: Result[] = [];
for (const tasks of SIZES) {
  const families = tasks / 1000;
  const defText = generate(families);
  if (havePython) {
    const out = await new Deno.Command(PYTHON, {
      args: [GEN, `--families=${families}`],
      stdout: "piped",
    }).output();
    const py = new TextDecoder().decode(out.stdout);
    if (py !== defText) throw new Error("TS generator differs from gen_big_def.py");
  }
  const parsed = parseDefs(defText);
  const netText = loadDefsText(parsed, { hostName: Deno.hostname() });
  if (printDefs(parseDefs(netText), { style: "net" }) !== netText) {
    throw new Error("NET round trip failed");
  }
  const defPath = `${dir}/big_${tasks}.def`;
  const netPath = `${dir}/big_${tasks}.net`;
  await Deno.writeTextFile(defPath, defText);
  await Deno.writeTextFile(netPath, netText);

  const runs = tasks > 50_000 ? 7 : 21;
  let py: Record<string, number> | undefined;
  if (havePython) {
    const script = `
import ecflow, json, sys, time
def med(path, n=${tasks > 50_000 ? 5 : 9}):
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
  results.push({
    tasks,
    name: "parse .def (indented)",
    bytes: defText.length,
    ...timeIt(() => parseDefs(defText), runs),
    py: py?.def,
  });
  results.push({
    tasks,
    name: "parse NET text",
    bytes: netText.length,
    ...timeIt(() => parseDefs(netText), runs),
    py: py?.net,
  });
  const netDefs = parseDefs(netText);
  results.push({
    tasks,
    name: "print NET text",
    bytes: netText.length,
    ...timeIt(() => printDefs(netDefs, { style: "net" }), runs),
  });
}
await Deno.remove(dir, { recursive: true });

console.log(
  `defs parse benchmark: median of 21 runs (7 above 50,000 tasks) (Deno ${Deno.version.deno})`,
);
console.log("");
console.log(
  "| tasks | measurement | bytes | median ms | min ms | MB/s (median) | python ecflow.Defs ms | ts / python |",
);
console.log("|---:|---|---:|---:|---:|---:|---:|---:|");
for (const r of results) {
  const mbs = r.bytes / 1e6 / (r.ms / 1000);
  console.log(
    `| ${r.tasks.toLocaleString("en-US")} | ${r.name} | ${r.bytes} | ${r.ms.toFixed(2)} | ${
      r.min.toFixed(2)
    } | ${mbs.toFixed(1)} | ${r.py?.toFixed(2) ?? "-"} | ${
      r.py === undefined ? "-" : (r.ms / r.py).toFixed(2)
    } |`,
  );
}
if (!havePython) console.log("\n(python ecflow not available: no comparison)");
