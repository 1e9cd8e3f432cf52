/**
 * Checks a parsed definition the way `ecflow_client --load=file check_only` does:
 * trigger/complete expressions must parse and reference existing nodes (or externs),
 * autorestore references must exist, inlimit references should exist (warning).
 * Also computes the externs that `ecflow_client --get` adds before printing.
 *
 * @module
 */

import { SUITE_CALENDAR_VARIABLES } from "./values.ts";
import { parseDefs, type ParseOptions } from "./parser.ts";
import { DefsParseError } from "./errors.ts";
import { type ExprAst, ExprError, parseExpression, walkExpr } from "./expr.ts";
import { type Defs, EMPTY, type Expression, type Node } from "./model.ts";

/**
 * One problem found by {@link checkDefs}.
 *
 * @example
 * ```ts
 * import { type CheckIssue, checkDefsText } from "@ecflow-ts/client/defs";
 * import { assertEquals } from "@std/assert";
 * const issues: CheckIssue[] = checkDefsText("suite s\n task t\n  trigger x == complete\nendsuite\n").errors;
 * assertEquals(issues[0].line, 3);
 * assertEquals(issues[0].path, "/s/t");
 * ```
 */
export interface CheckIssue {
  /** `error` makes a load fail; `warning` is reported only. */
  severity: "error" | "warning";
  /** File name the definition was parsed from. */
  fileName: string;
  /** 1-based line of the node (or of the parse error). */
  line: number;
  /** 1-based column (1 unless known more precisely). */
  column: number;
  /** Absolute path of the node concerned ("" for parse errors). */
  path: string;
  /** Human readable message. */
  message: string;
}

/**
 * Options of {@link checkDefs}.
 *
 * @example
 * ```ts
 * import { checkDefsText } from "@ecflow-ts/client/defs";
 * import { assertEquals } from "@std/assert";
 * const text = "suite s\n task t\n  repeat datetime T 20240101T000000 20240102T000000\nendsuite\n";
 * assertEquals(checkDefsText(text, { serverVersion: "5.9.2" }).errors.length, 1);
 * assertEquals(checkDefsText(text).errors.length, 0);
 * ```
 */
export interface CheckOptions {
  /**
   * Version of the server the definition is meant for (e.g. `5.9.2`): syntax it does not
   * know (`aviso`, `mirror` before 5.13, `repeat datetime` before 5.14, `repeat datetimelist`
   * before 5.17) is reported as an error. Default: no version limit.
   */
  serverVersion?: string;
}

/** `5.9.2` → 5009002. */
function versionNumber(v: string): number {
  const [a = 0, b = 0, c = 0] = v.split(".").map((x) => parseInt(x, 10) || 0);
  return a * 1_000_000 + b * 1_000 + c;
}

/**
 * Result of {@link checkDefs} / {@link checkDefsText}.
 *
 * @example
 * ```ts
 * import { type CheckResult, checkDefsText } from "@ecflow-ts/client/defs";
 * import { assertEquals } from "@std/assert";
 * const r: CheckResult = checkDefsText("suite s\nendsuite\n");
 * assertEquals(r.errors.length, 0);
 * assertEquals(r.warnings.length, 0);
 * ```
 */
export interface CheckResult {
  /** Errors (a load would be refused). */
  errors: CheckIssue[];
  /** Warnings. */
  warnings: CheckIssue[];
}

const TASK_GEN = [
  "TASK",
  "ECF_JOB",
  "ECF_SCRIPT",
  "ECF_JOBOUT",
  "ECF_TRYNO",
  "ECF_RID",
  "ECF_NAME",
  "ECF_PASS",
];
const FAMILY_GEN = ["FAMILY", "FAMILY1"];
const SUITE_GEN = ["SUITE", ...SUITE_CALENDAR_VARIABLES];

