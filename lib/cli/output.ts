/**
 * How ecflow_client prints user-command results: suite columns, the zombie
 * table, the client-handle table, and definitions in DEFS/STATE/MIGRATE style.
 * Pure functions of the reply; definitions print as the ecflow_client of the
 * server's version prints them (a print profile, `defs/profile.ts`).
 *
 * @module
 */
import type { Reply, Zombie, ZombieAction } from "../wire/reply.ts";
import {
  autoExterns,
  Defs,
  type Node,
  parseDefs,
  parseNode,
  PRINT_PROFILE_5_9,
  printDefs,
  printNode,
  type PrintProfile,
  printProfile,
  profileServerVariables,
  stateExtras,
  type Suite,
  writeDefs,
  writeNode,
} from "../defs/mod.ts";

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

function extrasFor(style: ShowStyle, profile: PrintProfile, defs?: Defs) {
  return style === "state" ? stateExtras(defs, profile) : undefined;
}

/** How ecflow_client prints a definition it fetched. */
export type ShowStyle = "defs" | "state" | "migrate";

/** What the printing needs to know besides the reply. */
export interface ShowContext {
  /** This machine's host name (ecflow_client's gethostname), for STATE style's server variables. */
  hostName: string;
  /**
   * The print profile of the server's version, for a node's text (which names no version;
   * a whole definition's text names it on its first line).
   */
  profile: PrintProfile;
}

/** The profile a whole definition's text names on its first line (`#5.17.0`). */
function profileOf(defs: Defs): PrintProfile {
  return defs.version === undefined ? PRINT_PROFILE_5_9 : printProfile(defs.version);
}

/**
 * Prints a whole definition (DefsCmd text) as the ecflow_client of the server's version
 * (the text's first line) does: DEFS style with externs added for unresolved references, or
 * STATE/MIGRATE style.
 */
export function showDefs(text: string, style: ShowStyle): string {
  return collect((write) => writeShownDefs(text, style, write));
}

/**
 * {@linkcode showDefs}, handing the text to `write` in pieces of whole lines: a very deep
 * suite prints more text in STATE style than one string can hold.
 */
export function writeShownDefs(text: string, style: ShowStyle, write: (s: string) => void): void {
  const defs = parseDefs(text);
  const profile = profileOf(defs);
  if (style !== "migrate") defs.externs = autoExterns(defs);
  // ecflow_client never prints edit history to stdout.
  defs.history = [];
  writeDefs(defs, write, { style, profile, stateExtras: extrasFor(style, profile, defs) });
}

/**
 * Prints one node (SNodeCmd text) as ecflow_client does: a suite
 * inside a definition of its own (DEFS/STATE) or after `defs_state MIGRATE`;
 * any other node alone, followed by an empty line.
 */
export function showNode(text: string, style: ShowStyle, ctx: ShowContext): string {
  return collect((write) => writeShownNode(text, style, ctx, write));
}

/** {@linkcode showNode}, handing the text to `write` in pieces of whole lines. */
export function writeShownNode(
  text: string,
  style: ShowStyle,
  ctx: ShowContext,
  write: (s: string) => void,
): void {
  const node: Node = parseNode(text);
  const profile = ctx.profile;
  if (node.kind === "suite") {
    if (style === "migrate") {
      write("defs_state MIGRATE\n");
      writeNode(node, write, { style, profile, level: 0 });
      write("\n");
      return;
    }
    const defs = new Defs();
    defs.addSuite(node as Suite);
    defs.externs = autoExterns(defs);
    if (style === "state") defs.serverVariables = profileServerVariables(profile, ctx.hostName);
    writeDefs(defs, write, { style, profile, stateExtras: extrasFor(style, profile, defs) });
    return;
  }
  // A detached node is printed one level in, whatever its depth in the suite.
  writeNode(node, write, { style, profile, level: 1, stateExtras: extrasFor(style, profile) });
  write("\n");
}

/**
 * A fetched definition (`defs`) or node reply as ecflow_client prints it, in pieces. A whole
 * definition prints as its first line's version; a node as `ctx.profile`.
 */
export function writeShown(
  reply: { kind: "defs" | "node"; text: string },
  style: ShowStyle,
  ctx: ShowContext,
  write: (s: string) => void,
): void {
  if (reply.kind === "defs") writeShownDefs(reply.text, style, write);
  else writeShownNode(reply.text, style, ctx, write);
}

function collect(produce: (write: (s: string) => void) => void): string {
  const pieces: string[] = [];
  produce((s) => pieces.push(s));
  return pieces.join("");
}

