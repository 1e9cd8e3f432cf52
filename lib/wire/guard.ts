/**
 * The last check before a command is encoded: every enum-valued member must be a value the
 * server knows. An out-of-range `CtsCmd.api_` or `PathsCmd.api_` aborts a 5.9.2 server
 * (assertion in its print routine), so a hand-made {@linkcode Command} passed to
 * `Client.invoke` is checked here too, not only in the builders. Pure.
 *
 * @module
 */
import type { Command } from "./request.ts";
import { ConfigError } from "../errors.ts";

/** Inclusive ranges of the enum members of each command class (5.9.2 … 5.17 values). */
export const ENUM_RANGES: Readonly<Record<string, Readonly<Record<string, [number, number]>>>> = {
  CtsCmd: { api_: [1, 18] },
  CtsNodeCmd: { api_: [1, 6] },
  PathsCmd: { api_: [1, 8] },
  CSyncCmd: { api_: [0, 3] },
  ClientHandleCmd: { api_: [0, 6] },
  CheckPtCmd: { mode_: [0, 3] },
  LogCmd: { api_: [0, 4] },
  ZombieCmd: { user_action_: [0, 5] },
  RequeueNodeCmd: { option_: [0, 2] },
  OrderNodeCmd: { option_: [0, 6] },
  CFileCmd: { file_: [0, 5] },
  EditScriptCmd: { edit_type_: [0, 4] },
  AlterCmd: {
    add_attr_type_: [0, 14],
    del_attr_type_: [0, 21],
    change_attr_type_: [0, 19],
    flag_type_: [0, 25],
  },
};

/**
 * Throws {@linkcode ConfigError} when `cmd` (or a command in its group) carries an enum
 * value outside its class's range, or a non-integer where an enum belongs.
 *
 * @example
 * ```ts
 * import { assertSafeCommand, ConfigError } from "@ecflow-ts/client";
 * try {
 *   assertSafeCommand({ cls: "CtsCmd", base: "user", members: { api_: 99 }, label: "x" });
 * } catch (e) {
 *   console.log(e instanceof ConfigError); // true
 * }
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
