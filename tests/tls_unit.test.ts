// The pure parts of TLS pinning, without sockets: certificate inspection
// (checked against openssl's view of the same files), the TLS 1.3 key schedule
// (RFC 5869 and RFC 8448 values, and values computed by openssl's TLS13-KDF),
// record protection and the handshake message codec.
import { assert, assertEquals, assertRejects, assertThrows } from "./deps.ts";
import { type CertKind, makeCertificate, opensslFingerprint } from "./transport_harness.ts";
import {
  CertificateFormatError,
  issuedByOneOf,
  parseCertificate,
  pemCertificates,
  sha256Fingerprint,
  trustRoute,
} from "../lib/transport/x509.ts";
import { hmacSync, sha256, sha384 } from "../lib/transport/sha2.ts";
import {
  CIPHER_SUITES,
  concat,
  earlySecret,
  expandLabel,
  hkdfExpand,
  hkdfExtract,
  RecordProtection,
} from "../lib/transport/tls13_keys.ts";
import {
  clientHello,
  type ClientHelloInput,
  Group,
  HandshakeBuffer,
  parseCertificateList,
  parseServerHello,
  TlsMessageError,
} from "../lib/transport/tls13_messages.ts";

const hex = (s: string) => Uint8Array.from(s.match(/../g) ?? [], (h) => parseInt(h, 16));
const toHex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
const SHA256 = CIPHER_SUITES.find((s) => s.hash === "SHA-256")!;
const SHA384 = CIPHER_SUITES.find((s) => s.hash === "SHA-384")!;

async function certificates(kinds: CertKind[]) {
  const dir = await Deno.makeTempDir({ prefix: "ecflow-ts-x509." });
  for (const kind of kinds) await makeCertificate(dir, kind, kind);
  const read = async (name: string) => {
    const pem = await Deno.readTextFile(`${dir}/${name}`);
    return pemCertificates(pem).map(parseCertificate);
  };
  return { dir, read, [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }) };
}

Deno.test("x509: each recipe as openssl made it, and the route its file takes", async (t) => {
  await using c = await certificates(["v1", "ca", "cn", "san", "private-ca", "expired"]);
  await t.step("version, CA flag, names, dates and fingerprints", async () => {
    const [v1] = await c.read("v1.crt");
    assertEquals([v1.version, v1.ca, v1.selfIssued, v1.dnsNames], [1, false, true, []]);
    assertEquals(v1.keyKind, "rsa");
    assertEquals(v1.commonName, Deno.hostname());
    const [ca] = await c.read("ca.crt");
    assertEquals([ca.version, ca.ca, ca.selfIssued], [3, true, true]);
    assertEquals(ca.dnsNames, ["localhost", Deno.hostname()]);
    assertEquals(ca.ipAddresses, ["127.0.0.1"]);
    const [cn] = await c.read("cn.crt");
    assertEquals([cn.version, cn.ca, cn.dnsNames, cn.ipAddresses], [3, false, [], []]);
    const [san] = await c.read("san.crt");
    assertEquals([san.ca, san.ipAddresses], [false, ["127.0.0.1"]]);
    const [leaf, root] = await c.read("private-ca.crt");
    assertEquals([leaf.selfIssued, leaf.ca, root.selfIssued, root.ca], [false, false, true, true]);
    assertEquals(root.commonName, "ecflow-ts test CA");
    assertEquals(issuedByOneOf(leaf, [leaf, root]), root);
    assertEquals(issuedByOneOf(root, [leaf, root]), undefined);
    const [expired] = await c.read("expired.crt");
    assertEquals(expired.notBefore.toISOString(), "2020-01-01T00:00:00.000Z");
    assertEquals(expired.notAfter.toISOString(), "2020-02-01T00:00:00.000Z");
    // Fingerprints as `openssl x509 -fingerprint -sha256` prints them.
    for (const name of ["v1", "ca", "san"]) {
      const [cert] = await c.read(`${name}.crt`);
      assertEquals(
        await sha256Fingerprint(cert.der),
        await opensslFingerprint(`${c.dir}/${name}.crt`),
      );
    }
  });
  await t.step(
    "pinned unless the file holds a CA together with a certificate it issued",
    async () => {
      for (const kind of ["v1", "ca", "cn", "san"]) {
        assertEquals(trustRoute(await c.read(`${kind}.crt`)), "pin");
      }
      assertEquals(trustRoute(await c.read("private-ca.crt")), "verify"); // the server's chain file
      // A lone CA: decided by what the server presents; a lone certificate it issued: pinned.
      assertEquals(trustRoute(await c.read("private-ca.ca.crt")), "pin");
      assertEquals(trustRoute(await c.read("private-ca.leaf.crt")), "pin");
    },
  );
});

