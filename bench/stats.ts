// Small helpers the benches share: medians, spreads, a raw socket exchange (the floor), the
// suite generator, and whole-process timing with peak memory. No thresholds anywhere.
import { ECFLOW_FIXTURES } from "../tests/captures.ts";
import {
  ecflowPrograms,
  type EcflowServer,
  type Generation,
  startServer,
} from "../tests/harness/server.ts";

/** The median of `xs`. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** `min–max` of `xs`, with `digits` decimals. */
export function spread(xs: readonly number[], digits = 2): string {
  return `${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)}`;
}

/** `n` with thousands separators. */
export function count(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}

const decoder = new TextDecoder();

/**
 * The floor of one request: `Deno.connect`, one write of the framed request, reads until the
 * whole framed reply is in, close, then the reply's text and `JSON.parse` of it. No deadline,
 * no cancellation, no checks: what any client must at least do.
 */
export async function rawExchange(port: number, frame: Uint8Array): Promise<unknown> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    await conn.write(frame);
    let buf = new Uint8Array(1024);
    let got = 0;
    let end = Infinity;
    while (got < end) {
      if (got === buf.length) {
        const bigger = new Uint8Array(end === Infinity ? buf.length * 2 : end);
        bigger.set(buf);
        buf = bigger;
      }
      const n = await conn.read(buf.subarray(got));
      if (n === null) throw new Error("server closed the connection");
      got += n;
      if (end === Infinity && got >= 8) {
        end = 8 + parseInt(decoder.decode(buf.subarray(0, 8)), 16);
        if (end > buf.length) {
          const whole = new Uint8Array(end);
          whole.set(buf.subarray(0, got));
          buf = whole;
        }
      }
    }
    return JSON.parse(decoder.decode(buf.subarray(8, end)));
  } finally {
    conn.close();
  }
}

/** The shape of `tests/fixtures/ecflow/tools/gen_big_def.py`: 100 tasks per sub-family. */
export interface SuiteSize {
  families: number;
  subfamilies: number;
  tasks: number;
}

/** 2,000 / 20,000 / 200,000 tasks: 2, 20 or 200 families of 10 sub-families of 100 tasks. */
export function suiteOf(tasks: number): SuiteSize {
  if (tasks % 1000 !== 0 || tasks < 1000) throw new Error(`--tasks: a multiple of 1000`);
  return { families: tasks / 1000, subfamilies: 10, tasks: 100 };
}

/** The definition text `gen_big_def.py` writes for `size` (Python runs it). */
export async function generateSuite(size: SuiteSize, suite = "big"): Promise<Uint8Array> {
  const out = await new Deno.Command("/usr/bin/python3", {
    args: [
      `${ECFLOW_FIXTURES}/tools/gen_big_def.py`,
      `--families=${size.families}`,
      `--subfamilies=${size.subfamilies}`,
      `--tasks=${size.tasks}`,
      `--suite=${suite}`,
    ],
    stdout: "piped",
  }).output();
  if (!out.success) throw new Error("gen_big_def.py failed");
  return out.stdout;
}

/** One whole process: wall time measured here, peak memory (max RSS) from GNU time. */
export interface ProcessRun {
  ms: number;
  maxRssMb: number;
  stdout: Uint8Array;
}

/** Runs `cmd` under `/usr/bin/time`; throws with its stderr when it fails. */
export async function runProcess(
  cmd: string,
  args: string[],
  env?: Record<string, string>,
): Promise<ProcessRun> {
  const t0 = performance.now();
  const out = await new Deno.Command("/usr/bin/time", {
    args: ["-f", "MAXRSS %M", cmd, ...args],
    stdout: "piped",
    stderr: "piped",
    env,
  }).output();
  const ms = performance.now() - t0;
  const err = decoder.decode(out.stderr);
  if (!out.success) throw new Error(`${cmd} ${args.join(" ")} failed: ${err}`);
  const rss = /MAXRSS (\d+)/.exec(err);
  return { ms, maxRssMb: rss ? Number(rss[1]) / 1024 : NaN, stdout: out.stdout };
}

/** A Python program's JSON output (`/usr/bin/python3`, where `import ecflow` works). */
export async function python<T>(program: string, args: string[] = []): Promise<T> {
  const out = await new Deno.Command("/usr/bin/python3", {
    args: ["-c", program, ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) throw new Error(`python3 failed: ${decoder.decode(out.stderr)}`);
  return JSON.parse(decoder.decode(out.stdout));
}

/** A private real server for job-script benches, and the reference client to drive it. */
export interface JobServer {
  /** The server (stop it with `await using`). */
  server: EcflowServer;
  /** Runs the server generation's `ecflow_client` against it; throws when that fails. */
  ref(...args: string[]): Promise<void>;
}

/**
 * The environment of a job of `/x/t` (see {@linkcode startJobServer}) whose requests go to
 * `port`: Deno's own settings passed on, nothing else of this process's environment.
 */
export function jobEnv(port: number): Record<string, string> {
  const env: Record<string, string> = {
    PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
    HOME: Deno.env.get("HOME") ?? "/tmp",
  };
  for (const k of ["DENO_DIR", "JSR_URL", "DENO_NO_UPDATE_CHECK"]) {
    const v = Deno.env.get(k);
    if (v !== undefined) env[k] = v;
  }
  return {
    ...env,
    ECF_HOST: "127.0.0.1",
    ECF_PORT: String(port),
    ECF_NAME: "/x/t",
    ECF_PASS: "FREE",
    ECF_RID: "4242",
    ECF_TRYNO: "1",
  };
}

/**
 * Starts a server holding suite `x`, begun, with task `/x/t` whose jobs password is FREE:
 * child commands are accepted from any process (`ECF_NAME=/x/t ECF_PASS=FREE`).
 */
export async function startJobServer(generation: Generation): Promise<JobServer> {
  const server = await startServer({ generation });
  const client = ecflowPrograms(generation).client;
  const ref = async (...args: string[]) => {
    const out = await new Deno.Command(client, {
      args: ["--host=127.0.0.1", `--port=${server.port}`, ...args],
    }).output();
    if (!out.success) {
      throw new Error(`ecflow_client ${args.join(" ")}: ${decoder.decode(out.stderr)}`);
    }
  };
  try {
    const home = server.home;
    await Deno.writeTextFile(
      `${home}/x.def`,
      "suite x\n  edit ECF_JOB_CMD 'true'\n  task t\n    edit ECF_PASS FREE\n    label l \"\"\nendsuite\n",
    );
    await Deno.mkdir(`${home}/x`);
    await Deno.writeTextFile(`${home}/x/t.ecf`, "true\n");
    await ref(`--load=${home}/x.def`);
    await ref("--begin=x");
  } catch (e) {
    await server.stop();
    throw e;
  }
  return { server, ref };
}
