/**
 * Parser for ecFlow trigger/complete expressions, e.g.
 * `/s/f/t == complete and (t2:ev == set or ../f:m ge 50)`.
 *
 * The grammar follows ecFlow's: node paths compared with node states, `path:name`
 * references to events/meters/variables/repeats, `path<flag>late`, integers,
 * arithmetic `+ - * / %`, comparisons (`==`/`eq`, `!=`/`ne`, `<`/`lt`, `<=`/`le`,
 * `>`/`gt`, `>=`/`ge`), `not`/`!`/`~`, `and`/`&&`/`AND`, `or`/`||`/`OR`, parentheses,
 * and `cal::date_to_julian(…)`/`cal::julian_to_date(…)`.
 *
 * @module
 */
import { EcflowError } from "../errors.ts";

/**
 * A parsed expression.
 *
 * @example
 * ```ts
 * import { type ExprAst, parseExpression } from "@ecflow-ts/client/defs";
 * import { assertEquals } from "@std/assert";
 * const e: ExprAst = parseExpression("/s/t:ev == set");
 * assertEquals(e, {
 *   t: "bin",
 *   op: "==",
 *   left: { t: "attr", path: "/s/t", name: "ev" },
 *   right: { t: "event", value: "set" },
 * });
 * ```
 */
export type ExprAst =
  | { t: "int"; value: number }
  | { t: "state"; value: string }
  | { t: "event"; value: "set" | "clear" }
  | { t: "node"; path: string }
  | { t: "attr"; path: string; name: string }
  | { t: "parentVar"; name: string }
  | { t: "flag"; path: string; flag: string }
  | { t: "call"; fn: string; arg: ExprAst }
  | { t: "not"; expr: ExprAst }
  | { t: "neg"; expr: ExprAst }
  | { t: "bin"; op: BinOp; left: ExprAst; right: ExprAst };

/**
 * Binary operators (normalised).
 *
 * @example
 * ```ts
 * import { type BinOp, parseExpression } from "@ecflow-ts/client/defs";
 * import { assert, assertEquals } from "@std/assert";
 * const e = parseExpression("1 + 2 == 3");
 * assert(e.t === "bin");
 * const op: BinOp = e.op;
 * assertEquals(op, "==");
 * ```
 */
export type BinOp =
  | "and"
  | "or"
  | "=="
  | "!="
  | "<"
  | "<="
  | ">"
  | ">="
  | "+"
  | "-"
  | "*"
  | "/"
  | "%";

/**
 * Thrown by {@link parseExpression} for an invalid expression.
 *
 * @example
 * ```ts
 * import { ExprError } from "@ecflow-ts/client";
 * import { parseExpression } from "@ecflow-ts/client/defs";
 * import { assertEquals, assertThrows } from "@std/assert";
 * const e = assertThrows(() => parseExpression("a =="), ExprError);
 * assertEquals(e.message, "expected a node state after 'a =='");
 * assertEquals(e.offset, 4);
 * ```
 */
export class ExprError extends EcflowError {
  /** 0-based offset in the expression text where parsing stopped. */
  readonly offset: number;
  /** Build an error at `offset`. */
  constructor(message: string, offset: number) {
    super(message);
    this.name = "ExprError";
    this.offset = offset;
  }
}

const NODE_STATES = new Set(["unknown", "complete", "queued", "submitted", "active", "aborted"]);
const FLAGS = new Set(["late", "zombie", "archived"]);
const CMP: Record<string, BinOp> = {
  "==": "==",
  eq: "==",
  "!=": "!=",
  ne: "!=",
  "<": "<",
  lt: "<",
  "<=": "<=",
  le: "<=",
  ">": ">",
  gt: ">",
  ">=": ">=",
  ge: ">=",
};

interface Tok {
  /** `w` word/path, `o` operator, `(`/`)` */
  k: "w" | "o" | "(" | ")";
  v: string;
  at: number;
}

function isPathChar(c: string): boolean {
  return (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c >= "0" && c <= "9") ||
    c === "_" || c === "." || c === "/" || c === ":";
}

