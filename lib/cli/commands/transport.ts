/**
 * Modifiers that choose the transport and the identity, spelled as
 * ecflow_client's: `--ssl`, `--http`, `--https`, `--user=<name>`,
 * `--password=<password>`.
 *
 * @module
 */
import type { GivenOption, OptionSpec } from "../args.ts";
import type { ClientOptions } from "../../client/options.ts";

/** The transport and identity modifiers. */
export const TRANSPORT_MODIFIERS: OptionSpec[] = [
  {
    name: "ssl",
    arity: "flag",
    role: "modifier",
    usage: "--ssl",
    summary: "use TLS (as ECF_SSL): certificate server.crt or <host>.<port>.crt in ~/.ecflowrc/ssl",
  },
  {
    name: "http",
    arity: "flag",
    role: "modifier",
    usage: "--http",
    summary: "use HTTP: POST /v1/ecflow (ecFlow 5.14+ server started with --http)",
  },
  {
    name: "https",
    arity: "flag",
    role: "modifier",
    usage: "--https",
    summary: "use HTTPS: POST /v1/ecflow through an HTTPS proxy (certificate verified)",
  },
  {
    name: "user",
    arity: "value",
    role: "modifier",
    usage: "--user=<name>",
    summary: "send user commands as this custom user (as ECF_USER); needs a password",
  },
  {
    name: "password",
    arity: "optional",
    role: "modifier",
    usage: "--password=<password>",
    summary: "password for the user (else ECF_CUSTOM_PASSWD / ECF_PASSWD files); sent crypted",
  },
];

/** The client options the transport and identity modifiers ask for. */
export function transportClientOptions(
  modifiers: Map<string, GivenOption>,
): Pick<ClientOptions, "ssl" | "http" | "https" | "customUser" | "password"> {
  const out: Pick<ClientOptions, "ssl" | "http" | "https" | "customUser" | "password"> = {};
  if (modifiers.has("ssl")) out.ssl = true;
  if (modifiers.has("http")) out.http = true;
  if (modifiers.has("https")) out.https = true;
  const user = modifiers.get("user")?.value;
  if (user !== undefined && user.trim() !== "") out.customUser = user;
  const password = modifiers.get("password")?.value;
  if (password) out.password = password;
  return out;
}
