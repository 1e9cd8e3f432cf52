/**
 * Seeded network chaos, checked against a model. Each case takes a real
 * 5.9.2 reply frame, damages it (truncation, header garbage, junk, …),
 * delivers it in random chunks with random pauses, then closes or goes
 * silent. A pure model of the transport (the frame rules + `decodeReply`)
 * predicts the outcome: the exact decoded reply, a ServerError, or which
 * typed error. The real client over a real socket must agree, every time,
 * and within its deadline.
 */
import { assert, assertEquals } from "./deps.ts";
import { Prng, seedFromEnv } from "./harness/prng.ts";
import { startFakeServer, type Step } from "./harness/fake_server.ts";
import {
  Client,
  ConnectionError,
  envFrom,
  ProtocolError,
  ServerError,
  TimeoutError,
} from "../mod.ts";
import { ctsCommand, decodeHeader, decodeReply, rawRequest } from "../lib/wire/mod.ts";
import { DEFAULT_LIMITS } from "../lib/transport/mod.ts";
import { ECFLOW_FIXTURES } from "./captures.ts";

const SEED = seedFromEnv(0xc4a05);
const CASES = Number(Deno.env.get("CHAOS_CASES") ?? 300);
/** The reply deadline of every case (ms); a silent end must take this long, no longer. */
const DEADLINE_MS = 400;
const SLACK_MS = 3000;

function loadReplies(): Uint8Array[] {
  const out: Uint8Array[] = [];
  const root = `${ECFLOW_FIXTURES}/captures`;
  for (const d of [...Deno.readDirSync(root)].map((e) => e.name).sort()) {
    try {
      const bytes = Deno.readFileSync(`${root}/${d}/response.bin`);
      if (bytes.length > 8) out.push(bytes);
    } catch { /* not a capture folder */ }
  }
  return out;
}

type Outcome =
  | { kind: "reply"; reply: unknown }
  | { kind: "ServerError" }
  | { kind: "ConnectionError" }
  | { kind: "TimeoutError" }
  | { kind: "ProtocolError" };

/** What the transport + decoder must make of `bytes` followed by a close (or silence). */
function model(bytes: Uint8Array, silentEnd: boolean): Outcome {
  const cut = silentEnd ? { kind: "TimeoutError" as const } : { kind: "ConnectionError" as const };
  if (bytes.length < 8) return cut;
  const header = bytes.subarray(0, 8);
  if ((header[0] === 0x15 || header[0] === 0x16) && header[1] === 0x03) {
    return { kind: "ProtocolError" };
  }
  let length: number;
  try {
    length = decodeHeader(header);
  } catch {
    return { kind: "ProtocolError" };
  }
  if (length > DEFAULT_LIMITS.maxReplyBytes) return { kind: "ProtocolError" };
  if (bytes.length - 8 < length) return cut;
  try {
    const reply = decodeReply(bytes.subarray(8, 8 + length));
    return reply.kind === "error" ? { kind: "ServerError" } : { kind: "reply", reply };
  } catch {
    return { kind: "ProtocolError" };
  }
}

