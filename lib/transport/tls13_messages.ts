/**
 * TLS 1.3 handshake messages the pinned client sends and reads (RFC 8446 §4):
 * ClientHello out; ServerHello, EncryptedExtensions, CertificateRequest,
 * Certificate, CertificateVerify, Finished, NewSessionTicket and KeyUpdate in.
 * Pure encoding and decoding with bounds checks; anything malformed is a
 * {@linkcode TlsMessageError}.
 *
 * @module
 */
import { concat, TlsMessageError } from "./tls13_keys.ts";

export { TlsMessageError };

/** Handshake message types. */
export const HandshakeType = {
  clientHello: 1,
  serverHello: 2,
  newSessionTicket: 4,
  encryptedExtensions: 8,
  certificate: 11,
  certificateRequest: 13,
  certificateVerify: 15,
  finished: 20,
  keyUpdate: 24,
} as const;

/** Extension numbers used here. */
const Ext = {
  supportedGroups: 10,
  signatureAlgorithms: 13,
  supportedVersions: 43,
  cookie: 44,
  keyShare: 51,
} as const;

/**
 * Key exchange groups offered: x25519 (its key share goes in the first
 * ClientHello) and secp256r1 (sent only when the server asks for it with a
 * HelloRetryRequest: a Deno process's first P-256 key costs ~30 ms).
 */
export const Group = { x25519: 0x001d, secp256r1: 0x0017 } as const;

/** The groups listed in supported_groups, in order of preference. */
export const SUPPORTED_GROUPS: readonly number[] = [Group.x25519, Group.secp256r1];

/** Signature schemes offered for CertificateVerify, each one WebCrypto can check. */
export const SIGNATURE_SCHEMES: readonly number[] = [
  0x0804, // rsa_pss_rsae_sha256
  0x0805, // rsa_pss_rsae_sha384
  0x0806, // rsa_pss_rsae_sha512
  0x0403, // ecdsa_secp256r1_sha256
  0x0503, // ecdsa_secp384r1_sha384
  0x0807, // ed25519
];

/** The ServerHello random that marks a HelloRetryRequest (RFC 8446 §4.1.3). */
const HELLO_RETRY_RANDOM = Uint8Array.from(
  "cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c".match(/../g)!,
  (h) => parseInt(h, 16),
);

/** A bounds-checked reader over one message. */
export class Reader {
  #buf: Uint8Array;
  #off = 0;
  #what: string;

  /** Reads `buf`; `what` names it in errors. */
  constructor(buf: Uint8Array, what: string) {
    this.#buf = buf;
    this.#what = what;
  }

  #need(n: number): void {
    if (this.#off + n > this.#buf.length) throw new TlsMessageError(`truncated ${this.#what}`);
  }

  /** One byte. */
  u8(): number {
    this.#need(1);
    return this.#buf[this.#off++];
  }

  /** Two bytes, big-endian. */
  u16(): number {
    return (this.u8() << 8) | this.u8();
  }

  /** Three bytes, big-endian. */
  u24(): number {
    return (this.u8() << 16) | (this.u8() << 8) | this.u8();
  }

  /** `n` bytes. */
  bytes(n: number): Uint8Array {
    this.#need(n);
    const out = this.#buf.subarray(this.#off, this.#off + n);
    this.#off += n;
    return out;
  }

  /** A vector with a one-, two- or three-byte length. */
  vector(lengthBytes: 1 | 2 | 3): Uint8Array {
    const n = lengthBytes === 1 ? this.u8() : lengthBytes === 2 ? this.u16() : this.u24();
    return this.bytes(n);
  }

  /** True when everything was read. */
  get done(): boolean {
    return this.#off === this.#buf.length;
  }

  /** Throws unless everything was read. */
  end(): void {
    if (!this.done) throw new TlsMessageError(`trailing bytes in ${this.#what}`);
  }
}

const u16 = (n: number) => new Uint8Array([n >> 8, n & 0xff]);
const vec8 = (b: Uint8Array) => concat(new Uint8Array([b.length]), b);
const vec16 = (b: Uint8Array) => concat(u16(b.length), b);

/** A handshake message with its 4-byte header. */
export function handshakeMessage(type: number, body: Uint8Array): Uint8Array {
  const n = body.length;
  return concat(new Uint8Array([type, n >> 16, (n >> 8) & 0xff, n & 0xff]), body);
}