/**
 * Resolve a node path as written in a trigger of `from`: absolute (`/s/f/t`), or relative
 * to `from`'s parent (`t`, `./t`, `f/t`, `../f/t`).
 *
 * @example
 * ```ts
 * import { parseDefs } from "@ecflow-ts/client";
 * import { resolvePath } from "@ecflow-ts/client/defs";
 * import { assertEquals } from "@std/assert";
 * const defs = parseDefs("suite s\n family f\n  task a\n  task b\n endfamily\nendsuite\n");
 * assertEquals(resolvePath(defs, defs.find("/s/f/b")!, "a")?.absPath, "/s/f/a");
 * ```
 */
export function resolvePath(defs: Defs, from: Node, path: string): Node | undefined {
  if (path.startsWith("/")) return defs.find(path);
  let segs = path.split("/").filter((x) => x !== "");
  if (segs.length === 0) return undefined;
  if (segs[0] === "..") {
    let base: Node | undefined = from.parent;
    while (segs.length > 0 && base && segs[0] === "..") {
      segs = segs.slice(1);
      base = base.parent;
    }
    if (base) return descend(base, segs);
    return defs.find("/" + segs.join("/"));
  }
  if (segs[0] === "." && segs.length >= 2) segs = segs.slice(1);
  if (segs.length === 1) {
    if (segs[0] === from.name) return from;
    return from.parent?.child(segs[0]);
  }
  return (from.parent ? descend(from.parent, segs) : undefined) ?? descend(from, segs);
}

function descend(base: Node, segs: string[]): Node | undefined {
  let n: Node | undefined = base;
  for (const s of segs) {
    if (!n) return undefined;
    if (s === "..") n = n.parent;
    else if (s !== ".") n = n.child(s);
  }
  return n;
}

/**
 * Whether `name` is something a trigger can reference on `node` (ecFlow's findExprVariable).
 *
 * @example
 * ```ts
 * import { hasExprVariable } from "@ecflow-ts/client/defs";
 * import { parseDefs } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * const t = parseDefs("suite s\n task t\n  meter m 0 9 9\nendsuite\n").find("/s/t")!;
 * assertEquals(hasExprVariable(t, "m"), true);
 * assertEquals(hasExprVariable(t, "ECF_TRYNO"), true);
 * assertEquals(hasExprVariable(t, "x"), false);
 * ```
 */
export function hasExprVariable(node: Node, name: string): boolean {
  for (const e of (node._events ?? EMPTY)) {
    if (e.name === name || String(e.number) === name) return true;
  }
  for (const m of (node._meters ?? EMPTY)) if (m.name === name) return true;
  for (const v of (node._variables ?? EMPTY)) if (v.name === name) return true;
  const r = node.repeat;
  if (r && r.kind !== "day") {
    if (r.name === name) return true;
    if (r.kind === "date" || r.kind === "datelist" || r.kind === "datetime") {
      for (
        const s of [
          "YYYY",
          "MM",
          "DD",
          "DOW",
          "JULIAN",
          "DATE",
          "TIME",
          "HOURS",
          "MINUTES",
          "SECONDS",
        ]
      ) {
        if (name === r.name + "_" + s) return true;
      }
    }
  }
  const gen = node.kind === "task" || node.kind === "alias"
    ? TASK_GEN
    : node.kind === "family"
    ? FAMILY_GEN
    : SUITE_GEN;
  if (gen.includes(name)) return true;
  for (const l of (node._limits ?? EMPTY)) if (l.name === name) return true;
  for (const q of (node._queues ?? EMPTY)) if (q.name === name) return true;
  return false;
}

/** ecFlow's find_extern: `path` for a node, exactly `path:name` for an attribute or flag. */
function covered(defs: Defs, path: string, name?: string): boolean {
  return defs.externs.includes(name === undefined ? path : path + ":" + name);
}

function nodeLine(n: Node): number {
  return n.line || 1;
}

function constZero(e: ExprAst): boolean {
  return e.t === "int" && e.value === 0;
}

