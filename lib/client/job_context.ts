/**
 * A job's context, as ecflow_client 5.9.2 reads it from the environment of a job: the task
 * path, jobs password, remote id and try number, the host file, `ECF_DENIED`, `NO_ECF`, and
 * how long and how often task commands keep trying (`ECF_TIMEOUT`, `ECF_ZOMBIE_TIMEOUT`).
 *
 * Defaults as ecflow_client: 2 attempts per host, 10 s between them, no pause before the
 * first host switch and 30 s before each later one; `ECF_TIMEOUT` (default 86400 s) and
 * `ECF_ZOMBIE_TIMEOUT` (default 43200 s) clamped to [600, 86400]. ecflow-ts adds unclamped
 * knobs, read from the environment, so tests and impatient sites can shorten every wait:
 * `ECF_TS_CHILD_ATTEMPTS`, `ECF_TS_CHILD_RETRY_MS`, `ECF_TS_CHILD_NEXT_HOST_MS`,
 * `ECF_TS_CHILD_TIMEOUT_MS`, `ECF_TS_CHILD_ZOMBIE_TIMEOUT_MS`. Pure.
 *
 * @module
 */
import type { EnvReader } from "../env.ts";
import { parseHostPort } from "../endpoint.ts";
import type { TransportTarget } from "../transport/types.ts";
import { ConfigError } from "../errors.ts";

/** ecflow_client's constants (release build). */
export const CHILD_DEFAULTS = {
  /** Connection attempts per host. */
  attempts: 2,
  /** Milliseconds between attempts on one host. */
  retryDelayMs: 10_000,
  /** Milliseconds before each host switch except the first. */
  nextHostDelayMs: 30_000,
  /** `ECF_TIMEOUT` default, seconds. */
  timeoutSeconds: 24 * 3600,
  /** `ECF_ZOMBIE_TIMEOUT` default, seconds. */
  zombieTimeoutSeconds: 12 * 3600,
  /** Lower clamp of both timeouts read from the environment (5.9.2), seconds. */
  minTimeoutSeconds: 600,
  /** Upper clamp of both timeouts read from the environment, seconds. */
  maxTimeoutSeconds: 24 * 3600,
} as const;

/** How long and how often a child command keeps trying. */
export interface ChildTimings {
  /** Attempts per host (at least 1). */
  attempts: number;
  /** Milliseconds between attempts on one host (and between `--wait` polls). */
  retryDelayMs: number;
  /** Milliseconds before each host switch after the first. */
  nextHostDelayMs: number;
  /** Give up after this many milliseconds in all (checked when a host's attempts are used up). */
  timeoutMs: number;
  /** Give up on a blocked zombie after this many milliseconds. */
  zombieTimeoutMs: number;
}

/** A job's context: what ecflow_client reads from the environment. */
export interface ChildContext {
  /** `ECF_NAME`: the task path. */
  path: string;
  /** `ECF_PASS`: the jobs password. */
  password: string;
  /** `ECF_RID` (or `--rid`): the process or remote id. */
  remoteId: string;
  /** `ECF_TRYNO`: the try number (default 1). */
  tryNo: number;
  /** `ECF_HOSTFILE`: file naming alternative servers, or empty. */
  hostFile: string;
  /** `ECF_DENIED` set: give up after the attempts on the first host. */
  denied: boolean;
  /** `NO_ECF` set: every child command succeeds without contacting a server. */
  noEcf: boolean;
  /** Variables `--init` adds (Python: `set_child_init_add_vars`). */
  initAddVars: { name: string; value: string }[];
  /** Variables `--complete` removes (Python: `set_child_complete_del_vars`). */
  completeDelVars: string[];
  /** Retry timings. */
  timings: ChildTimings;
}

/** C's `atoi`: leading whitespace, optional sign, digits; 0 when none. */
export function atoi(text: string): number {
  const m = /^\s*([+-]?\d+)/.exec(text);
  if (!m) return 0;
  const n = Number(m[1]);
  return Math.max(-2147483648, Math.min(2147483647, n));
}

