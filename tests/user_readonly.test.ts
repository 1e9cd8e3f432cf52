// Differential tests of the read-only user commands: ecflow_client and
// ecflow-ts against twin fresh servers loaded with the capture suite.
import { assert, assertEquals } from "./deps.ts";
import { assertSameOutput, LAB_DEF, startTwin, twinTest } from "./user_twin.ts";

const READ_ONLY: string[][] = [
  ["--suites"],
  ["--get"],
  ["--get=/lab"],
  ["--get=/lab2"],
  ["--get=/lab/f1"],
  ["--get=/lab/f1/t1"],
  ["--get_state"],
  ["--get_state=/lab"],
  ["--get_state=/lab2"],
  ["--get_state=/lab/f1"],
  ["--get_state=/lab/f2/t4"],
  ["--group=get; show state"],
  ["--group=get=/lab/f2; show state"],
  ["--migrate"],
  ["--migrate=/lab"],
  ["--migrate=/lab/f2"],
  ["--migrate=/lab/f1/t1"],
  ["--query", "state", "/lab/f1/t1"],
  ["--query", "dstate", "/lab/f2"],
  ["--query", "event", "/lab/f1/t1:ev1"],
  ["--query", "meter", "/lab/f1/t1:m1"],
  ["--query", "label", "/lab/f1/t1:lab1"],
  ["--query", "variable", "/lab:SUITE_VAR"],
  ["--query", "repeat", "/lab/f2"],
  ["--query", "repeat", "/lab/f2", "next"],
  ["--query", "limit", "/lab:lim"],
  ["--query", "limit_max", "/lab:lim"],
  ["--query", "trigger", "/lab/f1/t2", "/lab/f1/t1 == complete"],
  ["--edit_history=/lab"],
  ["--edit_history=/nope"],
  ["--check=_all_"],
  ["--check", "/lab/f1", "/lab/f2"],
  ["--zombie_get"],
  ["--ch_suites"],
  ["--log=path"],
  ["--log=get", "4"],
  ["--news", "0", "0", "0"],
  ["--sync_full=0"],
  ["--sync", "0", "0", "0"],
  ["--why=/lab/f1/t3"],
  ["--stats"],
  ["--stats_server"],
  ["--group=get; show"],
  ["--group=get=/lab/f1; show"],
  ["--group=get=/lab; show migrate"],
  ["--group=get; get=/lab/f1; show"],
  ["--group=get=/lab/f1; get=/lab/f2; show state"],
  ["--group=sync_full 0; show state"],
  ["--group=sync 0 1 1; show migrate"],
  ["--group=get=/lab/f1; sync_full 0; why=/lab/f1/t2"],
  ["--group=suites; query state /lab/f1/t1"],
  ["--group=get; why"],
  ["--group=get; why=/lab"],
  ["--group=get; why=/lab/f1/t3"],
  ["--group=get; why=/lab/f1/t2"],
  ["--group=get; why=/lab/f2/t4"],
];

const BAD: string[][] = [
  ["--get=/nope"],
  ["--get=/lab/nope"],
  ["--migrate=/nope"],
  ["--query", "state", "/nope"],
  ["--query", "event", "/lab/f1/t1:nope"],
  ["--query", "variable", "/lab:NOPE"],
  ["--query", "colour", "/lab"],
  ["--query", "event", "/lab/f1/t1"],
  ["--query"],
  ["--file=/lab/f1/t1", "script"],
  ["--file=/lab/f1/t1", "sideways"],
  ["--log=rotate"],
  ["--news", "x", "0", "0"],
  ["--frobnicate"],
  ["--suites=yes"],
  // no gnuplot here: ecflow_client fails after asking the server for the log path
  ["--server_load"],
  ["--group=get; why=/nope"],
];

twinTest(
  "read-only user commands: same stdout and exit code as ecflow_client",
  async (t, generation) => {
    await using twin = await startTwin({ def: LAB_DEF, begin: true, generation });
    for (const a of READ_ONLY) {
      await t.step(a.join(" "), async () => {
        const ours = await assertSameOutput(twin, a);
        assertEquals(ours.code, 0, ours.stderr);
      });
    }
    for (const a of BAD) {
      await t.step(`refused: ${a.join(" ")}`, async () => {
        const ours = await assertSameOutput(twin, a);
        assertEquals(ours.code, 1);
      });
    }
    await twin.assertSameState("read-only commands");
    await twin.assertAlive();
  },
);

