/**
 * Fuzzed reply decoder: at least 100,000 malformed or mutated frames, grown
 * from every real 5.9.2 reply in the captures and probes, go through
 * `decodeHeader` + `decodeReply`. Each must either decode into a well-typed
 * `Reply` or throw a `ProtocolError` with a bounded message; anything else (a
 * TypeError, a RangeError from recursion, a slow case) fails the test with the
 * seed and case number to replay it (`FUZZ_SEED=<seed> FUZZ_CASES=<n>`).
 */
import { assert, assertEquals } from "./deps.ts";
import { Prng, seedFromEnv } from "./harness/prng.ts";
import { decodeHeader, decodeReply, formatCereal } from "../lib/wire/mod.ts";
import { ProtocolError, type Reply } from "../mod.ts";
import type { JsonValue } from "../mod.ts";
import { ECFLOW_FIXTURES } from "./captures.ts";

const CASES = Number(Deno.env.get("FUZZ_CASES") ?? 100_000);
const SEED = seedFromEnv(0xec_f10);
/** No single decode may take longer than this (ms): a hang detector. */
const SLOW_MS = 5000;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

// ---------------------------------------------------------------- seeds

interface Seed {
  name: string;
  /** The whole frame as received: header + payload. */
  frame: Uint8Array;
  /** The payload's JSON text. */
  text: string;
}

function loadSeeds(): Seed[] {
  const seeds: Seed[] = [];
  const add = (name: string, path: string) => {
    const frame = Deno.readFileSync(path);
    if (frame.length <= 8) return; // no reply (server down, crash probes)
    const length = decodeHeader(frame.subarray(0, 8));
    const body = frame.subarray(8, 8 + length);
    seeds.push({ name, frame, text: decoder.decode(body) });
  };
  const captures = `${ECFLOW_FIXTURES}/captures`;
  for (const dir of [...Deno.readDirSync(captures)].map((d) => d.name).sort()) {
    if (!Deno.statSync(`${captures}/${dir}`).isDirectory) continue;
    for (const f of [...Deno.readDirSync(`${captures}/${dir}`)].map((d) => d.name).sort()) {
      if (/^response(\.\d+)?\.bin$/.test(f)) add(`${dir}/${f}`, `${captures}/${dir}/${f}`);
    }
  }
  const probes = `${ECFLOW_FIXTURES}/probes`;
  for (const f of [...Deno.readDirSync(probes)].map((d) => d.name).sort()) {
    if (f.endsWith(".response.bin")) add(`probes/${f}`, `${probes}/${f}`);
  }
  return seeds;
}

// ---------------------------------------------------------------- reply shape oracle

const isStr = (v: unknown) => typeof v === "string";
const isInt = (v: unknown) => typeof v === "number" && Number.isInteger(v);
const isStrs = (v: unknown) => Array.isArray(v) && v.every(isStr);

/** Every field of a decoded reply has the type its declaration promises. */
function wellTyped(r: Reply): boolean {
  switch (r.kind) {
    case "stc":
      return ["ok", "blockServerHalted", "blockOnHomeServer", "deleteAll"].includes(r.status);
    case "error":
      return isStr(r.message);
    case "string":
      return isStr(r.value);
    case "stringVec":
      return isStrs(r.values);
    case "suites":
      return isStrs(r.suites);
    case "node":
    case "defs":
      return isStr(r.text);
    case "sync":
      return typeof r.full === "boolean" && isStr(r.text) && isStr(r.serverDefs) &&
        isInt(r.stateChange) && isInt(r.modifyChange) && isInt(r.mementoCount);
    case "news":
      return ["none", "news", "fullSync"].includes(r.news);
    case "serverLoad":
      return isStr(r.logFilePath);
    case "stats":
      return Array.isArray(r.values) && r.values.length >= 16;
    case "clientHandle":
      return isInt(r.handle);
    case "clientHandleSuites":
      return r.users.every((u) => isStr(u.user) && u.handles.every((h) => typeof h === "number")) &&
        r.handles.every((h) => isInt(h.handle) && isStrs(h.suites));
    case "zombies":
      return r.zombies.every((z) =>
        isStr(z.path) && isStr(z.jobsPassword) && isInt(z.tryNo) && isStr(z.type) &&
        isStr(z.userAction) && typeof z.userActionSet === "boolean" &&
        z.attr.childCommands.every(isStr)
      );
    case "group":
      return r.replies.every(wellTyped);
    case "blockZombie":
      return isStr(r.zombieType);
  }
  return false;
}

// ---------------------------------------------------------------- mutators

