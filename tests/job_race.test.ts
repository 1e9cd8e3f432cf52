// ecFlow's own job-file race, reproduced with ECMWF's tutorial head.h and tail.h: a task in a
// repeat family ends with `ecflow_client --complete; trap 0; exit 0`; on the complete the
// server requeues the family and rewrites the same job file for the next iteration, while the
// finishing job's bash still has to read `trap 0` from it. When the rewrite wins, bash reads
// on at its old offset in the new text (or at the end of a truncated file), the EXIT trap
// calls `ecflow_client --abort=trap` and the job counts as failed. How soon the client exits
// after the server's reply decides how often that happens.
//
// The same suite runs twice at once, on two servers: with `ecflow_client` on the jobs' PATH
// resolving to the reference client, and to the README's wrapper running ecflow-ts; the CPU
// is kept busy by processes this test starts and stops by PID. It prints both failure counts;
// ecflow-ts must fail no more often than chance allows (a one-sided sign test at 1%: one run of
// 30 jobs cannot tell two clients apart by a failure or two).
import { assert, assertEquals, fail } from "./deps.ts";
import { ecflowPrograms, startServer } from "./harness/server.ts";
import { wrapperScript } from "../tools/compile.ts";

const ITERATIONS = 30;
/**
 * The repeat's values alternate in length, so every next job file puts the tail two bytes
 * away from where it was: a job that loses the race reads a shifted line, never the same one.
 */
const ITERATION_NAMES = Array.from({ length: ITERATIONS }, (_, i) => i % 2 ? `i${i}xx` : `i${i}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ECMWF's tutorial head.h and tail.h (docs/tutorial/getting_started/defining-the-first-task),
// with ECFLOW_ROOT_DIR pointed at the client under test, as the tutorial asks.
const HEAD_H = `#!/usr/bin/env bash
set -e # stop the shell on first error
set -u # fail when using an undefined variable
set -x # echo script lines as they are executed
#
# Important: Adjust the following to point at the ecFlow install location
#
ECFLOW_ROOT_DIR=%ECFLOW_ROOT_DIR%

# Define the variables that are needed for any communication with ECF
export ECF_PORT=%ECF_PORT%    # The server port number
export ECF_HOST=%ECF_HOST%    # The name of ecf host that issued this task
export ECF_NAME=%ECF_NAME%    # The name of this current task
export ECF_PASS=%ECF_PASS%    # A unique password
export ECF_TRYNO=%ECF_TRYNO%  # Current try number of the task
export ECF_RID=$$

# Define the path where to find ecflow_client
# make sure client and server use the *same* version.
# Important when there are multiple versions of ecFlow
export PATH=\${ECFLOW_ROOT_DIR}/bin:$PATH

# Tell ecFlow the task has started
ecflow_client --init=$$

# Define a error handler
ERROR() {
   set +e                      # Clear -e flag, so we don't fail
   wait                        # wait for background process to stop
   ecflow_client --abort=trap  # Notify ecFlow that something went wrong
   trap 0                      # Remove the trap
   exit 0                      # End the script
}

# Trap any calls to exit and errors caught by the -e flag
trap ERROR 0

# Trap any signal that may cause the script to fail
trap '{ echo "Killed by a signal"; ERROR ; }' 1 2 3 4 5 6 7 8 10 12 13 15
`;

const TAIL_H = `wait                      # wait for background process to stop
ecflow_client --complete  # Notify ecFlow of a normal end
trap 0                    # Remove all traps
exit 0                    # End the shell
`;

// The task's body reports progress as the tutorial's later chapters do (a label and an event).
const TASK_ECF = `%include <head.h>
echo "iteration %N% of a suite that lives in %ECF_HOME%"
ecflow_client --label=info "iteration %N%"
ecflow_client --event=a
%include <tail.h>
`;

/** The suite: a repeat family of ITERATIONS iterations; zombies let through, never blocked. */
function suiteDefs(name: string, root: string, home: string): string {
  return `suite ${name}
  edit ECF_HOME '${home}'
  edit ECF_INCLUDE '${home}'
  edit ECF_JOB_CMD '%ECF_JOB% 1> %ECF_JOBOUT% 2>&1 &'
  edit ECFLOW_ROOT_DIR '${root}'
  zombie ecf:fob::
  zombie ecf_pid:fob::
  zombie ecf_passwd:fob::
  zombie ecf_pid_passwd:fob::
  zombie path:fob::
  family f
    repeat string N ${ITERATION_NAMES.join(" ")}
    task t
      edit ECF_JOBOUT '%ECF_HOME%/%ECF_NAME%.%N%.%ECF_TRYNO%'
      label info ""
      event a
  endfamily
endsuite
`;
}

/** A job failed unless its output ends with the tail's complete, `trap 0` and `exit 0`. */
function failed(output: string): boolean {
  return output.includes("ecflow_client --abort") ||
    !/\+ ecflow_client --complete\n\+ trap 0\n\+ exit 0\n*$/.test(output);
}

/** Busy processes on every core, started here and stopped by PID. */
function loadCpu(): Deno.ChildProcess[] {
  return Array.from(
    { length: navigator.hardwareConcurrency },
    () =>
      new Deno.Command("bash", {
        args: ["-c", "while :; do :; done"],
        stdin: "null",
        stdout: "null",
        stderr: "null",
      }).spawn(),
  );
}

async function stopLoad(load: Deno.ChildProcess[]) {
  for (const p of load) {
    try {
      Deno.kill(p.pid, "SIGKILL");
    } catch { /* gone */ }
    await p.status;
  }
}

/** Runs the suite with `root/bin/ecflow_client` on the jobs' PATH; returns the failed jobs. */
async function runRace(name: string, root: string): Promise<{ failed: number; notes: string[] }> {
  await using server = await startServer();
  const home = server.home;
  const ref = async (...a: string[]) => {
    const out = await new Deno.Command(ecflowPrograms("5.9").client, {
      args: ["--host=127.0.0.1", `--port=${server.port}`, ...a],
      stdin: "null",
    }).output();
    const text = new TextDecoder().decode(out.stdout);
    if (!out.success) {
      throw new Error(`ecflow_client ${a.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
    }
    return text;
  };
  await Deno.writeTextFile(`${home}/head.h`, HEAD_H);
  await Deno.writeTextFile(`${home}/tail.h`, TAIL_H);
  await Deno.mkdir(`${home}/${name}/f`, { recursive: true });
  await Deno.writeTextFile(`${home}/${name}/f/t.ecf`, TASK_ECF);
  await Deno.writeTextFile(`${home}/${name}.def`, suiteDefs(name, root, home));
  await ref(`--load=${home}/${name}.def`);

  await ref(`--begin=${name}`);
  const deadline = Date.now() + 15 * 60_000; // a wait with a timeout, not a measurement
  let state = "";
  while ((state = (await ref("--query", "state", `/${name}`)).trim()) !== "complete") {
    if (Date.now() > deadline) {
      fail(`${name}: suite still ${state} after 15 minutes\n${await ref(`--get_state=/${name}`)}`);
    }
    await sleep(250);
  }

  let count = 0;
  const notes: string[] = [];
  for (const n of ITERATION_NAMES) {
    let tries = 0;
    for (let tryNo = 1;; tryNo++) {
      let out: string;
      try {
        out = await Deno.readTextFile(`${home}/${name}/f/t.${n}.${tryNo}`);
      } catch {
        break;
      }
      tries++;
      if (failed(out)) {
        count++;
        const lines = out.trimEnd().split("\n");
        notes.push(`${name} iteration ${n} try ${tryNo}: ... ${lines.slice(-8).join(" | ")}`);
      }
    }
    if (tries === 0) {
      const files = [...Deno.readDirSync(`${home}/${name}/f`)].map((e) => e.name).sort();
      fail(`${name}: iteration ${n} left no job output (found: ${files.join(" ")})`);
    }
  }
  assertEquals((await ref("--query", "repeat", `/${name}/f`)).trim(), ITERATION_NAMES.at(-1));
  return { failed: count, notes };
}

