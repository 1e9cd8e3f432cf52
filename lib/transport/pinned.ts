/**
 * A TLS 1.3 client that trusts exactly the certificates it is given (pinning),
 * on a plain `Deno.Conn` and WebCrypto.
 *
 * Why not Deno's own TLS: rustls refuses the certificates most ecFlow sites have
 * (X.509 v1, `CA:TRUE`, no subjectAltName) before any pinning could happen, and
 * `node:tls` with `rejectUnauthorized: false` does not check the server's
 * handshake signature for X.509 v1 certificates (Deno 2.9.6), so a peer holding
 * only the public certificate could pass. Here every handshake proves the server
 * holds the private key of the certificate it presents (CertificateVerify) and
 * knows the handshake keys (Finished), and `accept` decides, before either is
 * checked and before any byte of a request is written, whether that certificate
 * is the pinned one.
 *
 * Scope: TLS 1.3 (what ecFlow 5.16+ servers require and OpenSSL 1.1.1+ servers
 * negotiate), AES-GCM suites, x25519 or secp256r1 key exchange, RSA-PSS, ECDSA
 * or Ed25519 server signatures; no resumption, no early data, no client
 * certificate (an empty one answers a CertificateRequest, as ecflow_client does).
 *
 * @module
 */
import type { ByteStream } from "./tcp.ts";
import {
  applicationSecrets,
  CIPHER_SUITES,
  type CipherSuite,
  concat,
  ContentType,
  digest,
  finishedMac,
  handshakeSecrets,
  MAX_PLAINTEXT,
  nextTrafficSecret,
  RecordProtection,
} from "./tls13_keys.ts";
import {
  certificateVerifyContent,
  clientHello,
  type ClientHelloInput,
  emptyCertificate,
  Group,
  HandshakeBuffer,
  handshakeMessage,
  HandshakeType,
  messageHash,
  parseCertificateList,
  parseCertificateRequest,
  parseCertificateVerify,
  parseEncryptedExtensions,
  parseKeyUpdate,
  parseServerHello,
  TlsMessageError,
} from "./tls13_messages.ts";
import { bytesEqual, type CertificateInfo } from "./x509.ts";

/** The server's certificate was refused by `accept`, or its handshake did not verify. */
export class PinnedHandshakeError extends TlsMessageError {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "PinnedHandshakeError";
  }
}

/**
 * Decides on the chain the server presents (DER, end-entity first): returns the
 * parsed end-entity certificate to hold the server to, or throws to stop the
 * handshake (nothing more is sent; the caller closes the connection).
 */
export type AcceptCertificate = (chain: Uint8Array[]) => Promise<CertificateInfo>;

const ALERTS: Record<number, string> = {
  0: "close_notify",
  10: "unexpected_message",
  20: "bad_record_mac",
  40: "handshake_failure",
  42: "bad_certificate",
  46: "certificate_unknown",
  47: "illegal_parameter",
  48: "unknown_ca",
  50: "decode_error",
  51: "decrypt_error",
  70: "protocol_version",
  71: "insufficient_security",
  80: "internal_error",
  109: "missing_extension",
  110: "unsupported_extension",
  116: "certificate_required",
};

/** What a TLS 1.3-only client says when a server speaks only older versions. */
export const NEEDS_TLS13 = "certificate pinning needs TLS 1.3 (ecFlow servers built with " +
  "OpenSSL 1.1.1 or later speak it)";

function alertError(content: Uint8Array): TlsMessageError {
  const code = content[1];
  if (code === 70) {
    return new TlsMessageError(
      `the server refused TLS 1.3 (alert protocol_version); ${NEEDS_TLS13}`,
    );
  }
  return new TlsMessageError(`the server sent TLS alert ${ALERTS[code] ?? code}`);
}

/** Reads whole TLS records from a connection. */
class RecordReader {
  #conn: ByteStream;
  #buf = new Uint8Array(0);

  constructor(conn: ByteStream) {
    this.#conn = conn;
  }

