/**
 * Child commands never lose work. A job (our CLI as real `deno run`
 * processes, with a real jobs password) sends events, meters and labels
 * while its real server is first HALTED, then KILLED (SIGKILL) and restarted
 * from its check point on the same port. Every command must keep waiting
 * (not exit, not give up) while the server cannot take it, and arrive once
 * the server is back, within the job's timeout, as ecflow_client guarantees.
 */
import { assert, assertEquals, fail } from "./deps.ts";
import { ecflowTs, SERVER_BIN } from "./harness/server.ts";
import { startLab } from "./child_fixture.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** The job's own timeout for every child command (ms): everything must arrive well within it. */
const CHILD_TIMEOUT_MS = 60_000;
/** How long the server stays unavailable in each phase (ms). */
const OUTAGE_MS = 1500;

interface Pending {
  args: string[];
  done: Promise<{ code: number; stdout: string; stderr: string }>;
  finished: boolean;
}

function send(args: string[], env: Record<string, string>): Pending {
  const p: Pending = { args, finished: false, done: undefined! };
  p.done = ecflowTs(args, env).finally(() => p.finished = true);
  return p;
}

async function portRefuses(port: number): Promise<boolean> {
  try {
    const c = await Deno.connect({ hostname: "127.0.0.1", port });
    c.close();
    return false;
  } catch {
    return true;
  }
}

Deno.test("child commands sent while the server is halted, then killed and restarted, all arrive", async () => {
  await using lab = await startLab(["f1"]);
  const { port, home } = lab.server;
  const path = "/lab/f1/t1";
  const env = await lab.jobEnv(path, {
    ECF_TS_CHILD_RETRY_MS: "200",
    ECF_TS_CHILD_NEXT_HOST_MS: "200",
    ECF_TS_CHILD_TIMEOUT_MS: String(CHILD_TIMEOUT_MS),
  });
  let reborn: Deno.ChildProcess | undefined;
  try {
    const init = await ecflowTs(["--init=4242"], env);
    assertEquals(init.code, 0, init.stderr);
    assertEquals(await lab.query("state", path), "active");

    // ---- phase 1: HALTED
    assertEquals((await lab.ref(["--halt=yes"])).code, 0);
    const t1 = performance.now();
    const halted = [
      send(["--event=ev1"], env),
      send(["--meter=m1", "10"], env),
      send(["--label=lab1", "sent while halted"], env),
    ];
    await sleep(OUTAGE_MS);
    for (const p of halted) assert(!p.finished, `${p.args.join(" ")} gave up while halted`);
    assertEquals(await lab.query("event", `${path}:ev1`), "clear", "nothing arrives while halted");
    assertEquals((await lab.ref(["--restart"])).code, 0);
    for (const p of halted) {
      const r = await p.done;
      assertEquals(r.code, 0, `${p.args.join(" ")}: ${r.stderr}`);
      assert(r.stdout.includes("blocking : server is HALTED, continue waiting"), r.stdout);
    }
    const haltedMs = performance.now() - t1;
    assertEquals(await lab.query("event", `${path}:ev1`), "set");
    assertEquals(await lab.query("meter", `${path}:m1`), "10");
    assertEquals(await lab.query("label", `${path}:lab1`), "sent while halted");

    // ---- phase 2: KILLED, then a new server on the same port from the check point
    assertEquals((await lab.ref(["--check_pt"])).code, 0);
    Deno.kill(lab.server.pid, "SIGKILL");
    for (let i = 0; i < 100 && !(await portRefuses(port)); i++) await sleep(20);
    assert(await portRefuses(port), "the killed server still accepts connections");
    const t2 = performance.now();
    const killed = [
      send(["--event=ev2"], env),
      send(["--meter=m1", "50"], env),
      send(["--label=lab1", "sent while the server was dead"], env),
    ];
    await sleep(OUTAGE_MS);
    for (const p of killed) {
      assert(!p.finished, `${p.args.join(" ")} gave up while the server was down`);
    }

    reborn = new Deno.Command(SERVER_BIN, {
      args: [`--port=${port}`],
      cwd: home,
      env: { ECF_HOME: home, LANG: "C.UTF-8", TZ: "UTC" },
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).spawn();
    // It comes back HALTED from its check point: the commands keep waiting until the restart.
    let up = false;
    for (let i = 0; i < 200 && !up; i++) {
      up = (await lab.ref(["--ping"])).code === 0;
      if (!up) await sleep(25);
    }
    assert(up, "the restarted server does not answer");
    await sleep(500);
    for (const p of killed) assert(!p.finished, `${p.args.join(" ")} finished on a HALTED server`);
    assertEquals((await lab.ref(["--restart"])).code, 0);
    for (const p of killed) {
      const r = await p.done;
      assertEquals(r.code, 0, `${p.args.join(" ")}: ${r.stderr}`);
    }
    const killedMs = performance.now() - t2;

    // everything from both phases is there, and the job can still complete
    assertEquals(await lab.query("event", `${path}:ev1`), "set", "lost across the kill");
    assertEquals(await lab.query("event", `${path}:ev2`), "set");
    assertEquals(await lab.query("meter", `${path}:m1`), "50");
    assertEquals(await lab.query("label", `${path}:lab1`), "sent while the server was dead");
    const complete = await ecflowTs(["--complete"], env);
    assertEquals(complete.code, 0, complete.stderr);
    assertEquals(await lab.query("state", path), "complete");
    assertEquals(
      (await lab.ref(["--zombie_get"])).stdout.trim().split("\n").length,
      1,
      "no zombies",
    );
    assert(haltedMs < CHILD_TIMEOUT_MS && killedMs < CHILD_TIMEOUT_MS);
    console.log(
      `child restart: 3 commands through a halt (${(haltedMs / 1000).toFixed(1)} s), 3 through ` +
        `a SIGKILL + restart from check point (${(killedMs / 1000).toFixed(1)} s); none lost`,
    );
  } finally {
    if (reborn) {
      await lab.ref(["--terminate=yes"]).catch(() => {});
      const gone = await Promise.race([
        reborn.status.then(() => true),
        sleep(5000).then(() => false),
      ]);
      if (!gone) {
        try {
          reborn.kill("SIGKILL");
        } catch { /* gone */ }
        await reborn.status;
      }
    }
  }
});

Deno.test("a child command gives up with a clear line once its timeout passes (nothing hangs)", async () => {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  const t0 = performance.now();
  const r = await ecflowTs(["--event=ev1"], {
    ECF_HOST: "127.0.0.1",
    ECF_PORT: String(port),
    ECF_NAME: "/lab/f1/t1",
    ECF_PASS: "xyz",
    ECF_RID: "1",
    ECF_TRYNO: "1",
    ECF_TS_CHILD_RETRY_MS: "100",
    ECF_TS_CHILD_NEXT_HOST_MS: "100",
    ECF_TS_CHILD_TIMEOUT_MS: "1000",
  });
  const ms = performance.now() - t0;
  assertEquals(r.code, 1);
  if (ms > 10_000) fail(`took ${ms.toFixed(0)} ms`);
  assert(ms >= 1000, `gave up after ${ms.toFixed(0)} ms, before its timeout`);
  assert(!/\n\s+at /.test(r.stderr), r.stderr);
  assert(!r.stderr.includes("xyz"), "the jobs password was shown");
});
