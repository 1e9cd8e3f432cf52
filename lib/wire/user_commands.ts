/**
 * Builders for user (client-to-server) commands. Each takes names, never raw
 * enum numbers, so nothing out of range can reach a server (an unknown
 * `CtsCmd.api_` or `PathsCmd.api_` aborts a 5.9.2 server). Every builder
 * checks its arguments and throws {@linkcode ConfigError} before anything is
 * encoded. Labels are how ecflow_client names the request (its server log form).
 *
 * @module
 */
import type { JsonObject } from "./cereal.ts";
import type { Command } from "./request.ts";
import { ZOMBIE_ACTIONS, type ZombieAction } from "./reply.ts";
import { ConfigError } from "../errors.ts";

/** Looks `name` up in an enum table; unknown names are a {@linkcode ConfigError}. */
function enumValue<T extends Record<string, number>>(
  table: T,
  name: string,
  what: string,
): number {
  if (!Object.hasOwn(table, name)) {
    throw new ConfigError(
      `unknown ${what} '${name}': expected one of ${Object.keys(table).join(", ")}`,
    );
  }
  return table[name];
}

function user(cls: string, members: JsonObject, label: string, timeoutSeconds?: number): Command {
  const cmd: Command = { cls, base: "user", members, label };
  if (timeoutSeconds !== undefined) cmd.timeoutSeconds = timeoutSeconds;
  return cmd;
}

/** Checks node paths: at least one (unless allowed), each absolute. */
function checkPaths(paths: readonly string[], what: string, allowEmpty = false): string[] {
  if (!allowEmpty && paths.length === 0) {
    throw new ConfigError(`${what}: no paths given; paths must begin with '/'`);
  }
  for (const p of paths) {
    if (!p.startsWith("/")) {
      throw new ConfigError(`${what}: invalid path '${p}': paths must begin with '/'`);
    }
  }
  return [...paths];
}

function toPaths(paths: string | readonly string[]): string[] {
  return typeof paths === "string" ? [paths] : [...paths];
}

function checkInt(n: number, what: string, min = 0): number {
  if (!Number.isSafeInteger(n) || n < min) {
    throw new ConfigError(`${what}: expected a whole number >= ${min}, got ${n}`);
  }
  return n;
}

// ------------------------------------------------------------------ CtsCmd

/** `CtsCmd.api_` values by name (5.9.2 through 5.17 share them). */
export const CTS_API = {
  restore_from_checkpt: 1,
  restart: 2,
  shutdown: 3,
  halt: 4,
  terminate: 5,
  reloadwsfile: 6,
  "force-dep-eval": 7,
  ping: 8,
  zombie_get: 9,
  stats: 10,
  suites: 11,
  debug_server_on: 12,
  debug_server_off: 13,
  server_load: 14,
  stats_reset: 15,
  reloadpasswdfile: 16,
  stats_server: 17,
  reloadcustompasswdfile: 18,
} as const;

/** A `CtsCmd` operation, named like its ecflow_client option. */
export type CtsApi = keyof typeof CTS_API;

const CTS_CONFIRMED = new Set<string>(["halt", "shutdown", "terminate"]);

/**
 * A `CtsCmd` (server-wide command without arguments).
 *
 * @example
 * ```ts
 * import { ctsCommand } from "@ecflow-ts/client";
 * console.log(ctsCommand("suites").members); // { api_: 11 }
 * ```
 */
export function ctsCommand(api: CtsApi): Command {
  const value = Object.hasOwn(CTS_API, api) ? CTS_API[api] : undefined;
  if (value === undefined) throw new ConfigError(`unknown server command '${api}'`);
  const label = CTS_CONFIRMED.has(api) ? `--${api}=yes` : `--${api}`;
  return { cls: "CtsCmd", base: "user", members: { api_: value }, label };
}

/**
 * The `--ping` command.
 *
 * @example
 * ```ts
 * import { pingCommand } from "@ecflow-ts/client";
 * console.log(pingCommand().label); // --ping
 * ```
 */
export function pingCommand(): Command {
  return { ...ctsCommand("ping"), timeoutSeconds: 10 };
}

/**
 * The `--server_version` command (`ServerVersionCmd`, never changes across versions).
 *
 * @example
 * ```ts
 * import { serverVersionCommand } from "@ecflow-ts/client";
 * console.log(serverVersionCommand().cls); // ServerVersionCmd
 * ```
 */
export function serverVersionCommand(): Command {
  return { cls: "ServerVersionCmd", base: "user", members: {}, label: "--server_version" };
}

// -------------------------------------------------------------- CtsNodeCmd

/** `CtsNodeCmd.api_` values by name. */
export const CTS_NODE_API = {
  job_gen: 1,
  checkJobGenOnly: 2,
  get: 3,
  why: 4,
  get_state: 5,
  migrate: 6,
} as const;

/** A `CtsNodeCmd` operation, named like its ecflow_client option. */
export type CtsNodeApi = keyof typeof CTS_NODE_API;

const CTS_NODE_TIMEOUT: Partial<Record<CtsNodeApi, number>> = {
  get: 600,
  get_state: 600,
  migrate: 120,
};

