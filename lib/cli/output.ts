/**
 * How ecflow_client prints user-command results: suite columns, the zombie
 * table, the client-handle table, and definitions in DEFS/STATE/MIGRATE style.
 * Pure functions of the reply; byte-identical to ecflow_client 5.9.2 where noted.
 *
 * @module
 */
import type { Reply, Zombie, ZombieAction } from "../wire/reply.ts";
import {
  autoExterns,
  defaultServerVariables,
  Defs,
  type Node,
  parseDefs,
  parseNode,
  printDefs,
  printNode,
  type Suite,
} from "../defs/mod.ts";
import { STATE_EXTRAS } from "../evaluate.ts";

/**
 * `--suites`: names left-aligned in columns one wider than the longest name,
 * a line break after the 5th, 10th, … name (ecflow_client's SSuitesCmd).
 */
export function formatSuites(suites: readonly string[]): string {
  let out = suites.length === 0 ? "No suites\n" : "";
  const width = Math.max(0, ...suites.map((s) => s.length)) + 1;
  let newlineAt = 4;
  suites.forEach((s, i) => {
    out += s.padEnd(width);
    if (i !== 0 && i % newlineAt === 0) {
      out += "\n";
      newlineAt += 5;
    }
  });
  return out + "\n";
}

/**
 * `--ch_suites`: the user / handle / suites table (user padded to 10, handle
 * right-aligned to 6, each suite followed by two spaces).
 */
export function formatClientHandles(
  reply: Pick<Extract<Reply, { kind: "clientHandleSuites" }>, "users" | "handles">,
): string {
  let out = "";
  reply.users.forEach((u, ui) => {
    if (ui === 0) out += "\n" + "User".padEnd(10) + "handle".padEnd(6) + "  suites\n";
    out += u.user.padEnd(10);
    u.handles.forEach((handle, hi) => {
      for (const ch of reply.handles) {
        if (ch.handle !== handle) continue;
        if (hi !== 0) out += " ".repeat(10);
        out += String(handle).padStart(6) + "  ";
        for (const s of ch.suites) out += s + "  ";
        out += "\n";
      }
    });
  });
  return out;
}

const ACTION_ORDER: ZombieAction[] = ["fob", "block", "fail", "remove", "kill", "adopt"];

/** The action a zombie will get: the user's, else its attribute's for the last child command, else block. */
export function zombieAction(z: Zombie): string {
  let action: ZombieAction = "block";
  if (z.userActionSet) action = z.userAction;
  else {
    const applies = z.attr.childCommands.length === 0 ||
      z.attr.childCommands.includes(z.lastChildCommand);
    const found = ACTION_ORDER.find((a) => z.attr.action === a && applies);
    if (found) action = found;
  }
  return (z.userActionSet ? "manual-" : "auto-") + action;
}

const EXPLANATION: Record<string, string> = {
  ecf_pid: "PID miss-match, password matches. Job scheduled twice. Check submitter",
  ecf_pid_passwd: "Both PID and password miss-match. Re-queue & submit of active job?",
  ecf_passwd: "Password miss-match, PID matches, system has re-cycled PID or hacked job file?",
  ecf: "Two init commands or task complete or aborted but receives another child cmd",
  path: "Task not found. Nodes replaced whilst jobs were running",
  not_set: "",
};

/** Why a zombie is one, in ecflow_client's words. */
export function zombieExplanation(z: Zombie): string {
  return z.type === "user" ? `Created by user action(${z.userCommand})` : EXPLANATION[z.type];
}

/**
 * `--zombie_get`: the header and one row per zombie, each column as wide as
 * its widest value, single-space separated (ecflow_client's table).
 */
export function formatZombies(zombies: readonly Zombie[]): string {
  const header = [
    "task-path",
    "type",
    "age(s)",
    "password",
    "pid",
    "try_no",
    "action",
    "child",
    "calls",
    "host",
    "explanation",
  ];
  const rows = zombies.map((z) => [
    z.path,
    z.type,
    String(z.duration),
    z.jobsPassword,
    z.remoteId,
    String(z.tryNo),
    zombieAction(z),
    z.lastChildCommand,
    String(z.calls),
    z.host,
    zombieExplanation(z),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  // ecflow_client sizes "age(s)" by its header only (a wider age just overflows).
  widths[2] = header[2].length;
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join(" ");
  return [header, ...rows].map(line).join("\n") + "\n";
}

function extrasFor(style: ShowStyle) {
  return style === "state" ? STATE_EXTRAS : undefined;
}

/** How ecflow_client prints a definition it fetched. */
export type ShowStyle = "defs" | "state" | "migrate";

/** What the printing needs to know about this machine (for STATE style's server variables). */
export interface ShowContext {
  /** This machine's host name (ecflow_client's gethostname). */
  hostName: string;
}

/**
 * Prints a whole definition (DefsCmd text) as ecflow_client does: DEFS style
 * with externs added for unresolved references, or STATE/MIGRATE style.
 */
export function showDefs(text: string, style: ShowStyle): string {
  const defs = parseDefs(text);
  if (style !== "migrate") defs.externs = autoExterns(defs);
  // ecflow_client indents every style and never prints edit history to stdout.
  defs.history = [];
  return printDefs(defs, { style, indent: true, stateExtras: extrasFor(style) });
}

/**
 * Prints one node (SNodeCmd text) as ecflow_client does: a suite
 * inside a definition of its own (DEFS/STATE) or after `defs_state MIGRATE`;
 * any other node alone, followed by an empty line.
 */
export function showNode(text: string, style: ShowStyle, ctx: ShowContext): string {
  const node: Node = parseNode(text);
  if (node.kind === "suite") {
    if (style === "migrate") {
      return "defs_state MIGRATE\n" + printNode(node, { style, level: 0 }) + "\n";
    }
    const defs = new Defs();
    defs.addSuite(node as Suite);
    defs.externs = autoExterns(defs);
    if (style === "state") {
      defs.serverVariables = defaultServerVariables({ hostName: ctx.hostName });
    }
    return printDefs(defs, { style, stateExtras: extrasFor(style) });
  }
  // A detached node is printed one level in, whatever its depth in the suite.
  return printNode(node, { style, level: 1, stateExtras: extrasFor(style) }) + "\n";
}

/**
 * Prints the node a group fetched, for `--group="get=<path>; show [style]"`:
 * ecflow_client prints it alone (a suite at level 0), followed by an empty line.
 */
export function showGroupNode(text: string, style: ShowStyle): string {
  const node = parseNode(text);
  return printNode(node, {
    style,
    level: node.kind === "suite" ? 0 : 1,
    stateExtras: extrasFor(style),
  }) + "\n";
}
