/**
 * Plain TCP transport on `Deno.connect`: one request per connection, the
 * 8-byte hex header, then exactly the declared number of bytes. Every wait has
 * a deadline; every failure is a typed error naming `host:port`.
 *
 * @module
 */
import { startDeadline } from "./deadline.ts";
import { decodeHeader, encodeFrame, HEADER_SIZE } from "../wire/frame.ts";
import { ConfigError, ConnectionError, ProtocolError, TimeoutError } from "../errors.ts";
import { formatHostPort } from "../endpoint.ts";
import {
  DEFAULT_LIMITS,
  type ExchangeOptions,
  type Transport,
  type TransportLimits,
  type TransportTarget,
} from "./types.ts";

/** A stream the framing code can read from and write to (a TCP or TLS connection). */
export interface ByteStream {
  /** Reads into `p`; `null` at end of stream. */
  read(p: Uint8Array): Promise<number | null>;
  /** Writes some of `p`, resolving with the count. */
  write(p: Uint8Array): Promise<number>;
  /** Closes the stream. */
  close(): void;
}

/**
 * Refuses early, with the flag to add, when this process may not connect to
 * `target` (instead of a prompt or an opaque permission error).
 */
export function requireNetPermission(target: TransportTarget): void {
  const host = formatHostPort(target.host, target.port);
  if (grantedHosts.has(host)) return;
  let state: Deno.PermissionState = "granted";
  try {
    state = Deno.permissions.querySync({ name: "net", host }).state;
  } catch {
    return;
  }
  if (state !== "granted") {
    throw new ConfigError(`no network permission for ${host}: run deno with --allow-net=${host}`);
  }
  grantedHosts.add(host);
}

/** Targets already known to be allowed (a granted permission is not taken back by Deno). */
const grantedHosts = new Set<string>();

/** Maps a socket error to a typed {@linkcode ConnectionError}. */
export function connectionFailure(e: unknown, target: TransportTarget): ConnectionError {
  const err = e as Error;
  const msg = err?.message ?? String(e);
  if (e instanceof Deno.errors.ConnectionRefused) {
    return new ConnectionError("connection refused", target, "refused", { cause: e });
  }
  if (e instanceof Deno.errors.ConnectionReset) {
    return new ConnectionError("connection reset by the server", target, "reset", { cause: e });
  }
  if (/lookup|resolve|name or service|nodename|no address/i.test(msg)) {
    return new ConnectionError(`cannot resolve host '${target.host}'`, target, "dns", {
      cause: e,
    });
  }
  if (isTlsFailure(e, msg)) {
    return new ConnectionError(
      `TLS handshake failed (${msg.split("\n")[0]}): is the server plain TCP (then drop --ssl), ` +
        "or is its certificate not trusted?",
      target,
      "tls",
      { cause: e },
    );
  }
  if (e instanceof Deno.errors.NotCapable || e instanceof Deno.errors.PermissionDenied) {
    const hp = formatHostPort(target.host, target.port);
    return new ConnectionError(
      `not allowed to connect: run deno with --allow-net=${hp}`,
      target,
      "permission",
      { cause: e },
    );
  }
  return new ConnectionError(msg.split("\n")[0], target, "other", { cause: e });
}

/** rustls reports a peer that does not speak TLS, or a bad certificate, as `InvalidData`. */
function isTlsFailure(e: unknown, msg: string): boolean {
  return e instanceof Deno.errors.InvalidData &&
    /corrupt message|handshake|certificate|tls|alert|InvalidContentType/i.test(msg);
}

/** True when a reply header is the start of a TLS record (handshake or alert, version 3.x). */
function looksLikeTls(header: Uint8Array): boolean {
  return (header[0] === 0x15 || header[0] === 0x16) && header[1] === 0x03;
}

/** Bytes asked for by the first read of a reply: the header and all of a short reply. */
const FIRST_READ_BYTES = 1024;

/**
 * Reads until at least `min` bytes are in `buf` (and at most `buf.length`), `already` being
 * there; returns the count. Messages count the bytes after `base` (the reply's body).
 */
