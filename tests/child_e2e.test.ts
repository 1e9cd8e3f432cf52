// End to end: a real ecflow_server runs a suite whose job scripts call only
// the ecflow-ts CLI (deno run, network scoped to the server, env scoped to
// ECF_*). The reference ecflow_client is used only as an independent observer
// (load, begin, halt/restart, queries).
import { assert, assertEquals, fail } from "./deps.ts";
import { ecflowClient, type EcflowServer, SERVER_BIN, startServer } from "./harness/server.ts";
import { ecflowTsCommand, expectedFinalValues, writeDemoSuite } from "../demo/suite.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function jobOutputs(dir: string): Promise<string> {
  const out: string[] = [];
  const walk = async (d: string) => {
    for await (const e of Deno.readDir(d)) {
      const p = `${d}/${e.name}`;
      if (e.isDirectory) await walk(p);
      else if (/\.\d+$/.test(e.name)) out.push(`== ${p}\n${await Deno.readTextFile(p)}`);
    }
  };
  await walk(dir);
  return out.join("\n");
}

type Ref = (args: string[]) => ReturnType<typeof ecflowClient>;

/**
 * Loads and begins the suite, calls `interrupt` once work/a is mid-run, then
 * waits for the suite to complete and checks every attribute.
 */
async function runSuite(interrupt: (server: EcflowServer, ref: Ref) => Promise<string>) {
  await using server = await startServer();
  const dir = await Deno.makeTempDir({ prefix: "ecflow-ts-e2e." });
  try {
    const port = server.port;
    const ref = (args: string[]) => ecflowClient(["--host=127.0.0.1", `--port=${port}`, ...args]);
    const query = async (kind: string, path: string) =>
      (await ref(["--query", kind, path])).stdout.trim();
    const defs = await writeDemoSuite({
      name: "e2e",
      dir,
      host: "127.0.0.1",
      port,
      ecflowTs: ecflowTsCommand("127.0.0.1", port),
      stepSeconds: 0.4,
      retryMs: 200,
    });
    await Deno.writeTextFile(`${dir}/e2e.def`, defs);
    for (const args of [[`--load=${dir}/e2e.def`], ["--begin=e2e"]]) {
      const r = await ref(args);
      assertEquals(r.code, 0, r.stderr);
    }

    // Halt the server while work/a is in the middle of its steps.
    const deadline = Date.now() + 90_000;
    while (Number((await query("meter", "/e2e/work/a:progress")) || 0) < 1) {
      if (Date.now() > deadline) fail(`work/a never started\n${await jobOutputs(dir)}`);
      await sleep(100);
    }
    const blockedLine = await interrupt(server, ref);
    assertEquals(await query("state", "/e2e/work/a"), "active");

    let state = "";
    while ((state = await query("state", "/e2e")) !== "complete") {
      if (Date.now() > deadline) {
        const tree = (await ref(["--get_state=/e2e"])).stdout;
        fail(`suite is ${state} after 90 s\n${tree}\n${await jobOutputs(dir)}`);
      }
      await sleep(200);
    }

    for (const { path, kind, value } of expectedFinalValues("e2e")) {
      assertEquals(await query(kind, path), value, `${kind} ${path}`);
    }
    // the flaky task really aborted once and ran a second try
    const tree = (await ref(["--get_state=/e2e"])).stdout;
    assert(/task flaky # try:2 /.test(tree), tree);
    const log = (await ref(["--log=get", "1000"])).stdout;
    assert(/aborted: \/e2e\/prep\/flaky try-no: 1 reason: trapped error/.test(log), log);
    assert(/complete: \/e2e\/prep\/flaky/.test(log), "flaky completed on its second try");
    // work/a was mid-run at the halt: its next child command blocked, then went through
    const aOut = await Deno.readTextFile(`${dir}/e2e/work/a.1`);
    assert(aOut.includes(blockedLine), aOut);
    // every job used ecflow-ts: the generated job files run deno, never ecflow_client
    const job = await Deno.readTextFile(`${dir}/e2e/work/a.job1`);
    assert(job.includes(`--allow-net=127.0.0.1:${port}`) && !job.includes("ecflow_client"));
    assertEquals((await ref(["--zombie_get"])).stdout.trim().split("\n").length, 1, "no zombies");
    assert(await server.alive());
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

Deno.test("end to end: a suite whose jobs use only ecflow-ts completes, losing nothing across a halt and restart", async () => {
  await runSuite(async (_server, ref) => {
    const query = async (kind: string, path: string) =>
      (await ref(["--query", kind, path])).stdout.trim();
    assertEquals((await ref(["--halt=yes"])).code, 0);
    const atHalt = await query("meter", "/e2e/work/a:progress");
    await sleep(2000);
    assertEquals(await query("meter", "/e2e/work/a:progress"), atHalt, "halted: nothing changes");
    assert(Number(atHalt) < 5, `work/a finished before the halt (${atHalt})`);
    assertEquals((await ref(["--restart"])).code, 0);
    return "blocking : server is HALTED, continue waiting";
  });
});

Deno.test("end to end: jobs ride out the server process being killed and restarted from its checkpoint", async () => {
  let replacement: Deno.ChildProcess | undefined;
  try {
    await runSuite(async (server, ref) => {
      // halt (so no request is half-applied), checkpoint, then kill the process outright
      assertEquals((await ref(["--halt=yes"])).code, 0);
      assertEquals((await ref(["--check_pt"])).code, 0);
      Deno.kill(server.pid, "SIGKILL");
      while (await server.alive()) await sleep(20);
      await sleep(1500); // jobs now get "connection refused" and keep retrying
      replacement = new Deno.Command(SERVER_BIN, {
        args: [`--port=${server.port}`],
        cwd: server.home,
        env: { ECF_HOME: server.home, LANG: "C.UTF-8", TZ: "UTC" },
        stdin: "null",
        stdout: "null",
        stderr: "null",
      }).spawn();
      const deadline = Date.now() + 15_000;
      while (!(await server.alive())) {
        if (Date.now() > deadline) fail("the replacement server did not come up");
        await sleep(50);
      }
      // it starts HALTED from the checkpoint, with the suite as it was
      assertEquals((await ref(["--query", "state", "/e2e/work/a"])).stdout.trim(), "active");
      assertEquals((await ref(["--restart"])).code, 0);
      return "ClientInvoker: Connection error: (";
    });
  } finally {
    if (replacement) {
      try {
        replacement.kill("SIGKILL");
      } catch { /* gone */ }
      await replacement.status;
    }
  }
});
