// The Client's user-command methods against a real server: each call is
// mirrored by the equivalent ecflow_client command on a twin server and the
// resulting server states (and returned values) must match.
import { assert, assertEquals, assertRejects } from "./deps.ts";
import { ecflowClient } from "./harness/server.ts";
import { Client, ConfigError, envFrom, ServerError } from "../mod.ts";
import { ctsNodeCommand, queryCommand } from "../lib/wire/mod.ts";
import { LAB_DEF, runningLab, startTwin, type Twin, twinTest } from "./user_twin.ts";

function clientFor(twin: Twin): Client {
  return new Client("127.0.0.1", twin.ours.port, {
    retry: { attempts: 1 },
    env: envFrom({ USER: Deno.env.get("USER") ?? "root" }),
    clientHost: Deno.hostname(),
  });
}

async function refRun(twin: Twin, args: string[]): Promise<string> {
  const r = await ecflowClient(
    ["--host=127.0.0.1", `--port=${twin.ref.port}`, ...args],
    {},
    twin.generation,
  );
  assertEquals(r.code, 0, `${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

twinTest("library: state-changing methods mirror ecflow_client", async (t, generation) => {
  await using twin = await startTwin({ halted: true, generation });
  const c = clientFor(twin);
  const pairs: [string, () => Promise<unknown>, string[]][] = [
    ["load(file)", () => c.load(LAB_DEF), [`--load=${LAB_DEF}`]],
    ["beginSuite", () => c.beginSuite("lab"), ["--begin=lab"]],
    ["suspend(many)", () => c.suspend(["/lab/f1", "/lab/f2"]), ["--suspend", "/lab/f1", "/lab/f2"]],
    ["resume", () => c.resume("/lab/f1"), ["--resume=/lab/f1"]],
    [
      "alter add",
      () => c.alter("/lab/f1", { action: "add", kind: "variable", name: "X", value: "1" }),
      [
        "--alter",
        "add",
        "variable",
        "X",
        "1",
        "/lab/f1",
      ],
    ],
    ["alter set_flag", () => c.alter(["/lab/f1/t1"], { action: "set_flag", flag: "late" }), [
      "--alter",
      "set_flag",
      "late",
      "/lab/f1/t1",
    ]],
    ["alter sort", () => c.alter("/lab", { action: "sort", kind: "variable", recursive: true }), [
      "--alter",
      "sort",
      "variable",
      "recursive",
      "/lab",
    ]],
    ["sortAttributes", () => c.sortAttributes("/lab/f1/t1", "event", { recursive: false }), [
      "--alter",
      "sort",
      "event",
      "/lab/f1/t1",
    ]],
    ["forceEvent", () => c.forceEvent("/lab/f1/t1:ev1", "set"), ["--force=set", "/lab/f1/t1:ev1"]],
    ["forceState", () => c.forceState("/lab/f1/t3", "complete"), [
      "--force=complete",
      "/lab/f1/t3",
    ]],
    ["forceStateRecursive", () => c.forceState("/lab/f2", "aborted", { recursive: true }), [
      "--force=aborted",
      "recursive",
      "/lab/f2",
    ]],
    ["requeue", () => c.requeue("/lab/f2", { mode: "abort" }), ["--requeue=abort", "/lab/f2"]],
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
    ["delete", () => c.delete("/s9", { force: true }), ["--delete=force", "yes", "/s9"]],
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

twinTest("library: read-only methods return what ecflow_client prints", async (_t, generation) => {
  await using twin = await startTwin({ def: LAB_DEF, halted: true, generation });
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
  const version = generation === "5.9" ? "5.9.2" : "5.17.0";
  assert(defs.text.startsWith(`#${version}\ndefs_state NET`), defs.text.slice(0, 40));
  assertEquals(defs.find("/lab/f1")?.absPath, "/lab/f1");
  const stats = await c.stats();
  assert(/^Server [Ss]tatistics\n/.test(stats), stats.slice(0, 40));
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

twinTest("library: news and sync keep a local copy; client handles", async (_t, generation) => {
  await using twin = await startTwin({ def: LAB_DEF, halted: true, generation });
  const c = clientFor(twin);
  assertEquals(await c.newsLocal(), true, "no local copy yet");
  const first = await c.syncLocal();
  assert(first.find("/lab") !== undefined, first.text.slice(0, 80));
  assertEquals(await c.newsLocal(), false, "nothing changed");
  await c.alter("/lab", {
    action: "change",
    kind: "variable",
    name: "SUITE_VAR",
    value: "changed",
  });
  assertEquals(await c.newsLocal(), true, "an alter is news");
  const second = await c.syncLocal();
  assert(second === first, "an incremental sync updates the local copy in place");
  assertEquals(second.find("/lab")?.findVariable("SUITE_VAR")?.value, "changed");
  assertEquals(await c.newsLocal(), false);
  const h = await c.chRegister({ suites: ["lab2"] });
  assert(h > 0);
  assertEquals(c.chHandle(), h);
  const table = await c.chSuites();
  assertEquals(table.handles.find((x) => x.handle === h)?.suites, ["lab2"]);
  const filtered = await c.syncLocal();
  assertEquals([...filtered.suites].map((x) => x.name), ["lab2"]);
  await c.chAdd(h, ["lab"]);
  await c.chAutoAdd(h, { autoAddNewSuites: true });
  await c.chRemove(h, ["lab2"]);
  assertEquals((await c.chSuites()).handles.find((x) => x.handle === h)?.suites, ["lab"]);
  await c.chDrop();
  assertEquals(c.chHandle(), 0);
  assertEquals((await c.chSuites()).handles, []);
  await twin.assertAlive();
});

twinTest(
  "library: server errors are ServerErrors; bad arguments fail before any connection",
  async (_t, generation) => {
    await using twin = await startTwin({ def: LAB_DEF, halted: true, generation });
    const c = clientFor(twin);
    const e = await assertRejects(() => c.suspend("/lab/nope"), ServerError);
    assertEquals(e.request, "--suspend /lab/nope");
    await assertRejects(() => c.query("state", "/nope"), ServerError);
    // Port 1 refuses connections: a ConfigError proves nothing was attempted.
    const offline = new Client("127.0.0.1", 1, { retry: { attempts: 1 }, env: envFrom({}) });
    // deno-lint-ignore no-explicit-any
    await assertRejects(() => offline.forceState("/s", "done" as any), ConfigError);
    await assertRejects(() => offline.suspend("relative/path"), ConfigError);
    await assertRejects(
      // deno-lint-ignore no-explicit-any
      () => offline.alter("/s", { action: "add", kind: "nonsense" as any, name: "e" }),
      ConfigError,
    );
    await assertRejects(() => offline.order("/s", "sideways" as "top"), ConfigError);
    await assertRejects(() => offline.load({ text: "suite x\n  tusk t\nendsuite\n" }), ConfigError);
    await assertRejects(() => offline.chDrop(), ConfigError);
    await assertRejects(() => offline.delete([]), ConfigError);
    assertEquals(
      await offline.load({ text: "extern /a\nsuite x\n task t\nendsuite\n" }, { checkOnly: true }),
      [],
    );
    await twin.assertAlive();
  },
);

twinTest(
  "library: files, scripts, zombies, logs and server control mirror ecflow_client",
  async (t, generation) => {
    await using twin = await runningLab(generation);
    const c = clientFor(twin);
    const norm = (s: string) => twin.norm(s);
    await t.step("getFile / editScript* return what ecflow_client prints", async () => {
      assertEquals(
        norm(await c.getFile("/lab/f1/t1") + "\n"),
        norm(await refRun(twin, ["--file=/lab/f1/t1"])),
      );
      assertEquals(
        norm(await c.getFile("/lab/f1/t1", { kind: "job", maxLines: 5 }) + "\n"),
        norm(await refRun(twin, ["--file=/lab/f1/t1", "job", "5"])),
      );
      assertEquals(
        norm(await c.editScriptEdit("/lab/f1/t1") + "\n"),
        norm(await refRun(twin, ["--edit_script=/lab/f1/t1", "edit"])),
      );
      assertEquals(
        norm(await c.editScriptPreprocess("/lab/f1/t1") + "\n"),
        norm(await refRun(twin, ["--edit_script=/lab/f1/t1", "pre_process"])),
      );
      await assertRejects(() => c.getFile("/lab/f1/t1", { kind: "jobout" }), ServerError);
    });
    const pairs: [string, () => Promise<unknown>, string[]][] = [
      ["editScriptSubmit", () => c.editScriptSubmit("/lab/f1/t3", { variables: { A: "1" } }), []],
      ["kill", () => c.kill("/lab/f1/t1"), ["--kill=/lab/f1/t1"]],
      ["status", () => c.status("/lab/f1/t1"), ["--status=/lab/f1/t1"]],
      ["run", () => c.run("/lab/f1/t2", { force: true }), ["--run=force", "/lab/f1/t2"]],
      [
        "requeue force (zombies)",
        () => c.requeue(["/lab/f1/t1", "/lab/f2/t5"], { mode: "force" }),
        [
          "--requeue=force",
          "/lab/f1/t1",
          "/lab/f2/t5",
        ],
      ],
      ["zombieFob", () => c.zombieFob("/lab/f1/t1"), ["--zombie_fob=/lab/f1/t1"]],
      ["zombieBlock", () => c.zombieBlock(["/lab/f2/t5"]), ["--zombie_block=/lab/f2/t5"]],
      ["zombieRemove", () => c.zombieRemove("/lab/f1/t1"), ["--zombie_remove=/lab/f1/t1"]],
      ["plug (submitted: refused)", () => c.plug("/lab/f1/t3", "/lab/f2"), [
        "--plug=/lab/f1/t3",
        "/lab/f2",
      ]],
      ["plug", () => c.plug("/lab/f2/t4", "/lab/f1"), ["--plug=/lab/f2/t4", "/lab/f1"]],
      ["archive (submitted: refused)", () => c.archive("/lab/f2"), ["--archive=/lab/f2"]],
      ["archive", () => c.archive("/lab2"), ["--archive=/lab2"]],
      ["restore", () => c.restore("/lab2"), ["--restore=/lab2"]],
      ["flushLog", () => c.flushLog(), ["--log=flush"]],
      ["newLog", () => c.newLog(), ["--log=new"]],
      ["clearLog", () => c.clearLog(), ["--log=clear"]],
      ["checkpt never", () => c.checkpt({ mode: "never" }), ["--check_pt=never"]],
      ["checkpt interval", () => c.checkpt({ mode: "on_time", interval: 200 }), [
        "--check_pt=on_time:200",
      ]],
      ["debugServerOn", () => c.debugServerOn(), ["--debug_server_on"]],
      ["debugServerOff", () => c.debugServerOff(), ["--debug_server_off"]],
      ["forceDepEval", () => c.forceDepEval(), ["--force-dep-eval"]],
      ["statsReset", () => c.statsReset(), ["--stats_reset"]],
      ["shutdownServer", () => c.shutdownServer(), ["--shutdown=yes"]],
      ["haltServer", () => c.haltServer(), ["--halt=yes"]],
      ["deleteAll", () => c.deleteAll({ force: true }), ["--delete=_all_", "force", "yes"]],
      ["restoreFromCheckpt", () => c.restoreFromCheckpt(), ["--restore_from_checkpt"]],
      ["restartServer", () => c.restartServer(), ["--restart"]],
    ];
    for (const [name, call, args] of pairs) {
      await t.step(name, async () => {
        if (name === "editScriptSubmit") {
          const f = await Deno.makeTempFile({ suffix: ".ecf" });
          await Deno.writeTextFile(f, "%comment\nA = 1\n%end\n");
          await refRun(twin, ["--edit_script=/lab/f1/t3", "submit", f]);
          await Deno.remove(f);
          await call();
        } else {
          const ref = await ecflowClient(["--host=127.0.0.1", `--port=${twin.ref.port}`, ...args]);
          const ours = await call().then(() => 0, (e) => {
            assert(e instanceof ServerError, `${name}: ${e}`);
            return 1;
          });
          assertEquals(ours, ref.code, `${name}: ${ref.stderr}`);
          assertEquals(ours, name.includes("refused") ? 1 : 0, name);
        }
        if (name.startsWith("requeue") || name.startsWith("zombie")) {
          const zombies = (await c.zombieGet()).map((z) => [z.path, z.type, z.userAction]);
          const ref = (await refRun(twin, ["--zombie_get"])).trim().split("\n").slice(1)
            .map((l) => l.split(/\s+/));
          assertEquals(zombies.map((z) => z[0]), ref.map((r) => r[0]), name);
        }
        await twin.assertSameState(name);
      });
    }
    await twin.assertAlive();
  },
);
