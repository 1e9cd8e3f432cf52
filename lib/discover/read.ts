/**
 * The thin reader: gathers a {@linkcode ProcSnapshot} from `/proc` (or a copy of
 * it mounted elsewhere) and `/etc/passwd`, without ever prompting.
 *
 * Deno guards `/proc`: on Linux it reads `/proc` only when every permission is
 * granted (`--allow-all`, `-A`), whatever `--allow-read` says, so the reader first
 * queries the read permission (a read that is not granted would prompt) and then
 * tries `/proc/net/tcp`, turning Deno's refusal into the reason it gives.
 *
 * The reads are synchronous: `/proc` files are generated in memory by the kernel,
 * and a machine's few hundred processes are scanned in milliseconds (only the
 * `ecflow_server` ones beyond their name), so one look is short enough not to
 * need interleaving with other work.
 *
 * @module
 */
import type { ProcSnapshot } from "./match.ts";
import { type ListeningSocket, parseProcNetTcp } from "./proc_net.ts";
import { parsePasswd } from "./passwd.ts";
import {
  cleanCwd,
  isEcflowServer,
  parseCmdline,
  parseEnviron,
  parseStatus,
  type ProcessFacts,
  socketInode,
} from "./process.ts";

/** Where to look; the defaults are this machine's. */
export interface LookOptions {
  /** Where `proc` is mounted (default `/proc`; e.g. a host's `/proc` seen from a container). */
  procRoot?: string;
  /** The user database (default `/etc/passwd`). */
  passwdFile?: string;
}

/** What the flags must be for Deno to open `/proc`. */
export const PROC_PERMISSION_HINT =
  "reading /proc needs deno's --allow-all (-A) (--allow-read=/proc is not enough)";

function granted(path: string): boolean {
  try {
    return Deno.permissions.querySync({ name: "read", path }).state === "granted";
  } catch {
    return false;
  }
}

function text(path: string): string | undefined {
  try {
    return Deno.readTextFileSync(path);
  } catch {
    return undefined;
  }
}

function link(path: string): string | undefined {
  try {
    return Deno.readLinkSync(path);
  } catch {
    return undefined;
  }
}

/** The socket inodes a process holds; undefined when its `fd/` may not be listed. */
function socketInodes(dir: string): number[] | undefined {
  let entries: Deno.DirEntry[];
  try {
    entries = [...Deno.readDirSync(`${dir}/fd`)];
  } catch {
    return undefined;
  }
  const out: number[] = [];
  for (const e of entries) {
    const target = link(`${dir}/fd/${e.name}`);
    const inode = target === undefined ? undefined : socketInode(target);
    if (inode !== undefined) out.push(inode);
  }
  return out;
}

/** The facts of process `pid` when it is an `ecflow_server` (undefined otherwise, or when gone). */
function serverFacts(root: string, pid: number): ProcessFacts | undefined {
  const dir = `${root}/${pid}`;
  const name = text(`${dir}/comm`)?.replace(/\n$/, "");
  if (name === undefined || !isEcflowServer(name)) return undefined;
  const status = parseStatus(text(`${dir}/status`) ?? "");
  const facts: ProcessFacts = {
    pid,
    ppid: status.ppid ?? 0,
    name,
    argv: parseCmdline(text(`${dir}/cmdline`) ?? ""),
  };
  if (status.uid !== undefined) facts.uid = status.uid;
  const environ = text(`${dir}/environ`);
  if (environ !== undefined) facts.env = parseEnviron(environ);
  const cwd = link(`${dir}/cwd`);
  if (cwd !== undefined) facts.cwd = cleanCwd(cwd);
  const inodes = socketInodes(dir);
  if (inodes !== undefined) facts.socketInodes = inodes;
  return facts;
}

/**
 * Why `root` cannot be looked at, or its `net/tcp` text when it can. Never prompts.
 *
 * @example
 * ```ts
 * import { openProc } from "./read.ts";
 * import { assert } from "@std/assert";
 * assert("unavailable" in openProc("/nonexistent-proc"));
 * ```
 */
export function openProc(root: string): { tcp: string } | { unavailable: string } {
  if (Deno.build.os !== "linux") {
    return { unavailable: `it needs Linux's /proc, and this system is ${Deno.build.os}` };
  }
  if (!granted(root)) return { unavailable: PROC_PERMISSION_HINT };
  try {
    return { tcp: Deno.readTextFileSync(`${root}/net/tcp`) };
  } catch (e) {
    if (e instanceof Deno.errors.NotCapable) return { unavailable: PROC_PERMISSION_HINT };
    return {
      unavailable: `cannot read ${root}/net/tcp: ${(e as Error).message.split("\n")[0]}`,
    };
  }
}

/**
 * Reads the snapshot; `tcp` is the `net/tcp` text {@linkcode openProc} returned. Files that
 * may not be read (another user's `environ`, `fd/`, `cwd`) leave their facts undefined; a
 * process that ends during the scan is left out.
 */
export function readProcSnapshot(
  root: string,
  tcp: string,
  passwdFile = "/etc/passwd",
): ProcSnapshot {
  const sockets: ListeningSocket[] = [
    ...parseProcNetTcp(tcp, 4),
    ...parseProcNetTcp(text(`${root}/net/tcp6`) ?? "", 6),
  ];
  const processes: ProcessFacts[] = [];
  let entries: Deno.DirEntry[] = [];
  try {
    entries = [...Deno.readDirSync(root)];
  } catch { /* nothing to scan */ }
  for (const e of entries) {
    if (!/^\d+$/.test(e.name)) continue;
    const facts = serverFacts(root, Number(e.name));
    if (facts) processes.push(facts);
  }
  const passwd = granted(passwdFile) ? text(passwdFile) : undefined;
  const snapshot: ProcSnapshot = { sockets, processes, users: parsePasswd(passwd ?? "") };
  const uid = parseStatus(text(`${root}/self/status`) ?? "").uid;
  if (uid !== undefined) snapshot.currentUid = uid;
  return snapshot;
}
