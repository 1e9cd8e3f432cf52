/**
 * Who a user command is sent as, by ecflow_client's rules (5.9–5.17):
 *
 * 1. A **custom user** (`--user`, `ECF_USER`, `setUserName()`) is sent with
 *    `cu_: true` and needs a password: `--password`/`setPassword()`, else the
 *    entry in the file named by `ECF_CUSTOM_PASSWD`. Without one the command
 *    is refused before anything is sent.
 * 2. Otherwise the **login name** is sent, with the password from
 *    `--password`/`setPassword()`, else from the file named by `ECF_PASSWD`
 *    when it has an entry, else none.
 *
 * A password travels as `crypt(password, user)`, never in plain text.
 *
 * @module
 */
import { ConfigError } from "../errors.ts";
import type { EnvReader } from "../env.ts";
import { customUserName, userName } from "../identity.ts";
import type { UserIdentity } from "../wire/request.ts";
import { findPassword, parsePasswdFile, wirePassword } from "./passwd_file.ts";
import { readOptionalTextFile } from "./read.ts";

/** ecflow_client's words when a custom user has no password (printed verbatim by the CLI). */
export const CUSTOM_USER_WITHOUT_PASSWORD =
  "Invalid custom user(ECF_USER || --user <user>) or authentication failed for ECF_CUSTOM_PASSWD | ECF_PASSWD";

/**
 * A user command cannot be sent with the credentials given: a custom user
 * without a password. Raised before any connection.
 *
 * @example
 * ```ts
 * import { AuthenticationSetupError, ConfigError } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * assertEquals(new AuthenticationSetupError("x") instanceof ConfigError, true);
 * ```
 */
export class AuthenticationSetupError extends ConfigError {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "AuthenticationSetupError";
  }
}

/** Inputs to {@linkcode resolveUserIdentity}. */
export interface CredentialOptions {
  /** The server host as the client dials it. */
  host: string;
  /** The server port. */
  port: number;
  /** `cl_host_`, also the second host name tried in password files. */
  clientHost: string;
  /** The custom user (`--user`, `setUserName()`); `ECF_USER` when not given. */
  customUser?: string;
  /** The plain password (`--password`, `setPassword()`); never sent or shown as is. */
  password?: string;
  /** The login name to send when there is no custom user (default `USER`, `LOGNAME`). */
  loginName?: string;
  /** Environment (`ECF_USER`, `ECF_PASSWD`, `ECF_CUSTOM_PASSWD`, `USER`, `LOGNAME`). */
  env: EnvReader;
}

function passwordFromFile(
  variable: "ECF_PASSWD" | "ECF_CUSTOM_PASSWD",
  user: string,
  o: CredentialOptions,
): string | undefined {
  const path = o.env(variable)?.trim();
  if (!path) return undefined;
  const text = readOptionalTextFile(path, `${variable} file`);
  if (text === undefined) return undefined;
  const entries = parsePasswdFile(text, `${variable} file '${path}'`);
  return findPassword(entries, user, o.host, o.port, o.clientHost);
}

/**
 * The user identity of a user command: user name, crypted password, custom
 * flag. Throws {@linkcode AuthenticationSetupError} for a custom user without
 * a password and {@linkcode ConfigError} for an unreadable or invalid
 * password file.
 *
 * @example A custom user whose password comes from --password
 * ```ts
 * import { envFrom } from "@ecflow-ts/client";
 * import { resolveUserIdentity } from "@ecflow-ts/client/auth";
 * import { assertEquals } from "@std/assert";
 * const id = resolveUserIdentity({
 *   host: "localhost",
 *   port: 3141,
 *   clientHost: "vm",
 *   customUser: "root",
 *   password: "secret",
 *   env: envFrom({}),
 * });
 * assertEquals(id, { user: "root", clientHost: "vm", password: "roO14RlBGPIzs", customUser: true });
 * ```
 */
export function resolveUserIdentity(o: CredentialOptions): UserIdentity {
  const custom = o.customUser?.trim() || customUserName(o.env);
  const plain = o.password ? o.password : undefined;
  if (custom) {
    const pw = plain ?? passwordFromFile("ECF_CUSTOM_PASSWD", custom, o);
    if (!pw) throw new AuthenticationSetupError(CUSTOM_USER_WITHOUT_PASSWORD);
    return {
      user: custom,
      clientHost: o.clientHost,
      password: wirePassword(pw, custom),
      customUser: true,
    };
  }
  const user = o.loginName ?? userName(o.env);
  const pw = plain ?? passwordFromFile("ECF_PASSWD", user, o);
  const id: UserIdentity = { user, clientHost: o.clientHost };
  if (pw) id.password = wirePassword(pw, user);
  return id;
}

/** The credential options of a `Client` (part of `ClientOptions`). */
export interface IdentityOptions {
  /**
   * A custom user (`--user`, Python's `set_user_name()`; else `ECF_USER`):
   * sent with `cu_` set, and it needs a password.
   */
  customUser?: string;
  /** The plain password (`--password`, `set_password()`); sent as `crypt(password, user)`. */
  password?: string;
}
