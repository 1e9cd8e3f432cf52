/**
 * Commands about the server and the client themselves: `--ping`,
 * `--server_version`, `--version`, `--help`; and the common modifiers.
 *
 * @module
 */
import type { OptionSpec } from "../args.ts";
import { pingLine } from "../format.ts";
import type { CliCommand } from "../registry.ts";
import { ConfigError } from "../../errors.ts";
import { jsonText } from "../json_text.ts";
import { PROTOCOL, SUPPORTED_SERVERS, VERSION } from "../../version.ts";

/** Modifiers every command accepts. */
export const MODIFIERS: OptionSpec[] = [
  {
    name: "host",
    arity: "value",
    role: "modifier",
    usage: "--host=<host>",
    summary: "server host (default ECF_HOST, else localhost); 'host:port' accepted",
  },
  {
    name: "port",
    arity: "value",
    role: "modifier",
    usage: "--port=<port>",
    summary: "server port (default ECF_PORT, else 3141)",
  },
  {
    name: "json",
    arity: "flag",
    role: "modifier",
    usage: "--json",
    summary: "print the result as one JSON document (ecflow-ts extension)",
  },
  {
    name: "attempts",
    arity: "value",
    role: "modifier",
    usage: "--attempts=<n>",
    summary: "connection attempts when refused (default 2, as ecflow_client)",
  },
  {
    name: "retry-delay",
    arity: "value",
    role: "modifier",
    usage: "--retry-delay=<ms>",
    summary: "milliseconds between attempts (default 1000 for ping, 10000 otherwise)",
  },
  {
    name: "connect-timeout",
    arity: "value",
    role: "modifier",
    usage: "--connect-timeout=<s>",
    summary: "seconds allowed to connect (default 10)",
  },
  {
    name: "timeout",
    arity: "value",
    role: "modifier",
    usage: "--timeout=<s>",
    summary: "seconds allowed for the reply (default as ecflow_client; ECF_CONNECT_TIMEOUT)",
  },
];

/** Builds the help text over the given commands and modifiers. */
export function helpText(commands: OptionSpec[], modifiers: OptionSpec[], topic?: string): string {
  const line = (s: OptionSpec) => `  ${s.usage.padEnd(28)} ${s.summary}\n`;
  if (topic && topic !== "all" && topic !== "summary") {
    const spec = [...commands, ...modifiers].find((s) => s.name === topic.replace(/^--/, ""));
    if (!spec) throw new ConfigError(`no help for unknown option '${topic}' (see --help)`);
    return line(spec);
  }
  return [
    `ecflow-ts ${VERSION}: an ecFlow client in TypeScript (drop-in for ecflow_client)\n`,
    "\nusage: ecflow-ts --<command>[=value] [--host=<host>] [--port=<port>] [--json]\n",
    "\ncommands:\n",
    ...commands.map(line),
    "\nmodifiers:\n",
    ...modifiers.map(line),
    "\nenvironment: ECF_HOST, ECF_PORT, ECF_USER, USER, LOGNAME, ECF_CONNECT_TIMEOUT\n",
  ].join("");
}

/** The `--version` line. */
export function versionText(): string {
  return `ecflow-ts version(${VERSION}) protocol(${PROTOCOL}) servers(${SUPPORTED_SERVERS}) deno(${Deno.version.deno})`;
}

/** `--ping`, `--server_version`, `--version` (and `--help`, added by the registry). */
export const SERVER_COMMANDS: CliCommand[] = [
  {
    name: "ping",
    arity: "flag",
    role: "command",
    usage: "--ping",
    summary: "check the server answers; prints the round trip time (and the transport, if not TCP)",
    run: async ({ client, json, io }) => {
      const c = client();
      const ms = await c.ping();
      if (json) {
        io.out(
          jsonText({
            command: "ping",
            host: c.getHost(),
            port: Number(c.getPort()),
            transport: c.transportKind,
            ms,
          }) + "\n",
        );
      } else {
        // ecflow_client's line; other transports than TCP are named after it
        const over = c.transportKind === "tcp" ? "" : ` (${c.transportKind})`;
        io.out(pingLine(c.getHost(), Number(c.getPort()), ms) + over + "\n");
      }
    },
  },
  {
    name: "server_version",
    arity: "flag",
    role: "command",
    usage: "--server_version",
    summary: "print the server's version",
    run: async ({ client, json, io }) => {
      const v = await client().serverVersion();
      io.out(json ? jsonText({ command: "server_version", version: v }) + "\n" : v + "\n");
    },
  },
  {
    name: "version",
    arity: "flag",
    role: "command",
    usage: "--version",
    summary: "print the client version (no server contact)",
    run: ({ json, io }) => {
      io.out(
        json
          ? jsonText({ command: "version", version: VERSION, protocol: PROTOCOL }) + "\n"
          : `${versionText()}\n`,
      );
      return Promise.resolve();
    },
  },
];
