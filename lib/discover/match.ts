/**
 * Which listening sockets belong to which `ecflow_server` process, and what each
 * server speaks: the decision discovery makes from the facts read in `/proc`.
 * Pure: a {@linkcode ProcSnapshot} in, the servers found out.
 *
 * A socket belongs to a process when the process holds it (`fd/<n>` →
 * `socket:[inode]`), which only the owner of the process (or root) may see. For
 * another user's server only its command line is readable: it is matched to the
 * socket its owner listens on at the port its `--port` names; without `--port`
 * its port cannot be told, and it is listed as such rather than guessed.
 *
 * @module
 */
import type { ListeningSocket } from "./proc_net.ts";
import { reachableAsLocalhost } from "./proc_net.ts";
import { isEcflowServer, type ProcessFacts, serverArguments } from "./process.ts";

/** How a server talks: TCP framing, TLS, HTTP, or not known without asking it. */
export type ServerProtocol = "tcp" | "tls" | "http" | "unknown";

/** An `ecflow_server` listening on this machine. */
export interface FoundServer {
  /** The host to dial: `localhost` when it listens on every address or on loopback. */
  host: string;
  /** The port it listens on. */
  port: number;
  /** Its process id. */
  pid: number;
  /** The name of the user it runs as (undefined when the uid has no name here). */
  user?: string;
  /** The uid it runs as. */
  uid?: number;
  /** True when it runs as the user looking. */
  mine: boolean;
  /** Its ECF_HOME (its working directory), when readable. */
  home?: string;
  /** What it speaks, from its arguments (`--ssl`, `--http`) and environment (`ECF_SSL`). */
  protocol: ServerProtocol;
  /** For TLS: the `ECF_SSL` value it started with (it picks the certificate file). */
  ecfSsl?: string;
  /** For TLS: the folder of its certificate (its `ECF_SSL_DIR`, else `$HOME/.ecflowrc/ssl`). */
  sslDir?: string;
}

/** An `ecflow_server` process whose port could not be read. */
export interface UnplacedServer {
  /** Its process id. */
  pid: number;
  /** The uid it runs as. */
  uid?: number;
  /** The name of that user. */
  user?: string;
}

/** What a look for local servers found. */
export interface Discovery {
  /** The servers, the looking user's first, then by port. */
  servers: FoundServer[];
  /**
   * Why nothing could be looked at (not Linux, or no permission to read `/proc`),
   * naming what would allow it. Absent when the look was made.
   */
  unavailable?: string;
  /**
   * `ecflow_server` processes of other users whose port cannot be told without
   * their owner's (or root's) rights: they were started without `--port`.
   */
  portUnknown?: UnplacedServer[];
}

/** Everything discovery reads, gathered: the input of {@linkcode serversFrom}. */
export interface ProcSnapshot {
  /** Listening sockets from `/proc/net/tcp` and `/proc/net/tcp6`. */
  sockets: ListeningSocket[];
  /** The facts of the processes named `ecflow_server` (others may be included; they are ignored). */
  processes: ProcessFacts[];
  /** User names by uid. */
  users: Map<number, string>;
  /** The uid of the user looking (undefined when unknown). */
  currentUid?: number;
}

/** What the server speaks: `--http` wins (as in ServerMain), then `--ssl` or `ECF_SSL`. */
function protocolOf(p: ProcessFacts): Pick<FoundServer, "protocol" | "ecfSsl" | "sslDir"> {
  const args = serverArguments(p.argv);
  if (args.http) return { protocol: "http" };
  const ecfSsl = p.env?.ECF_SSL;
  if (args.ssl || ecfSsl !== undefined) {
    const home = p.env?.HOME?.replace(/\/$/, "");
    const sslDir = p.env?.ECF_SSL_DIR || (home ? `${home}/.ecflowrc/ssl` : undefined);
    return { protocol: "tls", ecfSsl: ecfSsl ?? "1", ...(sslDir ? { sslDir } : {}) };
  }
  return { protocol: p.env ? "tcp" : "unknown" };
}

/**
 * The servers in a snapshot: one per listening port of each `ecflow_server`,
 * the current user's first, then by port.
 *
 * @example
 * ```ts
 * import { serversFrom } from "./match.ts";
 * import { assertEquals } from "@std/assert";
 * const found = serversFrom({
 *   sockets: [{ inode: 7, uid: 1000, port: 4141, address: "0.0.0.0", family: 4 }],
 *   processes: [{
 *     pid: 1234, ppid: 1, name: "ecflow_server", uid: 1000,
 *     argv: ["ecflow_server", "--port=4141"], env: { ECF_SSL: "1" },
 *     cwd: "/home/ops/ecflow_server", socketInodes: [7],
 *   }],
 *   users: new Map([[1000, "ops"]]),
 *   currentUid: 1000,
 * });
 * assertEquals(found.servers.map((s) => [s.port, s.pid, s.user, s.protocol, s.home]), [
 *   [4141, 1234, "ops", "tls", "/home/ops/ecflow_server"],
 * ]);
 * ```
 */
export function serversFrom(snapshot: ProcSnapshot): Discovery {
  const byInode = new Map(snapshot.sockets.map((s) => [s.inode, s]));
  const servers = snapshot.processes.filter((p) => isEcflowServer(p.name));
  const holders = new Map<number, number[]>();
  for (const p of servers) {
    for (const inode of p.socketInodes ?? []) {
      holders.set(inode, [...holders.get(inode) ?? [], p.pid]);
    }
  }
  const claimed = new Set<string>(); // "uid:port" held by a readable process
  const found: FoundServer[] = [];
  const portUnknown: UnplacedServer[] = [];
  const describe = (p: ProcessFacts) => ({
    pid: p.pid,
    ...(p.uid !== undefined ? { uid: p.uid } : {}),
    ...(p.uid !== undefined && snapshot.users.has(p.uid)
      ? { user: snapshot.users.get(p.uid) }
      : {}),
  });
  const add = (p: ProcessFacts, socket: ListeningSocket) => {
    if (found.some((f) => f.port === socket.port && f.pid === p.pid)) return;
    const home = p.cwd ?? p.env?.ECF_HOME;
    found.push({
      host: reachableAsLocalhost(socket.address) ? "localhost" : socket.address,
      port: socket.port,
      ...describe(p),
      mine: p.uid !== undefined && p.uid === snapshot.currentUid,
      ...(home ? { home } : {}),
      ...protocolOf(p),
    });
  };
  for (const p of servers) {
    if (p.socketInodes === undefined) continue;
    for (const inode of p.socketInodes) {
      const socket = byInode.get(inode);
      // A socket inherited by a forked child: it belongs to the parent that holds it too.
      if (!socket || (holders.get(inode) ?? []).includes(p.ppid)) continue;
      claimed.add(`${socket.uid}:${socket.port}`);
      add(p, socket);
    }
  }
  for (const p of servers) {
    if (p.socketInodes !== undefined) continue;
    const port = serverArguments(p.argv).port;
    const socket = port === undefined
      ? undefined
      : snapshot.sockets.find((s) =>
        s.port === port && s.uid === p.uid && !claimed.has(`${s.uid}:${s.port}`)
      );
    if (socket) add(p, socket);
    else if (port === undefined) portUnknown.push(describe(p));
  }
  found.sort((a, b) => Number(b.mine) - Number(a.mine) || a.port - b.port || a.pid - b.pid);
  portUnknown.sort((a, b) => a.pid - b.pid);
  return portUnknown.length ? { servers: found, portUnknown } : { servers: found };
}
