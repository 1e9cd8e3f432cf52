/**
 * Bad-argument sweep: hundreds of malformed command lines, generated from the
 * CLI's own option table (so the sweep grows with every command added) plus
 * hand-written ones for today's grammar. Each must exit 1 with exactly one
 * line on stderr, print nothing on stdout, show no stack trace, and make no
 * connection: ECF_HOST/ECF_PORT point at a listener of ours that counts
 * accepted connections, and it must count zero. The hand-written vectors are
 * also run through the reference ecflow_client to confirm it rejects them
 * client-side too (or, where ecflow-ts is stricter, to record that).
 */
import { assert, assertEquals } from "./deps.ts";
import { ecflowClient, ecflowInstalled, ecflowTs } from "./harness/server.ts";
import { main } from "../cli.ts";
import { COMMANDS, MODIFIERS } from "../lib/cli/commands/mod.ts";
import type { OptionSpec } from "../lib/cli/args.ts";

/** A listener that counts connections and closes each at once. */
function countingListener() {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const state = { accepted: 0 };
  const done = (async () => {
    try {
      for await (const conn of listener) {
        state.accepted++;
        conn.close();
      }
    } catch { /* closed */ }
  })();
  return {
    port: (listener.addr as Deno.NetAddr).port,
    get accepted() {
      return state.accepted;
    },
    async [Symbol.asyncDispose]() {
      listener.close();
      await done;
    },
  };
}

/** A complete job environment, so child commands fail on their arguments, not on a missing variable. */
function jobEnv(port: number): Record<string, string> {
  return {
    ECF_HOST: "127.0.0.1",
    ECF_PORT: String(port),
    ECF_NAME: "/s/f/t",
    ECF_PASS: "jobpass1",
    ECF_RID: "4242",
    ECF_TRYNO: "1",
    ECF_TIMEOUT: "1",
  };
}

// ---------------------------------------------------------------- vectors from the table

const INJECTIONS = [
  "; rm -rf /",
  "$(reboot)",
  "`id`",
  "| cat /etc/passwd",
  "&& echo pwned",
  "../../../etc/passwd",
  "%ECF_PASS%",
  "\u202e\u0007\u001b[31m",
  "x".repeat(10_000),
];

const BAD_PORTS = [
  "0",
  "65536",
  "99999",
  "-1",
  "abc",
  "",
  "31 41",
  "3141;ls",
  "0x10",
  "1e3",
  "٣١٤١",
];
const BAD_HOSTS = ["", "$(reboot)", "a;b", "a b", "[::1", "http://x", "host:0", "`id`"];
const BAD_NUMBERS: [string, string][] = [
  ["attempts", "0"],
  ["attempts", "1.5"],
  ["attempts", "many"],
  ["retry-delay", "-1"],
  ["retry-delay", "soon"],
  ["connect-timeout", "0"],
  ["connect-timeout", "abc"],
  ["timeout", "-1"],
  ["timeout", "1e999"],
  ["timeout", ""],
];

/** Commands that never contact a server (they do not build a client). */
const OFFLINE = new Set(["help", "version"]);

function generatedVectors(commands: OptionSpec[], modifiers: OptionSpec[]): string[][] {
  const v: string[][] = [];
  const flagCommands = commands.filter((c) => c.arity === "flag" && !OFFLINE.has(c.name));
  for (const c of commands) {
    const n = c.name;
    v.push([`--${n}x`], [`-${n}`], [n], [`--${n.toUpperCase()}X`], [`--${n}`, "--no-such-option"]);
    if (c.arity === "flag") v.push([`--${n}=1`], [`--${n}`, "extra"]);
    if (c.arity === "value" || c.arity === "multi") v.push([`--${n}`]);
    if (c.arity === "value") v.push([`--${n}=v`, "x", "y"]);
    if (c.arity === "optional" || c.arity === "value") v.push([`--${n}=v`, "one", "two", "three"]);
    const other = n === "ping" ? "--version" : "--ping";
    v.push([c.arity === "flag" ? `--${n}` : `--${n}=x`, other]);
  }
  for (const c of flagCommands) {
    for (const p of BAD_PORTS) v.push([`--${c.name}`, `--port=${p}`]);
    for (const h of BAD_HOSTS) v.push([`--${c.name}`, `--host=${h}`]);
  }
  for (const m of modifiers) {
    v.push(["--ping", `--${m.name}x`], ["--ping", `-${m.name}`]);
    if (m.arity === "value" || m.arity === "multi") v.push(["--ping", `--${m.name}`]);
    if (m.arity === "flag") v.push(["--ping", `--${m.name}=yes`]);
    if (m.arity !== "multi") v.push(["--ping", `--${m.name}=1`, `--${m.name}=2`]);
    v.push([`--${m.name}=1`]); // a modifier alone is not a command
  }
  for (const [name, value] of BAD_NUMBERS) {
    if (modifiers.some((m) => m.name === name)) v.push(["--ping", `--${name}=${value}`]);
  }
  for (const s of INJECTIONS) {
    v.push([`--${s}`], [s], ["--ping", s], ["--ping", `--port=${s}`], ["--ping", `--host=${s}`]);
  }
  return v;
}

