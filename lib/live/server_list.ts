/**
 * The server list ecflow_ui keeps: `servers.txt` in its configuration folder
 * (`$ECFLOWUI_CONFIG_DIR`, else `~/.ecflow_ui_v5`). One server a line,
 * `name,host,port[,favourite,system,protocol,user]`; lines whose first
 * non-blank character is `#` are comments.
 *
 * Read as ecflow_ui 5.17 reads it: fields are split at commas with empty fields
 * dropped (so `a,,b` is two fields), lines with fewer than three fields are
 * ignored, and a line with an empty name, host or port, a port that is not a
 * whole number, a repeated name or an unknown protocol makes the whole file
 * invalid (ecflow_ui then refuses to start). The protocol is the number
 * ecflow_ui writes: `0` TCP, `1` TCP with SSL, `2` HTTP, `3` HTTPS (before
 * 5.14 the field was an SSL flag, `1` = SSL, which reads the same).
 *
 * @module
 */
import { ConfigError } from "../errors.ts";
import type { EnvReader } from "../env.ts";

/** How ecflow_ui talks to a server (its `ecf::Protocol`). */
export type ServerProtocol = "tcp" | "ssl" | "http" | "https";

/** ecflow_ui's configuration encoding of a protocol, by value. */
const PROTOCOL_ENCODING: Record<string, ServerProtocol> = {
  "0": "tcp",
  "1": "ssl",
  "2": "http",
  "3": "https",
};

/** One server of the list. */
export interface ServerEntry {
  /** The name the operator gave it (unique in the list). */
  name: string;
  /** Host name or address. */
  host: string;
  /** Port, as written (a whole number). */
  port: number;
  /** Marked as a favourite in ecflow_ui. */
  favourite: boolean;
  /** Came from a system-wide list. */
  system: boolean;
  /** How to talk to it. */
  protocol: ServerProtocol;
  /** The user ecflow_ui connects as (its custom user), if set. */
  user?: string;
  /** Line number in the file (1-based). */
  line: number;
}

/**
 * Parses the text of a `servers.txt`. Throws {@linkcode ConfigError} naming
 * `fileName` and the line when an entry is invalid.
 *
 * @example
 * ```ts
 * import { parseServerList } from "./server_list.ts";
 * import { assertEquals } from "@std/assert";
 * const list = parseServerList(
 *   "# Name, Host, Port, Favourite, System, Protocol, User\nprod,oetzi,3444,1,0,1,ops\n",
 *   "servers.txt",
 * );
 * assertEquals(list.map((e) => [e.name, e.host, e.port, e.protocol, e.user]), [
 *   ["prod", "oetzi", 3444, "ssl", "ops"],
 * ]);
 * ```
 */
export function parseServerList(text: string, fileName: string): ServerEntry[] {
  const entries: ServerEntry[] = [];
  const names = new Set<string>();
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/\r$/, "");
    if (line.trimStart().startsWith("#")) continue;
    const f = line.split(",").filter((x) => x !== "");
    if (f.length < 3) continue;
    const [name, host, portText] = f;
    const where = `${fileName} line ${i + 1}`;
    const bad = (why: string): never => {
      throw new ConfigError(`${where}: ${why} [name=${name},host=${host},port=${portText}]`);
    };
    if (name.trim() === "") bad("empty server name");
    if (host.trim() === "") bad("empty server host");
    if (!/^\s*[0-9]+\s*$/.test(portText)) bad(`invalid port number: ${portText}`);
    if (names.has(name)) bad(`duplicated server name: ${name}`);
    let protocol: ServerProtocol = "tcp";
    if (f.length >= 6) {
      protocol = PROTOCOL_ENCODING[f[5]] ?? bad(`invalid protocol '${f[5]}' (0, 1, 2 or 3)`);
    }
    names.add(name);
    entries.push({
      name,
      host: host.trim(),
      port: Number(portText),
      favourite: f[3] === "1",
      system: f[4] === "1",
      protocol,
      user: f.length >= 7 && f[6] !== "" ? f[6] : undefined,
      line: i + 1,
    });
  }
  return entries;
}

/**
 * Where ecflow_ui keeps its server list: `$ECFLOWUI_CONFIG_DIR/servers.txt`,
 * else `$HOME/.ecflow_ui_v5/servers.txt`; `undefined` when neither variable
 * can be read.
 *
 * @example
 * ```ts
 * import { serverListPath } from "./server_list.ts";
 * import { envFrom } from "../env.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(serverListPath(envFrom({ HOME: "/home/op" })), "/home/op/.ecflow_ui_v5/servers.txt");
 * assertEquals(serverListPath(envFrom({ ECFLOWUI_CONFIG_DIR: "/cfg", HOME: "/h" })), "/cfg/servers.txt");
 * ```
 */
export function serverListPath(env: EnvReader): string | undefined {
  const dir = env("ECFLOWUI_CONFIG_DIR");
  if (dir) return `${dir.replace(/\/+$/, "")}/servers.txt`;
  const home = env("HOME");
  if (home) return `${home.replace(/\/+$/, "")}/.ecflow_ui_v5/servers.txt`;
  return undefined;
}

/** A server list read from a file. */
export interface ServerList {
  /** The file it was read from. */
  path: string;
  /** Its servers, in file order. */
  entries: ServerEntry[];
}

/**
 * Reads ecflow_ui's server list. `undefined` when the file does not exist (or
 * its place cannot be known); a file this process may not read, or an invalid
 * one, is a {@linkcode ConfigError} (naming the `--allow-read` flag to add).
 *
 * @example
 * ```ts ignore
 * import { readServerList } from "./server_list.ts";
 * import { readEnv } from "../env.ts";
 * const list = await readServerList(readEnv);
 * console.log(list?.entries.map((e) => e.name));
 * ```
 */
export async function readServerList(env: EnvReader): Promise<ServerList | undefined> {
  const path = serverListPath(env);
  if (path === undefined) return undefined;
  let state: Deno.PermissionState = "granted";
  try {
    state = Deno.permissions.querySync({ name: "read", path }).state;
  } catch { /* let the read decide */ }
  if (state !== "granted") {
    throw new ConfigError(
      `cannot read the server list '${path}': run deno with --allow-read=${path}`,
    );
  }
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw new ConfigError(
      `cannot read the server list '${path}': ${(e as Error).message.split("\n")[0]}`,
    );
  }
  return { path, entries: parseServerList(text, path) };
}
