// Unit tests of the pure parts of authentication: DES crypt against the system's crypt(3)
// (libxcrypt, through Debian's python3), password files, the identity rules,
// token files and the transport choice.
import { assert, assertEquals, assertMatch, assertThrows } from "./deps.ts";
import { AuthenticationSetupError, ConfigError, envFrom } from "../mod.ts";
import {
  authorizationHeader,
  CRYPT_ALPHABET,
  CUSTOM_USER_WITHOUT_PASSWORD,
  desCrypt,
  findPassword,
  parsePasswdFile,
  parseTokenFile,
  resolveUserIdentity,
  tokenFor,
} from "../lib/auth/mod.ts";
import { chooseTransport } from "../lib/transport/mod.ts";

/** crypt(3) of each [password, salt] pair, computed by the system's libcrypt. */
async function systemCrypt(pairs: [string, string][]): Promise<string[]> {
  const script = "import crypt,json,sys\n" +
    "print(json.dumps([crypt.crypt(p, s) for p, s in json.load(sys.stdin)]))";
  const child = new Deno.Command("/usr/bin/python3", {
    args: ["-W", "ignore", "-c", script],
    stdin: "piped",
    stdout: "piped",
  }).spawn();
  const w = child.stdin.getWriter();
  await w.write(new TextEncoder().encode(JSON.stringify(pairs)));
  await w.close();
  const out = await child.output();
  assert(out.success, "python3 crypt failed");
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

/** A small deterministic generator (LCG) so failures can be replayed. */
function generator(seed: number) {
  let s = seed >>> 0;
  return (n: number) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
}

Deno.test("desCrypt: the captured ecFlow vector", () => {
  assertEquals(desCrypt("secret", "root"), "roO14RlBGPIzs");
});

Deno.test("desCrypt equals the system crypt(3) on 300 generated passwords and salts", async () => {
  const next = generator(20261127);
  const printable = " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`{|}~" +
    "abcdefghijklmnopqrstuvwxyz";
  const pairs: [string, string][] = [];
  for (let i = 0; i < 300; i++) {
    let pw = "";
    const len = next(30); // 0..29: also longer than the 8 bytes one DES block takes
    for (let j = 0; j < len; j++) pw += printable[next(printable.length)];
    // ecFlow salts with the whole user name: short ones, and long ones (bigcrypt from 14).
    const tails = ["", "ot", "rest_of_use", "rest_of_user", "a.very-long_user.name~x"];
    const salt = CRYPT_ALPHABET[next(64)] + CRYPT_ALPHABET[next(64)] + tails[next(tails.length)];
    pairs.push([pw, salt]);
  }
  // Edge cases: non-ASCII (UTF-8 bytes), and salts libxcrypt refuses ("*0").
  pairs.push(["pässwörd", "ab"], ["secret", "r"], ["secret", "a-"], ["secret", ""]);
  pairs.push(["secret", "_x"], ["x", "é1"], ["x".repeat(200), "abcdefghijklmn"]);
  for (const bad of [" ", "!", "*", ":", ";", "\\", "\n", "é"]) {
    pairs.push(["123456789", `ab${bad}`]);
  }
  const expected = await systemCrypt(pairs);
  const ours = pairs.map(([p, s]) => desCrypt(p, s));
  assertEquals(ours, expected);
  assertEquals(desCrypt("secret", "r"), "*0");
});

Deno.test("desCrypt: only the first 8 characters of the password count", () => {
  assertEquals(desCrypt("abcdefghXYZ", "ab"), desCrypt("abcdefgh", "ab"));
  assert(desCrypt("abcdefg", "ab") !== desCrypt("abcdefgh", "ab"));
});

const FILE = `# ecFlow password file
4.5.0   # version
alice  vm         3141 s3cret   # alice on vm
alice  localhost  3141 other
bob    vm         3142 b0b
`;

Deno.test("parsePasswdFile reads ecFlow's format: version first, comments, four fields", () => {
  const entries = parsePasswdFile(FILE, "test");
  assertEquals(entries, [
    { user: "alice", host: "vm", port: "3141", password: "s3cret" },
    { user: "alice", host: "localhost", port: "3141", password: "other" },
    { user: "bob", host: "vm", port: "3142", password: "b0b" },
  ]);
  assertEquals(parsePasswdFile("5.17.0\n", "empty"), []);
});

Deno.test("parsePasswdFile rejects what ecFlow rejects, naming the line but never the password", () => {
  const cases: [string, RegExp][] = [
    ["alice vm 3141 pw1\n", /test line 1: the version number .* must appear before the users/],
    ["4.4.0\nalice vm 3141 pw1\n", /test line 1: only password files with a version of 4\.5\.0/],
    ["4.5.1\n", /only password files with a version of 4\.5\.0 or later/],
    ["4.5\n", /expected a version of the form/],
    ["4.5.0\nalice vm pw1\n", /test line 2: expected <user> <host> <port> <password>/],
    ["4.5.0\nalice vm port pw1\n", /test line 2: the port must be an integer/],
    ["4.5.0\nalice vm 1 pw1\nalice vm 1 pw2\n", /test line 3: user alice can only appear once/],
  ];
  for (const [text, message] of cases) {
    const e = assertThrows(() => parsePasswdFile(text, "test"), ConfigError);
    assertMatch(e.message, message);
    assert(!/pw1|pw2/.test(e.message), `password in message: ${e.message}`);
  }
});

Deno.test("findPassword: exact host and port, else this machine's host name", () => {
  const entries = parsePasswdFile(FILE, "test");
  assertEquals(findPassword(entries, "alice", "localhost", 3141, "vm"), "other");
  assertEquals(findPassword(entries, "alice", "127.0.0.1", 3141, "vm"), "s3cret");
  assertEquals(findPassword(entries, "bob", "localhost", 3142, "vm"), "b0b");
  assertEquals(findPassword(entries, "bob", "localhost", 3141, "vm"), undefined);
  assertEquals(findPassword(entries, "carol", "vm", 3141, "vm"), undefined);
});

Deno.test("resolveUserIdentity follows ecflow_client's custom-user and password rules", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ecflow-ts-auth." });
  try {
    await Deno.writeTextFile(`${dir}/passwd`, "4.5.0\nroot localhost 3141 secret\n");
    await Deno.writeTextFile(`${dir}/custom`, "4.5.0\nop vm 3141 oppw\n");
    const base = { host: "localhost", port: 3141, clientHost: "vm" };

    // Login user, no password file: no pswd_, no cu_.
    assertEquals(resolveUserIdentity({ ...base, env: envFrom({ USER: "root" }) }), {
      user: "root",
      clientHost: "vm",
    });
    // Login user with ECF_PASSWD: crypt(password, user).
    assertEquals(
      resolveUserIdentity({
        ...base,
        env: envFrom({ USER: "root", ECF_PASSWD: `${dir}/passwd` }),
      }),
      { user: "root", clientHost: "vm", password: "roO14RlBGPIzs" },
    );
    // A missing ECF_PASSWD file means no password, as in ecflow_client.
    assertEquals(
      resolveUserIdentity({ ...base, env: envFrom({ USER: "root", ECF_PASSWD: `${dir}/none` }) })
        .password,
      undefined,
    );
    // ECF_USER is a custom user: cu_ and the password from ECF_CUSTOM_PASSWD (host name fallback).
    assertEquals(
      resolveUserIdentity({
        ...base,
        env: envFrom({ USER: "root", ECF_USER: "op", ECF_CUSTOM_PASSWD: `${dir}/custom` }),
      }),
      { user: "op", clientHost: "vm", password: desCrypt("oppw", "op"), customUser: true },
    );
    // The customUser option (--user) wins over ECF_USER; --password wins over the files.
    assertEquals(
      resolveUserIdentity({
        ...base,
        customUser: "bob",
        password: "pw",
        env: envFrom({ ECF_USER: "op", ECF_CUSTOM_PASSWD: `${dir}/custom` }),
      }),
      { user: "bob", clientHost: "vm", password: desCrypt("pw", "bob"), customUser: true },
    );
    // A custom user without a password is refused before anything is sent.
    const e = assertThrows(
      () => resolveUserIdentity({ ...base, env: envFrom({ ECF_USER: "nobody" }) }),
      AuthenticationSetupError,
    );
    assertEquals(e.message, CUSTOM_USER_WITHOUT_PASSWORD);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("token files: version 1, first whole-URL match, bearer and basic headers", () => {
  const tokens = parseTokenFile(
    JSON.stringify({
      version: 1,
      tokens: [
        {
          type: "bearer",
          server: "https://a\\.example:\\d+",
          api: { url: "u", key: "K1", email: "e" },
        },
        {
          type: "basic",
          server: "http://127\\.0\\.0\\.1:.*",
          api: { username: "u", password: "p:w" },
        },
        { type: "unknown", server: ".*" },
      ],
    }),
    "t",
  );
  assertEquals(tokens.length, 2);
  assertEquals(tokenFor(tokens, "https://a.example:8443")?.type, "bearer");
  assertEquals(tokenFor(tokens, "https://a.example:8443/x"), undefined); // whole-URL match only
  assertEquals(authorizationHeader(tokenFor(tokens, "https://a.example:1")!), "Bearer K1");
  assertEquals(
    authorizationHeader(tokenFor(tokens, "http://127.0.0.1:3141")!),
    `Basic ${btoa("u:p:w")}`,
  );
  assertThrows(() => parseTokenFile('{"version":2,"tokens":[]}', "t"), ConfigError, "version 1");
  assertThrows(() => parseTokenFile('{"tokens":[]}', "t"), ConfigError, "no version");
  const bad = assertThrows(() => parseTokenFile("{secretkey", "t"), ConfigError);
  assert(!bad.message.includes("secretkey"));
});

Deno.test("chooseTransport: option before environment, TLS before HTTP", () => {
  const none = envFrom({});
  assertEquals(chooseTransport({}, none), { kind: "tcp", source: "default" });
  assertEquals(chooseTransport({ ssl: true }, none).kind, "tls");
  assertEquals(chooseTransport({ ssl: true }, none).ecfSsl, "1");
  assertEquals(chooseTransport({}, envFrom({ ECF_SSL: "" })).kind, "tls");
  assertEquals(chooseTransport({}, envFrom({ ECF_SSL: "vm.3141" })).ecfSsl, "vm.3141");
  assertEquals(chooseTransport({ ssl: true }, envFrom({ ECF_SSL: "vm.3141" })).ecfSsl, "vm.3141");
  assertEquals(chooseTransport({ ssl: false }, envFrom({ ECF_SSL: "1" })).kind, "tcp");
  assertEquals(chooseTransport({ http: true }, envFrom({ ECF_SSL: "1" })).kind, "tls");
  assertEquals(chooseTransport({ http: true }, none).kind, "http");
  assertEquals(chooseTransport({ https: true, http: true }, none).kind, "https");
  assertEquals(chooseTransport({}, envFrom({ ECF_HOST_PROTOCOL: "HTTP" })).kind, "http");
  assertEquals(chooseTransport({}, envFrom({ ECF_HOST_PROTOCOL: "HTTPS" })).kind, "https");
  assertEquals(
    chooseTransport({ http: true }, envFrom({ ECF_HOST_PROTOCOL: "HTTPS" })).kind,
    "http",
  );
  // Exact upper case only; SSL alone does not enable TLS (as in ecFlow 5.17).
  assertEquals(chooseTransport({}, envFrom({ ECF_HOST_PROTOCOL: "http" })).kind, "tcp");
  assertEquals(chooseTransport({}, envFrom({ ECF_HOST_PROTOCOL: "SSL" })).kind, "tcp");
});
