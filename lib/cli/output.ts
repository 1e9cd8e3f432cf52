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
  type BinOp,
  defaultServerVariables,
  Defs,
  type ExprAst,
  type Node,
  parseDefs,
  parseExpression,
  parseNode,
  printDefs,
  printNode,
  type Repeat,
  resolvePath,
  type Suite,
  type Task,
  type Variable,
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

// ------------------------------------------------------------------ STATE style
// What ecflow_client computes itself when it prints STATE style: generated
// variables (`# edit NAME 'value'`) and trigger evaluation trees.

const DAY_NAMES = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];
const MONTH_NAMES = [
  "january",
  "february",
  "march",
  "april",
  "may",
  "june",
  "july",
  "august",
  "september",
  "october",
  "november",
  "december",
];
const MONTHS: Record<string, number> = {
  Jan: 1,
  Feb: 2,
  Mar: 3,
  Apr: 4,
  May: 5,
  Jun: 6,
  Jul: 7,
  Aug: 8,
  Sep: 9,
  Oct: 10,
  Nov: 11,
  Dec: 12,
};

const pad2 = (n: number) => String(n).padStart(2, "0");

/** Julian day number of a Gregorian date (boost's `julian_day`). */
function julianDay(y: number, m: number, d: number): number {
  const a = Math.floor((14 - m) / 12);
  const yy = y + 4800 - a;
  const mm = m + 12 * a - 3;
  return d + Math.floor((153 * mm + 2) / 5) + 365 * yy + Math.floor(yy / 4) -
    Math.floor(yy / 100) + Math.floor(yy / 400) - 32045;
}

/** Day of week, Sunday = 0. */
function dayOfWeek(y: number, m: number, d: number): number {
  return (julianDay(y, m, d) + 1) % 7;
}

function ymd(n: number): [number, number, number] {
  return [Math.floor(n / 10000), Math.floor(n / 100) % 100, n % 100];
}

function validDate(n: number): boolean {
  const [y, m, d] = ymd(n);
  if (m < 1 || m > 12 || d < 1) return false;
  const dim = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d <= dim;
}

function clamp(value: number, start: number, end: number, delta: number): number {
  if (delta > 0) return Math.min(Math.max(value, start), end);
  return Math.max(Math.min(value, start), end);
}

function repeatVariables(r: Repeat): Variable[] {
  const v = (name: string, value: string) => ({ name, value });
  switch (r.kind) {
    case "integer":
      return [v(r.name, String(clamp(r.value, r.start, r.end, r.delta)))];
    case "date":
    case "datelist": {
      let current: number, isValid: boolean;
      if (r.kind === "date") {
        current = clamp(r.value, r.start, r.end, r.delta);
        isValid = r.delta > 0
          ? r.value >= r.start && r.value <= r.end
          : r.value <= r.start && r.value >= r.end;
      } else {
        const i = Math.min(Math.max(r.index, 0), r.values.length - 1);
        current = r.values.length ? r.values[i] : 0;
        isValid = r.index >= 0 && r.index < r.values.length;
      }
      const out = {
        YYYY: "<invalid>",
        MM: "<invalid>",
        DD: "<invalid>",
        DOW: "",
        JULIAN: "<invalid>",
      };
      if (isValid && validDate(current)) {
        const [y, m, d] = ymd(current);
        Object.assign(out, {
          YYYY: String(y),
          MM: String(m),
          DD: String(d),
          DOW: String(dayOfWeek(y, m, d)),
          JULIAN: String(julianDay(y, m, d)),
        });
      }
      return [
        v(`${r.name}_YYYY`, out.YYYY),
        v(`${r.name}_MM`, out.MM),
        v(`${r.name}_DD`, out.DD),
        v(`${r.name}_DOW`, out.DOW),
        v(`${r.name}_JULIAN`, out.JULIAN),
        v(r.name, String(current)),
      ];
    }
    case "enumerated":
    case "string": {
      const i = Math.min(Math.max(r.index, 0), r.values.length - 1);
      return [v(r.name, r.values.length ? r.values[i] : "")];
    }
    default:
      return [];
  }
}

/** A user variable of the node or its ancestors, then of the definition (ecFlow's findParentUserVariableValue). */
function inheritedVariable(node: Node, name: string): string | undefined {
  for (let n: Node | undefined = node; n; n = n.parent) {
    const found = n.variables.find((x) => x.name === name);
    if (found) return found.value;
  }
  const defs = rootDefs(node);
  return (defs?.userVariables.find((x) => x.name === name) ??
    defs?.serverVariables.find((x) => x.name === name))?.value;
}

