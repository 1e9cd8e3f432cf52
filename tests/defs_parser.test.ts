// Unit tests of lib/defs: parser rules, errors, state annotations, printers, model navigation,
// expressions, checks and the LoadDefsCmd text.
import { assert, assertEquals, assertInstanceOf, assertThrows } from "./deps.ts";
import {
  Alias,
  attrList,
  autoExterns,
  checkDefs,
  checkDefsText,
  Defs,
  DefsParseError,
  ExprError,
  Family,
  loadDefsText,
  parseDefs,
  parseExpression,
  parseNode,
  printDefs,
  printNode,
  resolvePath,
  Suite,
  Task,
} from "../lib/defs/mod.ts";

const FIXTURES = new URL("./fixtures/defs/", import.meta.url);

function parseError(text: string): DefsParseError {
  const e = assertThrows(() => parseDefs(text, { fileName: "t.def" }));
  assertInstanceOf(e, DefsParseError);
  return e;
}

Deno.test("tree: find, parent/child navigation, absPath, walk and iteration", () => {
  const defs = parseDefs(
    "suite s\n  family f\n    task t1\n    family g\n      task t2\n    endfamily\n  endfamily\n  task t3\nendsuite\nsuite s2\nendsuite\n",
  );
  const t2 = defs.find("/s/f/g/t2")!;
  assertInstanceOf(t2, Task);
  assertEquals(t2.absPath, "/s/f/g/t2");
  assertEquals(t2.parent?.absPath, "/s/f/g");
  assertEquals(t2.suite?.name, "s");
  assertEquals(t2.depth, 3);
  assertInstanceOf(defs.find("/s/f"), Family);
  assertInstanceOf(defs.find("/s"), Suite);
  assertEquals(defs.find("/s/nope"), undefined);
  assertEquals(defs.find("s/f"), undefined);
  assertEquals([...defs].map((n) => n.absPath), [
    "/s",
    "/s/f",
    "/s/f/t1",
    "/s/f/g",
    "/s/f/g/t2",
    "/s/t3",
    "/s2",
  ]);
  assertEquals([...defs.tasks()].map((t) => t.name), ["t1", "t2", "t3"]);
  assertEquals(defs.find("/s/f")!.children.map((c) => c.name), ["t1", "g"]);
  assertEquals(defs.suites.length, 2);
  assertEquals(defs.text.length > 0, true);
});

Deno.test("errors: one line 'file:line:column: reason (token 'x')' with fields", () => {
  const e = parseError("suite s\n  task t\n    meter m 0 100 200\nendsuite\n");
  assertEquals(e.fileName, "t.def");
  assertEquals(e.line, 3);
  assertEquals(e.column, 19);
  assertEquals(e.token, "200");
  assertEquals(
    e.message,
    "t.def:3:19: invalid meter: colour change(200) must be between min(0) and max(100) (token '200')",
  );
  assert(!e.message.includes("\n"));
  assertEquals(parseError("suite s\n  trigger a == complete\nendsuite\n").line, 2);
  assertEquals(parseError("suite s\n  task t\n  task t\nendsuite\n").token, "t");
  assertEquals(parseError("suite s\n  task t\n    time 25:00\nendsuite\n").column, 10);
  assertEquals(parseError("suite s\n  repeat month 2\nendsuite\n").token, "month");
  assertEquals(parseError("suite s\n  family\nendsuite\n").reason, "family name missing");
  // the column of a `;` statement counts from the start of the physical line
  assertEquals(parseError("suite s; task t; meter m 5 1\nendsuite\n").column, 26);
});

Deno.test("statements separated by ';', comments and end keywords", () => {
  const defs = parseDefs(
    "# comment\nsuite s ; family f ; task a ; task b # x;y\n endfamily\n edit V 'a;b'\n label l \"x;y\"\nendsuite\n",
  );
  assertEquals(defs.find("/s/f")!.children.map((c) => c.name), ["a", "b"]);
  assertEquals(defs.find("/s")!.variables, [{ name: "V", value: "a;b" }]);
  assertEquals(defs.find("/s")!.labels[0].value, "x;y");
  // 5.9.2 quirk: a last line without a final newline keeps only its first statement
  assertEquals(parseDefs("suite a\nendsuite\nsuite b; task t; endsuite").find("/b/t"), undefined);
  assertEquals(parseDefs("suite b; task t; endsuite\n").find("/b/t")?.kind, "task");
  // endtask is optional, families close their tasks, missing ends at the end are accepted
  const d2 = parseDefs("suite s\n task a\n endtask\n family f\n  task b\nendsuite\n");
  assertEquals([...d2].map((n) => n.absPath), ["/s", "/s/a", "/s/f", "/s/f/b"]);
  assertEquals(parseDefs("suite s\n family f\n  task b\n").find("/s/f/b")?.name, "b");
});