/**
 * A `CtsNodeCmd`: `--get`, `--get_state`, `--migrate`, `--why`, `--job_gen`,
 * `--checkJobGenOnly`, for the whole definition (empty path) or one node.
 *
 * @example
 * ```ts
 * import { ctsNodeCommand } from "@ecflow-ts/client";
 * const cmd = ctsNodeCommand("get", "/lab/f1");
 * console.log(cmd.members, cmd.label); // { api_: 3, absNodePath_: "/lab/f1" } --get=/lab/f1
 * ```
 */
export function ctsNodeCommand(api: CtsNodeApi, path = ""): Command {
  const value = enumValue(CTS_NODE_API, api, "node command");
  if (path !== "" && !path.startsWith("/")) {
    throw new ConfigError(`--${api}: invalid path '${path}': paths must begin with '/'`);
  }
  return user(
    "CtsNodeCmd",
    { api_: value, absNodePath_: path },
    path === "" ? `--${api}` : `--${api}=${path}`,
    CTS_NODE_TIMEOUT[api],
  );
}

// ---------------------------------------------------------------- PathsCmd

/** `PathsCmd.api_` values by name. */
export const PATHS_API = {
  suspend: 1,
  resume: 2,
  kill: 3,
  status: 4,
  check: 5,
  edit_history: 6,
  archive: 7,
  restore: 8,
} as const;

/** A `PathsCmd` operation, named like its ecflow_client option. */
export type PathsApi = keyof typeof PATHS_API;

/**
 * A `PathsCmd` over one or many node paths. `check` accepts no paths
 * (= the whole definition); `edit_history` accepts the word `clear`.
 *
 * @example
 * ```ts
 * import { pathsCommand } from "@ecflow-ts/client";
 * console.log(pathsCommand("suspend", ["/s1", "/s2"]).members);
 * // { api_: 1, paths_: ["/s1", "/s2"], force_: false }
 * ```
 */
export function pathsCommand(api: PathsApi, paths: string | readonly string[]): Command {
  const value = enumValue(PATHS_API, api, "paths command");
  const list = toPaths(paths);
  if (api === "edit_history" && list.length === 1 && list[0] === "clear") {
    // `--edit_history=clear` clears every node's history.
  } else {
    checkPaths(list, `--${api}`, api === "check");
  }
  const shown = list.length === 0 && api === "check" ? ["_all_"] : list;
  return user(
    "PathsCmd",
    { api_: value, paths_: list, force_: false },
    `--${api} ${shown.join(" ")}`,
  );
}

// --------------------------------------------------------------- DeleteCmd

/**
 * A `DeleteCmd`: the given nodes, or every suite when `paths` is empty.
 *
 * @example
 * ```ts
 * import { deleteCommand } from "@ecflow-ts/client";
 * console.log(deleteCommand(["/lab2"], { force: true }).members);
 * // { paths_: ["/lab2"], force_: true }
 * ```
 */
export function deleteCommand(
  paths: string | readonly string[],
  options: { force?: boolean } = {},
): Command {
  const list = checkPaths(toPaths(paths), "--delete", true);
  const force = options.force ?? false;
  const words = [...(list.length === 0 ? ["_all_"] : []), ...(force ? ["force"] : []), "yes"];
  return user(
    "DeleteCmd",
    { paths_: list, force_: force },
    `--delete ${[...words, ...list].join(" ")}`,
  );
}

// ---------------------------------------------------------------- CSyncCmd

/** `CSyncCmd.api_` values by name. */
export const SYNC_API = { news: 0, sync: 1, sync_full: 2, sync_clock: 3 } as const;

/** A `CSyncCmd` operation. */
export type SyncApi = keyof typeof SYNC_API;

/**
 * A `CSyncCmd`: `news`, `sync`, `sync_full`, `sync_clock` for a client handle
 * (0 = all suites) and the change numbers the client holds.
 *
 * @example
 * ```ts
 * import { syncCommand } from "@ecflow-ts/client";
 * console.log(syncCommand("news", 0, 76, 8).label); // --news=0 76 8
 * ```
 */
export function syncCommand(
  api: SyncApi,
  handle = 0,
  stateChange = 0,
  modifyChange = 0,
): Command {
  const value = enumValue(SYNC_API, api, "sync command");
  checkInt(handle, `--${api} handle`);
  checkInt(stateChange, `--${api} state change number`);
  checkInt(modifyChange, `--${api} modify change number`);
  const label = api === "sync_full"
    ? `--sync_full=${handle}`
    : `--${api}=${handle} ${stateChange} ${modifyChange}`;
  return user(
    "CSyncCmd",
    {
      api_: value,
      client_handle_: handle,
      client_state_change_no_: api === "sync_full" ? 0 : stateChange,
      client_modify_change_no_: api === "sync_full" ? 0 : modifyChange,
    },
    label,
    api === "news" ? 20 : 600,
  );
}

// --------------------------------------------------------- ClientHandleCmd

