/**
 * Who a request is sent as: ecFlow's password files (`ECF_PASSWD`, `ECF_CUSTOM_PASSWD`), the
 * DES crypt the server expects, custom users, and the HTTP tokens of `ECF_AUTHTOKENS` /
 * `~/.ecflowapirc`.
 *
 * @example
 * ```ts
 * import { desCrypt } from "@ecflow-ts/client/auth";
 * import { assertEquals } from "@std/assert";
 * assertEquals(desCrypt("secret", "root"), "roO14RlBGPIzs");
 * ```
 *
 * @module
 */
export * from "./credentials.ts";
export * from "./crypt.ts";
export * from "./passwd_file.ts";
export * from "./tokens.ts";
export {
  clientHostName,
  customUserName,
  FALLBACK_USER,
  loginNameOfUid,
  type SystemIdentity,
  systemIdentity,
  userName,
} from "../identity.ts";
