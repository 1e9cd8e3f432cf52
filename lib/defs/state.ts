/**
 * What ecFlow adds when it prints a definition in STATE style (`ecflow_client --get_state`,
 * Python's `PrintStyle.STATE`): generated variables (`# edit ECF_JOB '…'`, see
 * `generated.ts`) and trigger / complete evaluation trees (`# Trigger Evaluation Tree`),
 * evaluated by the one expression evaluator (`evaluate.ts`) from the definition's current
 * state, as ecFlow 5.9.2 does.
 *
 * @module
 */

import type { ExprAst } from "./expr.ts";
import type { Defs, Node } from "./model.ts";
import type { StateExtras } from "./printer.ts";
import type { PrintProfile } from "./profile.ts";
import { generatedVariables } from "./generated.ts";
import { composedExpression, displayState, DSTATE_NAMES, ExprEvaluator } from "./evaluate.ts";

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

/** The tree's lines below its title, each tree node at its level (2 spaces per level). */
function printTree(ev: ExprEvaluator, root: ExprAst, rootLevel: number, out: string[]): void {
  const pad = (l: number) => " ".repeat(l * 2);
  // pre-order on an explicit stack, so an expression of any depth prints
  const stack: [ExprAst, number][] = [[root, rootLevel]];
  while (stack.length > 0) {
    let [e, level] = stack.pop()!;
    if (e.t === "neg") e = { t: "bin", op: "-", left: { t: "int", value: 0 }, right: e.expr };
    if (e.t === "bin" || e.t === "not") {
      let head: string;
      if (e.t === "not") head = `# NOT (${ev.evaluate(e) ? "true" : "false"})`;
      else if (e.op in BIN_NAMES) {
        head = `# ${BIN_NAMES[e.op]} (${ev.evaluate(e) ? "true" : "false"})`;
      } else head = `# ${ARITH_NAMES[e.op]} value(${ev.value(e)})`;
      out.push(pad(level) + head);
      const kids = e.t === "not" ? [e.expr] : [e.left, e.right];
      for (let i = kids.length - 1; i >= 0; i--) {
        stack.push([kids[i], isRoot(kids[i]) ? level + 1 : level]);
      }
      continue;
    }
    const p = pad(level + 1);
    switch (e.t) {
      case "int":
        out.push(p + `# INTEGER ${e.value}`);
        break;
      case "state":
        out.push(p + `# NODE_STATE ${e.value}(${DSTATE_NAMES.indexOf(e.value)})`);
        break;
      case "event":
        out.push(p + `# EVENT_STATE ${e.value === "set" ? 1 : 0}`);
        break;
      case "node": {
        const n = ev.resolve(e.path);
        if (n) {
          const s = displayState(n);
          out.push(p + `# NODE ${e.path} ${s}(${DSTATE_NAMES.indexOf(s)})`);
        } else out.push(p + `# NODE node(?not-found?) ${e.path} unknown(0) # check suite filter`);
        break;
      }
      case "flag": {
        const n = e.path === "/" ? undefined : ev.resolve(e.path);
        if (n) {
          out.push(p + `# FLAG_NODE ${e.path} ${e.flag}(${n._flags?.includes(e.flag) ? 1 : 0})`);
        } else {
          out.push(p + `# FLAG_NODE node(?not-found?) ${e.path} ${e.flag}(0) # check suite filter`);
        }
        break;
      }
      case "attr": {
        const n = ev.resolve(e.path);
        if (n) {
          out.push(
            p + `# ${e.path}:${e.name} node(${n.name}) ${ev.variable(n, e.name)?.shown ?? ""}`,
          );
        } else {
          out.push(
            p + `# ${e.path}:${e.name} node(?not-found?) ${e.path} value(0) # check suite filter`,
          );
        }
        break;
      }
      case "parentVar": {
        const n = ev.holder(e.name);
        if (n) out.push(p + `# :${e.name} node(${n.name}) ${ev.variable(n, e.name)?.shown ?? ""}`);
        else out.push(p + `# :${e.name} node(?not-found?) value(0) # check suite filter`);
        break;
      }
      case "call":
        out.push(
          p + `# ${e.fn === "date_to_julian" ? "DATE_TO_JULIAN" : "JULIAN_TO_DATE"} ${ev.value(e)}`,
        );
        break;
    }
  }
}

/**
 * The `# Trigger Evaluation Tree` comment block ecFlow prints under a trigger or complete in
 * STATE style; lines are relative to the trigger line's indentation.
 *
 * @example
 * ```ts
 * import { expressionTree, parseDefs } from "@ecflow-ts/client/defs";
 * import { assertEquals } from "@std/assert";
 * const defs = parseDefs("suite s\n  task a\n  task b\n    trigger a == complete\nendsuite\n");
 * assertEquals(expressionTree(defs.find("/s/b")!, "trigger", defs), [
 *   "  # Trigger Evaluation Tree",
 *   "    # EQUAL (false)",
 *   "      # NODE a unknown(0)",
 *   "      # NODE_STATE complete(1)",
 * ]);
 * ```
 */
export function expressionTree(node: Node, kind: "trigger" | "complete", defs?: Defs): string[] {
  const e = node[kind];
  if (!e) return [];
  // like ecFlow, each part is parsed on its own and the parts are folded left to right
  const ast = composedExpression(e.parts);
  if (!ast) return [];
  const out: string[] = [];
  if (!defs) out.push("  # Warning: Full/correct AST evaluation requires the definition");
  out.push("  # Trigger Evaluation Tree");
  printTree(new ExprEvaluator(defs, node), ast, 2, out);
  return out;
}

/**
 * The {@link StateExtras} that make `printDefs(defs, { style: "state" })` print like
 * ecflow_client (generated variables and evaluation trees): as ecFlow 5.9.2, or as the
 * version of `profile`.
 *
 * @example
 * ```ts
 * import { parseDefs, printDefs, stateExtras } from "@ecflow-ts/client/defs";
 * import { assertEquals } from "@std/assert";
 * const defs = parseDefs("suite s\n  task t\nendsuite\n");
 * const text = printDefs(defs, { style: "state", stateExtras: stateExtras(defs) });
 * assertEquals(text.includes("# edit ECF_NAME '/s/t'"), true);
 * ```
 *
 * @example As ecflow_client 5.17 prints it
 * ```ts
 * import { parseDefs, printDefs, printProfile, stateExtras } from "@ecflow-ts/client/defs";
 * import { assertEquals } from "@std/assert";
 * const defs = parseDefs("suite s\n  repeat date YMD 20240301 20240302\n  task t\nendsuite\n");
 * const profile = printProfile("5.17.0");
 * const text = printDefs(defs, { style: "state", profile, stateExtras: stateExtras(defs, profile) });
 * assertEquals(text.split("\n").slice(0, 2), ["#5.17.0", "defs_state STATE cal_count:0"]);
 * assertEquals(text.includes("\n# edit YMD_MM '03'\n"), true);
 * ```
 */
export function stateExtras(defs?: Defs, profile?: PrintProfile): StateExtras {
  const options = { paddedDateParts: profile?.paddedDateParts ?? false };
  return {
    generatedVariables: (n) => generatedVariables(n, defs, options),
    expressionTree: (n, kind) => expressionTree(n, kind, defs),
  };
}
