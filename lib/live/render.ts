/**
 * Rows to screen lines: each row as text cut to the terminal's width, with
 * ecFlow's state colours; a frame is a header (servers, counts per state), the
 * visible rows and a footer (keys, or the filter being typed). Also the plain
 * snapshot printed when the output is not a terminal. Pure: strings in,
 * strings out.
 *
 * @module
 */
import type { Alias, Node, Task } from "../defs/model.ts";
import { formatHostPort } from "../endpoint.ts";
import {
  bold,
  type ColourMode,
  dim,
  NODE_STATE_COLOURS,
  paint,
  reverse,
  SERVER_STATE_COLOURS,
} from "./colours.ts";
import { countTasks, shownState, STATE_ORDER, type TaskCounts, zeroCounts } from "./summary.ts";
import { failureState, rowMessage } from "./status_table.ts";
import type { Row, ServerView } from "./tree_rows.ts";
import { oneLine } from "./text.ts";

/** A piece of a line: plain text, or text with its own colour. */
interface Segment {
  text: string;
  style?: (s: string) => string;
}

/** Joins segments into at most `width` visible characters; `selected` reverses the plain parts. */
function fit(segs: Segment[], width: number, mode: ColourMode, selected = false): string {
  let left = width;
  let out = "";
  for (const s of segs) {
    if (left <= 0) break;
    let chars = [...s.text];
    if (chars.length > left) {
      chars = chars.slice(0, Math.max(0, left - 1));
      while (chars.length > 0 && (chars[chars.length - 1] === " " || chars.at(-1) === "…")) {
        chars.pop();
      }
      chars.push("…");
    }
    left -= chars.length;
    const text = chars.join("");
    out += s.style ? s.style(text) : selected ? reverse(text, mode) : text;
  }
  return out;
}

/**
 * Non-zero counts, trouble first: `3 aborted, 2 active`.
 *
 * @example
 * ```ts
 * import { countsText } from "./render.ts";
 * import { assertEquals } from "@std/assert";
 * const c = { unknown: 0, complete: 7, queued: 0, aborted: 1, submitted: 0, active: 2 };
 * assertEquals(countsText(c), "1 aborted, 2 active, 7 complete");
 * ```
 */
export function countsText(c: TaskCounts): string {
  return STATE_ORDER.filter((s) => c[s] > 0).map((s) => `${c[s]} ${s}`).join(", ");
}

function stateSeg(node: Node, mode: ColourMode): Segment {
  const state = shownState(node);
  return { text: node.name, style: (s) => paint(s, NODE_STATE_COLOURS[state], mode) };
}

const FLAGS_SHOWN = ["zombie", "late", "killed", "edit_failed", "no_script", "queue_limit"];

/** What a node row shows after its name and state. */
function nodeDetails(node: Node, open: boolean, hasChildren: boolean): string {
  const parts: string[] = [];
  const flags = (node._flags ?? []).filter((f) => FLAGS_SHOWN.includes(f));
  if (flags.length > 0) parts.push(`[${flags.join(",")}]`);
  if (node.kind === "task" || node.kind === "alias") {
    const t = node as Task | Alias;
    if (t.tryNo > 1) parts.push(`try ${t.tryNo}`);
    if (node.state === "aborted" && t.abortReason) parts.push(reasonText(t.abortReason));
    for (const m of node._meters ?? []) parts.push(`${m.name}=${m.value}/${m.max}`);
    for (const l of node._labels ?? []) {
      const v = l.newValue || l.value;
      if (v) parts.push(`${l.name}: ${oneLine(v)}`);
    }
  } else if (hasChildren && !open) {
    const text = countsText(countTasks(node));
    if (text) parts.push(`(${text})`);
  }
  return parts.join("  ");
}

/** An abort reason's first line (the server writes its line breaks as `\n`), at most 60 characters. */
function reasonText(reason: string): string {
  const first = oneLine(reason.split("\\n", 1)[0]).replace(/\s+/g, " ").replace(/:$/, "");
  return first.length > 60 ? `${first.slice(0, 59)}…` : first;
}

