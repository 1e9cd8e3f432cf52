/**
 * Never hurt the server, as a property over the whole CLI: thousands of
 * random command lines (every command of the table, random words from the
 * grammar's vocabulary and hostile ones) run in-process against a fake server
 * that records each request. Whatever reaches the wire must be inside the
 * envelope a 5.9.2 server survives: `CtsCmd.api_` in 1..18, `PathsCmd.api_`
 * in 1..8, no `extern` line in a load or replace, every request decodable
 * JSON of the right envelope.
 */
import { assert, assertEquals } from "./deps.ts";
import { Prng, seedFromEnv } from "./harness/prng.ts";
import { startFakeServer } from "./harness/fake_server.ts";
import { COMMANDS } from "../lib/cli/commands/mod.ts";
import { main } from "../cli.ts";
import { ECFLOW_FIXTURES } from "./captures.ts";

const SEED = seedFromEnv(0x5afe);
const LINES = Number(Deno.env.get("NEVER_HURT_LINES") ?? 20_000);
const OK_REPLY = Deno.readFileSync(`${ECFLOW_FIXTURES}/captures/02-ping-halted/response.bin`);

/** Left out: the commands that would end the fake's usefulness for nothing. */
const EXCLUDED = new Set(["help", "version"]);

function vocabulary(defsWithExterns: string): string[] {
  return [
    "/",
    "/s",
    "/s/f",
    "/s/f/t",
    "/s/f/t:ev",
    "s",
    "0",
    "1",
    "2",
    "19",
    "99",
    "999",
    "-1",
    "1e9",
    "yes",
    "no",
    "force",
    "set",
    "clear",
    "true",
    "false",
    "NO_CMD",
    "no_cmd",
    "__proto__",
    "constructor",
    "get",
    "new",
    "flush",
    "path",
    "top",
    "alpha",
    "up",
    "complete",
    "active",
    "aborted",
    "queued",
    "variable",
    "event",
    "meter",
    "label",
    "limit",
    "add",
    "change",
    "delete",
    "sort",
    "set_flag",
    "late",
    "script",
    "job",
    "edit",
    "pre_process",
    "submit",
    "trigger",
    "state",
    "dstate",
    "repeat",
    "abort",
    "parent",
    "recursive",
    "full",
    "on_time",
    "always",
    "never",
    "fob",
    "kill",
    "get; show",
    "suspend=/s; resume=/s",
    "extern /a/b",
    defsWithExterns,
    "x".repeat(300),
  ];
}

function randomLine(p: Prng, words: string[]): string[] {
  const cmd = p.pick(COMMANDS.filter((c) => !EXCLUDED.has(c.name)));
  const tokens = Array.from({ length: p.int(5) }, () => p.pick(words));
  if (tokens.length > 0 && p.chance(0.6)) {
    return [`--${cmd.name}=${tokens[0]}`, ...tokens.slice(1)];
  }
  return [`--${cmd.name}`, ...tokens];
}

/** Checks one recorded request against the crash envelope; returns the problems. */
function violations(payload: Uint8Array): string[] {
  let doc: unknown;
  try {
    doc = JSON.parse(new TextDecoder().decode(payload));
  } catch {
    return ["not JSON"];
  }
  const root = (doc as Record<string, Record<string, unknown>>)["21ClientToServerRequest"];
  if (!root || typeof root !== "object" || !("cmd_" in root)) return ["no cmd_ envelope"];
  const problems: string[] = [];
  const names = new Map<number, string>();
  const stack: unknown[] = [root.cmd_];
  while (stack.length > 0) {
    const v = stack.pop();
    if (Array.isArray(v)) {
      stack.push(...v);
      continue;
    }
    if (v === null || typeof v !== "object") continue;
    const o = v as Record<string, unknown>;
    if (typeof o.polymorphic_id === "number") {
      const id = o.polymorphic_id & 0x7fffffff;
      if (typeof o.polymorphic_name === "string") names.set(id, o.polymorphic_name);
      const cls = names.get(id) ?? "?";
      const data = (o.ptr_wrapper as Record<string, unknown> | undefined)?.data as
        | Record<string, unknown>
        | undefined;
      if (data) {
        const api = data.api_ as number;
        if (cls === "CtsCmd" && !(api >= 1 && api <= 18)) problems.push(`CtsCmd api_ ${api}`);
        if (cls === "PathsCmd" && !(api >= 1 && api <= 8)) problems.push(`PathsCmd api_ ${api}`);
        if (cls === "CSyncCmd" && api === 2 && data.client_handle_ !== 0) {
          problems.push(`CSyncCmd SYNC_FULL with handle ${data.client_handle_}`);
        }
        for (const key of ["defs_", "clientDefs_"]) {
          const text = data[key];
          if (
            typeof text === "string" &&
            text.split("\n").some((l) => l.replace(/^[ \t]+/, "").split(/[ \t\r]/)[0] === "extern")
          ) problems.push(`${cls}.${key} carries an extern line`);
        }
      }
    }
    stack.push(...Object.values(o));
  }
  if (names.size === 0) problems.push("no command class");
  return problems;
}