/** `ClientHandleCmd.api_` values by name (ecflow_client option names). */
export const CLIENT_HANDLE_API = {
  ch_register: 0,
  ch_drop: 1,
  ch_drop_user: 2,
  ch_add: 3,
  ch_rem: 4,
  ch_auto_add: 5,
  ch_suites: 6,
} as const;

/** A `ClientHandleCmd` operation. */
export type ClientHandleApi = keyof typeof CLIENT_HANDLE_API;

/** Arguments of a {@linkcode clientHandleCommand}. */
export interface ClientHandleArgs {
  /** The client handle (0 = none). */
  handle?: number;
  /** `ch_drop_user`: whose handles (empty = the sender). */
  dropUser?: string;
  /** Suite names (`ch_register`, `ch_add`, `ch_rem`). */
  suites?: readonly string[];
  /** `ch_register`/`ch_auto_add`: add new suites to the handle automatically. */
  autoAddNewSuites?: boolean;
}

/**
 * A `ClientHandleCmd` (suite filters for news/sync).
 *
 * @example
 * ```ts
 * import { clientHandleCommand } from "@ecflow-ts/client";
 * const cmd = clientHandleCommand("ch_register", { suites: ["lab"] });
 * console.log(cmd.label); // --ch_register=false lab
 * ```
 */
export function clientHandleCommand(api: ClientHandleApi, args: ClientHandleArgs = {}): Command {
  const value = enumValue(CLIENT_HANDLE_API, api, "client handle command");
  const handle = checkInt(args.handle ?? 0, `--${api} handle`);
  const suites = [...(args.suites ?? [])];
  for (const s of suites) {
    if (s === "" || s.includes("/") || /\s/.test(s)) {
      throw new ConfigError(`--${api}: invalid suite name '${s}'`);
    }
  }
  const auto = args.autoAddNewSuites ?? false;
  const dropUser = args.dropUser ?? "";
  let label: string;
  switch (api) {
    case "ch_register":
      label = `--ch_register=${handle ? `${handle} ` : ""}${auto}${
        suites.length ? " " + suites.join(" ") : ""
      }`;
      break;
    case "ch_drop":
      label = `--ch_drop=${handle}`;
      break;
    case "ch_drop_user":
      label = `--ch_drop_user=${dropUser}`;
      break;
    case "ch_add":
    case "ch_rem":
      label = `--${api}=${handle} ${suites.join(" ")}`;
      break;
    case "ch_auto_add":
      label = `--ch_auto_add=${handle} ${auto}`;
      break;
    default:
      label = "--ch_suites";
  }
  return user("ClientHandleCmd", {
    api_: value,
    client_handle_: handle,
    drop_user_: dropUser,
    suites_: suites,
    auto_add_new_suites_: auto,
  }, label);
}

// -------------------------------------------------------------- CheckPtCmd

/** `CheckPtCmd.mode_` values by name (`undefined` = keep the mode). */
export const CHECKPT_MODE = { never: 0, on_time: 1, always: 2, undefined: 3 } as const;

/** A check-point mode. */
export type CheckPtMode = keyof typeof CHECKPT_MODE;

/** Arguments of a {@linkcode checkPtCommand}; none = save a check point now. */
export interface CheckPtArgs {
  /** New mode (default: unchanged). */
  mode?: CheckPtMode;
  /** New interval in seconds (0 = unchanged). */
  interval?: number;
  /** New save-time alarm in seconds (0 = unchanged). */
  alarm?: number;
}

/**
 * A `CheckPtCmd`: save a check point now, or change the check-point policy.
 *
 * @example
 * ```ts
 * import { checkPtCommand } from "@ecflow-ts/client";
 * console.log(checkPtCommand().members);
 * // { mode_: 3, check_pt_interval_: 0, check_pt_save_time_alarm_: 0 }
 * ```
 */
export function checkPtCommand(args: CheckPtArgs = {}): Command {
  const mode = enumValue(CHECKPT_MODE, args.mode ?? "undefined", "check point mode");
  const interval = checkInt(args.interval ?? 0, "--check_pt interval");
  const alarm = checkInt(args.alarm ?? 0, "--check_pt alarm");
  let label = "--check_pt";
  if (args.mode && args.mode !== "undefined") label += `=${args.mode}`;
  if (interval) label += `${label.includes("=") ? ":" : "="}${interval}`;
  if (alarm) label += `=alarm:${alarm}`;
  return user("CheckPtCmd", {
    mode_: mode,
    check_pt_interval_: interval,
    check_pt_save_time_alarm_: alarm,
  }, label);
}

// ------------------------------------------------------------- LoadDefsCmd

/**
 * Removes `extern` lines from definition text: a 5.9.2 server (and HEAD)
 * aborts on a load or replace that contains one. Lines keep their endings.
 *
 * @example
 * ```ts
 * import { stripExterns } from "@ecflow-ts/client";
 * console.log(stripExterns("extern /x/y\nsuite s\nendsuite\n")); // "suite s\nendsuite\n"
 * ```
 */
export function stripExterns(text: string): string {
  return text.split(/(?<=\n)/).filter((line) => !/^\s*extern(\s|$)/.test(line)).join("");
}

