/**
 * TLS 1.3 key schedule and record protection (RFC 8446 §7 and §5.2):
 * HKDF-Extract and HKDF-Expand-Label over HMAC (sha2.ts, synchronous), traffic
 * keys, the Finished MAC, and AES-GCM sealing and opening of records
 * (WebCrypto). Pure: no sockets.
 *
 * @module
 */
import { hash, type HashName, hmacSync } from "./sha2.ts";

export type { HashName };

/** A handshake message or record that breaks the protocol. */
export class TlsMessageError extends Error {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "TlsMessageError";
  }
}

/** A cipher suite: TLS_AES_128_GCM_SHA256 (0x1301) or TLS_AES_256_GCM_SHA384 (0x1302). */
export interface CipherSuite {
  /** Its code point. */
  code: number;
  /** The transcript and HKDF hash. */
  hash: HashName;
  /** Hash length in bytes. */
  hashLength: number;
  /** AES key length in bytes. */
  keyLength: number;
}

/**
 * The suites offered, in order of preference: AES-128 with SHA-256 first, the
 * cheaper of the two (OpenSSL servers, ecFlow's, follow the client's order).
 */
export const CIPHER_SUITES: readonly CipherSuite[] = [
  { code: 0x1301, hash: "SHA-256", hashLength: 32, keyLength: 16 },
  { code: 0x1302, hash: "SHA-384", hashLength: 48, keyLength: 32 },
];

type Bytes = Uint8Array<ArrayBuffer>;

