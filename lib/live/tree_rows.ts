/**
 * The live view's content as rows: the nodes that need attention first
 * (aborted, zombie, late), then each server with its tree, folded as the
 * operator chose and narrowed by the filter. Pure: no terminal, no colours.
 *
 * @module
 */
import type { Node } from "../defs/model.ts";
import type { ServerStatus } from "./status.ts";
import { type Problem, type ProblemKind, problems, shownState } from "./summary.ts";

/** One server as the view holds it. */
export interface ServerView {
  /** Its name. */
  name: string;
  /** Its host. */
  host: string;
  /** Its port. */
  port: number;
  /** The last answer (or error); `undefined` before the first one. */
  status?: ServerStatus;
  /** When the last answer came. */
  updatedAt?: Date;
}

/** How the tree is folded and narrowed. */
export interface TreeOptions {
  /** Show only this node's subtree (`--watch=<path>`). */
  path?: string;
  /** Keys of nodes the operator opened. */
  opened: ReadonlySet<string>;
  /** Keys of nodes the operator closed. */
  closed: ReadonlySet<string>;
  /** Show only nodes whose path contains this (any case), or whose state or flag is this. */
  filter?: string;
  /** Nodes start open at every depth (else suites open, families closed). */
  expandAll?: boolean;
  /** Most nodes listed as needing attention (default: all); the rest are counted in a note. */
  maxProblems?: number;
}

/** A row of the view. */
export type Row =
  /** A heading (not selectable). */
  | { kind: "heading"; key: string; text: string }
  /** A node that needs attention. */
  | { kind: "problem"; key: string; server: number; problem: ProblemKind; node: Node }
  /** A server. */
  | { kind: "server"; key: string; server: number; open: boolean }
  /** A node of a server's tree. */
  | {
    kind: "node";
    key: string;
    server: number;
    node: Node;
    depth: number;
    hasChildren: boolean;
    open: boolean;
  }
  /** A line of text under a server (its error, a missing path). */
  | { kind: "note"; key: string; server: number; text: string };

/**
 * The key of a server's row.
 *
 * @example
 * ```ts
 * import { serverKey } from "./tree_rows.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(serverKey(2), "2");
 * ```
 */
export function serverKey(server: number): string {
  return `${server}`;
}

/**
 * The key of a node's row.
 *
 * @example
 * ```ts
 * import { nodeKey } from "./tree_rows.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(nodeKey(0, "/s/f"), "0:/s/f");
 * ```
 */
export function nodeKey(server: number, path: string): string {
  return `${server}:${path}`;
}

/**
 * True for rows the cursor can rest on (problems, servers, nodes).
 *
 * @example
 * ```ts
 * import { selectable } from "./tree_rows.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(selectable({ kind: "heading", key: "problems", text: "" }), false);
 * assertEquals(selectable({ kind: "server", key: "0", server: 0, open: true }), true);
 * ```
 */
export function selectable(row: Row): boolean {
  return row.kind === "problem" || row.kind === "server" || row.kind === "node";
}

/** Whether a node shows its children: as the operator chose, else suites (or the `--watch` path) only. */
function isOpen(key: string, depth: number, o: TreeOptions): boolean {
  if (o.opened.has(key)) return true;
  if (o.closed.has(key)) return false;
  return o.expandAll === true || depth === 0;
}

/**
 * A filter as a test on nodes (path contains it, any case; or state, shown state or a flag is
 * it); `undefined` when there is none.
 *
 * @example
 * ```ts
 * import { nodeFilter } from "./tree_rows.ts";
 * import { parseDefs } from "../defs/parser.ts";
 * import { assertEquals } from "@std/assert";
 * const t = parseDefs("#5.9.2\ndefs_state NET\nsuite s # state:aborted\n  task t1 # state:aborted\nendsuite\n").find("/s/t1")!;
 * assertEquals([nodeFilter("T1")!(t), nodeFilter("aborted")!(t), nodeFilter("x")!(t)], [true, true, false]);
 * assertEquals(nodeFilter("  "), undefined);
 * ```
 */
export function nodeFilter(filter: string | undefined): ((n: Node) => boolean) | undefined {
  const f = filter?.trim().toLowerCase();
  if (!f) return undefined;
  return (n) =>
    n.absPath.toLowerCase().includes(f) || shownState(n) === f || n.state === f ||
    (n._flags?.includes(f) ?? false);
}

