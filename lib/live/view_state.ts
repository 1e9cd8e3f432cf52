/**
 * What the keys do in the live view: move the cursor, open and close nodes,
 * type a filter after `/`, jump from a listed problem to its node, refresh,
 * quit. The state keeps the cursor by row key, so it stays on its node while
 * the tree changes under it. Pure.
 *
 * @module
 */
import type { Key } from "./keys.ts";
import { nodeKey, type Row, selectable, serverKey } from "./tree_rows.ts";

/** The operator's view of the tree. */
export interface ViewState {
  /** Key of the row the operator put the cursor on (until then it rests on the first row). */
  cursorKey?: string;
  /** Index of the selected row at the last layout (kept when its row goes). */
  cursorIndex: number;
  /** Index of the first row shown. */
  top: number;
  /** Nodes opened by the operator. */
  opened: Set<string>;
  /** Nodes closed by the operator. */
  closed: Set<string>;
  /** Every node starts open (`e`), else suites only (`c`). */
  expandAll: boolean;
  /** The filter in effect (`""` for none). */
  filter: string;
  /** The filter being typed, while typing. */
  editing?: string;
}

/**
 * A fresh view: cursor on the first row, nothing opened or closed, no filter.
 *
 * @example
 * ```ts
 * import { initialViewState } from "./view_state.ts";
 * import { assertEquals } from "@std/assert";
 * const s = initialViewState();
 * assertEquals([s.cursorKey, s.filter, s.expandAll], [undefined, "", false]);
 * ```
 */
export function initialViewState(): ViewState {
  return {
    cursorIndex: 0,
    top: 0,
    opened: new Set(),
    closed: new Set(),
    expandAll: false,
    filter: "",
  };
}

/**
 * What the caller must do after a key: `move` (only the cursor moved: draw
 * again), `render` (folding or the filter changed: rebuild the rows, then
 * draw), `refresh` (ask the servers now), `quit`.
 */
export type KeyAction = "move" | "render" | "refresh" | "quit";

/**
 * Places the cursor on `rows` (by key, else near its last index, on a
 * selectable row) and scrolls so it is among the `body` rows shown. Returns
 * the cursor's index.
 *
 * @example
 * ```ts
 * import { initialViewState, layout } from "./view_state.ts";
 * import { assertEquals } from "@std/assert";
 * const rows = [
 *   { kind: "heading" as const, key: "problems", text: "" },
 *   { kind: "server" as const, key: "0", server: 0, open: true },
 * ];
 * assertEquals(layout(initialViewState(), rows, 10), 1); // past the heading
 * ```
 */
export function layout(state: ViewState, rows: readonly Row[], body: number): number {
  let i = state.cursorKey === undefined ? -1 : rows.findIndex((r) => r.key === state.cursorKey);
  if (i < 0) {
    const from = state.cursorKey === undefined ? 0 : Math.min(state.cursorIndex, rows.length - 1);
    i = nearestSelectable(rows, from, 1);
  }
  if (i < 0) i = nearestSelectable(rows, rows.length - 1, -1);
  state.cursorIndex = Math.max(0, i);
  const maxTop = Math.max(0, rows.length - body);
  if (state.cursorIndex < state.top) state.top = state.cursorIndex;
  if (state.cursorIndex >= state.top + body) state.top = state.cursorIndex - body + 1;
  state.top = Math.max(0, Math.min(state.top, maxTop));
  // keep the headings above the first selectable row in view when it is near the top
  if (state.top > 0 && !rows.slice(0, state.top).some(selectable)) state.top = 0;
  return state.cursorIndex;
}

function nearestSelectable(rows: readonly Row[], from: number, step: 1 | -1): number {
  for (let i = Math.max(0, from); i >= 0 && i < rows.length; i += step) {
    if (selectable(rows[i])) return i;
  }
  for (let i = Math.max(0, from); i >= 0 && i < rows.length; i -= step) {
    if (selectable(rows[i])) return i;
  }
  return -1;
}

function moveBy(state: ViewState, rows: readonly Row[], n: number): void {
  let i = state.cursorIndex;
  const step = n > 0 ? 1 : -1;
  let moved = 0;
  for (let j = i + step; j >= 0 && j < rows.length && moved < Math.abs(n); j += step) {
    if (selectable(rows[j])) {
      i = j;
      moved++;
    }
  }
  setCursor(state, rows, i);
}

function setCursor(state: ViewState, rows: readonly Row[], i: number): void {
  state.cursorIndex = i;
  state.cursorKey = rows[i]?.key;
}

function setOpen(state: ViewState, key: string, open: boolean): void {
  (open ? state.opened : state.closed).add(key);
  (open ? state.closed : state.opened).delete(key);
}

