/**
 * Reading the small configuration files ecFlow keeps (password files,
 * certificates, token files) without ever prompting and without reading
 * forever: a missing file is `undefined`, and so is a directory (ecflow_client
 * ignores a directory named by `ECF_PASSWD`); a FIFO, a device (`/dev/zero`)
 * or a file larger than {@linkcode CONFIG_FILE_LIMIT} is a
 * {@linkcode ConfigError} naming the file, as is a file this process may not
 * read (with the `--allow-read` flag to add).
 *
 * @module
 */
import { ConfigError } from "../errors.ts";
import { CONFIG_FILE_LIMIT, NotRegularFileError, readRegularFileSync } from "../files.ts";

/**
 * Reads a text file; `undefined` when it does not exist or is a directory.
 * Throws {@linkcode ConfigError} when read permission is missing (with the
 * flag to add), when it is not a regular file or larger than `limit`, or when
 * it cannot be read. `what` names the file in messages, e.g. `"ECF_PASSWD file"`.
 *
 * @example
 * ```ts
 * import { readOptionalTextFile } from "./read.ts";
 * import { assertEquals, assertThrows } from "@std/assert";
 * assertEquals(readOptionalTextFile("/nonexistent/passwd", "ECF_PASSWD file"), undefined);
 * assertThrows(() => readOptionalTextFile("/dev/zero", "ECF_PASSWD file"), Error, "character device");
 * ```
 */
export function readOptionalTextFile(
  path: string,
  what: string,
  limit = CONFIG_FILE_LIMIT,
): string | undefined {
  let state: Deno.PermissionState = "granted";
  try {
    state = Deno.permissions.querySync({ name: "read", path }).state;
  } catch { /* old runtime: let the read decide */ }
  if (state !== "granted") {
    throw new ConfigError(`cannot read ${what} '${path}': run deno with --allow-read=${path}`);
  }
  try {
    return readRegularFileSync(path, what, limit);
  } catch (e) {
    if (e instanceof NotRegularFileError && e.kind === "a directory") return undefined;
    if (e instanceof ConfigError) throw e;
    if (e instanceof Deno.errors.NotFound) return undefined;
    if (e instanceof Deno.errors.NotCapable || e instanceof Deno.errors.PermissionDenied) {
      throw new ConfigError(`cannot read ${what} '${path}': permission denied`);
    }
    throw new ConfigError(`cannot read ${what} '${path}': ${(e as Error).message.split("\n")[0]}`);
  }
}
