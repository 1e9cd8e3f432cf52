/**
 * Never hurt the server. A 5.9.2 server aborts on a `CtsCmd` or `PathsCmd`
 * whose `api_` is 0 or out of range, and on an `extern` line in a load
 * (lab.md §8). These tests prove every public builder refuses hostile names
 * with a ConfigError before anything is encoded, that every name the tables
 * offer encodes in range, that externs never reach the wire, and, against a
 * real private server, that a storm of hostile CLI invocations and a load of
 * a definition full of externs leave it alive with a clean log.
 */
import { assert, assertEquals, assertStringIncludes } from "./deps.ts";
import { ecflowClient, startServer } from "./harness/server.ts";
import {
  alterCommand,
  checkPtCommand,
  clientHandleCommand,
  CTS_API,
  ctsCommand,
  ctsNodeCommand,
  editScriptCommand,
  encodeRequest,
  fileCommand,
  forceCommand,
  loadDefsCommand,
  logCommand,
  orderCommand,
  PATHS_API,
  pathsCommand,
  queryCommand,
  replaceCommand,
  requeueCommand,
  stripExterns,
  syncCommand,
  zombieCommand,
} from "../lib/wire/mod.ts";
import { type Command, ConfigError } from "../mod.ts";
import { CTS_NODE_API } from "../lib/wire/enums.ts";
import { COMMANDS } from "../lib/cli/commands/mod.ts";
import { main } from "../cli.ts";
import { Prng } from "./harness/prng.ts";

// deno-lint-ignore no-explicit-any
type Loose = any;

/** Every public builder that takes an enum by name, fed a name from outside. */
const ENUM_BUILDERS: [string, (name: Loose) => Command][] = [
  ["ctsCommand", (n) => ctsCommand(n)],
  ["ctsNodeCommand", (n) => ctsNodeCommand(n)],
  ["pathsCommand", (n) => pathsCommand(n, ["/s"])],
  ["syncCommand", (n) => syncCommand(n)],
  ["clientHandleCommand", (n) => clientHandleCommand(n)],
  ["checkPtCommand", (n) => checkPtCommand({ mode: n })],
  ["logCommand", (n) => logCommand(n)],
  ["zombieCommand", (n) => zombieCommand(n, ["/s/t"])],
  ["requeueCommand", (n) => requeueCommand(["/s"], n)],
  ["orderCommand", (n) => orderCommand("/s", n)],
  ["forceCommand", (n) => forceCommand(["/s"], n)],
  ["fileCommand", (n) => fileCommand("/s/t", n)],
  ["editScriptCommand", (n) => editScriptCommand("/s/t", n)],
  ["queryCommand", (n) => queryCommand(n, "/s")],
  [
    "alterCommand(add)",
    (n) => alterCommand("/s", { action: "add", kind: n, name: "x", value: "1" }),
  ],
  ["alterCommand(delete)", (n) => alterCommand("/s", { action: "delete", kind: n, name: "x" })],
  ["alterCommand(change)", (n) => alterCommand("/s", { action: "change", kind: n, name: "x" })],
  ["alterCommand(set_flag)", (n) => alterCommand("/s", { action: "set_flag", flag: n })],
  ["alterCommand(sort)", (n) => alterCommand("/s", { action: "sort", kind: n })],
  ["alterCommand(action)", (n) => alterCommand("/s", { action: n, kind: "variable", name: "x" })],
];

/** Names that are not in any table, and values that are not names at all. */
const HOSTILE: unknown[] = [
  "",
  "no_cmd",
  "NO_CMD",
  "0",
  "19",
  "99",
  "999",
  "-1",
  "__proto__",
  "constructor",
  "toString",
  "hasOwnProperty",
  "valueOf",
  "PING",
  " ping",
  "ping ",
  "ping\u0000",
  "suspend;terminate",
  "terminate\n",
  0,
  19,
  99,
  999,
  -1,
  0.5,
  NaN,
  Infinity,
  null,
  true,
  {},
  [],
  ["ping"],
];

Deno.test("never hurt: every enum builder refuses every hostile name with a ConfigError", () => {
  let refused = 0;
  const wrong: string[] = [];
  for (const [name, build] of ENUM_BUILDERS) {
    for (const h of HOSTILE) {
      try {
        const cmd = build(h);
        // Only a value that coerces to a real name (["ping"] -> "ping") or to the
        // default (null -> the default mode) may build, and then exactly that command.
        const same = (other: () => Command) => {
          try {
            return JSON.stringify(other()) === JSON.stringify(cmd);
          } catch {
            return false;
          }
        };
        if (!same(() => build(String(h))) && !same(() => build(undefined))) {
          wrong.push(`${name}(${JSON.stringify(h)}) built ${JSON.stringify(cmd.members)}`);
        } else refused++;
      } catch (e) {
        if (e instanceof ConfigError) refused++;
        else wrong.push(`${name}(${JSON.stringify(h)}) threw ${(e as Error)?.constructor?.name}`);
      }
    }
  }
  console.log(
    `never hurt: ${refused} hostile calls to ${ENUM_BUILDERS.length} builders: refused ` +
      "(or coerced to a real name, then built exactly that)",
  );
  assertEquals(wrong, []);
  assertEquals(refused, ENUM_BUILDERS.length * HOSTILE.length);
});

