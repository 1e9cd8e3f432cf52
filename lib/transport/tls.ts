/**
 * TLS transport (`--ssl`, `ECF_SSL`, Python's `enable_ssl()`): the same
 * 8-byte framing as plain TCP inside a TLS connection from `Deno.connectTls`.
 *
 * The trust anchor is the server's self-signed certificate, found where
 * ecFlow looks for it: `server.crt` or `<host>.<port>.crt` in
 * `$HOME/.ecflowrc/ssl/` (`ECF_SSL_DIR` overrides the folder, as in ecFlow
 * 5.16+), `localhost` standing for this machine's host name. The server is
 * always verified. Deno's TLS (rustls) is stricter than OpenSSL: it needs an
 * X.509 v3 certificate that is not a CA and names the dialled host in its
 * subjectAltName; its errors are turned into advice (see docs/transports.md).
 *
 * @module
 */
import { ConfigError, ConnectionError } from "../errors.ts";
import { formatHostPort } from "../endpoint.ts";
import { type EnvReader, readEnv } from "../env.ts";
import { readOptionalTextFile } from "../auth/read.ts";
import { connectWithin, exchangeOnStream, requireNetPermission, stripUndefined } from "./tcp.ts";
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
 * A TLS session could not be set up for a reason a retry will not cure: the
 * server's certificate is not the trusted one or not one Deno's TLS accepts, or
 * the peer does not speak TLS. A {@linkcode ConfigError}, so commands (child
 * commands too) stop at once; the message says what to do.
 *
 * @example
 * ```ts
 * import { ConfigError, TlsSetupError } from "@ecflow-ts/client";
 * const e = new TlsSetupError("no TLS here", { host: "h", port: 1 });
 * console.log(e instanceof ConfigError, e.message); // true "h:1: no TLS here"
 * ```
 */
export class TlsSetupError extends ConfigError {
  /** The server. */
  readonly target: TransportTarget;
  /** Always `tls`, as the `reason` of a {@linkcode ConnectionError}. */
  readonly reason: "tls" = "tls";
  /** Creates the error; the message is prefixed with `host:port`. */
  constructor(detail: string, target: TransportTarget, options?: ErrorOptions) {
    super(`${formatHostPort(target.host, target.port)}: ${detail}`, options);
    this.name = "TlsSetupError";
    this.target = target;
  }
}

/** Turns rustls' certificate complaints into what to do about them. */
export function tlsFailure(
  e: unknown,
  target: TransportTarget,
  certPath: string,
): TlsSetupError | ConnectionError {
  const msg = (e as Error)?.message ?? String(e);
  const remedy = "regenerate it as an X.509 v3 certificate with a subjectAltName for " +
    `'${target.host}' and basicConstraints CA:FALSE (docs/transports.md shows the openssl command)`;
  let detail: string | undefined;
  if (/UnsupportedCertVersion/.test(msg)) {
    detail =
      `the server's certificate (${certPath}) is X.509 v1, which Deno's TLS rejects; ${remedy}`;
  } else if (/CaUsedAsEndEntity/.test(msg)) {
    detail = `the server's certificate (${certPath}) is marked as a CA (openssl req -x509 does ` +
      `that by default), which Deno's TLS rejects for a server; ${remedy}`;
  } else if (/not valid for name|NotValidForName/.test(msg)) {
    detail = `the server's certificate (${certPath}) does not name '${target.host}' in its ` +
      `subjectAltName (Deno's TLS ignores the common name); ${remedy}, or dial a name it lists`;
  } else if (/UnknownIssuer|BadSignature|invalid peer certificate/.test(msg)) {
    detail = `the server's certificate is not the one in ${certPath} (${
      msg.replace(/^.*invalid peer certificate: /, "")
    }); copy the server's current certificate there`;
  } else if (/corrupt message|InvalidContentType|handshake|tls/i.test(msg)) {
    detail = `TLS handshake failed (${msg.split("\n")[0]}); is the server started with ECF_SSL?`;
  }
  if (detail) return new TlsSetupError(detail, target, { cause: e });
  return new ConnectionError(msg.split("\n")[0], target, "other", { cause: e });
}

/**
 * The TLS transport: one TLS connection per request, server verified against
 * its ecFlow certificate.
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

  /** Creates the transport; certificates are looked up per server at each exchange. */
  constructor(limits: TransportLimits = {}, options: TlsOptions = {}) {
    this.#limits = { ...DEFAULT_LIMITS, ...stripUndefined(limits) };
    this.#options = options;
  }

  /** Connects with TLS, verifies the server, sends one request and returns the reply payload. */
  async exchange(
    target: TransportTarget,
    payload: Uint8Array,
    options: ExchangeOptions = {},
  ): Promise<Uint8Array> {
    const { signal: cancel, ...limits } = options;
    const l = { ...this.#limits, ...stripUndefined(limits) };
    const cert: FoundCertificate = this.#options.caCerts?.length
      ? { path: "the caCerts option", pem: "" }
      : findServerCertificate(target, this.#options);
    const caCerts = this.#options.caCerts?.length ? this.#options.caCerts : [cert.pem];
    requireNetPermission(target);
    const conn = await connectWithin(target, l.connectTimeoutMs, async (signal) => {
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
        tls = await Deno.startTls(tcp, { hostname: target.host, caCerts });
        await tls.handshake();
      } catch (e) {
        abandon();
        if (signal.aborted) throw e;
        throw tlsFailure(e, target, cert.path);
      } finally {
        signal.removeEventListener("abort", abandon);
      }
      return tls;
    }, cancel).catch((e) => {
      // connectWithin wraps what the handshake threw: give the caller the precise error.
      const cause = (e as Error).cause;
      if (cause instanceof TlsSetupError || cause instanceof ConnectionError) throw cause;
      throw e;
    });
    return await exchangeOnStream(conn, target, payload, l, cancel);
  }
}
