// The Client's user-command methods against a real server: each call is
// mirrored by the equivalent ecflow_client command on a twin server and the
// resulting server states (and returned values) must match.
import { assert, assertEquals, assertRejects } from "./deps.ts";
import { ecflowClient } from "./harness/server.ts";
import { Client, ConfigError, ctsNodeCommand, envFrom, queryCommand, ServerError } from "../mod.ts";
import { LAB_DEF, startTwin, type Twin } from "./user_twin.ts";

function clientFor(twin: Twin): Client {
  return new Client("127.0.0.1", twin.ours.port, {
    retry: { attempts: 1 },
    env: envFrom({ USER: Deno.env.get("USER") ?? "root" }),
    clientHost: Deno.hostname(),
  });
}

async function refRun(twin: Twin, args: string[]): Promise<string> {
  const r = await ecflowClient(["--host=127.0.0.1", `--port=${twin.ref.port}`, ...args]);
  assertEquals(r.code, 0, `${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

Deno.test("library: state-changing methods mirror ecflow_client", async (t) => {
  await using twin = await startTwin({ halted: true });
  const c = clientFor(twin);
  const pairs: [string, () => Promise<unknown>, string[]][] = [
    ["load(file)", () => c.load(LAB_DEF), [`--load=${LAB_DEF}`]],
    ["beginSuite", () => c.beginSuite("lab"), ["--begin=lab"]],
    ["suspend(many)", () => c.suspend(["/lab/f1", "/lab/f2"]), ["--suspend", "/lab/f1", "/lab/f2"]],
    ["resume", () => c.resume("/lab/f1"), ["--resume=/lab/f1"]],
    ["alter add", () => c.alter("/lab/f1", "add", "variable", "X", "1"), [
      "--alter",
      "add",
      "variable",
      "X",
      "1",
      "/lab/f1",
    ]],
    ["alter set_flag", () => c.alter(["/lab/f1/t1"], "set_flag", "late"), [
      "--alter",
      "set_flag",
      "late",
      "/lab/f1/t1",
    ]],
    ["alter sort", () => c.alter("/lab", "sort", "variable", "recursive"), [
      "--alter",
      "sort",
      "variable",
      "recursive",
      "/lab",
    ]],
    ["forceEvent", () => c.forceEvent("/lab/f1/t1:ev1", "set"), ["--force=set", "/lab/f1/t1:ev1"]],
    ["forceState", () => c.forceState("/lab/f1/t3", "complete"), [
      "--force=complete",
      "/lab/f1/t3",
    ]],
    ["forceStateRecursive", () => c.forceStateRecursive("/lab/f2", "aborted"), [
      "--force=aborted",
      "recursive",
      "/lab/f2",
    ]],
    ["requeue", () => c.requeue("/lab/f2", "abort"), ["--requeue=abort", "/lab/f2"]],
    ["order", () => c.order("/lab/f2", "top"), ["--order=/lab/f2", "top"]],
    ["freeTriggerDep", () => c.freeTriggerDep("/lab/f1/t2"), ["--free-dep", "/lab/f1/t2"]],
    ["freeTimeDep", () => c.freeTimeDep("/lab/f1/t3"), ["--free-dep=time", "/lab/f1/t3"]],
    ["freeAllDep", () => c.freeAllDep("/lab/f2/t4"), ["--free-dep=all", "/lab/f2/t4"]],
    ["logMsg", () => c.logMsg("hi"), ["--msg=hi"]],
    ["checkpt", () => c.checkpt(), ["--check_pt"]],
    ["replace", () => c.replace("/lab/f2", LAB_DEF, { force: true }), [
      "--replace=/lab/f2",
      LAB_DEF,
      "parent",
      "force",
    ]],
    [
      "load(text, force)",
      () => c.load({ text: "suite s9\n  task t\nendsuite\n" }, { force: true }),
      [
        "--load=/dev/stdin",
      ],
    ],
    ["delete", () => c.delete("/s9", true), ["--delete=force", "yes", "/s9"]],
  ];
  for (const [name, call, args] of pairs) {
    await t.step(name, async () => {
      if (args[0] === "--load=/dev/stdin") {
        const f = await Deno.makeTempFile({ suffix: ".def" });
        await Deno.writeTextFile(f, "suite s9\n  task t\nendsuite\n");
        await refRun(twin, [`--load=${f}`, "force"]);
        await Deno.remove(f);
      } else await refRun(twin, args);
      await call();
      await twin.assertSameState(name);
    });
  }
  await twin.assertAlive();
});

Deno.test("library: read-only methods return what ecflow_client prints", async () => {
  await using twin = await startTwin({ def: LAB_DEF, halted: true });
  const c = clientFor(twin);
  assertEquals(
    (await c.suites()).join(" "),
    (await refRun(twin, ["--suites"])).trim().replace(/\s+/g, " "),
  );
  assertEquals(
    await c.query("state", "/lab/f1/t1") + "\n",
    await refRun(twin, ["--query", "state", "/lab/f1/t1"]),
  );
  assertEquals(
    await c.query("trigger", "/lab/f1/t2", "t1 == complete") + "\n",
    await refRun(twin, ["--query", "trigger", "/lab/f1/t2", "t1 == complete"]),
  );
  assertEquals(await c.check() + "\n", await refRun(twin, ["--check=_all_"]));
  assertEquals(
    (await c.editHistory("/lab")).map((l) => l + "\n").join(""),
    await refRun(twin, ["--edit_history=/lab"]),
  );
  assertEquals(
    await c.getLogPath() + "\n",
    (await refRun(twin, ["--log=path"])).replace(
      String(twin.ref.port),
      String(twin.ours.port),
    ).replace(twin.ref.home, twin.ours.home),
  );
  assertEquals(await c.zombieGet(), []);
  const text = await c.getDefsText("get", "/lab/f1");
  assert(text.includes("family f1"), text);
  const defs = await c.getServerDefs();
  assertEquals(c.getDefs(), defs);
  assert(defs.startsWith("#5.9.2\ndefs_state NET"), defs.slice(0, 40));
  const stats = await c.stats();
  assert(stats.startsWith("Server statistics"), stats.slice(0, 40));
  for (const path of ["", "/lab", "/lab/f1/t3", "/lab/f2/t4"]) {
    assertEquals(
      await c.why(path) + "\n",
      await refRun(twin, [`--group=get; why${path ? "=" + path : ""}`]),
      `why ${path}`,
    );
  }
  const replies = await c.group([ctsNodeCommand("get", "/lab2"), queryCommand("state", "/lab2")]);
  assertEquals(replies.map((r) => r.kind), ["node", "string"]);
  await twin.assertAlive();
});

Deno.test("library: news and sync keep a local copy; client handles", async () => {
  await using twin = await startTwin({ def: LAB_DEF, halted: true });
  const c = clientFor(twin);
  assertEquals(await c.newsLocal(), true, "no local copy yet");
  const first = await c.syncLocal();
  assert(first.includes("suite lab"), first.slice(0, 80));
  assertEquals(await c.newsLocal(), false, "nothing changed");
  await c.alter("/lab", "change", "variable", "SUITE_VAR", "changed");
  assertEquals(await c.newsLocal(), true, "an alter is news");
  const second = await c.syncLocal();
  assert(second.includes("edit SUITE_VAR 'changed'"));
  assertEquals(await c.newsLocal(), false);
  const h = await c.chRegister(false, ["lab2"]);
  assert(h > 0);
  assertEquals(c.chHandle(), h);
  const table = await c.chSuites();
  assertEquals(table.handles.find((x) => x.handle === h)?.suites, ["lab2"]);
  const filtered = await c.syncLocal();
  assert(filtered.includes("suite lab2") && !filtered.includes("suite lab\n"), filtered);
  await c.chAdd(h, ["lab"]);
  await c.chAutoAdd(h, true);
  await c.chRemove(h, ["lab2"]);
  assertEquals((await c.chSuites()).handles.find((x) => x.handle === h)?.suites, ["lab"]);
  await c.chDrop();
  assertEquals(c.chHandle(), 0);
  assertEquals((await c.chSuites()).handles, []);
  await twin.assertAlive();
});

Deno.test("library: server errors are ServerErrors; bad arguments fail before any connection", async () => {
  await using twin = await startTwin({ def: LAB_DEF, halted: true });
  const c = clientFor(twin);
  const e = await assertRejects(() => c.suspend("/lab/nope"), ServerError);
  assertEquals(e.request, "--suspend /lab/nope");
  await assertRejects(() => c.query("state", "/nope"), ServerError);
  // Port 1 refuses connections: a ConfigError proves nothing was attempted.
  const offline = new Client("127.0.0.1", 1, { retry: { attempts: 1 }, env: envFrom({}) });
  // deno-lint-ignore no-explicit-any
  await assertRejects(() => offline.forceState("/s", "done" as any), ConfigError);
  await assertRejects(() => offline.suspend("relative/path"), ConfigError);
  await assertRejects(() => offline.alter("/s", "add", "event", "e"), ConfigError);
  await assertRejects(() => offline.order("/s", "sideways" as "top"), ConfigError);
  await assertRejects(() => offline.load({ text: "suite x\n  tusk t\nendsuite\n" }), ConfigError);
  await assertRejects(() => offline.chDrop(), ConfigError);
  await assertRejects(() => offline.delete([]), ConfigError);
  assertEquals(
    await offline.load({ text: "extern /a\nsuite x\n task t\nendsuite\n" }, { checkOnly: true }),
    [],
  );
  await twin.assertAlive();
});