function clampSeconds(s: number): number {
  return Math.min(CHILD_DEFAULTS.maxTimeoutSeconds, Math.max(CHILD_DEFAULTS.minTimeoutSeconds, s));
}

function knob(env: EnvReader, name: string, min: number): number | undefined {
  const v = env(name);
  if (v === undefined || v.trim() === "") return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < min) {
    throw new ConfigError(`invalid ${name} '${v}': expected a number >= ${min}`);
  }
  return n;
}

/**
 * Reads a job's context from the environment exactly as ecflow_client 5.9.2
 * does (`ECF_TRYNO` and the timeouts with `atoi`, the timeouts clamped to
 * [600, 86400] s), plus the `ECF_TS_CHILD_*` knobs (unclamped).
 *
 * @example
 * ```ts
 * import { envFrom } from "@ecflow-ts/client";
 * import { readChildContext } from "./job_context.ts";
 * import { assertEquals } from "@std/assert";
 * const ctx = readChildContext(envFrom({ ECF_NAME: "/s/t", ECF_PASS: "pw", ECF_TIMEOUT: "5" }));
 * assertEquals(ctx.path, "/s/t");
 * assertEquals(ctx.tryNo, 1);
 * assertEquals(ctx.timings.timeoutMs, 600000);
 * ```
 */
export function readChildContext(env: EnvReader): ChildContext {
  const timeoutS = env("ECF_TIMEOUT") !== undefined
    ? clampSeconds(atoi(env("ECF_TIMEOUT")!))
    : CHILD_DEFAULTS.timeoutSeconds;
  const zombieS = env("ECF_ZOMBIE_TIMEOUT") !== undefined
    ? clampSeconds(atoi(env("ECF_ZOMBIE_TIMEOUT")!))
    : CHILD_DEFAULTS.zombieTimeoutSeconds;
  const tryNo = env("ECF_TRYNO");
  return {
    path: env("ECF_NAME") ?? "",
    password: env("ECF_PASS") ?? "",
    remoteId: env("ECF_RID") ?? "",
    tryNo: tryNo === undefined ? 1 : atoi(tryNo),
    hostFile: env("ECF_HOSTFILE") ?? "",
    denied: env("ECF_DENIED") !== undefined,
    noEcf: env("NO_ECF") !== undefined,
    initAddVars: [],
    completeDelVars: [],
    timings: {
      attempts: Math.max(
        1,
        Math.floor(knob(env, "ECF_TS_CHILD_ATTEMPTS", 1) ?? CHILD_DEFAULTS.attempts),
      ),
      retryDelayMs: knob(env, "ECF_TS_CHILD_RETRY_MS", 0) ?? CHILD_DEFAULTS.retryDelayMs,
      nextHostDelayMs: knob(env, "ECF_TS_CHILD_NEXT_HOST_MS", 0) ?? CHILD_DEFAULTS.nextHostDelayMs,
      timeoutMs: knob(env, "ECF_TS_CHILD_TIMEOUT_MS", 0) ?? timeoutS * 1000,
      zombieTimeoutMs: knob(env, "ECF_TS_CHILD_ZOMBIE_TIMEOUT_MS", 0) ?? zombieS * 1000,
    },
  };
}

/**
 * Parses an `ECF_HOSTFILE`: one host per line, `host` or `host:port` (the
 * port defaults to `defaultPort`), only the first word of a line counts,
 * lines starting with `#` and empty lines are skipped.
 *
 * @example
 * ```ts
 * import { parseHostFile } from "./job_context.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(parseHostFile("# backups\nbackup1\nbackup2:4000 extra\n", 3141), [ { host: "backup1", port: 3141 }, { host: "backup2", port: 4000 } ]);
 * ```
 */
export function parseHostFile(text: string, defaultPort: number): TransportTarget[] {
  const hosts: TransportTarget[] = [];
  for (const line of text.split(/\r?\n/)) {
    const word = line.trim().split(/\s+/)[0];
    if (!word || word.startsWith("#")) continue;
    const hp = parseHostPort(word, "ECF_HOSTFILE");
    hosts.push({ host: hp.host, port: hp.port ?? defaultPort });
  }
  return hosts;
}