// ---------------------------------------------------------------- hand-written vectors

/** Rejected client-side by ecflow_client 5.9.2 as well (checked below). */
const HAND_BOTH_REJECT: string[][] = [
  [],
  ["ping"],
  ["-ping"],
  ["--"],
  ["---ping"],
  ["--ping", "--ping"],
  ["--Ping"],
  ["--ping=yes"],
  ["--port=3141", "--port=3142", "--ping"],
  ["--port"],
  ["--host"],
  ["--suspend"],
  ["--suspend="],
  ["--resume=relative"],
  ["--force=complete"],
  ["--force=nonsense", "/s"],
  ["--order=/s", "nonsense"],
  ["--news", "a", "b", "c"],
  ["--news=0 0 0"],
  ["--sync", "1"],
  ["--sync_full=abc"],
  ["--query", "nonsense", "/s"],
  ["--query"],
  ["--log=nonsense"],
  ["--log", "get", "abc"],
  ["--check_pt=abc"],
  ["--check_pt=-5"],
  ["--alter"],
  ["--alter", "add", "variable"],
  ["--alter", "bogus", "variable", "x", "y", "/s"],
  ["--load=/nonexistent/lab.def"],
  ["--event"],
  ["--event=e", "bogus"],
  ["--meter=m"],
  ["--meter=m", "x"],
  ["--label"],
  ["--init"],
  ["--init=not_the_rid"],
  ["--wait"],
  ["--queue"],
  ["--queue=q", "bogus"],
  ["--complete=x"],
  ["--zombie_fob"],
  ["--edit_script"],
  ["--group"],
  ["--group="],
  ["--ch_register"],
  ["--ch_drop=abc"],
  ["--file"],
  ["--file=/s", "bogus"],
  ["--plug=/s"],
  ["--msg"],
  ["--edit_history"],
  ["--requeue"],
  ["--delete"],
  ["--halt=bogus"],
  ["--terminate=bogus"],
  ["--shutdown=bogus"],
  ["--stats=x"],
  ["--version=1"],
  ["--ping; rm -rf /"],
  ["--port=3141;ls", "--ping"],
  ["--port=abc", "--ping"],
  ["--port=", "--ping"],
  ["--host=", "--ping"],
  ["--ping", "--port", "1 2"],
  ["--ping", "--timeout=0"],
  ["--ping", "--attempts=0"],
  ["--ping", "--json=1"],
  ["--ping", "--ssl=1"],
  ["--ping", "--add"],
];

/**
 * ecflow-ts rejects these before connecting; ecflow_client does not (it
 * ignores stray tokens, or tries an impossible host/port and fails to connect).
 */
const HAND_STRICTER: string[][] = [
  ["--ping", "extra"],
  ["--server_version", "x"],
  ["--begin=/s", "--suspend=/s"],
  ["--begin", "/s", "x"],
  ["--get_state=relative"],
  ["--msg=a", "b"],
  ["--abort=a", "b", "c"],
  ["--ch_drop_user=a", "b"],
  ["--ping", "--user"],
  ["--ping", "--password=x", "extra"],
  ["--port=0", "--ping"],
  ["--port=65536", "--ping"],
  ["--port=-1", "--ping"],
  ["--host=$(reboot)", "--ping"],
  ["--host=a;b", "--ping"],
  ["--host=../../etc/passwd", "--ping"],
  ["--host=localhost:99999", "--ping"],
];

// ---------------------------------------------------------------- checks

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

