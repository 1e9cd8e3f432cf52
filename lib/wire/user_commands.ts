/**
 * Builders for user (client-to-server) commands. Each takes names, never raw
 * enum numbers, so nothing out of range can reach a server (an unknown
 * `CtsCmd.api_` aborts a 5.9.2 server).
 *
 * @module
 */
import type { Command } from "./request.ts";
import { ConfigError } from "../errors.ts";

/** `CtsCmd.api_` values by name (5.9.2 through 5.17 share them). */
export const CTS_API = {
  restore_from_checkpt: 1,
  restart: 2,
  shutdown: 3,
  halt: 4,
  terminate: 5,
  reloadwsfile: 6,
  "force-dep-eval": 7,
  ping: 8,
  zombie_get: 9,
  stats: 10,
  suites: 11,
  debug_server_on: 12,
  debug_server_off: 13,
  server_load: 14,
  stats_reset: 15,
  reloadpasswdfile: 16,
  stats_server: 17,
  reloadcustompasswdfile: 18,
} as const;

/** A `CtsCmd` operation, named like its ecflow_client option. */
export type CtsApi = keyof typeof CTS_API;

/**
 * A `CtsCmd` (server-wide command without arguments).
 *
 * @example
 * ```ts
 * import { ctsCommand } from "@ecflow-ts/client";
 * console.log(ctsCommand("suites").members); // { api_: 11 }
 * ```
 */
export function ctsCommand(api: CtsApi): Command {
  const value = Object.hasOwn(CTS_API, api) ? CTS_API[api] : undefined;
  if (value === undefined) throw new ConfigError(`unknown server command '${api}'`);
  return { cls: "CtsCmd", base: "user", members: { api_: value }, label: `--${api}` };
}

/**
 * The `--ping` command.
 *
 * @example
 * ```ts
 * import { pingCommand } from "@ecflow-ts/client";
 * console.log(pingCommand().label); // --ping
 * ```
 */
export function pingCommand(): Command {
  return { ...ctsCommand("ping"), timeoutSeconds: 10 };
}

/**
 * The `--server_version` command (`ServerVersionCmd`, never changes across versions).
 *
 * @example
 * ```ts
 * import { serverVersionCommand } from "@ecflow-ts/client";
 * console.log(serverVersionCommand().cls); // ServerVersionCmd
 * ```
 */
export function serverVersionCommand(): Command {
  return { cls: "ServerVersionCmd", base: "user", members: {}, label: "--server_version" };
}
