// Differential tests: the same child commands, as a job would send them,
// through ecflow_client and through ecflow-ts against a real ecflow_server.
// Each client drives its own identical task (families "ref" and "ts"), then
// outputs, exit codes and the resulting node state are compared.
import { assert, assertEquals, assertMatch, assertStringIncludes } from "./deps.ts";
import { ecflowClient, ecflowTs } from "./harness/server.ts";
import { normalise, startLab } from "./child_fixture.ts";

/**
 * Runs `args` through both clients, each as the job of its own family's task;
 * `/lab/ref/` in an argument becomes `/lab/ts/` for ecflow-ts.
 */
async function both(
  lab: Awaited<ReturnType<typeof startLab>>,
  args: string[],
  task = "t1",
  extra: Record<string, string> = {},
) {
  const refEnv = await lab.jobEnv(`/lab/ref/${task}`, extra);
  const tsEnv = await lab.jobEnv(`/lab/ts/${task}`, extra);
  const tsArgs = args.map((a) => a.replaceAll("/lab/ref/", "/lab/ts/"));
  const [ref, ts] = [await ecflowClient(args, refEnv), await ecflowTs(tsArgs, tsEnv)];
  return { ref, ts };
}

Deno.test("CLI child commands: a whole job's calls give ecflow_client's outputs and identical task state", async () => {
  await using lab = await startLab(["ref", "ts"]);
  const steps: string[][] = [
    ["--init=4242", "--add", "MYVAR=1", "OTHER=two"],
    ["--event=ev1"],
    ["--event=2"],
    ["--event=ev1", "clear"],
    ["--event=ev1", "set"],
    ["--meter=m1", "50"],
    ["--meter", "m1", "-3"],
    ["--meter=m1", "75"],
    ["--label=lab1", "new", "label  value"],
    ["--queue=q1", "active"],
    ["--queue=q1", "complete", "001"],
    ["--queue=q1", "active"],
    ["--queue=q1", "aborted", "002"],
    ["--queue=q1", "no_of_aborted"],
    ["--queue=q1", "reset"],
    ["--queue=q1", "active", "/lab/ref/t1"],
    ["--wait=1 == 1"],
    ["--complete", "--remove", "OTHER"],
  ];
  for (const args of steps) {
    const { ref, ts } = await both(lab, args);
    assertEquals(
      { code: ts.code, stdout: ts.stdout, stderr: ts.stderr },
      { code: ref.code, stdout: ref.stdout, stderr: ref.stderr },
      `ecflow-ts ${args.join(" ")}`,
    );
  }
  // The task both jobs drove. Not its family: t2 (trigger t1 == complete) is submitted at the
  // server's next job-submission pass, which can fall between the two --complete calls; and
  // the state's durations, counted in whole seconds, can straddle a second's turn.
  const state = (f: string) =>
    lab.stateText(`/lab/${f}/t1`).then((t) =>
      normalise(t, lab.server.port, f).replace(/passwd:\S+/g, "P")
        .replace(/ (dur|rt):\d\d:\d\d:\d\d/g, " $1:<D>")
    );
  const [refState, tsState] = [await state("ref"), await state("ts")];
  assertStringIncludes(tsState, "task t1 # try:1 state:complete dur:<D> rt:<D>");
  assertEquals(tsState, refState);
  assertEquals(await lab.query("state", "/lab/ts/t1"), "complete");
  assertEquals(await lab.query("meter", "/lab/ts/t1:m1"), "75");
  assertEquals(await lab.query("label", "/lab/ts/t1:lab1"), "new label  value");
  assertEquals(await lab.query("event", "/lab/ts/t1:ev2"), "set");
  assertStringIncludes(tsState, "edit MYVAR '1'");
  assert(!tsState.includes("OTHER"), "--remove OTHER removed the variable");
  assert(await lab.server.alive());
});

Deno.test("CLI --abort: reason reaches the server as ecflow_client sends it", async () => {
  await using lab = await startLab(["ref", "ts"]);
  await both(lab, ["--init=4242"]);
  const { ref, ts } = await both(lab, ["--abort=disk full; giving up"]);
  assertEquals([ts.code, ts.stdout, ts.stderr], [ref.code, ref.stdout, ref.stderr]);
  for (const f of ["ref", "ts"]) assertEquals(await lab.query("state", `/lab/${f}/t1`), "aborted");
  const reason = (f: string) =>
    lab.stateText(`/lab/${f}/t1`).then((t) => /abort<:([^>]*)>abort/.exec(t)?.[1] ?? t);
  assertEquals(await reason("ts"), await reason("ref"));
  assert(await lab.server.alive());
});