const REPLY_CLASSES = [
  "StcCmd",
  "ErrorCmd",
  "SStringCmd",
  "SStringVecCmd",
  "SSuitesCmd",
  "SNodeCmd",
  "DefsCmd",
  "SSyncCmd",
  "SNewsCmd",
  "SServerLoadCmd",
  "SStatsCmd",
  "SClientHandleCmd",
  "SClientHandleSuitesCmd",
  "ZombieGetCmd",
  "GroupSTCCmd",
  "BlockClientZombieCmd",
];

const HUGE_NUMBERS = [
  "1e999",
  "-1e999",
  "1e308",
  "-0",
  "9007199254740993",
  "123456789012345678901234567890",
  "4294967296",
  "2147483648",
  "-2147483649",
  "0.5",
  "1e-400",
];

/** Random JSON values of every type, including awkward ones. */
function randomValue(p: Prng, depth = 0): JsonValue {
  switch (p.int(depth > 2 ? 6 : 9)) {
    case 0:
      return null;
    case 1:
      return p.chance(0.5);
    case 2:
      return p.pick([0, -1, 1, 2147483648, 2147483649, 4294967295, 2 ** 53, -(2 ** 31), 1.5]);
    case 3:
      return p.int(1000);
    case 4:
      return p.pick(["", "x", "\u0000", "\ud800", "é€𝄞", "__proto__", "%ECF_PASS%", "a\nb"]);
    case 5:
      return "s".repeat(p.int(300));
    case 6:
      return Array.from({ length: p.int(4) }, () => randomValue(p, depth + 1));
    case 7: {
      const o: Record<string, JsonValue> = {};
      for (let i = p.int(4); i > 0; i--) put(o, p.pick(KEYS), randomValue(p, depth + 1));
      return o;
    }
    default:
      return p.pick(REPLY_CLASSES);
  }
}

const KEYS = [
  "polymorphic_id",
  "polymorphic_name",
  "ptr_wrapper",
  "id",
  "data",
  "cereal_class_version",
  "value0",
  "value1",
  "api_",
  "str_",
  "vec_",
  "cmdVec_",
  "stc_cmd_",
  "__proto__",
  "constructor",
  "toString",
];

type Container = Record<string, JsonValue> | JsonValue[];
interface Slot {
  parent: Container;
  key: string | number;
}

/** Every (parent, key) slot of the tree. */
function slots(root: JsonValue): Slot[] {
  const out: Slot[] = [];
  const stack: JsonValue[] = [root];
  while (stack.length > 0) {
    const v = stack.pop()!;
    if (Array.isArray(v)) {
      v.forEach((c, i) => {
        out.push({ parent: v, key: i });
        stack.push(c);
      });
    } else if (v !== null && typeof v === "object") {
      for (const k of Object.keys(v)) {
        out.push({ parent: v, key: k });
        stack.push(v[k]);
      }
    }
  }
  return out;
}

