// Differential tests of state-changing user commands: each step runs through
// ecflow_client on one server and ecflow-ts on its twin; then stdout, exit
// code and the resulting server state (--migrate via ecflow_client) must match.
// The servers stay HALTED so no job scheduling can make the twins diverge.
import { assertEquals } from "./deps.ts";
import { assertSameOutput, LAB_DEF, startTwin, type Twin, twinTest } from "./user_twin.ts";

async function steps(t: Deno.TestContext, twin: Twin, list: string[][], expectCode?: number) {
  for (const a of list) {
    await t.step(a.join(" "), async () => {
      const ours = await assertSameOutput(twin, a);
      if (expectCode !== undefined) assertEquals(ours.code, expectCode, ours.stderr);
      await twin.assertSameState(a.join(" "));
    });
  }
}

twinTest(
  "node state commands change the server exactly as ecflow_client does",
  async (t, generation) => {
    await using twin = await startTwin({ def: LAB_DEF, halted: true, generation });
    await steps(t, twin, [
      ["--begin=lab"],
      ["--suspend=/lab/f2"],
      ["--resume=/lab/f2"],
      ["--suspend", "/lab/f1/t1", "/lab/f1/t2"],
      ["--resume", "/lab/f1/t1", "/lab/f1/t2"],
      ["--force=complete", "/lab/f1/t3"],
      ["--force=set", "/lab/f1/t1:ev2"],
      ["--force=clear", "/lab/f1/t1:ev2"],
      ["--force=aborted", "recursive", "/lab/f2"],
      ["--force=queued", "recursive", "full", "/lab/f2"],
      ["--requeue=force", "/lab/f1"],
      ["--requeue", "/lab/f2"],
      ["--requeue=abort", "/lab"],
      ["--order=/lab/f2", "top"],
      ["--order=/lab/f1/t3", "up"],
      ["--order=/lab/f1", "alpha"],
      ["--order=/lab/f2", "down"],
      ["--free-dep", "/lab/f1/t2"],
      ["--free-dep=all", "/lab/f1/t3"],
      ["--free-dep=time", "date", "/lab/f1/t3"],
      ["--run=force", "/lab/f1/t2"],
      ["--kill", "/lab/f1/t2"],
      ["--begin=lab2"],
      ["--plug=/lab/f1/t3", "/lab/f2"],
      ["--archive", "/lab/f1"],
      ["--restore", "/lab/f1"],
      ["--msg=hello from the test"],
      ["--edit_history=clear"],
      ["--delete=force", "yes", "/lab2"],
    ], 0);
    await twin.assertAlive();
  },
);

twinTest(
  "--alter: every action changes the server as ecflow_client does",
  async (t, generation) => {
    await using twin = await startTwin({ def: LAB_DEF, halted: true, generation });
    await steps(t, twin, [
      ["--alter", "add", "variable", "NEW_VAR", "v1", "/lab/f1"],
      ["--alter", "add", "variable", "PATHY", "/a/value", "/lab/f1", "/lab/f2"],
      ["--alter", "change", "variable", "NEW_VAR", 'naïve "q" ✓', "/lab/f1"],
      ["--alter", "delete", "variable", "NEW_VAR", "/lab/f1"],
      ["--alter", "add", "variable", "SRV", "x", "/"],
      ["--alter", "add", "label", "L2", "hello world", "/lab/f1/t1"],
      ["--alter", "change", "label", "L2", "a\\nb", "/lab/f1/t1"],
      ["--alter", "delete", "label", "L2", "/lab/f1/t1"],
      ["--alter", "add", "time", "+00:10", "/lab/f1/t2"],
      ["--alter", "add", "today", "10:00", "/lab/f1/t2"],
      ["--alter", "add", "date", "1.1.2030", "/lab/f1/t2"],
      ["--alter", "add", "day", "monday", "/lab/f1/t2"],
      ["--alter", "add", "zombie", "user:fob::", "/lab/f1/t2"],
      ["--alter", "add", "late", "-s +00:15", "/lab/f1/t2"],
      ["--alter", "add", "limit", "L9", "5", "/lab"],
      ["--alter", "add", "inlimit", "/lab:L9", "/lab/f2"],
      ["--alter", "change", "limit_max", "L9", "7", "/lab"],
      ["--alter", "change", "limit_value", "L9", "2", "/lab"],
      ["--alter", "change", "time", "+00:10", "+00:20", "/lab/f1/t2"],
      ["--alter", "change", "today", "10:00", "11:00", "/lab/f1/t2"],
      ["--alter", "change", "event", "ev1", "set", "/lab/f1/t1"],
      ["--alter", "change", "event", "ev1", "clear", "/lab/f1/t1"],
      ["--alter", "change", "meter", "m1", "30", "/lab/f1/t1"],
      ["--alter", "change", "trigger", "t1 == aborted", "/lab/f1/t2"],
      ["--alter", "change", "trigger", "/lab/f1/t1 == complete", "/lab/f1/t2"],
      ["--alter", "change", "complete", "t1 == complete", "/lab/f1/t2"],
      ["--alter", "change", "repeat", "2", "/lab/f2"],
      ["--alter", "change", "defstatus", "complete", "/lab/f1/t3"],
      ["--alter", "change", "late", "-c +03:00", "/lab/f2/t5"],
      ["--alter", "change", "clock_type", "hybrid", "/lab2"],
      ["--alter", "change", "clock_date", "1.2.2031", "/lab2"],
      ["--alter", "change", "clock_gain", "3600", "/lab2"],
      ["--alter", "set_flag", "late", "/lab/f1/t1"],
      ["--alter", "set_flag", "message", "/lab/f1/t1", "/lab/f1/t2"],
      ["--alter", "clear_flag", "late", "/lab/f1/t1"],
      ["--alter", "sort", "event", "/lab/f1/t1"],
      ["--alter", "sort", "all", "recursive", "/lab"],
      ["--alter", "delete", "time", "/lab/f1/t2"],
      ["--alter", "delete", "today", "/lab/f1/t2"],
      ["--alter", "delete", "date", "/lab/f1/t2"],
      ["--alter", "delete", "day", "/lab/f1/t2"],
      ["--alter", "delete", "zombie", "user", "/lab/f1/t2"],
      ["--alter", "delete", "late", "/lab/f1/t2"],
      ["--alter", "delete", "inlimit", "/lab:L9", "/lab/f2"],
      ["--alter", "delete", "limit", "L9", "/lab"],
      ["--alter", "delete", "event", "ev1", "/lab/f1/t1"],
      ["--alter", "delete", "meter", "/lab/f1/t1"],
      ["--alter", "delete", "trigger", "/lab/f1/t2"],
      ["--alter", "delete", "complete", "/lab/f1/t2"],
      ["--alter", "delete", "repeat", "/lab/f2"],
      ["--alter", "delete", "queue", "q1", "/lab/f1/t1"],
    ], 0);
    await twin.assertAlive();
  },
);

