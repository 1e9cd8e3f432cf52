/**
 * Who this client is: the login name (`USER`/`LOGNAME`), the custom user
 * (`ECF_USER`) and this machine's host name, found without needing `--allow-sys`.
 *
 * @module
 */
import { type EnvReader, readEnv } from "./env.ts";

/** The user name sent when nothing names one (the server refuses an empty user). */
export const FALLBACK_USER = "unknown";

/**
 * The login name sent when there is no custom user: `USER`, else `LOGNAME`,
 * else {@linkcode FALLBACK_USER}. Never empty. (`ECF_USER` names a *custom*
 * user, which needs a password: see {@linkcode customUserName}.)
 *
 * @example
 * ```ts
 * import { envFrom, userName } from "@ecflow-ts/client";
 * console.log(userName(envFrom({ USER: "alice" }))); // alice
 * ```
 */
export function userName(env: EnvReader = readEnv): string {
  for (const name of ["USER", "LOGNAME"]) {
    const v = env(name)?.trim();
    if (v) return v;
  }
  return FALLBACK_USER;
}

/**
 * The custom user named by `ECF_USER`, or `undefined` when it is unset or
 * empty. ecflow_client sends a custom user with `cu_` set and requires a
 * password for it (`ECF_CUSTOM_PASSWD` or `--password`).
 *
 * @example
 * ```ts
 * import { customUserName, envFrom } from "@ecflow-ts/client";
 * console.log(customUserName(envFrom({ ECF_USER: "op" }))); // op
 * ```
 */
export function customUserName(env: EnvReader = readEnv): string | undefined {
  return env("ECF_USER")?.trim() || undefined;
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