function lex(s: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  const n = s.length;
  while (i < n) {
    const c = s[i];
    if (c === " " || c === "\t") {
      i++;
      continue;
    }
    if (c === "(" || c === ")") {
      out.push({ k: c, v: c, at: i });
      i++;
      continue;
    }
    const two = s.slice(i, i + 2);
    if (["==", "!=", "<=", ">=", "&&", "||"].includes(two)) {
      out.push({ k: "o", v: two, at: i });
      i += 2;
      continue;
    }
    // a lone `/` followed by a blank is a division
    if (c === "/" && (i + 1 >= n || s[i + 1] === " " || s[i + 1] === "(")) {
      out.push({ k: "o", v: "/", at: i });
      i++;
      continue;
    }
    if (isPathChar(c)) {
      const start = i;
      while (i < n) {
        if (isPathChar(s[i])) i++;
        else if (s.startsWith("<flag>", i)) i += 6;
        else break;
      }
      out.push({ k: "w", v: s.slice(start, i), at: start });
      continue;
    }
    if ("<>+-*%!~".includes(c)) {
      out.push({ k: "o", v: c, at: i });
      i++;
      continue;
    }
    throw new ExprError(`unexpected character '${c}'`, i);
  }
  return out;
}

const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9_.]*$/;

/** Deepest nesting of parentheses parsed (the parser recurses once per level). */
const MAX_NESTING = 1000;

/**
 * Whether `p` is a valid node path in an expression (`/a/b`, `a/b`, `./a`, `../../a`).
 *
 * @example
 * ```ts
 * import { isValidExprPath } from "@ecflow-ts/client/defs";
 * import { assertEquals } from "@std/assert";
 * assertEquals(isValidExprPath("../f/t"), true);
 * assertEquals(isValidExprPath("/s/"), false);
 * ```
 */
export function isValidExprPath(p: string): boolean {
  if (p === "") return false;
  const segs = p.split("/");
  let i = 0;
  if (segs[0] === "") {
    if (segs.length === 1) return false;
    i = 1;
  } else if (segs[0] === ".") {
    i = 1;
    if (segs.length < 2) return false;
  } else if (segs[0] === "..") {
    while (i < segs.length && segs[i] === "..") i++;
    if (i >= segs.length) return false;
  }
  for (; i < segs.length; i++) if (!SEGMENT.test(segs[i])) return false;
  return true;
}

class P {
  i = 0;
  constructor(readonly toks: Tok[], readonly text: string) {}
  peek(): Tok | undefined {
    return this.toks[this.i];
  }
  err(msg: string): never {
    const t = this.peek();
    throw new ExprError(msg, t ? t.at : this.text.length);
  }
  isWord(...w: string[]): boolean {
    const t = this.peek();
    return t !== undefined && (t.k === "w" || t.k === "o") && w.includes(t.v);
  }