Deno.test(`never hurt (property): ${LINES} random command lines send nothing that crashes a 5.9.2 server`, async () => {
  const dir = await Deno.makeTempDir({ prefix: "ecflow-ts-never-hurt." });
  try {
    const defs = `${dir}/externs.def`;
    await Deno.writeTextFile(
      defs,
      "extern /a/b\nsuite s\n  family f\n    task t\n      event ev\n  endfamily\nendsuite\n  extern /c\n",
    );
    const words = vocabulary(defs);
    await using fake = await startFakeServer([{ read: "frame" }, { write: OK_REPLY }, {
      close: true,
    }]);
    const env: Record<string, string> = {
      ECF_HOST: "127.0.0.1",
      ECF_PORT: String(fake.port),
      ECF_NAME: "/s/f/t",
      ECF_PASS: "pw",
      ECF_RID: "1",
      ECF_TRYNO: "1",
      ECF_TS_CHILD_RETRY_MS: "10",
      ECF_TS_CHILD_NEXT_HOST_MS: "10",
      ECF_TS_CHILD_TIMEOUT_MS: "500",
      ECF_TS_CHILD_ZOMBIE_TIMEOUT_MS: "500",
    };
    const p = new Prng(SEED);
    const found: string[] = [];
    const exits = new Map<number, number>();
    const t0 = performance.now();
    for (let i = 0; i < LINES; i++) {
      const line = randomLine(p, words);
      const before = fake.requests.length;
      const code = await main([...line, "--attempts=1", "--timeout=2"], {
        out: () => {},
        err: () => {},
        env: (n) => env[n],
      });
      exits.set(code, (exits.get(code) ?? 0) + 1);
      for (const req of fake.requests.slice(before)) {
        for (const v of violations(req)) {
          found.push(`${JSON.stringify(line).slice(0, 160)}: ${v}`);
        }
      }
    }
    const sent = fake.requests.length;
    console.log(
      `never hurt (property): ${LINES} lines, seed ${SEED}, ${sent} requests sent and checked, ` +
        `exit codes ${JSON.stringify(Object.fromEntries(exits))}, ` +
        `${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    assertEquals(
      found.slice(0, 20),
      [],
      `${found.length} violations; replay with FUZZ_SEED=${SEED}`,
    );
    assert(sent > LINES / 10, `only ${sent} requests reached the wire: the sweep is too weak`);
    assert((exits.get(0) ?? 0) > 0 && (exits.get(1) ?? 0) > 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("never hurt (property): the envelope check itself catches each crash shape", () => {
  const req = (cls: string, data: Record<string, unknown>) =>
    new TextEncoder().encode(JSON.stringify({
      "21ClientToServerRequest": {
        cmd_: { polymorphic_id: 0x80000001, polymorphic_name: cls, ptr_wrapper: { id: 1, data } },
      },
    }));
  assertEquals(violations(req("CtsCmd", { api_: 8 })), []);
  assertEquals(violations(req("CtsCmd", { api_: 0 })), ["CtsCmd api_ 0"]);
  assertEquals(violations(req("CtsCmd", { api_: 19 })), ["CtsCmd api_ 19"]);
  assertEquals(violations(req("PathsCmd", { api_: 99 })), ["PathsCmd api_ 99"]);
  assertEquals(violations(req("CSyncCmd", { api_: 2, client_handle_: 7 })), [
    "CSyncCmd SYNC_FULL with handle 7",
  ]);
  assertEquals(violations(req("LoadDefsCmd", { defs_: "suite s\n extern /x\n" })), [
    "LoadDefsCmd.defs_ carries an extern line",
  ]);
  assertEquals(violations(new TextEncoder().encode("{}")), ["no cmd_ envelope"]);
});