async function readAtLeast(
  conn: ByteStream,
  buf: Uint8Array,
  min: number,
  target: TransportTarget,
  part: string,
  already = 0,
  base = 0,
): Promise<number> {
  let off = already;
  while (off < min) {
    const n = await conn.read(buf.subarray(off));
    if (n === null) {
      throw new ConnectionError(
        `server closed the connection ${part} (${off - base} of ${min - base} bytes read); ` +
          "is it an ecFlow server, and does it expect TLS (--ssl)?",
        target,
        "eof",
      );
    }
    off += n;
  }
  return off;
}

async function writeAll(conn: ByteStream, data: Uint8Array): Promise<void> {
  let off = 0;
  while (off < data.length) off += await conn.write(data.subarray(off));
}

function closeQuietly(conn: { close?: () => void } | undefined): void {
  try {
    conn?.close?.();
  } catch { /* already closed */ }
}

/** The reply's payload length from its header; a TLS record or anything not hex is refused. */
function replyLength(header: Uint8Array, target: TransportTarget, maxReplyBytes: number): number {
  const where = () => formatHostPort(target.host, target.port);
  if (looksLikeTls(header)) {
    throw new ProtocolError(
      `${where()}: the server answered with TLS; it expects an encrypted connection (--ssl)`,
    );
  }
  let length: number;
  try {
    length = decodeHeader(header);
  } catch (e) {
    throw new ProtocolError(`${where()}: ${(e as Error).message}; not an ecFlow server?`);
  }
  if (length > maxReplyBytes) {
    throw new ProtocolError(
      `${where()}: reply of ${length} bytes exceeds the ${maxReplyBytes}-byte limit`,
    );
  }
  return length;
}

/**
 * Writes one framed request and reads the framed reply. The header and a short reply come in
 * one read into a small buffer, and the payload is returned as a view of it; a longer reply is
 * read straight into a buffer of its size, which the caller then owns.
 */
async function exchangeFrames(
  conn: ByteStream,
  target: TransportTarget,
  payload: Uint8Array,
  maxReplyBytes: number,
): Promise<Uint8Array> {
  const frame = encodeFrame(payload);
  // one write and one read are the usual case: their loops only when they are needed
  const wrote = await conn.write(frame);
  if (wrote < frame.length) await writeAll(conn, frame.subarray(wrote));
  const first = new Uint8Array(FIRST_READ_BYTES);
  let got = (await conn.read(first)) ?? 0;
  if (got < HEADER_SIZE) {
    got = await readAtLeast(conn, first, HEADER_SIZE, target, "before a whole reply header", got);
  }
  const length = replyLength(first.subarray(0, HEADER_SIZE), target, maxReplyBytes);
  const end = HEADER_SIZE + length;
  if (end <= first.length) {
    if (got < end) {
      await readAtLeast(conn, first, end, target, "in the middle of the reply", got, HEADER_SIZE);
    }
    return first.subarray(HEADER_SIZE, end);
  }
  const body = new Uint8Array(length);
  body.set(first.subarray(HEADER_SIZE, got));
  await readAtLeast(conn, body, length, target, "in the middle of the reply", got - HEADER_SIZE);
  return body;
}

/** Limits of one exchange, from a transport's own and the call's. */
export function exchangeLimits(
  own: Required<TransportLimits>,
  options: ExchangeOptions,
): Required<TransportLimits> {
  return {
    connectTimeoutMs: options.connectTimeoutMs ?? own.connectTimeoutMs,
    replyTimeoutMs: options.replyTimeoutMs ?? own.replyTimeoutMs,
    maxReplyBytes: options.maxReplyBytes ?? own.maxReplyBytes,
  };
}

/**
 * One request on a new connection: `open` connects (its signal aborts the attempt), then the
 * framed request goes out and the framed reply comes back. One deadline covers both phases:
 * `connectTimeoutMs` to connect, then `replyTimeoutMs` from connected to the last reply byte;
 * when it passes, or `signal` aborts, the connection attempt stops or the stream is closed.
 * Rejects with the signal's reason, a {@linkcode TimeoutError} naming the phase, or a
 * {@linkcode ConnectionError}/{@linkcode ProtocolError} naming `host:port`. The stream is
 * always closed.
 */
