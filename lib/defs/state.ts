/**
 * What ecFlow adds when it prints a definition in STATE style (`ecflow_client --get_state`,
 * Python's `PrintStyle.STATE`): generated variables (`# edit ECF_JOB '…'`) and trigger /
 * complete evaluation trees (`# Trigger Evaluation Tree`). Values are computed from the
 * definition's current state, as ecFlow 5.9.2 does.
 *
 * @module
 */

import { type ExprAst, parseExpression } from "./expr.ts";
import { resolvePath } from "./check.ts";
import {
  DAY_NAMES,
  type Defs,
  type Node,
  type Repeat,
  type Suite,
  type Task,
  type Variable,
} from "./model.ts";
import { MONTH_ABBREVIATIONS, SUITE_CALENDAR_VARIABLES } from "./values.ts";
import type { StateExtras } from "./printer.ts";

const DSTATES = ["unknown", "complete", "queued", "aborted", "submitted", "active", "suspended"];
const MONTHS = [
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

/**
 * Julian day number of a yyyymmdd date (ecFlow's Cal::date_to_julian).
 *
 * @example
 * ```ts
 * import { dateToJulian } from "@ecflow-ts/client";
 * console.log(dateToJulian(20240101)); // 2460311
 * ```
 */
export function dateToJulian(ymd: number): number {
  const y = Math.floor(ymd / 10000), m = Math.floor((ymd % 10000) / 100), d = ymd % 100;
  const a = Math.floor((14 - m) / 12);
  const yy = y + 4800 - a, mm = m + 12 * a - 3;
  return d + Math.floor((153 * mm + 2) / 5) + 365 * yy + Math.floor(yy / 4) - Math.floor(yy / 100) +
    Math.floor(yy / 400) - 32045;
}

/**
 * yyyymmdd of a julian day number (ecFlow's Cal::julian_to_date).
 *
 * @example
 * ```ts
 * import { julianToDate } from "@ecflow-ts/client";
 * console.log(julianToDate(2460311)); // 20240101
 * ```
 */
export function julianToDate(jd: number): number {
  const a = jd + 32044;
  const b = Math.floor((4 * a + 3) / 146097);
  const c = a - Math.floor((146097 * b) / 4);
  const d = Math.floor((4 * c + 3) / 1461);
  const e = c - Math.floor((1461 * d) / 4);
  const m = Math.floor((5 * e + 2) / 153);
  const day = e - Math.floor((153 * m + 2) / 5) + 1;
  const month = m + 3 - 12 * Math.floor(m / 10);
  const year = 100 * b + d - 4800 + Math.floor(m / 10);
  return year * 10000 + month * 100 + day;
}

/** ecFlow's Str::to_int: the integer value of a string, or 0. */
function toInt(s: string): number {
  return /^[-+]?\d+$/.test(s) ? parseInt(s, 10) | 0 : 0;
}

function dstate(n: Node): string {
  return n.suspended ? "suspended" : n.state;
}

/** Current value of a repeat clamped to its range (ecFlow's last_valid_value). */
function lastValid(r: Repeat): number {
  switch (r.kind) {
    case "integer":
    case "date": {
      const lo = r.delta > 0 ? r.start : r.end, hi = r.delta > 0 ? r.end : r.start;
      return Math.min(Math.max(r.value, lo), hi);
    }
    case "datelist": {
      if (r.values.length === 0) return 0;
      return r.values[Math.min(Math.max(r.index, 0), r.values.length - 1)];
    }
    case "enumerated": {
      if (r.values.length === 0) return 0;
      if (r.index < 0) return toIntOr(r.values[0], 0);
      if (r.index >= r.values.length) {
        return toIntOr(r.values[r.values.length - 1], r.values.length - 1);
      }
      return toIntOr(r.values[r.index], r.index);
    }
    case "string":
    case "datetimelist":
      return r.values.length === 0 ? 0 : Math.min(Math.max(r.index, 0), r.values.length - 1);
    default:
      return 0;
  }
}

function toIntOr(s: string, fallback: number): number {
  return /^[-+]?\d+$/.test(s) ? parseInt(s, 10) : fallback;
}

/** The `value()` of a repeat as ecFlow prints it in a tree (`REPEAT value(…)`). */
function repeatValue(r: Repeat): number {
  switch (r.kind) {
    case "integer":
    case "date":
      return r.value;
    case "datelist":
      return r.index >= 0 && r.index < r.values.length ? r.values[r.index] : 0;
    case "enumerated":
      return r.index >= 0 && r.index < r.values.length
        ? toIntOr(r.values[r.index], r.index)
        : r.index;
    case "string":
    case "datetimelist":
      return r.index;
    default:
      return 0;
  }
}

function repeatAsString(r: Repeat): string {
  switch (r.kind) {
    case "integer":
    case "date":
    case "datelist":
      return String(lastValid(r));
    case "enumerated":
    case "string":
    case "datetimelist":
      return r.values.length === 0
        ? ""
        : r.values[Math.min(Math.max(r.index, 0), r.values.length - 1)];
    case "datetime":
      return r.value;
    default:
      return "";
  }
}

function repeatGenVariables(r: Repeat | undefined): Variable[] {
  if (!r) return [];
  if (r.kind === "day") return [{ name: "day", value: "" }];
  const out: Variable[] = [];
  if (r.kind === "date" || r.kind === "datelist") {
    const v = lastValid(r);
    const y = Math.floor(v / 10000), m = Math.floor((v % 10000) / 100), d = v % 100;
    const dow = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
    out.push(
      { name: r.name + "_YYYY", value: String(y) },
      { name: r.name + "_MM", value: String(m) },
      { name: r.name + "_DD", value: String(d) },
      { name: r.name + "_DOW", value: String(dow) },
      { name: r.name + "_JULIAN", value: String(dateToJulian(v)) },
    );
  }
  out.push({ name: r.name, value: repeatAsString(r) });
  return out;
}

/** Parsed `YYYY-Mon-DD HH:MM:SS` → [y, m, d, h, min]. */
function parsePtime(s: string): [number, number, number, number, number] | undefined {
  const m = /^(\d{4})-([A-Z][a-z]{2})-(\d{2}) (\d{2}):(\d{2})/.exec(s);
  if (!m) return undefined;
  return [+m[1], MONTH_ABBREVIATIONS.indexOf(m[2]) + 1, +m[3], +m[4], +m[5]];
}

function suiteGenVariables(s: Suite): Variable[] {
  const names = SUITE_CALENDAR_VARIABLES;
  const values: Record<string, string> = {};
  const t = s.begun && s.calendar ? parsePtime(s.calendar.suiteTime) : undefined;
  if (t) {
    const [y, m, d, h, mi] = t;
    const p2 = (n: number) => String(n).padStart(2, "0");
    const dow = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
    const doy = Math.round((Date.UTC(y, m - 1, d) - Date.UTC(y, 0, 1)) / 86400000) + 1;
    values.ECF_DATE = `${y}${p2(m)}${p2(d)}`;
    values.YYYY = String(y);
    values.DOW = String(dow);
    values.DOY = String(doy);
    values.DATE = `${p2(d)}.${p2(m)}.${String(y).padStart(4, "0")}`;
    values.DAY = DAY_NAMES[dow];
    values.DD = p2(d);
    values.MM = p2(m);
    values.MONTH = MONTHS[m - 1];
    values.ECF_CLOCK = `${DAY_NAMES[dow]}:${MONTHS[m - 1]}:${dow}:${doy}`;
    values.ECF_TIME = `${p2(h)}:${p2(mi)}`;
    values.ECF_JULIAN = String(dateToJulian(y * 10000 + m * 100 + d));
    values.TIME = `${p2(h)}${p2(mi)}`;
  }
  return [
    { name: "SUITE", value: s.name },
    ...names.map((name) => ({ name, value: values[name] ?? "" })),
  ];
}

/** A variable's value searched up the tree, then among the server's user and server variables. */
function inheritedValue(node: Node, defs: Defs | undefined, name: string): string {
  for (let n: Node | undefined = node; n; n = n.parent) {
    const v = n.variable(name);
    if (v) return v.value;
  }
  if (defs) {
    const v = defs.userVariables.find((x) => x.name === name) ??
      defs.serverVariables.find((x) => x.name === name);
    if (v) return v.value;
  }
  return "";
}

function substitute(node: Node, defs: Defs | undefined, s: string): string {
  return s.replace(/%([A-Za-z0-9_.]+)%/g, (all, name: string) => {
    const v = inheritedValue(node, defs, name);
    return v !== "" ? v : all;
  });
}

/**
 * The generated variables ecFlow shows for a node in STATE style, in ecFlow's order.
 *
 * @example
 * ```ts
 * import { generatedVariables, parseDefs } from "@ecflow-ts/client";
 * const defs = parseDefs("suite s\n  edit ECF_HOME '/h'\n  task t\nendsuite\n");
 * console.log(generatedVariables(defs.find("/s/t")!, defs)[1]); // { name: "ECF_JOB", value: "/h/s/t.job0" }
 * ```
 */
export function generatedVariables(node: Node, defs?: Defs): Variable[] {
  const repeatVars = repeatGenVariables(node.repeat);
  switch (node.kind) {
    case "suite":
      return [...repeatVars, ...suiteGenVariables(node as Suite)];
    case "family": {
      const p = node.absPath;
      return [
        { name: "FAMILY", value: p.slice(p.indexOf("/", 1) + 1) },
        { name: "FAMILY1", value: node.name },
        ...repeatVars,
      ];
    }
    default: {
      const t = node as Task;
      const path = node.absPath;
      const home = inheritedValue(node, defs, "ECF_HOME");
      const tryNo = String(t.tryNo);
      const extn = node.kind === "alias"
        ? ".usr"
        : inheritedValue(node, defs, "ECF_EXTN") || ".ecf";
      let out = inheritedValue(node, defs, "ECF_OUT");
      if (out.indexOf("%") >= 0) out = substitute(node, defs, out);
      return [
        {
          name: "TASK",
          value: node.kind === "alias" && node.parent ? node.parent.name : node.name,
        },
        { name: "ECF_JOB", value: home + path + ".job" + tryNo },
        { name: "ECF_SCRIPT", value: home + path + extn },
        { name: "ECF_JOBOUT", value: (out !== "" ? out : home) + path + "." + tryNo },
        { name: "ECF_TRYNO", value: tryNo },
        { name: "ECF_RID", value: t.rid },
        { name: "ECF_NAME", value: path },
        { name: "ECF_PASS", value: t.password },
        ...repeatVars,
      ];
    }
  }
}

// ------------------------------------------------------------------ evaluation trees

interface Ctx {
  defs: Defs | undefined;
  node: Node;
}

function refNode(ctx: Ctx, path: string): Node | undefined {
  if (!ctx.defs) return undefined;
  return resolvePath(ctx.defs, ctx.node, path);
}

/** ecFlow's findExprVariableValue on `n`. */
function exprVarValue(n: Node, name: string, defs: Defs | undefined): number {
  const ev = n._events?.find((e) =>
    e.name === name || (e.number !== undefined && String(e.number) === name)
  );
  if (ev) return ev.value ? 1 : 0;
  const m = n._meters?.find((x) => x.name === name);
  if (m) return m.value;
  const v = n.variable(name);
  if (v) return toInt(v.value);
  if (n.repeat && n.repeat.kind !== "day" && n.repeat.name === name) return lastValid(n.repeat);
  const g = generatedVariables(n, defs).find((x) => x.name === name);
  if (g) return toInt(g.value);
  const l = n._limits?.find((x) => x.name === name);
  if (l) return l.value;
  const q = n._queues?.find((x) => x.name === name);
  if (q) return q.index;
  return 0;
}

function exprVarDescribe(n: Node, name: string, defs: Defs | undefined): string {
  const ev = n._events?.find((e) =>
    e.name === name || (e.number !== undefined && String(e.number) === name)
  );
  if (ev) return `EVENT value(${ev.value ? 1 : 0})`;
  const m = n._meters?.find((x) => x.name === name);
  if (m) return `METER value(${m.value})`;
  const v = n.variable(name);
  if (v) return `USER-VARIABLE value(${toInt(v.value)})`;
  if (n.repeat && n.repeat.kind !== "day" && n.repeat.name === name) {
    return `REPEAT value(${repeatValue(n.repeat)})`;
  }
  const g = generatedVariables(n, defs).find((x) => x.name === name);
  if (g) return `GEN-VARIABLE value(${toInt(g.value)})`;
  const l = n._limits?.find((x) => x.name === name);
  if (l) return `limit ${l.name} ${l.max} value(${l.value})`;
  const q = n._queues?.find((x) => x.name === name);
  if (q) return `QUEUE ${q.name} value(${q.index})`;
  return "";
}

function isDateRepeat(n: Node, name: string): boolean {
  const r = n.repeat;
  return !!r && (r.kind === "date" || r.kind === "datelist") && r.name === name;
}

function parentVarNode(ctx: Ctx, name: string): Node | undefined {
  for (let n: Node | undefined = ctx.node; n; n = n.parent) {
    if (exprVarDescribe(n, name, ctx.defs) !== "") return n;
  }
  return undefined;
}

function value(ctx: Ctx, e: ExprAst): number {
  switch (e.t) {
    case "int":
      return e.value;
    case "state":
      return DSTATES.indexOf(e.value);
    case "event":
      return e.value === "set" ? 1 : 0;
    case "node": {
      const n = refNode(ctx, e.path);
      return n ? DSTATES.indexOf(dstate(n)) : 0;
    }
    case "attr": {
      const n = refNode(ctx, e.path);
      return n ? exprVarValue(n, e.name, ctx.defs) : 0;
    }
    case "parentVar": {
      const n = parentVarNode(ctx, e.name);
      return n ? exprVarValue(n, e.name, ctx.defs) : 0;
    }
    case "flag": {
      if (e.path === "/") return ctx.defs?.flags.includes(e.flag) ? 1 : 0;
      const n = refNode(ctx, e.path);
      return n?._flags?.includes(e.flag) ? 1 : 0;
    }
    case "call": {
      const a = value(ctx, e.arg);
      return e.fn === "date_to_julian" ? dateToJulian(a) : julianToDate(a);
    }
    case "not":
      return value(ctx, e.expr) ? 0 : 1;
    case "neg":
      return -value(ctx, e.expr);
    case "bin":
      switch (e.op) {
        case "+":
          return plusMinus(ctx, e.left, value(ctx, e.right), 1);
        case "-":
          return plusMinus(ctx, e.left, value(ctx, e.right), -1);
        case "*":
          return Math.imul(value(ctx, e.left), value(ctx, e.right));
        case "/": {
          const r = value(ctx, e.right);
          return r === 0 ? 0 : Math.trunc(value(ctx, e.left) / r);
        }
        case "%": {
          const r = value(ctx, e.right);
          return r === 0 ? 0 : value(ctx, e.left) % r;
        }
        default:
          return evaluate(ctx, e) ? 1 : 0;
      }
  }
}

/** `left + v` / `left - v`, with julian arithmetic for date repeats like ecFlow. */
function plusMinus(ctx: Ctx, left: ExprAst, v: number, sign: 1 | -1): number {
  if (left.t === "attr" || left.t === "parentVar") {
    const n = left.t === "attr" ? refNode(ctx, left.path) : parentVarNode(ctx, left.name);
    if (!n) return left.t === "attr" && sign < 0 ? -v : v;
    if (isDateRepeat(n, left.name) && n.repeat) {
      const last = lastValid(n.repeat);
      if (last === 0) return 0;
      return julianToDate(dateToJulian(last) + sign * v);
    }
    return exprVarValue(n, left.name, ctx.defs) + sign * v;
  }
  return value(ctx, left) + sign * v;
}

function evaluate(ctx: Ctx, e: ExprAst): boolean {
  if (e.t === "not") return !evaluate(ctx, e.expr);
  if (e.t !== "bin") return value(ctx, e) !== 0;
  switch (e.op) {
    case "and":
      return evaluate(ctx, e.left) && evaluate(ctx, e.right);
    case "or":
      return evaluate(ctx, e.left) || evaluate(ctx, e.right);
    case "==":
      return value(ctx, e.left) === value(ctx, e.right);
    case "!=":
      return value(ctx, e.left) !== value(ctx, e.right);
    case "<":
      return value(ctx, e.left) < value(ctx, e.right);
    case "<=":
      return value(ctx, e.left) <= value(ctx, e.right);
    case ">":
      return value(ctx, e.left) > value(ctx, e.right);
    case ">=":
      return value(ctx, e.left) >= value(ctx, e.right);
    default:
      return true;
  }
}

const BIN_NAMES: Record<string, string> = {
  and: "AND",
  or: "OR",
  "==": "EQUAL",
  "!=": "NOT_EQUAL",
  "<": "LESS_THAN",
  "<=": "LESS_EQUAL",
  ">": "GREATER_THAN",
  ">=": "GREATER_EQUAL",
};
const ARITH_NAMES: Record<string, string> = {
  "+": "PLUS",
  "-": "MINUS",
  "*": "MULTIPLY",
  "/": "DIVIDE",
  "%": "Modulo",
};

function isRoot(e: ExprAst): boolean {
  return e.t === "bin" || e.t === "not";
}

/** Lines of one tree node at `level` (2 spaces per level). */
function printTree(ctx: Ctx, e: ExprAst, level: number, out: string[]): void {
  const pad = (l: number) => " ".repeat(l * 2);
  if (e.t === "neg") e = { t: "bin", op: "-", left: { t: "int", value: 0 }, right: e.expr };
  if (e.t === "bin" || e.t === "not") {
    let head: string;
    if (e.t === "not") head = `# NOT (${evaluate(ctx, e) ? "true" : "false"})`;
    else if (e.op in BIN_NAMES) {
      head = `# ${BIN_NAMES[e.op]} (${evaluate(ctx, e) ? "true" : "false"})`;
    } else head = `# ${ARITH_NAMES[e.op]} value(${value(ctx, e)})`;
    out.push(pad(level) + head);
    const kids = e.t === "not" ? [e.expr] : [e.left, e.right];
    for (const k of kids) printTree(ctx, k, isRoot(k) ? level + 1 : level, out);
    return;
  }
  const p = pad(level + 1);
  switch (e.t) {
    case "int":
      out.push(p + `# INTEGER ${e.value}`);
      return;
    case "state":
      out.push(p + `# NODE_STATE ${e.value}(${DSTATES.indexOf(e.value)})`);
      return;
    case "event":
      out.push(p + `# EVENT_STATE ${e.value === "set" ? 1 : 0}`);
      return;
    case "node": {
      const n = refNode(ctx, e.path);
      if (n) {
        const s = dstate(n);
        out.push(p + `# NODE ${e.path} ${s}(${DSTATES.indexOf(s)})`);
      } else out.push(p + `# NODE node(?not-found?) ${e.path} unknown(0) # check suite filter`);
      return;
    }
    case "flag": {
      const n = e.path === "/" ? undefined : refNode(ctx, e.path);
      if (n) out.push(p + `# FLAG_NODE ${e.path} ${e.flag}(${n._flags?.includes(e.flag) ? 1 : 0})`);
      else {out.push(
          p + `# FLAG_NODE node(?not-found?) ${e.path} ${e.flag}(0) # check suite filter`,
        );}
      return;
    }
    case "attr": {
      const n = refNode(ctx, e.path);
      if (n) {
        out.push(
          p + `# ${e.path}:${e.name} node(${n.name}) ${exprVarDescribe(n, e.name, ctx.defs)}`,
        );
      } else {out.push(
          p + `# ${e.path}:${e.name} node(?not-found?) ${e.path} value(0) # check suite filter`,
        );}
      return;
    }
    case "parentVar": {
      const n = parentVarNode(ctx, e.name);
      if (n) out.push(p + `# :${e.name} node(${n.name}) ${exprVarDescribe(n, e.name, ctx.defs)}`);
      else out.push(p + `# :${e.name} node(?not-found?) value(0) # check suite filter`);
      return;
    }
    case "call":
      out.push(
        p + `# ${e.fn === "date_to_julian" ? "DATE_TO_JULIAN" : "JULIAN_TO_DATE"} ${value(ctx, e)}`,
      );
      return;
  }
}

/**
 * The `# Trigger Evaluation Tree` comment block ecFlow prints under a trigger or complete in
 * STATE style; lines are relative to the trigger line's indentation.
 *
 * @example
 * ```ts
 * import { expressionTree, parseDefs } from "@ecflow-ts/client";
 * const defs = parseDefs("suite s\n  task a\n  task b\n    trigger a == complete\nendsuite\n");
 * console.log(expressionTree(defs.find("/s/b")!, "trigger", defs).join("\n"));
 * //   # Trigger Evaluation Tree
 * //     # EQUAL (false)
 * //       # NODE a unknown(0)
 * //       # NODE_STATE complete(1)
 * ```
 */
export function expressionTree(node: Node, kind: "trigger" | "complete", defs?: Defs): string[] {
  const e = node[kind];
  if (!e) return [];
  // like ecFlow, each part is parsed on its own and the parts are folded left to right
  let ast: ExprAst | undefined;
  for (const p of e.parts) {
    let part: ExprAst;
    try {
      part = parseExpression(p.text);
    } catch {
      return [];
    }
    ast = ast === undefined
      ? part
      : { t: "bin", op: p.type === "or" ? "or" : "and", left: ast, right: part };
  }
  if (!ast) return [];
  const out: string[] = [];
  if (!defs) out.push("  # Warning: Full/correct AST evaluation requires the definition");
  out.push("  # Trigger Evaluation Tree");
  printTree({ defs, node }, ast, 2, out);
  return out;
}

/**
 * The {@link StateExtras} that make `printDefs(defs, { style: "state" })` print like
 * ecFlow 5.9.2 (generated variables and evaluation trees).
 *
 * @example
 * ```ts
 * import { parseDefs, printDefs, stateExtras } from "@ecflow-ts/client";
 * const defs = parseDefs("suite s\n  task t\nendsuite\n");
 * const text = printDefs(defs, { style: "state", stateExtras: stateExtras(defs) });
 * console.log(text.includes("# edit ECF_NAME '/s/t'")); // true
 * ```
 */
export function stateExtras(defs?: Defs): StateExtras {
  return {
    generatedVariables: (n) => generatedVariables(n, defs),
    expressionTree: (n, kind) => expressionTree(n, kind, defs),
  };
}
