/**
 * Who this client is: the user name (`ECF_USER`, else `USER`/`LOGNAME`) and
 * this machine's host name, found without needing `--allow-sys`.
 *
 * @module
 */
import { type EnvReader, readEnv } from "./env.ts";

/** The user name sent when nothing names one (the server refuses an empty user). */
export const FALLBACK_USER = "unknown";

/**
 * The user name to send: `ECF_USER`, else `USER`, else `LOGNAME`, else
 * {@linkcode FALLBACK_USER}. Never empty.
 *
 * @example
 * ```ts
 * import { envFrom, userName } from "@ecflow-ts/client";
 * console.log(userName(envFrom({ USER: "alice" }))); // alice
 * ```
 */
export function userName(env: EnvReader = readEnv): string {
  for (const name of ["ECF_USER", "USER", "LOGNAME"]) {
    const v = env(name)?.trim();
    if (v) return v;
  }
  return FALLBACK_USER;
}

/**
 * This machine's host name: `Deno.hostname()` when `--allow-sys=hostname` was
 * granted, else `HOSTNAME` from the environment, else `localhost`. Never prompts.
 *
 * @example
 * ```ts
 * import { clientHostName } from "@ecflow-ts/client";
 * console.log(clientHostName().length > 0); // true
 * ```
 */
export function clientHostName(env: EnvReader = readEnv): string {
  try {
    if (Deno.permissions.querySync({ name: "sys", kind: "hostname" }).state === "granted") {
      const h = Deno.hostname();
      if (h) return h;
    }
  } catch { /* fall through */ }
  return env("HOSTNAME")?.trim() || "localhost";
}
