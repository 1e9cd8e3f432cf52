/**
 * The JSON text the CLI prints for `--json`: `JSON.stringify`'s output, with every C1 control
 * character (U+0080–U+009F), DEL (U+007F) and the line and paragraph separators (U+2028,
 * U+2029) escaped as `\u…`, so server text (a label value holding an 8-bit CSI, U+009B) can
 * never reach a terminal or a line-based reader raw. The writer keeps its own stack, so a tree
 * of any depth serialises, and it can hand the text on in pieces.
 *
 * @module
 */

/** Characters `JSON.stringify` leaves raw that the CLI escapes. */
const EXTRA = /[\u007f-\u009f\u2028\u2029]/g;

function escapeExtra(c: string): string {
  return "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0");
}

/** The JSON string literal of `s`, quotes included. */
function quote(s: string): string {
  const q = JSON.stringify(s);
  EXTRA.lastIndex = 0;
  return EXTRA.test(q) ? q.replace(EXTRA, escapeExtra) : q;
}

/**
 * A JSON string value whose text is produced in pieces, for text longer than one string can
 * hold (a definition printed from a very deep suite). `produce` calls `write` with each piece.
 *
 * @example
 * ```ts
 * import { jsonText, StreamedString } from "./json_text.ts";
 * import { assertEquals } from "@std/assert";
 * const text = new StreamedString((write) => ["a\n", "b\u009b"].forEach(write));
 * assertEquals(jsonText({ text }), '{"text":"a\\nb\\u009b"}');
 * ```
 */
export class StreamedString {
  /** `produce(write)` calls `write` with each piece of the string, in order. */
  constructor(readonly produce: (write: (piece: string) => void) => void) {}
}

/** Work still to do on the writer's stack. */
type Step =
  | { kind: "value"; value: unknown; key: string }
  | { kind: "raw"; text: string }
  | { kind: "leave"; container: object };

/**
 * Writes `value` as JSON text, in pieces, through `write`. The same text as `JSON.stringify`
 * (object keys in order, `undefined` and functions left out of objects and `null` in arrays,
 * non-finite numbers as `null`, `toJSON` honoured) except for the extra escapes of this module.
 * A cyclic value throws a `TypeError`, as `JSON.stringify` does.
 *
 * @example
 * ```ts
 * import { writeJson } from "./json_text.ts";
 * import { assertEquals } from "@std/assert";
 * const pieces: string[] = [];
 * writeJson({ a: [1, "x\u0085"] }, (p) => pieces.push(p));
 * assertEquals(pieces.join(""), '{"a":[1,"x\\u0085"]}');
 * ```
 */
export function writeJson(value: unknown, write: (piece: string) => void): void {
  const open = new Set<object>();
  let buffer = "";
  const emit = (text: string) => {
    buffer += text;
    if (buffer.length >= 1 << 16) {
      write(buffer);
      buffer = "";
    }
  };
  const stack: Step[] = [{ kind: "value", value, key: "" }];
  while (stack.length > 0) {
    const step = stack.pop()!;
    if (step.kind === "raw") {
      emit(step.text);
      continue;
    }
    if (step.kind === "leave") {
      open.delete(step.container);
      continue;
    }
    let v = step.value;
    if (
      v !== null && typeof v === "object" &&
      typeof (v as { toJSON?: unknown }).toJSON === "function"
    ) {
      v = (v as { toJSON(key: string): unknown }).toJSON(step.key);
    }
    if (v === null || v === undefined || typeof v === "function" || typeof v === "symbol") {
      emit("null");
    } else if (typeof v === "string") {
      emit(quote(v));
    } else if (typeof v === "number") {
      emit(Number.isFinite(v) ? String(v) : "null");
    } else if (typeof v === "boolean") {
      emit(v ? "true" : "false");
    } else if (typeof v === "bigint") {
      throw new TypeError("Do not know how to serialize a BigInt");
    } else if (v instanceof StreamedString) {
      if (buffer !== "") write(buffer);
      buffer = "";
      streamString(v, write);
    } else if (v instanceof Number || v instanceof String || v instanceof Boolean) {
      stack.push({ kind: "value", value: v.valueOf(), key: step.key });
    } else {
      if (open.has(v)) throw new TypeError("Converting circular structure to JSON");
      open.add(v);
      stack.push({ kind: "leave", container: v });
      if (Array.isArray(v)) {
        stack.push({ kind: "raw", text: "]" });
        for (let i = v.length - 1; i >= 0; i--) {
          const item = v[i];
          const skip = item === undefined || typeof item === "function" ||
            typeof item === "symbol";
          stack.push({ kind: "value", value: skip ? null : item, key: String(i) });
          if (i > 0) stack.push({ kind: "raw", text: "," });
        }
        emit("[");
      } else {
        const record = v as Record<string, unknown>;
        const keys = Object.keys(record).filter((k) => {
          const item = record[k];
          return item !== undefined && typeof item !== "function" && typeof item !== "symbol";
        });
        stack.push({ kind: "raw", text: "}" });
        for (let i = keys.length - 1; i >= 0; i--) {
          stack.push({ kind: "value", value: record[keys[i]], key: keys[i] });
          stack.push({ kind: "raw", text: (i > 0 ? "," : "") + quote(keys[i]) + ":" });
        }
        emit("{");
      }
    }
  }
  if (buffer !== "") write(buffer);
}

/** Writes a {@linkcode StreamedString} as one JSON string literal. */
function streamString(s: StreamedString, write: (piece: string) => void): void {
  write('"');
  let pending = "";
  s.produce((piece) => {
    let text = pending + piece;
    pending = "";
    // keep a surrogate pair together: a high surrogate at the end waits for the next piece
    const last = text.charCodeAt(text.length - 1);
    if (last >= 0xd800 && last <= 0xdbff) {
      pending = text.slice(-1);
      text = text.slice(0, -1);
    }
    if (text !== "") write(quote(text).slice(1, -1));
  });
  if (pending !== "") write(quote(pending).slice(1, -1));
  write('"');
}

/**
 * `value` as one JSON text (see {@linkcode writeJson}).
 *
 * @example
 * ```ts
 * import { jsonText } from "./json_text.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(jsonText({ label: "\u009b31m", esc: "\u001b" }), '{"label":"\\u009b31m","esc":"\\u001b"}');
 * ```
 */
export function jsonText(value: unknown): string {
  const pieces: string[] = [];
  writeJson(value, (p) => pieces.push(p));
  return pieces.join("");
}

/**
 * Writes `value` as JSON text followed by a newline: one line of `--json` output.
 *
 * @example
 * ```ts
 * import { writeJsonLine } from "./json_text.ts";
 * import { assertEquals } from "@std/assert";
 * let out = "";
 * writeJsonLine({ ok: true }, (p) => out += p);
 * assertEquals(out, '{"ok":true}\n');
 * ```
 */
export function writeJsonLine(value: unknown, write: (piece: string) => void): void {
  writeJson(value, write);
  write("\n");
}
