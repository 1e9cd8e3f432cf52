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
import { findLocalServersSync } from "../discover/mod.ts";
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
 * The servers of this machine: every `ecflow_server` listening here (the user's own first),
 * found as `--find_servers` finds them; when none can be found (no `--allow-all`, not Linux,
 * none running), the server `ECF_HOST`/`ECF_PORT` names, and `source` says why.
 *
 * @example
 * ```ts
 * import { localServers } from "./targets.ts";
 * import { envFrom } from "../env.ts";
 * import { assertEquals } from "@std/assert";
 * const chosen = localServers(envFrom({ ECF_PORT: "4141" }), { procRoot: "/nonexistent" });
 * assertEquals(chosen.targets, [{ host: "localhost", port: 4141 }]);
 * ```
 */
export function localServers(
  env: EnvReader,
  look: { procRoot?: string } = {},
): ChosenServers {
  const found = findLocalServersSync(look);
  if (found.servers.length > 0) {
    const servers = [...found.servers].sort((a, b) => Number(b.mine) - Number(a.mine));
    return {
      targets: servers.map((s) => ({
        host: s.host,
        port: s.port,
        ...(s.protocol === "tls" ? { protocol: "ssl" as const } : {}),
        ...(s.protocol === "http" ? { protocol: "http" as const } : {}),
      })),
      source: "no server list: the ecflow_servers listening on this machine",
    };
  }
  const ep = resolveEndpoint({ env });
  const why = found.unavailable ?? "no ecflow_server listens on this machine";
  return {
    targets: [{ host: ep.host, port: ep.port }],
    source: `no server list, ${why}: the server ECF_HOST/ECF_PORT name (${ep.host}:${ep.port})`,
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
 * // no servers.txt in this folder, no /proc to look in: the server of the environment
 * const env = envFrom({ ECFLOWUI_CONFIG_DIR: "/nonexistent", ECF_HOST: "h" });
 * const chosen = await defaultServers(env, { procRoot: "/nonexistent" });
 * assertEquals(chosen.targets, [{ host: "h", port: 3141 }]);
 * ```
 */
export async function defaultServers(
  env: EnvReader,
  look: { procRoot?: string } = {},
): Promise<ChosenServers> {
  const list = await readServerList(env);
  if (list && list.entries.length > 0) {
    return { targets: list.entries.map(fromEntry), source: list.path };
  }
  return localServers(env, look);
}
