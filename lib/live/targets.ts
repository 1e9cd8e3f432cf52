/**
 * Which servers the live commands show: the ones named (a name from ecflow_ui's
 * server list, or `host:port`), else the server list, else the servers of this
 * machine ({@linkcode localServers}, the one place that list comes from).
 *
 * @module
 */
import { ConfigError } from "../errors.ts";
import type { EnvReader } from "../env.ts";
import { parseHostPort, resolveEndpoint } from "../endpoint.ts";
import { readServerList, type ServerEntry, serverListPath } from "./server_list.ts";
import type { ServerTarget } from "./status.ts";

/** Servers to show, and where the list came from (for people). */
export interface ChosenServers {
  /** The servers, in order. */
  targets: ServerTarget[];
  /** `command line`, the server list's path, or how the local servers were found. */
  source: string;
}

function fromEntry(e: ServerEntry): ServerTarget {
  return { name: e.name, host: e.host, port: e.port, protocol: e.protocol, user: e.user };
}

/** True when `word` is written as an address (`host:port`, `host@port`, `[v6]:port`), not a name. */
function looksLikeAddress(word: string): boolean {
  return /[:@[]/.test(word);
}

/**
 * The servers `words` name: each is `host:port` (also `host@port`,
 * `[v6]:port`) or the name of a server in ecflow_ui's list. Throws
 * {@linkcode ConfigError} for a word that is neither.
 *
 * @example
 * ```ts
 * import { namedServers } from "./targets.ts";
 * import { envFrom } from "../env.ts";
 * import { assertEquals } from "@std/assert";
 * const t = await namedServers(["oetzi:3444", "[::1]:3141"], envFrom({}));
 * assertEquals(t.map((s) => [s.host, s.port]), [["oetzi", 3444], ["::1", 3141]]);
 * ```
 */
export async function namedServers(
  words: readonly string[],
  env: EnvReader,
): Promise<ServerTarget[]> {
  const targets: ServerTarget[] = [];
  let list: ServerEntry[] | undefined;
  let listPath: string | undefined;
  for (const word of words) {
    if (looksLikeAddress(word)) {
      const hp = parseHostPort(word, "the server list given");
      if (hp.port === undefined) {
        throw new ConfigError(`server '${word}': no port (write host:port)`);
      }
      targets.push({ host: hp.host, port: hp.port });
      continue;
    }
    if (list === undefined) {
      const read = await readServerList(env);
      list = read?.entries ?? [];
      listPath = read?.path ?? serverListPath(env);
    }
    const entry = list.find((e) => e.name === word);
    if (!entry) {
      throw new ConfigError(
        `unknown server '${word}': not a name in ${
          listPath ?? "the ecflow_ui server list (HOME unknown)"
        }, and not host:port`,
      );
    }
    targets.push(fromEntry(entry));
  }
  return targets;
}

/**
 * The servers of this machine, when no server is named and there is no server
 * list. This is the one place that list is obtained: today it is the server
 * `ECF_HOST`/`ECF_PORT` name (default `localhost:3141`); local discovery
 * replaces it here.
 *
 * @example
 * ```ts
 * import { localServers } from "./targets.ts";
 * import { envFrom } from "../env.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(localServers(envFrom({ ECF_PORT: "4141" })).targets, [{ host: "localhost", port: 4141 }]);
 * ```
 */
export function localServers(env: EnvReader): ChosenServers {
  const ep = resolveEndpoint({ env });
  return {
    targets: [{ host: ep.host, port: ep.port }],
    source: `no server list: the server ECF_HOST/ECF_PORT name (${ep.host}:${ep.port})`,
  };
}

/**
 * The servers to show by default: ecflow_ui's list when there is one, else
 * {@linkcode localServers}.
 *
 * @example
 * ```ts
 * import { defaultServers } from "./targets.ts";
 * import { envFrom } from "../env.ts";
 * import { assertEquals } from "@std/assert";
 * // no servers.txt in this folder: the server of the environment
 * const chosen = await defaultServers(envFrom({ ECFLOWUI_CONFIG_DIR: "/nonexistent", ECF_HOST: "h" }));
 * assertEquals(chosen.targets, [{ host: "h", port: 3141 }]);
 * ```
 */
export async function defaultServers(env: EnvReader): Promise<ChosenServers> {
  const list = await readServerList(env);
  if (list && list.entries.length > 0) {
    return { targets: list.entries.map(fromEntry), source: list.path };
  }
  return localServers(env);
}
