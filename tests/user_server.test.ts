// Differential tests of definition loading, client handles, check points,
// the log, server life cycle and zombies: ecflow_client and ecflow-ts on twin
// servers, comparing stdout, exit code and the server state after each step.
import { assert, assertEquals } from "./deps.ts";
import { ecflowClient } from "./harness/server.ts";
import {
  assertLoadPrint,
  assertSameOutput,
  LAB_DEF,
  runningLab,
  startTwin,
  type Twin,
  twinTest,
} from "./user_twin.ts";
import { ECFLOW_FIXTURES } from "./captures.ts";

async function steps(
  t: Deno.TestContext,
  twin: Twin,
  list: string[][],
  state = true,
  expectCode?: number,
) {
  for (const a of list) {
    await t.step(a.join(" "), async () => {
      const ours = await assertSameOutput(twin, a);
      if (expectCode !== undefined) assertEquals(ours.code, expectCode, ours.stderr);
      if (state) await twin.assertSameState(a.join(" "));
    });
  }
}

async function tempDefs(files: Record<string, string>): Promise<{ dir: string } & AsyncDisposable> {
  const dir = await Deno.makeTempDir({ prefix: "ecflow-ts-defs." });
  for (const [name, text] of Object.entries(files)) {
    await Deno.writeTextFile(`${dir}/${name}`, text);
  }
  return { dir, [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }) };
}

twinTest(
  "--load, --replace and --begin: same checks, same resulting definition",
  async (t, generation) => {
    await using defs = await tempDefs({
      "extern.def": "extern /other/s:ev\nsuite x\n  task t\n    trigger /other/s:ev\nendsuite\n",
      "badref.def": "suite y\n  task t\n    trigger nope == complete\nendsuite\n",
      "badsyntax.def": "suite z\n  tusk t\nendsuite\n",
      "f2.def": "suite lab\n  family f2\n    task t9\n      edit V 'new'\n  endfamily\n" +
        "  family f3\n    task t1\n  endfamily\nendsuite\n",
    });
    const d = defs.dir;
    await using twin = await startTwin({ halted: true, generation });
    await steps(t, twin, [["--load=" + LAB_DEF, "check_only"]]);
    await t.step(`--load=${LAB_DEF} print`, async () => {
      await assertLoadPrint(twin, LAB_DEF);
      await twin.assertSameState("--load print");
    });
    await steps(t, twin, [
      ["--load=" + LAB_DEF],
      ["--load=" + LAB_DEF],
      ["--load=" + LAB_DEF, "force"],
      ["--load=" + `${d}/extern.def`],
      // in-limit warnings are printed on stdout while parsing, then the definition loads
      [`--load=${ECFLOW_FIXTURES}/defs-corpus/good_defs/limit/limit3.def`],
      [`--load=${ECFLOW_FIXTURES}/defs-corpus/bad_defs/inlimit/limit_check.def`],
      ["--load=" + `${d}/badref.def`],
      ["--load=" + `${d}/badsyntax.def`],
      ["--load=" + `${d}/nonexistent.def`],
      ["--load=" + LAB_DEF, "sideways"],
      ["--replace=/lab/f2", `${d}/f2.def`],
      ["--replace=/lab/f3", `${d}/f2.def`, "parent"],
      ["--replace=/lab/f3", `${d}/f2.def`, "false", "force"],
      ["--replace=/lab/nope", `${d}/f2.def`],
      ["--begin=lab"],
      ["--begin=x --force"],
      ["--begin"],
      ["--begin=nope"],
    ]);
    await twin.assertAlive();
  },
);

