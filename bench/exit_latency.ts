// Exit latency: how long a client process takes, after the last byte of the server's reply
// has been handed to it, until its parent's wait returns. A job's `tail.h` runs
// `ecflow_client --complete` and bash then reads on in the job file the server may already be
// rewriting for the next iteration of a repeat (see tests/job_race.test.ts): this interval is
// how long that window stays open.
//
// A loopback relay in this process sits in front of a private real ecflow_server; it forwards
// the client's request and the server's framed reply and timestamps the moment it has written
// the reply's last byte. This process is also the client's parent: the interval ends when its
// wait for the child returns. Both clocks are this process's performance.now().
//
// Measured for --ping, --label and --complete, in the same run and interleaved:
//   ecflow_client           the reference client of the server's generation
//   ecflow-ts wrapper       the README's drop-in `ecflow_client` (tools/compile.ts wrapperScript,
//                           sh exec'ing deno run cli.ts with the wrapper's flags)
//   ecflow-ts deno run      deno run cli.ts with the wrapper's flags and permissions
//   ecflow-ts, plain        deno run cli.ts without those flags
//   deno floor              a raw-socket Deno script sending the same request bytes (Deno's own
//                           cost of reading the reply and exiting, with the wrapper's flags)
// Ratios are of medians to ecflow_client's median. The machine is shared: run it twice.
//
// Run: ../shared/jsr-offline/run deno run -A bench/exit_latency.ts [--runs=40] [--generation=5.9|5.17]
import { parseArgs } from "../lib/deps.ts";
import {
  decodeHeader,
  encodeFrame,
  encodeRequest,
  HEADER_SIZE,
  labelCommand,
} from "../lib/wire/mod.ts";
import { ecflowPrograms, freeServerPort, type Generation } from "../tests/harness/server.ts";
import { jobEnv, median, startJobServer } from "./stats.ts";
import {
  WRAPPER_PERMISSIONS,
  WRAPPER_RUN_FLAGS as WRAPPER,
  wrapperScript,
} from "../tools/compile.ts";

const args = parseArgs(Deno.args, {
  string: ["runs", "generation", "flags", "only"],
  boolean: ["busy"],
});
// --flags="..." tries other deno run flags in place of the wrapper's
const WRAPPER_RUN_FLAGS = args.flags === undefined
  ? WRAPPER
  : args.flags.split(/\s+/).filter(Boolean);
const RUNS = Number(args.runs ?? 40);
const GENERATION = (args.generation ?? "5.9") as Generation;
const programs = ecflowPrograms(GENERATION);
const dec = new TextDecoder();

const jobServer = await startJobServer(GENERATION);
await using server = jobServer.server;
const { ref } = jobServer;

// ---- the relay: forwards both ways, timestamps the last byte of each framed reply it writes
let lastReplyByteAt = 0;
const relayPort = freeServerPort();
const listener = Deno.listen({ hostname: "127.0.0.1", port: relayPort });
async function writeAll(c: Deno.Conn, p: Uint8Array) {
  for (let off = 0; off < p.length;) off += await c.write(p.subarray(off));
}
async function relay(client: Deno.Conn) {
  const upstream = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
  const up = (async () => {
    const buf = new Uint8Array(64 * 1024);
    for (let n; (n = await client.read(buf).catch(() => null)) !== null;) {
      await writeAll(upstream, buf.subarray(0, n));
    }
    try {
      upstream.closeWrite();
    } catch { /* closed */ }
  })();
  const down = (async () => {
    const buf = new Uint8Array(64 * 1024);
    let header = new Uint8Array(0);
    let left = -1; // bytes of the current frame still to forward (-1: reading its header)
    for (let n; (n = await upstream.read(buf).catch(() => null)) !== null;) {
      let chunk = buf.subarray(0, n);
      while (chunk.length > 0) {
        if (left < 0) {
          const take = Math.min(HEADER_SIZE - header.length, chunk.length);
          header = new Uint8Array([...header, ...chunk.subarray(0, take)]);
          await writeAll(client, chunk.subarray(0, take));
          chunk = chunk.subarray(take);
          if (header.length === HEADER_SIZE) left = decodeHeader(header);
        } else {
          const take = Math.min(left, chunk.length);
          await writeAll(client, chunk.subarray(0, take));
          chunk = chunk.subarray(take);
          left -= take;
        }
        if (left === 0) {
          lastReplyByteAt = performance.now();
          header = new Uint8Array(0);
          left = -1;
        }
      }
    }
  })();
  await Promise.allSettled([up, down]);
  client.close();
  upstream.close();
}
(async () => {
  for await (const c of listener) relay(c).catch(() => {});
})();

