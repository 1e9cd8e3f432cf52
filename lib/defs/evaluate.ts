/**
 * The one evaluator of trigger and complete expressions, as ecFlow's AST evaluates them:
 * 32-bit integer arithmetic that wraps around like C's `int`, references resolved from the node
 * the expression belongs to, attributes looked up in ecFlow's order (event, meter, variable,
 * repeat, generated variable, limit, queue), julian-day arithmetic when a date repeat is added
 * to or subtracted from, and ecFlow's `cal::date_to_julian`/`cal::julian_to_date`. The STATE
 * evaluation trees and the "why" reasons are both built on it. It keeps its own stack, so an
 * expression of any depth evaluates.
 *
 * @module
 */

import { type ExprAst, parseExpression } from "./expr.ts";
import { resolvePath } from "./check.ts";
import type { Defs, Node } from "./model.ts";
import {
  castInt,
  generatedVariables,
  lastValidValue,
  repeatValue,
  variableInt,
} from "./generated.ts";
import { dateToJulian, julianToDate } from "./julian.ts";

/**
 * ecFlow's `DState` numbering (a node state, or `suspended`), as expressions compare it.
 *
 * @example
 * ```ts
 * import { DSTATE_NAMES } from "./evaluate.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(DSTATE_NAMES.indexOf("complete"), 1);
 * ```
 */
export const DSTATE_NAMES: readonly string[] = [
  "unknown",
  "complete",
  "queued",
  "aborted",
  "submitted",
  "active",
  "suspended",
];

/**
 * A node's state as an expression sees it: `suspended` when suspended, else its state.
 *
 * @example
 * ```ts
 * import { parseDefs } from "@ecflow-ts/client";
 * import { displayState } from "./evaluate.ts";
 * import { assertEquals } from "@std/assert";
 * const t = parseDefs("#5.9.2\ndefs_state NET\nsuite s\ntask t # state:active suspended:1\nendsuite\n").find("/s/t")!;
 * assertEquals(displayState(t), "suspended");
 * ```
 */
export function displayState(n: Node): string {
  return n.suspended ? "suspended" : n.state;
}

/**
 * What an expression's `path:name` (or `:name`) found on a node, in ecFlow's words.
 *
 * @example
 * ```ts
 * import { ExprEvaluator, type ExprVariable } from "@ecflow-ts/client/defs";
 * import { parseDefs } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * const defs = parseDefs("suite s\n task t\n  meter m 0 10 5\nendsuite\n");
 * const t = defs.find("/s/t")!;
 * const found: ExprVariable | undefined = new ExprEvaluator(defs, t).variable(t, "m");
 * assertEquals(found, { kind: "meter", value: 0, shown: "METER value(0)" });
 * ```
 */
export interface ExprVariable {
  /** `event`, `meter`, `user-variable`, `repeat`, `gen-variable`, `limit` or `queue`. */
  kind: "event" | "meter" | "user-variable" | "repeat" | "gen-variable" | "limit" | "queue";
  /** The value an expression computes with (a repeat's value kept within its range). */
  value: number;
  /** How an evaluation tree shows it: `EVENT value(1)`, `REPEAT value(20240101)`, … */
  shown: string;
}

/** One step of the evaluator's own stack. */
interface Frame {
  e: ExprAst;
  /** True: the expression's truth (`evaluate`); false: its integer value (`value`). */
  truth: boolean;
  step: number;
  /** A left operand's value, kept while the right one is computed. */
  left: number;
}

/** ecFlow's `digits_in_integer`: decimal digits, a minus sign counting as one. */
function digits(n: number): number {
  return (n < 0 ? 1 : 0) + (n === 0 ? 0 : String(Math.abs(n)).length);
}

/** `cal::date_to_julian(arg)`: of a yyyymmdd (or yyyymmddhh) argument, else 0. */
function dateToJulianCall(arg: number): number {
  const d = digits(arg);
  if (d === 10) return dateToJulian(Math.trunc(arg / 100)) | 0;
  return d === 8 ? dateToJulian(arg) | 0 : 0;
}

function compare(op: string, a: number, b: number): boolean {
  switch (op) {
    case "==":
      return a === b;
    case "!=":
      return a !== b;
    case "<":
      return a < b;
    case "<=":
      return a <= b;
    case ">":
      return a > b;
    default:
      return a >= b;
  }
}

/**
 * Evaluates the expressions of one node against its definition, as ecFlow does. It answers
 * for the definition as it is when first asked (answers are kept): make a new one after
 * changing the definition.
 *
 * @example
 * ```ts
 * import { ExprEvaluator, parseExpression } from "@ecflow-ts/client/defs";
 * import { parseDefs } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * const defs = parseDefs("suite s\n repeat date D 20240228 20240302\n task t\nendsuite\n");
 * const ev = new ExprEvaluator(defs, defs.find("/s/t")!);
 * assertEquals(ev.value(parseExpression(":D + 2 == 20240301")), 1); // day arithmetic on a date repeat
 * assertEquals(ev.value(parseExpression("2147483647 + 1")), -2147483648); // 32-bit wrap-around
 * assertEquals(ev.evaluate(parseExpression("cal::julian_to_date(2460311) == 20240101")), true);
 * ```
 */
