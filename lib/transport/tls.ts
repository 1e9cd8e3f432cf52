/**
 * TLS transport (`--ssl`, `ECF_SSL`, Python's `enable_ssl()`): the same
 * 8-byte framing as plain TCP inside a TLS connection.
 *
 * The trusted certificates are found where ecFlow looks for them: `server.crt`
 * or `<host>.<port>.crt` in `$HOME/.ecflowrc/ssl/` (`ECF_SSL_DIR` overrides the
 * folder, as in ecFlow 5.16+), `localhost` standing for this machine's host name.
 * Two routes, chosen by the file ({@linkcode TrustRoute}, docs/transports.md):
 *
 * - pinned (a self-signed certificate of any kind, ecFlow's documented X.509 v1
 *   recipe included): the server must present exactly a certificate of the file,
 *   within its validity dates, and prove it holds its key; checked by ecflow-ts's
 *   own TLS 1.3 handshake (pinned.ts) before any request byte is written;
 * - verified (the file holds a CA and a certificate it issued, or the server
 *   presents a certificate issued by a CA of the file): Deno's TLS verifies the
 *   chain and the dialled name in full.
 *
 * @module
 */
import { ConfigError, ConnectionError } from "../errors.ts";
import { formatHostPort } from "../endpoint.ts";
import { type EnvReader, readEnv } from "../env.ts";
import { readOptionalTextFile } from "../auth/read.ts";
import {
  type ByteStream,
  connectWithin,
  exchangeOnStream,
  requireNetPermission,
  stripUndefined,
} from "./tcp.ts";
import { CertificateMismatchError, TlsSetupError } from "./tls_errors.ts";
import type { Trust } from "./pinning.ts";
export type { TrustRoute } from "./x509.ts";
export { CertificateMismatchError, TlsSetupError };
import {
  DEFAULT_LIMITS,
  type ExchangeOptions,
  type Transport,
  type TransportLimits,
  type TransportTarget,
} from "./types.ts";

/** Where the certificate comes from and how it is chosen. */
export interface TlsOptions {
  /**
   * The `ECF_SSL` value form: `""` or `"1"` (also `--ssl`) tries `server.crt`
   * first, then `<host>.<port>.crt`; any other value uses `<host>.<port>.crt` only.
   */
  ecfSsl?: string;
  /** Certificate folder (default `ECF_SSL_DIR`, else `$HOME/.ecflowrc/ssl/`). */
  certDir?: string;
  /** PEM certificates to trust instead of looking for a file. */
  caCerts?: string[];
  /** This machine's host name: what `localhost` is replaced with in `<host>.<port>.crt`. */
  localHost?: string;
  /** Environment for `HOME` and `ECF_SSL_DIR` (default: the process environment). */
  env?: EnvReader;
}

/** A certificate found for one server. */
export interface FoundCertificate {
  /** The file it was read from. */
  path: string;
  /** Its PEM text. */
  pem: string;
}

/** The certificate folder: `certDir`, else `ECF_SSL_DIR`, else `$HOME/.ecflowrc/ssl/`. */
export function certificateDir(options: TlsOptions = {}): string {
  const env = options.env ?? readEnv;
  const dir = options.certDir ?? env("ECF_SSL_DIR")?.trim();
  if (dir) return dir.endsWith("/") ? dir : `${dir}/`;
  const home = env("HOME")?.trim();
  if (!home) {
    throw new ConfigError(
      "TLS: cannot find $HOME/.ecflowrc/ssl: HOME is not set or not readable " +
        "(run deno with --allow-env=HOME, or set ECF_SSL_DIR)",
    );
  }
  return `${home.replace(/\/$/, "")}/.ecflowrc/ssl/`;
}

/**
 * Finds the server's certificate as ecflow_client does. Throws
 * {@linkcode ConfigError} naming the files looked for when none exists, or the
 * `--allow-read` flag when the folder may not be read.
 *
 * @example
 * ```ts ignore
 * import { findServerCertificate } from "@ecflow-ts/client";
 * const { path } = findServerCertificate({ host: "localhost", port: 3141 }, { ecfSsl: "1" });
 * ```
 */
