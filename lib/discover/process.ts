/**
 * What `/proc/<pid>/` tells about one process, parsed from its files' text:
 * `status` (name, owner, parent), `cmdline` and `environ` (NUL-separated),
 * the `fd/<n>` links that name sockets, and the `ecflow_server` options found
 * in its arguments. Pure: text in, records out.
 *
 * @module
 */

/** The facts of one process that discovery uses. */
export interface ProcessFacts {
  /** Process id. */
  pid: number;
  /** Parent process id (0 when unknown). */
  ppid: number;
  /** The program name the kernel keeps (`comm`, at most 15 characters). */
  name: string;
  /** The real uid that owns it (undefined when `status` could not be read). */
  uid?: number;
  /** Its arguments, program first (empty when unreadable). */
  argv: string[];
  /**
   * The variables discovery uses from its environment (`ECF_*`, `HOME`);
   * undefined when the environment may not be read (another user's process).
   */
  env?: Record<string, string>;
  /** Its working directory (an ecflow_server works in its ECF_HOME); undefined when unreadable. */
  cwd?: string;
  /** Inodes of the sockets it holds; undefined when its `fd/` may not be read. */
  socketInodes?: number[];
}

/** The `Name`, real `Uid` and `PPid` lines of `/proc/<pid>/status`. */
export interface ProcessStatus {
  /** `Name:`, the program name. */
  name?: string;
  /** The first (real) uid of `Uid:`. */
  uid?: number;
  /** `PPid:`. */
  ppid?: number;
}

/**
 * Reads the name, real uid and parent pid from the text of `/proc/<pid>/status`.
 *
 * @example
 * ```ts
 * import { parseStatus } from "./process.ts";
 * import { assertEquals } from "@std/assert";
 * const text = "Name:\tecflow_server\nUmask:\t0022\nPPid:\t1\nUid:\t1000\t1000\t1000\t1000\n";
 * assertEquals(parseStatus(text), { name: "ecflow_server", uid: 1000, ppid: 1 });
 * ```
 */
export function parseStatus(text: string): ProcessStatus {
  const out: ProcessStatus = {};
  for (const line of text.split("\n")) {
    const tab = line.indexOf(":");
    if (tab < 0) continue;
    const key = line.slice(0, tab);
    const value = line.slice(tab + 1).trim();
    if (key === "Name") out.name = value;
    else if (key === "Uid" && /^\d+/.test(value)) out.uid = Number(value.split(/\s+/)[0]);
    else if (key === "PPid" && /^\d+$/.test(value)) out.ppid = Number(value);
  }
  return out;
}

/**
 * Splits the NUL-separated text of `/proc/<pid>/cmdline` into arguments.
 *
 * @example
 * ```ts
 * import { parseCmdline } from "./process.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(parseCmdline("/usr/sbin/ecflow_server\0--port=4141\0"), ["/usr/sbin/ecflow_server", "--port=4141"]);
 * ```
 */
export function parseCmdline(text: string): string[] {
  const parts = text.split("\0");
  if (parts.at(-1) === "") parts.pop();
  return parts;
}

/** Whether discovery keeps an environment variable: `ECF_*` and `HOME`. */
function kept(name: string): boolean {
  return name.startsWith("ECF_") || name === "HOME";
}

/**
 * The `ECF_*` and `HOME` variables in the NUL-separated text of `/proc/<pid>/environ`
 * (the environment the process started with). Nothing else is kept.
 *
 * @example
 * ```ts
 * import { parseEnviron } from "./process.ts";
 * import { assertEquals } from "@std/assert";
 * const text = "PATH=/bin\0ECF_HOME=/home/ops/ecflow_server\0ECF_SSL=\0SECRET=x\0";
 * assertEquals(parseEnviron(text), { ECF_HOME: "/home/ops/ecflow_server", ECF_SSL: "" });
 * ```
 */
export function parseEnviron(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of text.split("\0")) {
    const eq = entry.indexOf("=");
    if (eq <= 0) continue;
    const name = entry.slice(0, eq);
    if (kept(name)) out[name] = entry.slice(eq + 1);
  }
  return out;
}

/**
 * The inode of a `/proc/<pid>/fd/<n>` link target `socket:[inode]`; undefined for other files.
 *
 * @example
 * ```ts
 * import { socketInode } from "./process.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals([socketInode("socket:[4242]"), socketInode("/dev/null")], [4242, undefined]);
 * ```
 */
export function socketInode(linkTarget: string): number | undefined {
  const m = /^socket:\[(\d+)\]$/.exec(linkTarget);
  return m ? Number(m[1]) : undefined;
}

/**
 * A working directory link as the kernel shows it, without the ` (deleted)` mark.
 *
 * @example
 * ```ts
 * import { cleanCwd } from "./process.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(cleanCwd("/home/ops/ecf (deleted)"), "/home/ops/ecf");
 * ```
 */
export function cleanCwd(linkTarget: string): string {
  return linkTarget.replace(/ \(deleted\)$/, "");
}

/** The `ecflow_server` options that say where and how it listens. */
export interface ServerArguments {
  /** `--port <n>`. */
  port?: number;
  /** `--ssl`: TLS. */
  ssl: boolean;
  /** `--http` (5.14+): the port speaks HTTP. */
  http: boolean;
}

/**
 * The long options of `ecflow_server` (5.9 and 5.17 together); boost accepts any
 * unambiguous prefix of them, as `--po=3141`.
 */
const SERVER_OPTIONS = [
  "help",
  "port",
  "ecfinterval",
  "v6",
  "ssl",
  "http",
  "dis_job_gen",
  "debug",
  "version",
];

/** The full option name `given` stands for, as boost's prefix matching decides. */
function optionNamed(given: string): string | undefined {
  if (SERVER_OPTIONS.includes(given)) return given;
  const matches = SERVER_OPTIONS.filter((o) => o.startsWith(given));
  return matches.length === 1 ? matches[0] : undefined;
}

/**
 * The port and transport options in an `ecflow_server` command line (`argv[0]` is
 * the program): `--port=<n>`, `--port <n>`, `--ssl`, `--http`, or any unambiguous
 * prefix of them, as the server's option parser reads them.
 *
 * @example
 * ```ts
 * import { serverArguments } from "./process.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(serverArguments(["ecflow_server", "--port", "4141", "--http"]), { port: 4141, ssl: false, http: true });
 * assertEquals(serverArguments(["ecflow_server", "--po=3199", "--ssl"]), { port: 3199, ssl: true, http: false });
 * ```
 */
export function serverArguments(argv: string[]): ServerArguments {
  const out: ServerArguments = { ssl: false, http: false };
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith("--") || arg === "--") continue;
    const eq = arg.indexOf("=");
    const name = optionNamed(eq < 0 ? arg.slice(2) : arg.slice(2, eq));
    if (name === "ssl") out.ssl = true;
    else if (name === "http") out.http = true;
    else if (name === "port") {
      const value = eq < 0 ? argv[++i] : arg.slice(eq + 1);
      if (value !== undefined && /^\d+$/.test(value.trim())) out.port = Number(value.trim());
    }
  }
  return out;
}

/**
 * True when the program is an `ecflow_server`: its kernel name is `ecflow_server`
 * (or a copy renamed with a suffix, such as `ecflow_server5`).
 *
 * @example
 * ```ts
 * import { isEcflowServer } from "./process.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(["ecflow_server", "ecflow_http", "python3"].map(isEcflowServer), [true, false, false]);
 * ```
 */
export function isEcflowServer(name: string): boolean {
  return name.startsWith("ecflow_server");
}
