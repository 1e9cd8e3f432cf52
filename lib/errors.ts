/**
 * Typed errors. Every message says what failed, where, and what to do next.
 * The library throws these and never exits; the CLI turns them into output
 * and exit codes.
 *
 * @module
 */

/** The base of every error ecflow-ts throws on purpose. */
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
 * try {
 *   resolveEndpoint({ port: "99999" });
 * } catch (e) {
 *   console.log(e instanceof ConfigError); // true
 * }
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
 * The server could not be reached or the connection broke: refused, reset,
 * unresolvable host, or closed before a whole reply arrived.
 *
 * @example
 * ```ts
 * import { ConnectionError } from "@ecflow-ts/client";
 * const e = new ConnectionError("connection refused", { host: "localhost", port: 3141 });
 * console.log(e.message); // "localhost:3141: connection refused"
 * ```
 */
export class ConnectionError extends EcflowError {
  /** The endpoint that failed. */
  readonly target: ErrorTarget;
  /** A short machine-readable reason (`refused`, `reset`, `dns`, `eof`, `tls`, `permission`, `other`). */
  readonly reason: string;
  /** Creates the error; the message is prefixed with `host:port`. */
  constructor(detail: string, target: ErrorTarget, reason = "other", options?: ErrorOptions) {
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
 * const e = new TimeoutError("no reply within 10 s", { host: "h", port: 1 }, "reply");
 * console.log(e.phase); // "reply"
 * ```
 */
export class TimeoutError extends EcflowError {
  /** The endpoint that did not answer in time. */
  readonly target: ErrorTarget;
  /** Which wait ran out: `connect` or `reply`. */
  readonly phase: "connect" | "reply";
  /** Creates the error; the message is prefixed with `host:port`. */
  constructor(detail: string, target: ErrorTarget, phase: "connect" | "reply") {
    super(`${targetText(target)}: ${detail}`);
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
 * const e = new ServerError("Cannot find node at path '/x' ", "--suspend=/x");
 * console.log(e.serverMessage);
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
 * import { decodeHeader, ProtocolError } from "@ecflow-ts/client";
 * try {
 *   decodeHeader(new TextEncoder().encode("zzzzzzzz"));
 * } catch (e) {
 *   console.log(e instanceof ProtocolError); // true
 * }
 * ```
 */
export class ProtocolError extends EcflowError {
  /** Creates the error; a message over 300 characters (echoing hostile bytes) is cut short. */
  constructor(message: string, options?: ErrorOptions) {
    super(message.length > 300 ? `${message.slice(0, 297)}...` : message, options);
    this.name = "ProtocolError";
  }
}
