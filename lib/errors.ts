/**
 * Typed errors. Every message says what failed, where, and what to do next.
 * The library throws these and never exits; the CLI turns them into output
 * and exit codes.
 *
 * @module
 */

/**
 * The base of every error ecflow-ts throws on purpose: configuration, connection, timeout,
 * server, protocol, definition-parse and expression errors all extend it, so one
 * `instanceof EcflowError` tells them from bugs.
 *
 * @example
 * ```ts
 * import { ConfigError, EcflowError } from "@ecflow-ts/client";
 * import { assert } from "@std/assert";
 * assert(new ConfigError("bad port") instanceof EcflowError);
 * ```
 */
export class EcflowError extends Error {
  /** Creates the error with a message a person can act on. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "EcflowError";
  }
}

/**
 * A bad setting: an unparsable host/port, a missing permission, an argument
 * outside the grammar. Raised before any connection is attempted.
 *
 * @example
 * ```ts
 * import { ConfigError, resolveEndpoint } from "@ecflow-ts/client";
 * import { assertThrows } from "@std/assert";
 * assertThrows(() => resolveEndpoint({ port: "99999" }), ConfigError, "99999");
 * ```
 */
export class ConfigError extends EcflowError {
  /** Creates the error. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ConfigError";
  }
}

/** Where a connection attempt went: the `host:port` text, for messages. */
export interface ErrorTarget {
  /** Host name or address as given. */
  host: string;
  /** TCP port. */
  port: number;
}

function targetText(t: ErrorTarget): string {
  return t.host.includes(":") ? `[${t.host}]:${t.port}` : `${t.host}:${t.port}`;
}

/**
 * Why a connection failed:
 * - `refused`: nothing listens on the port (retried, as ecflow_client does);
 * - `reset`: the server reset the connection;
 * - `dns`: the host name does not resolve;
 * - `eof`: the server closed the connection before a whole reply;
 * - `tls`: the TLS handshake failed (a plain server, or an untrusted certificate);
 * - `permission`: this process may not connect there (the message names the flag);
 * - `denied`: task commands gave up on the first server because `ECF_DENIED` is set;
 * - `other`: anything else the operating system reported.
 */
export type ConnectionFailure =
  | "refused"
  | "reset"
  | "dns"
  | "eof"
  | "tls"
  | "permission"
  | "denied"
  | "other";

/**
 * The server could not be reached or the connection broke: refused, reset,
 * unresolvable host, or closed before a whole reply arrived.
 *
 * @example
 * ```ts
 * import { ConnectionError } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * const e = new ConnectionError("connection refused", { host: "localhost", port: 3141 }, "refused");
 * assertEquals(e.message, "localhost:3141: connection refused");
 * assertEquals(e.reason, "refused");
 * ```
 */
export class ConnectionError extends EcflowError {
  /** The endpoint that failed. */
  readonly target: ErrorTarget;
  /** Why it failed, for programs: see {@linkcode ConnectionFailure}. */
  readonly reason: ConnectionFailure;
  /** Creates the error; the message is prefixed with `host:port`. */
  constructor(
    detail: string,
    target: ErrorTarget,
    reason: ConnectionFailure = "other",
    options?: ErrorOptions,
  ) {
    super(`${targetText(target)}: ${detail}`, options);
    this.name = "ConnectionError";
    this.target = target;
    this.reason = reason;
  }
}

/**
 * A network wait took longer than its limit (connect or reply).
 *
 * @example
 * ```ts
 * import { TimeoutError } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * const e = new TimeoutError("no reply within 10 s", { host: "h", port: 1 }, "reply");
 * assertEquals(e.phase, "reply");
 * assertEquals(e.message, "h:1: no reply within 10 s");
 * ```
 */
export class TimeoutError extends EcflowError {
  /** The endpoint that did not answer in time. */
  readonly target: ErrorTarget;
  /** Which wait ran out: `connect` or `reply`. */
  readonly phase: "connect" | "reply";
  /** Creates the error; the message is prefixed with `host:port`. */
  constructor(
    detail: string,
    target: ErrorTarget,
    phase: "connect" | "reply",
    options?: ErrorOptions,
  ) {
    super(`${targetText(target)}: ${detail}`, options);
    this.name = "TimeoutError";
    this.target = target;
    this.phase = phase;
  }
}

/**
 * The server answered with an error (`ErrorCmd`); `serverMessage` is its text, verbatim.
 *
 * @example
 * ```ts
 * import { ServerError } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * const e = new ServerError("Cannot find node at path '/x' ", "--suspend=/x");
 * assertEquals(e.serverMessage, "Cannot find node at path '/x' ");
 * assertEquals(e.request, "--suspend=/x");
 * ```
 */
export class ServerError extends EcflowError {
  /** The server's own words. */
  readonly serverMessage: string;
  /** The request as ecflow_client would name it, e.g. `--ping`. */
  readonly request: string;
  /** Creates the error. */
  constructor(serverMessage: string, request: string) {
    super(`request( ${request} ) failed!  Server reply: ${serverMessage}`);
    this.name = "ServerError";
    this.serverMessage = serverMessage;
    this.request = request;
  }
}

/**
 * Bytes that are not a valid ecFlow frame or reply: a bad header, a length
 * over the ceiling, JSON that does not parse or has the wrong shape, an
 * unknown reply class.
 *
 * @example
 * ```ts
 * import { ProtocolError } from "@ecflow-ts/client";
 * import { decodeHeader } from "@ecflow-ts/client/wire";
 * import { assertThrows } from "@std/assert";
 * assertThrows(() => decodeHeader(new TextEncoder().encode("zzzzzzzz")), ProtocolError);
 * ```
 */
export class ProtocolError extends EcflowError {
  /** Creates the error; a message over 300 characters (echoing hostile bytes) is cut short. */
  constructor(message: string, options?: ErrorOptions) {
    super(message.length > 300 ? `${message.slice(0, 297)}...` : message, options);
    this.name = "ProtocolError";
  }
}
