/**
 * Who this client is, found as ecflow_client finds it: the login name of the process's real
 * uid (`getpwuid(getuid())`), the custom user (`ECF_USER`) and this machine's host name
 * (`gethostname`). The single place that looks these up.
 *
 * The least privilege that gets them: `--allow-sys=uid,hostname --allow-read=/etc/passwd`.
 * Without it the login name falls back to `USER`/`LOGNAME` and the host name to `HOSTNAME`,
 * never prompting.
 *
 * @module
 */
import { type EnvReader, readEnv } from "./env.ts";

/** The user name sent when nothing names one (the server refuses an empty user). */
export const FALLBACK_USER = "unknown";

/** The password database read for the login name of a uid (as getpwuid's `files` source). */
const PASSWD_FILE = "/etc/passwd";

/** What the system says about this process: its real uid and its account and host names. */
export interface SystemIdentity {
  /** The login name of the real uid, or `undefined` when it cannot be found or read. */
  loginName(): string | undefined;
  /** `gethostname()`, or `undefined` when it may not be asked. */
  hostName(): string | undefined;
}

function granted(desc: Deno.PermissionDescriptor): boolean {
  try {
    return Deno.permissions.querySync(desc).state === "granted";
  } catch {
    return false;
  }
}

/**
 * The login name of `uid` in the text of a password file: the first entry with that uid, as
 * `getpwuid` returns it from `/etc/passwd`; `undefined` when none has it.
 *
 * @example
 * ```ts
 * import { loginNameOfUid } from "@ecflow-ts/client/auth";
 * import { assertEquals } from "@std/assert";
 * const passwd = "root:x:0:0:root:/root:/bin/bash\n# note\nalice:x:1000:1000::/home/alice:/bin/sh\n";
 * assertEquals(loginNameOfUid(passwd, 1000), "alice");
 * assertEquals(loginNameOfUid(passwd, 4242), undefined);
 * ```
 */
export function loginNameOfUid(passwdText: string, uid: number): string | undefined {
  const wanted = String(uid);
  for (const line of passwdText.split("\n")) {
    if (line === "" || line.startsWith("#") || line.startsWith("+") || line.startsWith("-")) {
      continue;
    }
    const fields = line.split(":");
    if (fields.length >= 3 && fields[2] === wanted && fields[0] !== "") return fields[0];
  }
  return undefined;
}

/**
 * This process's identity from the system, each part only when its permission was granted
 * (queried, never prompted): the login name needs `--allow-sys=uid` and
 * `--allow-read=/etc/passwd`, the host name `--allow-sys=hostname`. Each is looked up once.
 *
 * @example
 * ```ts
 * import { systemIdentity } from "@ecflow-ts/client/auth";
 * import { assert } from "@std/assert";
 * const name = systemIdentity.loginName();
 * assert(name === undefined || name.length > 0);
 * ```
 */
export const systemIdentity: SystemIdentity = {
  loginName: once(() => {
    if (!granted({ name: "sys", kind: "uid" })) return undefined;
    if (!granted({ name: "read", path: PASSWD_FILE })) return undefined;
    try {
      const uid = Deno.uid();
      if (uid === null) return undefined;
      return loginNameOfUid(Deno.readTextFileSync(PASSWD_FILE), uid);
    } catch {
      return undefined;
    }
  }),
  hostName: once(() => {
    if (!granted({ name: "sys", kind: "hostname" })) return undefined;
    try {
      return Deno.hostname() || undefined;
    } catch {
      return undefined;
    }
  }),
};

function once<T>(f: () => T): () => T {
  let done = false;
  let value: T;
  return () => {
    if (!done) {
      value = f();
      done = true;
    }
    return value;
  };
}

/**
 * The login name sent when there is no custom user: the login name of the real uid (as
 * ecflow_client's `getpwuid(getuid())`), else `USER`, else `LOGNAME`, else
 * {@linkcode FALLBACK_USER}. Never empty. (`ECF_USER` names a *custom* user, which needs a
 * password: see {@linkcode customUserName}.)
 *
 * @example
 * ```ts
 * import { envFrom } from "@ecflow-ts/client";
 * import { userName } from "@ecflow-ts/client/auth";
 * import { assertEquals } from "@std/assert";
 * const noSystem = { loginName: () => undefined, hostName: () => undefined };
 * assertEquals(userName(envFrom({ USER: "alice" }), noSystem), "alice");
 * assertEquals(userName(envFrom({}), noSystem), "unknown");
 * const system = { loginName: () => "bob", hostName: () => "vm" };
 * assertEquals(userName(envFrom({ USER: "alice" }), system), "bob");
 * ```
 */
export function userName(env: EnvReader = readEnv, system = systemIdentity): string {
  const fromSystem = system.loginName();
  if (fromSystem) return fromSystem;
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
 * import { customUserName } from "@ecflow-ts/client/auth";
 * import { envFrom } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * assertEquals(customUserName(envFrom({ ECF_USER: "op" })), "op");
 * ```
 */
export function customUserName(env: EnvReader = readEnv): string | undefined {
  return env("ECF_USER")?.trim() || undefined;
}

/**
 * This machine's host name: `gethostname()` when `--allow-sys=hostname` was granted, else
 * `HOSTNAME` from the environment, else `localhost`. Never prompts.
 *
 * @example
 * ```ts
 * import { clientHostName } from "@ecflow-ts/client/auth";
 * import { envFrom } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * const noSystem = { loginName: () => undefined, hostName: () => undefined };
 * assertEquals(clientHostName(envFrom({ HOSTNAME: "node7" }), noSystem), "node7");
 * assertEquals(clientHostName(envFrom({}), noSystem), "localhost");
 * ```
 */
export function clientHostName(env: EnvReader = readEnv, system = systemIdentity): string {
  return system.hostName() ?? (env("HOSTNAME")?.trim() || "localhost");
}