export class ExprEvaluator {
  /**
   * `defs` undefined: the node was fetched on its own, and no node reference resolves
   * (ecflow_client then prints `?not-found?`).
   */
  constructor(readonly defs: Defs | undefined, readonly node: Node) {}

  /**
   * Results already computed, by expression: a tree printer or a "why" asks again for every
   * sub-expression, and the answers cannot change while the definition does not.
   */
  private readonly values = new Map<ExprAst, number>();
  private readonly truths = new Map<ExprAst, number>();

  /** The node a path in one of this node's expressions refers to. */
  resolve(path: string): Node | undefined {
    return this.defs ? resolvePath(this.defs, this.node, path) : undefined;
  }

  /** The node `:name` refers to: this node or the nearest ancestor that has `name`. */
  holder(name: string): Node | undefined {
    for (let n: Node | undefined = this.node; n; n = n.parent) {
      if (this.variable(n, name)) return n;
    }
    return undefined;
  }

  /** `name` on `n`: the first of event, meter, variable, repeat, generated variable, limit, queue. */
  variable(n: Node, name: string): ExprVariable | undefined {
    const events = n._events;
    if (events) {
      let ev = events.find((e) => e.name !== "" && e.name === name);
      if (!ev && name.charCodeAt(0) >= 48 && name.charCodeAt(0) <= 57) {
        const number = castInt(name);
        if (number !== undefined) ev = events.find((e) => e.number === number);
      }
      if (ev) {
        return {
          kind: "event",
          value: ev.value ? 1 : 0,
          shown: `EVENT value(${ev.value ? 1 : 0})`,
        };
      }
    }
    const m = n._meters?.find((x) => x.name === name);
    if (m) return { kind: "meter", value: m.value, shown: `METER value(${m.value})` };
    const v = n.variable(name);
    if (v) {
      const value = variableInt(v.value);
      return { kind: "user-variable", value, shown: `USER-VARIABLE value(${value})` };
    }
    const r = n.repeat;
    if (r && r.kind !== "day" && r.name === name) {
      return { kind: "repeat", value: lastValidValue(r), shown: `REPEAT value(${repeatValue(r)})` };
    }
    const g = generatedVariables(n, this.defs).find((x) => x.name === name);
    if (g) {
      const value = variableInt(g.value);
      return { kind: "gen-variable", value, shown: `GEN-VARIABLE value(${value})` };
    }
    const l = n._limits?.find((x) => x.name === name);
    if (l) {
      return { kind: "limit", value: l.value, shown: `limit ${l.name} ${l.max} value(${l.value})` };
    }
    const q = n._queues?.find((x) => x.name === name);
    if (q) {
      const inRange = q.index >= 0 && q.index < q.values.length;
      const value = inRange ? castInt(q.values[q.index]) ?? q.index : q.index;
      return { kind: "queue", value, shown: `QUEUE ${q.name} value(${value})` };
    }
    return undefined;
  }

  /**
   * `name` on `n` plus `delta` (minus, when `sign` is -1), as ecFlow adds to an attribute:
   * in days for a date repeat, else the value plus `delta`; `sign × delta` when `n` has no
   * such attribute.
   */
  plus(n: Node, name: string, delta: number, sign: 1 | -1): number {
    const found = this.variable(n, name);
    if (!found) return (sign * delta) | 0;
    const r = n.repeat;
    if (found.kind === "repeat" && r && (r.kind === "date" || r.kind === "datelist")) {
      if (r.kind === "datelist" && found.value === 0) return 0;
      return julianToDate(dateToJulian(found.value) + sign * delta) | 0;
    }
    return (found.value + sign * delta) | 0;
  }

  /** The integer value of `e` (ecFlow's `value()`). */
  value(e: ExprAst): number {
    return this.run(e, false);
  }

  /** Whether `e` holds (ecFlow's `evaluate()`): arithmetic at the top holds, as in ecFlow. */
  evaluate(e: ExprAst): boolean {
    return this.run(e, true) !== 0;
  }

  /** The integer value of a leaf. */
  private leaf(e: ExprAst): number {
    switch (e.t) {
      case "int":
        return e.value | 0;
      case "state":
        return DSTATE_NAMES.indexOf(e.value);
      case "event":
        return e.value === "set" ? 1 : 0;
      case "node": {
        const n = this.resolve(e.path);
        return n ? DSTATE_NAMES.indexOf(displayState(n)) : 0;
      }
      case "attr": {
        const n = this.resolve(e.path);
        return n ? this.variable(n, e.name)?.value ?? 0 : 0;
      }
      case "parentVar": {
        const n = this.holder(e.name);
        return n ? this.variable(n, e.name)?.value ?? 0 : 0;
      }
      case "flag": {
        if (e.path === "/") return this.defs?.flags.includes(e.flag) ? 1 : 0;
        return this.resolve(e.path)?._flags?.includes(e.flag) ? 1 : 0;
      }
      default:
        return 0;
    }
  }

