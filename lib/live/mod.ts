/**
 * Watching many servers: ask each one, all at once and each within its own deadline, for its
 * version, state, suites, tasks per state and round trip (`queryServers`), read ecflow_ui's
 * server list (`readServerList`), and summarise a tree (`countTasks`, `problems`) as the
 * `--status` table and the `--watch` view do.
 *
 * @example Tasks per state and the nodes that need attention
 * ```ts
 * import { parseDefs } from "@ecflow-ts/client";
 * import { countTasks, problems } from "@ecflow-ts/client/live";
 * import { assertEquals } from "@std/assert";
 * const defs = parseDefs(
 *   "#5.9.2\ndefs_state NET\nsuite s\n  task a # state:aborted\n  task b # state:complete\nendsuite\n",
 * );
 * assertEquals([countTasks(defs).aborted, countTasks(defs).complete], [1, 1]);
 * assertEquals(problems(defs).map((p) => p.node.absPath), ["/s/a"]);
 * ```
 *
 * @module
 */
export {
  DEFAULT_DEADLINE_MS,
  type QueryOptions,
  queryProbes,
  queryServers,
  type QueryServersOptions,
  ServerProbe,
  type ServerStatus,
  type ServerStatusBase,
  type ServerStatusFailed,
  type ServerStatusOk,
  type ServerTarget,
} from "./status.ts";
export {
  parseServerList,
  readServerList,
  type ServerEntry,
  type ServerList,
  serverListPath,
  type ServerProtocol,
} from "./server_list.ts";
export {
  countTasks,
  type Problem,
  type ProblemKind,
  problems,
  STATE_ORDER,
  type TaskCounts,
  zeroCounts,
} from "./summary.ts";
