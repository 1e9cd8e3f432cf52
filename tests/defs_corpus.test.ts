// ecFlow's own parser test corpus (tests/fixtures/ecflow/defs-corpus): every good file parses
// and prints exactly what ecflow 5.9.2's Python binding prints; every bad file is rejected
// (by the parser or by checkDefs) with a located message; parse → print → parse keeps the tree.
//
// The expected DEFS text is produced at test time by Debian's ecflow 5.9.2 Python module:
//   /usr/bin/python3 -c "import ecflow; print(ecflow.Defs(PATH))"
// (one python process for all files; `str()` is used so that print's newline is not added).
import { assert, assertEquals, assertInstanceOf, fail } from "./deps.ts";
import {
  checkDefsText,
  defaultServerVariables,
  type Defs,
  DefsParseError,
  formatIssue,
  type Node,
  parseDefs,
  parseNode,
  printDefs,
  printNode,
  stateExtras,
} from "../lib/defs/mod.ts";

const CORPUS = new URL("./fixtures/ecflow/defs-corpus/", import.meta.url);
const CORPUS_PATH = decodeURIComponent(CORPUS.pathname);

/**
 * Good files ecflow 5.9.2 cannot read, and why. They are still parsed, printed and
 * round-tripped here; their expected text comes from the file itself (see below).
 */
const NOT_READABLE_BY_5_9_2: Record<string, string> = {
  "good_defs/aviso/aviso.def": "`aviso` attributes exist since ecFlow 5.13",
  "good_defs/mirror/mirror.def": "`mirror` attributes exist since ecFlow 5.13",
  "good_defs/repeat/repeat_datetime.def": "`repeat datetime` exists since ecFlow 5.14",
  "good_node_defs/family/family.def": "a single family (SNodeCmd text), not a whole definition",
  "good_node_defs/task/task.def": "a single task (SNodeCmd text), not a whole definition",
};

/**
 * Bad files that ecflow 5.9.2 only warns about (its check_only exits 0); checkDefs reports
 * them as warnings: an inlimit whose limit cannot be found.
 */
const WARNING_ONLY = new Set([
  "bad_defs/inlimit/limit_check.def",
  "bad_defs/inlimit/limit_check2.def",
  "bad_defs/inlimit/limit_check3.def",
  "bad_defs/inlimit/limit_check4.def",
]);

function files(dir: string): string[] {
  const out: string[] = [];
  for (const e of Deno.readDirSync(new URL(dir + "/", CORPUS))) {
    const p = dir + "/" + e.name;
    if (e.isDirectory) out.push(...files(p));
    else out.push(p);
  }
  return out.sort();
}

const GOOD = [
  ...files("good_defs"),
  ...files("good_defs_state"),
  ...files("good_node_defs"),
  ...files("single_defs"),
];
const BAD = files("bad_defs");

interface Oracle {
  ok: boolean;
  /** DEFS style print (or the error message). */
  text: string;
  /** STATE style print. */
  state?: string;
  /** Externs after `auto_add_externs(True)`. */
  externs?: string[];
}