function problems(args: string[], r: Outcome, connections: number): string[] {
  const p: string[] = [];
  const where = JSON.stringify(args).slice(0, 120);
  if (r.code !== 1) p.push(`${where}: exit ${r.code}`);
  if (r.stdout !== "") p.push(`${where}: stdout ${JSON.stringify(r.stdout.slice(0, 80))}`);
  const lines = r.stderr.split("\n");
  if (lines.length !== 2 || lines[1] !== "" || lines[0].trim() === "") {
    p.push(`${where}: stderr is not one line: ${JSON.stringify(r.stderr.slice(0, 300))}`);
  }
  if (
    /\bat .*:\d+:\d+|^\s+at |Error: .*\n\s+at|TypeError|RangeError|ReferenceError/m.test(r.stderr)
  ) {
    p.push(`${where}: stack trace or internal error: ${JSON.stringify(r.stderr.slice(0, 300))}`);
  }
  if (r.stderr.length > 400) p.push(`${where}: stderr of ${r.stderr.length} characters`);
  if (connections !== 0) p.push(`${where}: made ${connections} connection(s)`);
  return p;
}

async function runInProcess(args: string[], env: Record<string, string>): Promise<Outcome> {
  let stdout = "";
  let stderr = "";
  const code = await main(args, {
    out: (t) => stdout += t,
    err: (t) => stderr += t,
    env: (name) => env[name],
  });
  return { code, stdout, stderr };
}

const GENERATED = generatedVectors(COMMANDS, MODIFIERS);
const ALL = [...HAND_BOTH_REJECT, ...HAND_STRICTER, ...GENERATED];

Deno.test(`bad args: ${ALL.length} malformed command lines in-process -> exit 1, one line, no connection`, async () => {
  await using listener = countingListener();
  const env = jobEnv(listener.port);
  const found: string[] = [];
  const t0 = performance.now();
  for (const args of ALL) {
    const before = listener.accepted;
    const start = performance.now();
    const r = await runInProcess(args, env);
    // let a stray connection, if any, be accepted before counting
    await new Promise((res) => setTimeout(res, 0));
    found.push(...problems(args, r, listener.accepted - before));
    const ms = performance.now() - start;
    if (ms > 2000) found.push(`${JSON.stringify(args)}: took ${ms.toFixed(0)} ms`);
  }
  const seconds = (performance.now() - t0) / 1000;
  console.log(
    `bad args: ${ALL.length} vectors (${GENERATED.length} generated from ${COMMANDS.length} ` +
      `commands and ${MODIFIERS.length} modifiers, ${
        HAND_BOTH_REJECT.length + HAND_STRICTER.length
      } ` +
      `hand-written) in ${seconds.toFixed(2)} s; connections accepted: ${listener.accepted}`,
  );
  assert(ALL.length >= 200, `only ${ALL.length} vectors`);
  assertEquals(found, []);
  assertEquals(listener.accepted, 0);
});

Deno.test("bad args: the counting listener does count (a valid --ping reaches it)", async () => {
  await using listener = countingListener();
  const r = await runInProcess(["--ping", "--attempts=1", "--timeout=2"], jobEnv(listener.port));
  assertEquals(r.code, 1); // the listener closes without replying
  assertEquals(listener.accepted, 1);
});

Deno.test({
  name: "bad args: ecflow_client rejects the hand-written vectors client-side too",
  ignore: !ecflowInstalled(),
  async fn() {
    await using listener = countingListener();
    const env = { ...jobEnv(listener.port), ECF_TIMEOUT: "600" };
    const found: string[] = [];
    for (const args of HAND_BOTH_REJECT) {
      const before = listener.accepted;
      const r = await ecflowClient(args, env);
      if (r.code !== 1) found.push(`${JSON.stringify(args)}: ecflow_client exit ${r.code}`);
      if (listener.accepted !== before) {
        found.push(`${JSON.stringify(args)}: ecflow_client connected`);
      }
    }
    assertEquals(found, []);
  },
});

Deno.test("bad args: a sample as real `deno run` processes -> exit 1, one line, no connection", async () => {
  await using listener = countingListener();
  const env = jobEnv(listener.port);
  // every 25th vector, plus ones that touch permissions (a file read without --allow-read)
  const sample = ALL.filter((_, i) => i % 25 === 0);
  sample.push(["--load=/etc/hostname"], ["--load=/nonexistent/lab.def"], ["--ping", "--port=0"]);
  const found: string[] = [];
  for (let i = 0; i < sample.length; i += 4) {
    const batch = sample.slice(i, i + 4);
    const before = listener.accepted;
    const results = await Promise.all(batch.map((args) => ecflowTs(args, env)));
    results.forEach((r, j) => found.push(...problems(batch[j], r, 0)));
    if (listener.accepted !== before) found.push(`${JSON.stringify(batch)}: connected`);
  }
  console.log(`bad args: ${sample.length} vectors run as processes`);
  assert(sample.length >= 15, `only ${sample.length} sampled`);
  assertEquals(found, []);
  assertEquals(listener.accepted, 0);
});