  async #fill(n: number): Promise<boolean> {
    while (this.#buf.length < n) {
      const chunk = new Uint8Array(Math.max(n - this.#buf.length, 16 * 1024 + 512));
      const got = await this.#conn.read(chunk);
      if (got === null) return false;
      this.#buf = concat(this.#buf, chunk.subarray(0, got));
    }
    return true;
  }

  /** The next record, or null at a clean end of stream. */
  async next(): Promise<{ type: number; header: Uint8Array; body: Uint8Array } | null> {
    if (!await this.#fill(5)) {
      if (this.#buf.length === 0) return null;
      throw new TlsMessageError("the connection closed inside a TLS record");
    }
    const type = this.#buf[0];
    if (type < 20 || type > 23 || this.#buf[1] !== 3) {
      throw new TlsMessageError("the server's answer is not TLS");
    }
    const length = (this.#buf[3] << 8) | this.#buf[4];
    if (length > MAX_PLAINTEXT + 256) throw new TlsMessageError("a TLS record is too long");
    if (!await this.#fill(5 + length)) {
      throw new TlsMessageError("the connection closed inside a TLS record");
    }
    const header = this.#buf.slice(0, 5);
    const body = this.#buf.slice(5, 5 + length);
    this.#buf = this.#buf.slice(5 + length);
    return { type, header, body };
  }
}

async function writeAll(conn: ByteStream, data: Uint8Array): Promise<void> {
  for (let off = 0; off < data.length;) off += await conn.write(data.subarray(off));
}

/** DER ECDSA-Sig-Value to the fixed-size r||s form WebCrypto verifies. */
function ecdsaRaw(der: Uint8Array, size: number): Uint8Array<ArrayBuffer> | undefined {
  if (der[0] !== 0x30) return undefined;
  let off = der[1] & 0x80 ? 2 + (der[1] & 0x7f) : 2;
  const out = new Uint8Array(size * 2);
  for (let i = 0; i < 2; i++) {
    if (der[off] !== 0x02) return undefined;
    let len = der[off + 1];
    let start = off + 2;
    off = start + len;
    while (len > size && der[start] === 0) {
      start++;
      len--;
    }
    if (len > size) return undefined;
    out.set(der.subarray(start, start + len), i * size + size - len);
  }
  return out;
}

/** True when `signature` by `cert`'s key over `content` verifies under `scheme`. */
async function signatureValid(
  cert: CertificateInfo,
  scheme: number,
  signature: Uint8Array,
  content: Uint8Array,
): Promise<boolean> {
  const spki = cert.spki as Uint8Array<ArrayBuffer>;
  const data = content as Uint8Array<ArrayBuffer>;
  const sig = signature as Uint8Array<ArrayBuffer>;
  const pss: Record<number, [string, number]> = {
    0x0804: ["SHA-256", 32],
    0x0805: ["SHA-384", 48],
    0x0806: ["SHA-512", 64],
  };
  try {
    if (pss[scheme] && cert.keyKind === "rsa") {
      const [hash, saltLength] = pss[scheme];
      const key = await crypto.subtle.importKey("spki", spki, { name: "RSA-PSS", hash }, false, [
        "verify",
      ]);
      return await crypto.subtle.verify({ name: "RSA-PSS", saltLength }, key, sig, data);
    }
    const ec: Record<number, [string, string, number]> = {
      0x0403: ["ec-p256", "P-256", 32],
      0x0503: ["ec-p384", "P-384", 48],
    };
    if (ec[scheme] && cert.keyKind === ec[scheme][0]) {
      const [, namedCurve, size] = ec[scheme];
      const raw = ecdsaRaw(signature, size);
      if (!raw) return false;
      const key = await crypto.subtle.importKey(
        "spki",
        spki,
        { name: "ECDSA", namedCurve },
        false,
        [
          "verify",
        ],
      );
      const hash = size === 32 ? "SHA-256" : "SHA-384";
      return await crypto.subtle.verify({ name: "ECDSA", hash }, key, raw, data);
    }
    if (scheme === 0x0807 && cert.keyKind === "ed25519") {
      const key = await crypto.subtle.importKey("spki", spki, { name: "Ed25519" }, false, [
        "verify",
      ]);
      return await crypto.subtle.verify({ name: "Ed25519" }, key, sig, data);
    }
  } catch {
    return false;
  }
  return false;
}

/** An ephemeral key pair of `group` and its public key as a key share. */
async function keyShare(group: number): Promise<{ pair: CryptoKeyPair; key: Uint8Array }> {
  const algorithm = group === Group.x25519 ? { name: "X25519" } : {
    name: "ECDH",
    namedCurve: "P-256",
  };
  const pair = await crypto.subtle.generateKey(algorithm, true, ["deriveBits"]) as CryptoKeyPair;
  return { pair, key: new Uint8Array(await crypto.subtle.exportKey("raw", pair.publicKey)) };
}

/** Reads records until one whole ServerHello (or HelloRetryRequest) is in. */
async function readServerHello(records: RecordReader) {
  const plain = new HandshakeBuffer();
  for (;;) {
    const rec = await records.next();
    if (!rec) throw new TlsMessageError("the server closed the connection during the handshake");
    if (rec.type === ContentType.alert) throw alertError(rec.body);
    if (rec.type === ContentType.changeCipherSpec) continue; // compatibility mode, after a retry
    if (rec.type !== ContentType.handshake) throw new TlsMessageError("expected a ServerHello");
    plain.push(rec.body);
    const m = plain.next();
    if (!m) continue;
    if (m.type !== HandshakeType.serverHello) throw new TlsMessageError("expected a ServerHello");
    if (!plain.empty) throw new TlsMessageError("data after ServerHello in its record");
    return m;
  }
}

function handshakeRecord(message: Uint8Array, legacyVersion: number): Uint8Array {
  const n = message.length;
  return concat(new Uint8Array([22, 3, legacyVersion, n >> 8, n & 0xff]), message);
}

async function sharedSecret(
  group: number,
  pair: CryptoKeyPair,
  peer: Uint8Array,
): Promise<Uint8Array> {
  const x25519 = group === Group.x25519;
  if (peer.length !== (x25519 ? 32 : 65)) throw new TlsMessageError("bad server key share");
  try {
    const algorithm = x25519 ? { name: "X25519" } : { name: "ECDH", namedCurve: "P-256" };
    const pub = await crypto.subtle.importKey(
      "raw",
      peer as Uint8Array<ArrayBuffer>,
      algorithm,
      false,
      [],
    );
    const name = x25519 ? "X25519" : "ECDH";
    const secret = new Uint8Array(
      await crypto.subtle.deriveBits({ name, public: pub }, pair.privateKey, 256),
    );
    if (secret.every((b) => b === 0)) throw new Error("all-zero shared secret");
    return secret;
  } catch (e) {
    if (e instanceof TlsMessageError) throw e;
    throw new TlsMessageError("bad server key share");
  }
}

/**
 * Runs a TLS 1.3 handshake on `conn` and returns the protected stream. The
 * server's certificate chain goes to `accept` first; then its CertificateVerify
 * must verify with the accepted certificate's key and its Finished with the
 * handshake keys. Only then is the client's Finished sent. On any failure
 * nothing more is written and the error is thrown (the caller closes `conn`).
 */
export async function pinnedHandshake(
  conn: ByteStream,
  accept: AcceptCertificate,
): Promise<PinnedTlsStream> {
  const first = await keyShare(Group.x25519);
  const pairs: Record<number, CryptoKeyPair> = { [Group.x25519]: first.pair };
  let hello: ClientHelloInput = {
    random: crypto.getRandomValues(new Uint8Array(32)),
    sessionId: crypto.getRandomValues(new Uint8Array(32)),
    cipherSuites: CIPHER_SUITES.map((s) => s.code),
    keyShares: [{ group: Group.x25519, key: first.key }],
  };
  const ch = clientHello(hello);
  await writeAll(conn, handshakeRecord(ch, 1));

  const records = new RecordReader(conn);
  let sh = await readServerHello(records);
  let chosen = parseServerHello(sh.body, hello);
  let transcript = concat(ch, sh.raw);
  if (chosen.retry) {
    // The server wants another key share: a second ClientHello with it, and the
    // first one replaced by its hash in the transcript.
    const retrySuite = chosen.cipherSuite;
    const hash = CIPHER_SUITES.find((s) => s.code === retrySuite)!.hash;
    const second = await keyShare(chosen.group);
    pairs[chosen.group] = second.pair;
    hello = {
      ...hello,
      keyShares: [{ group: chosen.group, key: second.key }],
      cookie: chosen.cookie,
    };
    const ch2 = clientHello(hello);
    await writeAll(conn, handshakeRecord(ch2, 3));
    sh = await readServerHello(records);
    chosen = parseServerHello(sh.body, hello);
    if (chosen.retry) throw new TlsMessageError("a second HelloRetryRequest");
    if (chosen.cipherSuite !== retrySuite) {
      throw new TlsMessageError(
        "the ServerHello changed the cipher suite of its HelloRetryRequest",
      );
    }
    transcript = concat(
      messageHash(digest(hash, ch)),
      transcript.subarray(ch.length),
      ch2,
      sh.raw,
    );
  }
  const suite = CIPHER_SUITES.find((s) => s.code === chosen.cipherSuite) as CipherSuite;
  const shared = await sharedSecret(
    chosen.keyShare.group,
    pairs[chosen.keyShare.group],
    chosen.keyShare.key,
  );
  const secrets = handshakeSecrets(suite, shared, digest(suite.hash, transcript));
  const serverHs = await RecordProtection.fromSecret(suite, secrets.server);

  // The server's encrypted flight: EncryptedExtensions, [CertificateRequest],
  // Certificate, CertificateVerify, Finished.
  const flight = new HandshakeBuffer();
  let sawCcs = false;
  const nextMessage = async () => {
    for (;;) {
      const m = flight.next();
      if (m) return m;
      const rec = await records.next();
      if (!rec) throw new TlsMessageError("the server closed the connection during the handshake");
      if (rec.type === ContentType.changeCipherSpec && !sawCcs && rec.body.length === 1) {
        sawCcs = true;
        continue;
      }
      if (rec.type === ContentType.alert) throw alertError(rec.body);
      if (rec.type !== ContentType.applicationData) {
        throw new TlsMessageError("unencrypted record after ServerHello");
      }
      const inner = await serverHs.open(rec.header, rec.body);
      if (inner.type === ContentType.alert) throw alertError(inner.content);
      if (inner.type !== ContentType.handshake) {
        throw new TlsMessageError("application data before the handshake finished");
      }
      flight.push(inner.content);
    }
  };
  const expect = async (type: number, name: string) => {
    const m = await nextMessage();
    if (m.type !== type) throw new TlsMessageError(`expected ${name}, got message ${m.type}`);
    return m;
  };

  const ee = await expect(HandshakeType.encryptedExtensions, "EncryptedExtensions");
  parseEncryptedExtensions(ee.body);
  transcript = concat(transcript, ee.raw);
  let m = await nextMessage();
  let requestContext: Uint8Array | undefined;
  if (m.type === HandshakeType.certificateRequest) {
    requestContext = parseCertificateRequest(m.body);
    transcript = concat(transcript, m.raw);
    m = await nextMessage();
  }
  if (m.type !== HandshakeType.certificate) {
    throw new TlsMessageError(`expected Certificate, got message ${m.type}`);
  }
  const leaf = await accept(parseCertificateList(m.body));
  transcript = concat(transcript, m.raw);

  const cv = await expect(HandshakeType.certificateVerify, "CertificateVerify");
  const { scheme, signature } = parseCertificateVerify(cv.body);
  const content = certificateVerifyContent(digest(suite.hash, transcript));
  if (!await signatureValid(leaf, scheme, signature, content)) {
    throw new PinnedHandshakeError(
      "the server's handshake signature does not verify with the key of the certificate " +
        "it presented: it does not hold that certificate's private key",
    );
  }
  transcript = concat(transcript, cv.raw);

  const fin = await expect(HandshakeType.finished, "Finished");
  const wanted = finishedMac(suite, secrets.server, digest(suite.hash, transcript));
  if (!bytesEqual(fin.body, wanted)) {
    throw new PinnedHandshakeError("the server's Finished message does not verify");
  }
  if (!flight.empty) throw new TlsMessageError("handshake data after the server's Finished");
  transcript = concat(transcript, fin.raw);
  const app = applicationSecrets(
    suite,
    secrets.handshake,
    digest(suite.hash, transcript),
  );

  // The client's flight: ChangeCipherSpec (compatibility mode), then under the
  // handshake keys an empty Certificate if one was requested, and Finished.
  const clientHs = await RecordProtection.fromSecret(suite, secrets.client);
  let clientFlight: Uint8Array = new Uint8Array(0);
  if (requestContext) {
    const cert = emptyCertificate(requestContext);
    transcript = concat(transcript, cert);
    clientFlight = cert;
  }
  const clientFinished = handshakeMessage(
    HandshakeType.finished,
    finishedMac(suite, secrets.client, digest(suite.hash, transcript)),
  );
  clientFlight = concat(clientFlight, clientFinished);
  await writeAll(
    conn,
    concat(
      new Uint8Array([20, 3, 3, 0, 1, 1]),
      await clientHs.seal(ContentType.handshake, clientFlight),
    ),
  );
  return new PinnedTlsStream(
    conn,
    records,
    suite,
    { read: app.server, write: app.client },
    await RecordProtection.fromSecret(suite, app.client),
    await RecordProtection.fromSecret(suite, app.server),
  );
}

/** Application data over a pinned TLS 1.3 session: the framing code's {@linkcode ByteStream}. */
export class PinnedTlsStream implements ByteStream {
  #conn: ByteStream;
  #records: RecordReader;
  #suite: CipherSuite;
  #readSecret: Uint8Array;
  #writeSecret: Uint8Array;
  #write: RecordProtection;
  #read: RecordProtection;
  #plain: Uint8Array = new Uint8Array(0);
  #post = new HandshakeBuffer();
  #eof = false;
  #closed = false;
  /** The server asked for a KeyUpdate in return: sent before the next write. */
  #updateOwed = false;

  /** Wraps an established session (made by {@linkcode pinnedHandshake}). */
  constructor(
    conn: ByteStream,
    records: RecordReader,
    suite: CipherSuite,
    secrets: { read: Uint8Array; write: Uint8Array },
    write: RecordProtection,
    read: RecordProtection,
  ) {
    this.#conn = conn;
    this.#records = records;
    this.#suite = suite;
    this.#readSecret = secrets.read;
    this.#writeSecret = secrets.write;
    this.#write = write;
    this.#read = read;
  }

  /** Reads decrypted application data into `p`; `null` at the end of the session. */
  async read(p: Uint8Array): Promise<number | null> {
    while (this.#plain.length === 0) {
      if (this.#eof || this.#closed) return null;
      const rec = await this.#records.next();
      if (!rec) {
        this.#eof = true;
        return null;
      }
      if (rec.type !== ContentType.applicationData) {
        throw new TlsMessageError("unencrypted record after the handshake");
      }
      const inner = await this.#read.open(rec.header, rec.body);
      if (inner.type === ContentType.applicationData) {
        this.#plain = inner.content;
      } else if (inner.type === ContentType.alert) {
        if (inner.content[1] === 0) {
          this.#eof = true;
          return null;
        }
        throw alertError(inner.content);
      } else if (inner.type === ContentType.handshake) {
        await this.#postHandshake(inner.content);
      } else {
        throw new TlsMessageError(`unexpected TLS record type ${inner.type}`);
      }
    }
    const n = Math.min(p.length, this.#plain.length);
    p.set(this.#plain.subarray(0, n));
    this.#plain = this.#plain.subarray(n);
    return n;
  }

  /** Session tickets are ignored (no resumption); a KeyUpdate renews the read keys. */
  async #postHandshake(bytes: Uint8Array): Promise<void> {
    this.#post.push(bytes);
    for (let m = this.#post.next(); m; m = this.#post.next()) {
      if (m.type === HandshakeType.newSessionTicket) continue;
      if (m.type === HandshakeType.keyUpdate) {
        if (parseKeyUpdate(m.body)) this.#updateOwed = true;
        this.#readSecret = nextTrafficSecret(this.#suite, this.#readSecret);
        this.#read = await RecordProtection.fromSecret(this.#suite, this.#readSecret);
        continue;
      }
      throw new TlsMessageError(`unexpected handshake message ${m.type} after the handshake`);
    }
  }

  /** Encrypts and writes all of `p` (in records of at most 16 KiB); resolves with its length. */
  async write(p: Uint8Array): Promise<number> {
    const records: Uint8Array[] = [];
    if (this.#updateOwed) {
      this.#updateOwed = false;
      records.push(
        await this.#write.seal(
          ContentType.handshake,
          handshakeMessage(HandshakeType.keyUpdate, new Uint8Array([0])),
        ),
      );
      this.#writeSecret = nextTrafficSecret(this.#suite, this.#writeSecret);
      this.#write = await RecordProtection.fromSecret(this.#suite, this.#writeSecret);
    }
    for (let off = 0; off < p.length; off += MAX_PLAINTEXT) {
      records.push(
        await this.#write.seal(ContentType.applicationData, p.subarray(off, off + MAX_PLAINTEXT)),
      );
    }
    await writeAll(this.#conn, concat(...records));
    return p.length;
  }

  /** Closes the connection. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#conn.close();
  }
}
