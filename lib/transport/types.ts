/**
 * The one interface every transport implements: send one request payload to
 * one endpoint, get one reply payload back. Transports own their timeouts and
 * size limits; nothing else in ecflow-ts touches sockets.
 *
 * @module
 */

/** Where to send a request. */
export interface TransportTarget {
  /** Host name or address (IPv6 without brackets). */
  host: string;
  /** TCP port. */
  port: number;
}

/** Limits every transport honours. */
export interface TransportLimits {
  /** Milliseconds allowed to establish the connection (default 10,000). */
  connectTimeoutMs?: number;
  /** Milliseconds allowed from connected to the whole reply read (default 60,000). */
  replyTimeoutMs?: number;
  /** Largest reply payload accepted, in bytes (default 512 MiB). */
  maxReplyBytes?: number;
}

/** Limits of one exchange, and the signal that cancels it. */
export interface ExchangeOptions extends TransportLimits {
  /**
   * Cancels the exchange: the connection is closed and the exchange rejects with the
   * signal's reason.
   */
  signal?: AbortSignal;
}

/** Sends one request and returns the reply payload (without framing). */
export interface Transport {
  /** `tcp`, `tls`, `http` or `https`: reported by `--ping`. */
  readonly kind: string;
  /** Sends `payload` to `target` and resolves with the reply payload bytes. */
  exchange(
    target: TransportTarget,
    payload: Uint8Array,
    options?: ExchangeOptions,
  ): Promise<Uint8Array>;
  /**
   * Releases what the transport holds between exchanges (an HTTP client, for
   * instance). Exchanges may follow; they acquire what they need again.
   */
  close?(): void;
}

/** Defaults for {@linkcode TransportLimits}. */
export const DEFAULT_LIMITS: Required<TransportLimits> = {
  connectTimeoutMs: 10_000,
  replyTimeoutMs: 60_000,
  maxReplyBytes: 512 * 1024 * 1024,
};
