/**
 * Decoding the server's reply (`{"22ServerToClientResponse": {"stc_cmd_": …}}`)
 * into a typed {@linkcode Reply}. Pure; anything unexpected is a
 * {@linkcode ProtocolError}, never another exception.
 *
 * @module
 */
import {
  ArchiveReader,
  asObject,
  getArray,
  getBool,
  getInt,
  getString,
  getStrings,
} from "./cereal.ts";
import { ProtocolError } from "../errors.ts";
import type { ZombieType } from "../defs/model.ts";

/** `StcCmd.api_` meanings. */
export type StcStatus = "ok" | "blockServerHalted" | "blockOnHomeServer" | "deleteAll";
const STC_STATUS: StcStatus[] = ["ok", "blockServerHalted", "blockOnHomeServer", "deleteAll"];

/**
 * A zombie's kind as the server reports it: a definition's zombie kinds (the same names as
 * `zombie` attributes take) or `not_set`.
 */
export type ZombieKind = ZombieType | "not_set";

/** Zombie kinds (`ecf::Child::ZombieType`), in the server's order. */
export const ZOMBIE_TYPES: readonly ZombieKind[] = [
  "user",
  "ecf",
  "ecf_pid",
  "ecf_passwd",
  "ecf_pid_passwd",
  "path",
  "not_set",
];

/** Zombie actions (`ZombieCtrlAction`). */
export const ZOMBIE_ACTIONS = ["fob", "fail", "adopt", "remove", "block", "kill"] as const;
/** A zombie action name. */
export type ZombieAction = typeof ZOMBIE_ACTIONS[number];

/** Child commands as the server numbers them (`ecf::Child::CmdType`). */
export const CHILD_COMMANDS = [
  "init",
  "event",
  "meter",
  "label",
  "wait",
  "queue",
  "abort",
  "complete",
] as const;
/** A child command name. */
export type ChildCommandName = typeof CHILD_COMMANDS[number];

/** One zombie as `--zombie_get` returns it. */
export interface Zombie {
  /** The action a user chose (or the default). */
  userAction: ZombieAction;
  /** Try number of the zombie job. */
  tryNo: number;
  /** Seconds since the zombie appeared. */
  duration: number;
  /** How many child commands it sent. */
  calls: number;
  /** Why it is a zombie. */
  type: ZombieKind;
  /** The last child command it sent. */
  lastChildCommand: ChildCommandName;
  /** Task path. */
  path: string;
  /** The zombie's jobs password. */
  jobsPassword: string;
  /** The zombie's process or remote id. */
  remoteId: string;
  /** The user command that made it (`requeue`, …), or empty. */
  userCommand: string;
  /** Host it called from. */
  host: string;
  /** Whether `userAction` was set by a user. */
  userActionSet: boolean;
  /** The zombie attribute in force. */
  attr: {
    childCommands: ChildCommandName[];
    type: ZombieKind;
    action: ZombieAction;
    lifetime: number;
  };
}

/** Every reply the server can send, decoded. */
export type Reply =
  | { kind: "stc"; status: StcStatus }
  | { kind: "error"; message: string }
  | { kind: "string"; value: string }
  | { kind: "stringVec"; values: string[] }
  | { kind: "suites"; suites: string[] }
  | { kind: "node"; text: string }
  | { kind: "defs"; text: string }
  | {
    kind: "sync";
    /** The whole definition is in `text` (`full_defs_`). */
    full: boolean;
    /** The whole definition (NET text) when `full`. */
    text: string;
    /** The suites of a client handle (NET text) when the server chose a full sync for it. */
    serverDefs: string;
    /** The server's state change number in the incremental part. */
    stateChange: number;
    /** The server's modify change number in the incremental part. */
    modifyChange: number;
    /** How many nodes the incremental part changes. */
    mementoCount: number;
    /**
     * The incremental part as sent (`DefsDelta`; no changes when the reply is a full one).
     * `decodeDefsDelta` (`lib/wire/mementos.ts`) makes it typed; it is decoded on demand so
     * that commands which never sync do not load that decoder.
     */
    incremental: Record<string, unknown>;
  }
  | { kind: "news"; news: "none" | "news" | "fullSync" }
  | { kind: "serverLoad"; logFilePath: string }
  | { kind: "stats"; values: unknown[] }
  | { kind: "clientHandle"; handle: number }
  | {
    kind: "clientHandleSuites";
    users: { user: string; handles: number[] }[];
    handles: { handle: number; suites: string[] }[];
  }
  | { kind: "zombies"; zombies: Zombie[] }
  | { kind: "group"; replies: Reply[] }
  | { kind: "blockZombie"; zombieType: ZombieKind };

