/**
 * The command-line program: option table, dispatch to the library's Client,
 * output and exit codes. The library throws; only this module decides what a
 * person sees and the exit status.
 *
 * @module
 */
import { type GivenOption, type OptionSpec, parseCommandLine } from "./args.ts";
import { COMMANDS, MODIFIERS } from "./commands/mod.ts";
import { transportClientOptions } from "./commands/transport.ts";
import type { CliIo } from "./registry.ts";
import { Client } from "../client/client.ts";
import type { ClientOptions } from "../client/options.ts";
import { describeEndpoint, formatHostPort } from "../endpoint.ts";
import {
  ConfigError,
  ConnectionError,
  EcflowError,
  ProtocolError,
  ServerError,
  TimeoutError,
} from "../errors.ts";
import { type EnvReader, readEnv } from "../env.ts";
import { TlsSetupError } from "../transport/tls_errors.ts";
import { processIo } from "./process_io.ts";

export type { CliIo } from "./registry.ts";

const SPECS: OptionSpec[] = [...COMMANDS, ...MODIFIERS];

function numberOption(o: GivenOption | undefined, min: number): number | undefined {
  if (!o) return undefined;
  const n = Number(o.value);
  if (o.value === undefined || o.value.trim() === "" || !Number.isFinite(n) || n < min) {
    throw new ConfigError(`invalid value '${o.value}' for --${o.spec.name}: ${o.spec.usage}`);
  }
  return n;
}

function clientOptions(mods: Map<string, GivenOption>, env: EnvReader): ClientOptions {
  const attempts = numberOption(mods.get("attempts"), 1);
  const delayMs = numberOption(mods.get("retry-delay"), 0);
  const connectS = numberOption(mods.get("connect-timeout"), 0.001);
  const replyS = numberOption(mods.get("timeout"), 0.001);
  if (attempts !== undefined && !Number.isInteger(attempts)) {
    throw new ConfigError(`invalid value '${attempts}' for --attempts: a whole number`);
  }
  return {
    host: mods.get("host")?.value,
    port: mods.get("port")?.value,
    env,
    labels: { host: "--host", port: "--port" },
    retry: { attempts, delayMs },
    connectTimeoutMs: connectS === undefined ? undefined : connectS * 1000,
    replyTimeoutMs: replyS === undefined ? undefined : replyS * 1000,
    ...transportClientOptions(mods),
  };
}

/** One printable line: newlines folded, other control characters (a hostile reply's escape sequences) shown as `?`. */
function oneLine(s: string): string {
  // deno-lint-ignore no-control-regex
  return s.replace(/\s*\n\s*/g, " ").replace(/[\x00-\x08\x0b-\x1f\x7f\x9b]/g, "?").trim();
}

/** The connection was made and then broke (or the reply never came): not a "Failed to connect". */
function failedAfterConnect(e: ConnectionError | TimeoutError): boolean {
  if (e instanceof TimeoutError) return e.phase === "reply";
  return e.reason === "eof" || e.reason === "reset" || e.reason === "tls";
}

/** Prefixes `host:port` unless the message already starts with it. */
function withEndpoint(message: string, client: Client | undefined): string {
  if (!client) return message;
  const hp = formatHostPort(client.endpoint.host, client.endpoint.port);
  return message.startsWith(`${hp}: `) ? message : `${hp}: ${message}`;
}

/**
 * Explains a failed connection: what was tried, where each value came from, what to do, and
 * the servers that do listen on this machine (that code is loaded only now: a failed
 * connection is the only path that needs it).
 */
async function connectionAdvice(e: ConnectionError | TimeoutError, client: Client, label: string) {
  const ep = client.endpoint;
  const hp = formatHostPort(ep.host, ep.port);
  const lines = [
    `Request( ${label} ), Failed to connect to ${hp}. Is the server running ?`,
    `ecflow-ts: tried ${hp} over ${client.transportKind}: ${
      oneLine(e.message.slice(e.message.indexOf(": ") + 2))
    }`,
    `  ${describeEndpoint(ep)}`,
    "  hint: choose the server with  export ECF_HOST=<host> ECF_PORT=<port>" +
    "  or  --host=<host> --port=<port>",
    `  hint: a server started by ecflow_start listens on port 1500 + your uid${uidHint()}, not 3141`,
    ...(await import("../discover/advice.ts")).localServerAdvice(ep),
  ];
  return lines.join("\n") + "\n";
}

function uidHint(): string {
  try {
    if (Deno.permissions.querySync({ name: "sys", kind: "uid" }).state === "granted") {
      const uid = Deno.uid();
      if (uid !== null) return ` (here ${1500 + uid})`;
    }
  } catch { /* no hint */ }
  return " (see: id -u)";
}

/**
 * Runs the program with `args`; resolves with the exit status (0 success,
 * 1 any error). Never throws and never exits the process.
 *
 * @example
 * ```ts
 * import { main } from "@ecflow-ts/client/cli";
 * import { assertEquals } from "@std/assert";
 * const out: string[] = [];
 * const status = await main(["--version"], { out: (t) => out.push(t), err: () => {} });
 * assertEquals(status, 0);
 * assertEquals(out[0].startsWith("ecflow-ts version("), true);
 * ```
 */
export async function main(args: string[], io: CliIo = processIo): Promise<number> {
  const env = io.env ?? readEnv;
  let client: Client | undefined;
  let label = "";
  try {
    const parsed = parseCommandLine(args, SPECS);
    if (!parsed.command) {
      throw new ConfigError("no command given: try --ping, or --help for the list");
    }
    const cmd = COMMANDS.find((c) => c === parsed.command!.spec);
    if (!cmd) throw new ConfigError(`'--${parsed.command.spec.name}' is not a command`);
    label = `--${cmd.name}`;
    const options = clientOptions(parsed.modifiers, env);
    const makeClient = () => client ??= new Client(options);
    if (cmd.name !== "help" && cmd.name !== "version") makeClient();
    await cmd.run({
      client: makeClient,
      option: parsed.command,
      modifiers: parsed.modifiers,
      json: parsed.modifiers.has("json"),
      io,
      env,
    });
    return 0;
  } catch (e) {
    io.err(await errorText(e, client, label));
    return 1;
  }
}

/** Turns any error into what the CLI prints on stderr (one line, or a few lines of advice). */
async function errorText(e: unknown, client: Client | undefined, label: string): Promise<string> {
  if ((e instanceof ConnectionError || e instanceof TimeoutError) && client) {
    if (failedAfterConnect(e)) return `Error: request( ${label} ) failed: ${oneLine(e.message)}\n`;
    return await connectionAdvice(e, client, label);
  }
  if (e instanceof ServerError) return `Error: ${oneLine(e.message)}\n`;
  if (e instanceof ProtocolError) {
    return `Error: request( ${label} ) failed: ${oneLine(withEndpoint(e.message, client))}\n`;
  }
  // Whole: it names what must be compared (two SHA-256 fingerprints and a file), no echo.
  if (e instanceof TlsSetupError) return `ecflow-ts: ${oneLine(e.message)}\n`;
  if (e instanceof EcflowError) return `ecflow-ts: ${clip(oneLine(e.message))}\n`;
  return `ecflow-ts: unexpected error: ${clip(oneLine(String((e as Error)?.message ?? e)))}\n`;
}

/** Our own messages echo what was given (a 10,000-character --port): keep them readable. */
function clip(s: string): string {
  return s.length > 300 ? `${s.slice(0, 297)}...` : s;
}