twinTest(
  "client handles: register, add, remove, auto-add, suites table, drop",
  async (t, generation) => {
    await using twin = await startTwin({ def: LAB_DEF, halted: true, generation });
    await steps(t, twin, [
      ["--ch_suites"],
      ["--ch_register=false", "lab"],
      ["--ch_register=true"],
      ["--ch_suites"],
      ["--ch_add=1", "lab2"],
      ["--ch_suites"],
      ["--ch_rem=1", "lab"],
      ["--ch_auto_add=1", "true"],
      ["--ch_suites"],
      ["--ch_register=1", "false", "lab2"],
      ["--ch_suites"],
      ["--ch_drop=2"],
      ["--ch_drop_user"],
      ["--ch_suites"],
      ["--ch_add=7", "lab"],
      ["--ch_auto_add=1", "maybe"],
      ["--ch_register=sometimes"],
    ], false);
    await twin.assertSameState("client handles");
    await twin.assertAlive();
  },
);

twinTest("check points, the log and server life cycle", async (t, generation) => {
  await using twin = await startTwin({ def: LAB_DEF, halted: true, generation });
  const stats = async (context: string) => {
    const norm = (s: string) => twin.norm(s).replace(/^(\s+Up since\s+).*$/m, "$1<UP>");
    const [r, o] = await Promise.all([
      ecflowClient(["--host=127.0.0.1", `--port=${twin.ref.port}`, "--stats"], {}, generation),
      ecflowClient(["--host=127.0.0.1", `--port=${twin.ours.port}`, "--stats"], {}, generation),
    ]);
    assertEquals(norm(o.stdout), norm(r.stdout), `--stats after ${context}`);
  };
  const lifecycle = [
    ["--check_pt"],
    ["--check_pt=never"],
    ["--check_pt=on_time"],
    ["--check_pt=always"],
    ["--check_pt=200"],
    ["--check_pt=on_time:180"],
    ["--check_pt=alarm:35"],
    ["--check_pt=sometimes"],
    ["--log=flush"],
    ["--log=new"],
    ["--log=clear"],
    ["--log=get", "2"],
    ["--msg=a message"],
    ["--stats_reset"],
    ["--debug_server_on"],
    ["--debug_server_off"],
    ["--force-dep-eval"],
    ["--shutdown=yes"],
    ["--halt=yes"],
    ["--halt=maybe"],
    ["--delete=_all_", "force", "yes"],
    ["--restore_from_checkpt"],
    ["--suites"],
  ];
  for (const a of lifecycle) {
    await t.step(a.join(" "), async () => {
      await assertSameOutput(twin, a);
      await twin.assertSameState(a.join(" "));
      await stats(a.join(" "));
    });
  }
  await t.step("--terminate=yes stops both servers", async () => {
    const { ref, ours } = await twin.both(["--terminate=yes"]);
    assertEquals([ours.code, ours.stdout], [ref.code, ref.stdout]);
    assertEquals(ours.code, 0, ours.stderr);
    for (let i = 0; i < 50 && (await twin.ref.alive() || await twin.ours.alive()); i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    assert(!(await twin.ours.alive()), "our --terminate left the server running");
  });
});

/** Zombie table rows with the columns that differ between twins (age, passwords) blanked. */
function zombieRows(text: string): string[][] {
  return text.trim().split("\n").map((l) => {
    const cols = l.trim().split(/\s+/);
    if (cols[0].startsWith("/")) {
      cols[2] = "<AGE>";
      cols[3] = "<PW>";
    }
    return cols;
  });
}

twinTest("zombies: the table and every zombie action, as ecflow_client", async (t, generation) => {
  await using twin = await runningLab(generation);
  // Make zombies: a forced requeue of submitted tasks, then a child command with a wrong password.
  await twin.setup(["--requeue=force", "/lab/f1/t1", "/lab/f2/t5"]);
  for (const s of [twin.ref, twin.ours]) {
    const r = await ecflowClient(["--event=ev1"], {
      ECF_HOST: "127.0.0.1",
      ECF_PORT: String(s.port),
      ECF_NAME: "/lab/f1/t1",
      ECF_PASS: "wrongpw",
      ECF_RID: "4242",
      ECF_TRYNO: "1",
    }, generation);
    assertEquals(r.code, 0, r.stderr);
  }
  const compareZombies = async (context: string) => {
    const { ref, ours } = await twin.both(["--zombie_get"]);
    assertEquals(ours.code, 0, ours.stderr);
    assertEquals(zombieRows(ours.stdout), zombieRows(ref.stdout), `--zombie_get after ${context}`);
    return ours.stdout;
  };
  const table = await compareZombies("setup");
  assert(table.trim().split("\n").length >= 2, `expected zombies:\n${table}`);
  for (const action of ["fob", "fail", "adopt", "block", "kill", "remove"]) {
    await t.step(`--zombie_${action}`, async () => {
      const a = [`--zombie_${action}=/lab/f1/t1`];
      const { ref, ours } = await twin.both(a);
      assertEquals(ours.code, ref.code, ours.stderr + ref.stderr);
      assertEquals(ours.stdout, ref.stdout);
      await compareZombies(a[0]);
    });
  }
  await t.step("--zombie_remove of several tasks", async () => {
    const { ref, ours } = await twin.both(["--zombie_remove", "/lab/f1/t1", "/lab/f2/t5"]);
    assertEquals(ours.code, ref.code);
    await compareZombies("--zombie_remove /lab/f1/t1 /lab/f2/t5");
  });
  await twin.assertAlive();
});

twinTest("--file and --edit_script on a running suite, as ecflow_client", async (t, generation) => {
  await using twin = await runningLab(generation);
  await using defs = await tempDefs({
    "edit.ecf": "%comment\nZED = 1\nMYVAR = 42\nOTHER = two\nZED = 2\n%end\n" +
      "%include <head.h>\necho hello %MYVAR% %OTHER%\n%include <tail.h>\n",
    "plain.ecf": "echo no variables %ECF_NAME%\n",
  });
  const edit = `${defs.dir}/edit.ecf`;
  await steps(
    t,
    twin,
    [
      ["--file=/lab/f1/t1"],
      ["--file=/lab/f1/t1", "job"],
      ["--file=/lab/f1/t1", "script", "2"],
      ["--file=/lab/f1/t1", "manual"],
      ["--edit_script=/lab/f1/t1", "edit"],
      ["--edit_script=/lab/f1/t1", "pre_process"],
      ["--edit_script=/lab/f1/t1", "pre_process_file", `${defs.dir}/plain.ecf`],
      ["--edit_script=/lab/f1/t3", "submit", edit],
      ["--edit_script=/lab/f2/t4", "submit_file", edit],
      ["--edit_script=/lab/f1/t2", "submit_file", edit, "create_alias", "no_run"],
    ],
    true,
    0,
  );
  await steps(t, twin, [
    ["--file=/lab/f1/t1", "jobout"],
    ["--file=/lab/nope"],
    ["--edit_script=/lab/f1/t1", "pre_process_file", edit],
    ["--edit_script=/lab/f1/t1", "submit", `${defs.dir}/missing.ecf`],
    ["--edit_script=/lab/f1/t1", "frob"],
    ["--edit_script=/lab/f1/t1"],
  ]);
  await twin.assertAlive();
});

twinTest(
  "--suites: columns and line breaks for many suites, as ecflow_client",
  async (_t, generation) => {
    const names = [
      "a",
      "bb",
      "a_much_longer_suite_name",
      "d",
      "e",
      "f12",
      "g",
      "h",
      "i",
      "j",
      "k",
      "l",
    ];
    await using defs = await tempDefs({});
    await using twin = await startTwin({ halted: true, generation });
    for (let i = 1; i <= names.length; i++) {
      const part = `${defs.dir}/part${i}.def`;
      await Deno.writeTextFile(part, `suite ${names[i - 1]}\nendsuite\n`);
      await twin.setup([`--load=${part}`]);
      const ours = await assertSameOutput(twin, ["--suites"]);
      assertEquals(ours.code, 0);
    }
    await twin.assertAlive();
  },
);
