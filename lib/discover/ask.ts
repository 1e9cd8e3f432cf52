/**
 * Asking a server found on this machine how it is: one `--stats_server` request
 * (state, version, ECF_HOME in one reply) over the transport it speaks, with a
 * short deadline and no retry.
 *
 * @module
 */
import { Client } from "../client/client.ts";
import type { ClientOptions } from "../client/options.ts";
import { ConnectionError, EcflowError } from "../errors.ts";
import { readEnv } from "../env.ts";
import type { FoundServer, ServerProtocol } from "./match.ts";

/** What the server says it is doing (ecFlow's `SState`). */
export type ServerState = "HALTED" | "SHUTDOWN" | "RUNNING";

/** A found server's answer, or why there was none. */
export interface ServerAnswer {
  /** The protocol it answered over (settles `unknown`). */
  protocol: ServerProtocol;
  /** Its state, when it answered. */
  state?: ServerState;
  /** Its version, e.g. `5.9.2`. */
  version?: string;
  /** Its ECF_HOME as it reports it. */
  home?: string;
  /** The round trip in milliseconds. */
  ms?: number;
  /** Why it did not answer (one line), when it did not. */
  error?: string;
}

/** The deadlines of {@linkcode askServer} unless given: a local server answers in milliseconds. */
export const ASK_DEADLINES = { connectTimeoutMs: 1000, replyTimeoutMs: 3000 } as const;

const STATES: readonly ServerState[] = ["HALTED", "SHUTDOWN", "RUNNING"];

/**
 * A client for a found server: its host and port, the transport it speaks (for
 * TLS, the certificate its `ECF_SSL` picks, in its own certificate folder when
 * known), one attempt. `options` may set deadlines, identity, `certDir`, `caCerts`.
 * An `unknown` protocol is tried as plain TCP.
 *
 * @example
 * ```ts
 * import { clientFor } from "./ask.ts";
 * import { assertEquals } from "@std/assert";
 * const c = clientFor({ host: "localhost", port: 4141, pid: 1, mine: true, protocol: "http" });
 * assertEquals([c.getHost(), c.getPort(), c.transportKind], ["localhost", 4141, "http"]);
 * ```
 */
export function clientFor(
  server: FoundServer,
  options: Omit<ClientOptions, "host" | "port" | "ssl" | "http" | "https" | "transport"> = {},
): Client {
  const env = options.env ?? readEnv;
  const tls = server.protocol === "tls";
  return new Client({
    retry: { attempts: 1 },
    ...options,
    host: server.host,
    port: server.port,
    // The server's own ECF_SSL value picks the certificate file; nothing else in the
    // environment may switch the transport away from what the server speaks.
    env: (name) => {
      if (name === "ECF_SSL") return tls ? server.ecfSsl ?? "1" : undefined;
      if (name === "ECF_HOST_PROTOCOL") return undefined;
      return env(name);
    },
    ssl: tls,
    http: server.protocol === "http",
    ...(tls && !options.certDir && server.sslDir ? { certDir: server.sslDir } : {}),
  });
}

/**
 * Options of {@linkcode askServer}: a client's, but for where it goes; `signal` stops the
 * wait for the answer (the promise rejects with the signal's reason).
 */
export type AskOptions = Omit<ClientOptions, "host" | "port" | "transport">;

/** One line saying why, without the `host:port: ` the errors start with. */
function reason(e: unknown, server: FoundServer): string {
  const text = e instanceof Error ? e.message : String(e);
  const prefix = `${server.host}:${server.port}: `;
  return (text.startsWith(prefix) ? text.slice(prefix.length) : text).replace(/\s*\n\s*/g, " ");
}

async function ask(server: FoundServer, options: AskOptions): Promise<ServerAnswer> {
  await using client = clientFor(server, { ...ASK_DEADLINES, ...options });
  const t0 = performance.now();
  const values = await client.statsServer();
  const ms = performance.now() - t0;
  const answer: ServerAnswer = {
    protocol: server.protocol === "unknown" ? "tcp" : server.protocol,
    ms,
  };
  const state = STATES[values[0] as number];
  if (state) answer.state = state;
  if (typeof values[5] === "string") answer.version = values[5];
  if (typeof values[12] === "string" && values[12] !== "") answer.home = values[12];
  return answer;
}

async function answerOf(server: FoundServer, options: AskOptions): Promise<ServerAnswer> {
  try {
    return await ask(server, options);
  } catch (e) {
    if (!(e instanceof EcflowError)) throw e;
    // A TLS server closes a plain connection without replying (ecflow_client says
    // "mixing ssl and non-ssl"): a server not known to speak TLS is then asked over TLS.
    if (server.protocol === "unknown" && e instanceof ConnectionError && e.reason === "eof") {
      return await answerOf({ ...server, protocol: "tls" }, options);
    }
    return { protocol: server.protocol, error: reason(e, server) };
  }
}

/**
 * Asks a found server for its state and version, once. Never throws for a server
 * that does not answer: `error` says why. A server whose protocol is `unknown`
 * (another user's, started without `--ssl`, environment unreadable) is asked over
 * TCP; a TLS server drops a plain connection without a word, and is then asked
 * over TLS.
 *
 * @example
 * ```ts ignore
 * import { askServer, findLocalServers } from "@ecflow-ts/client/discover";
 * const { servers } = await findLocalServers();
 * for (const a of await Promise.all(servers.map((s) => askServer(s)))) {
 *   console.log(a.state ?? a.error, a.version);
 * }
 * ```
 */
export async function askServer(
  server: FoundServer,
  options: AskOptions = {},
): Promise<ServerAnswer> {
  options.signal?.throwIfAborted();
  return await answerOf(server, options);
}
