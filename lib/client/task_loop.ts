/**
 * The retry / fail-over / zombie loop of task commands, as ecflow_client's
 * `ClientInvoker::do_invoke_cmd` runs it for a job: for each host, `attempts` tries
 * `retryDelayMs` apart (which failures are retried: `isRetryable`, shared with user commands);
 * a server that blocks the job (halted, `--wait` not yet true, a zombie) is asked again; then,
 * unless `ECF_DENIED`, the next host of [main, host file…] round-robin, until `ECF_TIMEOUT` or
 * `ECF_ZOMBIE_TIMEOUT` runs out.
 *
 * The decisions are pure (`decideAttempt`); the loop's I/O (sending, the clock, sleeping,
 * reading the host file) comes in through {@linkcode ChildIo}, so tests drive it with a fake
 * clock and transport.
 *
 * @module
 */
import { formatHostPort } from "../endpoint.ts";
import type { TransportTarget } from "../transport/types.ts";
import { ConfigError, ConnectionError, EcflowError, ServerError } from "../errors.ts";
import { type Command, encodeRequest, type TaskIdentity } from "../wire/request.ts";
import { decodeReply, type Reply } from "../wire/reply.ts";
import { type ChildContext, parseHostFile } from "./job_context.ts";
import { isRetryable } from "./retry.ts";

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
 * import { assertEquals } from "@std/assert";
 * const e = new ChildTimeoutError(false, 600, { host: "h", port: 1 });
 * assertEquals(e.message, "ClientInvoker: Timed out after ECF_TIMOUT(600) seconds : for h:1");
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

/** An attempt's failure, as the loop sees it: retried when `isRetryable` says so. */
export function classifyError(e: unknown): AttemptOutcome {
  const error = e instanceof Error ? e : new Error(String(e));
  return { kind: isRetryable(e) ? "retryable" : "fatal", error };
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
