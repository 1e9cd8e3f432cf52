/**
 * Task (child) commands as ecflow_client 5.9.2 sends them from a job:
 * the job's context from `ECF_*` variables, and the retry / fail-over /
 * zombie loop of `ClientInvoker::do_invoke_cmd`.
 *
 * The pure parts (environment reading, host files, the decisions of the
 * loop) take everything as arguments; the loop's I/O (sending, the clock,
 * sleeping, reading the host file) comes in through {@linkcode ChildIo} so
 * tests can drive it with a fake clock and transport.
 *
 * Defaults as ecflow_client: 2 attempts per host, 10 s between them, no
 * pause before the first host switch and 30 s before each later one;
 * `ECF_TIMEOUT` (default 86400 s) and `ECF_ZOMBIE_TIMEOUT` (default 43200 s)
 * clamped to [600, 86400]. ecflow-ts adds unclamped knobs, read from the
 * environment, so tests and impatient sites can shorten every wait:
 * `ECF_TS_CHILD_ATTEMPTS`, `ECF_TS_CHILD_RETRY_MS`, `ECF_TS_CHILD_NEXT_HOST_MS`,
 * `ECF_TS_CHILD_TIMEOUT_MS`, `ECF_TS_CHILD_ZOMBIE_TIMEOUT_MS`.
 *
 * @module
 */
import type { EnvReader } from "./env.ts";
import { formatHostPort, parseHostPort } from "./endpoint.ts";
import type { TransportTarget } from "./transport/types.ts";
import { ConfigError, ConnectionError, EcflowError, ServerError, TimeoutError } from "./errors.ts";
import { type Command, encodeRequest, type TaskIdentity } from "./wire/request.ts";
import { decodeReply, type Reply } from "./wire/reply.ts";

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
 * import { envFrom, readChildContext } from "@ecflow-ts/client";
 * const ctx = readChildContext(envFrom({ ECF_NAME: "/s/t", ECF_PASS: "pw", ECF_TIMEOUT: "5" }));
 * console.log(ctx.path, ctx.tryNo, ctx.timings.timeoutMs); // /s/t 1 600000
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
 * import { parseHostFile } from "@ecflow-ts/client";
 * console.log(parseHostFile("# backups\nbackup1\nbackup2:4000 extra\n", 3141));
 * // [ { host: "backup1", port: 3141 }, { host: "backup2", port: 4000 } ]
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

/** Something worth telling the person running the job, as ecflow_client prints it (without the time stamp). */
export interface ChildNotice {
  /** What happened. */
  kind:
    | "waiting"
    | "halted"
    | "zombie"
    | "connectionError"
    | "nextHost"
    | "hostFileError"
    | "timeout"
    | "noEcf";
  /** ecflow_client's words. */
  text: string;
  /** Where ecflow_client writes it. */
  stream: "out" | "err";
}

/** The I/O the loop needs; replaceable for tests. */
export interface ChildIo {
  /** Sends one request payload to `target`, resolves with the reply payload. */
  exchange(target: TransportTarget, payload: Uint8Array): Promise<Uint8Array>;
  /** Milliseconds, monotonic. */
  now(): number;
  /** Waits `ms` milliseconds. */
  sleep(ms: number): Promise<void>;
  /** Reads the host file. */
  readHostFile(path: string): Promise<string>;
  /** Receives notices (default: dropped). */
  notice?(n: ChildNotice): void;
}

/** Where a child command may go. */
export interface ChildTargets {
  /** The configured server (`ECF_HOST`/`ECF_PORT` or options). */
  main: TransportTarget;
  /** Whether `ECF_HOSTFILE` may add servers (ecflow_client 5.9.2: not when host/port were given explicitly). */
  useHostFile: boolean;
}

/**
 * A child command gave up: `ECF_TIMEOUT` or `ECF_ZOMBIE_TIMEOUT` ran out.
 *
 * @example
 * ```ts
 * import { ChildTimeoutError } from "@ecflow-ts/client";
 * const e = new ChildTimeoutError(false, 600, { host: "h", port: 1 });
 * console.log(e.message); // ClientInvoker: Timed out after ECF_TIMOUT(600) seconds : for h:1
 * ```
 */
