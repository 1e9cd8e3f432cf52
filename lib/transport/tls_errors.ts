/**
 * The errors of a TLS session that cannot be set up: a module of its own so
 * the HTTPS transport can name them without loading the TLS client.
 *
 * @module
 */
import { ConfigError } from "../errors.ts";
import { formatHostPort } from "../endpoint.ts";
import type { TransportTarget } from "./types.ts";

/**
 * A TLS session could not be set up for a reason a retry will not cure: the
 * server's certificate is not the trusted one, or the peer does not speak TLS.
 * A {@linkcode ConfigError}, so commands (child commands too) stop at once; the
 * message says what to do.
 *
 * @example
 * ```ts
 * import { ConfigError, TlsSetupError } from "@ecflow-ts/client";
 * import { assert, assertEquals } from "@std/assert";
 * const e = new TlsSetupError("no TLS here", { host: "h", port: 1 });
 * assert(e instanceof ConfigError);
 * assertEquals(e.message, "h:1: no TLS here");
 * assertEquals(e.reason, "tls");
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

/**
 * The server presented a certificate other than the trusted one (and not one
 * issued by a CA the certificate file holds). Raised before any byte of a
 * request is written; the message names both SHA-256 fingerprints and the file.
 *
 * @example
 * ```ts
 * import { CertificateMismatchError, TlsSetupError } from "@ecflow-ts/client";
 * import { assert, assertEquals } from "@std/assert";
 * const e = new CertificateMismatchError({ host: "h", port: 3141 }, "/ssl/server.crt", "AA:01", ["BB:02"]);
 * assert(e instanceof TlsSetupError);
 * assertEquals(e.presented, "AA:01");
 * assertEquals(
 *   e.message,
 *   "h:3141: the server presented the certificate SHA256 AA:01, not the one in /ssl/server.crt " +
 *     "(SHA256 BB:02); copy the server's current certificate there, or find out what else " +
 *     "answers on that port",
 * );
 * ```
 */
export class CertificateMismatchError extends TlsSetupError {
  /** The file (or `the caCerts option`) holding the trusted certificates. */
  readonly file: string;
  /** SHA-256 fingerprint of the certificate the server presented. */
  readonly presented: string;
  /** SHA-256 fingerprints of the certificates in the file. */
  readonly expected: string[];
  /**
   * Creates the error. `withCa`: the file holds a CA, so a certificate that CA
   * issued would have been accepted too.
   */
  constructor(
    target: TransportTarget,
    file: string,
    presented: string,
    expected: string[],
    withCa = false,
  ) {
    super(
      `the server presented the certificate SHA256 ${presented}, not the one in ${file} ` +
        `(SHA256 ${expected.join(", SHA256 ")})${
          withCa ? " nor one issued by a CA it holds" : ""
        }` +
        "; copy the server's current certificate there, or find out what else answers on " +
        "that port",
      target,
    );
    this.name = "CertificateMismatchError";
    this.file = file;
    this.presented = presented;
    this.expected = expected;
  }
}