/** `api_` of the command inside an encoded request. */
function encodedApi(cmd: Command): number {
  const text = new TextDecoder().decode(
    encodeRequest(cmd, { kind: "user", user: { user: "u", clientHost: "h" } }),
  );
  const doc = JSON.parse(text);
  return doc["21ClientToServerRequest"].cmd_.ptr_wrapper.data.api_;
}

Deno.test("never hurt: every name the tables offer encodes inside the server's range", () => {
  // CtsCmd: 1..18 in 5.9.2 (0 = NO_CMD and >= 19 abort the server); PathsCmd: 1..8.
  const ranges: [string, Record<string, number>, number, number, (n: Loose) => Command][] = [
    ["CtsCmd", CTS_API, 1, 18, (n) => ctsCommand(n)],
    ["PathsCmd", PATHS_API, 1, 8, (n) => pathsCommand(n, ["/s"])],
    ["CtsNodeCmd", CTS_NODE_API, 1, 6, (n) => ctsNodeCommand(n)],
  ];
  let checked = 0;
  for (const [cls, table, lo, hi, build] of ranges) {
    const values = Object.values(table);
    assertEquals(new Set(values).size, values.length, `${cls}: duplicate values`);
    for (const [name, value] of Object.entries(table)) {
      assert(value >= lo && value <= hi, `${cls} ${name} = ${value} is outside ${lo}..${hi}`);
      assertEquals(encodedApi(build(name)), value, `${cls} ${name}`);
      checked++;
    }
  }
  assertEquals(checked, 18 + 8 + 6);
});

/** Lines the server would read as an extern: split on \n, leading blanks skipped, first word. */
function serverSeesExtern(text: string): boolean {
  return text.split("\n").some((line) =>
    line.replace(/^[ \t]+/, "").split(/[ \t\r]/)[0] === "extern"
  );
}

Deno.test("never hurt: extern lines never reach the wire (load, replace, random layouts)", () => {
  const p = new Prng(0xe87e);
  const body = ["suite s", "  family f", "    task t", "  endfamily", "endsuite"];
  let texts = 0;
  for (let i = 0; i < 2000; i++) {
    const lines = [...body];
    for (let k = p.range(1, 4); k > 0; k--) {
      const lead = p.pick(["", " ", "  ", "\t", " \t "]);
      const tail = p.pick([" /a/b", " /a/b:ev", " /x", "", "\t/y", " /z # comment"]);
      lines.splice(p.int(lines.length + 1), 0, `${lead}extern${tail}`);
    }
    const eol = p.pick(["\n", "\r\n"]);
    const text = lines.join(eol) + p.pick([eol, ""]);
    assert(serverSeesExtern(text), "the generator must produce externs");
    for (
      const cmd of [
        loadDefsCommand(text, { fileName: "x.def" }),
        loadDefsCommand(text, { force: true }),
        replaceCommand("/s", text),
      ]
    ) {
      const payload = JSON.parse(
        new TextDecoder().decode(
          encodeRequest(cmd, { kind: "user", user: { user: "u", clientHost: "h" } }),
        ),
      );
      const data = payload["21ClientToServerRequest"].cmd_.ptr_wrapper.data;
      const defs = data.defs_ ?? data.clientDefs_;
      assertEquals(typeof defs, "string");
      assert(!serverSeesExtern(defs), `extern left in ${JSON.stringify(defs)}`);
      assert(defs.includes("task t"), "the definition itself must survive");
      texts++;
    }
  }
  assertEquals(stripExterns("externs_are_not_externs\n"), "externs_are_not_externs\n");
  assertEquals(texts, 6000);
});

// ---------------------------------------------------------------- the real server

/** Hostile values for every CLI command's option: enum games and injection. */
const HOSTILE_WORDS = [
  "NO_CMD",
  "0",
  "999",
  "-1",
  "__proto__",
  "constructor",
  "19",
  "; --terminate",
];

const DEFS_WITH_EXTERNS = [
  "extern /other/task",
  "extern /other:ev",
  "  extern /other/fam/t2",
  "suite never_hurt",
  "  family f",
  "    task t",
  "      trigger /other/task == complete",
  "  endfamily",
  "endsuite",
  "extern /trailing",
  "\textern /late/one",
  "",
].join("\n");