/** Sets an own member, even `__proto__`, as JSON.parse would. */
function put(o: Record<string, JsonValue>, key: string, value: JsonValue): void {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * Deep structures are spliced into the printed text in place of this marker:
 * the printers (JSON.stringify, formatCereal) recurse, the decoder must not.
 */
const DEEP_MARK = "\u0001deep\u0001";
let pendingDeep = "";

const get = (s: Slot) => (s.parent as Record<string | number, JsonValue>)[s.key];
const set = (s: Slot, v: JsonValue) => (s.parent as Record<string | number, JsonValue>)[s.key] = v;

function nested(p: Prng, depth: number): string {
  const [open, close] = p.pick([["[", "]"], ['{"value0":', "}"], ['{"cmdVec_":[', "]}"]]);
  return open.repeat(depth) + p.pick(["0", '"x"', "null"]) + close.repeat(depth);
}

/** A chain of GroupSTCCmds `depth` deep around an StcCmd. */
function groupChain(depth: number): JsonValue {
  let v: JsonValue = {
    polymorphic_id: 0x80000001,
    polymorphic_name: "StcCmd",
    ptr_wrapper: { id: 0x80000001, data: { api_: 0 } },
  };
  for (let i = 0; i < depth; i++) {
    v = {
      polymorphic_id: i === 0 ? 0x80000002 : 2,
      ...(i === 0 ? { polymorphic_name: "GroupSTCCmd" } : {}),
      ptr_wrapper: { id: 0x80000002 + i, data: { cmdVec_: [v] } },
    };
  }
  return v;
}

/** The text of {@linkcode groupChain} without recursion in the printer. */
function groupChainText(depth: number): string {
  let text = JSON.stringify(groupChain(0));
  for (let i = 0; i < depth; i++) {
    const name = i === 0 ? ',"polymorphic_name":"GroupSTCCmd"' : "";
    text = `{"polymorphic_id":${i === 0 ? 0x80000002 : 2}${name},"ptr_wrapper":{"id":${
      0x80000002 + i
    },"data":{"cmdVec_":[${text}]}}}`;
  }
  return text;
}

/** Mutations of the parsed JSON tree (type swaps, id/version games, …). */
const TREE_MUTATORS: Record<string, (p: Prng, root: JsonValue) => JsonValue> = {
  typeSwap(p, root) {
    const all = slots(root);
    if (all.length > 0) set(p.pick(all), randomValue(p));
    return root;
  },
  deleteMember(p, root) {
    const objs = slots(root).filter((s) => typeof s.key === "string");
    if (objs.length > 0) {
      const s = p.pick(objs);
      delete (s.parent as Record<string, JsonValue>)[s.key as string];
    }
    return root;
  },
  renameMember(p, root) {
    const objs = slots(root).filter((s) => typeof s.key === "string");
    if (objs.length > 0) {
      const s = p.pick(objs);
      const v = get(s);
      delete (s.parent as Record<string, JsonValue>)[s.key as string];
      put(s.parent as Record<string, JsonValue>, p.pick(KEYS), v);
    }
    return root;
  },
  polymorphicGames(p, root) {
    const ids = slots(root).filter((s) =>
      s.key === "polymorphic_id" || s.key === "id" || s.key === "cereal_class_version"
    );
    if (ids.length > 0) {
      const s = p.pick(ids);
      const old = get(s);
      const v = typeof old === "number" ? old : 0x80000001;
      set(
        s,
        p.pick([
          0,
          1,
          2,
          v & 0x7fffffff,
          v + 1,
          0x80000000,
          0xffffffff,
          -1,
          2 ** 53,
          v,
        ]),
      );
    }
    return root;
  },
  classSwap(p, root) {
    const names = slots(root).filter((s) => s.key === "polymorphic_name");
    if (names.length > 0) {
      set(p.pick(names), p.chance(0.9) ? p.pick(REPLY_CLASSES) : "X".repeat(p.int(20_000)));
    }
    return root;
  },
  enumGames(p, root) {
    const ints = slots(root).filter((s) => typeof get(s) === "number");
    if (ints.length > 0) set(p.pick(ints), p.pick([-1, 3, 4, 7, 99, 2 ** 31, 1e20, 0.5]));
    return root;
  },
  arrayGames(p, root) {
    const arrays = slots(root).filter((s) => Array.isArray(get(s)));
    if (arrays.length > 0) {
      const a = get(p.pick(arrays)) as JsonValue[];
      const op = p.int(3);
      if (op === 0) a.length = 0;
      else if (op === 1 && a.length > 0) {
        const e = a[p.int(a.length)];
        for (let i = p.int(500); i > 0; i--) a.push(e);
      } else a.push(randomValue(p));
    }
    return root;
  },
  deepNesting(p, root) {
    const all = slots(root);
    if (all.length > 0) {
      set(p.pick(all), DEEP_MARK);
      pendingDeep = nested(p, p.chance(0.01) ? 50_000 : p.pick([10, 100, 1000]));
    }
    return root;
  },
  groupNesting(p, root) {
    const all = slots(root).filter((s) => s.key === "stc_cmd_");
    if (all.length > 0) {
      set(all[0], DEEP_MARK);
      pendingDeep = groupChainText(p.chance(0.01) ? 3000 : p.pick([1, 2, 8, 9, 50]));
    }
    return root;
  },
  rootGames(p, root) {
    return p.pick<JsonValue>([
      null,
      [],
      {},
      "x",
      1,
      { a: root, b: root },
      { r: {} },
      { r: { stc_cmd_: null } },
      [root],
    ]);
  },
};

/** Byte-level mutations of the payload. */
const BYTE_MUTATORS: Record<string, (p: Prng, b: Uint8Array) => Uint8Array> = {
  bitFlips(p, b) {
    const out = b.slice();
    for (let i = p.range(1, 16); i > 0 && out.length > 0; i--) {
      out[p.int(out.length)] ^= 1 << p.int(8);
    }
    return out;
  },
  truncate(p, b) {
    return b.slice(0, p.int(b.length));
  },
  insertBytes(p, b) {
    const at = p.int(b.length + 1);
    return concat(b.subarray(0, at), p.bytes(p.range(1, 32)), b.subarray(at));
  },
  deleteRange(p, b) {
    const at = p.int(b.length + 1);
    return concat(b.subarray(0, at), b.subarray(at + p.range(1, 64)));
  },
  duplicateSlice(p, b) {
    const at = p.int(b.length + 1);
    const len = p.range(1, 200);
    return concat(b.subarray(0, at), b.subarray(at, at + len), b.subarray(at));
  },
  invalidUtf8(p, b) {
    const bad = p.pick([
      [0xc0, 0x80],
      [0xff],
      [0xed, 0xa0, 0x80],
      [0xf8, 0x88, 0x80, 0x80, 0x80],
      [0xe2, 0x82],
      [0x80],
      [0xef, 0xbb, 0xbf],
    ]);
    const at = p.int(b.length + 1);
    return concat(b.subarray(0, at), Uint8Array.from(bad), b.subarray(at));
  },
  hugeNumber(p, b) {
    const text = decoder.decode(b);
    const numbers = [...text.matchAll(/-?\d+/g)];
    if (numbers.length === 0) return b;
    const m = p.pick(numbers);
    return encoder.encode(
      text.slice(0, m.index) + p.pick(HUGE_NUMBERS) + text.slice(m.index! + m[0].length),
    );
  },
  structuralSwap(p, b) {
    const out = b.slice();
    const structural = [0x7b, 0x7d, 0x5b, 0x5d, 0x2c, 0x3a, 0x22];
    for (let tries = 0; tries < 64 && out.length > 0; tries++) {
      const at = p.int(out.length);
      if (structural.includes(out[at])) {
        out[at] = p.pick(structural);
        break;
      }
    }
    return out;
  },
};

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, x) => n + x.length, 0));
  let off = 0;
  for (const x of parts) {
    out.set(x, off);
    off += x.length;
  }
  return out;
}