function rootDefs(node: Node): Defs | undefined {
  let n: Node = node;
  while (n.parent) n = n.parent;
  return n.defs;
}

function suiteVariables(s: Suite): Variable[] {
  const names = [
    "SUITE",
    "ECF_DATE",
    "YYYY",
    "DOW",
    "DOY",
    "DATE",
    "DAY",
    "DD",
    "MM",
    "MONTH",
    "ECF_CLOCK",
    "ECF_TIME",
    "ECF_JULIAN",
    "TIME",
  ];
  const values: Record<string, string> = Object.fromEntries(names.map((n) => [n, ""]));
  values.SUITE = s.name;
  const m = s.begun && s.calendar
    ? /^(\d{4})-([A-Z][a-z]{2})-(\d{2}) (\d{2}):(\d{2})/.exec(s.calendar.suiteTime)
    : null;
  if (m) {
    const [y, mo, d, hh, mi] = [Number(m[1]), MONTHS[m[2]], Number(m[3]), m[4], m[5]];
    const dow = dayOfWeek(y, mo, d);
    const doy = julianDay(y, mo, d) - julianDay(y, 1, 1) + 1;
    Object.assign(values, {
      ECF_DATE: `${y}${pad2(mo)}${pad2(d)}`,
      YYYY: String(y),
      DOW: String(dow),
      DOY: String(doy),
      DATE: `${pad2(d)}.${pad2(mo)}.${y}`,
      DAY: DAY_NAMES[dow],
      DD: pad2(d),
      MM: pad2(mo),
      MONTH: MONTH_NAMES[mo - 1],
      ECF_CLOCK: `${DAY_NAMES[dow]}:${MONTH_NAMES[mo - 1]}:${dow}:${doy}`,
      ECF_TIME: `${hh}:${mi}`,
      ECF_JULIAN: String(julianDay(y, mo, d)),
      TIME: `${hh}${mi}`,
    });
  }
  return names.map((name) => ({ name, value: values[name] }));
}

/**
 * The variables ecFlow generates for a node, in ecflow_client's STATE order:
 * suite (repeat first), family (`FAMILY`, `FAMILY1`, then repeat), task
 * (`TASK`, `ECF_JOB`, …, then repeat).
 */
export function generatedVariables(node: Node): Variable[] {
  const repeat = node.repeat ? repeatVariables(node.repeat) : [];
  if (node.kind === "suite") return [...repeat, ...suiteVariables(node as Suite)];
  const path = node.absPath;
  if (node.kind === "family") {
    const second = path.indexOf("/", 1);
    return [
      { name: "FAMILY", value: path.slice(second + 1) },
      { name: "FAMILY1", value: node.name },
      ...repeat,
    ];
  }
  const sub = node as Task;
  const home = inheritedVariable(node, "ECF_HOME") ?? "";
  const out = inheritedVariable(node, "ECF_OUT");
  const extn = node.kind === "alias" ? ".usr" : inheritedVariable(node, "ECF_EXTN") ?? ".ecf";
  const tryNo = String(sub.tryNo ?? 0);
  return [
    { name: "TASK", value: node.kind === "alias" && node.parent ? node.parent.name : node.name },
    { name: "ECF_JOB", value: `${home}${path}.job${tryNo}` },
    { name: "ECF_SCRIPT", value: `${home}${path}${extn}` },
    { name: "ECF_JOBOUT", value: `${out || home}${path}.${tryNo}` },
    { name: "ECF_TRYNO", value: tryNo },
    { name: "ECF_RID", value: sub.rid ?? "" },
    { name: "ECF_NAME", value: path },
    { name: "ECF_PASS", value: sub.password ?? "" },
    ...repeat,
  ];
}

/** ecFlow's DState numbering, as the trees print it. */
const DSTATE = ["unknown", "complete", "queued", "aborted", "submitted", "active", "suspended"];

function dstate(n: Node): string {
  return n.suspended ? "suspended" : n.state;
}

const ROOT_NAME: Record<BinOp, string> = {
  and: "AND",
  or: "OR",
  "==": "EQUAL",
  "!=": "NOT_EQUAL",
  "<": "LESS_THAN",
  "<=": "LESS_EQUAL",
  ">": "GREATER_THAN",
  ">=": "GREATER_EQUAL",
  "+": "PLUS",
  "-": "MINUS",
  "*": "MULTIPLY",
  "/": "DIVIDE",
  "%": "Modulo",
};

const intOf = (s: string) => (/^[-+]?\d+$/.test(s.trim()) ? parseInt(s, 10) : 0);

