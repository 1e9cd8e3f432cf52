/**
 * HTTP(S) tokens, as the ecFlow 5.14+ client finds them: the JSON file named
 * by `ECF_AUTHTOKENS`, else `$HOME/.ecflowapirc`, else `./.ecflowapirc`:
 *
 * ```json
 * {"version": 1, "tokens": [
 *   {"type": "bearer", "server": "<regex>", "api": {"url": "…", "key": "…", "email": "…"}},
 *   {"type": "basic", "server": "<regex>", "api": {"username": "…", "password": "…"}}]}
 * ```
 *
 * The first token whose `server` regular expression matches the whole base
 * URL (`https://host:port`) gives the `Authorization` header. Messages never
 * contain a key or a password.
 *
 * @module
 */
import { ConfigError } from "../errors.ts";
import { type EnvReader, readEnv } from "../env.ts";
import { readOptionalTextFile } from "./read.ts";

/** One usable token. */
export type AuthToken =
  | { type: "bearer"; server: string; key: string }
  | { type: "basic"; server: string; username: string; password: string };

/** Parses a token file's text; `source` names it in errors. */
export function parseTokenFile(text: string, source: string): AuthToken[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new ConfigError(`invalid token file ${source}: not JSON`);
  }
  const doc = data as { version?: unknown; tokens?: unknown };
  if (typeof doc !== "object" || doc === null || !Number.isInteger(doc.version)) {
    throw new ConfigError(`invalid token file ${source}: no version found`);
  }
  if (doc.version !== 1) {
    throw new ConfigError(`invalid token file ${source}: expected version 1, found ${doc.version}`);
  }
  const out: AuthToken[] = [];
  const list = Array.isArray(doc.tokens) ? doc.tokens : [];
  list.forEach((t: Record<string, unknown>, i: number) => {
    const api = (t?.api ?? {}) as Record<string, unknown>;
    const str = (v: unknown, field: string) => {
      if (typeof v !== "string") {
        throw new ConfigError(
          `invalid token file ${source}: token ${i + 1} has no string '${field}'`,
        );
      }
      return v;
    };
    if (t?.type === "bearer") {
      out.push({ type: "bearer", server: str(t.server, "server"), key: str(api.key, "api.key") });
    } else if (t?.type === "basic") {
      out.push({
        type: "basic",
        server: str(t.server, "server"),
        username: str(api.username, "api.username"),
        password: str(api.password, "api.password"),
      });
    }
  });
  return out;
}

/** The first token whose `server` pattern matches all of `baseUrl`, if any. */
export function tokenFor(tokens: AuthToken[], baseUrl: string): AuthToken | undefined {
  return tokens.find((t) => {
    try {
      return new RegExp(`^(?:${t.server})$`).test(baseUrl);
    } catch {
      return false;
    }
  });
}

/** The `Authorization` header value of a token. */
export function authorizationHeader(token: AuthToken): string {
  if (token.type === "bearer") return `Bearer ${token.key}`;
  const bytes = new TextEncoder().encode(`${token.username}:${token.password}`);
  return `Basic ${btoa(String.fromCharCode(...bytes))}`;
}

/**
 * Where the token file is and its text: `ECF_AUTHTOKENS` (must be readable
 * when set), else `$HOME/.ecflowapirc`, else `./.ecflowapirc` (each skipped
 * when missing or not readable by this process). `undefined` when none.
 */
export function readTokenFile(
  env: EnvReader = readEnv,
): { path: string; text: string } | undefined {
  const named = env("ECF_AUTHTOKENS")?.trim();
  if (named) {
    const text = readOptionalTextFile(named, "ECF_AUTHTOKENS file");
    return text === undefined ? undefined : { path: named, text };
  }
  const home = env("HOME")?.trim();
  for (const path of [home ? `${home}/.ecflowapirc` : undefined, ".ecflowapirc"]) {
    if (!path) continue;
    try {
      const text = readOptionalTextFile(path, "token file");
      if (text !== undefined) return { path, text };
    } catch { /* not readable here: no token from it */ }
  }
  return undefined;
}

/**
 * The `Authorization` header for `baseUrl` from the token file, or `undefined`.
 *
 * @example
 * ```ts
 * import { authorizationFor } from "@ecflow-ts/client/auth";
 * import { envFrom } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * // no ECF_AUTHTOKENS and no HOME: no token file, so no header
 * assertEquals(authorizationFor("http://localhost:3141", envFrom({})), undefined);
 * ```
 */
export function authorizationFor(baseUrl: string, env: EnvReader = readEnv): string | undefined {
  const file = readTokenFile(env);
  if (!file) return undefined;
  const token = tokenFor(parseTokenFile(file.text, `'${file.path}'`), baseUrl);
  return token ? authorizationHeader(token) : undefined;
}
