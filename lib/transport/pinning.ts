/**
 * The TLS trust policy: which certificates a server's file holds, which way
 * each server is checked (pinned or verified, see {@linkcode TrustRoute}), what
 * a pinned server must present, and the errors that say why one was refused.
 * Loaded by the TLS transport on its first exchange.
 *
 * @module
 */
import { ConfigError } from "../errors.ts";
import { startDeadline } from "./deadline.ts";
import { type AcceptCertificate, pinnedHandshake, PinnedHandshakeError } from "./pinned.ts";
import { TlsMessageError } from "./tls13_messages.ts";
import { CertificateMismatchError, TlsSetupError } from "./tls_errors.ts";
import type { TransportTarget } from "./types.ts";
import {
  bytesEqual,
  CertificateFormatError,
  type CertificateInfo,
  issuedByOneOf,
  parseCertificate,
  pemCertificates,
  sha256Fingerprint,
  type TrustRoute,
  trustRoute,
} from "./x509.ts";

/** The certificates a server is trusted by, and the route that follows from them. */
export interface Trust {
  /** Where they come from: a file path, or `the caCerts option`. */
  source: string;
  /** Their PEM texts (what Deno's TLS takes as `caCerts` on the verified route). */
  pems: string[];
  /** The certificates, parsed. */
  certs: CertificateInfo[];
  /** Pinned or verified. */
  route: TrustRoute;
}

/**
 * Parses the trusted certificates. Throws {@linkcode ConfigError} naming the file
 * when it holds no certificate or one that is not X.509.
 */
export function trustOf(source: string, pems: string[]): Trust {
  const ders = pems.flatMap((pem) => {
    try {
      return pemCertificates(pem);
    } catch (e) {
      throw new ConfigError(`TLS: ${source}: ${(e as Error).message}`);
    }
  });
  if (ders.length === 0) {
    throw new ConfigError(
      `TLS: ${source} holds no certificate (no -----BEGIN CERTIFICATE----- block); ` +
        "copy the server's certificate there",
    );
  }
  const certs = ders.map((der) => {
    try {
      return parseCertificate(der);
    } catch (e) {
      throw new ConfigError(
        `TLS: ${source} holds something that is not an X.509 certificate (${(e as Error).message})`,
      );
    }
  });
  return { source, pems, certs, route: trustRoute(certs) };
}

/** The pinned handshake found that the server's certificate was issued by a CA of the file. */
export const CA_ISSUED = "ca-issued";

/** Thrown by the acceptance check to switch to the verified route. */
class IssuedByTrustedCa extends Error {}

const day = (d: Date) => d.toISOString().replace(/\.000Z$/, "Z");

/** The mismatch error for a presented certificate (DER). */
export async function mismatchError(
  target: TransportTarget,
  trust: Trust,
  presented: Uint8Array,
): Promise<CertificateMismatchError> {
  return new CertificateMismatchError(
    target,
    trust.source,
    await sha256Fingerprint(presented),
    await Promise.all(trust.certs.map((c) => sha256Fingerprint(c.der))),
    trust.certs.some((c) => c.ca),
  );
}

/**
 * What a pinned server must present: one of the trusted certificates, byte for
 * byte, within its validity dates (as OpenSSL checks them for ecflow_client).
 * A certificate issued by a CA of the file stops the handshake with
 * {@linkcode IssuedByTrustedCa}; anything else with {@linkcode CertificateMismatchError}.
 */
function acceptPinned(target: TransportTarget, trust: Trust): AcceptCertificate {
  return async (chain) => {
    let leaf: CertificateInfo;
    try {
      leaf = parseCertificate(chain[0]);
    } catch (e) {
      if (!(e instanceof CertificateFormatError)) throw e;
      throw await mismatchError(target, trust, chain[0]);
    }
    if (trust.certs.some((c) => bytesEqual(c.der, leaf.der))) {
      const now = new Date();
      if (now > leaf.notAfter || now < leaf.notBefore) {
        const when = now > leaf.notAfter
          ? `expired on ${day(leaf.notAfter)}`
          : `is not valid before ${day(leaf.notBefore)}`;
        throw new TlsSetupError(
          `the server's certificate (the one in ${trust.source}) ${when}; ecflow_client refuses ` +
            "it too: make a new one on the server and copy it there",
          target,
        );
      }
      return leaf;
    }
    if (issuedByOneOf(leaf, trust.certs)) throw new IssuedByTrustedCa();
    throw await mismatchError(target, trust, chain[0]);
  };
}

/** A protocol failure of the pinned handshake as the error the user sees. */
function handshakeFailure(e: unknown, target: TransportTarget, trust: Trust): unknown {
  if (e instanceof PinnedHandshakeError) {
    return new TlsSetupError(
      `${e.message}; refused before sending anything (trusted certificate: ${trust.source})`,
      target,
      { cause: e },
    );
  }
  if (e instanceof TlsMessageError && /TLS 1\.3/.test(e.message)) {
    return new TlsSetupError(e.message, target, { cause: e });
  }
  if (e instanceof TlsMessageError) {
    return new TlsSetupError(
      `TLS handshake failed (${e.message}); is the server started with ECF_SSL?`,
      target,
      { cause: e },
    );
  }
  return e;
}

/**
 * Connects over TCP and runs the pinned handshake. Resolves with the session,
 * or with {@linkcode CA_ISSUED} when the server presents a certificate issued by
 * a CA of the file (the caller then verifies it in full). `signal` aborts the
 * connection (the connect deadline).
 */
export async function connectPinned(
  target: TransportTarget,
  trust: Trust,
  signal: AbortSignal,
): Promise<import("./pinned.ts").PinnedTlsStream | typeof CA_ISSUED> {
  const tcp = await Deno.connect({ hostname: target.host, port: target.port, signal });
  try {
    tcp.setNoDelay(true); // else Nagle and delayed ACKs add ~40 ms per request
  } catch { /* not fatal */ }
  const abandon = () => {
    try {
      tcp.close();
    } catch { /* already closed */ }
  };
  signal.addEventListener("abort", abandon, { once: true });
  try {
    return await pinnedHandshake(tcp, acceptPinned(target, trust));
  } catch (e) {
    abandon();
    if (e instanceof IssuedByTrustedCa) return CA_ISSUED;
    if (signal.aborted) throw e;
    throw handshakeFailure(e, target, trust);
  } finally {
    signal.removeEventListener("abort", abandon);
  }
}

/**
 * The certificate a server presents, read by a handshake stopped as soon as it
 * arrives (nothing else is sent): for naming it when Deno's TLS refused it.
 * Undefined when it cannot be had within `timeoutMs`.
 */
export async function presentedCertificate(
  target: TransportTarget,
  timeoutMs: number,
): Promise<Uint8Array | undefined> {
  const ac = new AbortController();
  const deadline = startDeadline(timeoutMs, () => ac.abort());
  let tcp: Deno.TcpConn | undefined;
  let seen: Uint8Array | undefined;
  const onAbort = () => tcp?.close();
  ac.signal.addEventListener("abort", onAbort, { once: true });
  try {
    tcp = await Deno.connect({ hostname: target.host, port: target.port, signal: ac.signal });
    await pinnedHandshake(tcp, (chain) => {
      seen = chain[0];
      return Promise.reject(new IssuedByTrustedCa());
    });
  } catch {
    /* stopped on purpose, or failed: either way what was seen is the answer */
  } finally {
    deadline.cancel();
    ac.signal.removeEventListener("abort", onAbort);
    try {
      tcp?.close();
    } catch { /* already closed */ }
  }
  return seen;
}
