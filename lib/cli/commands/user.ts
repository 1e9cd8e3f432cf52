/**
 * Every ecflow_client user command, spelled and parsed as ecflow_client does, printing what
 * it prints. Each command first *plans*: turns its arguments into a request (refusing bad
 * arguments before any connection) and the printer of the request's typed result. The
 * request comes from `lib/requests/user.ts`, the same function the library's `Client` method
 * calls; a reply of the wrong kind is therefore a ProtocolError here too (exit 1). `--group`
 * reuses the same plans.
 *
 * @module
 */
import { StreamedString, writeJsonLine } from "../json_text.ts";
import type { GivenOption, OptionArity } from "../args.ts";
import { parseCommandLine } from "../args.ts";
import type { CliCommand, CliIo, CommandContext } from "../registry.ts";
import {
  formatClientHandles,
  formatDefsStats,
  formatLoadPrint,
  formatStatsServer,
  formatSuites,
  formatZombies,
  showDefs,
  showGroupNode,
  type ShowStyle,
  writeShownDefs,
  writeShownNode,
} from "../output.ts";
import { parseAlterArgs, splitOptionsAndPaths } from "./alter.ts";
import { ConfigError, ServerError } from "../../errors.ts";
import type { Client } from "../../client/client.ts";
import { definitionText, prepareDefinition } from "../../client/definitions.ts";
import { readUserFile } from "../../files.ts";
import type { Reply } from "../../wire/reply.ts";
import { ZOMBIE_ACTIONS } from "../../wire/reply.ts";
import { EDIT_TYPE, FILE_KIND, ORDER_OPTION } from "../../wire/enums.ts";
import type { Request } from "../../requests/request.ts";
import {
  alterCommand,
  beginCommand,
  type CheckPtArgs,
  checkPtCommand,
  type ClientHandleApi,
  clientHandleCommand,
  type CtsAction,
  ctsCommand,
  type CtsNodeApi,
  ctsNodeCommand,
  type DefinitionText,
  deleteCommand,
  editScriptCommand,
  type EditType,
  fileCommand,
  type FileKind,
  FORCE_STATES,
  forceCommand,
  type ForceState,
  freeDepCommand,
  groupCommand,
  loadDefsCommand,
  logCommand,
  logMessageCommand,
  orderCommand,
  type OrderOption,
  type PathsAction,
  pathsCommand,
  plugCommand,
  QUERY_TYPES,
  queryCommand,
  type QueryType,
  replaceCommand,
  requeueCommand,
  runCommand,
  showCommand,
  type SyncApi,
  syncCommand,
  zombieCommand,
} from "../../requests/user.ts";
import { parseExpression } from "../../defs/expr.ts";
import {
  defsToJson,
  nodeToJson,
  parseDefs,
  parseNode,
  PRINT_PROFILE_5_9,
  type PrintProfile,
  printProfile,
} from "../../defs/mod.ts";
import { why } from "../../defs/why.ts";
import type { EnvReader } from "../../env.ts";

/** Where a printer writes, and how. */
export interface Output {
  /** Print one JSON document instead of ecflow_client's text. */
  json: boolean;
  /** Output streams. */
  io: CliIo;
  /** Host name for STATE-style printing (the client's). */
  hostName: string;
}

/** A planned command: the request it sends (none when it works locally), and how it runs. */
export interface Plan {
  /** What goes on the wire; `--group` collects these. */
  request?: Request<unknown>;
  /** Sends the request (if any) and prints the result. */
  run(client: Client, out: Output): Promise<void>;
}

/** A plan that sends `request` and prints its typed result with `print`. */
function send<T>(request: Request<T>, print: (value: T, out: Output) => void): Plan {
  return {
    request,
    run: async (client, out) => print(await client.request(request), out),
  };
}

/** What planning may need besides the option. */
export interface PlanContext {
  /** The environment. */
  env: EnvReader;
  /** Output streams (confirmation prompts). */
  io: CliIo;
  /** The client (its host name goes into loaded definitions). */
  client: () => Client;
}

/** A user command of the CLI: its spec, and how to plan it. */
export interface UserCliCommand extends CliCommand {
  /** Turns the given option into a plan; throws ConfigError on bad arguments. */
  plan(option: GivenOption, ctx: PlanContext): Plan | Promise<Plan>;
}

/** The option's tokens: its value then the following tokens. */
function words(o: GivenOption): string[] {
  return [...(o.value === undefined ? [] : [o.value]), ...o.rest];
}

function bad(name: string, message: string): never {
  throw new ConfigError(`--${name}: ${message}`);
}

function json(out: Output, command: string, result: Record<string, unknown>): void {
  writeJsonLine({ command, ...result }, (s) => out.io.out(s));
}

/** Prints nothing for an acknowledgement (`{"ok": true}` as JSON). */
function acknowledgement(name: string): (value: void, out: Output) => void {
  return (_value, out) => {
    if (out.json) json(out, name, { ok: true });
  };
}

/** Prints text followed by a newline (ecflow_client's SStringCmd). */
function textLine(name: string): (value: string, out: Output) => void {
  return (value, out) => {
    if (out.json) json(out, name, { text: value });
    else out.io.out(value + "\n");
  };
}