/** Arguments of a {@linkcode loadDefsCommand}. */
export interface LoadArgs {
  /** Replace suites of the same name (default false). */
  force?: boolean;
  /** The file name as typed (shown in server messages). */
  fileName?: string;
}

/**
 * A `LoadDefsCmd` carrying definition text. `extern` lines are removed
 * before encoding (they abort the server).
 *
 * @example
 * ```ts
 * import { loadDefsCommand } from "@ecflow-ts/client";
 * const cmd = loadDefsCommand("extern /a\nsuite s\nendsuite\n", { fileName: "s.def" });
 * console.log(cmd.members.defs_, cmd.label); // "suite s\nendsuite\n" --load=s.def
 * ```
 */
export function loadDefsCommand(text: string, args: LoadArgs = {}): Command {
  const fileName = args.fileName ?? "";
  return user(
    "LoadDefsCmd",
    {
      force_: args.force ?? false,
      defs_: stripExterns(text),
      defs_filename_: fileName,
    },
    `--load=${fileName}${args.force ? " force" : ""}`,
    600,
  );
}

// ----------------------------------------------------------------- LogCmd

/** `LogCmd.api_` values by name. */
export const LOG_API = { get: 0, clear: 1, flush: 2, new: 3, path: 4 } as const;

/** A `LogCmd` operation. */
export type LogApi = keyof typeof LOG_API;

/**
 * A `LogCmd`: `get` the last `lines` lines, `clear`, `flush`, `new` (optionally
 * at `newPath`) or `path`.
 *
 * @example
 * ```ts
 * import { logCommand } from "@ecflow-ts/client";
 * console.log(logCommand("get", { lines: 20 }).members);
 * // { api_: 0, get_last_n_lines_: 20, new_path_: "" }
 * ```
 */
export function logCommand(
  api: LogApi,
  args: { lines?: number; newPath?: string } = {},
): Command {
  const value = enumValue(LOG_API, api, "log command");
  const lines = checkInt(args.lines ?? 100, "--log=get lines");
  const newPath = args.newPath ?? "";
  let label = `--log=${api}`;
  if (api === "get") label += ` ${lines}`;
  if (api === "new" && newPath) label += ` ${newPath}`;
  return user("LogCmd", { api_: value, get_last_n_lines_: lines, new_path_: newPath }, label);
}

/**
 * A `LogMessageCmd`: writes `message` into the server log.
 *
 * @example
 * ```ts
 * import { logMessageCommand } from "@ecflow-ts/client";
 * console.log(logMessageCommand("hello").members); // { msg_: "hello" }
 * ```
 */
export function logMessageCommand(message: string): Command {
  return user("LogMessageCmd", { msg_: message }, `--msg=${message}`);
}

// --------------------------------------------------------------- BeginCmd

/**
 * A `BeginCmd`: begin one suite, or all suites when `suite` is empty.
 *
 * @example
 * ```ts
 * import { beginCommand } from "@ecflow-ts/client";
 * console.log(beginCommand("lab").members); // { suiteName_: "lab", force_: false }
 * ```
 */
export function beginCommand(suite = "", options: { force?: boolean } = {}): Command {
  if (suite.includes("/") || /\s/.test(suite)) {
    throw new ConfigError(`--begin: invalid suite name '${suite}' (a suite name, not a path)`);
  }
  const force = options.force ?? false;
  const arg = [suite, force ? "--force" : ""].filter((s) => s).join(" ");
  return user(
    "BeginCmd",
    { suiteName_: suite, force_: force },
    arg ? `--begin=${arg}` : "--begin",
    80,
  );
}

// -------------------------------------------------------------- ZombieCmd

const ZOMBIE_ACTION_VALUE: Record<ZombieAction, number> = {
  fob: 0,
  fail: 1,
  adopt: 2,
  remove: 3,
  block: 4,
  kill: 5,
};

/**
 * A `ZombieCmd`: what to do with the zombies of the given tasks. The process
 * id and password pick one zombie when a task has several.
 *
 * @example
 * ```ts
 * import { zombieCommand } from "@ecflow-ts/client";
 * console.log(zombieCommand("remove", "/lab/f1/t1").label); // --zombie_remove=/lab/f1/t1
 * ```
 */
export function zombieCommand(
  action: ZombieAction,
  paths: string | readonly string[],
  options: { processId?: string; password?: string } = {},
): Command {
  if (!(ZOMBIE_ACTIONS as readonly string[]).includes(action)) {
    throw new ConfigError(
      `unknown zombie action '${action}': expected one of ${ZOMBIE_ACTIONS.join(", ")}`,
    );
  }
  const list = checkPaths(toPaths(paths), `--zombie_${action}`);
  return user("ZombieCmd", {
    user_action_: ZOMBIE_ACTION_VALUE[action],
    process_id_: options.processId ?? "",
    password_: options.password ?? "",
    paths_: list,
  }, `--zombie_${action}=${list.join(" ")}`);
}

// ------------------------------------------------------ node state commands

/** `RequeueNodeCmd.option_` values by name. */
export const REQUEUE_OPTION = { none: 0, abort: 1, force: 2 } as const;