Deno.test("CLI child commands: bad arguments and a missing job context fail like ecflow_client, without connecting", async () => {
  // Port 1 is never an ecflow_server: a client that tried to connect would say so.
  const job = {
    ECF_HOST: "127.0.0.1",
    ECF_PORT: "1",
    ECF_NAME: "/s/t",
    ECF_PASS: "pw",
    ECF_RID: "77",
  };
  const cases: [string[], Record<string, string>, string][] = [
    [
      ["--init=78"],
      job,
      "remote id(78) passed as an argument, not the same the client environment ECF_RID(77)",
    ],
    [["--init=77", "--rid=99"], job, "not the same the client environment ECF_RID(99)"],
    [["--init=77"], { ...job, ECF_NAME: "" }, "InitCmd: No task path specified for ECF_NAME"],
    [
      ["--complete"],
      { ...job, ECF_PASS: "" },
      "CompleteCmd: No jobs password specified for ECF_PASS",
    ],
    [["--init=77", "--add", "X"], job, "Could not parse variable provided to --add"],
    [["--meter=m1"], job, "MeterCmd: Two arguments expected, found 1"],
    [["--meter=m1", "ten"], job, "MeterCmd: Second argument must be a integer"],
    [["--label=l1"], job, "LabelCmd: At least 2 arguments expected"],
    [
      ["--event=e", "maybe"],
      job,
      "EventCmd: The second argument must be [ set | clear ] but found maybe",
    ],
    [["--queue=q1"], job, "QueueCmd: incorrect argument specified"],
    [["--queue=q1", "complete"], job, "a step must be provided"],
    [["--queue=q1", "active", "001"], job, "step should not be used with active"],
  ];
  for (const [args, env, message] of cases) {
    const clean = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ""));
    const [ref, ts] = [await ecflowClient(args, clean), await ecflowTs(args, clean)];
    assertEquals(ref.code, 1, `ecflow_client ${args.join(" ")}`);
    assertEquals(ts.code, 1, `ecflow-ts ${args.join(" ")}: ${ts.stderr}`);
    assertStringIncludes(ref.stderr, message);
    assertStringIncludes(ts.stderr, message);
    assertEquals(ts.stdout, "");
    assert(!/connect/i.test(ts.stderr), ts.stderr);
    assertEquals(ts.stderr.trim().split("\n").length, 1, `one line: ${ts.stderr}`);
  }
});

Deno.test("CLI child commands: NO_ECF prints NO_ECF and succeeds without a server", async () => {
  const env = { ECF_HOST: "127.0.0.1", ECF_PORT: "1", NO_ECF: "1" };
  for (const args of [["--init=1"], ["--complete"], ["--label=a", "b"], ["--queue=q", "active"]]) {
    const [ref, ts] = [await ecflowClient(args, env), await ecflowTs(args, env)];
    assertEquals(ref, { code: 0, stdout: "NO_ECF\n", stderr: "" });
    assertEquals(ts, ref);
  }
});

Deno.test("CLI child commands: a wrong password is a zombie: event is fobbed, init blocks until ECF_ZOMBIE_TIMEOUT", async () => {
  await using lab = await startLab(["ref", "ts"]);
  const { ref, ts } = await both(lab, ["--event=ev1"], "t1", { ECF_PASS: "wrongpw" });
  assertEquals([ts.code, ts.stdout, ts.stderr], [ref.code, ref.stdout, ref.stderr]);
  assertEquals([ts.code, await lab.query("event", "/lab/ts/t1:ev1")], [0, "clear"]);

  const env = await lab.jobEnv("/lab/ts/t1", {
    ECF_PASS: "wrongpw",
    ECF_TS_CHILD_RETRY_MS: "100",
    ECF_TS_CHILD_NEXT_HOST_MS: "100",
    ECF_TS_CHILD_ZOMBIE_TIMEOUT_MS: "500",
  });
  const t0 = performance.now();
  const init = await ecflowTs(["--init=4242"], env);
  const s = (performance.now() - t0) / 1000;
  assertEquals(init.code, 1);
  const out = normalise(init.stdout, lab.server.port).split("\n");
  assertEquals(
    out[0],
    "[T] ClientInvoker: chd:init /lab/ts/t1 : 127.0.0.1:PORT : blocking : zombie detected, continue waiting",
  );
  assertEquals(
    out[1],
    "[T] ClientInvoker: chd:init /lab/ts/t1 current host(127.0.0.1:PORT) trying next host(127.0.0.1:PORT)",
  );
  assertMatch(
    init.stdout,
    /ClientInvoker: \*ZOMBIE\* Timed out after ECF_ZOMBIE_TIMEOUT\(0\.5\) seconds : for 127\.0\.0\.1:\d+\n$/,
  );
  assertStringIncludes(init.stderr, "*ZOMBIE* Timed out");
  assert(s < 10, `took ${s} s`);
  const zombies = await lab.ref(["--zombie_get"]);
  assertStringIncludes(zombies.stdout, "/lab/ts/t1");
  assertEquals(await lab.query("state", "/lab/ts/t1"), "submitted");
  assert(await lab.server.alive());
});