Deno.test("edit/label values: quotes removed, blanks collapsed, \\n handling", () => {
  const defs = parseDefs(
    "suite s\n edit A 'a  b'\n edit B \"x\"\n edit C plain # c\n edit A 'again'\n label l \"one\\ntwo\"\nendsuite\n",
  );
  const s = defs.find("/s")!;
  assertEquals(s.variables, [
    { name: "A", value: "again" },
    { name: "B", value: "x" },
    { name: "C", value: "plain" },
  ]);
  assertEquals(s.labels[0].value, "one\ntwo");
  assertEquals(
    printDefs(defs),
    "#5.9.2\nsuite s\n  edit A 'again'\n  edit B 'x'\n  edit C 'plain'\n  label l \"one\\ntwo\"\nendsuite\n# enddef\n",
  );
  assertEquals(parseError("suite s\n edit X # c\nendsuite\n").line, 2);
  assertEquals(parseError("suite s\n edit #X v\nendsuite\n").token, "#X");
});

Deno.test("trigger/complete: -a/-o parts, backslash continuation, free state", () => {
  const defs = parseDefs(
    "suite s\n task a\n task b\n  trigger a == complete and \\\n    a == complete\n  complete a == aborted\n  complete -o a == complete\nendsuite\n",
  );
  const b = defs.find("/s/b")!;
  assertEquals(b.trigger!.parts.map((p) => p.text), ["a == complete and a == complete"]);
  assertEquals(b.complete!.parts.map((p) => [p.type, p.text]), [
    ["first", "a == aborted"],
    ["or", "a == complete"],
  ]);
  assertEquals(
    printNode(b, { style: "defs" }),
    "  task b\n    complete a == aborted\n    complete -o a == complete\n    trigger a == complete and a == complete\n",
  );
  const net = parseDefs(
    "#5.9.2\ndefs_state NET\nsuite s\ntask a\ntrigger 1 == 1 # free\nendsuite\n",
  );
  assertEquals(net.find("/s/a")!.trigger!.free, true);
  assertEquals(
    printNode(net.find("/s/a")!, { style: "net", indent: false }),
    "task a\ntrigger 1 == 1 # free\n",
  );
  assertEquals(parseError("suite s\n task a\n  trigger -a 1 == 1\nendsuite\n").token, "-a");
  assertEquals(
    parseError("suite s\n task a\n  trigger 1 == 1\n  trigger 2 == 2\nendsuite\n").line,
    4,
  );
});

Deno.test("every repeat kind prints with its state value in NET and without in DEFS", () => {
  const net = [
    "#5.9.2",
    "defs_state NET cal_count:0",
    "suite s",
    "family a",
    "repeat integer I 1 10 # 3",
    "endfamily",
    "family b",
    "repeat date D 20240101 20240131 7 # 20240115",
    "endfamily",
    "family c",
    'repeat datelist L "20240101" "20240301" # 1',
    "endfamily",
    "family d",
    'repeat enumerated E "x" "y" # 1',
    "endfamily",
    "family e",
    'repeat string S "p" "q" "r" # 2',
    "endfamily",
    "family f",
    "repeat day 2",
    "endfamily",
    "family g",
    "repeat datetime T 20240101T000000 20240102T000000 06:00:00 # 20240101T060000",
    "endfamily",
    "family h",
    'repeat datetimelist U "20240101T000000" "20240101T120000" # 1',
    "endfamily",
    "endsuite",
    "# enddef",
    "",
  ].join("\n");
  const defs = parseDefs(net);
  assertEquals(printDefs(defs, { style: "net" }), net);
  assertEquals(defs.find("/s/a")!.repeat, {
    kind: "integer",
    name: "I",
    start: 1,
    end: 10,
    delta: 1,
    value: 3,
  });
  assertEquals(defs.find("/s/g")!.repeat, {
    kind: "datetime",
    name: "T",
    start: "20240101T000000",
    end: "20240102T000000",
    step: "06:00:00",
    value: "20240101T060000",
  });
  const text = printDefs(defs, { style: "defs" });
  assert(text.includes("    repeat integer I 1 10\n"));
  assert(text.includes('    repeat datetimelist U "20240101T000000" "20240101T120000"\n'));
  assert(!text.includes("#", 1) || text.indexOf("# enddef") === text.indexOf("#", 1));
  assertEquals(
    parseError("suite s\n repeat date D 20241301 20241302\nendsuite\n").token,
    "20241301",
  );
  assertEquals(
    parseError("suite s\n repeat integer I 1 2\n repeat integer J 1 2\nendsuite\n").line,
    3,
  );
});