export function findServerCertificate(
  target: TransportTarget,
  options: TlsOptions = {},
): FoundCertificate {
  const dir = certificateDir(options);
  const host = target.host === "localhost" ? (options.localHost ?? target.host) : target.host;
  const specific = `${host}.${target.port}.crt`;
  const shared = options.ecfSsl === undefined || options.ecfSsl === "" || options.ecfSsl === "1";
  const names = shared ? ["server.crt", specific] : [specific];
  let state: Deno.PermissionState = "granted";
  try {
    state = Deno.permissions.querySync({ name: "read", path: dir }).state;
  } catch { /* let the reads decide */ }
  if (state !== "granted") {
    throw new ConfigError(
      `TLS: cannot read the certificate folder ${dir}: run deno with --allow-read=${
        dir.replace(/\/$/, "")
      }`,
    );
  }
  for (const name of names) {
    const pem = readOptionalTextFile(dir + name, "TLS certificate");
    if (pem !== undefined) return { path: dir + name, pem };
  }
  throw new ConfigError(
    `TLS: expected the server's self-signed certificate ${
      names.join(" or ")
    } in ${dir}; copy it there from the server's ~/.ecflowrc/ssl`,
  );
}

/**
 * Turns Deno's TLS (rustls) complaints on the verified route, where the server
 * presents a certificate issued by a CA of the file, into what to do about them.
 *
 * @example
 * ```ts
 * import { tlsFailure } from "@ecflow-ts/client/transport";
 * import { TlsSetupError } from "@ecflow-ts/client";
 * import { assert, assertStringIncludes } from "@std/assert";
 * const rustls = new Error("invalid peer certificate: NotValidForName");
 * const e = tlsFailure(rustls, { host: "h", port: 1 }, "/ssl/server.crt");
 * assert(e instanceof TlsSetupError);
 * assertStringIncludes(e.message, "h:1: the server's certificate, issued by a CA in /ssl/server.crt");
 * ```
 */
export function tlsFailure(
  e: unknown,
  target: TransportTarget,
  certPath: string,
): TlsSetupError | ConnectionError {
  const msg = (e as Error)?.message ?? String(e);
  let detail: string | undefined;
  if (/not valid for name|NotValidForName/.test(msg)) {
    detail = `the server's certificate, issued by a CA in ${certPath}, does not name ` +
      `'${target.host}' in its subjectAltName, and a CA-issued certificate is checked for the ` +
      "name dialled: dial a name it lists, or reissue it with a subjectAltName for this one";
  } else if (/Expired|NotValidYet|expired/.test(msg)) {
    detail = `the server's certificate, issued by a CA in ${certPath}, is outside its ` +
      "validity dates; ecflow_client refuses it too: reissue it";
  } else if (/UnsupportedCertVersion|CaUsedAsEndEntity/.test(msg)) {
    detail = `the server's certificate, issued by a CA in ${certPath}, is not a valid server ` +
      `certificate (${msg.replace(/^.*invalid peer certificate: /, "")}): reissue it as X.509 ` +
      "v3 with basicConstraints CA:FALSE";
  } else if (/UnknownIssuer|BadSignature|invalid peer certificate/.test(msg)) {
    detail = `the server's certificate is not one ${certPath} vouches for (${
      msg.replace(/^.*invalid peer certificate: /, "")
    }); copy the server's current certificate there`;
  } else if (/corrupt message|InvalidContentType|handshake|tls/i.test(msg)) {
    detail = `TLS handshake failed (${msg.split("\n")[0]}); is the server started with ECF_SSL?`;
  }
  if (detail) return new TlsSetupError(detail, target, { cause: e });
  return new ConnectionError(msg.split("\n")[0], target, "other", { cause: e });
}

/**
 * The TLS transport: one TLS connection per request, the server pinned to its
 * ecFlow certificate or verified against the CA of that file.
 *
 * @example
 * ```ts ignore
 * import { Client, TlsTransport } from "@ecflow-ts/client";
 * const client = new Client("myhost:3141", { transport: new TlsTransport({}, { ecfSsl: "1" }) });
 * await client.ping();
 * ```
 */
export class TlsTransport implements Transport {
  /** Always `tls`. */
  readonly kind = "tls";
  #limits: Required<TransportLimits>;
  #options: TlsOptions;
  /** Servers found to present a certificate issued by a CA of their file: verified from then on. */
  #caIssued = new Set<string>();

