/**
 * Reading local files the user names (definition files, scripts) without ever
 * prompting: a file this process may not read is a {@linkcode ConfigError}
 * naming the exact `--allow-read` flag to add.
 *
 * @module
 */
import { ConfigError } from "./errors.ts";

/**
 * Throws {@linkcode ConfigError} with the flag to add when this process may not
 * read `path` (instead of letting Deno prompt or fail with its own wording).
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
 * Reads a text file the user named; every failure is a one-line
 * {@linkcode ConfigError} (`what` names the file, e.g. `definition file`).
 */
export async function readUserFile(path: string, what: string): Promise<string> {
  requireReadPermission(path, what);
  try {
    return await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new ConfigError(`cannot read ${what} '${path}': no such file`);
    }
    if (e instanceof Deno.errors.IsADirectory) {
      throw new ConfigError(`cannot read ${what} '${path}': it is a directory`);
    }
    throw new ConfigError(`cannot read ${what} '${path}': ${(e as Error).message.split("\n")[0]}`);
  }
}
