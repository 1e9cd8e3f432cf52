// Definition texts captured from a real ecflow 5.9.2 server (tests/fixtures/ecflow/captures):
// parse them, print them back, and compare with what the server sent and with what
// ecflow_client printed.
import { assert, assertEquals } from "./deps.ts";
import {
  autoExterns,
  checkDefs,
  checkDefsText,
  defaultServerVariables,
  Defs,
  loadDefsText,
  parseDefs,
  parseNode,
  printDefs,
  printNode,
  stateExtras,
  type Suite,
  type Task,
} from "../lib/defs/mod.ts";

const SHARED = new URL("./fixtures/ecflow/", import.meta.url);

/** The first string member named `key` anywhere in a capture's JSON file. */
function captured(name: string, file: string, key: string): string {
  const json = JSON.parse(Deno.readTextFileSync(new URL(`captures/${name}/${file}`, SHARED)));
  let found: string | undefined;
  const walk = (o: unknown): void => {
    if (found !== undefined || o === null || typeof o !== "object") return;
    for (const [k, v] of Object.entries(o)) {
      if (k === key && typeof v === "string") {
        found = v;
        return;
      }
      walk(v);
    }
  };
  walk(json);
  if (found === undefined) throw new Error(`${name}/${file}: no ${key}`);
  return found;
}

/**
 * What ecflow_client wrote on stdout. The capture tool writes stdout followed by "\n" and
 * the stderr header (tools/capture.py), so exactly one trailing "\n" is removed.
 */
function stdout(name: string): string {
  const t = Deno.readTextFileSync(new URL(`captures/${name}/client.txt`, SHARED));
  const a = t.indexOf("# ---- stdout ----\n") + "# ---- stdout ----\n".length;
  const b = t.indexOf("\n# ---- stderr ----\n");
  return t.slice(a, b);
}

const WHOLE_DEFS: [string, string, string][] = [
  ["05-get-empty", "response.json", "value1"],
  ["10-load", "request.json", "defs_"],
  ["11-get-after-load", "response.json", "value1"],
  ["16-get-after-begin", "response.json", "value1"],
  ["19-sync_full", "response.json", "value1"],
  ["20-sync", "response.json", "value1"],
  ["21-py-get_defs", "response.json", "value1"],
  ["22-py-sync_local-incremental", "response.json", "value1"],
  ["23-py-ch_register-sync", "response.2.json", "server_defs_"],
  ["56-why", "response.json", "value1"],
  ["63-replace", "request.json", "clientDefs_"],
];

for (const [name, file, key] of WHOLE_DEFS) {
  Deno.test(`captures/${name}: NET text round-trips byte for byte`, () => {
    const net = captured(name, file, key);
    const defs = parseDefs(net, { fileName: name });
    assertEquals(defs.style, "NET");
    assertEquals(printDefs(defs, { style: "net" }), net);
  });
}

for (const name of ["05-get-empty", "11-get-after-load", "16-get-after-begin"]) {
  Deno.test(`captures/${name}: --get output equals printDefs(defs)`, () => {
    const defs = parseDefs(captured(name, "response.json", "value1"));
    assertEquals(printDefs(defs, { style: "defs" }), stdout(name));
  });
}

Deno.test("captures/12-get-node: SNodeCmd text round-trips; --get=/lab/f1 output", () => {
  const text = captured("12-get-node", "response.json", "the_node_str_");
  const node = parseNode(text);
  assertEquals(node.kind, "family");
  assertEquals(node.name, "f1");
  // 5.9.2 indents a node by its depth; the family was at depth 1
  assertEquals(printNode(node, { style: "net", level: 1 }), text);
  // ecflow_client prints Node::print() and then "\n"
  assertEquals(printNode(node, { style: "defs", level: 1 }) + "\n", stdout("12-get-node"));
});

for (const name of ["15-get_state", "57-group-get-show", "83-get-halted"]) {
  Deno.test(`captures/${name}: SNodeCmd suite text round-trips`, () => {
    const text = captured(name, "response.json", "the_node_str_");
    const node = parseNode(text);
    assertEquals(node.kind, "suite");
    assertEquals(printNode(node, { style: "net" }), text);
  });
}

Deno.test("captures/83-get-halted: --get=/lab2 output (suite wrapped in a defs)", () => {
  const suite = parseNode(captured("83-get-halted", "response.json", "the_node_str_")) as Suite;
  const defs = new Defs();
  defs.addSuite(suite);
  assertEquals(printDefs(defs, { style: "defs" }), stdout("83-get-halted"));
});

Deno.test("captures/15-get_state: --get_state=/lab output (STATE style, trees, generated variables)", () => {
  const suite = parseNode(captured("15-get_state", "response.json", "the_node_str_")) as Suite;
  // ecflow_client wraps the suite in a new definition that has the client's default server
  // variables (capture machine "vm")
  const defs = new Defs();
  defs.addSuite(suite);
  defs.serverVariables = defaultServerVariables({ hostName: "vm" });
  assertEquals(
    printDefs(defs, { style: "state", stateExtras: stateExtras(defs) }),
    stdout("15-get_state"),
  );
});