  /** Creates the transport; certificates are looked up per server at each exchange. */
  constructor(limits: TransportLimits = {}, options: TlsOptions = {}) {
    this.#limits = { ...DEFAULT_LIMITS, ...stripUndefined(limits) };
    this.#options = options;
  }

  /**
   * Connects with TLS, checks the server (pinned or verified, see the module
   * documentation), sends one request and returns the reply payload. No byte of
   * the request is written before the server passed the check.
   */
  async exchange(
    target: TransportTarget,
    payload: Uint8Array,
    options: ExchangeOptions = {},
  ): Promise<Uint8Array> {
    const { signal: cancel, ...limits } = options;
    const l = { ...this.#limits, ...stripUndefined(limits) };
    const caCerts = this.#options.caCerts?.filter((c) => c.trim() !== "") ?? [];
    const found: FoundCertificate = caCerts.length
      ? { path: "the caCerts option", pem: caCerts.join("\n") }
      : findServerCertificate(target, this.#options);
    requireNetPermission(target);
    const pinning = await import("./pinning.ts");
    const trust = pinning.trustOf(found.path, caCerts.length ? caCerts : [found.pem]);
    const key = formatHostPort(target.host, target.port);
    let conn: ByteStream | undefined;
    if (trust.route === "pin" && !this.#caIssued.has(key)) {
      const pinned = await connectWithin(
        target,
        l.connectTimeoutMs,
        (s) => pinning.connectPinned(target, trust, s),
        cancel,
      ).catch(preciseError);
      if (pinned === pinning.CA_ISSUED) this.#caIssued.add(key);
      else conn = pinned;
    }
    conn ??= await this.#connectVerified(target, trust, l.connectTimeoutMs, cancel);
    return await exchangeOnStream(conn, target, payload, l, cancel);
  }

  /** Deno's TLS with the file's certificates as trust anchors: chain and name verified. */
  async #connectVerified(
    target: TransportTarget,
    trust: Trust,
    connectTimeoutMs: number,
    cancel: AbortSignal | undefined,
  ): Promise<ByteStream> {
    return await connectWithin(target, connectTimeoutMs, async (signal) => {
      // TCP first (it honours the deadline's signal), then the handshake, which
      // the deadline interrupts by closing the connection.
      const tcp = await Deno.connect({ hostname: target.host, port: target.port, signal });
      try {
        tcp.setNoDelay(true); // else Nagle and delayed ACKs add ~40 ms per request
      } catch { /* not fatal */ }
      let tls: Deno.TlsConn | undefined;
      const abandon = () => {
        try {
          (tls ?? tcp).close();
        } catch { /* already closed */ }
      };
      signal.addEventListener("abort", abandon, { once: true });
      try {
        tls = await Deno.startTls(tcp, { hostname: target.host, caCerts: trust.pems });
        await tls.handshake();
      } catch (e) {
        abandon();
        if (signal.aborted) throw e;
        throw await this.#verifyFailure(e, target, trust, connectTimeoutMs);
      } finally {
        signal.removeEventListener("abort", abandon);
      }
      return tls;
    }, cancel).catch(preciseError);
  }

  /** A refusal by Deno's TLS, naming the presented certificate when it is not the file's. */
  async #verifyFailure(
    e: unknown,
    target: TransportTarget,
    trust: Trust,
    timeoutMs: number,
  ): Promise<Error> {
    const failure = tlsFailure(e, target, trust.source);
    const msg = (e as Error)?.message ?? "";
    if (!/UnknownIssuer|BadSignature/.test(msg)) return failure;
    const pinning = await import("./pinning.ts");
    const presented = await pinning.presentedCertificate(target, timeoutMs);
    return presented ? await pinning.mismatchError(target, trust, presented) : failure;
  }

  /** Nothing to release: every exchange opens and closes its own connection. */
  close(): void {}
}

/** connectWithin wraps what the handshake threw: give the caller the precise error. */
function preciseError(e: unknown): never {
  const cause = (e as Error).cause;
  if (cause instanceof TlsSetupError || cause instanceof ConnectionError) throw cause;
  throw e;
}