Deno.test("CLI child commands: a halted server blocks the job; it goes through once the server runs again", async () => {
  await using lab = await startLab(["ts"]);
  await lab.ref(["--halt=yes"]);
  const env = await lab.jobEnv("/lab/ts/t1", {
    ECF_TS_CHILD_RETRY_MS: "100",
    ECF_TS_CHILD_NEXT_HOST_MS: "100",
  });
  const pending = ecflowTs(["--event=ev1"], env);
  await new Promise((r) => setTimeout(r, 1500));
  assertEquals(await lab.query("event", "/lab/ts/t1:ev1"), "clear");
  await lab.ref(["--restart"]);
  const r = await pending;
  assertEquals(r.code, 0, r.stderr);
  assertEquals(
    normalise(r.stdout, lab.server.port).split("\n")[0],
    "[T] ClientInvoker: chd:event ev1 1 /lab/ts/t1 : 127.0.0.1:PORT : blocking : server is HALTED, continue waiting",
  );
  assertEquals(await lab.query("event", "/lab/ts/t1:ev1"), "set");

  await lab.ref(["--halt=yes"]);
  const gaveUp = await ecflowTs(["--meter=m1", "5"], { ...env, ECF_TS_CHILD_TIMEOUT_MS: "300" });
  assertEquals(gaveUp.code, 1);
  assertMatch(
    gaveUp.stdout,
    /Timed out after ECF_TIMOUT\(0\.3\) seconds : for 127\.0\.0\.1:\d+\n$/,
  );
  assert(await lab.server.alive());
});

Deno.test("CLI child commands: a dead ECF_PORT fails over to the ECF_HOSTFILE server; ECF_DENIED does not", async () => {
  await using lab = await startLab(["ts"]);
  const hosts = `${lab.server.home}/hosts`;
  await Deno.writeTextFile(hosts, `# backup servers\n127.0.0.1:${lab.server.port}\n`);
  const env = await lab.jobEnv("/lab/ts/t1", {
    ECF_PORT: "1",
    ECF_HOSTFILE: hosts,
    ECF_TS_CHILD_RETRY_MS: "50",
    ECF_TS_CHILD_NEXT_HOST_MS: "50",
  });
  const perms = ["--allow-net", "--allow-env", `--allow-read=${hosts}`];
  const r = await ecflowTs(["--label=lab1", "via", "backup"], env, perms);
  assertEquals(r.code, 0, r.stderr);
  assertEquals(await lab.query("label", "/lab/ts/t1:lab1"), "via backup");
  assertEquals(
    normalise(r.stdout, lab.server.port),
    "[T] ClientInvoker: chd:label lab1 'via backup' /lab/ts/t1 current host(127.0.0.1:1) trying next host(127.0.0.1:PORT)\n",
  );
  assertEquals(r.stderr.trim().split("\n").length, 2, "one connection error line per attempt");
  assertStringIncludes(r.stderr, "ClientInvoker: Connection error: (");

  const denied = await ecflowTs(["--label=lab1", "never"], { ...env, ECF_DENIED: "1" }, perms);
  assertEquals(denied.code, 1);
  assertEquals(await lab.query("label", "/lab/ts/t1:lab1"), "via backup");
  // --host/--port given explicitly disable the host file (ecflow_client 5.9.2)
  const explicit = await ecflowTs(["--port=1", "--label=lab1", "x"], {
    ...env,
    ECF_TS_CHILD_TIMEOUT_MS: "200",
  }, perms);
  assertEquals(explicit.code, 1);
  assertStringIncludes(explicit.stdout, "trying next host(127.0.0.1:1)");
  assert(await lab.server.alive());
});

Deno.test("CLI --wait: polls while the expression is false, returns once it holds", async () => {
  await using lab = await startLab(["ts"]);
  const env = await lab.jobEnv("/lab/ts/t1", { ECF_TS_CHILD_RETRY_MS: "100" });
  const pending = ecflowTs(["--wait=/lab/ts/t1:ev1"], env);
  await new Promise((r) => setTimeout(r, 1000));
  assertEquals(await lab.query("event", "/lab/ts/t1:ev1"), "clear");
  assertEquals((await ecflowTs(["--event=ev1"], env)).code, 0);
  const r = await pending;
  assertEquals(r.code, 0, r.stderr);
  assertEquals(
    normalise(r.stdout, lab.server.port),
    "[T] ClientInvoker: chd:wait /lab/ts/t1:ev1 /lab/ts/t1 : 127.0.0.1:PORT : WAITING on home server, continue waiting\n",
  );
  // an expression that does not parse: ecflow_client refuses it locally, the server refuses it for us
  const bad = ["--wait=a =="];
  const [ref, ts] = [await ecflowClient(bad, env), await ecflowTs(bad, env)];
  assertEquals([ref.code, ts.code], [1, 1]);
  for (const r of [ref, ts]) {
    assertStringIncludes(r.stderr, "CtsWaitCmd: Failed to parse expression 'a =='");
  }
  assert(await lab.server.alive());
});
