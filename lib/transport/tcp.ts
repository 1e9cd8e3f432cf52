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

/** Runs `work` with a deadline; when it passes, `onTimeout` is called (it should abort the work). */
async function withDeadline<T>(ms: number, onTimeout: () => void, work: () => Promise<T>) {
  const deadline = startDeadline(ms, onTimeout);
  try {
    return { value: await work(), fired: false as const };
  } catch (e) {
    if (deadline.fired) return { fired: true as const, error: e };
    throw e;
  } finally {
    deadline.cancel();
  }
}

/** Bytes asked for by the first read of a reply (header plus a short body). */
const FIRST_READ_BYTES = 1024;

/** Reads until at least `min` bytes are in `buf` (and at most `buf.length`); returns the count. */
async function readAtLeast(
  conn: ByteStream,
  buf: Uint8Array,
  min: number,
  target: TransportTarget,
  part: string,
  already = 0,
): Promise<number> {
  let off = 0;
  while (off < min) {
    const n = await conn.read(buf.subarray(off));
    if (n === null) {
      throw new ConnectionError(
        `server closed the connection ${part} (${already + off} of ${already + min} bytes ` +
          "read); is it an ecFlow server, and does it expect TLS (--ssl)?",
        target,
        "eof",
      );
    }
    off += n;
  }
  return off;
}

/** Fills `buf` completely. */
async function readFull(
  conn: ByteStream,
  buf: Uint8Array,
  target: TransportTarget,
  part: string,
  already = 0,
): Promise<void> {
  await readAtLeast(conn, buf, buf.length, target, part, already);
}

async function writeAll(conn: ByteStream, data: Uint8Array): Promise<void> {
  let off = 0;
  while (off < data.length) off += await conn.write(data.subarray(off));
}

/** Calls `onAbort` when `signal` aborts; returns the function that stops listening. */
function onAbort(signal: AbortSignal | undefined, onAbort: () => void): () => void {
  if (!signal) return () => {};
  signal.addEventListener("abort", onAbort, { once: true });
  return () => signal.removeEventListener("abort", onAbort);
}

/**
 * Sends one framed request on an open stream and reads the framed reply,
 * within `replyTimeoutMs` in all. Closes the stream. When `signal` aborts, the
 * stream is closed and the exchange rejects with the signal's reason.
 */
export async function exchangeOnStream(
  conn: ByteStream,
  target: TransportTarget,
  payload: Uint8Array,
  limits: Required<TransportLimits>,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  const close = () => {
    try {
      conn.close();
    } catch { /* already closed */ }
  };
  const unlisten = onAbort(signal, close);
  const result = await withDeadline(limits.replyTimeoutMs, close, async () => {
    signal?.throwIfAborted();
    await writeAll(conn, encodeFrame(payload));
    // Read the header and as much of the body as arrives with it in one go: most replies
    // (acks, short strings) then need a single read.
    const first = new Uint8Array(FIRST_READ_BYTES);
    const got = await readAtLeast(conn, first, HEADER_SIZE, target, "before a whole reply header");
    const header = first.subarray(0, HEADER_SIZE);
    let length: number;
    if (looksLikeTls(header)) {
      throw new ProtocolError(
        `${formatHostPort(target.host, target.port)}: the server answered with TLS; ` +
          "it expects an encrypted connection (--ssl)",
      );
    }
    try {
      length = decodeHeader(header);
    } catch (e) {
      throw new ProtocolError(
        `${formatHostPort(target.host, target.port)}: ${
          (e as Error).message
        }; not an ecFlow server?`,
      );
    }
    if (length > limits.maxReplyBytes) {
      throw new ProtocolError(
        `${formatHostPort(target.host, target.port)}: reply of ${length} bytes exceeds the ` +
          `${limits.maxReplyBytes}-byte limit`,
      );
    }
    const body = new Uint8Array(length);
    const early = Math.min(got - HEADER_SIZE, length);
    body.set(first.subarray(HEADER_SIZE, HEADER_SIZE + early));
    await readFull(conn, body.subarray(early), target, "in the middle of the reply", early);
    return body;
  }).catch((e) => {
    if (signal?.aborted) throw signal.reason;
    if (e instanceof ConnectionError || e instanceof ProtocolError) throw e;
    throw connectionFailure(e, target);
  }).finally(() => {
    unlisten();
    close();
  });
  if (result.fired) {
    throw new TimeoutError(
      `no complete reply within ${limits.replyTimeoutMs / 1000} s`,
      target,
      "reply",
    );
  }
  return result.value;
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
  const ac = new AbortController();
  const unlisten = onAbort(signal, () => ac.abort());
  const result = await withDeadline(timeoutMs, () => ac.abort(), () => open(ac.signal))
    .catch((e) => {
      if (signal?.aborted) throw signal.reason;
      throw connectionFailure(e, target);
    }).finally(unlisten);
  if (signal?.aborted) {
    // what opened in the meantime (a stream, or a pinned route's answer) is let go
    if (!result.fired) (result.value as { close?: () => void } | undefined)?.close?.();
    throw signal.reason;
  }
  if (result.fired) {
    throw new TimeoutError(`no connection within ${timeoutMs / 1000} s`, target, "connect");
  }
  return result.value;
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
  async exchange(
    target: TransportTarget,
    payload: Uint8Array,
    options: ExchangeOptions = {},
  ): Promise<Uint8Array> {
    const { signal, ...limits } = options;
    const l = { ...this.#limits, ...stripUndefined(limits) };
    requireNetPermission(target);
    const conn = await connectWithin(
      target,
      l.connectTimeoutMs,
      (s) => Deno.connect({ hostname: target.host, port: target.port, signal: s }),
      signal,
    );
    return await exchangeOnStream(conn, target, payload, l, signal);
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
