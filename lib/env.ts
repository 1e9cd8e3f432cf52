/**
 * Reading environment variables without ever prompting or crashing.
 *
 * Each variable is queried on its own: a permission that was not granted
 * (`--allow-env` missing, or scoped to other names) counts as "unset". A
 * variable that is set but whose value is not valid UTF-8 is not "unset": it
 * is a {@linkcode ConfigError} naming the variable, never a silent default.
 *
 * @module
 */
import { ConfigError } from "./errors.ts";

/**
 * A function that returns a variable's value, or `undefined` when unset or not readable.
 * The process environment's reader throws {@linkcode ConfigError} for a value it cannot decode.
 */
export type EnvReader = (name: string) => string | undefined;

/**
 * Reads one environment variable; `undefined` when it is unset or when this
 * process was not granted `--allow-env` for it. Never prompts. Throws
 * {@linkcode ConfigError} (naming the variable, never its value) when the
 * variable is set to bytes that are not UTF-8: using a default instead would
 * talk to the wrong server.
 *
 * @example Read ECF_HOST when allowed
 * ```ts
 * import { readEnv } from "@ecflow-ts/client";
 * import { assert } from "@std/assert";
 * const host = readEnv("ECF_HOST") ?? "localhost";
 * assert(typeof host === "string");
 * ```
 */
export function readEnv(name: string): string | undefined {
  try {
    const status = Deno.permissions.querySync({ name: "env", variable: name });
    if (status.state !== "granted") return undefined;
  } catch {
    return undefined;
  }
  try {
    return Deno.env.get(name);
  } catch (e) {
    if (e instanceof Deno.errors.InvalidData) {
      throw new ConfigError(
        `${name} is set, but its value is not valid UTF-8: set it to what you mean, or unset it`,
      );
    }
    if (e instanceof Deno.errors.NotCapable || e instanceof Deno.errors.PermissionDenied) {
      return undefined;
    }
    throw new ConfigError(`cannot read ${name}: ${(e as Error).message.split("\n")[0]}`);
  }
}

/**
 * Builds an {@linkcode EnvReader} over a fixed record, for tests and for
 * callers that want to pin the environment.
 *
 * @example
 * ```ts
 * import { envFrom } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * const env = envFrom({ ECF_PORT: "4141" });
 * assertEquals(env("ECF_PORT"), "4141");
 * ```
 */
export function envFrom(record: Record<string, string | undefined>): EnvReader {
  return (name) => record[name];
}

/**
 * `""` when this process may read the variable `name`; otherwise a hint naming
 * the flag to add, for messages about a variable that reads as unset.
 *
 * @example
 * ```ts
 * import { envPermissionHint } from "./env.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(typeof envPermissionHint("ECF_NAME"), "string");
 * ```
 */
export function envPermissionHint(name: string): string {
  try {
    if (Deno.permissions.querySync({ name: "env", variable: name }).state === "granted") return "";
  } catch { /* no hint */ }
  return ` (ecflow-ts may not read it: run deno with --allow-env=${name}, or --allow-env=ECF_*)`;
}