/** Header mutations: what the 8 bytes before the payload may say. */
function header(p: Prng, length: number): Uint8Array {
  const honest = encoder.encode(length.toString(16).padStart(8, " "));
  switch (p.int(10)) {
    case 0:
      return p.bytes(8);
    case 1: {
      const h = honest.slice();
      h[p.int(8)] ^= 1 << p.int(8);
      return h;
    }
    case 2:
      return encoder.encode(
        p.pick(["zzzzzzzz", "ffffffff", "       0", "-      1", "0x000010", " 1 2 3 4"]),
      );
    case 3:
      return encoder.encode(Math.max(0, length + p.range(-20, 20)).toString(16).padStart(8, "0"));
    case 4:
      return encoder.encode(length.toString(16).toUpperCase().padEnd(8, " "));
    default:
      return honest;
  }
}

// ---------------------------------------------------------------- the run

interface Failure {
  caseNo: number;
  mutators: string;
  error: string;
}

Deno.test(`fuzz: ${CASES} mutated reply frames through decodeHeader + decodeReply`, () => {
  const seeds = loadSeeds();
  assert(seeds.length >= 90, `only ${seeds.length} seed replies found`);
  // Control: every unmutated seed decodes into a well-typed reply.
  for (const s of seeds) {
    const len = decodeHeader(s.frame.subarray(0, 8));
    const reply = decodeReply(s.frame.subarray(8, 8 + len));
    assert(wellTyped(reply), `seed ${s.name} decodes to an ill-typed reply`);
  }

  const p = new Prng(SEED);
  const treeNames = Object.keys(TREE_MUTATORS);
  const byteNames = Object.keys(BYTE_MUTATORS);
  const used = new Map<string, number>();
  const outcome = { decoded: 0, protocolErrors: 0, headerErrors: 0, shortFrames: 0 };
  const failures: Failure[] = [];
  let otherExceptions = 0;
  let slowest = 0;
  const t0 = performance.now();

  for (let caseNo = 0; caseNo < CASES; caseNo++) {
    const seed = p.pick(seeds);
    const names: string[] = [];
    let payload: Uint8Array;
    // 1. tree mutations (0-3), printed compact or in cereal's layout
    if (p.chance(0.6)) {
      let tree = JSON.parse(seed.text) as JsonValue;
      pendingDeep = "";
      for (let i = p.range(1, 3); i > 0; i--) {
        const name = p.pick(treeNames);
        names.push(name);
        tree = TREE_MUTATORS[name](p, tree);
      }
      let text = p.chance(0.5) ? JSON.stringify(tree) : formatCereal(tree);
      if (pendingDeep) text = text.replace(JSON.stringify(DEEP_MARK), () => pendingDeep);
      payload = encoder.encode(text);
    } else {
      payload = seed.frame.subarray(8);
    }
    // 2. byte mutations (1-3 when the tree was left alone, else 0-1)
    const byteMutations = names.length === 0 ? p.range(1, 3) : p.int(2);
    for (let i = 0; i < byteMutations; i++) {
      const name = p.pick(byteNames);
      names.push(name);
      payload = BYTE_MUTATORS[name](p, payload);
    }
    for (const n of names) used.set(n, (used.get(n) ?? 0) + 1);
    const frame = concat(header(p, payload.length), payload);

    // 3. decode as the transport would: header, then at most the declared bytes
    const start = performance.now();
    try {
      let length: number;
      try {
        length = decodeHeader(frame.subarray(0, 8));
      } catch (e) {
        if (!(e instanceof ProtocolError)) throw e;
        outcome.headerErrors++;
        length = payload.length; // still fuzz the body
      }
      const available = frame.length - 8;
      if (length > available) outcome.shortFrames++;
      const reply = decodeReply(frame.subarray(8, 8 + Math.min(length, available)));
      if (!wellTyped(reply)) {
        throw new Error(`ill-typed reply ${JSON.stringify(reply).slice(0, 200)}`);
      }
      outcome.decoded++;
    } catch (e) {
      const ok = e instanceof ProtocolError && e.message.length > 0 && e.message.length <= 300;
      if (ok) outcome.protocolErrors++;
      else if (++otherExceptions <= 10) {
        failures.push({
          caseNo,
          mutators: `${seed.name}: ${names.join("+")}`,
          error: `${(e as Error)?.constructor?.name}: ${
            String((e as Error)?.message).slice(0, 200)
          }`,
        });
      }
    }
    slowest = Math.max(slowest, performance.now() - start);
  }

  const seconds = (performance.now() - t0) / 1000;
  console.log(
    `fuzz: ${CASES} frames, seed ${SEED} (0x${SEED.toString(16)}), ${seeds.length} seed replies, ` +
      `${seconds.toFixed(1)} s, slowest case ${slowest.toFixed(1)} ms; ` +
      `decoded ${outcome.decoded}, ProtocolError ${outcome.protocolErrors} ` +
      `(bad header ${outcome.headerErrors}, short frame ${outcome.shortFrames}), ` +
      `other exceptions ${otherExceptions}`,
  );
  console.log(`fuzz: mutators used ${JSON.stringify(Object.fromEntries(used))}`);
  assertEquals(failures, [], `${otherExceptions} other exceptions; replay with FUZZ_SEED=${SEED}`);
  assert(slowest < SLOW_MS, `a single decode took ${slowest.toFixed(0)} ms`);
  assertEquals(outcome.decoded + outcome.protocolErrors, CASES);
  // Not a degenerate fuzz: both outcomes occur, and every mutator ran.
  assert(outcome.decoded > CASES / 100, `only ${outcome.decoded} mutated frames still decoded`);
  assert(outcome.protocolErrors > CASES / 2, `only ${outcome.protocolErrors} were rejected`);
  for (const n of [...treeNames, ...byteNames]) assert((used.get(n) ?? 0) > 100, `mutator ${n}`);
});