/** The row key of the node's parent (its server's row for a top node), if it is shown. */
function parentKey(row: Row & { kind: "node" }, rows: readonly Row[]): string | undefined {
  const parent = row.node.parent;
  if (row.depth > 0 && parent) return nodeKey(row.server, parent.absPath);
  return rows.some((r) => r.key === serverKey(row.server)) ? serverKey(row.server) : undefined;
}

/**
 * Applies one key to the state, given the rows now shown and the body height.
 *
 * @example Moving down twice, then folding the selected suite
 * ```ts
 * import { handleKey, initialViewState } from "./view_state.ts";
 * import { assertEquals } from "@std/assert";
 * const rows = [
 *   { kind: "heading" as const, key: "problems", text: "" },
 *   { kind: "server" as const, key: "0", server: 0, open: true },
 *   { kind: "note" as const, key: "0#x", server: 0, text: "" },
 * ];
 * const s = initialViewState();
 * assertEquals(handleKey(s, { name: "down" }, rows, 10), "move");
 * assertEquals(s.cursorKey, "0");
 * handleKey(s, { name: "enter" }, rows, 10);
 * assertEquals([...s.closed], ["0"]);
 * assertEquals(handleKey(s, { name: "char", char: "q" }, rows, 10), "quit");
 * ```
 */
export function handleKey(
  state: ViewState,
  key: Key,
  rows: readonly Row[],
  body: number,
): KeyAction {
  if (state.editing !== undefined) return editKey(state, key);
  layout(state, rows, body);
  const row: Row | undefined = rows[state.cursorIndex];
  const name = key.name === "char" ? charKey(key.char) : key.name;
  switch (name) {
    case "quit":
    case "interrupt":
      return "quit";
    case "refresh":
      return "refresh";
    case "up":
      moveBy(state, rows, -1);
      return "move";
    case "down":
      moveBy(state, rows, 1);
      return "move";
    case "pageup":
      moveBy(state, rows, -Math.max(1, body - 1));
      return "move";
    case "pagedown":
      moveBy(state, rows, Math.max(1, body - 1));
      return "move";
    case "home":
      setCursor(state, rows, nearestSelectable(rows, 0, 1));
      return "move";
    case "end":
      setCursor(state, rows, nearestSelectable(rows, rows.length - 1, -1));
      return "move";
    case "right":
      if (row?.kind === "node" && row.hasChildren && row.open) {
        moveBy(state, rows, 1);
        return "move";
      }
      if ((row?.kind === "node" && row.hasChildren) || (row?.kind === "server" && !row.open)) {
        setOpen(state, row.key, true);
      }
      return "render";
    case "left":
      if ((row?.kind === "node" && row.open) || (row?.kind === "server" && row.open)) {
        setOpen(state, row.key, false);
        return "render";
      }
      if (row?.kind === "node") {
        const up = parentKey(row, rows);
        const i = up === undefined ? -1 : rows.findIndex((r) => r.key === up);
        if (i >= 0) setCursor(state, rows, i);
      }
      return "move";
    case "enter":
      if (row?.kind === "problem") {
        // reveal the node in its server's tree and go there
        setOpen(state, serverKey(row.server), true);
        for (let a = row.node.parent; a; a = a.parent) {
          setOpen(state, nodeKey(row.server, a.absPath), true);
        }
        state.cursorKey = nodeKey(row.server, row.node.absPath);
      } else if (row?.kind === "server" || (row?.kind === "node" && row.hasChildren)) {
        setOpen(state, row.key, !row.open);
      }
      return "render";
    case "expand":
      state.expandAll = true;
      state.closed.clear();
      return "render";
    case "collapse":
      state.expandAll = false;
      state.opened.clear();
      state.closed.clear();
      return "render";
    case "filter":
      state.editing = state.filter;
      return "render";
    case "escape":
      state.filter = "";
      return "render";
    default:
      return "move";
  }
}

/** What a printable key means outside the filter prompt. */
function charKey(c: string): string {
  switch (c) {
    case "q":
      return "quit";
    case "k":
      return "up";
    case "j":
      return "down";
    case "h":
      return "left";
    case "l":
      return "right";
    case " ":
      return "enter";
    case "g":
      return "home";
    case "G":
      return "end";
    case "e":
      return "expand";
    case "c":
      return "collapse";
    case "/":
      return "filter";
    case "r":
      return "refresh";
    default:
      return "";
  }
}

/** Keys while typing the filter. */
function editKey(state: ViewState, key: Key): KeyAction {
  const text = state.editing ?? "";
  switch (key.name) {
    case "char":
      state.editing = text + key.char;
      break;
    case "backspace":
      state.editing = [...text].slice(0, -1).join("");
      break;
    case "enter":
      state.filter = text.trim();
      state.editing = undefined;
      break;
    case "escape":
      state.editing = undefined;
      break;
    case "interrupt":
      return "quit";
  }
  return "render";
}