// ---- the clients
const cli = new URL("../cli.ts", import.meta.url).pathname;
const floorScript = await Deno.makeTempFile({ suffix: ".ts" });
await Deno.writeTextFile(
  floorScript,
  `const req = Uint8Array.from(atob(Deno.args[0]), (c) => c.charCodeAt(0));
const c = await Deno.connect({ hostname: "127.0.0.1", port: Number(Deno.args[1]) });
for (let off = 0; off < req.length;) off += await c.write(req.subarray(off));
const buf = new Uint8Array(65536);
let got = 0, need = 8;
while (got < need) {
  const n = await c.read(buf.subarray(got));
  if (n === null) Deno.exit(1);
  got += n;
  if (need === 8 && got >= 8) need = 8 + parseInt(new TextDecoder().decode(buf.subarray(0, 8)), 16);
}
c.close();
Deno.exit(0);
`,
);
const net = `--allow-net=127.0.0.1:${relayPort}`;
const env = "--allow-env=ECF_*,NO_ECF";
const deno = Deno.execPath();
type Client = { name: string; cmd: (a: string[]) => string[] };
const wrapper = `${await Deno.makeTempDir()}/ecflow_client`;
await Deno.writeTextFile(wrapper, wrapperScript(cli, deno));
await Deno.chmod(wrapper, 0o755);
const perms = WRAPPER_PERMISSIONS.map((p) => p.startsWith("--allow-net") ? net : p);
const clients: Client[] = [
  { name: "ecflow_client", cmd: (a) => [programs.client, ...a] },
  { name: "ecflow-ts wrapper", cmd: (a) => [wrapper, ...a] },
  {
    name: "ecflow-ts deno run",
    cmd: (a) => [deno, "run", ...WRAPPER_RUN_FLAGS, "--no-lock", ...perms, cli, ...a],
  },
  {
    name: "ecflow-ts, plain",
    cmd: (a) => [deno, "run", "--quiet", "--no-prompt", "--no-lock", net, env, cli, ...a],
  },
];

// The floor's request: the same --label, framed, as ecflow-ts encodes it.
const labelFrame = encodeFrame(encodeRequest(labelCommand("/x/t", "l", "floor"), {
  kind: "task",
  task: { clientHost: "localhost", path: "/x/t", jobsPassword: "FREE", remoteId: "4242", tryNo: 1 },
}));
const floor: Client = {
  name: "deno floor",
  cmd: () => [
    deno,
    "run",
    ...WRAPPER_RUN_FLAGS,
    "--no-lock",
    net,
    floorScript,
    btoa(String.fromCharCode(...labelFrame)),
    String(relayPort),
  ],
};

const childEnv = jobEnv(relayPort);

const COMMANDS: Record<string, { args: string[]; before?: () => Promise<void> }> = {
  "--ping": { args: ["--ping"] },
  "--label": { args: ["--label=l", "exit", "latency"] },
  "--complete": { args: ["--complete"], before: () => ref("--requeue", "/x/t") },
};

/** One run: [interval from the reply's last byte to the wait's return, whole process] in ms. */
async function once(cmd: string[]): Promise<[number, number]> {
  lastReplyByteAt = 0;
  const t0 = performance.now();
  // stdout and stderr to /dev/null, as a job's go to its output file: a pipe would make the
  // wait include whoever else holds it
  const options = { args: cmd.slice(1), env: childEnv, clearEnv: true, stdin: "null" } as const;
  const status = await new Deno.Command(cmd[0], { ...options, stdout: "null", stderr: "null" })
    .spawn().status;
  const end = performance.now();
  if (!status.success) {
    const again = await new Deno.Command(cmd[0], { ...options, stderr: "piped" }).output();
    throw new Error(`${cmd.join(" ")}: exit ${status.code}: ${dec.decode(again.stderr)}`);
  }
  if (lastReplyByteAt === 0) throw new Error(`${cmd.join(" ")}: no reply went through the relay`);
  return [end - lastReplyByteAt, end - t0];
}

// --busy: one busy process per core during the measurement (the race test's condition)
const busy = args.busy
  ? Array.from(
    { length: navigator.hardwareConcurrency },
    () => new Deno.Command("bash", { args: ["-c", "while :; do :; done"] }).spawn(),
  )
  : [];
const who = [...clients, floor];
const results = new Map<string, { exit: number[]; whole: number[] }>();
for (const [label, c] of Object.entries(COMMANDS)) {
  if (args.only && !args.only.split(",").includes(label)) continue; // --only=--label,--ping
  const runners = label === "--label" ? who : clients;
  for (const r of runners) await once(r.cmd(c.args)).catch(() => once(r.cmd(c.args))); // warm
  for (let i = 0; i < RUNS; i++) {
    for (const r of runners) {
      await c.before?.();
      const [exit, whole] = await once(r.cmd(c.args));
      const key = `${label} ${r.name}`;
      const slot = results.get(key) ?? { exit: [], whole: [] };
      slot.exit.push(exit);
      slot.whole.push(whole);
      results.set(key, slot);
    }
  }
}

for (const p of busy) {
  p.kill("SIGKILL");
  await p.status;
}
const f = (n: number) => n.toFixed(2).padStart(6);
console.log(
  `ecflow_server ${GENERATION} via a loopback relay; ${RUNS} interleaved runs each; ` +
    `${navigator.hardwareConcurrency} cores, load ${
      Deno.loadavg().map((x) => x.toFixed(2)).join(" ")
    }`,
);
console.log(`ecflow-ts wrapper flags: ${WRAPPER_RUN_FLAGS.join(" ")}\n`);
console.log(
  "command     client              reply->wait returned (median, p90)   ratio   whole process",
);
for (const label of Object.keys(COMMANDS)) {
  if (!results.has(`${label} ecflow_client`)) continue;
  const base = median(results.get(`${label} ecflow_client`)!.exit);
  for (const r of who) {
    const slot = results.get(`${label} ${r.name}`);
    if (!slot) continue;
    const s = [...slot.exit].sort((a, b) => a - b);
    console.log(
      `${label.padEnd(11)} ${r.name.padEnd(18)} ${f(median(slot.exit))} ms ${
        f(s[Math.floor(s.length * 0.9)])
      } ms           ${(median(slot.exit) / base).toFixed(2).padStart(5)}x  ${
        f(median(slot.whole))
      } ms`,
    );
  }
}
listener.close();
await Deno.remove(floorScript);
await Deno.remove(wrapper.slice(0, wrapper.lastIndexOf("/")), { recursive: true });