/** Prints lines, each followed by a newline (ecflow_client's SStringVecCmd). */
function textLines(name: string): (value: string[], out: Output) => void {
  return (values, out) => {
    if (out.json) json(out, name, { lines: values });
    else out.io.out(values.map((l) => l + "\n").join(""));
  };
}

/**
 * The print profile of the server a node's text came from (the text names no version): its
 * `--server_version`, asked once per client.
 */
async function serverProfile(client: Client): Promise<PrintProfile> {
  return printProfile(await client.knownServerVersion());
}

/**
 * Fetches a definition or node and prints it in a style, as the server's own ecflow_client
 * does: a whole definition names the server's version on its first line; for a node's text
 * the version is asked.
 */
function definitionPlan(name: DefinitionName, style: ShowStyle, path: string): Plan {
  const request = ctsNodeCommand(name, path);
  return {
    request,
    run: async (client, out) => {
      const value = await client.request(request);
      const profile = value.scope === "node" ? await serverProfile(client) : undefined;
      printDefinition(name, style, path, value, profile, out);
    },
  };
}

/** Prints a fetched definition, or a node with the profile of its server. */
function printDefinition(
  name: string,
  style: ShowStyle,
  path: string,
  value: DefinitionText,
  profile: PrintProfile | undefined,
  out: Output,
): void {
  const show = (write: (s: string) => void) =>
    profile === undefined
      ? writeShownDefs(value.text, style, write)
      : writeShownNode(value.text, style, { hostName: out.hostName, profile }, write);
  if (out.json) {
    // the tree, and the definition as ecflow_client prints it in this style (which, unlike
    // the server's text, carries no jobs passwords)
    const text = new StreamedString(show);
    const tree = value.scope === "defs"
      ? defsToJson(parseDefs(value.text))
      : nodeToJson(parseNode(value.text), path.slice(0, Math.max(0, path.lastIndexOf("/"))));
    return json(out, name, { path, style, tree, text });
  }
  show((s) => out.io.out(s));
}

interface Def {
  name: string;
  arity: OptionArity;
  usage: string;
  summary: string;
  plan: UserCliCommand["plan"];
}

function command(d: Def): UserCliCommand {
  return {
    name: d.name,
    arity: d.arity,
    role: "command",
    usage: d.usage,
    summary: d.summary,
    plan: d.plan,
    run: (ctx) => runPlanned(d.plan, ctx),
  };
}

async function runPlanned(plan: UserCliCommand["plan"], ctx: CommandContext): Promise<void> {
  const p = await plan(ctx.option, { env: ctx.env, io: ctx.io, client: ctx.client });
  const client = ctx.client();
  await p.run(client, { json: ctx.json, io: ctx.io, hostName: client.hostName });
}

// ------------------------------------------------------------ plain CtsCmd

function cts(name: CtsAction, summary: string): UserCliCommand {
  return command({
    name,
    arity: "flag",
    usage: `--${name}`,
    summary,
    plan: () => send(ctsCommand(name), acknowledgement(name)),
  });
}

/** Reads one line from standard input (empty at end of input). */
async function readLine(): Promise<string> {
  const buf = new Uint8Array(256);
  let line = "";
  const dec = new TextDecoder();
  while (!line.includes("\n")) {
    const n = await Deno.stdin.read(buf);
    if (n === null) break;
    line += dec.decode(buf.subarray(0, n), { stream: true });
  }
  return line.split("\n", 1)[0];
}

/**
 * Asks as ecflow_client does: the prompt on stdout, one line from stdin;
 * anything but an answer starting with y/Y stops the command (exit 1).
 */
async function confirm(prompt: string, io: CliIo, name: string): Promise<void> {
  io.out(prompt);
  const answer = await readLine();
  if (answer[0] !== "y" && answer[0] !== "Y") bad(name, "not confirmed, nothing sent");
}

const CONFIRM_PROMPT = {
  halt: "Are you sure you want to halt the server ? ",
  shutdown: "Are you sure you want to shut down the server ? ",
  terminate: "Are you sure you want to terminate the server ? ",
};

function confirmed(name: "halt" | "shutdown" | "terminate", summary: string): UserCliCommand {
  return command({
    name,
    arity: "optional",
    usage: `--${name}[=yes]`,
    summary,
    plan: async (o, ctx) => {
      if (o.value === undefined || o.value === "") {
        await confirm(CONFIRM_PROMPT[name], ctx.io, name);
      } else if (o.value !== "yes") {
        bad(name, "expected 'yes' as the only argument to bypass the confirmation prompt");
      }
      return send(ctsCommand(name), acknowledgement(name));
    },
  });
}

// ------------------------------------------------------------ CtsNodeCmd

type DefinitionName = "get" | "get_state" | "migrate";

function definitionCmd(name: DefinitionName, summary: string, style: ShowStyle) {
  return command({
    name,
    arity: "optional",
    usage: `--${name}[=<path>]`,
    summary,
    plan: (o) => definitionPlan(name, style, o.value ?? ""),
  });
}

function nodeCmd(name: Exclude<CtsNodeApi, "get" | "get_state" | "migrate">, summary: string) {
  return command({
    name,
    arity: "optional",
    usage: `--${name}[=<path>]`,
    summary,
    plan: (o) => send(ctsNodeCommand(name, o.value ?? ""), acknowledgement(name)),
  });
}