/** What goes into the ClientHello. */
export interface ClientHelloInput {
  /** 32 random bytes. */
  random: Uint8Array;
  /** legacy_session_id: 32 random bytes (middlebox compatibility mode). */
  sessionId: Uint8Array;
  /** Cipher suite code points, in order of preference. */
  cipherSuites: readonly number[];
  /** Key shares: group and public key. */
  keyShares: { group: number; key: Uint8Array }[];
  /** The cookie of a HelloRetryRequest, echoed in the second ClientHello. */
  cookie?: Uint8Array;
}

/**
 * The ClientHello handshake message (header included): TLS 1.3 only, no server
 * name (ecflow_client sends none), no PSK, no early data.
 */
export function clientHello(input: ClientHelloInput): Uint8Array {
  const ext = (type: number, data: Uint8Array) => concat(u16(type), vec16(data));
  const suites = concat(...input.cipherSuites.map(u16));
  const shares = concat(...input.keyShares.map((s) => concat(u16(s.group), vec16(s.key))));
  const extensions = concat(
    ext(Ext.supportedVersions, vec8(u16(0x0304))),
    ext(Ext.supportedGroups, vec16(concat(...SUPPORTED_GROUPS.map(u16)))),
    ext(Ext.signatureAlgorithms, vec16(concat(...SIGNATURE_SCHEMES.map(u16)))),
    ext(Ext.keyShare, vec16(shares)),
    input.cookie ? ext(Ext.cookie, vec16(input.cookie)) : new Uint8Array(0),
  );
  const body = concat(
    u16(0x0303),
    input.random,
    vec8(input.sessionId),
    vec16(suites),
    new Uint8Array([1, 0]),
    vec16(extensions),
  );
  return handshakeMessage(HandshakeType.clientHello, body);
}

/** What the ServerHello chose, or what a HelloRetryRequest asks for. */
export type ServerHello =
  | {
    /** A ServerHello. */
    retry: false;
    /** The cipher suite. */
    cipherSuite: number;
    /** The server's key share. */
    keyShare: { group: number; key: Uint8Array };
  }
  | {
    /** A HelloRetryRequest. */
    retry: true;
    /** The cipher suite. */
    cipherSuite: number;
    /** The group whose key share the server wants. */
    group: number;
    /** A cookie to echo, if any. */
    cookie?: Uint8Array;
  };

/**
 * Reads a ServerHello (or HelloRetryRequest) body and checks it answers `hello`
 * with TLS 1.3. Throws {@linkcode TlsMessageError} naming what is wrong (TLS 1.2
 * only, a suite or group that was not offered).
 */
export function parseServerHello(body: Uint8Array, hello: ClientHelloInput): ServerHello {
  const r = new Reader(body, "ServerHello");
  r.u16(); // legacy_version
  const random = r.bytes(32);
  const retry = random.every((b, i) => b === HELLO_RETRY_RANDOM[i]);
  const sessionId = r.vector(1);
  const cipherSuite = r.u16();
  if (r.u8() !== 0) throw new TlsMessageError("ServerHello chose a compression method");
  let version = 0;
  let share: { group: number; key?: Uint8Array } | undefined;
  let cookie: Uint8Array | undefined;
  if (!r.done) {
    const exts = new Reader(r.vector(2), "ServerHello extensions");
    while (!exts.done) {
      const type = exts.u16();
      const data = new Reader(exts.vector(2), `ServerHello extension ${type}`);
      if (type === Ext.supportedVersions) {
        version = data.u16();
      } else if (type === Ext.keyShare) {
        const group = data.u16();
        share = retry ? { group } : { group, key: data.vector(2) };
      } else if (type === Ext.cookie && retry) {
        cookie = data.vector(2);
      } else {
        throw new TlsMessageError(`ServerHello carries extension ${type}, which was not offered`);
      }
      data.end();
    }
  }
  r.end();
  if (version !== 0x0304) {
    throw new TlsMessageError(
      "the server chose TLS 1.2 or older; certificate pinning needs TLS 1.3 (ecFlow servers " +
        "built with OpenSSL 1.1.1 or later speak it)",
    );
  }
  if (sessionId.length !== 32 || !sessionId.every((b, i) => b === hello.sessionId[i])) {
    throw new TlsMessageError("ServerHello does not echo the session id");
  }
  if (!hello.cipherSuites.includes(cipherSuite)) {
    throw new TlsMessageError(
      `the server chose cipher suite ${cipherSuite}, which was not offered`,
    );
  }
  if (retry) {
    if (!share || !SUPPORTED_GROUPS.includes(share.group)) {
      throw new TlsMessageError("HelloRetryRequest asks for a group that was not offered");
    }
    if (hello.keyShares.some((s) => s.group === share!.group)) {
      throw new TlsMessageError("HelloRetryRequest asks for the key share already sent");
    }
    return { retry, cipherSuite, group: share.group, cookie };
  }
  if (!share?.key || !hello.keyShares.some((s) => s.group === share!.group)) {
    throw new TlsMessageError("the server's key share is missing or of a group not offered");
  }
  return { retry, cipherSuite, keyShare: { group: share.group, key: share.key } };
}

