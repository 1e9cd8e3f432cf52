/**
 * Where the server is: host and port with the provenance of each value.
 *
 * Precedence, for host and port separately: option > environment
 * (`ECF_HOST`, `ECF_PORT`) > default (`localhost:3141`). A host option may
 * carry the port as `"host:port"`, `"host@port"` or `"[v6addr]:port"`, as
 * Python's `ecflow.Client("oetzi:3444")` and `set_host_port("machineX:4141")` do;
 * so may `ECF_HOST`, and a port there that differs from `ECF_PORT` is a conflict,
 * as it is between the options. An empty `ECF_HOST` is unset (as for ecflow_client);
 * a blank one, or an empty or blank `ECF_PORT`, is an error, never the default.
 *
 * @module
 */
import { ConfigError } from "./errors.ts";
import { type EnvReader, readEnv } from "./env.ts";

/** The host the server is looked for on when nothing says otherwise. */
export const DEFAULT_HOST = "localhost";
/** The port `ecflow_server` listens on when nothing says otherwise. */
export const DEFAULT_PORT = 3141;

/** Where a value came from: an option, an environment variable, or the default. */
export interface ValueSource {
  /** `option` (argument or constructor), `env` (environment variable) or `default`. */
  kind: "option" | "env" | "default";
  /** How to name it in a message: `--port`, `ECF_PORT`, `default`, … */
  name: string;
}

/** A resolved server endpoint, with where each part came from. */
export interface Endpoint {
  /** Host name or address (IPv6 without brackets). */
  host: string;
  /** TCP port, 1–65535. */
  port: number;
  /** Where `host` came from. */
  hostSource: ValueSource;
  /** Where `port` came from. */
  portSource: ValueSource;
}

/** Inputs to {@linkcode resolveEndpoint}. Everything is optional. */
export interface EndpointOptions {
  /** Host, or `"host:port"`, `"host@port"`, `"[::1]:3141"`. */
  host?: string;
  /** Port as a number or a decimal string. */
  port?: number | string;
  /** Environment to read `ECF_HOST`/`ECF_PORT` from; defaults to the process environment. */
  env?: EnvReader;
  /** How the options are named in messages (defaults: `host option`, `port option`). */
  labels?: { host?: string; port?: string };
}

/** A host and an optional port split out of one text. */
export interface HostPort {
  /** Host name or address, IPv6 without brackets. */
  host: string;
  /** The port, when the text carried one. */
  port?: number;
}

const HOST_NAME = /^[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_.])?$/;
const IPV6 = /^[0-9A-Fa-f:.]+(%[A-Za-z0-9_.-]+)?$/;

function describe(value: string, from: string): string {
  return `'${value}' (from ${from})`;
}

/**
 * A port as the C library reads a service number (what ecflow_client hands it): blanks before,
 * an optional `+`, decimal digits (leading zeros too), nothing after.
 */
const PORT_TEXT = /^[ \t\n\v\f\r]*\+?0*([0-9]{1,5})$/;

/**
 * Parses a port given as a number or a decimal string; 1–65535. A string is read as
 * ecflow_client's resolver reads it: `" 3141"`, `"+3141"` and `"03141"` are 3141;
 * `"3141 "`, `"0x10"` and `"1e3"` are not ports.
 *
 * @example
 * ```ts
 * import { parsePort } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * assertEquals(parsePort("3141", "ECF_PORT"), 3141);
 * assertEquals(parsePort("+03141", "ECF_PORT"), 3141);
 * ```
 */
export function parsePort(value: number | string, from: string): number {
  const text = String(value);
  const digits = typeof value === "number" ? undefined : PORT_TEXT.exec(text)?.[1];
  if (typeof value === "number" ? !Number.isInteger(value) : digits === undefined) {
    throw new ConfigError(
      `invalid port ${describe(String(value), from)}: expected a whole number from 1 to 65535`,
    );
  }
  const port = typeof value === "number" ? value : Number(digits);
  if (port < 1 || port > 65535) {
    throw new ConfigError(
      `invalid port ${describe(String(value), from)}: must be between 1 and 65535`,
    );
  }
  return port;
}

function checkHost(host: string, original: string, from: string): string {
  if (host === "") {
    throw new ConfigError(`invalid host ${describe(original, from)}: empty host name`);
  }
  if (host.includes(":")) {
    if (!IPV6.test(host)) {
      throw new ConfigError(`invalid host ${describe(original, from)}: not an IPv6 address`);
    }
    return host;
  }
  if (!HOST_NAME.test(host) || host.length > 253) {
    throw new ConfigError(
      `invalid host ${
        describe(original, from)
      }: expected a host name, an IPv4 address, "host:port", "host@port" or "[ipv6]:port"`,
    );
  }
  return host;
}

/**
 * Splits `"host:port"`, `"host@port"`, `"[v6]:port"`, `"[v6]"`, a bare IPv6
 * address or a plain host name. Throws {@linkcode ConfigError} naming the value
 * and `from` when it is none of these.
 *
 * @example
 * ```ts
 * import { parseHostPort } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * assertEquals(parseHostPort("oetzi:3444", "Client()"), { host: "oetzi", port: 3444 });
 * assertEquals(parseHostPort("machineX@4141", "Client()"), { host: "machineX", port: 4141 });
 * assertEquals(parseHostPort("[::1]:3141", "Client()"), { host: "::1", port: 3141 });
 * ```
 */