// -------------------------------------------------------------- PathsCmd

function pathsCmd(name: PathsAction, summary: string): UserCliCommand {
  return command({
    name,
    arity: "multi",
    usage: `--${name}=<path> [<path>...]`,
    summary,
    plan: (o) => send(pathsCommand(name, words(o)), acknowledgement(name)),
  });
}

/**
 * `--status=<path>...` stays ecflow_client's job status request; `--status` alone, or with
 * server names or `host:port`s, prints the many-servers table (ecflow-ts; live.ts, loaded
 * only then).
 */
function withServerTable(c: UserCliCommand): UserCliCommand {
  return {
    ...c,
    arity: "any",
    usage: "--status[=<path>...|<server>...]",
    summary: "ask for the status of jobs; without paths, one row per server (ecflow-ts)",
    run: async (ctx) => {
      const w = words(ctx.option);
      if (w.length > 0 && w.every((x) => x.startsWith("/"))) return await c.run(ctx);
      await (await import("./live.ts")).runStatusTable(ctx, w);
    },
  };
}

// ------------------------------------------------------------ sync/news

function syncCmd(name: SyncApi, summary: string): UserCliCommand {
  const full = name === "sync_full";
  return command({
    name,
    arity: "multi",
    usage: full ? "--sync_full=<handle>" : `--${name} <handle> <state_change> <modify_change>`,
    summary,
    plan: (o) => {
      const w = words(o);
      if (w.length !== (full ? 1 : 3) || !w.every((x) => /^\d+$/.test(x))) {
        bad(name, `expected ${full ? "<handle>" : "<handle> <state_change> <modify_change>"}`);
      }
      const [h, sc, mc] = w.map(Number);
      // ecflow_client prints nothing for these
      if (name === "news") {
        return send(syncCommand("news", h, sc, mc), (news, out) => {
          if (out.json) json(out, name, { news });
        });
      }
      return send(syncCommand(name, h, sc ?? 0, mc ?? 0), (sync, out) => {
        if (!out.json) return;
        json(out, name, {
          full: sync.full,
          stateChange: sync.stateChange,
          modifyChange: sync.modifyChange,
          text: sync.full ? sync.text : sync.serverDefs,
        });
      });
    },
  });
}

// --------------------------------------------------------- client handles

function handleArg(name: string, s: string | undefined): number {
  if (s === undefined || !/^\d+$/.test(s)) {
    bad(name, `expected a client handle (a number), found '${s ?? ""}'`);
  }
  return Number(s);
}

function boolArg(name: string, s: string | undefined): boolean {
  if (s !== "true" && s !== "false") bad(name, `expected true or false, found '${s ?? ""}'`);
  return s === "true";
}

function chCmd(name: ClientHandleApi, arity: OptionArity, usage: string, summary: string) {
  return command({
    name,
    arity,
    usage,
    summary,
    plan: (o) => {
      const w = words(o);
      switch (name) {
        case "ch_register": {
          let handle = 0;
          if (w.length > 0 && /^\d+$/.test(w[0])) handle = Number(w.shift());
          const args = { handle, autoAddNewSuites: boolArg(name, w.shift()), suites: w };
          return send(clientHandleCommand(name, args), (h, out) => {
            if (out.json) json(out, name, { handle: h });
          });
        }
        case "ch_suites":
          return send(clientHandleCommand(name), (handles, out) => {
            if (out.json) json(out, name, { users: handles.users, handles: handles.handles });
            else out.io.out(formatClientHandles(handles));
          });
        case "ch_drop":
          if (w.length !== 1) bad(name, "expected one client handle");
          return send(
            clientHandleCommand(name, { handle: handleArg(name, w[0]) }),
            acknowledgement(name),
          );
        case "ch_drop_user":
          return send(
            clientHandleCommand(name, { dropUser: o.value ?? "" }),
            acknowledgement(name),
          );
        case "ch_add":
        case "ch_rem": {
          const args = { handle: handleArg(name, w.shift()), suites: w };
          if (w.length === 0) bad(name, "expected <handle> <suite> [<suite>...]");
          return send(clientHandleCommand(name, args), acknowledgement(name));
        }
        case "ch_auto_add":
          if (w.length !== 2) bad(name, "expected <handle> true|false");
          return send(
            clientHandleCommand(name, {
              handle: handleArg(name, w[0]),
              autoAddNewSuites: boolArg(name, w[1]),
            }),
            acknowledgement(name),
          );
      }
    },
  });
}

// -------------------------------------------------------------- the list

