/**
 * Reading the small configuration files ecFlow keeps (password files,
 * certificates, token files) without ever prompting: a missing file is
 * `undefined`, a file this process may not read is a {@linkcode ConfigError}
 * naming the `--allow-read` flag to add.
 *
 * @module
 */
import { ConfigError } from "../errors.ts";

/**
 * Reads a text file; `undefined` when it does not exist. Throws
 * {@linkcode ConfigError} when read permission is missing (with the flag to
 * add) or the file cannot be read. `what` names the file in messages, e.g.
 * `"ECF_PASSWD file"`.
 */
export function readOptionalTextFile(path: string, what: string): string | undefined {
  let state: Deno.PermissionState = "granted";
  try {
    state = Deno.permissions.querySync({ name: "read", path }).state;
  } catch { /* old runtime: let the read decide */ }
  if (state !== "granted") {
    throw new ConfigError(`cannot read ${what} '${path}': run deno with --allow-read=${path}`);
  }
  try {
    return Deno.readTextFileSync(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    if (e instanceof Deno.errors.NotCapable || e instanceof Deno.errors.PermissionDenied) {
      throw new ConfigError(`cannot read ${what} '${path}': permission denied`);
    }
    if (e instanceof Deno.errors.IsADirectory) {
      throw new ConfigError(`cannot read ${what} '${path}': it is a directory`);
    }
    throw new ConfigError(`cannot read ${what} '${path}': ${(e as Error).message.split("\n")[0]}`);
  }
}