Deno.test("node state annotations: abort reason with blanks, aliases, flags in ecFlow order", () => {
  const text = [
    "#5.9.2",
    "defs_state MIGRATE cal_count:0",
    "suite s # begun:1 state:active",
    "task t # alias_no:1 passwd:pw rid:77 abort<:it failed; badly>abort try:2 state:aborted flag:message,task_aborted",
    "alias alias0 # state:complete",
    "edit X '1'",
    "endalias",
    "endsuite",
    "# enddef",
    "",
  ].join("\n");
  const defs = parseDefs(text);
  const t = defs.find("/s/t") as Task;
  assertEquals(t.aliasNo, 1);
  assertEquals(t.password, "pw");
  assertEquals(t.rid, "77");
  assertEquals(t.abortReason, "it failed; badly");
  assertEquals(t.tryNo, 2);
  assertEquals(t.state, "aborted");
  const a = defs.find("/s/t/alias0")!;
  assertInstanceOf(a, Alias);
  assertEquals(a.absPath, "/s/t/alias0");
  assertEquals(a.variables, [{ name: "X", value: "1" }]);
  // ';' in an abort reason is written as a blank; flags come out in ecFlow's order
  assertEquals(
    printDefs(defs, { style: "migrate" }).split("\n")[3],
    "task t # alias_no:1 passwd:pw rid:77 abort<:it failed  badly>abort try:2 state:aborted flag:task_aborted,message",
  );
  // aliases are not part of the DEFS style
  assert(!printDefs(defs).includes("alias"));
});