/**
 * Prints the node a group fetched, for `--group="get=<path>; show [style]"`:
 * ecflow_client prints it alone (a suite at level 0), followed by an empty line.
 */
export function showGroupNode(text: string, style: ShowStyle, profile: PrintProfile): string {
  const node = parseNode(text);
  return printNode(node, {
    style,
    profile,
    level: node.kind === "suite" ? 0 : 1,
    stateExtras: extrasFor(style, profile),
  }) + "\n";
}

/**
 * `--load=<file> print`: the definition as it would be sent, in NET style, as the
 * ecflow_client of `profile`'s version prints it (with that version's default server
 * variables when the file names none). Warnings are not part of it.
 */
export function formatLoadPrint(defs: Defs, hostName: string, profile: PrintProfile): string {
  if (defs.serverVariables.length === 0) {
    defs.serverVariables = profileServerVariables(profile, hostName);
  }
  return printDefs(defs, { style: "net", profile });
}

const STATS_FIELDS = (
  "status locked_by_user host port up_since version job_sub_interval checkpt_interval " +
  "checkpt_save_time_alarm checkpt_mode no_of_suites request_stats ECF_HOME ECF_CHECK ECF_LOG " +
  "ECF_SSL checkpt server_version restart_server shutdown_server halt_server " +
  "reload_white_list_file reload_passwd_file ping debug_server_on debug_server_off get_defs " +
  "sync sync_full sync_clock news node_job_gen node_check_job_gen_only node_delete node_suspend " +
  "node_resume node_kill node_status node_edit_history node_archive node_restore log_cmd " +
  "log_msg_cmd begin_cmd task_init task_complete task_wait task_abort task_event task_meter " +
  "task_label task_queue zombie_fob zombie_fail zombie_adopt zombie_remove zombie_get " +
  "zombie_block zombie_kill requeue_node order_node run_node load_defs replace force free_dep " +
  "suites edit_script alter_cmd ch_cmd file_ecf file_job file_jobout file_cmdout file_manual " +
  "plug move group_cmd server_load_cmd stats check query"
).split(" ");

type CounterLine = [field: string, label: string];

const STATS_GROUPS: CounterLine[][] = [
  [
    ["checkpt", "Check points"],
    ["restore_defs_from_checkpt", "Restore from Check point"],
    ["restart_server", "Restart server"],
    ["shutdown_server", "Shutdown server"],
    ["halt_server", "Halt server"],
    ["ping", "Ping"],
    ["debug_server_on", "debug server on"],
    ["debug_server_off", "debug server off"],
    ["get_defs", "Get full definition"],
    ["server_version", "Server version"],
    ["sync", "Sync"],
    ["sync_full", "Sync full"],
    ["sync_clock", "Sync suite clock"],
    ["news", "News"],
  ],
  [
    ["task_init", "Task init"],
    ["task_complete", "Task complete"],
    ["task_wait", "Task wait"],
    ["task_abort", "Task abort"],
    ["task_event", "Task event"],
    ["task_meter", "Task meter"],
    ["task_label", "Task label"],
    ["task_queue", "Task queue"],
  ],
  [
    ["zombie_fob", "Zombie fob"],
    ["zombie_fail", "Zombie fail"],
    ["zombie_adopt", "Zombie adopt"],
    ["zombie_remove", "Zombie remove"],
    ["zombie_get", "Zombie get"],
    ["zombie_block", "Zombie block"],
    ["zombie_kill", "Zombie kill"],
  ],
  [
    ["load_defs", "Load definition"],
    ["begin_cmd", "Begin"],
    ["requeue_node", "Requeue"],
    ["node_job_gen", "Job generation"],
    ["node_check_job_gen_only", "Check Job generation"],
    ["node_delete", "Node delete"],
    ["node_suspend", "Node suspend"],
    ["node_resume", "Node resume"],
    ["node_kill", "Node kill"],
    ["node_status", "Node status"],
    ["node_edit_history", "Node edit history"],
    ["node_archive", "Node archive"],
    ["node_restore", "Node restore"],
    ["log_cmd", "Log cmd"],
    ["log_msg_cmd", "Log message"],
    ["order_node", "Order"],
    ["run_node", "Run"],
    ["replace", "Replace"],
    ["force", "Force "],
    ["free_dep", "Free dependencies"],
    ["suites", "Suites"],
    ["edit_script", "Edit script"],
    ["alter_cmd", "Alter"],
    ["ch_cmd", "Client handle"],
    ["plug", "Plug"],
    ["move", "Move"],
    ["group_cmd", "Group"],
    ["server_load_cmd", "Server load cmd"],
    ["stats", "stats cmd"],
    ["check", "checks"],
    ["query", "query"],
    ["reload_white_list_file", "Reload white list file"],
    ["reload_passwd_file", "Reload password file"],
  ],
  [
    ["file_ecf", "File ECF"],
    ["file_job", "File job"],
    ["file_jobout", "File Job out"],
    ["file_cmdout", "File Cmd out"],
    ["file_manual", "File manual"],
  ],
];

