/**
 * The print profile of a server version: every choice in which ecflow_client of one ecFlow
 * version prints a definition differently from another, in one place. ecflow-ts prints what
 * the `ecflow_client` of the server it talks to prints, so the printers (`printer.ts`,
 * `state.ts`) and the CLI take a profile made from the server's version.
 *
 * Verified against the real 5.9.2 and 5.17.0 clients; the versions in between follow ecFlow's
 * source history (the release each change first shipped in):
 *
 * | choice                                | up to the release before | from                         |
 * | ------------------------------------- | ------------------------ | ---------------------------- |
 * | indentation, two spaces a level       | every style              | 5.14.1: DEFS style only      |
 * | default password files (STATE, print) | `<host>.3141.ecf.passwd` | 5.14.0: `<host>.3141.ECF_PASSWD` |
 * | a date repeat's `_MM`, `_DD`          | `3`, `1`                 | 5.16.0: `03`, `01`           |
 * | an aviso's listener and reason        | as read                  | 5.13.8: quoted, `--reason ''` |
 *
 * The first line of a definition is the version itself (`#5.17.0`).
 *
 * @module
 */

import type { PrintStyle } from "./printer.ts";
import type { Variable } from "./model.ts";
import { defaultServerVariables } from "./load.ts";

/**
 * How one ecFlow version's `ecflow_client` prints definitions.
 *
 * @example
 * ```ts
 * import { printProfile, type PrintProfile } from "@ecflow-ts/client/defs";
 * import { assertEquals } from "@std/assert";
 * const profile: PrintProfile = printProfile("5.17.0");
 * assertEquals([profile.indent.defs, profile.indent.state], [true, false]);
 * ```
 */
export interface PrintProfile {
  /** The version, as the server names itself: written as a definition's first line. */
  readonly version: string;
  /** Whether each style's nested lines are indented, two spaces a level. */
  readonly indent: Readonly<Record<PrintStyle, boolean>>;
  /** Generated `_YYYY`, `_MM`, `_DD` variables of date repeats as 4, 2 and 2 digits. */
  readonly paddedDateParts: boolean;
  /** The default `ECF_PASSWD` and `ECF_CUSTOM_PASSWD` file names, after `<host>.<port>.`. */
  readonly passwdFiles: { readonly passwd: string; readonly customPasswd: string };
  /**
   * An aviso's listener and reason always in single quotes: ecflow_client reads an aviso
   * without a reason as the reason `''`, and prints it.
   */
  readonly avisoQuoted: boolean;
}

type Triple = [number, number, number];

/** Releases in which ecflow_client's printing changed. */
const INDENT_DEFS_ONLY: Triple = [5, 14, 1];
const PASSWD_VARIABLE_NAMES: Triple = [5, 14, 0];
const PADDED_DATE_PARTS: Triple = [5, 16, 0];
const AVISO_QUOTED: Triple = [5, 13, 8];

/**
 * A version's leading `major.minor.patch` as numbers (`5.17.0rc1` → `[5, 17, 0]`), or
 * `undefined` when it does not start with one.
 *
 * @example
 * ```ts
 * import { versionNumbers } from "@ecflow-ts/client/defs";
 * import { assertEquals } from "@std/assert";
 * assertEquals(versionNumbers("5.17.0"), [5, 17, 0]);
 * assertEquals(versionNumbers("unknown"), undefined);
 * ```
 */
export function versionNumbers(version: string): [number, number, number] | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(version.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

function atLeast(v: Triple, from: Triple): boolean {
  for (let i = 0; i < 3; i++) if (v[i] !== from[i]) return v[i] > from[i];
  return true;
}

/**
 * The print profile of a server version (as `--server_version` or a definition's first line
 * names it). A version that does not start with `major.minor.patch` prints as 5.9.2 does,
 * the oldest generation ecflow-ts speaks to, keeping the text as its first line.
 *
 * @example
 * ```ts
 * import { printProfile } from "@ecflow-ts/client/defs";
 * import { assertEquals } from "@std/assert";
 * assertEquals(printProfile("5.9.2").indent.state, true);
 * assertEquals(printProfile("5.17.0").indent.state, false);
 * assertEquals(printProfile("5.17.0").passwdFiles.passwd, "ECF_PASSWD");
 * ```
 */
export function printProfile(version: string): PrintProfile {
  const v = versionNumbers(version) ?? [5, 9, 2];
  const defsOnly = atLeast(v, INDENT_DEFS_ONLY);
  const upper = atLeast(v, PASSWD_VARIABLE_NAMES);
  return {
    version,
    indent: { defs: true, state: !defsOnly, net: !defsOnly, migrate: !defsOnly },
    paddedDateParts: atLeast(v, PADDED_DATE_PARTS),
    passwdFiles: upper
      ? { passwd: "ECF_PASSWD", customPasswd: "ECF_CUSTOM_PASSWD" }
      : { passwd: "ecf.passwd", customPasswd: "ecf.custom_passwd" },
    avisoQuoted: atLeast(v, AVISO_QUOTED),
  };
}

/**
 * ecFlow 5.9.2's profile: how ecflow-ts prints when no server is asked (`--load … print`)
 * and what the printers do when given no profile.
 *
 * @example
 * ```ts
 * import { PRINT_PROFILE_5_9 } from "@ecflow-ts/client/defs";
 * import { assertEquals } from "@std/assert";
 * assertEquals(PRINT_PROFILE_5_9.version, "5.9.2");
 * ```
 */
export const PRINT_PROFILE_5_9: PrintProfile = printProfile("5.9.2");

/**
 * The server variables ecflow_client of a profile's version gives a definition it makes
 * itself (a suite's STATE text, `--load … print`): ecFlow's defaults with that version.
 *
 * @example
 * ```ts
 * import { printProfile, profileServerVariables } from "@ecflow-ts/client/defs";
 * import { assertEquals } from "@std/assert";
 * const vars = profileServerVariables(printProfile("5.17.0"), "vm");
 * assertEquals(vars.find((v) => v.name === "ECF_PASSWD")?.value, "vm.3141.ECF_PASSWD");
 * assertEquals(vars.find((v) => v.name === "ECF_VERSION")?.value, "5.17.0");
 * ```
 */
export function profileServerVariables(profile: PrintProfile, hostName: string): Variable[] {
  const port = "3141";
  const vars = defaultServerVariables({ hostName, port, version: profile.version });
  const file = (name: string) => `${hostName}.${port}.${name}`;
  for (const v of vars) {
    if (v.name === "ECF_PASSWD") v.value = file(profile.passwdFiles.passwd);
    else if (v.name === "ECF_CUSTOM_PASSWD") v.value = file(profile.passwdFiles.customPasswd);
  }
  return vars;
}
