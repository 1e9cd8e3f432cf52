/**
 * The user (client-to-server) commands, each defined once as a {@linkcode Request}: the
 * command data and the decoder of its reply to a typed result. Builders take names, never raw
 * enum numbers (the numbers come from `../wire/enums.ts`, whose tables also bound what the
 * encoder accepts), check their arguments and throw {@linkcode ConfigError} before anything is
 * encoded. Labels are how ecflow_client names the request (its server log form). Pure.
 *
 * @module
 */
import type { JsonObject } from "../wire/cereal.ts";
import type { Command } from "../wire/request.ts";
import { type Reply, type Zombie, ZOMBIE_ACTIONS, type ZombieAction } from "../wire/reply.ts";
import {
  ALTER_ADD,
  ALTER_CHANGE,
  ALTER_DELETE,
  ALTER_FLAG,
  ALTER_NOT_DEFINED,
  CHECKPT_MODE,
  CLIENT_HANDLE_API,
  CTS_API,
  CTS_NODE_API,
  EDIT_TYPE,
  FILE_KIND,
  LOG_API,
  ORDER_OPTION,
  PATHS_API,
  REQUEUE_OPTION,
  SYNC_API,
  ZOMBIE_USER_ACTION,
} from "../wire/enums.ts";
import { ConfigError } from "../errors.ts";
import {
  acknowledged,
  expectReply,
  type ReplyOf,
  type Request,
  request,
  textReply,
} from "./request.ts";

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

/** A `CtsCmd` operation, named like its ecflow_client option. */
export type CtsApi = keyof typeof CTS_API;

/** The `CtsCmd` operations the server only acknowledges (besides `ping`). */
export type CtsAction = Exclude<
  CtsApi,
  "ping" | "zombie_get" | "stats" | "suites" | "server_load" | "stats_server"
>;

const CTS_CONFIRMED = new Set<string>(["halt", "shutdown", "terminate"]);

function cts(api: CtsApi): Command {
  const value = typeof api === "string" && Object.hasOwn(CTS_API, api) ? CTS_API[api] : undefined;
  if (value === undefined) throw new ConfigError(`unknown server command '${api}'`);
  const label = CTS_CONFIRMED.has(api) ? `--${api}=yes` : `--${api}`;
  return user("CtsCmd", { api_: value }, label, api === "ping" ? 10 : undefined);
}

/**
 * A `CtsCmd`, a server-wide command without arguments. `suites` resolves with the suite names,
 * `stats` with the statistics text, `stats_server` with the raw statistics values,
 * `server_load` with the server log's path, `zombie_get` with the zombies; the others (`ping`,
 * `restart`, `halt`, `shutdown`, `terminate`, `stats_reset`, `force-dep-eval`, …) are
 * acknowledged.
 *
 * @example
 * ```ts
 * import { ctsCommand } from "@ecflow-ts/client/wire";
 * import { assertEquals } from "@std/assert";
 * assertEquals(ctsCommand("restart").members, { api_: 2 });
 * assertEquals(ctsCommand("halt").label, "--halt=yes");
 * assertEquals(ctsCommand("ping").timeoutSeconds, 10);
 * assertEquals(ctsCommand("suites").decode({ kind: "suites", suites: ["a"] }), ["a"]);
 * ```
 */
export function ctsCommand(api: "ping" | CtsAction): Request<void>;
/** `--suites`: the names of the server's suites. */
export function ctsCommand(api: "suites"): Request<string[]>;
/** `--stats` (the statistics as text) and `--server_load` (the server log's path). */
export function ctsCommand(api: "stats" | "server_load"): Request<string>;
/** `--stats_server`: the raw statistics values, in the server's order. */
export function ctsCommand(api: "stats_server"): Request<unknown[]>;
/** `--zombie_get`: the server's zombies. */
export function ctsCommand(api: "zombie_get"): Request<Zombie[]>;
export function ctsCommand(
  api: CtsApi,
): Request<void> | Request<string[]> | Request<string> | Request<unknown[]> | Request<Zombie[]> {
  const cmd = cts(api);
  switch (api) {
    case "suites":
      return request(cmd, (r, label) => expectReply(r, label, "suites").suites);
    case "stats":
      return request(cmd, textReply);
    case "server_load":
      return request(cmd, (r, label) => expectReply(r, label, "serverLoad").logFilePath);
    case "stats_server":
      return request(cmd, (r, label) => expectReply(r, label, "stats").values);
    case "zombie_get":
      return request(cmd, (r, label) => expectReply(r, label, "zombies").zombies);
    default:
      return request(cmd, acknowledged);
  }
}