/** The tree roots of a server's view: the `--watch` path's node, or the suites. */
function roots(status: ServerStatus, path: string | undefined): Node[] | string {
  if (!status.ok) return [];
  if (!path || path === "/") return status.defs.suites;
  const node = status.defs.find(path);
  return node ? [node] : `no node ${path} on this server`;
}

/**
 * The rows of the view, problems first, then each server and its tree.
 *
 * @example
 * ```ts
 * import { buildRows } from "./tree_rows.ts";
 * import { parseDefs } from "../defs/parser.ts";
 * import { assertEquals } from "@std/assert";
 * const defs = parseDefs(
 *   "#5.9.2\ndefs_state NET\nsuite s # state:aborted\n  family f # state:aborted\n    task t # state:aborted\n  endfamily\nendsuite\n",
 * );
 * const status = {
 *   ok: true as const, name: "prod", host: "h", port: 1, version: "5.9.2", serverState: "RUNNING" as const,
 *   suites: 1, tasks: { aborted: 1, active: 0, submitted: 0, queued: 0, complete: 0, unknown: 0 },
 *   rttMs: 1, defs, elapsedMs: 1,
 * };
 * const rows = buildRows([{ name: "prod", host: "h", port: 1, status }], {
 *   opened: new Set(), closed: new Set(),
 * });
 * assertEquals(rows.map((r) => r.key), ["problems", "p0:/s/f/t", "servers", "0", "0:/s", "0:/s/f"]);
 * ```
 */
export function buildRows(servers: readonly ServerView[], o: TreeOptions): Row[] {
  const match = nodeFilter(o.filter);
  const trouble: Row[] = [];
  const tree: Row[] = [];
  servers.forEach((sv, i) => {
    const open = !o.closed.has(serverKey(i));
    tree.push({ kind: "server", key: serverKey(i), server: i, open });
    if (!sv.status) {
      tree.push({
        kind: "note",
        key: `${i}#wait`,
        server: i,
        text: "waiting for the first answer",
      });
      return;
    }
    if (!sv.status.ok) return; // the server row shows the error
    const top = roots(sv.status, o.path);
    if (typeof top === "string") {
      tree.push({ kind: "note", key: `${i}#path`, server: i, text: top });
      return;
    }
    for (const root of top) {
      for (const p of problems(root)) {
        if (match && !match(p.node)) continue;
        trouble.push(problemRow(i, p));
      }
    }
    if (!open) return;
    const visible = match ? matchingWithAncestors(top, match) : undefined;
    const add = (n: Node, depth: number) => {
      if (visible && !visible.has(n)) return;
      const key = nodeKey(i, n.absPath);
      const children = n.children;
      const nodeOpen = visible ? true : isOpen(key, depth, o);
      tree.push({
        kind: "node",
        key,
        server: i,
        node: n,
        depth,
        hasChildren: children.length > 0,
        open: nodeOpen && children.length > 0,
      });
      if (nodeOpen) { for (const c of children) add(c, depth + 1); }
    };
    for (const root of top) add(root, 0);
  });
  const heading: Row = {
    kind: "heading",
    key: "problems",
    text: trouble.length === 0
      ? "no aborted, zombie or late nodes"
      : `${trouble.length} node${trouble.length === 1 ? "" : "s"} need${
        trouble.length === 1 ? "s" : ""
      } attention`,
  };
  const shown = trouble.slice(0, Math.max(0, o.maxProblems ?? trouble.length));
  const more = trouble.length - shown.length;
  if (more > 0) {
    shown.push({
      kind: "note",
      key: "problems#more",
      server: -1,
      text: `… and ${more} more (filter with / to narrow the list)`,
    });
  }
  return [heading, ...shown, { kind: "heading", key: "servers", text: "" }, ...tree];
}

function problemRow(server: number, p: Problem): Row {
  return {
    kind: "problem",
    key: `p${server}:${p.node.absPath}`,
    server,
    problem: p.kind,
    node: p.node,
  };
}

/** The nodes that match, with their ancestors up to the roots. */
function matchingWithAncestors(roots: readonly Node[], match: (n: Node) => boolean): Set<Node> {
  const visible = new Set<Node>();
  const rootSet = new Set(roots);
  for (const root of roots) {
    for (const n of root.walk()) {
      if (!match(n)) continue;
      for (let a: Node | undefined = n; a && !visible.has(a); a = a.parent) {
        visible.add(a);
        if (rootSet.has(a)) break;
      }
    }
  }
  return visible;
}
