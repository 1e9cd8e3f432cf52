/**
 * The live commands (ecflow-ts extensions): `--watch[=<path>] [<server>...]`,
 * the live terminal view, and the many-servers table of `--status` (given no
 * node path; `--status=<path>` stays ecflow_client's job status request, in
 * user.ts). Loaded only when one of them runs.
 *
 * @module
 */
import type { GivenOption, OptionSpec } from "../args.ts";
import { processIo } from "../process_io.ts";
import type { CliCommand, CommandContext } from "../registry.ts";
import { transportClientOptions } from "./transport.ts";
import type { ClientOptions } from "../../client/options.ts";
import { ConfigError, EcflowError } from "../../errors.ts";
import { colourMode } from "../../live/colours.ts";
import {
  DEFAULT_DEADLINE_MS,
  queryProbes,
  ServerProbe,
  type ServerTarget,
} from "../../live/status.ts";
import { formatStatusTable, statusToJson } from "../../live/status_table.ts";
import { type ChosenServers, defaultServers, namedServers } from "../../live/targets.ts";
import { Terminal } from "../../live/terminal.ts";
import { watchLive, watchSnapshot } from "../../live/watch.ts";

/** Default seconds between two queries of a server in the live view. */
const DEFAULT_INTERVAL_S = 5;

/** Modifiers of the live commands. */
export const LIVE_MODIFIERS: OptionSpec[] = [
  {
    name: "interval",
    arity: "value",
    role: "modifier",
    usage: "--interval=<s>",
    summary: `--watch: seconds between two queries of a server (default ${DEFAULT_INTERVAL_S})`,
  },
];

/** The option's tokens: its value then the following tokens. */
function words(o: GivenOption): string[] {
  return [...(o.value === undefined ? [] : [o.value]), ...o.rest];
}

function seconds(ctx: CommandContext, name: string, fallback: number, min: number): number {
  const o = ctx.modifiers.get(name);
  if (!o) return fallback;
  const n = Number(o.value);
  if (o.value === undefined || o.value.trim() === "" || !Number.isFinite(n) || n < min) {
    throw new ConfigError(
      `invalid value '${o.value}' for --${name}: ${o.spec.usage} (at least ${min})`,
    );
  }
  return n;
}

/** Milliseconds each server may take: `--timeout`, else the default. */
function deadlineMs(ctx: CommandContext): number {
  return seconds(ctx, "timeout", DEFAULT_DEADLINE_MS / 1000, 0.001) * 1000;
}

/** What clients of the named servers share: environment, transport and user modifiers. */
function baseClientOptions(ctx: CommandContext): ClientOptions {
  return { env: ctx.env, ...transportClientOptions(ctx.modifiers) };
}

/** The server `--host`/`--port` (or `ECF_HOST`/`ECF_PORT`) name. */
function optionServer(ctx: CommandContext): ServerTarget {
  const ep = ctx.client().endpoint;
  return { host: ep.host, port: ep.port };
}

function hasServerOption(ctx: CommandContext): boolean {
  return ctx.modifiers.has("host") || ctx.modifiers.has("port");
}

/** True when this run prints to a terminal (the process's own standard output). */
function toTerminal(ctx: CommandContext): boolean {
  return ctx.io === processIo && Terminal.outputIsTerminal();
}

function colours(ctx: CommandContext) {
  return colourMode({
    terminal: toTerminal(ctx),
    noColor: Deno.noColor,
    colorTerm: ctx.env("COLORTERM"),
  });
}

function failures(n: number, of: number): EcflowError {
  return new EcflowError(`${n} of ${of} server${of === 1 ? "" : "s"} did not answer`);
}

/**
 * `--status` without node paths: one row per server, for the servers named
 * (names from ecflow_ui's list, `host:port`, `--host`/`--port`), else those of
 * ecflow_ui's server list, else the servers of this machine. Exit status 1
 * when a server did not answer (its row says why).
 */
export async function runStatusTable(ctx: CommandContext, words: string[]): Promise<void> {
  const given = words.filter((w) => w !== "");
  const paths = given.filter((w) => w.startsWith("/"));
  if (paths.length > 0) {
    throw new ConfigError(
      `--status: give node paths (${paths[0]}) or servers, not both`,
    );
  }
  const named = await namedServers(given, ctx.env);
  if (hasServerOption(ctx)) named.unshift(optionServer(ctx));
  const chosen: ChosenServers = named.length > 0
    ? { targets: named, source: "command line" }
    : await defaultServers(ctx.env);
  const base = baseClientOptions(ctx);
  const probes = chosen.targets.map((t) => new ServerProbe(t, base));
  const deadline = deadlineMs(ctx);
  const t0 = performance.now();
  const rows = await queryProbes(probes, { deadlineMs: deadline });
  const elapsedMs = performance.now() - t0;
  if (ctx.json) {
    ctx.io.out(
      JSON.stringify({
        command: "status",
        source: chosen.source,
        deadlineMs: deadline,
        elapsedMs: Math.round(elapsedMs * 1000) / 1000,
        servers: rows.map(statusToJson),
      }) + "\n",
    );
  } else {
    if (chosen.source.startsWith("no server list")) ctx.io.err(`ecflow-ts: ${chosen.source}\n`);
    ctx.io.out(formatStatusTable(rows, colours(ctx)));
  }
  const failed = rows.filter((r) => !r.ok).length;
  if (failed > 0) throw failures(failed, rows.length);
}

/** `--watch[=<path>] [<server>...]`: the node path (at most one) and the servers. */
function watchArguments(o: GivenOption): { path?: string; servers: string[] } {
  const w = words(o).filter((x) => x !== "");
  const paths = w.filter((x) => x.startsWith("/"));
  if (paths.length > 1) {
    throw new ConfigError(`--watch: one node path at most (got ${paths[0]} and ${paths[1]})`);
  }
  return { path: paths[0], servers: w.filter((x) => !x.startsWith("/")) };
}

async function runWatch(ctx: CommandContext): Promise<void> {
  const { path, servers } = watchArguments(ctx.option);
  const intervalMs = seconds(ctx, "interval", DEFAULT_INTERVAL_S, 0.1) * 1000;
  const deadline = deadlineMs(ctx);
  const named = await namedServers(servers, ctx.env);
  if (named.length === 0 || hasServerOption(ctx)) named.unshift(optionServer(ctx));
  const base = baseClientOptions(ctx);
  const probes = named.map((t) => new ServerProbe(t, base));
  if (ctx.json || !toTerminal(ctx)) {
    const snap = await watchSnapshot(probes, { path, deadlineMs: deadline });
    if (ctx.json) {
      ctx.io.out(
        JSON.stringify({ command: "watch", path: path ?? "/", servers: snap.json }) + "\n",
      );
    } else ctx.io.out(snap.text);
    const failed = snap.statuses.filter((s) => !s.ok).length;
    if (failed > 0) throw failures(failed, snap.statuses.length);
    return;
  }
  await watchLive({ probes, path, intervalMs, deadlineMs: deadline, mode: colours(ctx) });
}

/** The live commands. */
export const LIVE_COMMANDS: CliCommand[] = [
  {
    name: "watch",
    arity: "any",
    role: "command",
    usage: "--watch[=<path>] [<server>...]",
    summary:
      "live view of the tree in the terminal (ecflow-ts); a plain snapshot when not a terminal",
    run: runWatch,
  },
];