/** Runs ecflow 5.9.2's Python binding once over all files. */
async function pythonOracle(paths: string[]): Promise<Record<string, Oracle>> {
  const script = `
import ecflow, json, socket, sys
out = {"": {"ok": True, "text": socket.gethostname()}}
for p in json.load(sys.stdin):
    try:
        d = ecflow.Defs(sys.argv[1] + p)
        ecflow.PrintStyle.set_style(ecflow.Style.DEFS)
        text = str(d)
        ecflow.PrintStyle.set_style(ecflow.Style.STATE)
        state = str(d)
        d.auto_add_externs(True)  # what ecflow_client --get does before printing
        ecflow.PrintStyle.set_style(ecflow.Style.DEFS)
        ext = [l[7:] for l in str(d).split("\\n") if l.startswith("extern ")]
        out[p] = {"ok": True, "text": text, "state": state, "externs": ext}
    except Exception as e:
        out[p] = {"ok": False, "text": str(e)}
sys.stdout.write(json.dumps(out))
`;
  const cmd = new Deno.Command("/usr/bin/python3", {
    args: ["-c", script, CORPUS_PATH],
    stdin: "piped",
    stdout: "piped",
    stderr: "null", // 5.9.2 prints warnings (duplicate variables, inlimit values) on stderr
  });
  const child = cmd.spawn();
  const w = child.stdin.getWriter();
  await w.write(new TextEncoder().encode(JSON.stringify(paths)));
  await w.close();
  const out = await child.output();
  assert(out.success, "python3 ecflow oracle failed");
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

const oracle = await pythonOracle(GOOD);

function read(p: string): string {
  return Deno.readTextFileSync(new URL(p, CORPUS));
}

/**
 * A plain, comparable picture of a node tree (no parent links, no source positions;
 * absent and empty lists are the same).
 */
function tree(n: Node): unknown {
  const o: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(n)) {
    const k = key.startsWith("_") ? key.slice(1) : key;
    if (k === "parent" || k === "defs" || k === "line") continue;
    if (v === undefined || (Array.isArray(v) && v.length === 0)) continue;
    if (k === "nodes" || k === "aliases") o[k] = (v as Node[]).map(tree);
    else if (k === "trigger" || k === "complete") {
      o[k] = {
        free: v.free,
        parts: v.parts.map((p: { type: string; text: string }) => [p.type, p.text]),
      };
    } else o[k] = v;
  }
  return o;
}

function defsTree(d: Defs): unknown {
  return {
    suites: d.suites.map(tree),
    externs: d.externs,
    userVariables: d.userVariables,
    serverVariables: d.serverVariables,
    history: d.history,
    state: d.state,
    flags: d.flags,
  };
}

Deno.test("corpus: the list of files 5.9.2 cannot read is exactly what the oracle reports", () => {
  const unreadable = GOOD.filter((p) => !oracle[p].ok).sort();
  assertEquals(Object.keys(oracle).length, GOOD.length + 1);
  assertEquals(unreadable, Object.keys(NOT_READABLE_BY_5_9_2).sort());
});

for (const p of GOOD) {
  if (p in NOT_READABLE_BY_5_9_2) continue;
  Deno.test(`corpus ${p}: printDefs equals ecflow 5.9.2's print (DEFS and STATE styles)`, () => {
    const defs = parseDefs(read(p), { fileName: p });
    assertEquals(printDefs(defs, { style: "defs" }), oracle[p].text);
    // a Defs made by ecFlow always holds the default server variables (named after the host)
    if (defs.serverVariables.length === 0) {
      defs.serverVariables = defaultServerVariables({ hostName: oracle[""].text });
    }
    assertEquals(
      printDefs(defs, { style: "state", stateExtras: stateExtras(defs) }),
      oracle[p].state,
    );
  });
}

for (const p of GOOD) {
  if (p.startsWith("good_node_defs/") && p !== "good_node_defs/suite/suite.def") continue;
  Deno.test(`corpus ${p}: parse → print → parse keeps the tree (defs, migrate, state styles)`, () => {
    const defs = parseDefs(read(p), { fileName: p });
    const state = printDefs(defs, { style: "state", stateExtras: stateExtras(defs) });
    const fromState = parseDefs(state, { fileName: p + " (state)" });
    assertEquals(
      printDefs(fromState, { style: "state", stateExtras: stateExtras(fromState) }),
      state,
    );
    for (const style of ["defs", "migrate"] as const) {
      const text = printDefs(defs, { style });
      const again = parseDefs(text, { fileName: p + " (" + style + ")" });
      assertEquals(printDefs(again, { style }), text);
      if (style === "migrate") {
        // externs are never written in NET/MIGRATE text
        assertEquals({ ...defsTree(again) as object, externs: [] }, {
          ...defsTree(defs) as object,
          externs: [],
        });
      } else {
        const stateless = parseDefs(printDefs(defs, { style: "defs" }));
        assertEquals(defsTree(again), defsTree(stateless));
      }
    }
  });
}