/** Check one expression; returns messages (errors) and the unresolved references. */
function checkExpression(
  defs: Defs,
  node: Node,
  kind: "trigger" | "complete",
  text: string,
  externs: string[] | undefined,
): string[] {
  const msgs: string[] = [];
  let ast: ExprAst;
  try {
    ast = parseExpression(text);
  } catch (e) {
    if (e instanceof ExprError) {
      return [`failed to parse ${kind} '${text}' at ${node.kind} ${node.absPath}: ${e.message}`];
    }
    throw e;
  }
  for (const e of walkExpr(ast)) {
    if (e.t === "bin") {
      if ((e.op === "/" || e.op === "%") && constZero(e.right)) {
        msgs.push(
          `${
            e.op === "/" ? "divide" : "modulo"
          } by zero in ${kind} expression '${text}' at ${node.kind} ${node.absPath}`,
        );
      }
    } else if (e.t === "node") {
      if (!resolvePath(defs, node, e.path)) {
        if (externs) externs.push(e.path);
        else if (!covered(defs, e.path)) msgs.push(refMessage(kind, text, node, e.path));
      }
    } else if (e.t === "attr" || e.t === "flag") {
      if (e.t === "flag" && e.path === "/") {
        // the server's own flags: fine for a check, an extern for ecflow_client --get
        if (externs) externs.push("/:" + e.flag);
        continue;
      }
      const target = resolvePath(defs, node, e.path);
      const name = e.t === "attr" ? e.name : e.flag;
      if (!target) {
        if (externs) externs.push(e.path + ":" + name);
        else if (!covered(defs, e.path, name)) msgs.push(refMessage(kind, text, node, e.path));
      } else if (e.t === "attr" && !hasExprVariable(target, e.name)) {
        if (externs) externs.push(e.path + ":" + e.name);
        else if (!covered(defs, e.path, e.name)) {
          msgs.push(
            `${kind} '${text}' at ${node.kind} ${node.absPath} references '${e.name}', which is not an event, meter, variable, repeat, limit or queue of ${target.absPath}`,
          );
        }
      }
    } else if (e.t === "parentVar") {
      let n: Node | undefined = node;
      while (n && !hasExprVariable(n, e.name)) n = n.parent;
      if (
        !n && !defs.userVariables.some((v) => v.name === e.name) &&
        !defs.serverVariables.some((v) => v.name === e.name)
      ) {
        if (externs) externs.push(node.absPath + ":" + e.name);
        else if (!covered(defs, node.absPath, e.name)) {
          msgs.push(
            `${kind} '${text}' at ${node.absPath}: variable '${e.name}' not found up the tree`,
          );
        }
      }
    }
  }
  return msgs;
}

function refMessage(kind: string, text: string, node: Node, path: string): string {
  if (path.startsWith("/")) {
    return `${kind} '${text}' at ${node.kind} ${node.absPath}: could not find referenced node '${path}' (not covered by an extern)`;
  }
  if (path.indexOf("/") < 0 || path.startsWith("./")) {
    const name = path.startsWith("./") ? path.slice(2) : path;
    return `${kind} '${text}' at ${node.kind} ${node.absPath}: could not find node '${name}'; expected it to be a sibling`;
  }
  return `${kind} '${text}' at ${node.kind} ${node.absPath}: unrecognised path '${path}'`;
}

/**
 * Every node of `defs`, depth first in document order, gathered with an explicit stack (no
 * generator per level, any depth); callers loop over the list in place, with no call per node:
 * a CLI run walks a large definition once, before its code is optimised.
 *
 * @example
 * ```ts
 * import { parseDefs } from "@ecflow-ts/client";
 * import { allNodes } from "./check.ts";
 * import { assertEquals } from "@std/assert";
 * const defs = parseDefs("suite s\n family f\n  task t\n endfamily\nendsuite\n");
 * assertEquals(allNodes(defs).map((n) => n.absPath), ["/s", "/s/f", "/s/f/t"]);
 * ```
 */
