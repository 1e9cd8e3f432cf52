/**
 * Preparing a definition for a LoadDefsCmd: the NET text ecflow_client sends, which carries
 * the client's default server variables and never contains `extern` lines (an extern line
 * crashes a 5.9.2 server).
 *
 * @module
 */

import type { Defs, Variable } from "./model.ts";
import { printDefs } from "./printer.ts";

/**
 * Options of {@link defaultServerVariables}.
 *
 * @example
 * ```ts
 * import { defaultServerVariables, type ServerVariableOptions } from "@ecflow-ts/client/defs";
 * import { assertEquals } from "@std/assert";
 * const options: ServerVariableOptions = { hostName: "myhost", port: "4141" };
 * assertEquals(defaultServerVariables(options).length, 21);
 * ```
 */
export interface ServerVariableOptions {
  /** Machine name used in file names (ecFlow uses `gethostname()`); e.g. `Deno.hostname()`. */
  hostName: string;
  /** Port (default `3141`, what ecflow_client uses whatever port it talks to). */
  port?: string;
  /** Version for `ECF_VERSION` (default `5.9.2`). */
  version?: string;
}

/**
 * The server variables a freshly created ecFlow definition holds (ecFlow's ServerState
 * defaults), in ecFlow's order. ecflow_client sends these with every `--load`.
 *
 * @example
 * ```ts
 * import { defaultServerVariables } from "@ecflow-ts/client/defs";
 * import { assertEquals } from "@std/assert";
 * const vars = defaultServerVariables({ hostName: "vm" });
 * assertEquals(vars.find((v) => v.name === "ECF_LOG")?.value, "vm.3141.ecf.log");
 * ```
 */
export function defaultServerVariables(options: ServerVariableOptions): Variable[] {
  const port = options.port ?? "3141";
  const file = (name: string) => `${options.hostName}.${port}.${name}`;
  const list: [string, string][] = [
    ["ECF_MICRO", "%"],
    ["ECF_HOME", "."],
    ["ECF_JOB_CMD", "%ECF_JOB% 1> %ECF_JOBOUT% 2>&1"],
    ["ECF_KILL_CMD", "kill -15 %ECF_RID%"],
    ["ECF_STATUS_CMD", "ps --pid %ECF_RID% -f > %ECF_JOB%.stat 2>&1"],
    ["ECF_URL_CMD", "${BROWSER:=firefox} -new-tab %ECF_URL_BASE%/%ECF_URL%"],
    ["ECF_URL_BASE", "https://confluence.ecmwf.int"],
    ["ECF_URL", "display/ECFLOW/ecflow+home"],
    ["ECF_LOG", file("ecf.log")],
    ["ECF_INTERVAL", "60"],
    ["ECF_LISTS", file("ecf.lists")],
    ["ECF_PASSWD", file("ecf.passwd")],
    ["ECF_CUSTOM_PASSWD", file("ecf.custom_passwd")],
    ["ECF_CHECK", file("ecf.check")],
    ["ECF_CHECKOLD", file("ecf.check.b")],
    ["ECF_CHECKINTERVAL", "120"],
    ["ECF_CHECKMODE", "CHECK_ON_TIME"],
    ["ECF_TRIES", "2"],
    ["ECF_VERSION", options.version ?? "5.9.2"],
    ["ECF_PORT", port],
    ["ECF_HOST", "localhost"],
  ];
  return list.map(([name, value]) => ({ name, value }));
}

/**
 * Options of {@link loadDefsText}.
 *
 * @example
 * ```ts
 * import { loadDefsText, type LoadTextOptions } from "@ecflow-ts/client/defs";
 * import { parseDefs } from "@ecflow-ts/client";
 * import { assert } from "@std/assert";
 * const options: LoadTextOptions = { hostName: "myhost", port: "3141" };
 * const text = loadDefsText(parseDefs("suite s\nendsuite\n"), options);
 * assert(text.includes("edit ECF_LOG 'myhost.3141.ecf.log' # server\n"));
 * assert(text.endsWith("suite s\nendsuite\n# enddef\n"));
 * ```
 */
export interface LoadTextOptions extends ServerVariableOptions {}

/**
 * The `defs_` text of a LoadDefsCmd for `defs`, as ecflow_client builds it: NET style,
 * `#<version>` first line, `defs_state NET …`, the definition's user server variables and
 * (when it has none of its own) the client's default server variables, no externs.
 * Run `checkDefs` first: the text bypasses the server's own reference checks.
 *
 * @example
 * ```ts
 * import { loadDefsText } from "@ecflow-ts/client/defs";
 * import { parseDefs } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * const defs = parseDefs("extern /other/t\nsuite s\n  task t\nendsuite\n");
 * const text = loadDefsText(defs, { hostName: "vm" });
 * assertEquals(text.startsWith("#5.9.2\ndefs_state NET cal_count:0\n"), true);
 * assertEquals(text.includes("extern"), false);
 * ```
 */
export function loadDefsText(defs: Defs, options: LoadTextOptions): string {
  const saved = defs.serverVariables;
  if (saved.length === 0) defs.serverVariables = defaultServerVariables(options);
  try {
    return printDefs(defs, { style: "net", version: options.version ?? "5.9.2" });
  } finally {
    defs.serverVariables = saved;
  }
}
