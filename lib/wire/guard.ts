/**
 * The last check before a command is encoded: every enum-valued member must be a value the
 * server knows. An out-of-range `CtsCmd.api_` or `PathsCmd.api_` aborts a 5.9.2 server
 * (assertion in its print routine), so a hand-made {@linkcode Command} passed to
 * `Client.invoke` is checked here too, not only in the builders. Pure.
 *
 * @module
 */
import type { Command } from "./request.ts";
import { COMMAND_ENUMS } from "./enums.ts";
import { ConfigError } from "../errors.ts";

/**
 * Inclusive ranges of the enum members of each command class, derived from the enum tables
 * in `enums.ts` (the same tables the request builders use).
 *
 * @example
 * ```ts
 * import { ENUM_RANGES } from "@ecflow-ts/client/wire";
 * import { assertEquals } from "@std/assert";
 * assertEquals(ENUM_RANGES.CtsCmd.api_, [1, 18]);
 * ```
 */
export const ENUM_RANGES: Readonly<Record<string, Readonly<Record<string, [number, number]>>>> =
  Object.fromEntries(
    Object.entries(COMMAND_ENUMS).map(([cls, members]) => [
      cls,
      Object.fromEntries(
        Object.entries(members).map(([member, table]) => {
          const values = Object.values(table);
          return [member, [Math.min(...values), Math.max(...values)]];
        }),
      ),
    ]),
  );

/**
 * Throws {@linkcode ConfigError} when `cmd` (or a command in its group) carries an enum
 * value outside its class's range, or a non-integer where an enum belongs.
 *
 * @example
 * ```ts
 * import { ConfigError } from "@ecflow-ts/client";
 * import { assertSafeCommand } from "@ecflow-ts/client/wire";
 * import { assertThrows } from "@std/assert";
 * assertThrows(
 *   () => assertSafeCommand({ cls: "CtsCmd", base: "user", members: { api_: 99 }, label: "x" }),
 *   ConfigError,
 *   "1..18",
 * );
 * ```
 */
export function assertSafeCommand(cmd: Command): void {
  const ranges = ENUM_RANGES[cmd.cls];
  if (ranges) {
    for (const [member, [min, max]] of Object.entries(ranges)) {
      const v = cmd.members[member];
      if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
        throw new ConfigError(
          `refusing to send ${cmd.cls} with ${member}=${
            JSON.stringify(v)
          }: not a value the server knows (${min}..${max})`,
        );
      }
    }
  }
  for (const child of cmd.children ?? []) assertSafeCommand(child);
}