/**
 * `--server_version` (`ServerVersionCmd`, the same class in every version): the server's
 * version, e.g. `5.9.2`.
 *
 * @example
 * ```ts
 * import { serverVersionCommand } from "@ecflow-ts/client/wire";
 * import { assertEquals } from "@std/assert";
 * assertEquals(serverVersionCommand().cls, "ServerVersionCmd");
 * assertEquals(serverVersionCommand().decode({ kind: "string", value: "5.17.0" }), "5.17.0");
 * ```
 */
export function serverVersionCommand(): Request<string> {
  return request(
    { cls: "ServerVersionCmd", base: "user", members: {}, label: "--server_version" },
    textReply,
  );
}

// -------------------------------------------------------------- CtsNodeCmd

/** A `CtsNodeCmd` operation, named like its ecflow_client option. */
export type CtsNodeApi = keyof typeof CTS_NODE_API;

/** The `CtsNodeCmd` operations that fetch definition text. */
export type DefinitionApi = "get" | "get_state" | "migrate";

/**
 * Definition text as the server sends it (NET style): the whole definition (`scope` `defs`)
 * or one node (`node`). `get`, `get_state` and `migrate` differ only in how ecflow_client
 * prints it.
 */
export interface DefinitionText {
  /** `defs` for the whole definition, `node` for one node. */
  scope: "defs" | "node";
  /** The text. */
  text: string;
}

const CTS_NODE_TIMEOUT: Partial<Record<CtsNodeApi, number>> = {
  get: 600,
  get_state: 600,
  migrate: 120,
};

/**
 * A `CtsNodeCmd` for the whole definition (empty path) or one node: `get`, `get_state` and
 * `migrate` resolve with the {@linkcode DefinitionText}; `job_gen`, `checkJobGenOnly` and `why`
 * are acknowledged.
 *
 * @example
 * ```ts
 * import { ctsNodeCommand } from "@ecflow-ts/client/wire";
 * import { assertEquals } from "@std/assert";
 * const cmd = ctsNodeCommand("get", "/lab/f1");
 * assertEquals(cmd.members, { api_: 3, absNodePath_: "/lab/f1" });
 * assertEquals(cmd.label, "--get=/lab/f1");
 * assertEquals(cmd.decode({ kind: "node", text: "family f1\n" }), {
 *   scope: "node",
 *   text: "family f1\n",
 * });
 * ```
 */
export function ctsNodeCommand(api: DefinitionApi, path?: string): Request<DefinitionText>;
/** A `CtsNodeCmd` the server acknowledges: `job_gen`, `checkJobGenOnly`, `why`. */
export function ctsNodeCommand(
  api: Exclude<CtsNodeApi, DefinitionApi>,
  path?: string,
): Request<void>;
export function ctsNodeCommand(
  api: CtsNodeApi,
  path = "",
): Request<DefinitionText> | Request<void> {
  const value = enumValue(CTS_NODE_API, api, "node command");
  if (path !== "" && !path.startsWith("/")) {
    throw new ConfigError(`--${api}: invalid path '${path}': paths must begin with '/'`);
  }
  const cmd = user(
    "CtsNodeCmd",
    { api_: value, absNodePath_: path },
    path === "" ? `--${api}` : `--${api}=${path}`,
    CTS_NODE_TIMEOUT[api],
  );
  if (api === "get" || api === "get_state" || api === "migrate") {
    return request(cmd, (r, label): DefinitionText => {
      const reply = expectReply(r, label, "defs", "node");
      return { scope: reply.kind, text: reply.text };
    });
  }
  return request(cmd, acknowledged);
}

// ---------------------------------------------------------------- PathsCmd

/** A `PathsCmd` operation, named like its ecflow_client option. */
export type PathsApi = keyof typeof PATHS_API;

/** The `PathsCmd` operations the server only acknowledges. */
export type PathsAction = Exclude<PathsApi, "check" | "edit_history">;

