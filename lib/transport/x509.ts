/**
 * Certificate inspection for TLS pinning: PEM to DER, the few X.509 fields
 * the TLS transport decides with (version, issuer, subject, validity, public
 * key, CA flag, subjectAltName), SHA-256 fingerprints as openssl prints them,
 * and which way a certificate file is trusted. Pure: no sockets, no files.
 *
 * @module
 */

/** A certificate that cannot be read: not DER, or not X.509. */
export class CertificateFormatError extends Error {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "CertificateFormatError";
  }
}

/** The kind of public key a certificate holds (what can verify a TLS signature). */
export type PublicKeyKind = "rsa" | "ec-p256" | "ec-p384" | "ed25519" | "other";

/** What pinning needs to know of one certificate. */
export interface CertificateInfo {
  /** The whole certificate, DER. */
  der: Uint8Array;
  /** X.509 version: 1 (no extensions, ecFlow's documented recipe) or 3. */
  version: number;
  /** The issuer name, DER (compared byte for byte, as TLS libraries match names). */
  issuer: Uint8Array;
  /** The subject name, DER. */
  subject: Uint8Array;
  /** The subject's common name, for messages (empty when absent). */
  commonName: string;
  /** Start of validity. */
  notBefore: Date;
  /** End of validity. */
  notAfter: Date;
  /** SubjectPublicKeyInfo, DER (what WebCrypto imports as `spki`). */
  spki: Uint8Array;
  /** The kind of that key. */
  keyKind: PublicKeyKind;
  /** `basicConstraints` says CA:TRUE. */
  ca: boolean;
  /** Issuer and subject are the same name (self-issued, as a self-signed certificate is). */
  selfIssued: boolean;
  /** subjectAltName DNS names. */
  dnsNames: string[];
  /** subjectAltName IP addresses, in text form. */
  ipAddresses: string[];
}

/** One DER element: its tag, where its content is, and where it ends. */
interface Tlv {
  tag: number;
  /** Offset of the tag byte. */
  start: number;
  /** Offset of the content. */
  body: number;
  /** Offset just after the content. */
  end: number;
}

function readTlv(buf: Uint8Array, off: number, limit = buf.length): Tlv {
  if (off + 2 > limit) throw new CertificateFormatError("truncated DER element");
  const tag = buf[off];
  if ((tag & 0x1f) === 0x1f) throw new CertificateFormatError("unsupported DER tag");
  let len = buf[off + 1];
  let body = off + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || body + n > limit) {
      throw new CertificateFormatError("bad DER length");
    }
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[body + i];
    body += n;
  }
  const end = body + len;
  if (end > limit) throw new CertificateFormatError("DER element longer than its container");
  return { tag, start: off, body, end };
}

/** The elements directly inside a constructed element. */
function children(buf: Uint8Array, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let off = parent.body; off < parent.end;) {
    const t = readTlv(buf, off, parent.end);
    out.push(t);
    off = t.end;
  }
  return out;
}

function expectTag(t: Tlv | undefined, tag: number, what: string): Tlv {
  if (!t || t.tag !== tag) throw new CertificateFormatError(`expected ${what}`);
  return t;
}

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");

const OID = {
  commonName: "550403",
  basicConstraints: "551d13",
  subjectAltName: "551d11",
  rsaEncryption: "2a864886f70d010101",
  ecPublicKey: "2a8648ce3d0201",
  p256: "2a8648ce3d030107",
  p384: "2b81040022",
  ed25519: "2b6570",
};

function parseTime(buf: Uint8Array, t: Tlv): Date {
  const s = new TextDecoder().decode(buf.subarray(t.body, t.end));
  const m = t.tag === 0x17
    ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s)
    : t.tag === 0x18
    ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s)
    : null;
  if (!m) throw new CertificateFormatError(`bad validity time '${s}'`);
  let year = Number(m[1]);
  if (t.tag === 0x17) year += year < 50 ? 2000 : 1900;
  return new Date(
    Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])),
  );
}

function commonNameOf(buf: Uint8Array, name: Tlv): string {
  for (const rdn of children(buf, name)) {
    for (const atv of children(buf, rdn)) {
      const [type, value] = children(buf, atv);
      if (type?.tag === 0x06 && hex(buf.subarray(type.body, type.end)) === OID.commonName) {
        return new TextDecoder().decode(buf.subarray(value.body, value.end));
      }
    }
  }
  return "";
}

function keyKindOf(buf: Uint8Array, spki: Tlv): PublicKeyKind {
  const [alg] = children(buf, spki);
  const [oid, params] = children(buf, expectTag(alg, 0x30, "an AlgorithmIdentifier"));
  const id = hex(buf.subarray(oid.body, oid.end));
  if (id === OID.rsaEncryption) return "rsa";
  if (id === OID.ed25519) return "ed25519";
  if (id === OID.ecPublicKey && params?.tag === 0x06) {
    const curve = hex(buf.subarray(params.body, params.end));
    if (curve === OID.p256) return "ec-p256";
    if (curve === OID.p384) return "ec-p384";
  }
  return "other";
}

function ipText(b: Uint8Array): string {
  if (b.length === 4) return Array.from(b).join(".");
  if (b.length === 16) {
    const words: string[] = [];
    for (let i = 0; i < 16; i += 2) words.push(((b[i] << 8) | b[i + 1]).toString(16));
    return words.join(":");
  }
  return hex(b);
}

/**
 * Reads the fields pinning needs from a DER certificate. Throws
 * {@linkcode CertificateFormatError} on anything that is not an X.509 certificate.
 */
