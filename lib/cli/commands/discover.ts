/**
 * `--find_servers[=<user>]` (ecflow-ts extension): the `ecflow_server`s listening
 * on this machine, read from `/proc` as `netstat -lnptu | grep ecflow_server`
 * shows them, each asked once for its state and version (concurrently, with a
 * short deadline). A table, or one JSON document with `--json`.
 *
 * @module
 */
import type { CliCommand } from "../registry.ts";
import { ConfigError } from "../../errors.ts";
import {
  askServer,
  findLocalServers,
  type FoundServer,
  type ServerAnswer,
  type UnplacedServer,
} from "../../discover/mod.ts";
import { ASK_DEADLINES } from "../../discover/ask.ts";
import { formatHostPort } from "../../endpoint.ts";

/** One row: what /proc says and what the server answered. */
type Row = FoundServer & { answer: ServerAnswer };

/**
 * `5.9.2` out of the server's `Ecflow version(5.9.2) boost(…) …` description.
 *
 * @example
 * ```ts
 * import { shortVersion } from "./discover.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(shortVersion("Ecflow version(5.17.0) boost(1.74.0)"), "5.17.0");
 * ```
 */
export function shortVersion(description: string): string {
  return /version\(([^)]+)\)/i.exec(description)?.[1] ?? description;
}

function ownerOf(s: { user?: string; uid?: number }): string {
  return s.user ?? (s.uid !== undefined ? String(s.uid) : "?");
}

/** True when the server runs as `who` (a user name or a uid). */
function ownedBy(s: { user?: string; uid?: number }, who: string): boolean {
  return s.user === who || (s.uid !== undefined && String(s.uid) === who.trim());
}

/** The listing as a table, then a line per server that did not answer or could not be placed. */
export function serverTable(rows: Row[], unplaced: UnplacedServer[]): string {
  const head = ["PORT", "PROTOCOL", "PID", "USER", "STATE", "VERSION", "ECF_HOME"];
  const cells = rows.map((r) => [
    r.host === "localhost" ? String(r.port) : formatHostPort(r.host, r.port),
    r.answer.protocol,
    String(r.pid),
    ownerOf(r),
    r.answer.state ?? "-",
    r.answer.version ? shortVersion(r.answer.version) : "-",
    r.home ?? r.answer.home ?? "-",
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) =>
    c.map((v, i) => i === c.length - 1 ? v : v.padEnd(widths[i])).join("  ") + "\n";
  const notes = [
    ...rows.filter((r) => r.answer.error).map((r) =>
      `port ${r.port}: no answer over ${r.answer.protocol}: ${r.answer.error}\n`
    ),
    ...unplaced.map((p) =>
      `ecflow_server pid ${p.pid} (user ${
        ownerOf(p)
      }): its port is visible only to its owner or root\n`
    ),
  ];
  return (rows.length ? [line(head), ...cells.map(line)] : []).join("") + notes.join("");
}

/** The listing as one JSON document. */
export function serverJson(rows: Row[], unplaced: UnplacedServer[]): string {
  return JSON.stringify({
    command: "find_servers",
    servers: rows.map(({ answer, ...s }) => ({
      ...s,
      ...(answer.home && !s.home ? { home: answer.home } : {}),
      protocol: answer.protocol,
      ...(answer.state ? { state: answer.state } : {}),
      ...(answer.version ? { version: shortVersion(answer.version) } : {}),
      ...(answer.ms !== undefined ? { ms: answer.ms } : {}),
      ...(answer.error ? { error: answer.error } : {}),
    })),
    portUnknown: unplaced,
  }) + "\n";
}

/** The seconds a modifier gives, in milliseconds (main has checked the value). */
function ms(value: string | undefined): number | undefined {
  return value === undefined ? undefined : Number(value) * 1000;
}

/** `--find_servers`. */
export const DISCOVER_COMMANDS: CliCommand[] = [
  {
    name: "find_servers",
    arity: "optional",
    role: "command",
    usage: "--find_servers[=<user>]",
    summary: "list this machine's ecflow_servers (of one user, by name or uid) and ask each " +
      "its state; ecflow-ts, reads /proc: needs --allow-all",
    run: async ({ option, modifiers, json, io, env }) => {
      for (const m of ["host", "port", "ssl", "http", "https"]) {
        if (modifiers.has(m)) {
          throw new ConfigError(
            `--find_servers looks at this machine and finds each server's transport: it takes no --${m}`,
          );
        }
      }
      const who = option.value?.trim();
      if (option.value !== undefined && !who) {
        throw new ConfigError("--find_servers=<user> needs a user name or uid");
      }
      const found = await findLocalServers();
      if (found.unavailable) {
        throw new ConfigError(`cannot look for local servers: ${found.unavailable}`);
      }
      const servers = who ? found.servers.filter((s) => ownedBy(s, who)) : found.servers;
      const unplaced = (found.portUnknown ?? []).filter((p) => !who || ownedBy(p, who));
      const deadlines = {
        connectTimeoutMs: ms(modifiers.get("connect-timeout")?.value) ??
          ASK_DEADLINES.connectTimeoutMs,
        replyTimeoutMs: ms(modifiers.get("timeout")?.value) ?? ASK_DEADLINES.replyTimeoutMs,
      };
      const answers = await Promise.all(
        servers.map((s) => askServer(s, { env, ...deadlines })),
      );
      const rows = servers.map((s, i) => ({ ...s, answer: answers[i] }));
      if (json) return io.out(serverJson(rows, unplaced));
      if (rows.length === 0 && unplaced.length === 0) {
        return io.out(
          `no ecflow_server${who ? ` of user '${who}'` : ""} is listening on this machine\n`,
        );
      }
      io.out(serverTable(rows, unplaced));
    },
  },
];