function serverSegments(
  sv: ServerView,
  mode: ColourMode,
  many: boolean,
  path: string | undefined,
): Segment[] {
  const hp = formatHostPort(sv.host, sv.port);
  const segs: Segment[] = [{ text: sv.name === hp ? hp : `${sv.name}  ${hp}` }];
  const st = sv.status;
  if (!st) return [...segs, { text: "  connecting…" }];
  const shown = st.ok ? st.serverState : failureState(st.error);
  const colour = SERVER_STATE_COLOURS[st.ok ? st.serverState : "DISCONNECTED"];
  segs.push({ text: "  " }, { text: ` ${shown} `, style: (s) => paint(s, colour, mode) });
  if (st.ok) {
    segs.push({ text: `  ${st.version}` });
    const counts = countsText(viewCounts(sv, path) ?? st.tasks);
    if (many && counts) segs.push({ text: `  ${counts}` });
    segs.push({ text: `  rtt ${st.rttMs.toFixed(1)} ms` });
  } else {
    segs.push({ text: `  ${rowMessage(st.error, st.host, st.port)}` });
  }
  if (sv.updatedAt) segs.push({ text: `  ${clock(sv.updatedAt)}`, style: (s) => dim(s, mode) });
  return segs;
}

/** `HH:MM:SS` of a time, local. */
function clock(d: Date): string {
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, "0"))
    .join(":");
}

/** How one row reads. */
function rowSegments(
  row: Row,
  servers: readonly ServerView[],
  mode: ColourMode,
  path?: string,
): Segment[] {
  const many = servers.length > 1;
  switch (row.kind) {
    case "heading":
      return [{ text: row.text, style: (s) => bold(s, mode) }];
    case "note":
      return [{ text: `    ${row.text}`, style: (s) => dim(s, mode) }];
    case "problem": {
      const colour = NODE_STATE_COLOURS[shownState(row.node)];
      const where = many ? `${servers[row.server].name} ` : "";
      const details = nodeDetails(row.node, true, false);
      return [
        { text: "  " },
        { text: row.problem.padEnd(7), style: (s) => paint(s, colour, mode) },
        { text: ` ${where}${row.node.absPath}` },
        ...(details ? [{ text: `  ${details}`, style: (s: string) => dim(s, mode) }] : []),
      ];
    }
    case "server":
      return [
        { text: row.open ? "- " : "+ " },
        ...serverSegments(servers[row.server], mode, many, path),
      ];
    case "node": {
      const marker = row.hasChildren ? (row.open ? "- " : "+ ") : "  ";
      const details = nodeDetails(row.node, row.open, row.hasChildren);
      const state = shownState(row.node);
      return [
        { text: "  ".repeat(row.depth + 1) + marker },
        stateSeg(row.node, mode),
        { text: ` ${state}` },
        ...(details ? [{ text: `  ${details}`, style: (s: string) => dim(s, mode) }] : []),
      ];
    }
  }
}

/**
 * One row as a screen line of at most `width` characters (a gutter marks the
 * selected row); a server's counts are those of the `path` subtree when given.
 *
 * @example
 * ```ts
 * import { rowLine } from "./render.ts";
 * import { assertEquals } from "@std/assert";
 * const line = rowLine({ kind: "heading", key: "problems", text: "no aborted, zombie or late nodes" }, [], 20, "none", false);
 * assertEquals(line, " no aborted, zombie…");
 * ```
 */
export function rowLine(
  row: Row,
  servers: readonly ServerView[],
  width: number,
  mode: ColourMode,
  selected: boolean,
  path?: string,
): string {
  const gutter = selected ? ">" : " ";
  return gutter + fit(rowSegments(row, servers, mode, path), width - 1, mode, selected);
}

/** Task counts of what a server's view shows: the `path` subtree, else the whole server. */
function viewCounts(sv: ServerView, path: string | undefined): TaskCounts | undefined {
  const st = sv.status;
  if (!st?.ok) return undefined;
  if (!path || path === "/") return st.tasks;
  const node = st.defs.find(path);
  return node ? countTasks(node) : zeroCounts();
}

/**
 * Task counts summed over the servers that answered (of the `path` subtree, when given).
 *
 * @example
 * ```ts
 * import { totalCounts } from "./render.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(totalCounts([{ name: "h:1", host: "h", port: 1 }]).queued, 0); // no answer yet
 * ```
 */
export function totalCounts(servers: readonly ServerView[], path?: string): TaskCounts {
  const total = zeroCounts();
  for (const sv of servers) {
    const c = viewCounts(sv, path);
    if (c) { for (const s of STATE_ORDER) total[s] += c[s]; }
  }
  return total;
}

/** What the frame shows besides the rows. */
export interface FrameInput {
  /** The servers. */
  servers: readonly ServerView[];
  /** All rows. */
  rows: readonly Row[];
  /** Index of the selected row. */
  cursor: number;
  /** Index of the first row shown. */
  top: number;
  /** Terminal columns. */
  width: number;
  /** Terminal lines. */
  height: number;
  /** Colours. */
  mode: ColourMode;
  /** The `--watch` path, if any. */
  path?: string;
  /** The filter in effect. */
  filter?: string;
  /** The filter being typed (after `/`), if typing. */
  editing?: string;
  /** A passing message (e.g. a refresh was asked). */
  message?: string;
}

