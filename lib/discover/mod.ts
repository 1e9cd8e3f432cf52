/**
 * Finding the `ecflow_server`s listening on this machine, as
 * `netstat -lnptu | grep ecflow_server` shows them: port, pid, owner, ECF_HOME
 * and whether each speaks TCP, TLS or HTTP, read from `/proc` (Linux only)
 * without sending anything to the servers. {@linkcode askServer} then asks each
 * for its state and version.
 *
 * @module
 */
import { type Discovery, serversFrom } from "./match.ts";
import { type LookOptions, openProc, readProcSnapshot } from "./read.ts";

export type { Discovery, FoundServer, ServerProtocol, UnplacedServer } from "./match.ts";
export type { LookOptions } from "./read.ts";
export {
  ASK_DEADLINES,
  type AskOptions,
  askServer,
  clientFor,
  type ServerAnswer,
  type ServerState,
} from "./ask.ts";

/**
 * Looks for the local servers now. Never prompts for a permission: when it may not
 * look (not Linux, or Deno may not read `/proc`), the result has no servers and
 * `unavailable` says why and which flag allows it.
 *
 * @example
 * ```ts
 * import { findLocalServersSync } from "./mod.ts";
 * import { assert } from "@std/assert";
 * const found = findLocalServersSync();
 * assert(found.unavailable !== undefined || found.servers.every((s) => s.port > 0));
 * ```
 */
export function findLocalServersSync(options: LookOptions = {}): Discovery {
  const root = (options.procRoot ?? "/proc").replace(/(.)\/+$/, "$1");
  const opened = openProc(root);
  if ("unavailable" in opened) return { servers: [], unavailable: opened.unavailable };
  return serversFrom(readProcSnapshot(root, opened.tcp, options.passwdFile));
}

/** Options of {@linkcode findLocalServers}. */
export interface FindOptions extends LookOptions {
  /** Abandons the look (the promise rejects with the signal's reason). */
  signal?: AbortSignal;
}

/**
 * The `ecflow_server`s listening on this machine: the current user's first, then
 * by port. Reads `/proc` (a few milliseconds; see {@linkcode findLocalServersSync});
 * needs `--allow-all` under Deno, and says so in `unavailable` otherwise.
 *
 * @example List the servers, or say why they cannot be listed
 * ```ts ignore
 * import { findLocalServers } from "@ecflow-ts/client/discover";
 * const { servers, unavailable } = await findLocalServers();
 * if (unavailable) console.log(`cannot look: ${unavailable}`);
 * for (const s of servers) console.log(s.port, s.protocol, s.pid, s.user, s.home);
 * ```
 */
export async function findLocalServers(options: FindOptions = {}): Promise<Discovery> {
  options.signal?.throwIfAborted();
  await Promise.resolve();
  const found = findLocalServersSync(options);
  options.signal?.throwIfAborted();
  return found;
}
