/**
 * The many-servers table as `--status` prints it, and its JSON document: one
 * row per server (name, host:port, version, server state, suites, task counts,
 * round trip), a server that did not answer showing why in its own row.
 *
 * @module
 */
import { formatHostPort } from "../endpoint.ts";
import { ConnectionError, TimeoutError } from "../errors.ts";
import { type ColourMode, NODE_STATE_COLOURS, paint, SERVER_STATE_COLOURS } from "./colours.ts";
import type { ServerStatus } from "./status.ts";
import { oneLine } from "./text.ts";

/**
 * The word in the STATE column of a server that did not answer.
 *
 * @example
 * ```ts
 * import { failureState } from "./status_table.ts";
 * import { ConnectionError, TimeoutError } from "../errors.ts";
 * import { assertEquals } from "@std/assert";
 * const at = { host: "h", port: 1 };
 * assertEquals(failureState(new TimeoutError("no answer", at, "reply")), "TIMEOUT");
 * assertEquals(failureState(new ConnectionError("refused", at, "refused")), "UNREACHABLE");
 * assertEquals(failureState(new Error("?")), "ERROR");
 * ```
 */
export function failureState(error: Error): "TIMEOUT" | "UNREACHABLE" | "ERROR" {
  if (error instanceof TimeoutError) return "TIMEOUT";
  if (error instanceof ConnectionError) return "UNREACHABLE";
  return "ERROR";
}

/**
 * An error's message for a row that already names `host:port`: on one line, without it.
 *
 * @example
 * ```ts
 * import { rowMessage } from "./status_table.ts";
 * import { ConnectionError } from "../errors.ts";
 * import { assertEquals } from "@std/assert";
 * const e = new ConnectionError("connection refused", { host: "h", port: 1 }, "refused");
 * assertEquals(rowMessage(e, "h", 1), "connection refused");
 * ```
 */
export function rowMessage(error: Error, host: string, port: number): string {
  const prefix = `${formatHostPort(host, port)}: `;
  const m = oneLine(error.message);
  return m.startsWith(prefix) ? m.slice(prefix.length) : m;
}

const HEADINGS = [
  "NAME",
  "HOST:PORT",
  "VERSION",
  "STATE",
  "SUITES",
  "ABORTED",
  "ACTIVE",
  "SUBMITTED",
  "QUEUED",
  "COMPLETE",
  "RTT",
] as const;

/** Columns aligned right (numbers). */
const RIGHT = new Set([4, 5, 6, 7, 8, 9, 10]);

function rtt(ms: number): string {
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}

/**
 * The table, one line per server plus a heading line; failed rows end with
 * their error.
 *
 * @example
 * ```ts
 * import { formatStatusTable } from "./status_table.ts";
 * import { ConnectionError } from "../errors.ts";
 * import { parseDefs } from "../defs/parser.ts";
 * import { assertEquals } from "@std/assert";
 * const defs = parseDefs("#5.9.2\ndefs_state NET\nsuite s # state:aborted\n  task t # state:aborted\nendsuite\n");
 * const text = formatStatusTable([
 *   {
 *     ok: true, name: "prod", host: "h", port: 3141, version: "5.9.2", serverState: "RUNNING",
 *     suites: 1, tasks: { aborted: 1, active: 0, submitted: 0, queued: 0, complete: 0, unknown: 0 },
 *     rttMs: 0.42, defs, elapsedMs: 2,
 *   },
 *   {
 *     ok: false, name: "dead", host: "h", port: 3999, elapsedMs: 1,
 *     error: new ConnectionError("connection refused", { host: "h", port: 3999 }, "refused"),
 *   },
 * ], "none");
 * assertEquals(text.split("\n").map((l) => l.split(/\s+/).join(" ")), [
 *   "NAME HOST:PORT VERSION STATE SUITES ABORTED ACTIVE SUBMITTED QUEUED COMPLETE RTT",
 *   "prod h:3141 5.9.2 RUNNING 1 1 0 0 0 0 0.4 ms",
 *   "dead h:3999 - UNREACHABLE - - - - - - - connection refused",
 *   "",
 * ]);
 * ```
 */
export function formatStatusTable(rows: readonly ServerStatus[], mode: ColourMode): string {
  const cells: string[][] = [[...HEADINGS]];
  const notes: string[] = [""];
  for (const r of rows) {
    const hp = formatHostPort(r.host, r.port);
    if (r.ok) {
      const t = r.tasks;
      cells.push([
        r.name,
        hp,
        r.version,
        r.serverState,
        String(r.suites),
        String(t.aborted),
        String(t.active),
        String(t.submitted),
        String(t.queued),
        String(t.complete),
        rtt(r.rttMs),
      ]);
      notes.push("");
    } else {
      cells.push([r.name, hp, "-", failureState(r.error), "-", "-", "-", "-", "-", "-", "-"]);
      notes.push(rowMessage(r.error, r.host, r.port));
    }
  }
  const widths = HEADINGS.map((_, c) => Math.max(...cells.map((row) => row[c].length)));
  const lines = cells.map((row, i) => {
    const parts = row.map((cell, c) => {
      const padded = RIGHT.has(c) ? cell.padStart(widths[c]) : cell.padEnd(widths[c]);
      if (i === 0 || mode === "none") return padded;
      const status = rows[i - 1];
      if (c === 3) {
        const shown = status.ok ? status.serverState : "DISCONNECTED";
        return paint(cell, SERVER_STATE_COLOURS[shown], mode) + padded.slice(cell.length);
      }
      if (c === 5 && status.ok && status.tasks.aborted > 0) {
        return padded.slice(0, padded.length - cell.length) +
          paint(cell, NODE_STATE_COLOURS.aborted, mode);
      }
      return padded;
    });
    const note = notes[i] ? `  ${notes[i]}` : "";
    return (parts.join("  ") + note).trimEnd();
  });
  return lines.join("\n") + "\n";
}

/** One server as the JSON document shows it. */
export type ServerStatusJson =
  & { name: string; host: string; port: number; ok: boolean; elapsedMs: number }
  & (
    | {
      ok: true;
      version: string;
      serverState: string;
      suites: number;
      tasks: Record<string, number>;
      rttMs: number;
    }
    | { ok: false; state: string; error: { type: string; message: string } }
  );

/**
 * The JSON view of one result (without the tree).
 *
 * @example
 * ```ts
 * import { statusToJson } from "./status_table.ts";
 * import { TimeoutError } from "../errors.ts";
 * import { assertEquals } from "@std/assert";
 * const e = new TimeoutError("no answer within 2 s", { host: "h", port: 1 }, "reply");
 * assertEquals(statusToJson({ ok: false, name: "x", host: "h", port: 1, elapsedMs: 2000, error: e }), {
 *   name: "x", host: "h", port: 1, ok: false, elapsedMs: 2000, state: "TIMEOUT",
 *   error: { type: "TimeoutError", message: "no answer within 2 s" },
 * });
 * ```
 */
export function statusToJson(r: ServerStatus): ServerStatusJson {
  const base = { name: r.name, host: r.host, port: r.port };
  const elapsedMs = Math.round(r.elapsedMs * 1000) / 1000;
  if (r.ok) {
    return {
      ...base,
      ok: true,
      elapsedMs,
      version: r.version,
      serverState: r.serverState,
      suites: r.suites,
      tasks: { ...r.tasks },
      rttMs: Math.round(r.rttMs * 1000) / 1000,
    };
  }
  return {
    ...base,
    ok: false,
    elapsedMs,
    state: failureState(r.error),
    error: { type: r.error.name, message: rowMessage(r.error, r.host, r.port) },
  };
}