function pick<T>(table: readonly T[], index: number, what: string): T {
  const v = table[index];
  if (v === undefined) throw new ProtocolError(`${what}: value ${index} out of range`);
  return v;
}

function pairs(o: Record<string, unknown>, key: string, what: string): Record<string, unknown>[] {
  return getArray(o, key, what).map((p, i) => asObject(p, `${what}.${key}[${i}]`));
}

function decodeZombie(v: unknown, i: number): Zombie {
  const what = `ZombieGetCmd.zombies_[${i}]`;
  const z = asObject(v, what);
  const a = asObject(z.attr_, `${what}.attr_`);
  const aw = `${what}.attr_`;
  return {
    userAction: pick(ZOMBIE_ACTIONS, getInt(z, "user_action_", what), `${what}.user_action_`),
    tryNo: getInt(z, "try_no_", what),
    duration: getInt(z, "duration_", what),
    calls: getInt(z, "calls_", what),
    type: pick(ZOMBIE_TYPES, getInt(z, "zombie_type_", what), `${what}.zombie_type_`),
    lastChildCommand: pick(CHILD_COMMANDS, getInt(z, "last_child_cmd_", what), what),
    path: getString(z, "path_to_task_", what),
    jobsPassword: getString(z, "jobs_password_", what),
    remoteId: getString(z, "process_or_remote_id_", what),
    userCommand: getString(z, "user_cmd_", what),
    host: getString(z, "host_", what),
    userActionSet: getBool(z, "user_action_set_", what),
    attr: {
      childCommands: getArray(a, "child_cmds_", aw).map((c, j) =>
        pick(CHILD_COMMANDS, typeof c === "number" ? c : -1, `${aw}.child_cmds_[${j}]`)
      ),
      type: pick(ZOMBIE_TYPES, getInt(a, "zombie_type_", aw), `${aw}.zombie_type_`),
      action: pick(ZOMBIE_ACTIONS, getInt(a, "action_", aw), `${aw}.action_`),
      lifetime: getInt(a, "zombie_lifetime_", aw),
    },
  };
}

/**
 * How deep `GroupSTCCmd`s may nest. The server never nests them; the limit
 * keeps a hostile reply from exhausting the stack (a RangeError, not a
 * ProtocolError) through recursion.
 */
const MAX_GROUP_DEPTH = 8;