/** `--query` arguments: `<type> <path>[:<name>] [<extra>]`. */
function planQuery(o: GivenOption, ctx: PlanContext): Plan {
  const [type, target, ...extra] = words(o);
  if (!(QUERY_TYPES as readonly string[]).includes(type ?? "")) {
    bad(
      "query",
      `the first argument must be one of ${QUERY_TYPES.join(" | ")}, found '${type ?? ""}'`,
    );
  }
  if (target === undefined) bad("query", `${type}: expected a node path`);
  let path = target, attribute = "";
  const named = ["event", "meter", "label", "variable", "limit", "limit_max"].includes(type);
  if (named) {
    const i = target.lastIndexOf(":");
    if (i < 0) bad("query", `${type}: expected <path>:<name>, found '${target}'`);
    path = target.slice(0, i);
    attribute = target.slice(i + 1);
    if (extra.length) bad("query", `${type}: unexpected '${extra[0]}'`);
  } else if (type === "trigger") {
    // as ecflow_client: the expression is the one word after the path (quote it), and it must
    // parse; further words are ignored
    attribute = extra[0] ?? "";
    if (attribute === "") bad("query", "trigger: no expression given");
    try {
      parseExpression(attribute);
    } catch (e) {
      bad("query", `trigger: failed to parse expression '${attribute}': ${(e as Error).message}`);
    }
  } else if (type === "repeat") {
    if (extra.length > 1) bad("query", `repeat: unexpected '${extra[1]}'`);
    attribute = extra[0] ?? "";
  } else if (extra.length) bad("query", `${type}: unexpected '${extra[0]}'`);
  // from inside a job the query names the task that asks (ECF_NAME), as ecflow_client's does
  const task = ctx.client().task.context.path;
  return send(queryCommand(type as QueryType, path, attribute, task), textLine("query"));
}

function planForce(o: GivenOption): Plan {
  const { options, paths } = splitOptionsAndPaths(words(o), true);
  const state = options.shift();
  if (state === undefined) bad("force", "expected a state or set|clear");
  let recursive = false, full = false;
  for (const x of options) {
    if (x === "recursive") recursive = true;
    else if (x === "full") full = true;
    else bad("force", `unexpected argument '${x}'`);
  }
  if (
    state !== "set" && state !== "clear" && !(FORCE_STATES as readonly string[]).includes(state)
  ) {
    bad("force", `expected one of ${FORCE_STATES.join(" | ")} | set | clear, found '${state}'`);
  }
  return send(
    forceCommand(paths, state as ForceState, { recursive, full }),
    acknowledgement("force"),
  );
}

function planCheckPt(o: GivenOption): Plan {
  const v = o.value ?? "";
  let args: CheckPtArgs = {};
  const num = (s: string) => {
    if (!/^\d+$/.test(s) || Number(s) <= 0) {
      bad("check_pt", `expected a positive number, found '${s}'`);
    }
    return Number(s);
  };
  if (v === "") args = {};
  else if (v === "never" || v === "on_time" || v === "always") args = { mode: v };
  else if (v.startsWith("on_time:")) args = { mode: "on_time", interval: num(v.slice(8)) };
  else if (v.startsWith("alarm:")) args = { alarm: num(v.slice(6)) };
  else args = { interval: num(v) };
  return send(checkPtCommand(args), acknowledgement("check_pt"));
}

function planLog(o: GivenOption): Plan {
  const [api, arg, ...more] = words(o);
  if (more.length) bad("log", `unexpected argument '${more[0]}'`);
  switch (api) {
    case "get": {
      if (arg !== undefined && !/^\d+$/.test(arg)) {
        bad("log", `get: expected a number of lines, found '${arg}'`);
      }
      return send(
        logCommand("get", { lines: arg === undefined ? 100 : Number(arg) }),
        textLine("log"),
      );
    }
    case "new":
      return send(logCommand("new", { newPath: arg ?? "" }), acknowledgement("log"));
    case "clear":
    case "flush":
      if (arg !== undefined) bad("log", `${api}: unexpected argument '${arg}'`);
      return send(logCommand(api), acknowledgement("log"));
    case "path":
      if (arg !== undefined) bad("log", `${api}: unexpected argument '${arg}'`);
      return send(logCommand(api), textLine("log"));
    default:
      bad("log", `expected get [n] | clear | flush | new [path] | path, found '${api ?? ""}'`);
  }
}

async function planDelete(o: GivenOption, ctx: PlanContext): Promise<Plan> {
  let force = false, yes = false, all = false;
  const paths: string[] = [];
  for (const w of words(o)) {
    if (w === "force") force = true;
    else if (w === "yes") yes = true;
    else if (w === "_all_") all = true;
    else paths.push(w);
  }
  if (all && paths.length) bad("delete", "give _all_ or paths, not both");
  if (!all && paths.length === 0) bad("delete", "expected _all_ or node paths");
  if (!yes) {
    await confirm(
      all
        ? "Are you sure you want to delete all the suites ? "
        : "Are you sure want to delete nodes at paths:\n" + paths.map((p) => "  " + p).join("\n") +
          " ? ",
      ctx.io,
      "delete",
    );
  }
  return send(deleteCommand(paths, { force }), acknowledgement("delete"));
}

function planFile(o: GivenOption): Plan {
  const [path, kind = "script", max = "10000", ...more] = words(o);
  if (more.length) bad("file", `unexpected argument '${more[0]}'`);
  if (!Object.hasOwn(FILE_KIND, kind)) {
    bad("file", `expected one of ${Object.keys(FILE_KIND).join(" | ")}, found '${kind}'`);
  }
  if (!/^\d+$/.test(max)) bad("file", `expected a number of lines, found '${max}'`);
  return send(fileCommand(path, kind as FileKind, Number(max)), textLine("file"));
}