Deno.test("x509: anything that is not a certificate is a CertificateFormatError", () => {
  assertEquals(pemCertificates("no PEM here"), []);
  assertThrows(
    () => pemCertificates("-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----"),
    CertificateFormatError,
  );
  for (const bad of [new Uint8Array(0), hex("3003020101"), hex("30820100"), hex("0500")]) {
    assertThrows(() => parseCertificate(bad), CertificateFormatError);
  }
});

Deno.test("sha2: FIPS 180 values, and the same hashes and HMACs as WebCrypto for 0 to 300 bytes", async () => {
  const abc = new TextEncoder().encode("abc");
  assertEquals(
    toHex(sha256(abc)),
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  );
  assertEquals(
    toHex(sha384(abc)),
    "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7",
  );
  for (let n = 0; n <= 300; n++) {
    const data = crypto.getRandomValues(new Uint8Array(n));
    const key = crypto.getRandomValues(new Uint8Array(1 + (n * 7) % 200)); // longer than a block too
    for (const [name, f] of [["SHA-256", sha256], ["SHA-384", sha384]] as const) {
      assertEquals(f(data), new Uint8Array(await crypto.subtle.digest(name, data)), `${name} ${n}`);
      const k = await crypto.subtle.importKey("raw", key, { name: "HMAC", hash: name }, false, [
        "sign",
      ]);
      assertEquals(
        hmacSync(name, key, data),
        new Uint8Array(await crypto.subtle.sign("HMAC", k, data)),
        `HMAC ${name} ${n}`,
      );
    }
  }
});

Deno.test("TLS 1.3 key schedule: RFC 5869, RFC 8448 and openssl's TLS13-KDF values", () => {
  // RFC 5869 test case 1.
  const prk = hkdfExtract(
    "SHA-256",
    hex("000102030405060708090a0b0c"),
    new Uint8Array(22).fill(0x0b),
  );
  assertEquals(toHex(prk), "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5");
  assertEquals(
    toHex(hkdfExpand("SHA-256", prk, hex("f0f1f2f3f4f5f6f7f8f9"), 42)),
    "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865",
  );
  // RFC 8448 §3: the early secret without a PSK and Derive-Secret(., "derived", "").
  const early = earlySecret(SHA256);
  assertEquals(toHex(early), "33ad0a1c607ec03b09e6cd9893680ce210adf300aa1f2660e1b22e10f170f92a");
  const emptyHash = hex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  assertEquals(
    toHex(expandLabel("SHA-256", early, "derived", emptyHash, 32)),
    "6f2615a108c702c5678f54fc9dbab69716c076189c48250cebeac3576c3611ba",
  );
  // openssl kdf ... TLS13-KDF: traffic key and IV labels, and the SHA-384 suite.
  assertEquals(
    toHex(expandLabel("SHA-256", early, "key", new Uint8Array(0), 16)),
    "ebbf95bddc9e43bd09465c5516ab2d5f",
  );
  assertEquals(
    toHex(expandLabel("SHA-256", early, "iv", new Uint8Array(0), 12)),
    "a7bf78a10cf9feb156a93f7a",
  );
  const early384 = earlySecret(SHA384);
  assertEquals(
    toHex(early384),
    "7ee8206f5570023e6dc7519eb1073bc4e791ad37b5c382aa10ba18e2357e716971f9362f2c2fe2a76bfd78dfec4ea9b5",
  );
  const empty384 = hex(
    "38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da274edebfe76f65fbd51ad2f14898b95b",
  );
  assertEquals(
    toHex(expandLabel("SHA-384", early384, "derived", empty384, 48)),
    "1591dac5cbbf0330a4a84de9c753330e92d01f0a88214b4464972fd668049e93e52f2b16fad922fdc0584478428f282b",
  );
});

Deno.test("TLS 1.3 records: what one side seals the other opens; a changed byte or a replay does not", async () => {
  for (const suite of CIPHER_SUITES) {
    const secret = crypto.getRandomValues(new Uint8Array(suite.hashLength));
    const [writer, reader] = await Promise.all([
      RecordProtection.fromSecret(suite, secret),
      RecordProtection.fromSecret(suite, secret),
    ]);
    const first = await writer.seal(23, new TextEncoder().encode("hello"));
    assertEquals([first[0], first[1], first[2]], [23, 3, 3]);
    assertEquals((first[3] << 8) | first[4], first.length - 5);
    const opened = await reader.open(first.subarray(0, 5), first.subarray(5));
    assertEquals([opened.type, new TextDecoder().decode(opened.content)], [23, "hello"]);
    const second = await writer.seal(21, new Uint8Array([1, 0]));
    const tampered = second.slice();
    tampered[7] ^= 1;
    await assertRejects(
      () => reader.open(tampered.subarray(0, 5), tampered.subarray(5)),
      Error,
      "bad_record_mac",
    );
    // The reader's sequence number moved on: the untouched record no longer opens either.
    await assertRejects(
      () => reader.open(second.subarray(0, 5), second.subarray(5)),
      Error,
      "bad_record_mac",
    );
  }
});