Deno.test("captures/15-get_state: the STATE text itself parses back to the same print", () => {
  const text = stdout("15-get_state");
  const defs = parseDefs(text);
  assertEquals(defs.style, "STATE");
  assertEquals(printDefs(defs, { style: "state", stateExtras: stateExtras(defs) }), text);
});

Deno.test("captures/57-group-get-show: 'show state' of a detached suite", () => {
  const node = parseNode(captured("57-group-get-show", "response.json", "the_node_str_"));
  assertEquals(
    printNode(node, { style: "state", stateExtras: stateExtras() }) + "\n",
    stdout("57-group-get-show"),
  );
});

Deno.test("captures/10-load: loadDefsText(lab.def) equals ecflow_client's LoadDefsCmd text", () => {
  const file = new URL("fixtures/lab.def", SHARED);
  const defs = parseDefs(Deno.readTextFileSync(file), { fileName: "lab.def" });
  assertEquals(
    loadDefsText(defs, { hostName: "vm" }),
    captured("10-load", "request.json", "defs_"),
  );
});

Deno.test("captures/56-why: runtime state is parsed into the model", () => {
  const defs = parseDefs(captured("56-why", "response.json", "value1"));
  assertEquals(defs.state, "submitted");
  assertEquals(defs.flags, ["message"]);
  assertEquals(defs.stateChange, 131);
  assertEquals(defs.modifyChange, 8);
  assertEquals(defs.serverState, "RUNNING");
  assertEquals(defs.serverVariables.find((v) => v.name === "ECF_PORT")?.value, "31511");
  const lab = defs.suite("lab")!;
  assert(lab.begun);
  assertEquals(lab.stateDuration, "00:00:11");
  assertEquals(lab.runtime, "00:00:01");
  assertEquals(lab.calendar?.initTime, "2026-Nov-27 21:47:11");
  assertEquals(lab.calendar?.increment, "00:01:00");
  assertEquals(lab.limits[0], { name: "lim", max: 2, value: 1, paths: ["/lab/f1/t2"] });
  const t1 = defs.find("/lab/f1/t1") as Task;
  assertEquals(t1.state, "complete");
  assertEquals(t1.flags, ["status", "message", "zombie"]);
  assertEquals(t1.tryNo, 1);
  assertEquals(t1.labels[0].newValue, "new label value");
  assertEquals(t1.meters[0].value, 50);
  assertEquals(t1.events.map((e) => e.value), [true, false]);
  assertEquals(t1.queues[0].index, 1);
  assertEquals(t1.queues[0].states, ["complete", "queued", "queued"]);
  const t2 = defs.find("/lab/f1/t2") as Task;
  assertEquals(t2.password, "t5ShMtmz");
  assertEquals(t2.state, "submitted");
  assertEquals(defs.find("/lab/f2/t5")?.variables.map((v) => v.name), ["MYVAR", "OTHER"]);
});

// Outputs of ecflow_client 5.9.2 for tests/fixtures/defs/externs.def (see the README there).
const FIX = new URL("./fixtures/defs/", import.meta.url);
const fixture = (name: string) => Deno.readTextFileSync(new URL(name, FIX));

/** What the server holds after `ecflow_client --load=externs.def`: the client's NET text. */
function loadedExterns(): Defs {
  const file = parseDefs(fixture("externs.def"), { fileName: "externs.def" });
  assertEquals(checkDefs(file).errors, []);
  const net = loadDefsText(file, { hostName: "vm" });
  assert(!net.includes("extern"));
  return parseDefs(net);
}

Deno.test("fixtures/externs: --get prints the automatic externs like ecflow_client", () => {
  const defs = loadedExterns();
  defs.externs = autoExterns(defs);
  assertEquals(printDefs(defs), fixture("externs.get.txt"));
});

Deno.test("fixtures/externs: --get_state=/s (externs, flags, variables in trees)", () => {
  const sent = printNode(loadedExterns().find("/s")!, { style: "net" });
  const defs = new Defs();
  defs.addSuite(parseNode(sent) as Suite);
  defs.serverVariables = defaultServerVariables({ hostName: "vm" });
  defs.externs = autoExterns(defs);
  assertEquals(
    printDefs(defs, { style: "state", stateExtras: stateExtras(defs) }),
    fixture("externs.get_state.txt"),
  );
});

Deno.test("fixtures/externs: --get=/s/f", () => {
  const sent = printNode(loadedExterns().find("/s/f")!, { style: "net" });
  assertEquals(
    printNode(parseNode(sent), { style: "defs", level: 1 }) + "\n",
    fixture("externs.get_node.txt"),
  );
});

Deno.test("fixtures/externs: a flag reference needs the exact 'path:flag' extern", () => {
  const text = fixture("externs.def").replace("extern /other/y:late\n", "extern /other/y\n");
  const r = checkDefsText(text, { fileName: "x.def" });
  assertEquals(r.errors.length, 1);
  assert(r.errors[0].message.includes("/other/y"));
});
