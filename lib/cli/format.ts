/**
 * Output formats shared by CLI commands, matching ecflow_client's.
 *
 * @module
 */

/**
 * Formats milliseconds as boost's `to_simple_string`: `HH:MM:SS.ffffff`.
 *
 * @example
 * ```ts
 * import { formatDuration } from "@ecflow-ts/client/cli";
 * import { assertEquals } from "@std/assert";
 * assertEquals(formatDuration(2.571), "00:00:00.002571");
 * ```
 */
export function formatDuration(ms: number): string {
  const us = Math.max(0, Math.round(ms * 1000));
  const totalS = Math.floor(us / 1_000_000);
  const frac = String(us % 1_000_000).padStart(6, "0");
  const h = Math.floor(totalS / 3600);
  const m = Math.floor((totalS % 3600) / 60);
  const s = totalS % 60;
  const p2 = (n: number) => String(n).padStart(2, "0");
  return `${p2(h)}:${p2(m)}:${p2(s)}.${frac}`;
}

/**
 * The line `ecflow_client --ping` prints on success.
 *
 * @example
 * ```ts
 * import { pingLine } from "@ecflow-ts/client/cli";
 * import { assertEquals } from "@std/assert";
 * assertEquals(pingLine("localhost", 3141, 0.123), "ping server(localhost:3141) succeeded in 00:00:00.000123  ~0 milliseconds");
 * ```
 */
export function pingLine(host: string, port: number, ms: number): string {
  const us = Math.max(0, Math.round(ms * 1000));
  return `ping server(${host}:${port}) succeeded in ${formatDuration(ms)}  ~${
    Math.floor(us / 1000)
  } milliseconds`;
}

/** ecflow_client's time stamp: `[HH:MM:SS D.M.YYYY] ` (local time). */
export function timeStamp(d: Date = new Date()): string {
  const p2 = (n: number) => String(n).padStart(2, "0");
  return `[${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())} ${d.getDate()}.${
    d.getMonth() + 1
  }.${d.getFullYear()}] `;
}
