/**
 * Twin servers for differential tests of user commands: two fresh, identical
 * private servers; every step runs `ecflow_client` against one and ecflow-ts
 * against the other, so both servers see the same request sequence and stay
 * comparable. Output and server state are compared after normalising only
 * what truly varies between two servers: ports, ECF_HOME, PIDs, job
 * passwords, times, dates, and what each server computes at its own calendar
 * updates (their count, state durations).
 */
import { assert, assertEquals } from "./deps.ts";
import {
  ecflowClient,
  type EcflowServer,
  ecflowTs,
  type Generation,
  GENERATIONS,
  type RunResult,
  startServer,
} from "./harness/server.ts";
import { ECFLOW_FIXTURES } from "./captures.ts";
import { prepareDefinition } from "../lib/client/definitions.ts";
import { formatLoadPrint } from "../lib/cli/output.ts";
import { printProfile } from "../lib/defs/mod.ts";

/**
 * Registers one test per server generation (`[5.9] name`, `[5.17] name`): the body gets the
 * generation to start its twin with.
 */
export function twinTest(
  name: string,
  body: (t: Deno.TestContext, generation: Generation) => Promise<void>,
): void {
  for (const generation of GENERATIONS) {
    Deno.test(`[${generation}] ${name}`, (t) => body(t, generation));
  }
}

/** The lab suite used by the captures. */
export const LAB_DEF = `${ECFLOW_FIXTURES}/fixtures/lab.def`;

const HOSTNAME = Deno.hostname();

/** Permissions our CLI runs with in these tests (files for load/replace). */
const TS_PERMISSIONS = ["--allow-net", "--allow-env", "--allow-read"];

/** A pair of servers: `ref` for ecflow_client, `ours` for ecflow-ts. */
export interface Twin extends AsyncDisposable {
  /** Which ecFlow both servers are, and whose ecflow_client is the reference. */
  generation: Generation;
  /** Served by ecflow_client. */
  ref: EcflowServer;
  /** Served by ecflow-ts. */
  ours: EcflowServer;
  /** Runs `args` through both clients (ref first); returns both results. */
  both(args: string[]): Promise<{ ref: RunResult; ours: RunResult }>;
  /** Runs `args` with ecflow_client against both servers (setup, state reads). */
  setup(args: string[]): Promise<void>;
  /** Normalises text from either server. */
  norm(text: string): string;
  /** Asserts both servers hold the same state (`--migrate` via ecflow_client). */
  assertSameState(context: string): Promise<void>;
  /** Asserts both servers still answer. */
  assertAlive(): Promise<void>;
}

function args(server: EcflowServer, a: string[]): string[] {
  return ["--host=127.0.0.1", `--port=${server.port}`, ...a];
}

/** Starts a twin pair, optionally loaded with `def` and begun. */
export async function startTwin(
  options: { def?: string; begin?: boolean; halted?: boolean; generation?: Generation } = {},
): Promise<Twin> {
  const generation = options.generation ?? "5.9";
  const [ref, ours] = await Promise.all([
    startServer({ halted: options.halted, generation }),
    startServer({ halted: options.halted, generation }),
  ]);
  const norm = (text: string) => {
    let t = text;
    for (const s of [ref, ours]) {
      t = t.replaceAll(s.home, "<HOME>").replaceAll(String(s.port), "<PORT>")
        .replaceAll(String(s.pid), "<PID>");
    }
    return t
      .replace(/passwd:\S+/g, "passwd:<PW>")
      .replace(/ECF_PASS '[^']*'/g, "ECF_PASS '<PW>'")
      .replace(/ECF_PASS=\S+/g, "ECF_PASS=<PW>")
      .replace(/\d{4}-[A-Z][a-z]{2}-\d{2}/g, "<DATE>")
      .replace(/\d{1,2}\.\d{1,2}\.\d{4}/g, "<DATE>")
      .replace(/\d{2}:\d{2}:\d{2}/g, "<TIME>")
      .replace(/ECF_TIME '\d{2}:\d{2}'/g, "ECF_TIME '<HM>'")
      .replace(/TIME '\d{4}'/g, "TIME '<HM>'")
      .replace(/current suite time is (\+?)\d{2}:\d{2}/g, "current suite time is $1<HM>")
      .replace(/current time \d{2}:\d{2}/g, "current time <HM>")
      // each server updates its calendars on its own clock, so a run near a minute's turn can
      // find one server a calendar update ahead of the other: its count, and the state
      // durations it computes at that update (printed once they are not zero)
      .replace(/ cal_count:\d+/g, " cal_count:<N>")
      .replace(/ (dur|rt):<TIME>/g, "")
      // 5.16+ statistics show each server process's resources
      .replace(
        /^( {2}(?:pid|maximum_memory_available|virtual_memory_used|resident_memory_used|arena_memory|tracked_memory|freed_memory|n_threads) +)\S.*$/gm,
        "$1<N>",
      );
  };
  const twin: Twin = {
    generation,
    ref,
    ours,
    async both(a) {
      const r = await ecflowClient(args(ref, a), {}, generation);
      const o = await ecflowTs(args(ours, a), { HOSTNAME }, TS_PERMISSIONS);
      // ecflow-ts asks the server's version to print a node's text: the reference server gets
      // the same request, so both servers keep the same state (statistics included)
      if (o.code === 0 && asksServerVersion(a)) {
        const v = await ecflowClient(args(ref, ["--server_version"]), {}, generation);
        assertEquals(v.code, 0, v.stderr);
      }
      return { ref: r, ours: o };
    },
    async setup(a) {
      for (const s of [ref, ours]) {
        const r = await ecflowClient(args(s, a), {}, generation);
        assertEquals(r.code, 0, `setup ${a.join(" ")}: ${r.stderr}`);
      }
    },
    norm,
    async assertSameState(context) {
      const [r, o] = await Promise.all([
        ecflowClient(args(ref, ["--migrate"]), {}, generation),
        ecflowClient(args(ours, ["--migrate"]), {}, generation),
      ]);
      assertEquals(r.code, 0, r.stderr);
      assertEquals(norm(o.stdout), norm(r.stdout), `server state after ${context}`);
    },
    async assertAlive() {
      assert(await ref.alive(), "reference server died");
      assert(await ours.alive(), "our server died");
    },
    async [Symbol.asyncDispose]() {
      await Promise.all([ref.stop(), ours.stop()]);
    },
  };
  if (options.def) await twin.setup([`--load=${options.def}`]);
  if (options.begin) await twin.setup(["--begin"]);
  return twin;
}