function hello(): ClientHelloInput {
  return {
    random: new Uint8Array(32).fill(1),
    sessionId: new Uint8Array(32).fill(2),
    cipherSuites: [0x1302, 0x1301],
    keyShares: [{ group: Group.x25519, key: new Uint8Array(32).fill(3) }],
  };
}

/** A ServerHello body: version 1.3 unless `versionExt` is false. */
function serverHello(o: {
  sessionId?: Uint8Array;
  suite?: number;
  group?: number;
  versionExt?: boolean;
  random?: Uint8Array;
}): Uint8Array {
  const u16 = (n: number) => new Uint8Array([n >> 8, n & 0xff]);
  const ext = (type: number, data: Uint8Array) => concat(u16(type), u16(data.length), data);
  const key = new Uint8Array(32).fill(9);
  const exts = concat(
    o.versionExt === false ? new Uint8Array(0) : ext(43, u16(0x0304)),
    ext(51, concat(u16(o.group ?? Group.x25519), u16(key.length), key)),
  );
  const sid = o.sessionId ?? new Uint8Array(32).fill(2);
  return concat(
    u16(0x0303),
    o.random ?? new Uint8Array(32).fill(7),
    new Uint8Array([sid.length]),
    sid,
    u16(o.suite ?? 0x1302),
    new Uint8Array([0]),
    u16(exts.length),
    exts,
  );
}

Deno.test("TLS 1.3 messages: the ClientHello offers TLS 1.3 only; a ServerHello must answer it", () => {
  const ch = clientHello(hello());
  assertEquals(ch[0], 1);
  assertEquals((ch[1] << 16) | (ch[2] << 8) | ch[3], ch.length - 4);
  assert(toHex(ch).includes("002b00030203040"), "supported_versions lists TLS 1.3 alone");
  const ok = parseServerHello(serverHello({}), hello());
  assertEquals(ok.retry, false);
  if (!ok.retry) assertEquals([ok.cipherSuite, ok.keyShare.group], [0x1302, Group.x25519]);
  const refusals: [Parameters<typeof serverHello>[0], string][] = [
    [{ versionExt: false }, "TLS 1.2 or older"],
    [{ sessionId: new Uint8Array(32) }, "does not echo the session id"],
    [{ suite: 0x1303 }, "was not offered"],
    [{ group: Group.secp256r1 }, "of a group not offered"],
  ];
  for (const [change, message] of refusals) {
    assertThrows(() => parseServerHello(serverHello(change), hello()), TlsMessageError, message);
  }
  assertThrows(
    () => parseServerHello(serverHello({}).subarray(0, 40), hello()),
    TlsMessageError,
    "truncated",
  );
  // A HelloRetryRequest for the other group is understood; one for the group sent is not.
  const retryRandom = hex("cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c");
  const hrr = (group: number) => {
    const u16 = (n: number) => new Uint8Array([n >> 8, n & 0xff]);
    const exts = concat(u16(43), u16(2), u16(0x0304), u16(51), u16(2), u16(group));
    const sid = new Uint8Array(32).fill(2);
    return concat(
      u16(0x0303),
      retryRandom,
      new Uint8Array([32]),
      sid,
      u16(0x1301),
      new Uint8Array([0]),
      u16(exts.length),
      exts,
    );
  };
  assertEquals(parseServerHello(hrr(Group.secp256r1), hello()), {
    retry: true,
    cipherSuite: 0x1301,
    group: Group.secp256r1,
    cookie: undefined,
  });
  assertThrows(() => parseServerHello(hrr(Group.x25519), hello()), TlsMessageError, "already sent");
});

Deno.test("TLS 1.3 messages: handshake bytes cut anywhere come out as whole messages", () => {
  const certs = [new Uint8Array([1, 2, 3]), new Uint8Array([4])];
  const u24 = (n: number) => new Uint8Array([n >> 16, (n >> 8) & 0xff, n & 0xff]);
  const list = concat(...certs.map((c) => concat(u24(c.length), c, new Uint8Array([0, 0]))));
  const body = concat(new Uint8Array([0]), u24(list.length), list);
  const message = concat(new Uint8Array([11]), u24(body.length), body);
  const stream = concat(message, message);
  const buffer = new HandshakeBuffer();
  const out: Uint8Array[][] = [];
  for (let i = 0; i < stream.length; i += 3) {
    buffer.push(stream.subarray(i, i + 3));
    for (let m = buffer.next(); m; m = buffer.next()) out.push(parseCertificateList(m.body));
  }
  assertEquals(out, [certs, certs]);
  assert(buffer.empty);
  assertThrows(
    () => parseCertificateList(concat(new Uint8Array([0]), u24(0))),
    TlsMessageError,
    "no certificate",
  );
});
