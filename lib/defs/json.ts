/**
 * The definition tree as plain JSON data, for scripts and dashboards
 * (`ecflow-ts --get --json`). Jobs passwords are left out.
 *
 * @module
 */
import {
  type Alias,
  attrList,
  type Defs,
  type Expression,
  type Node,
  type Suite,
  type Task,
} from "./model.ts";

/** A node as JSON data: identity, state, the attributes it has, and its children. */
export interface NodeJson {
  /** `suite`, `family`, `task` or `alias`. */
  kind: string;
  /** Node name. */
  name: string;
  /** Absolute path. */
  path: string;
  /** Current state. */
  state: string;
  /** Attributes and runtime facts present on the node (empty ones are left out). */
  [attribute: string]: unknown;
  /** Families, tasks and aliases below it. */
  children: NodeJson[];
}

/** A whole definition as JSON data. */
export interface DefsJson {
  /** Server state (`RUNNING`, `HALTED`, `SHUTDOWN`). */
  serverState: string;
  /** Defs-level state. */
  state: string;
  /** Change numbers of the server when the text was made. */
  stateChange: number;
  /** Change numbers of the server when the text was made. */
  modifyChange: number;
  /** User-defined server variables. */
  variables: { name: string; value: string }[];
  /** The suites. */
  suites: NodeJson[];
}

const ATTRIBUTE_LISTS = [
  "variables",
  "limits",
  "inLimits",
  "labels",
  "meters",
  "events",
  "times",
  "todays",
  "dates",
  "days",
  "crons",
  "avisos",
  "mirrors",
  "zombies",
  "verifies",
  "queues",
  "generics",
] as const;

function expression(e: Expression) {
  return { text: e.parts.map((p) => p.text).join(" "), parts: e.parts, free: e.free };
}

/**
 * One node and its subtree as JSON data. A node parsed on its own (a server's reply to
 * `--get=/s/f`) has paths relative to itself: `parentPath` (`"/s"`) puts them back in place.
 *
 * @example
 * ```ts
 * import { nodeToJson } from "@ecflow-ts/client/defs";
 * import { parseDefs } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * const defs = parseDefs("suite s\n  task t\n    meter m 0 10\nendsuite\n");
 * const j = nodeToJson(defs.find("/s")!);
 * assertEquals(j.children[0].path, "/s/t");
 * assertEquals((j.children[0].meters as unknown[]).length, 1);
 * ```
 */
export function nodeToJson(n: Node, parentPath = ""): NodeJson {
  // an explicit stack, so a tree of any depth converts
  const root = nodeFields(n, parentPath + n.absPath);
  const stack: [Node, NodeJson][] = [[n, root]];
  while (stack.length > 0) {
    const [node, json] = stack.pop()!;
    for (const c of node.children) {
      const child = nodeFields(c, json.path + "/" + c.name);
      json.children.push(child);
      stack.push([c, child]);
    }
  }
  return root;
}

/** One node's own fields, with no children yet. */
function nodeFields(n: Node, path: string): NodeJson {
  const o: NodeJson = {
    kind: n.kind,
    name: n.name,
    path,
    state: n.state,
    children: [],
  };
  if (n.defStatus !== "queued") o.defStatus = n.defStatus;
  if (n.suspended) o.suspended = true;
  if (n._flags && n._flags.length > 0) o.flags = n._flags;
  for (const key of ATTRIBUTE_LISTS) {
    const list = attrList(n, key);
    if (list.length > 0) o[key] = list;
  }
  if (n.late) o.late = n.late;
  if (n.trigger) o.trigger = expression(n.trigger);
  if (n.complete) o.complete = expression(n.complete);
  if (n.repeat) o.repeat = n.repeat;
  if (n.kind === "suite") {
    const s = n as Suite;
    if (s.begun) o.begun = true;
    if (s.clock) o.clock = s.clock;
    if (s.calendar) o.calendar = s.calendar;
  }
  if (n.kind === "task" || n.kind === "alias") {
    const t = n as Task | Alias;
    if (t.tryNo) o.tryNo = t.tryNo;
    if (t.rid) o.rid = t.rid;
    if (t.abortReason) o.abortReason = t.abortReason;
  }
  return o;
}

/**
 * A whole definition as JSON data (`JSON.stringify` it as is).
 *
 * @example
 * ```ts
 * import { defsToJson } from "@ecflow-ts/client/defs";
 * import { parseDefs } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * const j = defsToJson(parseDefs("defs_state NET\nsuite s\n  task t # state:active\nendsuite\n"));
 * assertEquals(j.suites[0].children[0].state, "active");
 * ```
 */
export function defsToJson(defs: Defs): DefsJson {
  return {
    serverState: defs.serverState,
    state: defs.state,
    stateChange: defs.stateChange,
    modifyChange: defs.modifyChange,
    variables: defs.userVariables.map((v) => ({ name: v.name, value: v.value })),
    suites: defs.suites.map((s) => nodeToJson(s)),
  };
}