/** Evaluates expressions against a fetched definition as ecFlow's AST does. */
class TreeEvaluator {
  /** `defs` undefined: the node was fetched alone and no reference resolves (as ecFlow). */
  constructor(readonly defs: Defs | undefined, readonly from: Node) {}

  node(path: string): Node | undefined {
    return this.defs ? resolvePath(this.defs, this.from, path) : undefined;
  }

  /** The attribute `name` of `n` as (kind, value) in ecFlow's lookup order. */
  attribute(n: Node, name: string): { text: string; value: number } | undefined {
    const ev = n.events.find((e) => e.name === name || String(e.number) === name);
    if (ev) return { text: `EVENT value(${ev.value ? 1 : 0})`, value: ev.value ? 1 : 0 };
    const me = n.meters.find((m) => m.name === name);
    if (me) return { text: `METER value(${me.value})`, value: me.value };
    const va = n.variables.find((v) => v.name === name);
    if (va) return { text: `USER-VARIABLE value(${intOf(va.value)})`, value: intOf(va.value) };
    const r = n.repeat;
    if (r && r.kind !== "day" && r.name === name) {
      const raw = r.kind === "integer" || r.kind === "date"
        ? r.value
        : r.kind === "datelist"
        ? (r.index >= 0 && r.index < r.values.length ? r.values[r.index] : 0)
        : r.kind === "enumerated"
        ? (r.index >= 0 && r.index < r.values.length && /^[-+]?\d+$/.test(r.values[r.index])
          ? parseInt(r.values[r.index], 10)
          : r.index)
        : r.kind === "string"
        ? r.index
        : 0;
      return { text: `REPEAT value(${raw})`, value: this.repeatLastValid(r) };
    }
    const gen = generatedVariables(n).find((v) => v.name === name);
    if (gen) return { text: `GEN-VARIABLE value(${intOf(gen.value)})`, value: intOf(gen.value) };
    const li = n.limits.find((l) => l.name === name);
    if (li) return { text: `limit ${li.name} ${li.max} value(${li.value})`, value: li.value };
    const q = n.queues.find((x) => x.name === name);
    if (q) return { text: `QUEUE ${q.name} value(${q.index})`, value: q.index };
    return undefined;
  }

  repeatLastValid(r: Repeat): number {
    switch (r.kind) {
      case "integer":
      case "date":
        return clamp(r.value, r.start, r.end, r.delta);
      case "datelist":
        return r.values.length ? r.values[Math.min(Math.max(r.index, 0), r.values.length - 1)] : 0;
      case "enumerated": {
        if (!r.values.length) return 0;
        const i = Math.min(Math.max(r.index, 0), r.values.length - 1);
        return /^[-+]?\d+$/.test(r.values[i]) ? parseInt(r.values[i], 10) : i;
      }
      case "string":
        return r.values.length ? Math.min(Math.max(r.index, 0), r.values.length - 1) : 0;
      default:
        return 0;
    }
  }

  parentVariableNode(name: string): Node | undefined {
    for (let n: Node | undefined = this.from; n; n = n.parent) {
      if (this.attribute(n, name)) return n;
    }
    return undefined;
  }

  value(e: ExprAst): number {
    switch (e.t) {
      case "int":
        return e.value;
      case "state":
        return DSTATE.indexOf(e.value);
      case "event":
        return e.value === "set" ? 1 : 0;
      case "node": {
        const n = this.node(e.path);
        return n ? DSTATE.indexOf(dstate(n)) : 0;
      }
      case "attr": {
        const n = this.node(e.path);
        return n ? this.attribute(n, e.name)?.value ?? 0 : 0;
      }
      case "parentVar": {
        const n = this.parentVariableNode(e.name);
        return n ? this.attribute(n, e.name)?.value ?? 0 : 0;
      }
      case "flag": {
        const n = e.path === "/" ? undefined : this.node(e.path);
        if (n) return n.flags.includes(e.flag) ? 1 : 0;
        return e.path === "/" && this.defs?.flags.includes(e.flag) ? 1 : 0;
      }
      case "call": {
        const v = this.value(e.arg);
        if (e.fn.endsWith("date_to_julian")) {
          const [y, m, d] = ymd(v);
          return julianDay(y, m, d);
        }
        return v;
      }
      case "not":
        return this.evaluate(e.expr) ? 0 : 1;
      case "neg":
        return -this.value(e.expr);
      case "bin": {
        const l = this.value(e.left), r = this.value(e.right);
        switch (e.op) {
          case "+":
            return l + r;
          case "-":
            return l - r;
          case "*":
            return l * r;
          case "/":
            return r === 0 ? 0 : Math.trunc(l / r);
          case "%":
            return r === 0 ? 0 : l % r;
          default:
            return this.evaluate(e) ? 1 : 0;
        }
      }
    }
  }