export function allNodes(defs: Defs): Node[] {
  const out: Node[] = [];
  const stack: Node[] = [];
  for (let i = defs.suites.length - 1; i >= 0; i--) stack.push(defs.suites[i]);
  while (stack.length > 0) {
    const n = stack.pop()!;
    out.push(n);
    const children = n.children;
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
  return out;
}

function findLimitUp(node: Node, name: string): boolean {
  for (let n: Node | undefined = node; n; n = n.parent) {
    if ((n._limits ?? EMPTY).some((l) => l.name === name)) return true;
  }
  return false;
}

/**
 * Check a parsed definition like ecflow_client does before loading it.
 *
 * @example
 * ```ts
 * import { checkDefs } from "@ecflow-ts/client/defs";
 * import { parseDefs } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * const defs = parseDefs("suite s\n  task a\n    trigger b == complete\nendsuite\n");
 * const r = checkDefs(defs);
 * assertEquals(r.errors.length, 1);
 * assertEquals(r.errors[0].message.includes("sibling"), true);
 * ```
 */
export function checkDefs(defs: Defs, options: CheckOptions = {}): CheckResult {
  const errors: CheckIssue[] = [];
  const warnings: CheckIssue[] = [];
  const issue = (
    severity: "error" | "warning",
    n: Node,
    message: string,
    line = nodeLine(n),
    column = 1,
  ) =>
    (severity === "error" ? errors : warnings).push({
      severity,
      fileName: defs.fileName,
      line,
      column,
      path: n.absPath,
      message,
    });
  const server = options.serverVersion ? versionNumber(options.serverVersion) : Infinity;
  const needs = (n: Node, what: string, since: string) => {
    if (server < versionNumber(since)) {
      issue(
        "error",
        n,
        `${what} needs an ecFlow ${since} server or newer (server is ${options.serverVersion})`,
      );
    }
  };
  const checkParts = (n: Node, kind: "complete" | "trigger", e: Expression) => {
    for (const p of e.parts) {
      for (const m of checkExpression(defs, n, kind, p.text, undefined)) {
        issue("error", n, m, p.line || nodeLine(n), p.column ?? 1);
      }
    }
  };
  const nodes = allNodes(defs);
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i];
    if (n._avisos) needs(n, "aviso", "5.13.0");
    if (n._mirrors) needs(n, "mirror", "5.13.0");
    if (n.repeat?.kind === "datetime") needs(n, "repeat datetime", "5.14.0");
    if (n.repeat?.kind === "datetimelist") needs(n, "repeat datetimelist", "5.17.0");
    if (n.complete) checkParts(n, "complete", n.complete);
    if (n.trigger) checkParts(n, "trigger", n.trigger);
    if (n.autoRestore) {
      const seen = new Set<string>();
      for (const p of n.autoRestore) {
        const target = resolvePath(defs, n, p) ?? (p.startsWith("./") ? undefined : undefined);
        const key = target?.absPath ?? p;
        if (!target && covered(defs, p)) continue;
        if (!target) {
          issue(
            "error",
            n,
            `autorestore on ${n.kind} ${n.absPath} references a path '${p}' which cannot be found`,
          );
        } else if (target.kind === "task" || target.kind === "alias") {
          issue(
            "error",
            n,
            `autorestore on ${n.kind} ${n.absPath} references '${key}' which is a task; only suites and families can be restored`,
          );
        }
        if (seen.has(key)) {
          issue(
            "error",
            n,
            `autorestore on ${n.kind} ${n.absPath}: duplicate references to node '${key}'`,
          );
        }
        seen.add(key);
      }
    }
    for (const l of (n._inLimits ?? EMPTY)) {
      if (l.path === "") {
        if (!findLimitUp(n, l.name) && !defs.externs.includes(l.name)) {
          issue(
            "warning",
            n,
            `${n.kind} ${n.absPath} has an inlimit ${l.name}, which cannot be found on the parent nodes`,
          );
        }
      } else {
        const target = resolvePath(defs, n, l.path);
        if (!target) {
          if (!covered(defs, l.path, l.name)) {
            issue(
              "warning",
              n,
              `${n.kind} ${n.absPath} has an inlimit ${l.path}:${l.name}: the node '${l.path}' cannot be found`,
            );
          }
        } else if (!(target._limits ?? EMPTY).some((x) => x.name === l.name)) {
          issue(
            "warning",
            n,
            `${n.kind} ${n.absPath} has an inlimit ${l.path}:${l.name}: the referenced ${target.kind} '${target.absPath}' does not define the limit ${l.name}`,
          );
        } else {
          const lim = (target._limits ?? EMPTY).find((x) => x.name === l.name)!;
          if (l.tokens > lim.max) {
            issue(
              "warning",
              n,
              `${n.kind} ${n.absPath} has an inlimit ${l.path}:${l.name} ${l.tokens} which exceeds the limit's ${lim.max}`,
            );
          }
        }
      }
    }
  }
  return { errors, warnings };
}