interface Case {
  no: number;
  damage: string;
  bytes: Uint8Array;
  silentEnd: boolean;
  script: Step[];
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

function makeCase(p: Prng, no: number, replies: Uint8Array[]): Case {
  const frame = p.pick(replies);
  const enc = new TextEncoder();
  const damages: Record<string, () => Uint8Array> = {
    intact: () => frame,
    truncated: () => frame.subarray(0, p.int(frame.length)),
    shortHeader: () => frame.subarray(0, p.int(8)),
    trailingJunk: () => concat(frame, p.bytes(p.range(1, 64))),
    randomHeader: () => concat(p.bytes(8), frame.subarray(8)),
    headerOffByN: () => {
      const length = frame.length - 8 + p.range(-40, 40);
      const h = enc.encode(Math.max(0, length).toString(16).padStart(8, " "));
      return concat(h, frame.subarray(8));
    },
    bodyFlip: () => {
      const b = frame.slice();
      b[8 + p.int(b.length - 8)] ^= 1 << p.int(8);
      return b;
    },
    tlsAlert: () => Uint8Array.of(0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28, 0x00),
    empty: () => new Uint8Array(0),
  };
  const damage = p.pick(Object.keys(damages));
  const bytes = damages[damage]();
  const silentEnd = p.chance(0.25);
  // deliver in random chunks with random pauses (at most ~60 ms in all)
  const script: Step[] = [{ read: "frame" }];
  let off = 0;
  let pauses = 0;
  while (off < bytes.length) {
    const n = p.chance(0.3) ? p.range(1, 8) : p.range(1, 400);
    script.push({ write: bytes.subarray(off, off + n) });
    off += n;
    if (pauses < 6 && p.chance(0.2)) {
      script.push({ sleep: p.range(1, 10) });
      pauses++;
    }
  }
  script.push(silentEnd ? { hold: true } : { close: true });
  return { no, damage, bytes, silentEnd, script };
}

async function runCase(c: Case): Promise<{ outcome: Outcome; ms: number; detail: string }> {
  await using fake = await startFakeServer(c.script);
  const client = new Client("127.0.0.1", fake.port, {
    retry: { attempts: 1 },
    connectTimeoutMs: DEADLINE_MS,
    replyTimeoutMs: DEADLINE_MS,
    env: envFrom({}),
    user: "chaos",
    clientHost: "localhost",
  });
  const t0 = performance.now();
  try {
    const reply = await client.request(rawRequest(ctsCommand("ping")));
    return { outcome: { kind: "reply", reply }, ms: performance.now() - t0, detail: "" };
  } catch (e) {
    const ms = performance.now() - t0;
    const detail = `${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`;
    for (const cls of [ServerError, ConnectionError, TimeoutError, ProtocolError]) {
      if (e instanceof cls) return { outcome: { kind: cls.name } as Outcome, ms, detail };
    }
    return { outcome: { kind: "other" } as unknown as Outcome, ms, detail };
  }
}

Deno.test(`chaos: ${CASES} damaged, chunked deliveries of real replies agree with the model`, async () => {
  const replies = loadReplies();
  assert(replies.length >= 80, `${replies.length} replies`);
  const p = new Prng(SEED);
  const cases = Array.from({ length: CASES }, (_, i) => makeCase(p, i, replies));
  const found: string[] = [];
  const tally = new Map<string, number>();
  const t0 = performance.now();
  for (let i = 0; i < cases.length; i += 30) {
    const batch = cases.slice(i, i + 30);
    const results = await Promise.all(batch.map(runCase));
    results.forEach((r, j) => {
      const c = batch[j];
      const expected = model(c.bytes, c.silentEnd);
      tally.set(expected.kind, (tally.get(expected.kind) ?? 0) + 1);
      const where = `case ${c.no} (${c.damage}, ${c.bytes.length} B, ${
        c.silentEnd ? "silent" : "close"
      })`;
      try {
        assertEquals(r.outcome, expected);
      } catch {
        found.push(`${where}: expected ${expected.kind}, got ${r.detail || r.outcome.kind}`);
      }
      const limit = expected.kind === "TimeoutError" ? DEADLINE_MS + SLACK_MS : SLACK_MS;
      if (r.ms > limit) found.push(`${where}: took ${r.ms.toFixed(0)} ms`);
      if (expected.kind === "TimeoutError" && r.ms < DEADLINE_MS - 50) {
        found.push(`${where}: timed out early, after ${r.ms.toFixed(0)} ms`);
      }
    });
  }
  const seconds = (performance.now() - t0) / 1000;
  console.log(
    `chaos: ${CASES} cases, seed ${SEED} (0x${SEED.toString(16)}), ${seconds.toFixed(1)} s; ` +
      `expected outcomes ${JSON.stringify(Object.fromEntries(tally))}`,
  );
  assertEquals(found, [], `replay with FUZZ_SEED=${SEED}`);
  for (const k of ["reply", "ConnectionError", "TimeoutError", "ProtocolError"]) {
    assert((tally.get(k) ?? 0) >= 10, `only ${tally.get(k) ?? 0} cases expect ${k}`);
  }
});