  /**
   * ecFlow's boolean structure: `term ((and|or) subexpr)?` — right recursive, so
   * `a or b or c` is `a or (b or c)` and `(x) and y or z` is `x and (y or z)`.
   */
  subexpr(): ExprAst {
    // read the chain first and fold it from the right, so a long chain does not recurse
    const terms: ExprAst[] = [this.boolTerm()];
    const ops: BinOp[] = [];
    while (this.isWord("and", "AND", "&&", "or", "OR", "||")) {
      const w = this.peek()!.v;
      this.i++;
      ops.push(w === "and" || w === "AND" || w === "&&" ? "and" : "or");
      terms.push(this.boolTerm());
    }
    let e = terms[terms.length - 1];
    for (let k = ops.length - 1; k >= 0; k--) {
      e = { t: "bin", op: ops[k], left: terms[k], right: e };
    }
    return e;
  }
  /** An `and` chain of comparisons (left associative), or a bracketed sub-expression. */
  boolTerm(): ExprAst {
    const save = this.i;
    try {
      return this.andChain();
    } catch (e) {
      if (!(e instanceof ExprError)) throw e;
      this.i = save;
    }
    let negate = false;
    if (this.isWord("not", "NOT", "!", "~")) {
      negate = true;
      this.i++;
    }
    const t = this.peek();
    if (!t || t.k !== "(") {
      this.i = save;
      return this.andChain(); // report the andChain error
    }
    this.i++;
    const e = this.subexpr();
    if (!this.peek() || this.peek()!.k !== ")") this.err("missing ')'");
    this.i++;
    return negate ? { t: "not", expr: e } : e;
  }
  andChain(): ExprAst {
    let l = this.not();
    for (;;) {
      if (!this.isWord("and", "AND", "&&")) return l;
      const save = this.i;
      this.i++;
      try {
        l = { t: "bin", op: "and", left: l, right: this.not() };
      } catch (e) {
        if (!(e instanceof ExprError)) throw e;
        this.i = save; // leave the `and` to subexpr (e.g. `a and (b or c)`)
        return l;
      }
    }
  }
  not(): ExprAst {
    if (this.isWord("not", "NOT", "!", "~")) {
      this.i++;
      return { t: "not", expr: this.compare() };
    }
    return this.compare();
  }
  compare(): ExprAst {
    const t = this.peek();
    // node path compared with a node state
    if (t && t.k === "w" && this.classify(t) === "node") {
      const path = t.v;
      this.i++;
      const op = this.peek();
      if (!op || !(op.v in CMP) || (CMP[op.v] !== "==" && CMP[op.v] !== "!=")) {
        this.err(`node path '${path}' must be compared (== or !=) with a node state`);
      }
      this.i++;
      const st = this.peek();
      if (!st || st.k !== "w" || !NODE_STATES.has(st.v)) {
        this.err(`expected a node state after '${path} ${op!.v}'`);
      }
      this.i++;
      return {
        t: "bin",
        op: CMP[op!.v],
        left: { t: "node", path },
        right: { t: "state", value: st!.v },
      };
    }
    let l = this.calc();
    for (;;) {
      const o = this.peek();
      if (!o || !(o.v in CMP) || o.k === "(" || o.k === ")") break;
      this.i++;
      let r: ExprAst;
      if (this.isWord("not", "NOT", "!", "~")) {
        this.i++;
        r = { t: "not", expr: this.calc() };
      } else r = this.calc();
      l = { t: "bin", op: CMP[o.v], left: l, right: r };
    }
    return l;
  }
  /** Arithmetic: all operators at one level, left associative (as ecFlow builds it). */
  calc(): ExprAst {
    let l = this.factor();
    while (this.isWord("+", "-", "*", "/", "%")) {
      const op = this.peek()!.v as BinOp;
      this.i++;
      l = { t: "bin", op, left: l, right: this.factor() };
    }
    return l;
  }
  classify(t: Tok): string {
    const v = t.v;
    if (/^\d+$/.test(v)) return "int";
    if (NODE_STATES.has(v)) return "state";
    if (v === "set" || v === "clear") return "event";
    if (
      [
        "and",
        "or",
        "AND",
        "OR",
        "not",
        "NOT",
        "eq",
        "ne",
        "lt",
        "gt",
        "le",
        "ge",
      ].includes(v)
    ) return "keyword";
    if (v.startsWith("cal::")) return "call";
    if (v.indexOf("<flag>") >= 0) return "flag";
    if (v.indexOf(":") >= 0) return "attr";
    return "node";
  }
  factor(): ExprAst {
    const t = this.peek();
    if (!t) this.err("unexpected end of expression");
    if (t.k === "(") {
      this.i++;
      const e = this.calc();
      if (!this.peek() || this.peek()!.k !== ")") this.err("missing ')'");
      this.i++;
      return e;
    }
    if (t.k === "o" && (t.v === "-" || t.v === "+")) {
      this.i++;
      const e = this.factor();
      return t.v === "-" ? { t: "neg", expr: e } : e;
    }
    if (t.k !== "w") this.err(`unexpected '${t.v}'`);
    const kind = this.classify(t);
    this.i++;
    switch (kind) {
      case "int":
        return { t: "int", value: parseInt(t.v, 10) };
      case "state":
        return { t: "state", value: t.v };
      case "event":
        return { t: "event", value: t.v as "set" | "clear" };
      case "call": {
        const fn = t.v.slice(5);
        if (fn !== "date_to_julian" && fn !== "julian_to_date") {
          this.i--;
          this.err(`unknown function '${t.v}'`);
        }
        if (!this.peek() || this.peek()!.k !== "(") this.err(`expected '(' after ${t.v}`);
        this.i++;
        const arg = this.calc();
        if (!this.peek() || this.peek()!.k !== ")") this.err("missing ')'");
        this.i++;
        return { t: "call", fn, arg };
      }
      case "flag": {
        const k = t.v.indexOf("<flag>");
        const path = t.v.slice(0, k), flag = t.v.slice(k + 6);
        if ((path !== "/" && !isValidExprPath(path)) || !FLAGS.has(flag)) {
          this.i--;
          this.err(`invalid flag reference '${t.v}'`);
        }
        return { t: "flag", path, flag };
      }
      case "attr": {
        const k = t.v.lastIndexOf(":");
        const path = t.v.slice(0, k), name = t.v.slice(k + 1);
        if (!SEGMENT.test(name) || (path !== "" && !isValidExprPath(path))) {
          this.i--;
          this.err(`invalid reference '${t.v}'`);
        }
        return path === "" ? { t: "parentVar", name } : { t: "attr", path, name };
      }
      case "node":
        this.i--;
        this.err(`node path '${t.v}' must be compared with a node state`);
        break;
    }
    this.i--;
    this.err(`unexpected '${t.v}'`);
  }
}