Deno.test("never hurt: a real server survives hostile CLI calls and a load full of externs", async () => {
  await using server = await startServer({
    halted: true,
    files: { "externs.def": DEFS_WITH_EXTERNS },
  });
  const env: Record<string, string> = { ECF_HOST: "127.0.0.1", ECF_PORT: String(server.port) };
  const io = (sink: string[]) => ({
    out: (t: string) => void sink.push(t),
    err: (t: string) => void sink.push(t),
    env: (n: string) => env[n],
  });

  // 1. every command with every hostile word, in both spellings, in-process
  let calls = 0;
  for (const c of COMMANDS) {
    if (c.name === "terminate" || c.name === "halt" || c.name === "shutdown") continue;
    for (const w of HOSTILE_WORDS) {
      for (const args of [[`--${c.name}=${w}`], [`--${c.name}`, w, w], [`--${c.name}=/s`, w]]) {
        await main([...args, "--attempts=1", "--timeout=5"], io([]));
        calls++;
      }
    }
  }
  // 2. the destructive ones with hostile confirmations: refused before connecting
  for (const c of ["terminate", "halt", "shutdown"]) {
    for (const w of HOSTILE_WORDS) {
      const out: string[] = [];
      assertEquals(await main([`--${c}=${w}`], io(out)), 1, `--${c}=${w}: ${out.join("")}`);
      calls++;
    }
  }
  assert(await server.alive(), `server died during ${calls} hostile CLI calls`);

  // 3. a load full of externs, through the CLI and through the library
  const out: string[] = [];
  const code = await main([`--load=${server.home}/externs.def`], io(out));
  assertEquals(code, 0, out.join(""));
  assert(await server.alive(), "the server died on a load with externs");
  const client = server.client();
  await client.load({ text: DEFS_WITH_EXTERNS.replace("never_hurt", "never_hurt2") });
  assert(await server.alive(), "the server died on a library load with externs");
  const got = await ecflowClient(["--host=127.0.0.1", `--port=${server.port}`, "--get"]);
  assertEquals(got.code, 0, got.stderr);
  assert(got.stdout.includes("suite never_hurt"), got.stdout);
  assert(got.stdout.includes("suite never_hurt2"), got.stdout);

  // 4. nothing undecodable was ever sent
  const log = [...Deno.readDirSync(server.home)].find((f) => f.name.endsWith(".ecf.log"));
  assert(log, "no server log found");
  const text = Deno.readTextFileSync(`${server.home}/${log.name}`);
  const bad = text.split("\n").filter((l) =>
    /Unable to decode|invalid header|Assertion|unregistered polymorphic/i.test(l)
  );
  assertEquals(bad, [], "the server log shows a request it could not decode");
  const served = text.split("\n").filter((l) => /^(MSG|ERR):\[[^\]]+\] --/.test(l)).length;
  assert(served > 20, `only ${served} requests reached the server: the sweep is not exercising it`);
  console.log(
    `never hurt: ${calls} hostile CLI calls (${served} requests reached the server) and 2 ` +
      "extern loads; server alive, log clean",
  );
});

/**
 * Found by this suite: `CSyncCmd SYNC_FULL` with a client handle the server
 * does not know (`ecflow_client --sync_full=999`, or a library sync after the
 * handle was dropped) makes 5.9.2 dereference a null defs pointer
 * (`SSyncCmd::full_sync` after `ClientSuiteMgr::create_defs` returns null) and
 * die; ecflow_client does the same. Client.invoke checks the handle with
 * ch_suites first and refuses.
 */
Deno.test({
  name: "never hurt: --sync_full=<unregistered handle> (which kills a 5.9.2 server) is not sent",
  async fn() {
    await using server = await startServer({ halted: true });
    const env: Record<string, string> = { ECF_HOST: "127.0.0.1", ECF_PORT: String(server.port) };
    const sink: string[] = [];
    const code = await main(["--sync_full=999", "--attempts=1"], {
      out: (t) => void sink.push(t),
      err: (t) => void sink.push(t),
      env: (n) => env[n],
    });
    assertEquals(code, 1, sink.join(""));
    assertStringIncludes(sink.join(""), "handle(999) does not exist in server");
    assert(await server.alive(), "--sync_full=999 killed the server");
    // a registered handle still syncs
    const client = server.client();
    const handle = await client.request(
      clientHandleCommand("ch_register", { autoAddNewSuites: true }),
    );
    assert(handle > 0);
    const sync = await client.request(syncCommand("sync_full", handle));
    assertEquals(sync.full, true);
    assert(await server.alive());
  },
});