/** A requeue option: `none`, `abort` (only aborted tasks), `force`. */
export type RequeueOption = keyof typeof REQUEUE_OPTION;

/**
 * A `RequeueNodeCmd`.
 *
 * @example
 * ```ts
 * import { requeueCommand } from "@ecflow-ts/client";
 * console.log(requeueCommand("/lab/f1", "force").members); // { paths_: ["/lab/f1"], option_: 2 }
 * ```
 */
export function requeueCommand(
  paths: string | readonly string[],
  option: RequeueOption = "none",
): Command {
  const value = enumValue(REQUEUE_OPTION, option, "requeue option");
  const list = checkPaths(toPaths(paths), "--requeue");
  const word = option === "none" ? "" : `${option} `;
  return user(
    "RequeueNodeCmd",
    { paths_: list, option_: value },
    `--requeue ${word}${list.join(" ")}`,
  );
}

/** `OrderNodeCmd.option_` values by name. */
export const ORDER_OPTION = {
  top: 0,
  bottom: 1,
  alpha: 2,
  order: 3,
  up: 4,
  down: 5,
  runtime: 6,
} as const;

/** How to re-order a node among its siblings. */
export type OrderOption = keyof typeof ORDER_OPTION;

/**
 * An `OrderNodeCmd`.
 *
 * @example
 * ```ts
 * import { orderCommand } from "@ecflow-ts/client";
 * console.log(orderCommand("/lab/f2", "top").members); // { absNodepath_: "/lab/f2", option_: 0 }
 * ```
 */
export function orderCommand(path: string, option: OrderOption): Command {
  const value = enumValue(ORDER_OPTION, option, "order option");
  checkPaths([path], "--order");
  return user("OrderNodeCmd", { absNodepath_: path, option_: value }, `--order=${path} ${option}`);
}

/**
 * A `RunNodeCmd`: submit tasks now, ignoring dependencies.
 *
 * @example
 * ```ts
 * import { runCommand } from "@ecflow-ts/client";
 * console.log(runCommand("/s/t", { force: true }).members); // { paths_: ["/s/t"], force_: true }
 * ```
 */
export function runCommand(
  paths: string | readonly string[],
  options: { force?: boolean } = {},
): Command {
  const list = checkPaths(toPaths(paths), "--run");
  const force = options.force ?? false;
  return user(
    "RunNodeCmd",
    { paths_: list, force_: force },
    `--run ${force ? "force " : ""}${list.join(" ")}`,
  );
}

/** States `--force` accepts. */
export const FORCE_STATES = [
  "unknown",
  "complete",
  "queued",
  "submitted",
  "active",
  "aborted",
] as const;

/** A state `--force` can set. */
export type ForceState = typeof FORCE_STATES[number];

/**
 * A `ForceCmd`: force nodes into a state, or set/clear events (`path:event`).
 *
 * @example
 * ```ts
 * import { forceCommand } from "@ecflow-ts/client";
 * console.log(forceCommand("/lab/f1/t3", "complete").members);
 * // { paths_: ["/lab/f1/t3"], stateOrEvent_: "complete", recursive_: false, setRepeatToLastValue_: false }
 * ```
 */
export function forceCommand(
  paths: string | readonly string[],
  stateOrEvent: ForceState | "set" | "clear",
  options: { recursive?: boolean; full?: boolean } = {},
): Command {
  const isEvent = stateOrEvent === "set" || stateOrEvent === "clear";
  if (!isEvent && !(FORCE_STATES as readonly string[]).includes(stateOrEvent)) {
    throw new ConfigError(
      `--force: unknown state '${stateOrEvent}': expected one of ${
        FORCE_STATES.join(", ")
      }, set, clear`,
    );
  }
  const list = checkPaths(toPaths(paths), "--force");
  if (isEvent) {
    for (const p of list) {
      const i = p.lastIndexOf(":");
      if (i <= 0 || i === p.length - 1) {
        throw new ConfigError(`--force=${stateOrEvent}: expected <path>:<event>, got '${p}'`);
      }
    }
  }
  const words = [
    stateOrEvent,
    ...(options.recursive ? ["recursive"] : []),
    ...(options.full ? ["full"] : []),
  ];
  return user("ForceCmd", {
    paths_: list,
    stateOrEvent_: stateOrEvent,
    recursive_: options.recursive ?? false,
    setRepeatToLastValue_: options.full ?? false,
  }, `--force=${[...words, ...list].join(" ")}`);
}

/** Which dependencies `--free-dep` frees. */
export interface FreeDepArgs {
  /** Trigger dependencies (the default when nothing is chosen). */
  trigger?: boolean;
  /** All dependencies. */
  all?: boolean;
  /** Date dependencies. */
  date?: boolean;
  /** Time dependencies (time, today, cron). */
  time?: boolean;
}

/**
 * A `FreeDepCmd`; with no choice it frees trigger dependencies.
 *
 * @example
 * ```ts
 * import { freeDepCommand } from "@ecflow-ts/client";
 * console.log(freeDepCommand("/s/t").members);
 * // { paths_: ["/s/t"], trigger_: true, all_: false, date_: false, time_: false }
 * ```
 */