twinTest(
  "wrong paths, unknown nodes and bad arguments fail alike and change nothing",
  async (t, generation) => {
    await using twin = await startTwin({ def: LAB_DEF, halted: true, generation });
    await steps(t, twin, [
      ["--suspend=/lab/nonexistent"],
      ["--resume", "/nope"],
      ["--force=complete", "/lab/nope"],
      ["--force=done", "/lab/f1/t1"],
      ["--force=set", "/lab/f1/t1"],
      ["--requeue=later", "/lab"],
      ["--order=/lab/f2", "sideways"],
      ["--order=/nope", "top"],
      ["--run", "/nope"],
      ["--delete=/lab2"],
      ["--delete=force", "yes", "/nope"],
      ["--halt"],
      ["--shutdown"],
      ["--terminate=no"],
      ["--delete=_all_"],
      ["--status", "/lab/f1/t2"],
      ["--alter", "change", "variable"],
      ["--alter", "add", "variable", "X", "/lab"],
      ["--alter", "add", "event", "e", "/lab"],
      ["--alter", "frob", "variable", "X", "1", "/lab"],
      ["--alter", "change", "meter", "m1", "x", "/lab/f1/t1"],
      ["--alter", "change", "variable", "NOPE", "1", "/lab/nope"],
      ["--alter", "set_flag", "sparkly", "/lab"],
      ["--alter", "sort", "event", "sideways", "/lab"],
      ["--begin=nope"],
      ["--load=/nonexistent/file.def"],
      ["--replace=/lab/nope", LAB_DEF],
      ["--plug=/lab/f1", "/nope"],
      ["--zombie_fob=/lab/f1/t1"],
      ["--zombie_remove", "/nope"],
      ["--restore_from_checkpt"],
      ["--reloadwsfile"],
      ["--ch_drop=99"],
      ["--ch_add=99", "lab"],
      ["--check_pt=sometimes"],
    ]);
    await twin.assertAlive();
  },
);

const EXTRA_DEF = `suite x
  clock hybrid
  limit L 2
  task t
    cron 10:00
    cron -w 1,2 11:00
    generic g a b
    generic h c
    inlimit L
  task u
    inlimit L
endsuite
`;

twinTest(
  "--alter: the remaining kinds (cron, generic, limit_path, clock_sync)",
  async (t, generation) => {
    const dir = await Deno.makeTempDir({ prefix: "ecflow-ts-alter." });
    try {
      await Deno.writeTextFile(`${dir}/x.def`, EXTRA_DEF);
      await using twin = await startTwin({ def: `${dir}/x.def`, halted: true, generation });
      await twin.setup(["--begin=x"]);
      await twin.setup(["--force=active", "/x/t"]);
      await steps(t, twin, [
        ["--alter", "delete", "cron", "10:00", "/x/t"],
        ["--alter", "delete", "cron", "/x/t"],
        ["--alter", "delete", "generic", "g", "/x/t"],
        ["--alter", "delete", "generic", "/x/t"],
        ["--alter", "change", "clock_sync", "/x"],
      ], 0);
      // limit_path: the path to remove looks like a node path, so ecflow_client takes the
      // first path as the value yet still alters every path; both clients fail alike.
      await steps(t, twin, [
        ["--alter", "delete", "limit_path", "L", "/x/t", "/x"],
        ["--alter", "delete", "limit_path", "L", "/x"],
        ["--alter", "change", "clock_sync", "now", "/x"],
      ]);
      await twin.assertAlive();
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
);
