/**
 * The error thrown for text that is not a valid ecFlow definition.
 *
 * @module
 */
import { EcflowError } from "../errors.ts";

/**
 * A definition text could not be parsed. `message` is one line:
 * `file:line:column: reason (token 'x')`.
 *
 * @example
 * ```ts
 * import { DefsParseError, parseDefs } from "@ecflow-ts/client";
 * import { assertEquals, assertThrows } from "@std/assert";
 * const e = assertThrows(
 *   () => parseDefs("suite s\n  meter m 10 1\nendsuite\n", { fileName: "x.def" }),
 *   DefsParseError,
 * );
 * assertEquals([e.line, e.column, e.token], [2, 11, "10"]);
 * assertEquals(
 *   e.message,
 *   "x.def:2:11: invalid meter: min(10) must be less than max(1) (token '10')",
 * );
 * ```
 */
export class DefsParseError extends EcflowError {
  /** File name given to the parser ("<text>" when none). */
  readonly fileName: string;
  /** 1-based line number. */
  readonly line: number;
  /** 1-based column of the offending token (1 when the whole line is at fault). */
  readonly column: number;
  /** The offending token ("" when none). */
  readonly token: string;
  /** The reason without location. */
  readonly reason: string;

  /** Build an error; `message` is derived from the parts. */
  constructor(fileName: string, line: number, column: number, token: string, reason: string) {
    super(
      `${fileName}:${line}:${column}: ${reason}` + (token !== "" ? ` (token '${token}')` : ""),
    );
    this.name = "DefsParseError";
    this.fileName = fileName;
    this.line = line;
    this.column = column;
    this.token = token;
    this.reason = reason;
  }
}
