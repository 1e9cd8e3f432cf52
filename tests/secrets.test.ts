/**
 * Secrets never show: the user password (`--password`, `setPassword()`, an
 * ECF_PASSWD file), its crypted wire form and the jobs password (`ECF_PASS`)
 * must not appear on stdout or stderr of any CLI run (success, every fault,
 * bad arguments, child commands), nor in any library error's message, stack,
 * cause chain or inspection. The plain password must not be on the wire
 * either: only its crypt is sent.
 */
import { assert, assertEquals } from "./deps.ts";
import { frame, startFakeServer, type Step } from "./harness/fake_server.ts";
import { ecflowTs } from "./harness/server.ts";
import { Client, envFrom } from "../mod.ts";
import { main } from "../cli.ts";
import { ECFLOW_FIXTURES } from "./captures.ts";

const USER_PW = "Zq7Pw9f2";
const JOB_PW = "JobPw77c1x";
const FILE_PW = "Fi1ePw4u";

const CAPTURES = `${ECFLOW_FIXTURES}/captures`;
const reply = (name: string) => Deno.readFileSync(`${CAPTURES}/${name}/response.bin`);
const PING_REPLY = reply("02-ping-halted");
const ERROR_REPLY = reply("70-bad-path-suspend");
const CHILD_OK = reply("37-child-event");

/** Every string that must never be shown; the crypts are added as they are seen on the wire. */
const secrets = new Set([USER_PW, JOB_PW, FILE_PW]);

function leaks(text: string): string[] {
  return [...secrets].filter((s) => text.includes(s));
}

/** Picks `pswd_` (the crypted password) out of each captured request. */
function learnCrypts(requests: Uint8Array[]): number {
  let n = 0;
  for (const r of requests) {
    const text = new TextDecoder().decode(r);
    for (const secret of [USER_PW, JOB_PW, FILE_PW]) {
      if (secret !== JOB_PW) {
        assert(!text.includes(secret), "a plain user password went on the wire");
      }
    }
    for (const m of text.matchAll(/"pswd_": "([^"]+)"/g)) {
      secrets.add(m[1]);
      n++;
    }
  }
  return n;
}

async function cli(args: string[], env: Record<string, string>) {
  let out = "";
  const code = await main(args, {
    out: (t) => out += t,
    err: (t) => out += t,
    env: (n) => env[n],
  });
  return { code, out };
}

function closedPort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

const JOB_ENV = {
  ECF_NAME: "/lab/f1/t1",
  ECF_PASS: JOB_PW,
  ECF_RID: "4242",
  ECF_TRYNO: "1",
  ECF_TS_CHILD_ATTEMPTS: "1",
  ECF_TS_CHILD_RETRY_MS: "10",
  ECF_TS_CHILD_NEXT_HOST_MS: "10",
  ECF_TS_CHILD_TIMEOUT_MS: "300",
  ECF_TS_CHILD_ZOMBIE_TIMEOUT_MS: "300",
};

const SCRIPTS: [string, Step[]][] = [
  ["ok", [{ read: "frame" }, { write: PING_REPLY }, { close: true }]],
  ["error reply", [{ read: "frame" }, { write: ERROR_REPLY }, { close: true }]],
  ["close before header", [{ read: "frame" }, { close: true }]],
  ["close mid-body", [{ read: "frame" }, { write: PING_REPLY.subarray(0, 60) }, { close: true }]],
  ["bad header", [{ read: "frame" }, { write: "zzzzzzzz" }, { close: true }]],
  ["not JSON", [{ read: "frame" }, { write: frame("nope") }, { close: true }]],
  ["silent", [{ read: "frame" }, { hold: true }]],
];