/** Fields whose non-zero count opens a group with an empty line (ecFlow's own conditions). */
const STATS_GROUP_TRIGGERS: string[][] = [
  ["checkpt", "server_version", "restart_server", "shutdown_server", "halt_server", "ping"]
    .concat(["debug_server_on", "debug_server_off", "get_defs", "sync", "sync_full"])
    .concat(["sync_clock", "news"]),
  STATS_GROUPS[1].map(([f]) => f),
  STATS_GROUPS[2].map(([f]) => f),
  STATS_GROUPS[3].map(([f]) => f).filter((f) => f !== "reload_white_list_file")
    .concat(["reload_white_list_file"]),
  STATS_GROUPS[4].map(([f]) => f),
];

const CHECKPT_MODES = ["CHECK_NEVER", "CHECK_ON_TIME", "CHECK_ON_ALWAYS", "UNDEFINED"];

/** The version a `version` statistics value names (`Ecflow version(5.17.0) …`), as numbers. */
function statsVersion(version: unknown): number[] {
  const m = /version\((\d+)\.(\d+)\.(\d+)/.exec(String(version ?? ""));
  return m ? m.slice(1).map(Number) : [0, 0, 0];
}

/**
 * `--stats_server`: the server's statistics values printed as its own generation's
 * `Stats::show` does: ecFlow 5.16 and later (whose statistics carry the server's resources)
 * as {@linkcode formatStats516}, earlier ones with labels padded to 35 columns and counters
 * only when non-zero. The server's version is in the values themselves.
 */
export function formatStatsServer(values: readonly unknown[]): string {
  const [major, minor] = statsVersion(values[5]);
  if (major > 5 || (major === 5 && minor >= 16)) return formatStats516(values);
  const v: Record<string, unknown> = {};
  STATS_FIELDS.forEach((f, i) => v[f] = values[i]);
  const n = (f: string) => Number(v[f] ?? 0);
  const line = (label: string, value: unknown) => `   ${label} `.padEnd(35) + String(value) + "\n";
  let out = "Server statistics\n";
  out += line("Version", v.version);
  out += line("Status", ["HALTED", "SHUTDOWN", "RUNNING"][n("status")] ?? "");
  out += line("Host", v.host);
  out += line("Port", v.port);
  out += line("Up since", v.up_since);
  out += line("Job sub' interval", `${v.job_sub_interval}s`);
  out += line("ECF_HOME", v.ECF_HOME);
  out += line("ECF_LOG", v.ECF_LOG);
  out += line("ECF_CHECK", v.ECF_CHECK);
  out += line("ECF_SSL", v.ECF_SSL);
  out += line("Check pt interval", `${v.checkpt_interval}s`);
  out += line("Check pt mode", CHECKPT_MODES[n("checkpt_mode")] ?? "");
  out += line("Check pt save time alarm", `${v.checkpt_save_time_alarm}s`);
  out += line("Number of Suites", v.no_of_suites);
  out += line("Request's per 1,5,15,30,60 min", v.request_stats);
  STATS_GROUPS.forEach((group, gi) => {
    if (STATS_GROUP_TRIGGERS[gi].some((f) => n(f) !== 0)) out += "\n";
    if (gi === 0 && String(v.locked_by_user ?? "") !== "") {
      out += line("Locked by user", v.locked_by_user);
    }
    for (const [f, label] of group) if (n(f) !== 0) out += line(label, n(f));
  });
  return out;
}

/** ecFlow 5.16+'s sections of counters: title, then `[field, label]` in its order. */
const STATS_516_SECTIONS: [string, CounterLine[]][] = [
  ["User Commands (Server-related)", [
    ["locked_by_user", "Locked by user"],
    ["checkpt", "Store to Check point"],
    ["restore_defs_from_checkpt", "Restore from Check point"],
    ["restart_server", "Restart server"],
    ["shutdown_server", "Shutdown server"],
    ["halt_server", "Halt server"],
    ["ping", "Ping"],
    ["debug_server_on", "Debug server on"],
    ["debug_server_off", "Debug server off"],
    ["get_defs", "Get full definition"],
    ["server_version", "Server version"],
    ["sync", "Sync"],
    ["sync_full", "Sync full"],
    ["sync_clock", "Sync suite clock"],
    ["news", "News"],
  ]],
  ["Task Commands", [
    ["task_init", "Task init"],
    ["task_complete", "Task complete"],
    ["task_wait", "Task wait"],
    ["task_abort", "Task abort"],
    ["task_event", "Task event"],
    ["task_meter", "Task meter"],
    ["task_label", "Task label"],
    ["task_queue", "Task queue"],
  ]],
  ["User Commands (Zombie-related)", [
    ["zombie_fob", "Zombie fob"],
    ["zombie_fail", "Zombie fail"],
    ["zombie_adopt", "Zombie adopt"],
    ["zombie_remove", "Zombie remove"],
    ["zombie_get", "Zombie get"],
    ["zombie_block", "Zombie block"],
    ["zombie_kill", "Zombie kill"],
  ]],
  ["User Commands (Node-related)", [
    ["load_defs", "Load definition"],
    ["begin_cmd", "Begin"],
    ["requeue_node", "Requeue"],
    ["node_job_gen", "Job generation"],
    ["node_check_job_gen_only", "Check Job generation"],
    ["node_delete", "Node delete"],
    ["node_suspend", "Node suspend"],
    ["node_resume", "Node resume"],
    ["node_kill", "Node kill"],
    ["node_status", "Node status"],
    ["node_edit_history", "Node edit history"],
    ["node_archive", "Node archive"],
    ["node_restore", "Node restore"],
    ["log_cmd", "Log cmd"],
    ["log_msg_cmd", "Log message"],
    ["order_node", "Order"],
    ["run_node", "Run"],
    ["replace", "Replace"],
    ["force", "Force"],
    ["free_dep", "Free dependencies"],
    ["suites", "Suites"],
    ["edit_script", "Edit script"],
    ["alter_cmd", "Alter"],
    ["ch_cmd", "Client handle"],
    ["plug", "Plug"],
    ["move", "Move"],
    ["group_cmd", "Group"],
    ["server_load_cmd", "Server load cmd"],
    ["stats", "Stats cmd"],
    ["check", "Check cmd"],
    ["query", "Query cmd"],
    ["reload_white_list_file", "Reload white list file"],
    ["reload_passwd_file", "Reload password file"],
  ]],
  ["User Commands (File-related)", [
    ["file_ecf", "File ECF"],
    ["file_job", "File job"],
    ["file_jobout", "File job out"],
    ["file_cmdout", "File Cmd out"],
    ["file_manual", "File manual"],
  ]],
];

/** The counters that open a 5.16+ section (the lock holder is shown only inside one). */
const STATS_516_OPENERS = STATS_516_SECTIONS.map(([, lines]) =>
  lines.map(([f]) => f).filter((f) => f !== "locked_by_user")
);

/** One of the server's resource values (`ecf::resources::NamedValue`) as ecFlow prints it. */
function resourceValue(nv: unknown): { name: string; text: string; unit: string } | undefined {
  const o = nv as {
    value0?: unknown;
    value1?: { index?: unknown; data?: unknown };
    value2?: unknown;
  };
  if (typeof o?.value0 !== "string" || typeof o.value1 !== "object" || o.value1 === null) {
    return undefined;
  }
  const data = o.value1.data;
  // the variant's fifth type is a double, printed std::fixed (six decimals)
  const text = o.value1.index === 4 && typeof data === "number" ? data.toFixed(6) : String(data);
  return { name: o.value0, text, unit: typeof o.value2 === "string" ? o.value2 : "" };
}

/**
 * `--stats_server` of an ecFlow 5.16+ server, as its `Stats::show` prints it: labels indented
 * by 2 and padded to 32 columns, units in parentheses, empty texts and zero counters left out,
 * a section per kind of request that has any, and the server's resources.
 */
export function formatStats516(values: readonly unknown[]): string {
  const v: Record<string, unknown> = {};
  STATS_FIELDS.forEach((f, i) => v[f] = values[i]);
  const show = (label: string, value: unknown, unit = "") =>
    `  ${label.padEnd(32)}${String(value)}${unit ? ` (${unit})` : ""}\n`;
  const text = (label: string, value: unknown, unit = "") =>
    value === undefined || value === null || String(value) === "" ? "" : show(label, value, unit);
  const count = (label: string, value: unknown, unit = "") =>
    Number(value ?? 0) === 0 ? "" : show(label, value, unit);
  let out = "Server Statistics\n";
  out += text("Version", v.version);
  out += text("Status", ["HALTED", "SHUTDOWN", "RUNNING"][Number(v.status)] ?? "");
  out += text("Host", v.host);
  out += text("Port", v.port);
  out += text("Up since", v.up_since);
  out += count("Job sub' interval", v.job_sub_interval, "s");
  out += text("ECF_HOME", v.ECF_HOME);
  out += text("ECF_LOG", v.ECF_LOG);
  out += text("ECF_CHECK", v.ECF_CHECK);
  out += text("ECF_SSL", v.ECF_SSL);
  out += count("Check pt interval", v.checkpt_interval, "s");
  out += text("Check pt mode", CHECKPT_MODES[Number(v.checkpt_mode)] ?? "");
  out += count("Check pt save time alarm", v.checkpt_save_time_alarm, "s");
  out += text("Number of Suites", Number(v.no_of_suites ?? 0));
  out += text("Request/s per 1,5,15,30,60 min", v.request_stats);
  out += "\n";
  const meter = (values[82] as { ptr_wrapper?: { valid?: number; data?: { value0?: unknown } } })
    ?.ptr_wrapper;
  if (meter?.valid && Array.isArray(meter.data?.value0)) {
    out += "Server Resources\n";
    for (const nv of meter.data.value0) {
      const r = resourceValue(nv);
      if (r) out += show(r.name, r.text, r.unit);
    }
    out += "\n";
  }
  STATS_516_SECTIONS.forEach(([title, lines], i) => {
    if (!STATS_516_OPENERS[i].some((f) => Number(v[f] ?? 0) !== 0)) return;
    out += `${title}\n`;
    for (const [f, label] of lines) {
      out += f === "locked_by_user" ? text(label, v[f]) : count(label, v[f]);
    }
    out += "\n";
  });
  return out;
}

/**
 * `--load=<file> stats`: ecFlow's definition statistics (NodeStats) for a
 * parsed definition: node and attribute counts.
 */
export function formatDefsStats(defs: Defs): string {
  const c = {
    nodes: 0,
    suite: 0,
    family: 0,
    task: 0,
    alias: 0,
    vars: 0,
    triggers: 0,
    complete: 0,
    events: 0,
    labels: 0,
    meters: 0,
    times: 0,
    todays: 0,
    crons: 0,
    dates: 0,
    days: 0,
    late: 0,
    inlimits: 0,
    limits: 0,
    repeats: 0,
    zombies: 0,
    autoCancel: 0,
    autoArchive: 0,
    autoRestore: 0,
    verifies: 0,
    queues: 0,
    generics: 0,
  };
  for (const n of defs.walk()) {
    c.nodes++;
    c[n.kind === "suite" ? "suite" : n.kind]++;
    c.vars += n.variables.length;
    if (n.trigger) c.triggers++;
    if (n.complete) c.complete++;
    c.events += n.events.length;
    c.labels += n.labels.length;
    c.meters += n.meters.length;
    c.times += n.times.length;
    c.todays += n.todays.length;
    c.crons += n.crons.length;
    c.dates += n.dates.length;
    c.days += n.days.length;
    if (n.late) c.late++;
    c.inlimits += n.inLimits.length;
    c.limits += n.limits.length;
    if (n.repeat) c.repeats++;
    c.zombies += n.zombies.length;
    if (n.autoCancel) c.autoCancel++;
    if (n.autoArchive) c.autoArchive++;
    if (n.autoRestore) c.autoRestore++;
    c.verifies += n.verifies.length;
    c.queues += n.queues.length;
    c.generics += n.generics.length;
  }
  const historyPaths = defs.history.reduce((sum, h) => sum + h.requests.length, 0);
  const row = (label: string, v: number) => label.padEnd(20) + v + "\n";
  return "Definition statistics\n" + row("Nodes", c.nodes) + row("Suites", c.suite) +
    row("Family", c.family) + row("Task", c.task) + row("Alias", c.alias) + "\n" +
    row("Edit history nodes", defs.history.length) + row("Edit history paths", historyPaths) +
    "\n" + row("vars", c.vars) + row("triggers", c.triggers) +
    row("complete triggers", c.complete) + row("events", c.events) + row("labels", c.labels) +
    row("meters", c.meters) + "\n" + row("times", c.times) + row("todays", c.todays) +
    row("crons", c.crons) + row("dates", c.dates) + row("days", c.days) + "\n" +
    row("late", c.late) + row("inlimits", c.inlimits) + row("limits", c.limits) +
    row("repeats", c.repeats) + row("zombies", c.zombies) + "\n" +
    row("auto_cancel", c.autoCancel) + row("auto_archive", c.autoArchive) +
    row("auto_restore", c.autoRestore) + row("verifys", c.verifies) + row("queues", c.queues) +
    row("generics", c.generics);
}