/**
 * The synthetic message that stands for the first ClientHello in the transcript
 * after a HelloRetryRequest (RFC 8446 §4.4.1): its hash, typed message_hash.
 */
export function messageHash(helloHash: Uint8Array): Uint8Array {
  return handshakeMessage(254, helloHash);
}

/** Checks an EncryptedExtensions body is well formed (its extensions are not needed). */
export function parseEncryptedExtensions(body: Uint8Array): void {
  const r = new Reader(body, "EncryptedExtensions");
  const exts = new Reader(r.vector(2), "EncryptedExtensions list");
  while (!exts.done) {
    exts.u16();
    exts.vector(2);
  }
  r.end();
}

/** Reads a CertificateRequest body: its context, echoed in the client's (empty) Certificate. */
export function parseCertificateRequest(body: Uint8Array): Uint8Array {
  const r = new Reader(body, "CertificateRequest");
  const context = r.vector(1);
  r.vector(2);
  r.end();
  return context;
}

/** The empty client Certificate message answering a CertificateRequest. */
export function emptyCertificate(context: Uint8Array): Uint8Array {
  return handshakeMessage(HandshakeType.certificate, concat(vec8(context), new Uint8Array(3)));
}

/** Reads a server Certificate body: the DER certificates, end-entity first. */
export function parseCertificateList(body: Uint8Array): Uint8Array[] {
  const r = new Reader(body, "Certificate");
  if (r.vector(1).length !== 0) throw new TlsMessageError("server Certificate has a context");
  const list = new Reader(r.vector(3), "certificate list");
  r.end();
  const certs: Uint8Array[] = [];
  while (!list.done) {
    certs.push(list.vector(3));
    list.vector(2); // per-certificate extensions
  }
  if (certs.length === 0) throw new TlsMessageError("the server sent no certificate");
  return certs;
}

/** Reads a CertificateVerify body. */
export function parseCertificateVerify(
  body: Uint8Array,
): { scheme: number; signature: Uint8Array } {
  const r = new Reader(body, "CertificateVerify");
  const scheme = r.u16();
  const signature = r.vector(2);
  r.end();
  return { scheme, signature };
}

/** The bytes a server's CertificateVerify signs (RFC 8446 §4.4.3). */
export function certificateVerifyContent(transcriptHash: Uint8Array): Uint8Array {
  return concat(
    new Uint8Array(64).fill(0x20),
    new TextEncoder().encode("TLS 1.3, server CertificateVerify"),
    new Uint8Array([0]),
    transcriptHash,
  );
}

/** Reads a KeyUpdate body: true when the peer asks for an update in return. */
export function parseKeyUpdate(body: Uint8Array): boolean {
  const r = new Reader(body, "KeyUpdate");
  const requested = r.u8();
  r.end();
  if (requested > 1) throw new TlsMessageError("bad KeyUpdate");
  return requested === 1;
}

/**
 * Splits a stream of handshake bytes (which records may cut anywhere) into
 * whole messages.
 */
export class HandshakeBuffer {
  #pending: Uint8Array = new Uint8Array(0);

  /** Adds the content of a handshake record. */
  push(bytes: Uint8Array): void {
    this.#pending = concat(this.#pending, bytes);
  }

  /** The next whole message (with its header), or undefined until more bytes arrive. */
  next(): { type: number; body: Uint8Array; raw: Uint8Array } | undefined {
    if (this.#pending.length < 4) return undefined;
    const n = (this.#pending[1] << 16) | (this.#pending[2] << 8) | this.#pending[3];
    if (n > 1 << 20) throw new TlsMessageError("handshake message larger than 1 MiB");
    if (this.#pending.length < 4 + n) return undefined;
    const raw = this.#pending.slice(0, 4 + n);
    this.#pending = this.#pending.slice(4 + n);
    return { type: raw[0], body: raw.subarray(4), raw };
  }

  /** True when no partial message is waiting. */
  get empty(): boolean {
    return this.#pending.length === 0;
  }
}