function decodeCommand(r: ArchiveReader, v: unknown, what: string, depth = 0): Reply {
  if (depth > MAX_GROUP_DEPTH) {
    throw new ProtocolError(`${what}: reply groups nested deeper than ${MAX_GROUP_DEPTH}`);
  }
  const p = r.pointer(v, what);
  if (p === null) throw new ProtocolError(`${what}: null reply`);
  const d = p.data;
  const w = p.cls;
  switch (p.cls) {
    case "StcCmd":
      return { kind: "stc", status: pick(STC_STATUS, getInt(d, "api_", w), "StcCmd.api_") };
    case "ErrorCmd":
      return { kind: "error", message: getString(d, "error_msg_", w) };
    case "SStringCmd":
      return { kind: "string", value: getString(d, "str_", w) };
    case "SStringVecCmd":
      return { kind: "stringVec", values: getStrings(d, "vec_", w) };
    case "SSuitesCmd":
      return { kind: "suites", suites: getStrings(d, "suites_", w) };
    case "SNodeCmd":
      return { kind: "node", text: getString(d, "the_node_str_", w) };
    case "DefsCmd":
      return { kind: "defs", text: getString(d, "value1", w) };
    case "SSyncCmd": {
      const inc = asObject(d.incremental_changes_, `${w}.incremental_changes_`);
      const iw = `${w}.incremental_changes_`;
      return {
        kind: "sync",
        full: getBool(d, "full_defs_", w),
        text: getString(d, "value1", w),
        serverDefs: getString(d, "server_defs_", w),
        stateChange: getInt(inc, "server_state_change_no_", iw),
        modifyChange: getInt(inc, "server_modify_change_no_", iw),
        mementoCount: getArray(inc, "compound_mementos_", iw).length,
        incremental: inc,
      };
    }
    case "SNewsCmd": {
      const news = pick(["none", "news", "fullSync"] as const, getInt(d, "news_", w), w);
      return { kind: "news", news };
    }
    case "SServerLoadCmd":
      return { kind: "serverLoad", logFilePath: getString(d, "log_file_path_", w) };
    case "SStatsCmd": {
      const s = asObject(d.stats_, `${w}.stats_`);
      const values: unknown[] = [];
      for (let i = 0; `value${i}` in s; i++) values.push(s[`value${i}`]);
      if (values.length < 16) throw new ProtocolError(`${w}.stats_: too few values`);
      return { kind: "stats", values };
    }
    case "SClientHandleCmd":
      return { kind: "clientHandle", handle: getInt(d, "handle_", w) };
    case "SClientHandleSuitesCmd":
      return {
        kind: "clientHandleSuites",
        users: pairs(d, "users_", w).map((u) => ({
          user: getString(u, "first", `${w}.users_`),
          handles: getArray(u, "second", `${w}.users_`).map((h) => {
            if (typeof h !== "number") throw new ProtocolError(`${w}.users_: bad handle`);
            return h;
          }),
        })),
        handles: pairs(d, "client_handles_", w).map((h) => ({
          handle: getInt(h, "first", `${w}.client_handles_`),
          suites: getStrings(h, "second", `${w}.client_handles_`),
        })),
      };
    case "ZombieGetCmd":
      return { kind: "zombies", zombies: getArray(d, "zombies_", w).map(decodeZombie) };
    case "GroupSTCCmd":
      return {
        kind: "group",
        replies: getArray(d, "cmdVec_", w).map((c, i) =>
          decodeCommand(r, c, `${w}.cmdVec_[${i}]`, depth + 1)
        ),
      };
    case "BlockClientZombieCmd":
      return {
        kind: "blockZombie",
        zombieType: pick(ZOMBIE_TYPES, getInt(d, "zombie_type_", w), `${w}.zombie_type_`),
      };
    default:
      throw new ProtocolError(`unknown reply class '${p.cls}'`);
  }
}

const decoder = new TextDecoder("utf-8", { fatal: false });

/**
 * Decodes a reply payload (the bytes after the 8-byte header, or their text).
 *
 * @example
 * ```ts
 * import { decodeReply } from "@ecflow-ts/client/wire";
 * import { assertEquals } from "@std/assert";
 * const reply = decodeReply(
 *   '{"22ServerToClientResponse":{"stc_cmd_":{"polymorphic_id":2147483649,' +
 *     '"polymorphic_name":"SStringCmd","ptr_wrapper":{"id":2147483649,"data":' +
 *     '{"cereal_class_version":0,"value0":{"cereal_class_version":0},"str_":"5.9.2"}}}}}',
 * );
 * assertEquals(reply, { kind: "string", value: "5.9.2" });
 * ```
 */
export function decodeReply(payload: Uint8Array | string): Reply {
  const text = typeof payload === "string" ? payload : decoder.decode(payload);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new ProtocolError(`reply is not JSON: ${(e as Error).message}`);
  }
  const root = asObject(doc, "reply");
  const keys = Object.keys(root);
  if (keys.length !== 1) {
    throw new ProtocolError(`reply must have one root member, found ${keys.length}`);
  }
  const envelope = asObject(root[keys[0]], "reply envelope");
  if (!("stc_cmd_" in envelope)) throw new ProtocolError("reply has no stc_cmd_");
  return decodeCommand(new ArchiveReader(), envelope.stc_cmd_, "stc_cmd_");
}
