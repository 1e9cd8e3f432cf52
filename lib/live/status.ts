/**
 * Many servers at once: each server is asked for its version, state, suites and
 * task counts, concurrently, each within its own deadline. A dead, halted or
 * silent server gives its error in its own result and delays no other: N
 * servers take about the slowest one's deadline, not the sum.
 *
 * A {@linkcode ServerProbe} keeps one client per server, so asking again (as
 * the live view does) costs a news request, and a sync only when something
 * changed. A query given up (its deadline passed, or its signal aborted)
 * resolves at once; the request's connection closes by its own timeout, which
 * for a probe's own client is the deadline.
 *
 * @module
 */
import { Client } from "../client/client.ts";
import type { ClientOptions } from "../client/options.ts";
import { formatHostPort } from "../endpoint.ts";
import { TimeoutError } from "../errors.ts";
import type { Defs, ServerState } from "../defs/model.ts";
import { countTasks, type TaskCounts } from "./summary.ts";
import type { ServerProtocol } from "./server_list.ts";

/** A server to ask. */
export interface ServerTarget {
  /** What to call it (default `host:port`). */
  name?: string;
  /** Host name or address. */
  host: string;
  /** Port. */
  port: number;
  /** How to talk to it (default: as the client options and the environment say). */
  protocol?: ServerProtocol;
  /** Custom user to connect as (needs a password, as `--user`). */
  user?: string;
}

/** What every result carries. */
export interface ServerStatusBase {
  /** The server's name (the target's, or `host:port`). */
  name: string;
  /** Its host. */
  host: string;
  /** Its port. */
  port: number;
  /** Milliseconds this server's query took (at most about its deadline). */
  elapsedMs: number;
}

/** A server that answered. */
export interface ServerStatusOk extends ServerStatusBase {
  /** It answered. */
  ok: true;
  /** Its ecFlow version, e.g. `5.9.2`. */
  version: string;
  /** RUNNING, HALTED or SHUTDOWN. */
  serverState: ServerState;
  /** Number of suites. */
  suites: number;
  /** Tasks (and aliases) per state. */
  tasks: TaskCounts;
  /** Round trip of a ping, in milliseconds. */
  rttMs: number;
  /** The server's tree as last synchronised. */
  defs: Defs;
}

/** A server that did not answer, or answered with an error. */
export interface ServerStatusFailed extends ServerStatusBase {
  /** It did not answer. */
  ok: false;
  /** Why: a `ConnectionError`, `TimeoutError`, `ServerError`, `ProtocolError` or `ConfigError`. */
  error: Error;
}

/** One server's result: its values, or its error. */
export type ServerStatus = ServerStatusOk | ServerStatusFailed;

/**
 * Default deadline of one server's query, in milliseconds.
 *
 * @example
 * ```ts
 * import { DEFAULT_DEADLINE_MS } from "./status.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(DEFAULT_DEADLINE_MS, 5000);
 * ```
 */
export const DEFAULT_DEADLINE_MS = 5000;

/** Options of a query. */
export interface QueryOptions {
  /** Milliseconds one server may take in all (default {@linkcode DEFAULT_DEADLINE_MS}). */
  deadlineMs?: number;
  /** Cancels the query (each unfinished server then fails with the signal's reason). */
  signal?: AbortSignal;
}

/** Options of {@linkcode queryServers}. */
export interface QueryServersOptions extends QueryOptions {
  /** Base client options for targets (environment, password, …); the deadline sets the timeouts. */
  clientOptions?: ClientOptions;
  /** How many servers are asked at the same time (default 64). */
  concurrency?: number;
}

function protocolOptions(protocol: ServerProtocol | undefined): ClientOptions {
  switch (protocol) {
    case "tcp":
      return { ssl: false, http: false, https: false };
    case "ssl":
      return { ssl: true };
    case "http":
      return { ssl: false, http: true };
    case "https":
      return { ssl: false, https: true };
    default:
      return {};
  }
}

/** Runs `work`; when `signal` aborts first, rejects with its reason (the work is left to end on its own). */
function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  work.catch(() => {}); // a late failure after the abort must not go unhandled
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

/**
 * One server, asked again and again through the same client: the first query
 * fetches the whole tree, later ones only ask for news (and sync when there is
 * some).
 *
 * @example
 * ```ts ignore
 * import { ServerProbe } from "./status.ts";
 * const probe = new ServerProbe({ name: "prod", host: "oetzi", port: 3444 });
 * const s = await probe.query({ deadlineMs: 3000 });
 * console.log(s.ok ? `${s.name}: ${s.serverState}, ${s.tasks.aborted} aborted` : s.error.message);
 * ```
 */
export class ServerProbe {
  /** The server's name. */
  readonly name: string;
  /** Its host. */
  readonly host: string;
  /** Its port. */
  readonly port: number;
  #client?: Client;
  #make: (deadlineMs: number) => Client;
  #version?: string;
  #setupError?: Error;
  /** The client is this probe's own (made from a target), not the caller's. */
  #made = false;