export function parseHostPort(text: string, from: string): HostPort {
  const value = text.trim();
  if (value.startsWith("[")) {
    const close = value.indexOf("]");
    if (close < 0) {
      throw new ConfigError(`invalid host ${describe(text, from)}: missing ']' after IPv6 address`);
    }
    const host = checkHost(value.slice(1, close), text, from);
    if (!host.includes(":")) {
      throw new ConfigError(`invalid host ${describe(text, from)}: brackets are for IPv6 only`);
    }
    const rest = value.slice(close + 1);
    if (rest === "") return { host };
    if (!rest.startsWith(":") && !rest.startsWith("@")) {
      throw new ConfigError(`invalid host ${describe(text, from)}: unexpected '${rest}'`);
    }
    return { host, port: parsePort(rest.slice(1), from) };
  }
  const colons = value.split(":").length - 1;
  if (colons > 1) return { host: checkHost(value, text, from) };
  const sep = colons === 1 ? value.indexOf(":") : value.indexOf("@");
  if (sep < 0) return { host: checkHost(value, text, from) };
  return {
    host: checkHost(value.slice(0, sep), text, from),
    port: parsePort(value.slice(sep + 1), from),
  };
}

/**
 * Resolves host and port: option > `ECF_HOST`/`ECF_PORT` > `localhost:3141`,
 * each value with its source. Throws {@linkcode ConfigError} naming the bad
 * value and where it came from.
 *
 * @example Defaults, environment and options
 * ```ts
 * import { envFrom, resolveEndpoint } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * const env = envFrom({ ECF_PORT: "4141" });
 * const a = resolveEndpoint({ env });
 * assertEquals(a.host, "localhost");
 * assertEquals(a.port, 4141);
 * assertEquals(a.portSource.name, "ECF_PORT");
 * const b = resolveEndpoint({ host: "oetzi:3444", env });
 * assertEquals(b.host, "oetzi");
 * assertEquals(b.port, 3444);
 * ```
 */
export function resolveEndpoint(options: EndpointOptions = {}): Endpoint {
  const env = options.env ?? readEnv;
  const hostLabel = options.labels?.host ?? "host option";
  const portLabel = options.labels?.port ?? "port option";

  let host: string | undefined;
  let hostSource: ValueSource | undefined;
  let port: number | undefined;
  let portSource: ValueSource | undefined;

  if (options.port !== undefined) {
    port = parsePort(options.port, portLabel);
    portSource = { kind: "option", name: portLabel };
  }
  if (options.host !== undefined) {
    const hp = parseHostPort(options.host, hostLabel);
    host = hp.host;
    hostSource = { kind: "option", name: hostLabel };
    if (hp.port !== undefined) {
      if (port !== undefined && port !== hp.port) {
        throw new ConfigError(
          `conflicting ports: ${hp.port} in ${hostLabel} '${options.host}' and ${port} from ${portLabel}`,
        );
      }
      port = hp.port;
      portSource ??= { kind: "option", name: hostLabel };
    }
  }
  if (host === undefined) {
    // an empty ECF_HOST is unset (as for ecflow_client); a blank one is a mistake
    const envHost = env("ECF_HOST");
    if (envHost !== undefined && envHost !== "") {
      if (envHost.trim() === "") {
        throw new ConfigError(
          `invalid host ${
            describe(envHost, "ECF_HOST")
          }: blank; unset ECF_HOST for localhost, or name the server's host`,
        );
      }
      const hp = parseHostPort(envHost, "ECF_HOST");
      host = hp.host;
      hostSource = { kind: "env", name: "ECF_HOST" };
      if (port === undefined && hp.port !== undefined) {
        const envPort = env("ECF_PORT");
        if (envPort !== undefined && parsePort(envPort, "ECF_PORT") !== hp.port) {
          throw new ConfigError(
            `conflicting ports: ${hp.port} in ECF_HOST '${envHost}' and ${envPort.trim()} from ECF_PORT`,
          );
        }
        port = hp.port;
        portSource = { kind: "env", name: "ECF_HOST" };
      }
    }
  }
  if (port === undefined) {
    // set is set: an empty or blank ECF_PORT is refused, never the default
    const envPort = env("ECF_PORT");
    if (envPort !== undefined) {
      port = parsePort(envPort, "ECF_PORT");
      portSource = { kind: "env", name: "ECF_PORT" };
    }
  }
  return {
    host: host ?? DEFAULT_HOST,
    port: port ?? DEFAULT_PORT,
    hostSource: hostSource ?? { kind: "default", name: "default" },
    portSource: portSource ?? { kind: "default", name: "default" },
  };
}

/**
 * Says in words where host and port came from, for error messages:
 * `host 'localhost' (default), port 3777 (from ECF_PORT)`.
 *
 * @example
 * ```ts
 * import { describeEndpoint, envFrom, resolveEndpoint } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * const ep = resolveEndpoint({ env: envFrom({ ECF_PORT: "3777" }) });
 * assertEquals(describeEndpoint(ep), "host 'localhost' (default), port 3777 (from ECF_PORT)");
 * ```
 */
export function describeEndpoint(ep: Endpoint): string {
  const src = (s: ValueSource) => s.kind === "default" ? "default" : `from ${s.name}`;
  return `host '${ep.host}' (${src(ep.hostSource)}), port ${ep.port} (${src(ep.portSource)})`;
}

/**
 * Formats `host:port`, bracketing IPv6 addresses.
 *
 * @example
 * ```ts
 * import { formatHostPort } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * assertEquals(formatHostPort("::1", 3141), "[::1]:3141");
 * ```
 */
export function formatHostPort(host: string, port: number): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}