Deno.test("corpus: HEAD-only files are refused by checkDefs for a 5.9.2 server, like ecflow_client", () => {
  for (const p of Object.keys(NOT_READABLE_BY_5_9_2).filter((x) => x.startsWith("good_defs/"))) {
    assertEquals(checkDefsText(read(p), { fileName: p }).errors, []);
    const r = checkDefsText(read(p), { fileName: p, serverVersion: "5.9.2" });
    assert(r.errors.length > 0, p);
    assert(r.errors[0].message.includes("needs an ecFlow 5.1"), r.errors[0].message);
  }
});

Deno.test("corpus: HEAD-only files print in HEAD's normalised form", () => {
  const av = printDefs(parseDefs(read("good_defs/aviso/aviso.def")));
  assert(
    av.includes(
      `      aviso --name E --listener '{ "event": "dissemination", "request": { "destination": "COM" } }' --polling 20 --revision 0\n`,
    ),
  );
  const mi = printDefs(parseDefs(read("good_defs/mirror/mirror.def")));
  assert(mi.includes("      mirror --name operationsX --remote_path /s1/f1/t1 --ssl\n"));
  assert(
    mi.includes("      mirror --name operationsY --remote_path /s1/f1/t2 --polling 20 --ssl\n"),
  );
  const rd = printDefs(parseDefs(read("good_defs/repeat/repeat_datetime.def")));
  assertEquals(
    rd.split("\n").filter((l) => l.includes("repeat datetime")),
    [
      "    repeat datetime timestamp 20000101T000000 20000105T000000 24:00:00",
      "    repeat datetime timestamp 20000101T000000 20000105T000000 12:00:00",
      "    repeat datetime timestamp 20000101T000000 20000105T000000 12:00:00",
      "    repeat datetime timestamp 20000101T000000 20000105T000000 12:00:00",
    ],
  );
});

for (const p of ["good_node_defs/family/family.def", "good_node_defs/task/task.def"]) {
  Deno.test(`corpus ${p}: node text parses with parseNode and round-trips`, () => {
    const node = parseNode(read(p), { fileName: p });
    const text = printNode(node, { style: "net", indent: false });
    assertEquals(printNode(parseNode(text), { style: "net", indent: false }), text);
    assertEquals(tree(parseNode(text)), tree(node));
    assertEquals(node.kind, p.includes("family") ? "family" : "task");
    assertEquals(node.state, "queued");
  });
}

for (const p of BAD) {
  Deno.test(`corpus ${p}: rejected with a located message`, () => {
    const r = checkDefsText(read(p), { fileName: p });
    const issues = WARNING_ONLY.has(p) ? r.warnings : r.errors;
    if (issues.length === 0) fail(`${p} accepted`);
    const first = issues[0];
    assertEquals(first.fileName, p);
    assert(first.line >= 1 && first.column >= 1);
    assert(first.message.length > 10);
    assert(formatIssue(first).startsWith(`${p}:${first.line}:${first.column}: `));
    if (!WARNING_ONLY.has(p)) assertEquals(r.warnings.filter((w) => w.severity !== "warning"), []);
  });
}

Deno.test("corpus: structural errors throw DefsParseError with line, column and token", () => {
  const p = "bad_defs/meter/meter.def";
  try {
    parseDefs(read(p), { fileName: p });
    fail("accepted");
  } catch (e) {
    assertInstanceOf(e, DefsParseError);
    assertEquals(e.fileName, p);
    assertEquals(e.line, 4);
    assertEquals(e.token, "200");
    assert(e.message.startsWith(`${p}:4:${e.column}: `));
    assert(e.message.endsWith("(token '200')"));
  }
});
