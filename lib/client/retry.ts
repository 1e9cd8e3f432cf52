/**
 * The one retry rule of ecflow-ts, for user and task commands alike: which failures are worth
 * another attempt, how attempts are spaced, and what is reported when they run out. It follows
 * ecflow_client's `ClientInvoker`, whose single loop serves both kinds of command: any
 * connection failure or timeout is tried again; a connection the server closed before
 * replying, a missing permission, a TLS setup problem, a reply that is not ecFlow's and the
 * server's own refusal are not.
 *
 * @module
 */
import { ConnectionError, TimeoutError } from "../errors.ts";

/** Connection failures that another attempt cannot mend. */
const FINAL_FAILURES: ReadonlySet<ConnectionError["reason"]> = new Set([
  "eof",
  "permission",
  "tls",
  "denied",
]);

/**
 * Whether another attempt may succeed where `error` failed.
 *
 * @example
 * ```ts
 * import { ConnectionError, isRetryable, ProtocolError, TimeoutError } from "@ecflow-ts/client";
 * import { assert } from "@std/assert";
 * const at = { host: "h", port: 3141 };
 * assert(isRetryable(new ConnectionError("connection refused", at, "refused")));
 * assert(isRetryable(new TimeoutError("no reply within 1 s", at, "reply")));
 * assert(!isRetryable(new ConnectionError("closed before the reply", at, "eof")));
 * assert(!isRetryable(new ProtocolError("not an ecFlow reply")));
 * ```
 */
export function isRetryable(error: unknown): error is ConnectionError | TimeoutError {
  if (error instanceof TimeoutError) return true;
  return error instanceof ConnectionError && !FINAL_FAILURES.has(error.reason);
}

/** Waits `ms` milliseconds; rejects with the signal's reason as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const stop = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", stop);
      resolve();
    }, Math.max(0, Math.min(ms, 2 ** 31 - 1)));
    signal?.addEventListener("abort", stop, { once: true });
  });
}

/**
 * The error reported when every attempt failed: of the last failure's class, the last failure
 * as its cause. A server that could not be reached says so with the number of attempts
 * (`h:1: cannot connect (connection refused) after 2 attempts`); other failures keep their
 * message and add the count when there was more than one attempt (`h:1: no connection within
 * 10 s (2 attempts)`).
 */
export function exhausted(
  last: ConnectionError | TimeoutError,
  attempts: number,
): ConnectionError | TimeoutError {
  const detail = last.message.slice(last.message.indexOf(": ") + 2);
  const times = `${attempts} attempt${attempts === 1 ? "" : "s"}`;
  const options = { cause: last };
  if (last instanceof ConnectionError && (last.reason === "refused" || last.reason === "dns")) {
    return new ConnectionError(
      `cannot connect (${detail}) after ${times}`,
      last.target,
      last.reason,
      options,
    );
  }
  if (attempts === 1) return last;
  if (last instanceof TimeoutError) {
    return new TimeoutError(`${detail} (${times})`, last.target, last.phase, options);
  }
  return new ConnectionError(`${detail} (${times})`, last.target, last.reason, options);
}