/**
 * Parse an ecFlow trigger/complete expression into an {@link ExprAst}.
 * Throws {@link ExprError} when the text is not a valid expression.
 *
 * @example
 * ```ts
 * import { parseExpression } from "@ecflow-ts/client/defs";
 * import { assertEquals } from "@std/assert";
 * const ast = parseExpression("t1 == complete and /s/t2:ev == set");
 * assertEquals(ast.t, "bin");
 * ```
 */
export function parseExpression(text: string): ExprAst {
  const toks = lex(text);
  let depth = 0;
  for (const t of toks) {
    if (t.k === "(" && ++depth > MAX_NESTING) {
      throw new ExprError(`parentheses nested more than ${MAX_NESTING} deep`, t.at);
    }
    if (t.k === ")") depth--;
  }
  for (const t of toks) {
    if (t.k === "w" && t.v.indexOf(":") < 0 && t.v.indexOf("<flag>") < 0) {
      if (!/^\d+$/.test(t.v) && /[/.]/.test(t.v) && !isValidExprPath(t.v)) {
        throw new ExprError(`invalid node path '${t.v}'`, t.at);
      }
    }
  }
  const p = new P(toks, text);
  if (toks.length === 0) throw new ExprError("empty expression", 0);
  const e = p.subexpr();
  if (p.peek()) p.err(`unexpected '${p.peek()!.v}'`);
  for (const x of walkExpr(e)) {
    if (x.t !== "bin") continue;
    if (x.right.t === "state" && x.left.t !== "node") {
      throw new ExprError("a node state can only be compared with a node path", 0);
    }
    if (x.left.t === "state" || x.left.t === "event") {
      throw new ExprError(`'${x.left.value}' must be on the right of a comparison`, 0);
    }
  }
  return e;
}

/**
 * Visit every node of an expression tree, depth first, left to right.
 *
 * @example
 * ```ts
 * import { parseExpression, walkExpr } from "@ecflow-ts/client/defs";
 * import { assertEquals } from "@std/assert";
 * const kinds = [...walkExpr(parseExpression("a == complete and b:ev"))].map((e) => e.t);
 * assertEquals(kinds, ["bin", "bin", "node", "state", "attr"]);
 * ```
 */
export function* walkExpr(e: ExprAst): Generator<ExprAst> {
  const stack: ExprAst[] = [e];
  while (stack.length > 0) {
    const x = stack.pop()!;
    yield x;
    switch (x.t) {
      case "bin":
        stack.push(x.right, x.left);
        break;
      case "not":
      case "neg":
        stack.push(x.expr);
        break;
      case "call":
        stack.push(x.arg);
        break;
    }
  }
}

/**
 * Join the parts of a multi-line trigger/complete into one expression text.
 *
 * @example
 * ```ts
 * import { joinParts } from "@ecflow-ts/client/defs";
 * import { assertEquals } from "@std/assert";
 * assertEquals(joinParts([{ type: "first", text: "a == complete" }, { type: "or", text: "b == complete" }]), "a == complete OR b == complete");
 * ```
 */
export function joinParts(parts: readonly { type: string; text: string }[]): string {
  // like ecFlow: parts are concatenated with " AND " / " OR " (no brackets)
  let s = "";
  for (const p of parts) s += (p.type === "and" ? " AND " : p.type === "or" ? " OR " : "") + p.text;
  return s;
}