Deno.test("fuzz: known hostile replies are ProtocolErrors (regressions)", () => {
  const stc = groupChain(0);
  const wrap = (v: JsonValue) => JSON.stringify({ r: { stc_cmd_: v } });
  const cases: [string, string][] = [
    [
      "group chain 20,000 deep (was a RangeError)",
      wrap(DEEP_MARK).replace(
        JSON.stringify(DEEP_MARK),
        groupChainText(20_000),
      ),
    ],
    ["array nesting 1,000,000 deep", "[".repeat(1e6) + "]".repeat(1e6)],
    [
      "class name of 100,000 characters",
      wrap({ ...stc as object, polymorphic_name: "X".repeat(1e5) }),
    ],
    [
      "back-reference to an unknown id",
      wrap({ polymorphic_id: 7, ptr_wrapper: { id: 1, data: {} } }),
    ],
    ["null pointer", wrap({ polymorphic_id: 0 })],
    ["api_ = 1e999 (Infinity)", wrap(stc).replace('"api_":0', '"api_":1e999')],
    ["__proto__ as the root member", '{"__proto__":{"stc_cmd_":1}}'],
  ];
  for (const [name, text] of cases) {
    let error: unknown;
    try {
      decodeReply(text);
    } catch (e) {
      error = e;
    }
    assert(error instanceof ProtocolError, `${name}: ${error}`);
    assert(error.message.length <= 300, `${name}: message of ${error.message.length} chars`);
  }
});
