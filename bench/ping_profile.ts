// Where one ping's time goes, from V8 CPU profiles: N sequential pings through `client.ping()`
// and N through the raw socket loop (the floor), each in its own child process under
// `--cpu-prof`, on a private real ecflow_server. Samples are put in buckets by the function on
// top of the stack (and, for JS, the module it belongs to); each bucket is printed in
// microseconds per ping for both, side by side. "waiting for the server" is the profile's idle
// time: the event loop had nothing to run (the request was out, the reply not yet in).
// Run: ../shared/jsr-offline/run deno run -A bench/ping_profile.ts [--pings=5000]
import { parseArgs } from "../lib/deps.ts";
import { Client } from "../mod.ts";
import { ctsCommand } from "../lib/requests/user.ts";
import { encodeRequest } from "../lib/wire/request.ts";
import { encodeFrame } from "../lib/wire/frame.ts";
import { userName } from "../lib/identity.ts";
import { readEnv } from "../lib/env.ts";
import { startServer } from "../tests/harness/server.ts";
import { rawExchange } from "./stats.ts";

const args = parseArgs(Deno.args, { string: ["pings", "loop", "port"] });
const PINGS = Number(args.pings ?? 5000);

if (args.loop) {
  // the child: warm up, then the profiled pings
  const port = Number(args.port);
  const client = new Client("127.0.0.1", port, { retry: { attempts: 1 } });
  const frame = encodeFrame(encodeRequest(ctsCommand("ping"), {
    kind: "user",
    user: { user: userName(readEnv), clientHost: client.hostName },
  }));
  const one = args.loop === "raw" ? () => rawExchange(port, frame) : () => client.ping();
  for (let i = 0; i < PINGS; i++) await one();
  Deno.exit(0);
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** The bucket of a sample, by the function on top of the stack and its callers. */
function bucket(stack: ProfileNode[]): string {
  const top = stack[0].callFrame;
  const name = top.functionName;
  if (name === "(idle)") return "waiting for the server (idle)";
  if (name === "(garbage collector)") return "garbage collection";
  if (name === "op_net_connect_tcp") return "connect (socket, connect, handshake)";
  if (name === "op_write" || name === "op_write_sync") return "write the request";
  if (name === "op_read") return "read the reply";
  if (name === "op_close" || name === "op_net_close") return "close";
  const inStack = (f: (n: ProfileNode) => boolean) => stack.some(f);
  if (
    inStack((n) =>
      n.callFrame.functionName === "decodeReply" || /JSON/.test(n.callFrame.functionName)
    )
  ) {
    return "decode the reply (UTF-8, JSON.parse, unwrap)";
  }
  if (inStack((n) => n.callFrame.functionName === "encodeRequest")) return "encode the request";
  if (top.url.includes("/lib/transport/")) return "transport (framing, deadline, errors)";
  if (top.url.includes("/lib/client/")) return "client (invoker, identity, retry rule)";
  if (top.url.startsWith("ext:") || top.url === "") {
    return "Deno runtime (promises, ops, event loop)";
  }
  return "everything else";
}

async function profile(port: number, loop: "ours" | "raw"): Promise<Map<string, number>> {
  const dir = await Deno.makeTempDir({ prefix: "ecflow-ts-prof." });
  const self = new URL(import.meta.url).pathname;
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      "--no-lock",
      "-A",
      "--cpu-prof",
      `--cpu-prof-dir=${dir}`,
      "--cpu-prof-interval=50",
      self,
      `--loop=${loop}`,
      `--port=${port}`,
      `--pings=${PINGS}`,
    ],
    stderr: "inherit",
  }).output();
  if (!out.success) throw new Error(`profiled ${loop} loop failed`);
  const file = [...Deno.readDirSync(dir)].find((e) => e.name.endsWith(".cpuprofile"))!;
  const p: Profile = JSON.parse(await Deno.readTextFile(`${dir}/${file.name}`));
  await Deno.remove(dir, { recursive: true });
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const buckets = new Map<string, number>();
  for (let i = 0; i < p.samples.length; i++) {
    const stack: ProfileNode[] = [];
    for (let id: number | undefined = p.samples[i]; id !== undefined; id = parent.get(id)) {
      stack.push(byId.get(id)!);
    }
    const k = bucket(stack);
    buckets.set(k, (buckets.get(k) ?? 0) + (p.timeDeltas[i] ?? 0));
  }
  return buckets;
}

await using server = await startServer();
const ours = await profile(server.port, "ours");
const raw = await profile(server.port, "raw");
const keys = [...new Set([...ours.keys(), ...raw.keys()])].sort((a, b) =>
  (ours.get(b) ?? 0) - (ours.get(a) ?? 0)
);
const us = (m: Map<string, number>, k: string) => ((m.get(k) ?? 0) / PINGS).toFixed(1);
const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0) / PINGS;
console.log(
  `one ping, µs per request from CPU profiles of ${PINGS} sequential pings each (whole child ` +
    `process: start-up included, ~1-2 µs per ping at this count) (Deno ${Deno.version.deno})`,
);
console.log("");
console.log("| where | `client.ping()` | raw socket loop |");
console.log("|---|---:|---:|");
for (const k of keys) console.log(`| ${k} | ${us(ours, k)} | ${us(raw, k)} |`);
console.log(`| **total** | **${total(ours).toFixed(1)}** | **${total(raw).toFixed(1)}** |`);
