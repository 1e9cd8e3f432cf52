/**
 * Text that goes to a terminal: one line, no control characters (a hostile
 * label or error message must not move the cursor), cut to a width.
 *
 * @module
 */

/**
 * `s` on one line: line breaks folded to spaces, other control characters
 * (escape sequences among them) shown as `?`.
 *
 * @example
 * ```ts
 * import { oneLine } from "./text.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(oneLine("a\n b\x1b[2J"), "a b?[2J");
 * ```
 */
export function oneLine(s: string): string {
  // deno-lint-ignore no-control-regex
  return s.replace(/\s*[\r\n]+\s*/g, " ").replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/g, "?").trim()
    .replace(/\t/g, " ");
}

/**
 * Cuts plain `s` to `width` characters, ending in `…` when cut.
 *
 * @example
 * ```ts
 * import { clip } from "./text.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(clip("abcdef", 4), "abc…");
 * assertEquals(clip("abc", 4), "abc");
 * ```
 */
export function clip(s: string, width: number): string {
  if (width <= 0) return "";
  const chars = [...s];
  return chars.length <= width ? s : chars.slice(0, width - 1).join("") + "…";
}
