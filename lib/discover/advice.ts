/**
 * What a failed connection adds to its explanation: the `ecflow_server`s that do
 * listen on this machine, one line each (the current user's first) with the
 * options that reach it, and, when the user has exactly one, that one plainly.
 *
 * @module
 */
import { clientHostName } from "../identity.ts";
import type { Discovery, FoundServer, UnplacedServer } from "./match.ts";
import { findLocalServersSync } from "./mod.ts";
import { reachableAsLocalhost } from "./proc_net.ts";

/** At most this many server lines; the rest are counted. */
export const MAX_ADVICE_SERVERS = 8;

/** Where the failed command tried to go. */
export interface TriedEndpoint {
  /** The host tried. */
  host: string;
  /** The port tried. */
  port: number;
}

/** True when `host` names this machine. */
function isLocal(host: string, hostName?: string): boolean {
  const h = host.toLowerCase();
  return h === "localhost" || h === hostName?.toLowerCase() || reachableAsLocalhost(h);
}

/** How a user is named in a line: `user ops`, else `uid 1000`. */
function owner(s: { user?: string; uid?: number }): string {
  if (s.user) return `user ${s.user}`;
  return s.uid !== undefined ? `uid ${s.uid}` : "owner unknown";
}

/** The options that reach `s` from a command that tried `tried`. */
function options(s: FoundServer, tried: TriedEndpoint, hostName?: string): string {
  const host = s.host !== "localhost" ? s.host : isLocal(tried.host, hostName) ? "" : "localhost";
  const flags = [host ? `--host=${host}` : "", `--port=${s.port}`];
  if (s.protocol === "tls") flags.push("--ssl");
  if (s.protocol === "http") flags.push("--http");
  return flags.filter((f) => f).join(" ");
}

/** The same as environment variables. */
function exports(s: FoundServer, tried: TriedEndpoint, hostName?: string): string {
  const host = s.host !== "localhost" ? s.host : isLocal(tried.host, hostName) ? "" : "localhost";
  const vars = [host ? `ECF_HOST=${host}` : "", `ECF_PORT=${s.port}`];
  if (s.protocol === "tls") vars.push(`ECF_SSL=${s.ecfSsl || "1"}`);
  if (s.protocol === "http") vars.push("ECF_HOST_PROTOCOL=HTTP");
  return vars.filter((v) => v).join(" ");
}

function serverLine(s: FoundServer, tried: TriedEndpoint, hostName?: string): string {
  const facts = [`pid ${s.pid}`, owner(s)];
  if (s.protocol !== "tcp" && s.protocol !== "unknown") facts.push(s.protocol);
  const where = s.host === "localhost" ? `port ${s.port}` : `${s.host} port ${s.port}`;
  return `  ecflow_server listening on ${where} (${facts.join(", ")}); ` +
    `try ${options(s, tried, hostName)}`;
}

function unplacedLine(p: UnplacedServer): string {
  return `  ecflow_server pid ${p.pid} (${
    owner(p)
  }): its port is visible only to its owner or root`;
}

/**
 * The lines about local servers for a command that could not connect to `tried`
 * (each starts with two spaces, as the rest of the explanation).
 *
 * @example
 * ```ts
 * import { adviceLines } from "./advice.ts";
 * import { assertEquals } from "@std/assert";
 * const lines = adviceLines({ host: "localhost", port: 3141 }, {
 *   servers: [{ host: "localhost", port: 4141, pid: 1234, user: "ops", uid: 1000, mine: true, protocol: "tcp" }],
 * });
 * assertEquals(lines, [
 *   "  ecflow_server listening on port 4141 (pid 1234, user ops); try --port=4141",
 *   "  hint: your only ecflow_server here listens on port 4141: add --port=4141, or export ECF_PORT=4141",
 * ]);
 * ```
 */
export function adviceLines(
  tried: TriedEndpoint,
  found: Discovery,
  hostName?: string,
): string[] {
  if (found.unavailable) {
    return [`  hint: ecflow-ts did not look for local servers: ${found.unavailable}`];
  }
  const unplaced = found.portUnknown ?? [];
  if (found.servers.length === 0 && unplaced.length === 0) {
    return ["  no ecflow_server is listening on this machine"];
  }
  const lines = [
    ...found.servers.map((s) => serverLine(s, tried, hostName)),
    ...unplaced.map(unplacedLine),
  ];
  const out = lines.length > MAX_ADVICE_SERVERS
    ? [
      ...lines.slice(0, MAX_ADVICE_SERVERS - 1),
      `  … and ${lines.length - MAX_ADVICE_SERVERS + 1} more: --find_servers lists them all`,
    ]
    : lines;
  const mine = found.servers.filter((s) => s.mine);
  if (mine.length === 1) {
    const s = mine[0];
    out.push(
      `  hint: your only ecflow_server here listens on ${
        s.host === "localhost" ? "" : `${s.host} `
      }port ${s.port}: add ${options(s, tried, hostName)}, or export ${
        exports(s, tried, hostName)
      }`,
    );
  }
  return out;
}

/**
 * Looks for the local servers now and returns the lines for a command that could
 * not connect to `tried`; one hint line when it may not look (see
 * {@linkcode findLocalServersSync}).
 */
export function localServerAdvice(tried: TriedEndpoint): string[] {
  return adviceLines(tried, findLocalServersSync(), clientHostName());
}