Deno.test("MIGRATE printing equals ecflow 5.9.2's checkpoint for a state-rich definition", async () => {
  const file = new URL("state_rich.migrate", FIXTURES);
  const text = Deno.readTextFileSync(file);
  const defs = parseDefs(text, { fileName: "state_rich.migrate" });
  assertEquals(printDefs(defs, { style: "migrate" }), text);
  const dir = await Deno.makeTempDir();
  try {
    const out = `${dir}/out.chk`;
    const py = await new Deno.Command("/usr/bin/python3", {
      args: [
        "-c",
        "import ecflow,sys; ecflow.Defs(sys.argv[1]).save_as_checkpt(sys.argv[2])",
        file.pathname,
        out,
      ],
      stderr: "piped",
    }).output();
    assert(py.success, new TextDecoder().decode(py.stderr));
    assertEquals(Deno.readTextFileSync(out), printDefs(defs, { style: "migrate" }));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  const s = defs.find("/s") as Suite;
  assertEquals(defs.serverState, "HALTED");
  assertEquals(defs.history.length, 1);
  assertEquals(defs.history[0].path, "/s");
  assertEquals(s.suspended, true);
  assertEquals(s.runtime, "-00:00:02");
  assertEquals(s.calendar?.dayChanged, true);
  assertEquals(s.clock, {
    hybrid: true,
    day: 1,
    month: 1,
    year: 2024,
    gain: 3600,
    positiveGain: true,
  });
  const f = defs.find("/s/f")!;
  assertEquals(f.times[0].series, {
    relative: false,
    start: { hour: 10, minute: 0 },
    free: true,
    isValid: false,
    nextTimeSlot: "11:00",
    relativeDuration: "00:30:00",
  });
  assertEquals(f.days.map((d) => [d.day, d.free, d.expired, d.date]), [
    ["monday", true, true, "2026-Nov-30"],
    ["tuesday", false, false, undefined],
  ]);
  assertEquals(f.inLimits[0], {
    name: "lim",
    path: "",
    tokens: 2,
    nodeOnly: false,
    submission: true,
    incremented: true,
  });
  assertEquals(f.queues[0].states, ["complete", "active", "queued"]);
  assertEquals(f.verifies[0], { state: "complete", expected: 3, actual: 1 });
});

Deno.test("SNodeCmd text: parseNode and printNode indentation", () => {
  const n = parseNode("  family f1 # state:queued\n    task t1 # state:active\n  endfamily\n");
  assertInstanceOf(n, Family);
  assertEquals(n.parent, undefined);
  assertEquals(n.children[0].state, "active");
  assertEquals(
    printNode(n, { style: "net", level: 1 }),
    "  family f1 # state:queued\n    task t1 # state:active\n  endfamily\n",
  );
  assertEquals(printNode(n, { style: "defs", indent: false }), "family f1\ntask t1\nendfamily\n");
  assertThrows(() => parseNode(""), DefsParseError);
});

Deno.test("expressions: grammar accepted and rejected like ecFlow", () => {
  for (
    const ok of [
      "a == complete",
      "./a == complete and ../f/b != aborted",
      "/s/f/t:ev == set or /s/f/t:m ge 50",
      "!(a == complete) || b eq queued",
      "not a == complete",
      "(/s:YMD + 1) % 7 == 0",
      "t:ev",
      "cal::date_to_julian(/s:YMD) - 2 > 0",
      "/s/t<flag>late",
      ":VAR lt 3",
    ]
  ) parseExpression(ok);
  for (
    const bad of [
      "a",
      "/s/ == complete",
      "a:m == complete",
      "a == ",
      "..//x == complete",
      "a == complete )",
      "x\\b == complete",
      "/s/t<flag>bogus",
    ]
  ) assertThrows(() => parseExpression(bad), ExprError, undefined, bad);
  assertEquals(parseExpression("a == complete"), {
    t: "bin",
    op: "==",
    left: { t: "node", path: "a" },
    right: { t: "state", value: "complete" },
  });
});

Deno.test("checkDefs: references, externs, relative paths, autorestore, inlimits", () => {
  const text = [
    "extern /other/t",
    "extern /other/x:ev",
    "suite s",
    "  limit L 1",
    "  family f",
    "    inlimit L",
    "    inlimit /s:NOPE",
    "    task a",
    "      event e",
    "    task b",
    "      trigger a:e == set and ../f/a == complete and /other/t == complete and /other/x:ev == set",
    "    task c",
    "      trigger b == complete or zz == complete",
    "  endfamily",
    "  family g",
    "    autorestore ./f",
    "  endfamily",
    "endsuite",
  ].join("\n") + "\n";
  const defs = parseDefs(text, { fileName: "c.def" });
  assertEquals(resolvePath(defs, defs.find("/s/f/b")!, "../f/a")?.absPath, "/s/f/a");
  assertEquals(resolvePath(defs, defs.find("/s/f/b")!, "b")?.absPath, "/s/f/b");
  const r = checkDefs(defs);
  assertEquals(r.errors.map((e) => [e.path, e.line, e.column]), [["/s/f/c", 13, 15]]);
  assert(r.errors[0].message.includes("'zz'"));
  assertEquals(r.warnings.map((w) => w.path), ["/s/f"]);
  assertEquals(
    autoExterns(parseDefs("suite s\n task t\n  trigger /x/y == complete and q:ev\nendsuite\n")),
    [
      "/x/y",
      "q:ev",
    ],
  );
  const bad = checkDefsText("suite s\n task t\n  trigger (1 / 0) == 0\nendsuite\n", {
    fileName: "z.def",
  });
  assertEquals(bad.errors.length, 1);
  assert(bad.errors[0].message.startsWith("divide by zero"));
  const perr = checkDefsText("suite s\n task t\n task t\nendsuite\n", { fileName: "p.def" });
  assertEquals(perr.errors[0].line, 3);
  assertEquals(perr.defs, undefined);
});

Deno.test("loadDefsText: NET text without externs, client default server variables", () => {
  const defs = parseDefs(
    "extern /x/y\nedit USERV 'u'\nsuite s\n task t\n  trigger /x/y == complete\nendsuite\n",
  );
  const text = loadDefsText(defs, { hostName: "h1", port: "3141" });
  assert(!text.includes("extern"));
  const lines = text.split("\n");
  assertEquals(lines.slice(0, 4), [
    "#5.9.2",
    "defs_state NET cal_count:0",
    "edit USERV 'u'",
    "edit ECF_MICRO '%' # server",
  ]);
  assert(text.includes("edit ECF_LOG 'h1.3141.ecf.log' # server\n"));
  assert(text.endsWith("suite s\ntask t\ntrigger /x/y == complete\nendsuite\n# enddef\n"));
  // the definition itself is unchanged
  assertEquals(defs.serverVariables, []);
  assertEquals(defs.externs, ["/x/y"]);
  // and DEFS style prints the externs, sorted like ecFlow's set
  const two = parseDefs("extern /b\nextern /a\nextern /b\nsuite s\nendsuite\n");
  assertEquals(printDefs(two), "#5.9.2\nextern /a\nextern /b\nsuite s\nendsuite\n# enddef\n");
});

Deno.test("attribute lists are allocated lazily and readable without allocation", () => {
  const t = parseDefs("suite s\n task t\n  event e\nendsuite\n").find("/s/t")!;
  assertEquals(attrList(t, "events").length, 1);
  assertEquals(attrList(t, "meters").length, 0);
  assertEquals(t._meters, undefined);
  t.meters.push({ name: "m", min: 0, max: 10, colorChange: 10, value: 0 });
  assertEquals(attrList(t, "meters").length, 1);
  const d = new Defs();
  const s = d.addSuite(new Suite("built"));
  s.add(new Task("x")).events.push({ name: "go", initial: false, value: false });
  assertEquals(printDefs(d), "#5.9.2\nsuite built\n  task x\n    event go\nendsuite\n# enddef\n");
});