function paths(api: PathsApi, given: string | readonly string[]): Command {
  const value = enumValue(PATHS_API, api, "paths command");
  const list = toPaths(given);
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

/**
 * A `PathsCmd` over one or many node paths: `check` (no paths = the whole definition) resolves
 * with the problems found as text; `edit_history` (the word `clear` clears every node's) with
 * one entry per line; `suspend`, `resume`, `kill`, `status`, `archive`, `restore` are
 * acknowledged.
 *
 * @example
 * ```ts
 * import { pathsCommand } from "@ecflow-ts/client/wire";
 * import { assertEquals } from "@std/assert";
 * const cmd = pathsCommand("suspend", ["/s1", "/s2"]);
 * assertEquals(cmd.members, { api_: 1, paths_: ["/s1", "/s2"], force_: false });
 * assertEquals(cmd.label, "--suspend /s1 /s2");
 * assertEquals(pathsCommand("check", []).label, "--check _all_");
 * assertEquals(pathsCommand("edit_history", "/s").decode({ kind: "stc", status: "ok" }), []);
 * ```
 */
export function pathsCommand(api: PathsAction, given: string | readonly string[]): Request<void>;
/** `--check`: the trigger and limit problems of nodes, as text ("" when there are none). */
export function pathsCommand(api: "check", given?: string | readonly string[]): Request<string>;
/** `--edit_history`: a node's edit history, one entry per line. */
export function pathsCommand(
  api: "edit_history",
  given: string | readonly string[],
): Request<string[]>;
export function pathsCommand(
  api: PathsApi,
  given: string | readonly string[] = [],
): Request<void> | Request<string> | Request<string[]> {
  const cmd = paths(api, given);
  if (api === "check") return request(cmd, textReply);
  if (api === "edit_history") {
    return request(cmd, (r, label) => {
      const reply = expectReply(r, label, "stringVec", "stc");
      return reply.kind === "stringVec" ? reply.values : [];
    });
  }
  return request(cmd, acknowledged);
}

// --------------------------------------------------------------- DeleteCmd

/**
 * A `DeleteCmd`: the given nodes, or every suite when `paths` is empty.
 *
 * @example
 * ```ts
 * import { deleteCommand } from "@ecflow-ts/client/wire";
 * import { assertEquals } from "@std/assert";
 * const cmd = deleteCommand(["/lab2"], { force: true });
 * assertEquals(cmd.members, { paths_: ["/lab2"], force_: true });
 * assertEquals(cmd.label, "--delete force yes /lab2");
 * ```
 */
export function deleteCommand(
  given: string | readonly string[],
  options: { force?: boolean } = {},
): Request<void> {
  const list = checkPaths(toPaths(given), "--delete", true);
  const force = options.force ?? false;
  const words = [...(list.length === 0 ? ["_all_"] : []), ...(force ? ["force"] : []), "yes"];
  return request(
    user("DeleteCmd", { paths_: list, force_: force }, `--delete ${[...words, ...list].join(" ")}`),
    acknowledged,
  );
}

// ---------------------------------------------------------------- CSyncCmd

/** A `CSyncCmd` operation. */
export type SyncApi = keyof typeof SYNC_API;

/** What `--news` says: nothing changed, something changed, or only a full sync will do. */
export type News = ReplyOf<"news">["news"];

/** The reply of a sync: the change numbers, and the full definition or the changes. */
export type SyncReply = Omit<ReplyOf<"sync">, "kind">;

/**
 * A `CSyncCmd` for a client handle (0 = all suites) and the change numbers the client holds:
 * `news` resolves with the {@linkcode News}; `sync`, `sync_full`, `sync_clock` with the
 * {@linkcode SyncReply}.
 *
 * @example
 * ```ts
 * import { syncCommand } from "@ecflow-ts/client/wire";
 * import { assertEquals } from "@std/assert";
 * const news = syncCommand("news", 0, 76, 8);
 * assertEquals(news.label, "--news=0 76 8");
 * assertEquals(news.decode({ kind: "news", news: "none" }), "none");
 * ```
 */
export function syncCommand(
  api: "news",
  handle?: number,
  stateChange?: number,
  modifyChange?: number,
): Request<News>;
/** A `CSyncCmd` that synchronises: `sync`, `sync_full`, `sync_clock`. */
export function syncCommand(
  api: Exclude<SyncApi, "news">,
  handle?: number,
  stateChange?: number,
  modifyChange?: number,
): Request<SyncReply>;
export function syncCommand(
  api: SyncApi,
  handle = 0,
  stateChange = 0,
  modifyChange = 0,
): Request<News> | Request<SyncReply> {
  const value = enumValue(SYNC_API, api, "sync command");
  checkInt(handle, `--${api} handle`);
  checkInt(stateChange, `--${api} state change number`);
  checkInt(modifyChange, `--${api} modify change number`);
  const label = api === "sync_full"
    ? `--sync_full=${handle}`
    : `--${api}=${handle} ${stateChange} ${modifyChange}`;
  const cmd = user(
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
  if (api === "news") return request(cmd, (r, l) => expectReply(r, l, "news").news);
  return request(cmd, (r, l): SyncReply => {
    const { kind: _, ...sync } = expectReply(r, l, "sync");
    return sync;
  });
}

// --------------------------------------------------------- ClientHandleCmd

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

/** Every user's client handles and the suites of each handle (`--ch_suites`). */
export type ClientHandles = Omit<ReplyOf<"clientHandleSuites">, "kind">;

/**
 * A `ClientHandleCmd` (suite filters for news and sync): `ch_register` resolves with the new
 * handle, `ch_suites` with the {@linkcode ClientHandles}, the others are acknowledged.
 *
 * @example
 * ```ts
 * import { clientHandleCommand } from "@ecflow-ts/client/wire";
 * import { assertEquals } from "@std/assert";
 * const cmd = clientHandleCommand("ch_register", { suites: ["lab"] });
 * assertEquals(cmd.label, "--ch_register=false lab");
 * assertEquals(cmd.decode({ kind: "clientHandle", handle: 3 }), 3);
 * ```
 */
export function clientHandleCommand(
  api: "ch_register",
  args?: ClientHandleArgs,
): Request<number>;
/** `--ch_suites`: every user's handles and their suites. */
export function clientHandleCommand(
  api: "ch_suites",
  args?: ClientHandleArgs,
): Request<ClientHandles>;
/** The acknowledged `ClientHandleCmd`s: `ch_drop`, `ch_drop_user`, `ch_add`, `ch_rem`, `ch_auto_add`. */
export function clientHandleCommand(
  api: Exclude<ClientHandleApi, "ch_register" | "ch_suites">,
  args?: ClientHandleArgs,
): Request<void>;
export function clientHandleCommand(
  api: ClientHandleApi,
  args: ClientHandleArgs = {},
): Request<number> | Request<ClientHandles> | Request<void> {
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
  const cmd = user("ClientHandleCmd", {
    api_: value,
    client_handle_: handle,
    drop_user_: dropUser,
    suites_: suites,
    auto_add_new_suites_: auto,
  }, label);
  switch (api) {
    case "ch_register":
      return request(cmd, (r, l) => expectReply(r, l, "clientHandle").handle);
    case "ch_suites":
      return request(cmd, (r, l): ClientHandles => {
        const { kind: _, ...handles } = expectReply(r, l, "clientHandleSuites");
        return handles;
      });
    case "ch_drop":
    case "ch_drop_user":
      // the server answers a drop with the (now gone) handle, or a plain acknowledgement
      return request(cmd, (r, l) => void expectReply(r, l, "clientHandle", "stc"));
    default:
      return request(cmd, acknowledged);
  }
}

// -------------------------------------------------------------- CheckPtCmd

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
 * import { checkPtCommand } from "@ecflow-ts/client/wire";
 * import { assertEquals } from "@std/assert";
 * assertEquals(checkPtCommand().members, { mode_: 3, check_pt_interval_: 0, check_pt_save_time_alarm_: 0 });
 * ```
 */
export function checkPtCommand(args: CheckPtArgs = {}): Request<void> {
  const mode = enumValue(CHECKPT_MODE, args.mode ?? "undefined", "check point mode");
  const interval = checkInt(args.interval ?? 0, "--check_pt interval");
  const alarm = checkInt(args.alarm ?? 0, "--check_pt alarm");
  let label = "--check_pt";
  if (args.mode && args.mode !== "undefined") label += `=${args.mode}`;
  if (interval) label += `${label.includes("=") ? ":" : "="}${interval}`;
  if (alarm) label += `=alarm:${alarm}`;
  return request(
    user("CheckPtCmd", {
      mode_: mode,
      check_pt_interval_: interval,
      check_pt_save_time_alarm_: alarm,
    }, label),
    acknowledged,
  );
}

// ------------------------------------------------------------- LoadDefsCmd

/**
 * Removes `extern` lines from definition text: a 5.9.2 server (and HEAD)
 * aborts on a load or replace that contains one. Lines keep their endings.
 *
 * @example
 * ```ts
 * import { stripExterns } from "@ecflow-ts/client/wire";
 * import { assertEquals } from "@std/assert";
 * assertEquals(stripExterns("extern /x/y\nsuite s\nendsuite\n"), "suite s\nendsuite\n");
 * ```
 */
export function stripExterns(text: string): string {
  if (!text.includes("extern")) return text; // the text ecflow-ts prints has none
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
 * import { loadDefsCommand } from "@ecflow-ts/client/wire";
 * import { assertEquals } from "@std/assert";
 * const cmd = loadDefsCommand("extern /a\nsuite s\nendsuite\n", { fileName: "s.def" });
 * assertEquals(cmd.members.defs_, "suite s\nendsuite\n");
 * assertEquals(cmd.label, "--load=s.def");
 * ```
 */
export function loadDefsCommand(text: string, args: LoadArgs = {}): Request<void> {
  const fileName = args.fileName ?? "";
  return request(
    user(
      "LoadDefsCmd",
      {
        force_: args.force ?? false,
        defs_: stripExterns(text),
        defs_filename_: fileName,
      },
      `--load=${fileName}${args.force ? " force" : ""}`,
      600,
    ),
    acknowledged,
  );
}

// ----------------------------------------------------------------- LogCmd

/** A `LogCmd` operation. */
export type LogApi = keyof typeof LOG_API;

/**
 * A `LogCmd`: `get` the last `lines` lines and `path` resolve with text; `clear`, `flush` and
 * `new` (optionally at `newPath`) are acknowledged.
 *
 * @example
 * ```ts
 * import { logCommand } from "@ecflow-ts/client/wire";
 * import { assertEquals } from "@std/assert";
 * assertEquals(logCommand("get", { lines: 20 }).members, {
 *   api_: 0,
 *   get_last_n_lines_: 20,
 *   new_path_: "",
 * });
 * ```
 */
export function logCommand(
  api: "get" | "path",
  args?: { lines?: number; newPath?: string },
): Request<string>;
/** The acknowledged `LogCmd`s: `clear`, `flush`, `new`. */
export function logCommand(
  api: "clear" | "flush" | "new",
  args?: { lines?: number; newPath?: string },
): Request<void>;
export function logCommand(
  api: LogApi,
  args: { lines?: number; newPath?: string } = {},
): Request<string> | Request<void> {
  const value = enumValue(LOG_API, api, "log command");
  const lines = checkInt(args.lines ?? 100, "--log=get lines");
  const newPath = args.newPath ?? "";
  let label = `--log=${api}`;
  if (api === "get") label += ` ${lines}`;
  if (api === "new" && newPath) label += ` ${newPath}`;
  const cmd = user("LogCmd", { api_: value, get_last_n_lines_: lines, new_path_: newPath }, label);
  return api === "get" || api === "path" ? request(cmd, textReply) : request(cmd, acknowledged);
}

/**
 * A `LogMessageCmd`: writes `message` into the server log.
 *
 * @example
 * ```ts
 * import { logMessageCommand } from "@ecflow-ts/client/wire";
 * import { assertEquals } from "@std/assert";
 * assertEquals(logMessageCommand("hello").members, { msg_: "hello" });
 * ```
 */
export function logMessageCommand(message: string): Request<void> {
  return request(user("LogMessageCmd", { msg_: message }, `--msg=${message}`), acknowledged);
}

// --------------------------------------------------------------- BeginCmd

/**
 * A `BeginCmd`: begin one suite, or all suites when `suite` is empty.
 *
 * @example
 * ```ts
 * import { beginCommand } from "@ecflow-ts/client/wire";
 * import { assertEquals } from "@std/assert";
 * assertEquals(beginCommand("lab").members, { suiteName_: "lab", force_: false });
 * ```
 */
export function beginCommand(suite = "", options: { force?: boolean } = {}): Request<void> {
  if (suite.includes("/") || /\s/.test(suite)) {
    throw new ConfigError(`--begin: invalid suite name '${suite}' (a suite name, not a path)`);
  }
  const force = options.force ?? false;
  const arg = [suite, force ? "--force" : ""].filter((s) => s).join(" ");
  return request(
    user(
      "BeginCmd",
      { suiteName_: suite, force_: force },
      arg ? `--begin=${arg}` : "--begin",
      80,
    ),
    acknowledged,
  );
}

// -------------------------------------------------------------- ZombieCmd

/**
 * A `ZombieCmd`: what to do with the zombies of the given tasks. The process
 * id and password pick one zombie when a task has several.
 *
 * @example
 * ```ts
 * import { zombieCommand } from "@ecflow-ts/client/wire";
 * import { assertEquals } from "@std/assert";
 * assertEquals(zombieCommand("remove", "/lab/f1/t1").label, "--zombie_remove=/lab/f1/t1");
 * ```
 */
export function zombieCommand(
  action: ZombieAction,
  paths: string | readonly string[],
  options: { processId?: string; password?: string } = {},
): Request<void> {
  if (!(ZOMBIE_ACTIONS as readonly string[]).includes(action)) {
    throw new ConfigError(
      `unknown zombie action '${action}': expected one of ${ZOMBIE_ACTIONS.join(", ")}`,
    );
  }
  const list = checkPaths(toPaths(paths), `--zombie_${action}`);
  return request(
    user("ZombieCmd", {
      user_action_: ZOMBIE_USER_ACTION[action],
      process_id_: options.processId ?? "",
      password_: options.password ?? "",
      paths_: list,
    }, `--zombie_${action}=${list.join(" ")}`),
    acknowledged,
  );
}

// ------------------------------------------------------ node state commands

/** A requeue option: `none`, `abort` (only aborted tasks), `force`. */
export type RequeueOption = keyof typeof REQUEUE_OPTION;

/**
 * A `RequeueNodeCmd`.
 *
 * @example
 * ```ts
 * import { requeueCommand } from "@ecflow-ts/client/wire";
 * import { assertEquals } from "@std/assert";
 * assertEquals(requeueCommand("/lab/f1", "force").members, { paths_: ["/lab/f1"], option_: 2 });
 * ```
 */
export function requeueCommand(
  paths: string | readonly string[],
  option: RequeueOption = "none",
): Request<void> {
  const value = enumValue(REQUEUE_OPTION, option, "requeue option");
  const list = checkPaths(toPaths(paths), "--requeue");
  const word = option === "none" ? "" : `${option} `;
  return request(
    user(
      "RequeueNodeCmd",
      { paths_: list, option_: value },
      `--requeue ${word}${list.join(" ")}`,
    ),
    acknowledged,
  );
}

/** How to re-order a node among its siblings. */
export type OrderOption = keyof typeof ORDER_OPTION;

/**
 * An `OrderNodeCmd`.
 *
 * @example
 * ```ts
 * import { orderCommand } from "@ecflow-ts/client/wire";
 * import { assertEquals } from "@std/assert";
 * assertEquals(orderCommand("/lab/f2", "top").members, { absNodepath_: "/lab/f2", option_: 0 });
 * ```
 */
export function orderCommand(path: string, option: OrderOption): Request<void> {
  const value = enumValue(ORDER_OPTION, option, "order option");
  checkPaths([path], "--order");
  return request(
    user("OrderNodeCmd", { absNodepath_: path, option_: value }, `--order=${path} ${option}`),
    acknowledged,
  );
}

/**
 * A `RunNodeCmd`: submit tasks now, ignoring dependencies.
 *
 * @example
 * ```ts
 * import { runCommand } from "@ecflow-ts/client/wire";
 * import { assertEquals } from "@std/assert";
 * assertEquals(runCommand("/s/t", { force: true }).members, { paths_: ["/s/t"], force_: true });
 * ```
 */
export function runCommand(
  paths: string | readonly string[],
  options: { force?: boolean } = {},
): Request<void> {
  const list = checkPaths(toPaths(paths), "--run");
  const force = options.force ?? false;
  return request(
    user(
      "RunNodeCmd",
      { paths_: list, force_: force },
      `--run ${force ? "force " : ""}${list.join(" ")}`,
    ),
    acknowledged,
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
 * import { forceCommand } from "@ecflow-ts/client/wire";
 * import { assertEquals } from "@std/assert";
 * assertEquals(forceCommand("/lab/f1/t3", "complete").members, { paths_: ["/lab/f1/t3"], stateOrEvent_: "complete", recursive_: false, setRepeatToLastValue_: false });
 * ```
 */
export function forceCommand(
  paths: string | readonly string[],
  stateOrEvent: ForceState | "set" | "clear",
  options: { recursive?: boolean; full?: boolean } = {},
): Request<void> {
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
  return request(
    user("ForceCmd", {
      paths_: list,
      stateOrEvent_: stateOrEvent,
      recursive_: options.recursive ?? false,
      setRepeatToLastValue_: options.full ?? false,
    }, `--force=${[...words, ...list].join(" ")}`),
    acknowledged,
  );
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
 * import { freeDepCommand } from "@ecflow-ts/client/wire";
 * import { assertEquals } from "@std/assert";
 * assertEquals(freeDepCommand("/s/t").members, { paths_: ["/s/t"], trigger_: true, all_: false, date_: false, time_: false });
 * ```
 */
export function freeDepCommand(
  paths: string | readonly string[],
  args: FreeDepArgs = {},
): Request<void> {
  const list = checkPaths(toPaths(paths), "--free-dep");
  const none = !args.trigger && !args.all && !args.date && !args.time;
  const trigger = none || (args.trigger ?? false);
  const words = [
    ...(args.trigger ? ["trigger"] : []),
    ...(args.all ? ["all"] : []),
    ...(args.date ? ["date"] : []),
    ...(args.time ? ["time"] : []),
  ];
  return request(
    user("FreeDepCmd", {
      paths_: list,
      trigger_: trigger,
      all_: args.all ?? false,
      date_: args.date ?? false,
      time_: args.time ?? false,
    }, `--free-dep ${[...words, ...list].join(" ")}`),
    acknowledged,
  );
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
 * import { replaceCommand } from "@ecflow-ts/client/wire";
 * import { assertEquals } from "@std/assert";
 * const cmd = replaceCommand("/s", "suite s\nendsuite\n", { fileName: "s.def" });
 * assertEquals(cmd.label, "--replace=/s s.def parent");
 * ```
 */
export function replaceCommand(
  path: string,
  defsText: string,
  args: ReplaceArgs = {},
): Request<void> {
  checkPaths([path], "--replace");
  const createParents = args.createParents ?? true;
  const force = args.force ?? false;
  const fileName = args.fileName ?? "";
  return request(
    user(
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
    ),
    acknowledged,
  );
}

// ---------------------------------------------------------------- CFileCmd

/** Which file of a node `--file` fetches. */
export type FileKind = keyof typeof FILE_KIND;

/**
 * A `CFileCmd`: fetch a node's script, job, job output, manual, kill or
 * status output (at most `maxLines` lines).
 *
 * @example
 * ```ts
 * import { fileCommand } from "@ecflow-ts/client/wire";
 * import { assertEquals } from "@std/assert";
 * assertEquals(fileCommand("/s/t", "jobout").members, {
 *   file_: 2,
 *   pathToNode_: "/s/t",
 *   max_lines_: 10000,
 * });
 * ```
 */
export function fileCommand(
  path: string,
  kind: FileKind = "script",
  maxLines = 10000,
): Request<string> {
  const value = enumValue(FILE_KIND, kind, "file kind");
  checkPaths([path], "--file");
  checkInt(maxLines, "--file max_lines", 1);
  return request(
    user(
      "CFileCmd",
      { file_: value, pathToNode_: path, max_lines_: maxLines },
      `--file=${path} ${kind} ${maxLines}`,
    ),
    textReply,
  );
}

// ----------------------------------------------------------- EditScriptCmd

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
 * An `EditScriptCmd`: fetch a task's script (`edit`) or its pre-processed form
 * (`pre_process`, `pre_process_file`) as text, or submit an edited one (`submit`,
 * `submit_file`, acknowledged).
 *
 * @example
 * ```ts
 * import { editScriptCommand } from "@ecflow-ts/client/wire";
 * import { assertEquals } from "@std/assert";
 * assertEquals(editScriptCommand("/s/t", "edit").members.edit_type_, 0);
 * ```
 */
export function editScriptCommand(
  path: string,
  type: "edit" | "pre_process" | "pre_process_file",
  args?: EditScriptArgs,
): Request<string>;
/** The `EditScriptCmd`s that submit: `submit`, `submit_file`. */
export function editScriptCommand(
  path: string,
  type: "submit" | "submit_file",
  args?: EditScriptArgs,
): Request<void>;
export function editScriptCommand(
  path: string,
  type: EditType,
  args: EditScriptArgs = {},
): Request<string> | Request<void> {
  const value = enumValue(EDIT_TYPE, type, "edit_script operation");
  checkPaths([path], "--edit_script");
  const cmd = user("EditScriptCmd", {
    edit_type_: value,
    path_to_node_: path,
    user_file_contents_: [...(args.fileContents ?? [])],
    user_variables_: (args.userVariables ?? []).map(([first, second]) => ({ first, second })),
    alias_: args.createAlias ?? false,
    run_: args.run ?? type === "submit_file",
  }, `--edit_script=${path} ${type}`);
  return type === "submit" || type === "submit_file"
    ? request(cmd, acknowledged)
    : request(cmd, textReply);
}

// ---------------------------------------------------------------- PlugCmd

/**
 * A `PlugCmd`: move node `source` under `dest` (a path, or `host:port[/path]`
 * of another server).
 *
 * @example
 * ```ts
 * import { plugCommand } from "@ecflow-ts/client/wire";
 * import { assertEquals } from "@std/assert";
 * assertEquals(plugCommand("/s1/f", "/s2").members, { source_: "/s1/f", dest_: "/s2" });
 * ```
 */
export function plugCommand(source: string, dest: string): Request<void> {
  checkPaths([source], "--plug");
  if (dest === "") throw new ConfigError("--plug: no destination given");
  return request(
    user("PlugCmd", { source_: source, dest_: dest }, `--plug=${source} ${dest}`, 120),
    acknowledged,
  );
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
 * import { queryCommand } from "@ecflow-ts/client/wire";
 * import { assertEquals } from "@std/assert";
 * const req = queryCommand("event", "/lab/f1/t1", "ev1");
 * assertEquals(req.label, "--query=event /lab/f1/t1:ev1");
 * assertEquals(req.decode({ kind: "string", value: "set" }), "set");
 * ```
 */
export function queryCommand(
  type: QueryType,
  path: string,
  attribute = "",
  taskPath = "",
): Request<string> {
  if (!(QUERY_TYPES as readonly string[]).includes(type)) {
    throw new ConfigError(
      `--query: unknown type '${type}': expected one of ${QUERY_TYPES.join(", ")}`,
    );
  }
  checkPaths([path], "--query");
  if (taskPath !== "" && !taskPath.startsWith("/")) {
    throw new ConfigError(`--query: invalid path to task '${taskPath}' (ECF_NAME)`);
  }
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
  return request(
    user("QueryCmd", {
      query_type_: type,
      path_to_attribute_: path,
      attribute_: attribute,
      path_to_task_: taskPath,
    }, `--query=${type} ${shown}`),
    textReply,
  );
}

// --------------------------------------------------------------- AlterCmd

/** What `sort` can order. */
export const ALTER_SORT = ["event", "meter", "label", "variable", "limit", "all"] as const;

/** An attribute kind `sort` orders. */
export type SortKind = typeof ALTER_SORT[number];

/** An alteration, as data (mirrors `--alter=<action> <kind> [name] [value]`). */
export type Alteration =
  | { action: "add"; kind: keyof typeof ALTER_ADD; name: string; value?: string }
  | { action: "delete"; kind: keyof typeof ALTER_DELETE; name?: string; value?: string }
  | { action: "change"; kind: keyof typeof ALTER_CHANGE; name?: string; value?: string }
  | { action: "set_flag" | "clear_flag"; flag: keyof typeof ALTER_FLAG }
  | { action: "sort"; kind: SortKind; recursive?: boolean };

/**
 * An `AlterCmd` over one or many paths (`/` alone = server variables). The
 * unused enum members carry their "not defined" values, as the server expects.
 *
 * @example
 * ```ts
 * import { alterCommand } from "@ecflow-ts/client/wire";
 * import { assertEquals } from "@std/assert";
 * const cmd = alterCommand("/lab/f1", { action: "add", kind: "variable", name: "X", value: "1" });
 * assertEquals(cmd.members.add_attr_type_, 5);
 * assertEquals(cmd.members.del_attr_type_, 16);
 * ```
 */
export function alterCommand(paths: string | readonly string[], alt: Alteration): Request<void> {
  const list = checkPaths(toPaths(paths), "--alter");
  let add: number = ALTER_NOT_DEFINED.add, del: number = ALTER_NOT_DEFINED.delete;
  let change: number = ALTER_NOT_DEFINED.change, flagType: number = ALTER_NOT_DEFINED.flag;
  let flag = false;
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
  return request(
    user("AlterCmd", {
      paths_: list,
      name_: name,
      value_: value,
      add_attr_type_: add,
      del_attr_type_: del,
      change_attr_type_: change,
      flag_type_: flagType,
      flag_: flag,
    }, `--alter ${[...words, ...list].join(" ")}`),
    acknowledged,
  );
}

// ---------------------------------------------------------- ShowCmd, group

/**
 * A `ShowCmd` (only meaningful inside a group: the client prints the
 * definition fetched earlier in the group; the style is not sent).
 *
 * @example
 * ```ts
 * import { showCommand } from "@ecflow-ts/client/wire";
 * import { assertEquals } from "@std/assert";
 * assertEquals(showCommand().cls, "ShowCmd");
 * ```
 */
export function showCommand(): Request<void> {
  return request(user("ShowCmd", {}, "show"), acknowledged);
}

/**
 * A `GroupCTSCmd`: several commands in one request. `cli` is true when the group comes from
 * the command line (ecflow_client's `--group`). Resolves with the replies the server returns
 * (a failure appears as an `error` reply, not an exception).
 *
 * @example
 * ```ts
 * import { ctsNodeCommand, groupCommand } from "@ecflow-ts/client/wire";
 * import { assertEquals } from "@std/assert";
 * const g = groupCommand([ctsNodeCommand("get"), ctsNodeCommand("why", "/s/t")]);
 * assertEquals(g.label, "--group=--get; --why=/s/t");
 * assertEquals(g.decode({ kind: "stc", status: "ok" }), []);
 * ```
 */
export function groupCommand(
  children: readonly Command[],
  options: { cli?: boolean } = {},
): Request<Reply[]> {
  if (children.length === 0) throw new ConfigError("--group: no commands given");
  for (const c of children) {
    if (c.base !== "user" || c.cls === "GroupCTSCmd") {
      throw new ConfigError(`--group: '${c.label}' cannot be part of a group`);
    }
  }
  const timeout = Math.max(60, ...children.map((c) => c.timeoutSeconds ?? 60));
  const cmd: Command = {
    cls: "GroupCTSCmd",
    base: "user",
    members: { cli_: options.cli ?? true },
    label: `--group=${children.map((c) => c.label).join("; ")}`,
    children: [...children],
    timeoutSeconds: timeout,
  };
  return request(cmd, (r, label) => {
    const reply = expectReply(r, label, "group", "stc");
    return reply.kind === "group" ? reply.replies : [];
  });
}
