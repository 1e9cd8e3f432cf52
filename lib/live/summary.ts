/**
 * What an operator reads first about a server's tree: how many tasks are in
 * each state, and which nodes need attention (aborted, zombie, late).
 *
 * @module
 */
import type { Defs, Node, NodeState } from "../defs/model.ts";

/** Number of tasks in each state. */
export type TaskCounts = Record<NodeState, number>;

/**
 * The states in the order an operator reads them: trouble first.
 *
 * @example
 * ```ts
 * import { STATE_ORDER } from "./summary.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(STATE_ORDER[0], "aborted");
 * ```
 */
export const STATE_ORDER: readonly NodeState[] = [
  "aborted",
  "active",
  "submitted",
  "queued",
  "complete",
  "unknown",
];

/**
 * All counts zero.
 *
 * @example
 * ```ts
 * import { zeroCounts } from "./summary.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(Object.values(zeroCounts()), [0, 0, 0, 0, 0, 0]);
 * ```
 */
export function zeroCounts(): TaskCounts {
  return { unknown: 0, complete: 0, queued: 0, aborted: 0, submitted: 0, active: 0 };
}

/** True for the nodes that run jobs (tasks and aliases). */
function isSubmittable(node: Node): boolean {
  return node.kind === "task" || node.kind === "alias";
}

/**
 * Counts the tasks (aliases too) under `root` (a whole definition or one node,
 * included) by state.
 *
 * @example
 * ```ts
 * import { countTasks } from "./summary.ts";
 * import { parseDefs } from "../defs/parser.ts";
 * import { assertEquals } from "@std/assert";
 * const defs = parseDefs(
 *   "#5.9.2\ndefs_state NET\nsuite s # state:aborted\n  task a # state:aborted\n  task b # state:complete\n  task c # state:complete\nendsuite\n",
 * );
 * const n = countTasks(defs);
 * assertEquals([n.aborted, n.complete, n.queued], [1, 2, 0]);
 * ```
 */
export function countTasks(root: Defs | Node): TaskCounts {
  const counts = zeroCounts();
  for (const n of root.walk()) if (isSubmittable(n)) counts[n.state]++;
  return counts;
}

/** Why a node is listed as a problem. */
export type ProblemKind = "aborted" | "zombie" | "late";

/** A node that needs attention. */
export interface Problem {
  /** Why. */
  kind: ProblemKind;
  /** The node. */
  node: Node;
}

/**
 * The nodes that need attention under `root`, aborted tasks first, then
 * zombies, then late nodes, each group in tree order. A node appears once,
 * under its first reason.
 *
 * @example
 * ```ts
 * import { problems } from "./summary.ts";
 * import { parseDefs } from "../defs/parser.ts";
 * import { assertEquals } from "@std/assert";
 * const defs = parseDefs(
 *   "#5.9.2\ndefs_state NET\nsuite s # state:active\n  task a # state:active flag:zombie\n  task b # state:aborted\nendsuite\n",
 * );
 * assertEquals(problems(defs).map((p) => [p.kind, p.node.absPath]), [
 *   ["aborted", "/s/b"],
 *   ["zombie", "/s/a"],
 * ]);
 * ```
 */
export function problems(root: Defs | Node): Problem[] {
  const aborted: Problem[] = [];
  const zombies: Problem[] = [];
  const late: Problem[] = [];
  for (const node of root.walk()) {
    const flags = node._flags;
    if (isSubmittable(node) && node.state === "aborted") aborted.push({ kind: "aborted", node });
    else if (flags?.includes("zombie")) zombies.push({ kind: "zombie", node });
    else if (flags?.includes("late")) late.push({ kind: "late", node });
  }
  return [...aborted, ...zombies, ...late];
}

/**
 * The state ecflow_ui shows for a node: `suspended` when it is suspended,
 * else its state.
 *
 * @example
 * ```ts
 * import { shownState } from "./summary.ts";
 * import { parseDefs } from "../defs/parser.ts";
 * import { assertEquals } from "@std/assert";
 * const defs = parseDefs("#5.9.2\ndefs_state NET\nsuite s # state:queued suspended:1\nendsuite\n");
 * assertEquals(shownState(defs.find("/s")!), "suspended");
 * ```
 */
export function shownState(node: Node): NodeState | "suspended" {
  return node.suspended ? "suspended" : node.state;
}