export class ChildTimeoutError extends EcflowError {
  /** True when it was the zombie timeout. */
  readonly zombie: boolean;
  /** The timeout, in seconds. */
  readonly seconds: number;
  /** The server tried last. */
  readonly target: TransportTarget;
  /** Creates the error with ecflow_client's words (5.9.2 spells `ECF_TIMOUT`). */
  constructor(zombie: boolean, seconds: number, target: TransportTarget) {
    const hp = formatHostPort(target.host, target.port);
    super(
      zombie
        ? `ClientInvoker: *ZOMBIE* Timed out after ECF_ZOMBIE_TIMEOUT(${seconds}) seconds : for ${hp}`
        : `ClientInvoker: Timed out after ECF_TIMOUT(${seconds}) seconds : for ${hp}`,
    );
    this.name = "ChildTimeoutError";
    this.zombie = zombie;
    this.seconds = seconds;
    this.target = target;
  }
}

/** What one attempt produced, as the loop sees it. */
export type AttemptOutcome =
  | { kind: "reply"; reply: Reply }
  | { kind: "retryable"; error: Error }
  | { kind: "fatal"; error: Error };

/** What the loop does after one attempt. */
export type AttemptDecision =
  /** The command is done: return this reply. */
  | { kind: "done"; reply: Reply }
  /** Throw this error. */
  | { kind: "fail"; error: Error }
  /** Count the attempt (or not) and go on; maybe tell the user something first. */
  | { kind: "again"; consumesAttempt: boolean; zombie: boolean; notice?: ChildNotice };

/** Which block notices were already printed (ecflow_client prints each once). */
export interface Reported {
  /** "WAITING on home server" was printed. */
  waiting: boolean;
  /** "server is HALTED" was printed. */
  halted: boolean;
  /** "zombie detected" was printed. */
  zombie: boolean;
}

/**
 * Classifies a transport error: refused, reset, unreachable and timeouts are
 * retried; a connection closed before the reply (EOF), a missing permission
 * and undecodable bytes end the command at once, as in ecflow_client.
 */
export function classifyError(e: unknown): AttemptOutcome {
  const error = e instanceof Error ? e : new Error(String(e));
  if (e instanceof TimeoutError) return { kind: "retryable", error };
  if (e instanceof ConnectionError) {
    return e.reason === "eof" || e.reason === "permission"
      ? { kind: "fatal", error }
      : { kind: "retryable", error };
  }
  return { kind: "fatal", error };
}

/**
 * The decision after one attempt (pure): mirrors the branches of
 * `ClientInvoker::do_invoke_cmd`. `where` is `host:port`, `label` the request text.
 */
export function decideAttempt(
  outcome: AttemptOutcome,
  label: string,
  where: string,
  reported: Reported,
): AttemptDecision {
  if (outcome.kind === "fatal") return { kind: "fail", error: outcome.error };
  if (outcome.kind === "retryable") {
    const detail = outcome.error.message;
    return {
      kind: "again",
      consumesAttempt: true,
      zombie: false,
      notice: {
        kind: "connectionError",
        stream: "err",
        text: `ClientInvoker: Connection error: (${detail})`,
      },
    };
  }
  const reply = outcome.reply;
  const blocked = (kind: "waiting" | "halted" | "zombie", what: string, consumes: boolean) => {
    const first = !reported[kind];
    reported[kind] = true;
    const decision: AttemptDecision = {
      kind: "again",
      consumesAttempt: consumes,
      zombie: kind === "zombie",
    };
    if (first) {
      decision.notice = {
        kind,
        stream: "out",
        text: `ClientInvoker: ${label} : ${where} : ${what}`,
      };
    }
    return decision;
  };
  if (reply.kind === "error") {
    return { kind: "fail", error: new ServerError(reply.message, label) };
  }
  if (reply.kind === "stc" && reply.status === "blockOnHomeServer") {
    return blocked("waiting", "WAITING on home server, continue waiting", false);
  }
  if (reply.kind === "stc" && reply.status === "blockServerHalted") {
    return blocked("halted", "blocking : server is HALTED, continue waiting", true);
  }
  if (reply.kind === "blockZombie") {
    return blocked("zombie", "blocking : zombie detected, continue waiting", true);
  }
  return { kind: "done", reply };
}

/**
 * Sends a task command until it is answered, as ecflow_client does: for each
 * host, `attempts` tries `retryDelayMs` apart (a `--wait` that is not yet
 * true does not use up a try); then, unless `ECF_DENIED`, the next host of
 * [main, host file…] round-robin, pausing `nextHostDelayMs` before every
 * switch but the first; `ECF_TIMEOUT`/`ECF_ZOMBIE_TIMEOUT` are checked before
 * each switch. Resolves with the reply (`stc` ok or `string`).
 */