export async function exchangeOver(
  target: TransportTarget,
  payload: Uint8Array,
  limits: Required<TransportLimits>,
  signal: AbortSignal | undefined,
  open: (signal: AbortSignal) => Promise<ByteStream>,
): Promise<Uint8Array> {
  signal?.throwIfAborted();
  const attempt = new AbortController();
  let conn: ByteStream | undefined;
  let connected = false;
  const stop = () => {
    attempt.abort();
    closeQuietly(conn);
  };
  const deadline = startDeadline(limits.connectTimeoutMs, stop);
  signal?.addEventListener("abort", stop);
  try {
    conn = await open(attempt.signal);
    attempt.signal.throwIfAborted(); // connected just as the deadline passed or the call ended
    connected = true;
    deadline.restart(limits.replyTimeoutMs);
    return await exchangeFrames(conn, target, payload, limits.maxReplyBytes);
  } catch (e) {
    if (signal?.aborted) throw signal.reason;
    if (deadline.fired) {
      throw connected
        ? new TimeoutError(
          `no complete reply within ${limits.replyTimeoutMs / 1000} s`,
          target,
          "reply",
        )
        : new TimeoutError(
          `no connection within ${limits.connectTimeoutMs / 1000} s`,
          target,
          "connect",
        );
    }
    if (e instanceof ConnectionError || e instanceof ProtocolError) throw e;
    throw connectionFailure(e, target);
  } finally {
    deadline.cancel();
    signal?.removeEventListener("abort", stop);
    closeQuietly(conn);
  }
}

/**
 * Sends one framed request on an open stream and reads the framed reply,
 * within `replyTimeoutMs` in all. Closes the stream. When `signal` aborts, the
 * stream is closed and the exchange rejects with the signal's reason.
 */
export function exchangeOnStream(
  conn: ByteStream,
  target: TransportTarget,
  payload: Uint8Array,
  limits: Required<TransportLimits>,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  const replyOnly = { ...limits, connectTimeoutMs: limits.replyTimeoutMs };
  return exchangeOver(target, payload, replyOnly, signal, () => Promise.resolve(conn));
}

/**
 * Connects with a deadline; maps failures to typed errors. When `signal` aborts, the
 * connection attempt stops and this rejects with the signal's reason.
 */
export async function connectWithin<T>(
  target: TransportTarget,
  timeoutMs: number,
  open: (signal: AbortSignal) => Promise<T>,
  signal?: AbortSignal,
): Promise<T> {
  signal?.throwIfAborted();
  const attempt = new AbortController();
  const stop = () => attempt.abort();
  const deadline = startDeadline(timeoutMs, stop);
  signal?.addEventListener("abort", stop);
  let conn: T | undefined;
  try {
    conn = await open(attempt.signal);
    attempt.signal.throwIfAborted();
    return conn;
  } catch (e) {
    // what opened in the meantime (a stream, or a pinned route's answer) is let go
    closeQuietly(conn as { close?: () => void } | undefined);
    if (signal?.aborted) throw signal.reason;
    if (deadline.fired) {
      throw new TimeoutError(`no connection within ${timeoutMs / 1000} s`, target, "connect");
    }
    throw connectionFailure(e, target);
  } finally {
    deadline.cancel();
    signal?.removeEventListener("abort", stop);
  }
}

/**
 * The plain TCP transport (ecFlow's default).
 *
 * @example
 * ```ts ignore
 * import { TcpTransport } from "@ecflow-ts/client";
 * const tcp = new TcpTransport({ connectTimeoutMs: 2000 });
 * const reply = await tcp.exchange({ host: "localhost", port: 3141 }, payload);
 * ```
 */
export class TcpTransport implements Transport {
  /** Always `tcp`. */
  readonly kind = "tcp";
  #limits: Required<TransportLimits>;

  /** Creates the transport with default limits overridden by `limits`. */
  constructor(limits: TransportLimits = {}) {
    this.#limits = { ...DEFAULT_LIMITS, ...stripUndefined(limits) };
  }

  /** Sends one request on a new connection and returns the reply payload. */
  exchange(
    target: TransportTarget,
    payload: Uint8Array,
    options: ExchangeOptions = {},
  ): Promise<Uint8Array> {
    try {
      requireNetPermission(target);
    } catch (e) {
      return Promise.reject(e);
    }
    return exchangeOver(
      target,
      payload,
      exchangeLimits(this.#limits, options),
      options.signal,
      (signal) => Deno.connect({ hostname: target.host, port: target.port, signal }),
    );
  }
}

/** Drops `undefined` members so they do not override defaults. */
export function stripUndefined<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(o)) {
    if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  }
  return out;
}