  /** `left ± delta` where `left` is an attribute reference (ecFlow's `plus`/`minus`). */
  private attributePlus(left: ExprAst, delta: number, sign: 1 | -1): number {
    if (left.t === "attr") {
      const n = this.resolve(left.path);
      return n ? this.plus(n, left.name, delta, sign) : (sign * delta) | 0;
    }
    if (left.t === "parentVar") {
      const n = this.holder(left.name);
      // without a holder ecFlow answers the right operand as it is, for + and - alike
      return n ? this.plus(n, left.name, delta, sign) : delta;
    }
    return 0;
  }

  /** Evaluates `root` on an explicit stack; returns its value, or 1/0 for its truth. */
  private run(root: ExprAst, truth: boolean): number {
    const stack: Frame[] = [{ e: root, truth, step: 0, left: 0 }];
    let ret = 0;
    const push = (e: ExprAst, t: boolean) => stack.push({ e, truth: t, step: 0, left: 0 });
    while (stack.length > 0) {
      const f = stack[stack.length - 1];
      const e = f.e;
      const memo = f.truth ? this.truths : this.values;
      if (f.step === 0 && memo.has(e)) {
        stack.pop();
        ret = memo.get(e)!;
        continue;
      }
      let done = true;
      let v = 0;
      switch (e.t) {
        case "call":
          if (f.step++ === 0) {
            push(e.arg, false);
            done = false;
          } else {
            v = e.fn === "date_to_julian" ? dateToJulianCall(ret) : julianToDate(ret) | 0;
          }
          break;
        case "not":
          if (f.step++ === 0) {
            push(e.expr, f.truth);
            done = false;
          } else v = ret === 0 ? 1 : 0;
          break;
        case "neg":
          if (f.step++ === 0) {
            push(e.expr, false);
            done = false;
          } else v = -ret | 0;
          break;
        case "bin": {
          const op = e.op;
          if (op === "and" || op === "or") {
            if (f.step === 0) {
              f.step = 1;
              push(e.left, true);
              done = false;
            } else if (f.step === 1 && (op === "and" ? ret !== 0 : ret === 0)) {
              f.step = 2;
              push(e.right, true);
              done = false;
            } else v = ret !== 0 ? 1 : 0;
          } else if (op === "+" || op === "-" || op === "*" || op === "/" || op === "%") {
            if (f.truth) {
              v = 1; // ecFlow: an arithmetic expression at the top holds
            } else if (
              (op === "+" || op === "-") && (e.left.t === "attr" || e.left.t === "parentVar")
            ) {
              if (f.step++ === 0) {
                push(e.right, false);
                done = false;
              } else v = this.attributePlus(e.left, ret, op === "+" ? 1 : -1);
            } else if (f.step === 0) {
              f.step = 1;
              push(e.left, false);
              done = false;
            } else if (f.step === 1) {
              f.step = 2;
              f.left = ret;
              push(e.right, false);
              done = false;
            } else {
              const a = f.left, b = ret;
              if (op === "+") v = (a + b) | 0;
              else if (op === "-") v = (a - b) | 0;
              else if (op === "*") v = Math.imul(a, b);
              else if (b === 0) v = 0; // ecFlow logs the division by zero and answers 0
              else v = op === "/" ? Math.trunc(a / b) | 0 : (a % b) | 0;
            }
          } else if (f.step === 0) {
            f.step = 1;
            push(e.left, false);
            done = false;
          } else if (f.step === 1) {
            f.step = 2;
            f.left = ret;
            push(e.right, false);
            done = false;
          } else v = compare(op, f.left, ret) ? 1 : 0;
          break;
        }
        default:
          v = this.leaf(e);
      }
      if (!done) continue;
      stack.pop();
      ret = f.truth && e.t !== "bin" && e.t !== "not" ? (v !== 0 ? 1 : 0) : v;
      memo.set(e, ret);
    }
    return ret;
  }
}

/**
 * The expression of a (possibly multi-line) trigger or complete as ecFlow builds it: each
 * `trigger`/`-a`/`-o` line parsed on its own, then combined left to right
 * (`((first AND second) OR third)`); `undefined` when a part does not parse.
 *
 * @example
 * ```ts
 * import { composedExpression } from "@ecflow-ts/client/defs";
 * import { assertEquals } from "@std/assert";
 * const e = composedExpression([{ type: "first", text: "a == complete" }, { type: "or", text: "b == complete" }]);
 * assertEquals(e?.t === "bin" && e.op, "or");
 * ```
 */
export function composedExpression(
  parts: readonly { type: string; text: string }[],
): ExprAst | undefined {
  let acc: ExprAst | undefined;
  for (const p of parts) {
    let ast: ExprAst;
    try {
      ast = parseExpression(p.text);
    } catch {
      return undefined;
    }
    acc = acc === undefined
      ? ast
      : { t: "bin", op: p.type === "or" ? "or" : "and", left: acc, right: ast };
  }
  return acc;
}