export function freeDepCommand(paths: string | readonly string[], args: FreeDepArgs = {}): Command {
  const list = checkPaths(toPaths(paths), "--free-dep");
  const none = !args.trigger && !args.all && !args.date && !args.time;
  const trigger = none || (args.trigger ?? false);
  const words = [
    ...(args.trigger ? ["trigger"] : []),
    ...(args.all ? ["all"] : []),
    ...(args.date ? ["date"] : []),
    ...(args.time ? ["time"] : []),
  ];
  return user("FreeDepCmd", {
    paths_: list,
    trigger_: trigger,
    all_: args.all ?? false,
    date_: args.date ?? false,
    time_: args.time ?? false,
  }, `--free-dep ${[...words, ...list].join(" ")}`);
}

/** Arguments of a {@linkcode replaceCommand}. */
export interface ReplaceArgs {
  /** Create missing parent nodes (ecflow_client's default `parent`: true). */
  createParents?: boolean;
  /** Replace even when tasks are active or submitted (creates zombies). */
  force?: boolean;
  /** The definition file name as typed (informative). */
  fileName?: string;
}

/**
 * A `ReplaceNodeCmd`: replace the node at `path` with the node of the same
 * path in `defsText` (a whole definition). `extern` lines are removed.
 *
 * @example
 * ```ts
 * import { replaceCommand } from "@ecflow-ts/client";
 * const cmd = replaceCommand("/s", "suite s\nendsuite\n", { fileName: "s.def" });
 * console.log(cmd.label); // --replace=/s s.def parent
 * ```
 */
export function replaceCommand(path: string, defsText: string, args: ReplaceArgs = {}): Command {
  checkPaths([path], "--replace");
  const createParents = args.createParents ?? true;
  const force = args.force ?? false;
  const fileName = args.fileName ?? "";
  return user(
    "ReplaceNodeCmd",
    {
      createNodesAsNeeded_: createParents,
      force_: force,
      pathToNode_: path,
      path_to_defs_: fileName,
      clientDefs_: stripExterns(defsText),
    },
    `--replace=${path} ${fileName}${createParents ? " parent" : ""}${force ? " force" : ""}`,
    300,
  );
}

// ---------------------------------------------------------------- CFileCmd

/** `CFileCmd.file_` values by name. */
export const FILE_KIND = { script: 0, job: 1, jobout: 2, manual: 3, kill: 4, stat: 5 } as const;

/** Which file of a node `--file` fetches. */
export type FileKind = keyof typeof FILE_KIND;

/**
 * A `CFileCmd`: fetch a node's script, job, job output, manual, kill or
 * status output (at most `maxLines` lines).
 *
 * @example
 * ```ts
 * import { fileCommand } from "@ecflow-ts/client";
 * console.log(fileCommand("/s/t", "jobout").members);
 * // { file_: 2, pathToNode_: "/s/t", max_lines_: 10000 }
 * ```
 */
export function fileCommand(path: string, kind: FileKind = "script", maxLines = 10000): Command {
  const value = enumValue(FILE_KIND, kind, "file kind");
  checkPaths([path], "--file");
  checkInt(maxLines, "--file max_lines", 1);
  return user(
    "CFileCmd",
    { file_: value, pathToNode_: path, max_lines_: maxLines },
    `--file=${path} ${kind} ${maxLines}`,
  );
}

// ----------------------------------------------------------- EditScriptCmd

/** `EditScriptCmd.edit_type_` values by name. */
export const EDIT_TYPE = {
  edit: 0,
  pre_process: 1,
  submit: 2,
  pre_process_file: 3,
  submit_file: 4,
} as const;

/** An `--edit_script` operation. */
export type EditType = keyof typeof EDIT_TYPE;

/** Arguments of an {@linkcode editScriptCommand}. */
export interface EditScriptArgs {
  /** The user's script, one string per line (`pre_process_file`, `submit_file`). */
  fileContents?: readonly string[];
  /** Variables to use (`submit`, `submit_file`), name → value, in order. */
  userVariables?: readonly (readonly [string, string])[];
  /** `submit_file`: create an alias instead of changing the task. */
  createAlias?: boolean;
  /** `submit_file`: run the job (default true for `submit_file`, else false). */
  run?: boolean;
}

/**
 * An `EditScriptCmd`: fetch a task's script (`edit`), its pre-processed form
 * (`pre_process`, `pre_process_file`) or submit an edited one (`submit`,
 * `submit_file`).
 *
 * @example
 * ```ts
 * import { editScriptCommand } from "@ecflow-ts/client";
 * console.log(editScriptCommand("/s/t", "edit").members.edit_type_); // 0
 * ```
 */
export function editScriptCommand(
  path: string,
  type: EditType,
  args: EditScriptArgs = {},
): Command {
  const value = enumValue(EDIT_TYPE, type, "edit_script operation");
  checkPaths([path], "--edit_script");
  return user("EditScriptCmd", {
    edit_type_: value,
    path_to_node_: path,
    user_file_contents_: [...(args.fileContents ?? [])],
    user_variables_: (args.userVariables ?? []).map(([first, second]) => ({ first, second })),
    alias_: args.createAlias ?? false,
    run_: args.run ?? type === "submit_file",
  }, `--edit_script=${path} ${type}`);
}