async function planEditScript(o: GivenOption): Promise<Plan> {
  const [path, type, ...rest] = words(o);
  if (type === undefined || !Object.hasOwn(EDIT_TYPE, type)) {
    bad("edit_script", `expected <task> ${Object.keys(EDIT_TYPE).join(" | ")}`);
  }
  const needsFile = type !== "edit" && type !== "pre_process";
  let lines: string[] = [];
  let variables: [string, string][] = [];
  let createAlias = false, run = type === "submit_file";
  if (needsFile) {
    const file = rest.shift();
    if (file === undefined) bad("edit_script", `${type}: expected a file`);
    const text = await readUserFile(file, "file");
    lines = text.split("\n");
    if (lines.at(-1) === "") lines.pop();
    variables = commentVariables(lines);
    if (type === "submit") lines = [];
    if (type === "pre_process_file") variables = [];
  }
  for (const r of rest) {
    if (r === "create_alias" && type === "submit_file") createAlias = true;
    else if (r === "no_run" && type === "submit_file") run = false;
    else bad("edit_script", `unexpected argument '${r}'`);
  }
  const args = { fileContents: lines, userVariables: variables, createAlias, run };
  return type === "submit" || type === "submit_file"
    ? send(editScriptCommand(path, type, args), acknowledgement("edit_script"))
    : send(editScriptCommand(path, type as EditType & "edit", args), textLine("edit_script"));
}

/**
 * Variables of an edited script as ecflow_client extracts them: `NAME = value`
 * lines of the first `%comment` block (up to `%end`, `%nopp` or `%manual`),
 * first occurrence wins, sorted by name.
 */