/** Concatenates byte arrays. */
export function concat(...parts: Uint8Array[]): Bytes {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

/** HMAC of `data` under `key`. */
export function hmac(name: HashName, key: Uint8Array, data: Uint8Array): Bytes {
  return hmacSync(name, key, data) as Bytes;
}

/** The hash of `data`. */
export function digest(name: HashName, data: Uint8Array): Bytes {
  return hash(name, data) as Bytes;
}

/** HKDF-Extract (RFC 5869): HMAC(salt, ikm). */
export function hkdfExtract(name: HashName, salt: Uint8Array, ikm: Uint8Array): Bytes {
  return hmac(name, salt, ikm);
}

/** HKDF-Expand (RFC 5869) to `length` bytes. */
export function hkdfExpand(
  name: HashName,
  prk: Uint8Array,
  info: Uint8Array,
  length: number,
): Bytes {
  const out = new Uint8Array(length);
  let previous: Uint8Array = new Uint8Array(0);
  for (let i = 1, off = 0; off < length; i++) {
    previous = hmac(name, prk, concat(previous, info, new Uint8Array([i])));
    out.set(previous.subarray(0, Math.min(previous.length, length - off)), off);
    off += previous.length;
  }
  return out;
}

/** HKDF-Expand-Label (RFC 8446 §7.1): the label is prefixed with `tls13 `. */
export function expandLabel(
  name: HashName,
  secret: Uint8Array,
  label: string,
  context: Uint8Array,
  length: number,
): Bytes {
  const l = new TextEncoder().encode(`tls13 ${label}`);
  const info = concat(
    new Uint8Array([length >> 8, length & 0xff, l.length]),
    l,
    new Uint8Array([context.length]),
    context,
  );
  return hkdfExpand(name, secret, info, length);
}

/** Derive-Secret (RFC 8446 §7.1): Expand-Label with the transcript hash as context. */
export function deriveSecret(
  suite: CipherSuite,
  secret: Uint8Array,
  label: string,
  transcriptHash: Uint8Array,
): Bytes {
  return expandLabel(suite.hash, secret, label, transcriptHash, suite.hashLength);
}

/** The handshake secrets, from the (EC)DHE shared secret and the hash of ClientHello..ServerHello. */
export interface HandshakeSecrets {
  /** Handshake Secret: the base of the master secret. */
  handshake: Bytes;
  /** client_handshake_traffic_secret. */
  client: Bytes;
  /** server_handshake_traffic_secret. */
  server: Bytes;
}

/** Early Secret with no PSK: HKDF-Extract(0, 0). */
export function earlySecret(suite: CipherSuite): Bytes {
  const zeros = new Uint8Array(suite.hashLength);
  return hkdfExtract(suite.hash, zeros, zeros);
}

/** Runs the key schedule up to the handshake traffic secrets. */
export function handshakeSecrets(
  suite: CipherSuite,
  sharedSecret: Uint8Array,
  helloHash: Uint8Array,
): HandshakeSecrets {
  const empty = digest(suite.hash, new Uint8Array(0));
  const derived = deriveSecret(suite, earlySecret(suite), "derived", empty);
  const handshake = hkdfExtract(suite.hash, derived, sharedSecret);
  return {
    handshake,
    client: deriveSecret(suite, handshake, "c hs traffic", helloHash),
    server: deriveSecret(suite, handshake, "s hs traffic", helloHash),
  };
}

/** The application traffic secrets, from the hash of ClientHello..server Finished. */
export function applicationSecrets(
  suite: CipherSuite,
  handshakeSecret: Uint8Array,
  transcriptHash: Uint8Array,
): { client: Bytes; server: Bytes } {
  const empty = digest(suite.hash, new Uint8Array(0));
  const derived = deriveSecret(suite, handshakeSecret, "derived", empty);
  const master = hkdfExtract(suite.hash, derived, new Uint8Array(suite.hashLength));
  return {
    client: deriveSecret(suite, master, "c ap traffic", transcriptHash),
    server: deriveSecret(suite, master, "s ap traffic", transcriptHash),
  };
}

/** The Finished verify_data for a traffic secret over a transcript hash (RFC 8446 §4.4.4). */
export function finishedMac(
  suite: CipherSuite,
  trafficSecret: Uint8Array,
  transcriptHash: Uint8Array,
): Bytes {
  const key = expandLabel(
    suite.hash,
    trafficSecret,
    "finished",
    new Uint8Array(0),
    suite.hashLength,
  );
  return hmac(suite.hash, key, transcriptHash);
}

/** The next traffic secret after a KeyUpdate (RFC 8446 §7.2). */
export function nextTrafficSecret(suite: CipherSuite, secret: Uint8Array): Bytes {
  return expandLabel(suite.hash, secret, "traffic upd", new Uint8Array(0), suite.hashLength);
}

/** Record content types. */
export const ContentType = {
  changeCipherSpec: 20,
  alert: 21,
  handshake: 22,
  applicationData: 23,
} as const;

/** Largest plaintext in one record (RFC 8446 §5.1). */
export const MAX_PLAINTEXT = 16384;

/** One direction's record protection: AES-GCM key, IV and sequence number. */
export class RecordProtection {
  #key: CryptoKey;
  #iv: Uint8Array;
  #seq = 0n;

  private constructor(key: CryptoKey, iv: Uint8Array) {
    this.#key = key;
    this.#iv = iv;
  }

  /** The protection of a traffic secret. */
  static async fromSecret(suite: CipherSuite, secret: Uint8Array): Promise<RecordProtection> {
    const empty = new Uint8Array(0);
    const keyBytes = expandLabel(suite.hash, secret, "key", empty, suite.keyLength);
    const iv = expandLabel(suite.hash, secret, "iv", empty, 12);
    const key = await crypto.subtle.importKey("raw", keyBytes, "AES-GCM", false, [
      "encrypt",
      "decrypt",
    ]);
    return new RecordProtection(key, iv);
  }

  #nonce(): Bytes {
    if (this.#seq >= 0xffffffffffffffffn) {
      throw new TlsMessageError("TLS record sequence number exhausted");
    }
    const nonce = new Uint8Array(this.#iv);
    let s = this.#seq++;
    for (let i = 11; i >= 4; i--) {
      nonce[i] ^= Number(s & 0xffn);
      s >>= 8n;
    }
    return nonce;
  }

  /** Protects `content` of `type` as one TLSCiphertext record (header included). */
  async seal(type: number, content: Uint8Array): Promise<Bytes> {
    const length = content.length + 1 + 16;
    const header = new Uint8Array([
      ContentType.applicationData,
      0x03,
      0x03,
      length >> 8,
      length & 0xff,
    ]);
    const inner = concat(content, new Uint8Array([type]));
    const sealed = new Uint8Array(
      await crypto.subtle.encrypt(
        { name: "AES-GCM", iv: this.#nonce(), additionalData: header, tagLength: 128 },
        this.#key,
        inner,
      ),
    );
    return concat(header, sealed);
  }

  /**
   * Opens one record given its 5-byte header and body; returns the inner content
   * type and content. Throws when the record does not authenticate.
   */
  async open(
    header: Uint8Array,
    body: Uint8Array,
  ): Promise<{ type: number; content: Uint8Array }> {
    let inner: Uint8Array;
    try {
      inner = new Uint8Array(
        await crypto.subtle.decrypt(
          {
            name: "AES-GCM",
            iv: this.#nonce(),
            additionalData: header as Bytes,
            tagLength: 128,
          },
          this.#key,
          body as Bytes,
        ),
      );
    } catch {
      throw new TlsMessageError("a TLS record failed authentication (bad_record_mac)");
    }
    let end = inner.length;
    while (end > 0 && inner[end - 1] === 0) end--;
    if (end === 0) throw new TlsMessageError("a TLS record has no content type");
    return { type: inner[end - 1], content: inner.subarray(0, end - 1) };
  }
}