/**
 * The race is lost by chance, so equal clients do not fail equally often in one run: with the
 * same odds for both, each of the `ts + ref` failures is ecflow-ts's with probability 1/2. This
 * is the probability that ecflow-ts gets `ts` or more of them that way (a one-sided sign test);
 * a small value says ecflow-ts fails more often than ecflow_client.
 */
function moreFailuresByChance(ts: number, ref: number): number {
  const k = ts + ref;
  let p = 0;
  let choose = 1; // C(k, 0)
  for (let i = 0; i <= k; i++) {
    if (i >= ts) p += choose;
    choose = (choose * (k - i)) / (i + 1);
  }
  return p / 2 ** k;
}

Deno.test("the sign test: equal counts are chance, a one-sided excess of seven is not", () => {
  assertEquals(moreFailuresByChance(0, 0), 1);
  assertEquals(moreFailuresByChance(2, 0), 0.25);
  assertEquals(moreFailuresByChance(1, 1), 0.75);
  assert(moreFailuresByChance(7, 0) < 0.01);
  assert(moreFailuresByChance(10, 3) > 0.01);
  assert(moreFailuresByChance(12, 1) < 0.01);
});

Deno.test({
  name: "in a repeat family ended by tail.h under CPU load, ecflow-ts fails no more jobs than " +
    "ecflow_client",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "ecflow-ts-race." });
    try {
      // ecflow_client on PATH: the reference, or a wrapper running ecflow-ts
      await Deno.mkdir(`${dir}/ref/bin`, { recursive: true });
      await Deno.symlink(ecflowPrograms("5.9").client, `${dir}/ref/bin/ecflow_client`);
      await Deno.mkdir(`${dir}/ts/bin`, { recursive: true });
      const cli = new URL("../cli.ts", import.meta.url).pathname;
      await Deno.writeTextFile(`${dir}/ts/bin/ecflow_client`, wrapperScript(cli, Deno.execPath()));
      await Deno.chmod(`${dir}/ts/bin/ecflow_client`, 0o755);

      // both suites at once, each on its own server, under the same load
      const load = loadCpu();
      let ref, ts;
      try {
        [ref, ts] = await Promise.all([
          runRace("race_ref", `${dir}/ref`),
          runRace("race_ts", `${dir}/ts`),
        ]);
      } finally {
        await stopLoad(load);
      }
      console.log(
        `failed jobs of ${ITERATIONS}: ecflow_client ${ref.failed}, ecflow-ts ${ts.failed}`,
      );
      for (const n of [...ref.notes, ...ts.notes]) console.log(`  ${n}`);
      const p = moreFailuresByChance(ts.failed, ref.failed);
      console.log(`  chance of ecflow-ts failing this many more with equal odds: ${p.toFixed(3)}`);
      assert(
        p > 0.01,
        `ecflow-ts failed ${ts.failed} jobs, ecflow_client ${ref.failed}: more than chance gives ` +
          `(p = ${p.toFixed(4)})`,
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