/** Lines of the frame above the rows. */
const HEADER_LINES = 2;
/** Lines of the frame below the rows. */
const FOOTER_LINES = 1;

/**
 * How many rows fit on a screen of `height` lines (between the header and the footer).
 *
 * @example
 * ```ts
 * import { bodyHeight } from "./render.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(bodyHeight(24), 21);
 * assertEquals(bodyHeight(2), 1);
 * ```
 */
export function bodyHeight(height: number): number {
  return Math.max(1, height - HEADER_LINES - FOOTER_LINES);
}

/**
 * The whole screen: exactly `height` lines of at most `width` characters.
 *
 * @example
 * ```ts
 * import { renderFrame } from "./render.ts";
 * import { assertEquals } from "@std/assert";
 * const lines = renderFrame({
 *   servers: [{ name: "h:1", host: "h", port: 1 }],
 *   rows: [{ kind: "heading", key: "problems", text: "no aborted, zombie or late nodes" }],
 *   cursor: 0, top: 0, width: 60, height: 5, mode: "none",
 * });
 * assertEquals(lines.length, 5);
 * assertEquals(lines[0].startsWith("ecflow-ts --watch  h:1"), true);
 * assertEquals(lines[4].includes("q quit"), true);
 * ```
 */
export function renderFrame(f: FrameInput): string[] {
  const w = Math.max(10, f.width);
  const lines: string[] = [];
  const title: Segment[] = [{ text: "ecflow-ts --watch", style: (s) => bold(s, f.mode) }];
  if (f.servers.length === 1) {
    const sv = f.servers[0];
    title.push({ text: "  " }, ...serverSegments(sv, f.mode, false, f.path));
  } else {
    const up = f.servers.filter((s) => s.status?.ok).length;
    title.push({ text: `  ${f.servers.length} servers, ${up} answering` });
  }
  if (f.path) title.push({ text: `  path ${f.path}` });
  lines.push(fit(title, w, f.mode));
  const counts = totalCounts(f.servers, f.path);
  const chips: Segment[] = [];
  for (const s of STATE_ORDER) {
    chips.push(
      { text: ` ${s} `, style: (t) => paint(t, NODE_STATE_COLOURS[s], f.mode) },
      { text: ` ${counts[s]}  ` },
    );
  }
  lines.push(fit(chips, w, f.mode));
  const body = bodyHeight(f.height);
  for (let i = f.top; i < f.top + body; i++) {
    const row = f.rows[i];
    if (!row) lines.push("");
    else if (row.kind === "heading" && row.key === "servers") {
      lines.push(dim("-".repeat(w), f.mode));
    } else lines.push(rowLine(row, f.servers, w, f.mode, i === f.cursor, f.path));
  }
  lines.push(fit([{ text: footer(f, w) }], w, f.mode));
  return lines.slice(0, Math.max(1, f.height));
}

/** Key help, longest first: the footer shows the longest that fits. */
const KEY_HELP = [
  "arrows/jk move  enter/space fold  / filter  e/c open/close all  r refresh  q quit",
  "jk move  enter fold  / filter  e/c all  r refresh  q quit",
  "jk enter / r q",
];

function footer(f: FrameInput, width: number): string {
  if (f.editing !== undefined) return `/${f.editing}_   (enter: apply, esc: cancel)`;
  const parts: string[] = [];
  if (f.message) parts.push(f.message);
  if (f.filter) parts.push(`filter '${f.filter}' (esc clears)`);
  const used = parts.reduce((n, p) => n + p.length + 5, 0);
  parts.push(KEY_HELP.find((h) => used + h.length <= width) ?? KEY_HELP[KEY_HELP.length - 1]);
  return parts.join("  |  ");
}

/**
 * The plain snapshot (no colours, everything open): a line per server, the
 * nodes that need attention, then the trees.
 *
 * @example
 * ```ts
 * import { snapshotText } from "./render.ts";
 * import { assertEquals } from "@std/assert";
 * const text = snapshotText([{ name: "h:1", host: "h", port: 1 }], [
 *   { kind: "heading", key: "problems", text: "no aborted, zombie or late nodes" },
 * ]);
 * assertEquals(text, "no aborted, zombie or late nodes\n");
 * ```
 */
export function snapshotText(
  servers: readonly ServerView[],
  rows: readonly Row[],
  path?: string,
): string {
  const out: string[] = [];
  for (const row of rows) {
    if (row.kind === "heading" && row.key === "servers") {
      out.push("");
      continue;
    }
    const segs = rowSegments(row, servers, "none", path);
    out.push(segs.map((s) => s.text).join("").trimEnd());
  }
  return out.join("\n") + "\n";
}