export function parseCertificate(der: Uint8Array): CertificateInfo {
  const cert = expectTag(readTlv(der, 0), 0x30, "a certificate SEQUENCE");
  if (cert.end !== der.length) throw new CertificateFormatError("bytes after the certificate");
  const tbs = expectTag(children(der, cert)[0], 0x30, "a TBSCertificate");
  const fields = children(der, tbs);
  let i = 0;
  let version = 1;
  if (fields[0]?.tag === 0xa0) {
    const v = expectTag(children(der, fields[0])[0], 0x02, "a version");
    version = der[v.end - 1] + 1;
    i = 1;
  }
  expectTag(fields[i], 0x02, "a serial number");
  expectTag(fields[i + 1], 0x30, "a signature algorithm");
  const issuer = expectTag(fields[i + 2], 0x30, "an issuer name");
  const validity = expectTag(fields[i + 3], 0x30, "a validity");
  const subject = expectTag(fields[i + 4], 0x30, "a subject name");
  const spki = expectTag(fields[i + 5], 0x30, "a public key");
  const [nb, na] = children(der, validity);
  if (!nb || !na) throw new CertificateFormatError("expected notBefore and notAfter");
  const info: CertificateInfo = {
    der,
    version,
    issuer: der.slice(issuer.start, issuer.end),
    subject: der.slice(subject.start, subject.end),
    commonName: commonNameOf(der, subject),
    notBefore: parseTime(der, nb),
    notAfter: parseTime(der, na),
    spki: der.slice(spki.start, spki.end),
    keyKind: keyKindOf(der, spki),
    ca: false,
    selfIssued: false,
    dnsNames: [],
    ipAddresses: [],
  };
  info.selfIssued = bytesEqual(info.issuer, info.subject);
  const extensions = fields.slice(i + 6).find((f) => f.tag === 0xa3);
  if (extensions) {
    const list = expectTag(children(der, extensions)[0], 0x30, "an extension list");
    for (const ext of children(der, list)) {
      const parts = children(der, ext);
      const id = hex(der.subarray(parts[0].body, parts[0].end));
      const value = expectTag(parts[parts.length - 1], 0x04, "an extension value");
      const inner = readTlv(der, value.body, value.end);
      if (id === OID.basicConstraints) {
        const first = children(der, inner)[0];
        info.ca = first?.tag === 0x01 && der[first.body] !== 0;
      } else if (id === OID.subjectAltName) {
        for (const name of children(der, inner)) {
          const bytes = der.subarray(name.body, name.end);
          if (name.tag === 0x82) info.dnsNames.push(new TextDecoder().decode(bytes));
          if (name.tag === 0x87) info.ipAddresses.push(ipText(bytes));
        }
      }
    }
  }
  return info;
}

/**
 * The DER certificates in a PEM text (every `BEGIN CERTIFICATE` block, in order).
 */
export function pemCertificates(pem: string): Uint8Array[] {
  const out: Uint8Array[] = [];
  const re = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g;
  for (const m of pem.matchAll(re)) {
    out.push(base64Decode(m[1].replace(/\s+/g, "")));
  }
  return out;
}

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** Decodes base64 (a Deno process's first `atob` costs ~8 ms, a one-shot CLI call's budget). */
function base64Decode(text: string): Uint8Array {
  const body = text.replace(/=+$/, "");
  if (body.length % 4 === 1) throw new CertificateFormatError("a CERTIFICATE block is not base64");
  const out = new Uint8Array(Math.floor((body.length * 3) / 4));
  let bits = 0;
  let value = 0;
  let o = 0;
  for (let i = 0; i < body.length; i++) {
    const v = BASE64.indexOf(body[i]);
    if (v < 0) throw new CertificateFormatError("a CERTIFICATE block is not base64");
    value = (value << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (value >> bits) & 0xff;
      value &= (1 << bits) - 1;
    }
  }
  return out;
}

/** True when both byte arrays hold the same bytes. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The SHA-256 fingerprint of a DER certificate as `openssl x509 -fingerprint -sha256`
 * prints it: upper-case hex pairs joined by colons.
 */
export async function sha256Fingerprint(der: Uint8Array): Promise<string> {
  const digest = new Uint8Array(
    await crypto.subtle.digest("SHA-256", der as Uint8Array<ArrayBuffer>),
  );
  return Array.from(digest, (x) => x.toString(16).padStart(2, "0").toUpperCase()).join(":");
}

/**
 * How the TLS transport trusts a server, given the certificates of its file:
 *
 * - `verify`: the file holds a CA together with a certificate that CA issued (a
 *   chain, as ecFlow's `use_certificate_chain_file` server file is): Deno's TLS
 *   verifies the server in full (chain, validity, the dialled name).
 * - `pin`: anything else (a self-signed certificate of any X.509 version or CA flag,
 *   a lone CA, a lone certificate issued elsewhere): the server must present one of
 *   the file's certificates, byte for byte. A lone CA still reaches `verify` when the
 *   server presents a certificate it issued (see {@linkcode issuedByOneOf}).
 */
export type TrustRoute = "pin" | "verify";

/**
 * Chooses the {@linkcode TrustRoute} for a certificate file.
 */
export function trustRoute(file: CertificateInfo[]): TrustRoute {
  for (const cert of file) {
    if (cert.selfIssued) continue;
    if (issuedByOneOf(cert, file)) return "verify";
  }
  return "pin";
}

/**
 * The CA among `candidates` whose subject is `cert`'s issuer (a certificate that is
 * not self-issued, issued by a CA certificate), if any.
 */
export function issuedByOneOf(
  cert: CertificateInfo,
  candidates: CertificateInfo[],
): CertificateInfo | undefined {
  if (cert.selfIssued) return undefined;
  return candidates.find((c) =>
    c.ca && !bytesEqual(c.der, cert.der) &&
    bytesEqual(c.subject, cert.issuer)
  );
}
