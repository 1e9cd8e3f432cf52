/**
 * The options of a client and of each call.
 *
 * @module
 */
import type { EndpointOptions } from "../endpoint.ts";
import type { EnvReader } from "../env.ts";
import type { IdentityOptions } from "../auth/credentials.ts";
import type { TransportSelection } from "../transport/select.ts";
import type { Transport, TransportLimits } from "../transport/types.ts";

/** How a failed connection is retried (which failures are retried: see `isRetryable`). */
export interface RetryPolicy {
  /** Connection attempts in all (ecflow_client: 2). */
  attempts?: number;
  /**
   * Milliseconds between attempts. Default as ecflow_client: 1,000 for `ping`, 10,000 for
   * other user commands; task commands use their job timings.
   */
  delayMs?: number;
}

/** Options of a `Client` (and a `TaskClient`); all optional. */
export interface ClientOptions extends TransportLimits, TransportSelection, IdentityOptions {
  /** Host, or `"host:port"`, `"host@port"`, `"[::1]:3141"`. */
  host?: string;
  /** Port, a number or decimal string. */
  port?: number | string;
  /** Environment to read `ECF_*` variables from (default: the process environment). */
  env?: EnvReader;
  /** Login name sent with user commands when there is no custom user (default: this user's). */
  user?: string;
  /** Host name sent as `cl_host_` and written into loaded definitions (default: this machine's). */
  clientHost?: string;
  /** Retry policy for failed connections. */
  retry?: RetryPolicy;
  /** The transport (default: chosen from the options and the environment, as ecflow_client). */
  transport?: Transport;
  /** How host and port options are named in messages (the CLI uses `--host`/`--port`). */
  labels?: EndpointOptions["labels"];
  /**
   * Cancels every call of the client, now and later (as `close()` does): connections are
   * closed, retry sleeps and task-command waits end, and calls reject with the signal's reason.
   */
  signal?: AbortSignal;
}

/** Options of one call. */
export interface CallOptions {
  /**
   * Cancels this call: its connection is closed, its retry sleeps end, and it rejects with
   * the signal's reason.
   */
  signal?: AbortSignal;
}