  /**
   * A probe of `target`: a {@linkcode ServerTarget} (a client is made for it
   * when first asked, with the deadline as its timeouts and no retry) or a
   * {@linkcode Client} to use as it is.
   */
  constructor(target: ServerTarget | Client, clientOptions: ClientOptions = {}) {
    if (target instanceof Client) {
      this.host = target.getHost();
      this.port = target.getPort();
      this.name = formatHostPort(this.host, this.port);
      this.#client = target;
      this.#make = () => target;
    } else {
      this.host = target.host;
      this.port = target.port;
      this.name = target.name ?? formatHostPort(target.host, target.port);
      this.#made = true;
      this.#make = (deadlineMs) =>
        new Client(target.host, target.port, {
          ...clientOptions,
          ...protocolOptions(target.protocol),
          ...(target.user ? { customUser: target.user } : {}),
          retry: { attempts: 1 },
          connectTimeoutMs: deadlineMs,
          replyTimeoutMs: deadlineMs,
        });
    }
  }

  /** The client (made on the first query). */
  get client(): Client | undefined {
    return this.#client;
  }

  /** Asks the server; never throws: a failure is the result's `error`. */
  async query(options: QueryOptions = {}): Promise<ServerStatus> {
    const deadlineMs = options.deadlineMs ?? DEFAULT_DEADLINE_MS;
    const t0 = performance.now();
    const base = { name: this.name, host: this.host, port: this.port };
    const done = (r: Omit<ServerStatusOk, keyof ServerStatusBase> | { ok: false; error: Error }) =>
      ({ ...base, ...r, elapsedMs: performance.now() - t0 }) as ServerStatus;
    if (this.#setupError) return done({ ok: false, error: this.#setupError });
    let client: Client;
    try {
      client = this.#client ??= this.#make(deadlineMs);
    } catch (e) {
      // a bad host or port never gets better: remember it
      this.#setupError = e as Error;
      return done({ ok: false, error: this.#setupError });
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      controller.abort(
        new TimeoutError(
          `no answer within ${deadlineMs / 1000} s`,
          { host: this.host, port: this.port },
          "reply",
        ),
      );
    }, deadlineMs);
    const onOuterAbort = () => controller.abort(options.signal?.reason);
    options.signal?.addEventListener("abort", onOuterAbort, { once: true });
    if (options.signal?.aborted) onOuterAbort();
    try {
      const work = (async () => {
        const rttMs = await client.ping();
        const [version, defs] = await Promise.all([
          this.#version ?? client.serverVersion(),
          client.syncLocal(),
        ]);
        return { rttMs, version, defs };
      })();
      const { rttMs, version, defs } = await raceAbort(work, controller.signal);
      this.#version = version;
      return done({
        ok: true,
        version,
        serverState: defs.serverState,
        suites: defs.suites.length,
        tasks: countTasks(defs),
        rttMs,
        defs,
      });
    } catch (e) {
      // it may come back restarted, or as another version: start again from a full fetch
      this.#version = undefined;
      if (this.#made) this.#client = undefined;
      return done({ ok: false, error: e instanceof Error ? e : new Error(String(e)) });
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onOuterAbort);
    }
  }
}

/**
 * Asks every server at once (at most `concurrency` at a time), each within its
 * own deadline; resolves with one result per target, in order. Never throws
 * for a server's failure: that is its result's `error`.
 *
 * @example A server that is not there fails in its own result
 * ```ts
 * import { queryServers } from "./status.ts";
 * import { ConnectionError } from "../errors.ts";
 * import { assertEquals, assertInstanceOf } from "@std/assert";
 * const [r] = await queryServers([{ name: "none", host: "127.0.0.1", port: 1 }], { deadlineMs: 2000 });
 * assertEquals([r.name, r.ok], ["none", false]);
 * if (!r.ok) assertInstanceOf(r.error, ConnectionError);
 * ```
 *
 * @example Three servers, one per line
 * ```ts ignore
 * import { queryServers } from "./status.ts";
 * const rows = await queryServers([
 *   { name: "prod", host: "oetzi", port: 3444 },
 *   { host: "localhost", port: 3141 },
 *   { host: "backup", port: 3141, protocol: "ssl" },
 * ], { deadlineMs: 3000 });
 * for (const r of rows) {
 *   console.log(r.name, r.ok ? `${r.serverState} ${r.tasks.aborted} aborted` : r.error.message);
 * }
 * ```
 */
export async function queryServers(
  targets: readonly (ServerTarget | Client)[],
  options: QueryServersOptions = {},
): Promise<ServerStatus[]> {
  const probes = targets.map((t) => new ServerProbe(t, options.clientOptions));
  return await queryProbes(probes, options);
}

/**
 * Queries probes concurrently (at most `concurrency` at a time); results in probe order.
 * Asking the same probes again costs a ping and a news request per server.
 *
 * @example
 * ```ts ignore
 * import { queryProbes, ServerProbe } from "./status.ts";
 * const probes = [new ServerProbe({ host: "oetzi", port: 3444 }), new ServerProbe({ host: "vali", port: 3141 })];
 * for (;;) {
 *   const rows = await queryProbes(probes, { deadlineMs: 3000 });
 *   console.log(rows.map((r) => r.ok ? `${r.name} ${r.tasks.aborted}` : `${r.name} down`).join(", "));
 *   await new Promise((r) => setTimeout(r, 10_000));
 * }
 * ```
 */
export async function queryProbes(
  probes: readonly ServerProbe[],
  options: QueryServersOptions = {},
): Promise<ServerStatus[]> {
  const limit = Math.max(1, options.concurrency ?? 64);
  const results = new Array<ServerStatus>(probes.length);
  let next = 0;
  const worker = async () => {
    while (next < probes.length) {
      const i = next++;
      results[i] = await probes[i].query(options);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, probes.length) }, worker));
  return results;
}
