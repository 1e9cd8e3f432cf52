/**
 * ecFlow definitions as a typed tree: parse the definition language (and the NET/STATE/
 * MIGRATE text a server sends), navigate it, check it like `ecflow_client --load … check_only`,
 * and print it back byte-identical to ecflow_client (5.9.2, or the version of a print profile).
 *
 * @example
 * ```ts
 * import { parseDefs, printDefs } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * const defs = parseDefs("suite s\n  task t # state:active\nendsuite\n");
 * const nodes = [...defs].map((node) => `${node.absPath} ${node.kind}`);
 * assertEquals(nodes, ["/s suite", "/s/t task"]);
 * const text = printDefs(defs, { style: "defs" });
 * assertEquals(text, "#5.9.2\nsuite s\n  task t\nendsuite\n# enddef\n");
 * ```
 *
 * @module
 */

export { DefsParseError } from "./errors.ts";
export { parseDefs, parseNode, type ParseOptions } from "./parser.ts";
export {
  formatSlot,
  printDefs,
  printNode,
  type PrintNodeOptions,
  type PrintOptions,
  type PrintStyle,
  sortedExterns,
  type StateExtras,
  writeDefs,
  writeNode,
} from "./printer.ts";
export {
  autoExterns,
  checkDefs,
  checkDefsText,
  type CheckIssue,
  type CheckOptions,
  type CheckResult,
  formatIssue,
  hasExprVariable,
  resolvePath,
} from "./check.ts";
export {
  type BinOp,
  type ExprAst,
  ExprError,
  isValidExprPath,
  joinParts,
  parseExpression,
  walkExpr,
} from "./expr.ts";
export { expressionTree, stateExtras } from "./state.ts";
export {
  PRINT_PROFILE_5_9,
  type PrintProfile,
  printProfile,
  profileServerVariables,
  versionNumbers,
} from "./profile.ts";
export { type GeneratedOptions, generatedVariables } from "./generated.ts";
export { dateToJulian, julianToDate } from "./julian.ts";
export { composedExpression, ExprEvaluator, type ExprVariable } from "./evaluate.ts";
export { why } from "./why.ts";
export {
  defaultServerVariables,
  loadDefsText,
  type LoadTextOptions,
  type ServerVariableOptions,
} from "./load.ts";
export {
  Alias,
  attrList,
  type AttrListName,
  type AttrLists,
  type AutoArchive,
  type AutoTime,
  type AvisoAttr,
  type Calendar,
  type ClockAttr,
  type CronAttr,
  type DateAttr,
  DAY_NAMES,
  type DayAttr,
  Defs,
  type DefsStyle,
  type DefStatus,
  type Event,
  type Expression,
  Family,
  FLAG_NAMES,
  type GenericAttr,
  type HistoryEntry,
  type InLimit,
  type Label,
  type LateAttr,
  type Limit,
  type Meter,
  type MirrorAttr,
  Node,
  NODE_STATES,
  NodeContainer,
  type NodeKind,
  type NodeState,
  type PartExpression,
  type QueueAttr,
  type Repeat,
  type RepeatDate,
  type RepeatDateList,
  type RepeatDateTime,
  type RepeatDateTimeList,
  type RepeatDay,
  type RepeatEnumerated,
  type RepeatInteger,
  type RepeatString,
  type ServerState,
  type SubmittableState,
  Suite,
  Task,
  type TimeAttr,
  type TimeSeries,
  type TimeSlot,
  type TodayAttr,
  type Variable,
  type VerifyAttr,
  type ZombieAttr,
  type ZombieType,
} from "./model.ts";
export { type DefsJson, defsToJson, type NodeJson, nodeToJson } from "./json.ts";