// ---------------------------------------------------------------- PlugCmd

/**
 * A `PlugCmd`: move node `source` under `dest` (a path, or `host:port[/path]`
 * of another server).
 *
 * @example
 * ```ts
 * import { plugCommand } from "@ecflow-ts/client";
 * console.log(plugCommand("/s1/f", "/s2").members); // { source_: "/s1/f", dest_: "/s2" }
 * ```
 */
export function plugCommand(source: string, dest: string): Command {
  checkPaths([source], "--plug");
  if (dest === "") throw new ConfigError("--plug: no destination given");
  return user("PlugCmd", { source_: source, dest_: dest }, `--plug=${source} ${dest}`, 120);
}

// --------------------------------------------------------------- QueryCmd

/** What `--query` can ask about. */
export const QUERY_TYPES = [
  "state",
  "dstate",
  "repeat",
  "event",
  "meter",
  "label",
  "variable",
  "trigger",
  "limit",
  "limit_max",
] as const;

/** A query kind. */
export type QueryType = typeof QUERY_TYPES[number];

/**
 * A `QueryCmd`. `attribute` is the attribute name (event, meter, label,
 * variable, limit), the expression (trigger) or `prev`/`next` (repeat).
 *
 * @example
 * ```ts
 * import { queryCommand } from "@ecflow-ts/client";
 * console.log(queryCommand("event", "/lab/f1/t1", "ev1").label); // --query=event /lab/f1/t1:ev1
 * ```
 */
export function queryCommand(
  type: QueryType,
  path: string,
  attribute = "",
  taskPath = "",
): Command {
  if (!(QUERY_TYPES as readonly string[]).includes(type)) {
    throw new ConfigError(
      `--query: unknown type '${type}': expected one of ${QUERY_TYPES.join(", ")}`,
    );
  }
  checkPaths([path], "--query");
  const named = ["event", "meter", "label", "variable", "limit", "limit_max"].includes(type);
  if (named && attribute === "") {
    throw new ConfigError(`--query ${type}: expected <path>:<name>, got '${path}'`);
  }
  if (type === "trigger" && attribute.trim() === "") {
    throw new ConfigError("--query trigger: expected <path> <expression>");
  }
  if (type === "repeat" && attribute !== "" && attribute !== "prev" && attribute !== "next") {
    throw new ConfigError(`--query repeat: expected prev or next, got '${attribute}'`);
  }
  let shown = path;
  if (named) shown = `${path}:${attribute}`;
  else if (attribute) shown = `${path} ${attribute}`;
  return user("QueryCmd", {
    query_type_: type,
    path_to_attribute_: path,
    attribute_: attribute,
    path_to_task_: taskPath,
  }, `--query=${type} ${shown}`);
}

// --------------------------------------------------------------- AlterCmd

/** `AlterCmd.add_attr_type_` values (5.9.2; `ND` = not this action). */
export const ALTER_ADD = {
  time: 0,
  today: 1,
  date: 2,
  day: 3,
  zombie: 4,
  variable: 5,
  late: 7,
  limit: 8,
  inlimit: 9,
  label: 10,
} as const;
const ADD_ND = 6;

/** `AlterCmd.del_attr_type_` values (5.9.2). */
export const ALTER_DELETE = {
  variable: 0,
  time: 1,
  today: 2,
  date: 3,
  day: 4,
  cron: 5,
  event: 6,
  meter: 7,
  label: 8,
  trigger: 9,
  complete: 10,
  repeat: 11,
  limit: 12,
  limit_path: 13,
  inlimit: 14,
  zombie: 15,
  late: 17,
  queue: 18,
  generic: 19,
} as const;
const DELETE_ND = 16;

/** `AlterCmd.change_attr_type_` values (5.9.2), by ecflow_client's names. */
export const ALTER_CHANGE = {
  variable: 0,
  clock_type: 1,
  clock_date: 2,
  clock_gain: 3,
  event: 4,
  meter: 5,
  label: 6,
  trigger: 7,
  complete: 8,
  repeat: 9,
  limit_max: 10,
  limit_value: 11,
  defstatus: 12,
  clock_sync: 14,
  late: 15,
  time: 16,
  today: 17,
} as const;
const CHANGE_ND = 13;

/** `ecf::Flag::Type` values (5.9.2) by ecflow_client's names. */
export const ALTER_FLAG = {
  force_aborted: 0,
  user_edit: 1,
  task_aborted: 2,
  edit_failed: 3,
  ecfcmd_failed: 4,
  no_script: 5,
  killed: 6,
  late: 7,
  message: 8,
  by_rule: 9,
  queue_limit: 10,
  task_waiting: 11,
  locked: 12,
  zombie: 13,
  no_reque: 14,
  archived: 15,
  restored: 16,
  threshold: 17,
  sigterm: 18,
  log_error: 20,
  checkpt_error: 21,
  killcmd_failed: 22,
  statuscmd_failed: 23,
  status: 24,
} as const;
const FLAG_ND = 19;