function commentVariables(lines: string[]): [string, string][] {
  const found = new Map<string, string>();
  let inside = false;
  for (const l of lines) {
    if (l === "") continue;
    if (l.startsWith("%")) {
      if (l.startsWith("comment", 1)) {
        inside = true;
        continue;
      }
      if (l.startsWith("nopp", 1) || l.startsWith("manual", 1) || l.startsWith("end", 1)) break;
    }
    if (!inside) continue;
    const i = l.indexOf("=");
    if (i < 0) continue;
    const name = l.slice(0, i).trim();
    if (!found.has(name)) found.set(name, l.slice(i + 1).trim());
  }
  return [...found].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

async function planLoad(o: GivenOption, ctx: PlanContext): Promise<Plan> {
  const [file, ...opts] = words(o);
  let force = false, checkOnly = false, print = false, stats = false;
  for (const x of opts) {
    if (x === "force") force = true;
    else if (x === "check_only") checkOnly = true;
    else if (x === "print") print = true;
    else if (x === "stats") stats = true;
    else bad("load", `expected force | check_only | print | stats, found '${x}'`);
  }
  const prepared = await prepareDefinition(file);
  const warnings = prepared.warnings.join("");
  if (checkOnly || print || stats) {
    // Client side only: nothing is sent.
    const defs = prepared.defs;
    return {
      run: (_client, out) => {
        // What would be sent, in NET style with the client's default server variables. No
        // server is asked, so no server names the form: it is 5.9.2's (see the README).
        if (print) out.io.out(formatLoadPrint(defs, out.hostName, PRINT_PROFILE_5_9));
        if (stats) out.io.out(formatDefsStats(defs));
        if (!out.json) out.io.out(warnings); // after print and stats, as ecflow_client
        if (out.json) {
          json(out, "load", {
            checked: true,
            suites: defs.suites.map((s) => s.name),
            warnings: warnings.split("\n").filter((l) => l !== ""),
          });
        }
        return Promise.resolve();
      },
    };
  }
  const request = loadDefsCommand(definitionText(prepared, ctx.client().hostName), {
    force,
    fileName: file,
  });
  return {
    request,
    run: async (client, out) => {
      // ecflow_client prints the warnings while parsing, before the request
      if (!out.json) out.io.out(warnings);
      await client.request(request);
      acknowledgement("load")(undefined, out);
    },
  };
}

async function planReplace(o: GivenOption, ctx: PlanContext): Promise<Plan> {
  const [path, file, ...opts] = words(o);
  if (path === undefined || file === undefined) bad("replace", "expected <path> <defs-file>");
  let createParents = true, force = false;
  for (const x of opts) {
    if (x === "parent") createParents = true;
    else if (x === "false") createParents = false;
    else if (x === "force") force = true;
    else bad("replace", `expected parent | false | force, found '${x}'`);
  }
  const prepared = await prepareDefinition(file);
  if (!prepared.defs.find(path)) bad("replace", `the node '${path}' is not in '${file}'`);
  const text = definitionText(prepared, ctx.client().hostName);
  return send(
    replaceCommand(path, text, { createParents, force, fileName: file }),
    acknowledgement("replace"),
  );
}

function planBegin(o: GivenOption): Plan {
  const w = (o.value ?? "").split(/\s+/).filter((x) => x !== "");
  let force = false, suite = "";
  for (const x of w) {
    if (x === "--force" || x === "force") force = true;
    else if (suite === "") suite = x;
    else bad("begin", `unexpected argument '${x}'`);
  }
  return send(beginCommand(suite, { force }), acknowledgement("begin"));
}

function planRequeue(o: GivenOption): Plan {
  const w = words(o);
  let option: "none" | "abort" | "force" = "none";
  if (w[0] === "abort" || w[0] === "force") option = w.shift() as "abort" | "force";
  return send(requeueCommand(w, option), acknowledgement("requeue"));
}

function planOrder(o: GivenOption): Plan {
  const w = words(o);
  if (w.length !== 2) bad("order", `expected <path> ${Object.keys(ORDER_OPTION).join(" | ")}`);
  if (!Object.hasOwn(ORDER_OPTION, w[1])) {
    bad("order", `expected one of ${Object.keys(ORDER_OPTION).join(" | ")}, found '${w[1]}'`);
  }
  return send(orderCommand(w[0], w[1] as OrderOption), acknowledgement("order"));
}

function planRun(o: GivenOption): Plan {
  const w = words(o);
  const force = w[0] === "force";
  if (force) w.shift();
  return send(runCommand(w, { force }), acknowledgement("run"));
}

function planFreeDep(o: GivenOption): Plan {
  const flags = { trigger: false, all: false, date: false, time: false };
  const paths: string[] = [];
  for (const w of words(o)) {
    if (w in flags) flags[w as keyof typeof flags] = true;
    else paths.push(w);
  }
  return send(freeDepCommand(paths, flags), acknowledgement("free-dep"));
}

function planZombie(action: typeof ZOMBIE_ACTIONS[number]) {
  return (o: GivenOption): Plan =>
    send(zombieCommand(action, words(o)), acknowledgement(`zombie_${action}`));
}

function planPlug(o: GivenOption): Plan {
  const w = words(o);
  if (w.length !== 2) bad("plug", "expected <source-path> <destination>");
  return send(plugCommand(w[0], w[1]), acknowledgement("plug"));
}

function planAlter(o: GivenOption): Plan {
  const { alteration, paths } = parseAlterArgs(words(o));
  return send(alterCommand(paths, alteration), acknowledgement("alter"));
}

function planEditHistory(o: GivenOption): Plan {
  return send(pathsCommand("edit_history", words(o)), textLines("edit_history"));
}

function planCheck(o: GivenOption): Plan {
  const w = words(o);
  const all = w.length === 1 && (w[0] === "_all_" || w[0] === "/");
  return send(pathsCommand("check", all ? [] : w), textLine("check"));
}

// ------------------------------------------------------------------ group

const SHOW_STYLES = new Set(["defs", "state", "migrate", ""]);

async function planGroup(o: GivenOption, ctx: PlanContext): Promise<Plan> {
  const parts = (o.value ?? "").split(";").map((s) => s.trim()).filter((s) => s !== "");
  if (parts.length === 0) bad("group", "no commands given");
  const children: Request<unknown>[] = [];
  let show: ShowStyle | undefined;
  let whyPath: string | undefined;
  for (const part of parts) {
    const tokens = part.split(/\s+/);
    const head = tokens[0];
    if (head === "show" || head.startsWith("show=")) {
      const style = head.startsWith("show=") ? head.slice(5) : tokens[1] ?? "";
      if (!SHOW_STYLES.has(style)) {
        bad("group", `show: expected defs | state | migrate, found '${style}'`);
      }
      show = (style || "defs") as ShowStyle;
      children.push(showCommand());
      continue;
    }
    const parsed = parseCommandLine(["--" + head, ...tokens.slice(1)], USER_COMMANDS);
    const cmd = USER_COMMANDS.find((c) => c === parsed.command?.spec);
    if (!cmd || cmd.name === "group") bad("group", `'${head}' cannot be part of a group`);
    if (cmd.name === "why") whyPath = parsed.command!.value ?? "";
    const p = await cmd.plan(parsed.command!, ctx);
    if (!p.request) bad("group", `'${part}' does not talk to the server`);
    children.push(p.request);
  }
  const request = groupCommand(children);
  return {
    request,
    run: async (client, out) => {
      const replies = await client.request(request);
      // a node shown prints as its server's ecflow_client prints it: ask the version
      const { defs, node } = fetchedInGroup(replies);
      const asked = !out.json && show !== undefined && defs === undefined && node !== undefined;
      printGroup(replies, out, show, whyPath, asked ? await serverProfile(client) : undefined);
    },
  };
}

/**
 * What a group fetched, as ecflow_client keeps it: the whole definition of the last reply that
 * carries one (`get`, a full `sync`/`sync_full`), and the last node (`get=<path>`).
 */
function fetchedInGroup(replies: Reply[]): { defs?: string; node?: string } {
  let defs: string | undefined, node: string | undefined;
  for (const r of replies) {
    if (r.kind === "defs") defs = r.text;
    else if (r.kind === "node") node = r.text;
    else if (r.kind === "sync") {
      // a handle's suites, else the whole definition; an incremental reply has nothing to show
      if (r.serverDefs !== "") defs = r.serverDefs;
      else if (r.full) defs = r.text;
    }
  }
  return { defs, node };
}

function printGroup(
  replies: Reply[],
  out: Output,
  show: ShowStyle | undefined,
  whyPath: string | undefined,
  nodeProfile: PrintProfile | undefined,
): void {
  if (out.json) {
    json(out, "group", { replies });
  } else {
    for (const r of replies) {
      if (r.kind === "string") out.io.out(r.value + "\n");
      else if (r.kind === "stringVec") out.io.out(r.values.map((l) => l + "\n").join(""));
      else if (r.kind === "zombies") out.io.out(formatZombies(r.zombies));
    }
    // the whole definition is shown when there is one, else the node
    const { defs, node } = fetchedInGroup(replies);
    if (show && defs !== undefined) out.io.out(showDefs(defs, show));
    else if (show && node !== undefined) out.io.out(showGroupNode(node, show, nodeProfile!));
    // why is computed here, from the whole definition fetched in the same group
    if (whyPath !== undefined && defs !== undefined) {
      let lines: string[];
      try {
        lines = why(parseDefs(defs), whyPath);
      } catch (e) {
        throw new ConfigError((e as Error).message);
      }
      out.io.out(lines.join("\n") + "\n");
    }
  }
  const failed = replies.find((r) => r.kind === "error");
  if (failed && failed.kind === "error") throw new ServerError(failed.message, "--group");
}

// ---------------------------------------------------------------- registry

/** Every user command of the CLI, in help order. */
export const USER_COMMANDS: UserCliCommand[] = [
  command({
    name: "suites",
    arity: "flag",
    usage: "--suites",
    summary: "list the suites",
    plan: () =>
      send(ctsCommand("suites"), (suites, out) => {
        if (out.json) json(out, "suites", { suites });
        else out.io.out(formatSuites(suites));
      }),
  }),
  command({
    name: "stats",
    arity: "flag",
    usage: "--stats",
    summary: "print the server statistics",
    plan: () => send(ctsCommand("stats"), textLine("stats")),
  }),
  cts("stats_reset", "reset the server statistics"),
  command({
    name: "stats_server",
    arity: "flag",
    usage: "--stats_server",
    summary: "print the server statistics from their raw values",
    plan: () =>
      send(ctsCommand("stats_server"), (values, out) => {
        if (out.json) json(out, "stats_server", { values });
        else out.io.out(formatStatsServer(values));
      }),
  }),
  command({
    name: "server_load",
    arity: "optional",
    usage: "--server_load[=<log-file>]",
    summary: "plot the server load with gnuplot (ecflow-ts: not supported, prints the log path)",
    plan: (o) => {
      if (o.value) {
        bad("server_load", "plotting a log file with gnuplot is not supported by ecflow-ts");
      }
      return send(ctsCommand("server_load"), (logFilePath, out) => {
        if (out.json) return json(out, "server_load", { logFilePath });
        bad(
          "server_load",
          `plotting with gnuplot is not supported by ecflow-ts; the server log is ${logFilePath}`,
        );
      });
    },
  }),
  definitionCmd("get", "print the definition (or one node) without state", "defs"),
  definitionCmd("get_state", "print the definition (or one node) with state", "state"),
  definitionCmd("migrate", "print the definition (or one node) in migrate style", "migrate"),
  nodeCmd("why", 'server side no-op; use --group="get; why=<path>"'),
  nodeCmd("job_gen", "generate jobs for the definition or a node"),
  nodeCmd("checkJobGenOnly", "check job generation without submitting"),
  command({
    name: "query",
    arity: "multi",
    usage:
      "--query <state|dstate|repeat|event|meter|label|variable|trigger|limit|limit_max> <path>[:<name>] [...]",
    summary: "print one value about a node",
    plan: planQuery,
  }),
  command({
    name: "log",
    arity: "multi",
    usage: "--log=get [n] | clear | flush | new [path] | path",
    summary: "server log: last lines, clear, flush, new, path",
    plan: planLog,
  }),
  command({
    name: "msg",
    arity: "value",
    usage: "--msg=<text>",
    summary: "write a message into the server log",
    plan: (o) => send(logMessageCommand(o.value ?? ""), acknowledgement("msg")),
  }),
  command({
    name: "edit_history",
    arity: "multi",
    usage: "--edit_history=<path> | clear",
    summary: "print (or clear) the edit history of a node",
    plan: planEditHistory,
  }),
  command({
    name: "check",
    arity: "multi",
    usage: "--check=_all_ | / | <path> [<path>...]",
    summary: "check triggers and limits",
    plan: planCheck,
  }),
  command({
    name: "zombie_get",
    arity: "flag",
    usage: "--zombie_get",
    summary: "print the zombie table",
    plan: () =>
      send(ctsCommand("zombie_get"), (zombies, out) => {
        if (out.json) json(out, "zombie_get", { zombies });
        else out.io.out(formatZombies(zombies));
      }),
  }),
  ...ZOMBIE_ACTIONS.map((a) =>
    command({
      name: `zombie_${a}`,
      arity: "multi",
      usage: `--zombie_${a}=<task-path> [<task-path>...]`,
      summary: `zombie action ${a} for the zombies of the tasks`,
      plan: planZombie(a),
    })
  ),
  chCmd(
    "ch_register",
    "multi",
    "--ch_register=[<handle>] true|false [<suite>...]",
    "register a client handle",
  ),
  chCmd("ch_suites", "flag", "--ch_suites", "print the client handles and their suites"),
  chCmd("ch_drop", "multi", "--ch_drop=<handle>", "drop a client handle"),
  chCmd("ch_drop_user", "optional", "--ch_drop_user[=<user>]", "drop every handle of a user"),
  chCmd("ch_add", "multi", "--ch_add=<handle> <suite> [<suite>...]", "add suites to a handle"),
  chCmd("ch_rem", "multi", "--ch_rem=<handle> <suite> [<suite>...]", "remove suites from a handle"),
  chCmd(
    "ch_auto_add",
    "multi",
    "--ch_auto_add=<handle> true|false",
    "auto-add new suites to a handle",
  ),
  command({
    name: "file",
    arity: "multi",
    usage: "--file=<path> [script|job|jobout|manual|kill|stat] [max_lines]",
    summary: "print a node's file",
    plan: planFile,
  }),
  syncCmd("news", "ask whether anything changed (prints nothing)"),
  syncCmd("sync", "synchronise (prints nothing)"),
  syncCmd("sync_full", "full synchronisation (prints nothing)"),
  syncCmd("sync_clock", "synchronise including the clock (prints nothing)"),
  command({
    name: "load",
    arity: "multi",
    usage: "--load=<file> [force|check_only|print|stats]",
    summary: "check a definition file and load it",
    plan: planLoad,
  }),
  command({
    name: "replace",
    arity: "multi",
    usage: "--replace=<path> <defs-file> [parent|false] [force]",
    summary: "replace a node with the one in a definition file",
    plan: planReplace,
  }),
  command({
    name: "begin",
    arity: "optional",
    usage: '--begin[="<suite> [--force]"]',
    summary: "begin one suite or all",
    plan: planBegin,
  }),
  command({
    name: "delete",
    arity: "multi",
    usage: "--delete=[force] yes _all_ | <path> [<path>...]",
    summary: "delete nodes (or all suites)",
    plan: planDelete,
  }),
  pathsCmd("suspend", "suspend nodes"),
  pathsCmd("resume", "resume nodes"),
  pathsCmd("kill", "kill the jobs of nodes"),
  withServerTable(pathsCmd("status", "ask for the status of jobs")),
  pathsCmd("archive", "archive nodes"),
  pathsCmd("restore", "restore archived nodes"),
  command({
    name: "requeue",
    arity: "multi",
    usage: "--requeue=[abort|force] <path> [<path>...]",
    summary: "requeue nodes",
    plan: planRequeue,
  }),
  command({
    name: "order",
    arity: "multi",
    usage: "--order=<path> top|bottom|alpha|order|up|down|runtime",
    summary: "re-order a node among its siblings",
    plan: planOrder,
  }),
  command({
    name: "run",
    arity: "multi",
    usage: "--run=[force] <path> [<path>...]",
    summary: "submit tasks now, ignoring dependencies",
    plan: planRun,
  }),
  command({
    name: "force",
    arity: "multi",
    usage: "--force=<state|set|clear> [recursive] [full] <path>[:<event>] [...]",
    summary: "force a state, or set/clear events",
    plan: planForce,
  }),
  command({
    name: "free-dep",
    arity: "multi",
    usage: "--free-dep=[trigger] [all] [date] [time] <path> [<path>...]",
    summary: "free dependencies",
    plan: planFreeDep,
  }),
  command({
    name: "alter",
    arity: "multi",
    usage: "--alter=add|delete|change|set_flag|clear_flag|sort <kind> [name] [value] <path>...",
    summary: "change attributes",
    plan: planAlter,
  }),
  command({
    name: "edit_script",
    arity: "multi",
    usage: "--edit_script=<task> edit|pre_process|submit <f>|pre_process_file <f>|submit_file <f>",
    summary: "fetch, pre-process or submit a task's script",
    plan: planEditScript,
  }),
  command({
    name: "plug",
    arity: "multi",
    usage: "--plug=<source-path> <destination>",
    summary: "move a node (also to another server)",
    plan: planPlug,
  }),
  command({
    name: "check_pt",
    arity: "optional",
    usage: "--check_pt[=never|on_time|always|<n>|on_time:<n>|alarm:<n>]",
    summary: "save a check point now, or change the policy",
    plan: planCheckPt,
  }),
  cts("restart", "start scheduling (HALTED/SHUTDOWN -> RUNNING)"),
  confirmed("halt", "stop scheduling and child commands (-> HALTED)"),
  confirmed("shutdown", "stop scheduling new jobs (-> SHUTDOWN)"),
  confirmed("terminate", "terminate the server"),
  cts("restore_from_checkpt", "reload the definition from the check point"),
  cts("reloadwsfile", "reload the white list file"),
  cts("reloadpasswdfile", "reload the password file"),
  cts("reloadcustompasswdfile", "reload the custom password file"),
  cts("force-dep-eval", "evaluate dependencies now"),
  cts("debug_server_on", "turn server debugging on"),
  cts("debug_server_off", "turn server debugging off"),
  command({
    name: "group",
    arity: "value",
    usage: '--group="<cmd>; <cmd>; ..."',
    summary: "several commands in one request (get; show [state]; ...)",
    plan: planGroup,
  }),
];
