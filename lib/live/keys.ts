/**
 * Key presses from a terminal in raw mode: the bytes of one read turned into
 * keys (arrows and paging keys as xterm and the Linux console send them, in
 * both normal and application cursor mode; printable characters as
 * themselves). Pure.
 *
 * @module
 */

/** A key the live view knows. */
export type Key =
  | { name: "up" | "down" | "left" | "right" | "pageup" | "pagedown" | "home" | "end" }
  | { name: "enter" | "escape" | "backspace" | "tab" | "interrupt" }
  | { name: "char"; char: string };

const SEQUENCES: Record<string, Key["name"]> = {
  "[A": "up",
  "[B": "down",
  "[C": "right",
  "[D": "left",
  "OA": "up",
  "OB": "down",
  "OC": "right",
  "OD": "left",
  "[5~": "pageup",
  "[6~": "pagedown",
  "[H": "home",
  "[F": "end",
  "OH": "home",
  "OF": "end",
  "[1~": "home",
  "[4~": "end",
  "[7~": "home",
  "[8~": "end",
};

/**
 * The keys in `text` (what one read from a raw terminal gave). An escape
 * sequence it does not know is dropped whole; a lone ESC is `escape`.
 *
 * @example
 * ```ts
 * import { decodeKeys } from "./keys.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(decodeKeys("\x1b[Aj/\r\x1b"), [
 *   { name: "up" }, { name: "char", char: "j" }, { name: "char", char: "/" }, { name: "enter" },
 *   { name: "escape" },
 * ]);
 * ```
 */
export function decodeKeys(text: string): Key[] {
  const keys: Key[] = [];
  const chars = [...text];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    if (c === "\x1b") {
      const next = chars[i + 1];
      if (next !== "[" && next !== "O") {
        keys.push({ name: "escape" });
        continue;
      }
      // CSI/SS3: parameters, then one final byte in @..~
      let j = i + 2;
      while (j < chars.length && /[0-9;]/.test(chars[j])) j++;
      if (j >= chars.length) { // cut short: drop it
        i = chars.length;
        break;
      }
      const seq = chars.slice(i + 1, j + 1).join("");
      const name = SEQUENCES[seq];
      if (name) keys.push({ name } as Key);
      i = j;
      continue;
    }
    if (c === "\r" || c === "\n") keys.push({ name: "enter" });
    else if (c === "\x7f" || c === "\b") keys.push({ name: "backspace" });
    else if (c === "\t") keys.push({ name: "tab" });
    else if (c === "\x03" || c === "\x04") keys.push({ name: "interrupt" });
    else if (c >= " ") keys.push({ name: "char", char: c });
  }
  return keys;
}