/**
 * Parse and check a definition text, like `ecflow_client --load=file check_only`.
 * A parse error is returned as the single error (with its line and column).
 *
 * @example
 * ```ts
 * import { checkDefsText } from "@ecflow-ts/client/defs";
 * import { assertEquals } from "@std/assert";
 * const r = checkDefsText("suite s\n  task t\n    meter m 0 10 20\nendsuite\n", { fileName: "x.def" });
 * assertEquals(r.errors[0].line, 3);
 * ```
 */
export function checkDefsText(
  text: string,
  options: ParseOptions & CheckOptions = {},
): CheckResult & {
  /** The parsed definition, when it parsed. */
  defs?: Defs;
} {
  let defs: Defs;
  try {
    defs = parseDefs(text, options);
  } catch (e) {
    if (e instanceof DefsParseError) {
      return {
        errors: [{
          severity: "error",
          fileName: e.fileName,
          line: e.line,
          column: e.column,
          path: "",
          message: e.reason + (e.token !== "" ? ` (token '${e.token}')` : ""),
        }],
        warnings: [],
      };
    }
    throw e;
  }
  return { ...checkDefs(defs, options), defs };
}

/**
 * The externs `ecflow_client --get` adds before printing: unresolvable trigger/complete
 * references (`path` or `path:name`) and inlimits whose limit cannot be found. Returns
 * them merged with `defs.externs`, sorted like ecFlow's set.
 *
 * @example
 * ```ts
 * import { autoExterns } from "@ecflow-ts/client/defs";
 * import { parseDefs } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * const defs = parseDefs("suite s\n  task t\n    trigger /x/y == complete\nendsuite\n");
 * assertEquals(autoExterns(defs), [ "/x/y" ]);
 * ```
 */
export function autoExterns(defs: Defs): string[] {
  const out: string[] = [...defs.externs];
  const nodes = allNodes(defs);
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i];
    const inLimits = n._inLimits;
    if (inLimits !== undefined) {
      for (const l of inLimits) {
        if (l.path === "") {
          if (!findLimitUp(n, l.name)) out.push(l.name);
        } else {
          const t = resolvePath(defs, n, l.path);
          if (!t || !(t._limits ?? EMPTY).some((x) => x.name === l.name)) {
            out.push(l.path + ":" + l.name);
          }
        }
      }
    }
    const complete = n.complete;
    if (complete !== undefined) {
      for (const p of complete.parts) checkExpression(defs, n, "complete", p.text, out);
    }
    const trigger = n.trigger;
    if (trigger !== undefined) {
      for (const p of trigger.parts) checkExpression(defs, n, "trigger", p.text, out);
    }
  }
  return [...new Set(out)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Format an issue as one line: `file:line:column: error: message`.
 *
 * @example
 * ```ts
 * import { checkDefsText, formatIssue } from "@ecflow-ts/client/defs";
 * import { assertEquals } from "@std/assert";
 * const r = checkDefsText("suite s\n  task a\n    trigger b == complete\nendsuite\n", { fileName: "x.def" });
 * assertEquals(formatIssue(r.errors[0]), "x.def:3:13: error: trigger 'b == complete' at task /s/a: could not find node 'b'; expected it to be a sibling");
 * ```
 */
export function formatIssue(i: CheckIssue): string {
  return `${i.fileName}:${i.line}:${i.column}: ${i.severity}: ${i.message}`;
}
