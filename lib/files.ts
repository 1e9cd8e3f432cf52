/**
 * Reading local files the user names (definition files, scripts, host files, password files)
 * without ever prompting and without reading forever: only a regular file is read (a FIFO or
 * `/dev/zero` would never end), and never more than a size limit; every refusal is a one-line
 * {@linkcode ConfigError} naming the file (and the limit, or the exact `--allow-read` flag).
 *
 * @module
 */
import { ConfigError } from "./errors.ts";

const MIB = 1024 * 1024;

/**
 * The most a definition file, script or host file may hold: 256 MiB (a million-line
 * definition is about 25 MiB).
 *
 * @example
 * ```ts
 * import { USER_FILE_LIMIT } from "./files.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(USER_FILE_LIMIT, 256 * 1024 * 1024);
 * ```
 */
export const USER_FILE_LIMIT = 256 * MIB;

/**
 * The most a configuration file (password, token, certificate file) may hold: 64 MiB.
 *
 * @example
 * ```ts
 * import { CONFIG_FILE_LIMIT } from "./files.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(CONFIG_FILE_LIMIT, 64 * 1024 * 1024);
 * ```
 */
export const CONFIG_FILE_LIMIT = 64 * MIB;

/** `256 MiB`, `1500 bytes`: a limit in words. */
function size(bytes: number): string {
  return bytes % MIB === 0 ? `${bytes / MIB} MiB` : `${bytes} bytes`;
}

/** What a file that is not a regular one is, in words. */
function kindOf(info: Deno.FileInfo): string {
  if (info.isDirectory) return "a directory";
  if (info.isFifo) return "a FIFO";
  if (info.isCharDevice) return "a character device";
  if (info.isBlockDevice) return "a block device";
  if (info.isSocket) return "a socket";
  return "not a regular file";
}

/**
 * A file that is there but is not a regular file (a directory, a FIFO, a device, a socket).
 * `kind` says which, in words.
 *
 * @example
 * ```ts
 * import { NotRegularFileError } from "./files.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(new NotRegularFileError("x", "f", "a FIFO").message, "cannot read x 'f': it is a FIFO, not a regular file");
 * ```
 */
export class NotRegularFileError extends ConfigError {
  /** Creates the error; `kind` is e.g. `a directory`. */
  constructor(what: string, path: string, readonly kind: string) {
    super(`cannot read ${what} '${path}': it is ${kind}, not a regular file`);
    this.name = "NotRegularFileError";
  }
}

function checkRegular(info: Deno.FileInfo, what: string, path: string, limit: number): void {
  if (!info.isFile) throw new NotRegularFileError(what, path, kindOf(info));
  if (info.size > limit) tooLarge(what, path, limit);
}

function tooLarge(what: string, path: string, limit: number): never {
  throw new ConfigError(
    `cannot read ${what} '${path}': it is larger than ${size(limit)}, the most ecflow-ts reads`,
  );
}

/** Joins the pieces read into one text (invalid UTF-8 becomes U+FFFD, as Deno.readTextFile does). */
function decode(pieces: Uint8Array[], total: number): string {
  const all = new Uint8Array(total);
  let at = 0;
  for (const p of pieces) {
    all.set(p, at);
    at += p.length;
  }
  return new TextDecoder().decode(all);
}

/**
 * Throws {@linkcode ConfigError} with the flag to add when this process may not
 * read `path` (instead of letting Deno prompt or fail with its own wording).
 *
 * @example
 * ```ts
 * import { requireReadPermission } from "./files.ts";
 * requireReadPermission("/etc/hostname", "test file"); // throws unless --allow-read covers it
 * ```
 */
export function requireReadPermission(path: string, what: string): void {
  let state: Deno.PermissionState = "granted";
  try {
    state = Deno.permissions.querySync({ name: "read", path }).state;
  } catch { /* let the read decide */ }
  if (state !== "granted") {
    throw new ConfigError(`cannot read ${what} '${path}': run deno with --allow-read=${path}`);
  }
}

/**
 * Reads a regular file of at most `limit` bytes as text. Throws `Deno.errors.NotFound` when
 * there is no such file, {@linkcode NotRegularFileError} for a directory, FIFO or device
 * (never opened: a FIFO would wait for a writer) and {@linkcode ConfigError} when it is
 * larger than `limit` (it is read no further) or cannot be read.
 *
 * @example
 * ```ts
 * import { readRegularFileSync } from "./files.ts";
 * import { assertThrows } from "@std/assert";
 * assertThrows(() => readRegularFileSync("/dev/zero", "test file", 1024), Error, "character device");
 * ```
 */
export function readRegularFileSync(path: string, what: string, limit: number): string {
  checkRegular(Deno.statSync(path), what, path, limit);
  using file = Deno.openSync(path, { read: true });
  checkRegular(file.statSync(), what, path, limit);
  const pieces: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const buf = new Uint8Array(Math.min(1 << 20, limit - total + 1));
    const n = file.readSync(buf);
    if (n === null) break;
    pieces.push(buf.subarray(0, n));
    total += n;
    if (total > limit) tooLarge(what, path, limit);
  }
  return decode(pieces, total);
}

/**
 * {@linkcode readRegularFileSync}, without blocking the process while it reads.
 *
 * @example
 * ```ts
 * import { readRegularFile } from "./files.ts";
 * import { assertRejects } from "@std/assert";
 * await assertRejects(() => readRegularFile("/", "test file", 1024), Error, "a directory");
 * ```
 */
export async function readRegularFile(path: string, what: string, limit: number): Promise<string> {
  checkRegular(await Deno.stat(path), what, path, limit);
  using file = await Deno.open(path, { read: true });
  checkRegular(await file.stat(), what, path, limit);
  const pieces: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const buf = new Uint8Array(Math.min(1 << 20, limit - total + 1));
    const n = await file.read(buf);
    if (n === null) break;
    pieces.push(buf.subarray(0, n));
    total += n;
    if (total > limit) tooLarge(what, path, limit);
  }
  return decode(pieces, total);
}

/**
 * Reads a text file the user named; every failure is a one-line
 * {@linkcode ConfigError} (`what` names the file, e.g. `definition file`): no permission (with
 * the flag to add), no such file, not a regular file, larger than `limit` (default
 * {@linkcode USER_FILE_LIMIT}).
 *
 * @example
 * ```ts
 * import { readUserFile } from "./files.ts";
 * import { assertRejects } from "@std/assert";
 * await assertRejects(() => readUserFile("/nonexistent.def", "definition file"), Error, "no such file");
 * ```
 */
export async function readUserFile(
  path: string,
  what: string,
  limit = USER_FILE_LIMIT,
): Promise<string> {
  requireReadPermission(path, what);
  try {
    return await readRegularFile(path, what, limit);
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    if (e instanceof Deno.errors.NotFound) {
      throw new ConfigError(`cannot read ${what} '${path}': no such file`);
    }
    throw new ConfigError(`cannot read ${what} '${path}': ${(e as Error).message.split("\n")[0]}`);
  }
}