/** What `sort` can order. */
export const ALTER_SORT = ["event", "meter", "label", "variable", "limit", "all"] as const;

/** An alteration, as data (mirrors `--alter=<action> <kind> [name] [value]`). */
export type Alteration =
  | { action: "add"; kind: keyof typeof ALTER_ADD; name: string; value?: string }
  | { action: "delete"; kind: keyof typeof ALTER_DELETE; name?: string; value?: string }
  | { action: "change"; kind: keyof typeof ALTER_CHANGE; name?: string; value?: string }
  | { action: "set_flag" | "clear_flag"; flag: keyof typeof ALTER_FLAG }
  | { action: "sort"; kind: typeof ALTER_SORT[number]; recursive?: boolean };

/**
 * An `AlterCmd` over one or many paths (`/` alone = server variables). The
 * unused enum members carry their "not defined" values, as the server expects.
 *
 * @example
 * ```ts
 * import { alterCommand } from "@ecflow-ts/client";
 * const cmd = alterCommand("/lab/f1", { action: "add", kind: "variable", name: "X", value: "1" });
 * console.log(cmd.members.add_attr_type_, cmd.members.del_attr_type_); // 5 16
 * ```
 */
export function alterCommand(paths: string | readonly string[], alt: Alteration): Command {
  const list = checkPaths(toPaths(paths), "--alter");
  let add = ADD_ND, del = DELETE_ND, change = CHANGE_ND, flagType = FLAG_ND, flag = false;
  let name = "", value = "";
  let words: string[];
  switch (alt.action) {
    case "add":
      add = enumValue(ALTER_ADD, alt.kind, "alter add kind");
      name = alt.name;
      value = alt.value ?? "";
      if (name === "") throw new ConfigError(`--alter add ${alt.kind}: no name/value given`);
      words = ["add", alt.kind, name, ...(value ? [value] : [])];
      break;
    case "delete":
      del = enumValue(ALTER_DELETE, alt.kind, "alter delete kind");
      name = alt.name ?? "";
      value = alt.value ?? "";
      words = ["delete", alt.kind, ...(name ? [name] : []), ...(value ? [value] : [])];
      break;
    case "change":
      change = enumValue(ALTER_CHANGE, alt.kind, "alter change kind");
      name = alt.name ?? "";
      value = alt.value ?? "";
      words = ["change", alt.kind, ...(name ? [name] : []), ...(value ? [value] : [])];
      break;
    case "set_flag":
    case "clear_flag":
      flagType = enumValue(ALTER_FLAG, alt.flag, "flag");
      flag = alt.action === "set_flag";
      words = [alt.action, alt.flag];
      break;
    case "sort":
      if (!(ALTER_SORT as readonly string[]).includes(alt.kind)) {
        throw new ConfigError(
          `--alter sort: unknown kind '${alt.kind}': expected one of ${ALTER_SORT.join(", ")}`,
        );
      }
      name = alt.kind;
      value = alt.recursive ? "recursive" : "";
      words = ["sort", alt.kind, ...(value ? [value] : [])];
      break;
    default:
      throw new ConfigError(`--alter: unknown action '${(alt as { action: string }).action}'`);
  }
  return user("AlterCmd", {
    paths_: list,
    name_: name,
    value_: value,
    add_attr_type_: add,
    del_attr_type_: del,
    change_attr_type_: change,
    flag_type_: flagType,
    flag_: flag,
  }, `--alter ${[...words, ...list].join(" ")}`);
}

// ---------------------------------------------------------- ShowCmd, group

/**
 * A `ShowCmd` (only meaningful inside a group: the client prints the
 * definition fetched earlier in the group; the style is not sent).
 *
 * @example
 * ```ts
 * import { showCommand } from "@ecflow-ts/client";
 * console.log(showCommand().cls); // ShowCmd
 * ```
 */
export function showCommand(): Command {
  return user("ShowCmd", {}, "show");
}

/**
 * A `GroupCTSCmd`: several commands in one request. `cli` is true when the
 * group comes from the command line (ecflow_client's `--group`).
 *
 * @example
 * ```ts
 * import { ctsNodeCommand, groupCommand } from "@ecflow-ts/client";
 * const g = groupCommand([ctsNodeCommand("get"), ctsNodeCommand("why", "/s/t")]);
 * console.log(g.label); // --group=--get; --why=/s/t
 * ```
 */
export function groupCommand(
  children: readonly Command[],
  options: { cli?: boolean } = {},
): Command {
  if (children.length === 0) throw new ConfigError("--group: no commands given");
  for (const c of children) {
    if (c.base !== "user" || c.cls === "GroupCTSCmd") {
      throw new ConfigError(`--group: '${c.label}' cannot be part of a group`);
    }
  }
  const timeout = Math.max(60, ...children.map((c) => c.timeoutSeconds ?? 60));
  return {
    cls: "GroupCTSCmd",
    base: "user",
    members: { cli_: options.cli ?? true },
    label: `--group=${children.map((c) => c.label).join("; ")}`,
    children: [...children],
    timeoutSeconds: timeout,
  };
}