Deno.test("secrets: user and jobs passwords never shown by the CLI, whatever the server does", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ecflow-ts-secrets." });
  try {
    const found: string[] = [];
    let runs = 0;
    let crypts = 0;
    for (const [name, script] of SCRIPTS) {
      await using fake = await startFakeServer(script);
      const passwd = `${dir}/passwd.${fake.port}`;
      await Deno.writeTextFile(
        passwd,
        `5.9.2\n# user host port password\nbob 127.0.0.1 ${fake.port} ${FILE_PW}\n`,
      );
      const base = { ECF_HOST: "127.0.0.1", ECF_PORT: String(fake.port), USER: "carol" };
      const common = ["--attempts=1", "--timeout=0.5"];
      const vectors: [string[], Record<string, string>][] = [
        [["--ping", "--user=alice", `--password=${USER_PW}`, ...common], base],
        [["--ping", "--user=alice", `--password=${USER_PW}`, "--json", ...common], base],
        [["--server_version", "--user=alice", `--password=${USER_PW}`, ...common], base],
        [["--suites", ...common], { ...base, ECF_USER: "bob", ECF_PASSWD: passwd }],
        [["--ping", ...common], { ...base, ECF_USER: "bob", ECF_CUSTOM_PASSWD: passwd }],
        [["--event=e1", ...common], { ...base, ...JOB_ENV }],
        [["--label=lab1", "some", "text", ...common], { ...base, ...JOB_ENV }],
        [["--meter=m1", "42", ...common], { ...base, ...JOB_ENV }],
      ];
      for (const [args, env] of vectors) {
        const r = await cli(args, env);
        runs++;
        crypts += learnCrypts(fake.requests);
        for (const s of leaks(r.out)) found.push(`${name}: ${JSON.stringify(args)} shows '${s}'`);
      }
    }
    console.log(
      `secrets: ${runs} CLI runs over ${SCRIPTS.length} server behaviours; ` +
        `${
          secrets.size - 3
        } distinct crypted passwords seen on the wire (in ${crypts} requests), none shown`,
    );
    assert(crypts > 0, "no crypted password was sent: the vectors do not exercise passwords");
    assertEquals(found, []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("secrets: a refused server, bad arguments and typos never echo a password", async () => {
  const port = closedPort();
  const env = { ECF_HOST: "127.0.0.1", ECF_PORT: String(port), ...JOB_ENV };
  const vectors: string[][] = [
    ["--ping", "--user=alice", `--password=${USER_PW}`, "--attempts=1"],
    ["--event=e1", "--attempts=1"],
    ["--ping", `--password=${USER_PW}`, "extra"],
    ["--ping", "--password", USER_PW, USER_PW],
    ["--ping", `--password=${USER_PW}`, `--password=${USER_PW}`],
    [`-password=${USER_PW}`, "--ping"],
    [`password=${USER_PW}`, "--ping"],
    [`--pasword=${USER_PW}`, "--ping"],
    [`--password=${USER_PW}`],
    ["--ping", `--user=alice`, `--password=${USER_PW}`, "--port=abc"],
    ["--init=wrong_rid"],
    ["--event"],
    ["--meter=m", "notanumber"],
  ];
  const found: string[] = [];
  for (const args of vectors) {
    const r = await cli(args, env);
    assertEquals(r.code, 1, `${JSON.stringify(args)}: ${r.out}`);
    for (const s of leaks(r.out)) found.push(`${JSON.stringify(args)} shows '${s}'`);
  }
  assertEquals(found, []);
});

Deno.test("secrets: library errors carry no password in message, stack, cause or inspection", async () => {
  const found: string[] = [];
  const check = (what: string, e: unknown, client: Client) => {
    const views = [
      String(e),
      (e as Error)?.stack ?? "",
      JSON.stringify(e),
      Deno.inspect(e, { depth: 10 }),
      Deno.inspect(client, { depth: 10 }),
      JSON.stringify(client),
    ];
    for (const v of views) for (const s of leaks(v)) found.push(`${what}: shows '${s}'`);
  };
  for (const [name, script] of SCRIPTS.slice(1)) {
    await using fake = await startFakeServer(script);
    const client = new Client("127.0.0.1", fake.port, {
      retry: { attempts: 1 },
      replyTimeoutMs: 500,
      env: envFrom({ ...JOB_ENV, ECF_HOST: "127.0.0.1" }),
      user: "alice",
    });
    client.setUserName("alice");
    client.setPassword(USER_PW);
    try {
      await client.ping();
      found.push(`${name}: ping did not fail`);
    } catch (e) {
      check(`${name} ping`, e, client);
    }
    learnCrypts(fake.requests);
  }
  assertEquals(found, []);
});

Deno.test("secrets: as real processes, stdout and stderr carry no password", async () => {
  await using fake = await startFakeServer([{ read: "frame" }, { write: CHILD_OK }, {
    close: true,
  }]);
  const env = { ECF_HOST: "127.0.0.1", ECF_PORT: String(fake.port), ...JOB_ENV };
  const runs = await Promise.all([
    ecflowTs(["--ping", "--user=alice", `--password=${USER_PW}`, "--attempts=1"], env),
    ecflowTs(["--event=e1"], env),
    ecflowTs([`-password=${USER_PW}`, "--ping"], env),
    ecflowTs(["--ping", `--port=${closedPort()}`, `--password=${USER_PW}`, "--attempts=1"], env),
  ]);
  learnCrypts(fake.requests);
  const found = runs.flatMap((r, i) => leaks(r.stdout + r.stderr).map((s) => `run ${i}: '${s}'`));
  assertEquals(found, []);
  assertEquals(runs[1].code, 0, runs[1].stderr); // the child command really went through
});