twinTest(
  "--json prints one JSON document per command, holding what ecflow_client prints",
  async (_t, generation) => {
    await using twin = await startTwin({ def: LAB_DEF, generation });
    const cases: [string[], (doc: Record<string, unknown>, refOut: string) => void][] = [
      [
        ["--suites"],
        (d, ref) =>
          assertEquals((d.suites as string[]).join(" "), ref.trim().split(/\s+/).join(" ")),
      ],
      [["--query", "state", "/lab/f1/t1"], (d, ref) => assertEquals(d.text + "\n", ref)],
      [["--get=/lab/f1"], (d, ref) => {
        assertEquals(d.text, ref); // the definition as ecflow_client prints it
        const tree = d.tree as { kind: string; path: string; children: { path: string }[] };
        assertEquals([tree.kind, tree.path], ["family", "/lab/f1"]);
        assert(tree.children.some((c) => c.path === "/lab/f1/t1"), JSON.stringify(tree));
      }],
      [["--get"], (d, ref) => {
        assertEquals(d.text, ref);
        const tree = d.tree as { suites: { path: string; children: unknown[] }[] };
        assertEquals(tree.suites.map((s) => s.path), ["/lab", "/lab2"]);
        assert(!JSON.stringify(d).includes("passwd"), "no jobs passwords in --json");
      }],
      [["--zombie_get"], (d) => assertEquals(d.zombies, [])],
      [["--alter", "add", "variable", "J", "1", "/lab"], (d) => assertEquals(d.ok, true)],
    ];
    for (const [a, check] of cases) {
      const { ref } = await twin.both(a);
      const json = await twin.both([...a, "--json"]);
      // ecflow_client has no --json: it refuses it; ours prints one document.
      assertEquals(json.ref.code, 1);
      assertEquals(json.ours.code, 0, json.ours.stderr);
      const lines = json.ours.stdout.trim().split("\n");
      assertEquals(lines.length, 1, json.ours.stdout);
      const doc = JSON.parse(lines[0]);
      assertEquals(doc.command, a[0].slice(2).split("=")[0]);
      check(doc, ref.stdout);
    }
    await twin.assertAlive();
  },
);

const EXPRESSIONS_DEF = `extern /nope/x
suite ex
  repeat integer R 1 10 2
  edit V '5'
  limit L 3
  family f
    repeat string S "a" "b"
    task a
      event e
      event 3 three
      meter m 0 100 50
      label x "y"
    task b
      trigger a == complete and not (a:e == set) or a:m + 2 > 10
    task c
      trigger (../f/a:m * 3) ge 9 and /ex:V == 5 and /ex:R < 4
      complete a<flag>late or a:e
    task d
      trigger :V eq 5 or /ex:L == 0 and a != aborted
      repeat enumerated E "1" "x"
    task g
      trigger cal::date_to_julian(20240101) > 0 and /nope/x == complete
    task h
      trigger a:three == clear and a:m - 1 < 0 or a:m / 2 == 0 or a:m % 2 == 1
      repeat date D 20240228 20240302 1
  endfamily
endsuite
`;

twinTest(
  "--get_state: generated variables and trigger evaluation trees as ecflow_client",
  async (t, generation) => {
    const dir = await Deno.makeTempDir({ prefix: "ecflow-ts-expr." });
    try {
      await Deno.writeTextFile(`${dir}/expr.def`, EXPRESSIONS_DEF);
      await using twin = await startTwin({ def: `${dir}/expr.def`, halted: true, generation });
      await twin.setup(["--begin=ex"]);
      const show = [
        ["--get_state"],
        ["--get_state=/ex"],
        ["--get_state=/ex/f"],
        ["--get_state=/ex/f/b"],
        ["--group=get; why"],
        ...["b", "c", "d", "g", "h"].map((t) => [`--group=get; why=/ex/f/${t}`]),
      ];
      for (const a of show) {
        await t.step(`${a.join(" ")} (begun)`, async () => {
          assertEquals((await assertSameOutput(twin, a)).code, 0);
        });
      }
      await twin.setup(["--alter", "change", "meter", "m", "7", "/ex/f/a"]);
      await twin.setup(["--force=set", "/ex/f/a:e"]);
      await twin.setup(["--alter", "change", "repeat", "b", "/ex/f"]);
      await twin.setup(["--alter", "set_flag", "late", "/ex/f/a"]);
      await twin.setup(["--suspend=/ex/f/a"]);
      for (const a of show) {
        await t.step(`${a.join(" ")} (after changes)`, async () => {
          assertEquals((await assertSameOutput(twin, a)).code, 0);
        });
      }
      await twin.assertAlive();
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
);

// Times far from any plausible test time; dates relative to "today" both ways.
const TIMES_DEF = `suite tm
  family f
    task past
      time 00:01
    task oldseries
      time 00:01 00:05 00:01
    task future
      time 23:59
    task rel
      time +00:30
    task tpast
      today 00:01
    task tfuture
      today 23:59
    task daytime
      day monday
      time 00:01
    task d1
      date 1.1.2030
    task d3
      day sunday
      day wednesday
    task d4
      date *.12.*
      time 00:01
    task d5
      day saturday
      today 23:59
    task c1
      cron 00:01
    task c3
      cron -w 0,1 10:00
    task c4
      cron -d 1,15 10:00
    task c5
      cron -m 1,6 10:00
    task c7
      cron -d L 00:01
    task c10
      cron +00:20
  endfamily
endsuite
`;

twinTest("why: time, today, day, date and cron reasons as ecflow_client", async (t, generation) => {
  const dir = await Deno.makeTempDir({ prefix: "ecflow-ts-times." });
  try {
    await Deno.writeTextFile(`${dir}/times.def`, TIMES_DEF);
    await using twin = await startTwin({ def: `${dir}/times.def`, halted: true, generation });
    await twin.setup(["--begin=tm"]);
    await twin.setup(["--restart"]);
    const tasks = ["past", "oldseries", "future", "rel", "tpast", "tfuture", "daytime", "d1"]
      .concat(["d3", "d4", "d5", "c1", "c3", "c4", "c5", "c7", "c10"]);
    for (const task of [...tasks.map((x) => `=/tm/f/${x}`), "=/tm", ""]) {
      await t.step(`why${task}`, async () => {
        assertEquals((await assertSameOutput(twin, [`--group=get; why${task}`])).code, 0);
      });
    }
    await twin.setup(["--halt=yes"]);
    await twin.assertAlive();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