/**
 * Whether ecflow-ts sends one `--server_version` for `a`: it prints a node's text (which names
 * no version) as the ecflow_client of the server's version prints it. `--get=/path`,
 * `--get_state=/path`, `--migrate=/path`, and a group (not as JSON) that shows a node it got
 * and no whole definition.
 */
export function asksServerVersion(a: string[]): boolean {
  if (a.some((x) => /^--(get|get_state|migrate)=\/./.test(x))) return true;
  const group = a.find((x) => x.startsWith("--group="));
  if (group === undefined || a.includes("--json")) return false;
  const parts = group.slice("--group=".length).split(";").map((p) => p.trim());
  // a whole definition (get, sync) is shown rather than a node
  const wholeDefs = parts.some((p) => /^(get|sync|sync_full)(\s|$)/.test(p));
  return parts.some((p) => /^show\b/.test(p)) && !wholeDefs &&
    parts.some((p) => /^get=\/./.test(p));
}

/**
 * Runs `a` through both clients and asserts same exit code, same normalised
 * stdout, and (on failure) that both wrote something to stderr.
 */
export async function assertSameOutput(twin: Twin, a: string[]): Promise<RunResult> {
  const { ref, ours } = await twin.both(a);
  const what = a.join(" ");
  assertEquals(
    ours.code,
    ref.code,
    `exit code of ${what}; ours: ${ours.stderr} ref: ${ref.stderr}`,
  );
  assertEquals(twin.norm(ours.stdout), twin.norm(ref.stdout), `stdout of ${what}`);
  if (ref.code !== 0) {
    assert(ours.stderr.trim() !== "", `ours is silent on failure of ${what}`);
    assertEquals(ours.stderr.includes("    at "), false, `stack trace for ${what}`);
  }
  return ours;
}

/** A RUNNING twin with job scripts and the lab suite begun (t1, t5 submitted). */
export async function runningLab(generation: Generation = "5.9"): Promise<Twin> {
  const twin = await startTwin({ generation });
  const script = await Deno.readTextFile(`${ECFLOW_FIXTURES}/fixtures/task.ecf`);
  for (const s of [twin.ref, twin.ours]) {
    await Deno.mkdir(`${s.home}/include`, { recursive: true });
    for (const h of ["head.h", "tail.h"]) {
      await Deno.copyFile(`${ECFLOW_FIXTURES}/fixtures/include/${h}`, `${s.home}/include/${h}`);
    }
    for (const task of ["f1/t1", "f1/t2", "f1/t3", "f2/t4", "f2/t5"]) {
      await Deno.mkdir(`${s.home}/lab/${task.split("/")[0]}`, { recursive: true });
      await Deno.writeTextFile(`${s.home}/lab/${task}.ecf`, script);
    }
  }
  await twin.setup([`--load=${LAB_DEF}`]);
  await twin.setup(["--begin=lab"]);
  return twin;
}

/**
 * `--load=<file> print` as ecflow-ts's printer prints it with the print profile of `version`
 * (warnings after, as the CLI prints them). `--load … print` contacts no server: the CLI prints
 * 5.9.2's form; with `"5.17.0"` this is ecflow_client 5.17's output.
 */
export async function loadPrintedAs(file: string, version: string): Promise<string> {
  const prepared = await prepareDefinition(file);
  return formatLoadPrint(prepared.defs, HOSTNAME, printProfile(version)) +
    prepared.warnings.join("");
}

/**
 * The `--load=<file> print` step: on 5.9.2 the same bytes as ecflow_client; on 5.17 exactly the
 * documented difference (ecflow_client 5.17 prints the 5.17 profile's form, ecflow-ts 5.9.2's,
 * which is ecflow_client 5.9.2's output).
 */
export async function assertLoadPrint(twin: Twin, file: string): Promise<void> {
  const a = [`--load=${file}`, "print"];
  if (twin.generation === "5.9") {
    await assertSameOutput(twin, a);
    return;
  }
  const { ref, ours } = await twin.both(a);
  assertEquals([ref.code, ours.code], [0, 0], `${ref.stderr} ${ours.stderr}`);
  assertEquals(ref.stdout, await loadPrintedAs(file, "5.17.0"), "ecflow_client 5.17's form");
  const ref59 = await ecflowClient(a, {}, "5.9");
  assertEquals(ours.stdout, ref59.stdout, "ecflow-ts prints ecflow_client 5.9.2's form");
}
