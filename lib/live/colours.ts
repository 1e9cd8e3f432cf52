/**
 * ecFlow's state colours, as ecflow_ui shows them by default (its
 * `ecflowview_nstate_conf.json` and `ecflowview_sstate_conf.json`), painted
 * as terminal background colours with black text: 24-bit where the terminal
 * says it can (`COLORTERM=truecolor`), else the nearest of the 256 xterm
 * colours; none at all with `NO_COLOR` or when the output is not a terminal.
 *
 * @module
 */
import type { NodeState, ServerState } from "../defs/model.ts";

/** An RGB colour. */
export type Rgb = readonly [number, number, number];

/** How colours are written. */
export type ColourMode = "none" | "256" | "truecolor";

/**
 * Node states as ecflow_ui fills them.
 *
 * @example
 * ```ts
 * import { NODE_STATE_COLOURS } from "./colours.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(NODE_STATE_COLOURS.aborted, [255, 59, 53]);
 * ```
 */
export const NODE_STATE_COLOURS: Readonly<Record<NodeState | "suspended", Rgb>> = {
  unknown: [220, 220, 220],
  complete: [255, 238, 1],
  queued: [173, 216, 230],
  aborted: [255, 59, 53],
  submitted: [64, 224, 208],
  active: [74, 255, 61],
  suspended: [239, 191, 0],
};

/** A server's state as ecflow_ui fills it; `disconnected` when it does not answer. */
export type ServerShownState = ServerState | "DISCONNECTED";

/**
 * Server states as ecflow_ui fills them.
 *
 * @example
 * ```ts
 * import { SERVER_STATE_COLOURS } from "./colours.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(SERVER_STATE_COLOURS.HALTED, [238, 130, 238]);
 * ```
 */
export const SERVER_STATE_COLOURS: Readonly<Record<ServerShownState, Rgb>> = {
  HALTED: [238, 130, 238],
  SHUTDOWN: [255, 192, 203],
  RUNNING: [0, 255, 0],
  DISCONNECTED: [200, 200, 200],
};

/**
 * The colour mode for an output: `none` when it is not a terminal or
 * `noColor` is set, `truecolor` when `COLORTERM` says so, else `256`.
 *
 * @example
 * ```ts
 * import { colourMode } from "./colours.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(colourMode({ terminal: false, noColor: false }), "none");
 * assertEquals(colourMode({ terminal: true, noColor: true }), "none");
 * assertEquals(colourMode({ terminal: true, noColor: false, colorTerm: "truecolor" }), "truecolor");
 * assertEquals(colourMode({ terminal: true, noColor: false }), "256");
 * ```
 */
export function colourMode(
  o: { terminal: boolean; noColor: boolean; colorTerm?: string },
): ColourMode {
  if (!o.terminal || o.noColor) return "none";
  return /^(truecolor|24bit)$/i.test(o.colorTerm ?? "") ? "truecolor" : "256";
}

const CUBE = [0, 95, 135, 175, 215, 255];

function nearestCube(v: number): number {
  let best = 0;
  for (let i = 1; i < CUBE.length; i++) {
    if (Math.abs(CUBE[i] - v) < Math.abs(CUBE[best] - v)) best = i;
  }
  return best;
}

/**
 * The xterm 256-colour index nearest to `rgb` (the 6×6×6 cube or the grey ramp).
 *
 * @example
 * ```ts
 * import { xterm256 } from "./colours.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(xterm256([255, 0, 0]), 196);
 * assertEquals(xterm256([200, 200, 200]), 251);
 * ```
 */
export function xterm256(rgb: Rgb): number {
  const [r, g, b] = rgb.map(nearestCube);
  const cube = 16 + 36 * r + 6 * g + b;
  const cubeRgb = [CUBE[r], CUBE[g], CUBE[b]];
  const grey = Math.round(((rgb[0] + rgb[1] + rgb[2]) / 3 - 8) / 10);
  const greyIndex = Math.max(0, Math.min(23, grey));
  const greyValue = 8 + 10 * greyIndex;
  const dist = (c: number[]) => c.reduce((s, v, i) => s + (v - rgb[i]) ** 2, 0);
  return dist([greyValue, greyValue, greyValue]) < dist(cubeRgb) ? 232 + greyIndex : cube;
}

/**
 * `text` on the background `rgb`, black text, in `mode` (unchanged for `none`).
 *
 * @example
 * ```ts
 * import { paint } from "./colours.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(paint("t1", [255, 59, 53], "none"), "t1");
 * assertEquals(paint("t1", [255, 59, 53], "truecolor"), "\x1b[30;48;2;255;59;53mt1\x1b[0m");
 * ```
 */
export function paint(text: string, rgb: Rgb, mode: ColourMode): string {
  if (mode === "none" || text === "") return text;
  const bg = mode === "truecolor" ? `48;2;${rgb[0]};${rgb[1]};${rgb[2]}` : `48;5;${xterm256(rgb)}`;
  return `\x1b[30;${bg}m${text}\x1b[0m`;
}

/**
 * `text` in bold (unchanged for `none`).
 *
 * @example
 * ```ts
 * import { bold } from "./colours.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(bold("x", "256"), "\x1b[1mx\x1b[0m");
 * assertEquals(bold("x", "none"), "x");
 * ```
 */
export function bold(text: string, mode: ColourMode): string {
  return mode === "none" || text === "" ? text : `\x1b[1m${text}\x1b[0m`;
}

/**
 * `text` dimmed (unchanged for `none`).
 *
 * @example
 * ```ts
 * import { dim } from "./colours.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(dim("x", "truecolor"), "\x1b[2mx\x1b[0m");
 * ```
 */
export function dim(text: string, mode: ColourMode): string {
  return mode === "none" || text === "" ? text : `\x1b[2m${text}\x1b[0m`;
}

/**
 * `text` in reverse video, for the selected line (unchanged for `none`).
 *
 * @example
 * ```ts
 * import { reverse } from "./colours.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(reverse("x", "256"), "\x1b[7mx\x1b[0m");
 * ```
 */
export function reverse(text: string, mode: ColourMode): string {
  return mode === "none" || text === "" ? text : `\x1b[7m${text}\x1b[0m`;
}
