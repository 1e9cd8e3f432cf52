/**
 * ecFlow password files (`ECF_PASSWD`, `ECF_CUSTOM_PASSWD`), read as
 * ecflow_client 5.9–5.17 reads them:
 *
 * ```text
 * 4.5.0                                  # version first (4.5.0 or later)
 * <user> <host> <port> <password>        # comment
 * ```
 *
 * `#` starts a comment; a user may appear once per host/port pair. The
 * password sent for an entry is `crypt(password, user)` (see
 * {@linkcode desCrypt}). Error messages name the file and the line number,
 * never a password.
 *
 * @module
 */
import { ConfigError } from "../errors.ts";
import { desCrypt } from "./crypt.ts";

/** One `<user> <host> <port> <password>` line. */
export interface PasswdEntry {
  /** User name. */
  user: string;
  /** Host the entry is for, as written (`localhost`, a name, an address). */
  host: string;
  /** Port the entry is for, as written. */
  port: string;
  /** The plain password, as written (crypt it with {@linkcode desCrypt} before sending). */
  password: string;
}

function checkVersion(token: string): string | undefined {
  if (!/^[0-9]/.test(token) || !token.includes(".")) {
    return "the version number (e.g. 4.5.0) must appear before the users";
  }
  const parts = token.split(".");
  if (parts.length !== 3 || parts.some((p) => !/^[0-9]+$/.test(p))) {
    return `expected a version of the form <int>.<int>.<int> (e.g. 4.5.0), found '${token}'`;
  }
  const [major, minor, patch] = parts.map(Number);
  if (major < 4 || (major === 4 && minor < 5) || (major === 4 && minor === 5 && patch > 0)) {
    return `only password files with a version of 4.5.0 or later are supported, found '${token}'`;
  }
  return undefined;
}

/**
 * Parses a password file's text. `source` names it in errors. Throws
 * {@linkcode ConfigError} for what ecFlow rejects: no version first, a line
 * with fewer than four fields, a port that is not an integer, a user listed
 * twice for the same host and port.
 *
 * @example
 * ```ts
 * import { parsePasswdFile } from "@ecflow-ts/client/auth";
 * import { assertEquals } from "@std/assert";
 * const entries = parsePasswdFile("4.5.0\nalice localhost 3141 s3cret # me\n", "example");
 * assertEquals(entries[0].user, "alice");
 * assertEquals(entries[0].host, "localhost");
 * assertEquals(entries[0].port, "3141");
 * ```
 */
export function parsePasswdFile(text: string, source: string): PasswdEntry[] {
  const entries: PasswdEntry[] = [];
  const seen = new Set<string>(); // user, host and port of each entry: one look-up per line
  let versionSeen = false;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const hash = lines[i].indexOf("#");
    const content = (hash >= 0 ? lines[i].slice(0, hash) : lines[i]).trim();
    if (content === "") continue;
    const tokens = content.split(/\s+/);
    const where = `${source} line ${i + 1}`;
    if (!versionSeen) {
      const problem = checkVersion(tokens[0]);
      if (problem) throw new ConfigError(`invalid password file ${where}: ${problem}`);
      versionSeen = true;
      continue;
    }
    if (tokens.length < 4) {
      throw new ConfigError(
        `invalid password file ${where}: expected <user> <host> <port> <password>`,
      );
    }
    const [user, host, port, password] = tokens;
    if (!/^[+-]?[0-9]+$/.test(port)) {
      throw new ConfigError(`invalid password file ${where}: the port must be an integer`);
    }
    const key = `${user}\n${host}\n${port}`;
    if (seen.has(key)) {
      throw new ConfigError(
        `invalid password file ${where}: user ${user} can only appear once for host ${host} port ${port}`,
      );
    }
    seen.add(key);
    entries.push({ user, host, port, password });
  }
  return entries;
}

/**
 * The plain password of `user` for the server `host:port`, as ecflow_client
 * picks it: the entry for exactly (user, host, port), else the entry for
 * (user, `localHost`, port) where `localHost` is this machine's host name.
 * `undefined` when neither exists.
 *
 * @example
 * ```ts
 * import { findPassword, parsePasswdFile } from "@ecflow-ts/client/auth";
 * import { assertEquals } from "@std/assert";
 * const entries = parsePasswdFile("4.5.0\nalice vm 3141 s3cret\n", "example");
 * assertEquals(findPassword(entries, "alice", "localhost", 3141, "vm"), "s3cret");
 * ```
 */
export function findPassword(
  entries: PasswdEntry[],
  user: string,
  host: string,
  port: number | string,
  localHost: string,
): string | undefined {
  const p = String(port);
  const match = (h: string) => entries.find((e) => e.user === user && e.host === h && e.port === p);
  return (match(host) ?? match(localHost))?.password;
}

/**
 * What `pswd_` carries for a plain password: `crypt(password, user)`.
 *
 * @example
 * ```ts
 * import { wirePassword } from "@ecflow-ts/client/auth";
 * import { assertEquals } from "@std/assert";
 * assertEquals(wirePassword("secret", "root"), "roO14RlBGPIzs");
 * ```
 */
export function wirePassword(password: string, user: string): string {
  return desCrypt(password, user);
}