export async function sendChildCommand(
  cmd: Command,
  task: TaskIdentity,
  ctx: Pick<ChildContext, "denied" | "noEcf" | "hostFile" | "timings">,
  targets: ChildTargets,
  io: ChildIo,
): Promise<Reply> {
  const notice = (n: ChildNotice) => io.notice?.(n);
  if (ctx.noEcf) {
    notice({ kind: "noEcf", stream: "out", text: "NO_ECF" });
    return { kind: "stc", status: "ok" };
  }
  const payload = encodeRequest(cmd, { kind: "task", task });
  const { attempts, retryDelayMs, nextHostDelayMs, timeoutMs, zombieTimeoutMs } = ctx.timings;
  const hosts: TransportTarget[] = [targets.main];
  let hostFileRead = !targets.useHostFile || ctx.hostFile === "";
  let index = 0;
  const reported: Reported = { waiting: false, halted: false, zombie: false };
  const start = io.now();
  let neverPolled = true;
  for (;;) {
    const target = hosts[index];
    const where = formatHostPort(target.host, target.port);
    let lastWasZombie = false;
    let last = "";
    for (let tries = Math.max(1, attempts); tries > 0;) {
      let outcome: AttemptOutcome;
      try {
        const bytes = await io.exchange(target, payload);
        outcome = { kind: "reply", reply: decodeReply(bytes) };
      } catch (e) {
        outcome = classifyError(e);
      }
      const d = decideAttempt(outcome, cmd.label, where, reported);
      if (d.kind === "done") return d.reply;
      if (d.kind === "fail") throw d.error;
      if (d.notice) notice(d.notice);
      lastWasZombie = d.zombie;
      last = outcome.kind === "reply"
        ? (d.zombie ? "zombie detected" : "server is HALTED")
        : outcome.error.message.replace(/^.*?: /, "");
      if (d.consumesAttempt) tries--;
      if (tries > 0) await io.sleep(retryDelayMs);
    }
    if (ctx.denied) {
      throw new ConnectionError(
        `ECF_DENIED is set: gave up on ${cmd.label} after ${attempts} attempts (last: ${last})`,
        target,
        "denied",
      );
    }
    const elapsed = io.now() - start;
    if (elapsed >= timeoutMs) {
      const e = new ChildTimeoutError(false, timeoutMs / 1000, target);
      notice({ kind: "timeout", stream: "out", text: e.message });
      throw e;
    }
    if (lastWasZombie && elapsed >= zombieTimeoutMs) {
      const e = new ChildTimeoutError(true, zombieTimeoutMs / 1000, target);
      notice({ kind: "timeout", stream: "out", text: e.message });
      throw e;
    }
    if (!hostFileRead) {
      try {
        hosts.push(...parseHostFile(await io.readHostFile(ctx.hostFile), targets.main.port));
        hostFileRead = true;
      } catch (e) {
        const denied = e instanceof Deno.errors.NotCapable ||
          e instanceof Deno.errors.PermissionDenied;
        const why = e instanceof ConfigError
          ? e.message
          : `ClientEnvironment:: Could not open the hosts file ${ctx.hostFile}${
            denied ? ` (ecflow-ts needs --allow-read=${ctx.hostFile})` : ""
          }`;
        notice({
          kind: "hostFileError",
          stream: "out",
          text: `ClientInvoker: ${cmd.label} get next host failed because: ${why}`,
        });
      }
    }
    if (hostFileRead) index = (index + 1) % hosts.length;
    const next = hosts[index];
    notice({
      kind: "nextHost",
      stream: "out",
      text: `ClientInvoker: ${cmd.label} current host(${where}) trying next host(${
        formatHostPort(next.host, next.port)
      })`,
    });
    if (neverPolled) neverPolled = false;
    else await io.sleep(nextHostDelayMs);
  }
}

/** ecflow_client's time stamp: `[HH:MM:SS D.M.YYYY] ` (local time). */
export function timeStamp(d: Date = new Date()): string {
  const p2 = (n: number) => String(n).padStart(2, "0");
  return `[${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())} ${d.getDate()}.${
    d.getMonth() + 1
  }.${d.getFullYear()}] `;
}