  evaluate(e: ExprAst): boolean {
    if (e.t === "not") return !this.evaluate(e.expr);
    if (e.t !== "bin") return this.value(e) !== 0;
    const l = () => this.value(e.left), r = () => this.value(e.right);
    switch (e.op) {
      case "and":
        return this.evaluate(e.left) && this.evaluate(e.right);
      case "or":
        return this.evaluate(e.left) || this.evaluate(e.right);
      case "==":
        return l() === r();
      case "!=":
        return l() !== r();
      case "<":
        return l() < r();
      case "<=":
        return l() <= r();
      case ">":
        return l() > r();
      case ">=":
        return l() >= r();
      default:
        return true; // arithmetic roots
    }
  }

  /** Lines of the tree for `e` printed at `level` (two spaces per level). */
  print(e: ExprAst, level: number, out: string[]): void {
    const ind = "  ".repeat(level);
    const leaf = (text: string): void => {
      out.push(ind + "# " + text);
    };
    switch (e.t) {
      case "int":
        return leaf(`INTEGER ${e.value}`);
      case "neg":
        return leaf(`INTEGER ${this.value(e)}`);
      case "state":
        return leaf(`NODE_STATE ${e.value}(${DSTATE.indexOf(e.value)})`);
      case "event":
        return leaf(`EVENT_STATE ${e.value === "set" ? 1 : 0}`);
      case "node": {
        const n = this.node(e.path);
        return leaf(
          n
            ? `NODE ${e.path} ${dstate(n)}(${DSTATE.indexOf(dstate(n))})`
            : `NODE node(?not-found?) ${e.path} unknown(0) # check suite filter`,
        );
      }
      case "attr": {
        const n = this.node(e.path);
        const a = n ? this.attribute(n, e.name) : undefined;
        return leaf(
          n && a
            ? `${e.path}:${e.name} node(${n.name}) ${a.text}`
            : `${e.path}:${e.name} node(?not-found?) ${e.path} value(0) # check suite filter`,
        );
      }
      case "parentVar": {
        const n = this.parentVariableNode(e.name);
        const a = n ? this.attribute(n, e.name) : undefined;
        return leaf(
          n && a
            ? `:${e.name} node(${n.name}) ${a.text}`
            : `:${e.name} node(?not-found?) value(0) # check suite filter`,
        );
      }
      case "flag": {
        const n = e.path === "/" ? undefined : this.node(e.path);
        return leaf(
          n
            ? `FLAG_NODE ${e.path} ${e.flag}(${n.flags.includes(e.flag) ? 1 : 0})`
            : `FLAG_NODE node(?not-found?) ${e.path} ${e.flag}(0) # check suite filter`,
        );
      }
      case "call":
        return leaf(
          `${e.fn.endsWith("date_to_julian") ? "DATE_TO_JULIAN" : "JULIAN_TO_DATE"} ${
            this.value(e)
          }`,
        );
      case "not":
        out.push(`${ind}# NOT (${this.evaluate(e)})`);
        return this.child(e.expr, level, out);
      case "bin": {
        const name = ROOT_NAME[e.op];
        const arithmetic = ["+", "-", "*", "/", "%"].includes(e.op);
        out.push(
          `${ind}# ${name} ${arithmetic ? `value(${this.value(e)})` : `(${this.evaluate(e)})`}`,
        );
        this.child(e.left, level, out);
        this.child(e.right, level, out);
      }
    }
  }

  /** A child of a root: one level deeper (leaves add their own level, roots get one). */
  child(e: ExprAst, level: number, out: string[]): void {
    this.print(e, level + 1, out);
  }
}

/**
 * The comment block ecflow_client prints under a trigger or complete in STATE
 * style: `# Trigger Evaluation Tree` and the evaluated AST.
 */
export function expressionTree(node: Node, kind: "trigger" | "complete"): string[] {
  const e = node[kind];
  if (!e) return [];
  let ast: ExprAst;
  try {
    ast = parseExpression(
      e.parts.map((p, i) => i === 0 ? p.text : `${p.type === "and" ? " and " : " or "}${p.text}`)
        .join(""),
    );
  } catch {
    return [];
  }
  const defs = rootDefs(node);
  const out = defs ? [] : ["  # Warning: Full/correct AST evaluation requires the definition"];
  out.push("  # Trigger Evaluation Tree");
  new TreeEvaluator(defs, node).print(ast, 2, out);
  return out;
}

/** The STATE-style hooks for the defs printer. */
export const STATE_EXTRAS = { generatedVariables, expressionTree };
