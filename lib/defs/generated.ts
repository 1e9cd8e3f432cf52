/**
 * The variables ecFlow generates for a node (`TASK`, `ECF_JOB`, `FAMILY`, a begun suite's
 * calendar variables, a repeat's value and date or time parts), computed from the definition's
 * current state as ecFlow does (5.9.2's forms unless told the parts are padded, as from 5.16),
 * and the integer values ecFlow reads from texts and repeats.
 *
 * @module
 */

import { DAY_NAMES, type Defs, type Node, type Repeat, type Suite, type Task } from "./model.ts";
import type { Variable } from "./model.ts";
import { durationSeconds, MONTH_ABBREVIATIONS, SUITE_CALENDAR_VARIABLES } from "./values.ts";
import { dateToJulian } from "./julian.ts";

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

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/**
 * A text as a C `int`, as ecFlow's `boost::lexical_cast<int>` reads it: an optional sign and
 * decimal digits, nothing else, within the 32-bit range; `undefined` when it is not one.
 *
 * @example
 * ```ts
 * import { castInt } from "./generated.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals([castInt("+12"), castInt(" 12"), castInt("2147483648")], [12, undefined, undefined]);
 * ```
 */
export function castInt(s: string): number | undefined {
  if (!/^[-+]?\d+$/.test(s)) return undefined;
  const n = parseInt(s, 10);
  return n >= INT32_MIN && n <= INT32_MAX ? n : undefined;
}

/**
 * A variable's value as an integer (ecFlow's `Variable::value`): {@linkcode castInt}, else 0.
 *
 * @example
 * ```ts
 * import { variableInt } from "./generated.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals([variableInt("42"), variableInt("4x"), variableInt("")], [42, 0, 0]);
 * ```
 */
export function variableInt(s: string): number {
  return castInt(s) ?? 0;
}

/**
 * A repeat's current value kept within its range (ecFlow's `last_valid_value`): the date or
 * integer of a date, date list or integer repeat, an enumerated value that is a number (else
 * its index), the index of a string repeat; 0 for others.
 *
 * @example
 * ```ts
 * import { parseDefs } from "@ecflow-ts/client/defs";
 * import { lastValidValue } from "./generated.ts";
 * import { assertEquals } from "@std/assert";
 * const s = parseDefs("#5.9.2\ndefs_state NET\nsuite s\nrepeat integer I 1 3 # 5\nendsuite\n").find("/s")!;
 * assertEquals(lastValidValue(s.repeat!), 3);
 * ```
 */
export function lastValidValue(r: Repeat): number {
  switch (r.kind) {
    case "integer":
    case "date": {
      const lo = r.delta > 0 ? r.start : r.end, hi = r.delta > 0 ? r.end : r.start;
      return Math.min(Math.max(r.value, lo), hi);
    }
    case "datelist":
      if (r.values.length === 0) return 0;
      return r.values[Math.min(Math.max(r.index, 0), r.values.length - 1)];
    case "enumerated": {
      if (r.values.length === 0) return 0;
      if (r.index < 0) return castInt(r.values[0]) ?? 0;
      if (r.index >= r.values.length) {
        return castInt(r.values[r.values.length - 1]) ?? r.values.length - 1;
      }
      return castInt(r.values[r.index]) ?? r.index;
    }
    case "string":
    case "datetimelist":
      return r.values.length === 0 ? 0 : Math.min(Math.max(r.index, 0), r.values.length - 1);
    default:
      return 0;
  }
}

/**
 * A repeat's value as ecFlow's evaluation trees print it (`REPEAT value(…)`): the current
 * value, even when out of range.
 *
 * @example
 * ```ts
 * import { parseDefs } from "@ecflow-ts/client/defs";
 * import { repeatValue } from "./generated.ts";
 * import { assertEquals } from "@std/assert";
 * const s = parseDefs("#5.9.2\ndefs_state NET\nsuite s\nrepeat integer I 1 3 # 5\nendsuite\n").find("/s")!;
 * assertEquals(repeatValue(s.repeat!), 5);
 * ```
 */
export function repeatValue(r: Repeat): number {
  switch (r.kind) {
    case "integer":
    case "date":
      return r.value;
    case "datelist":
      return r.index >= 0 && r.index < r.values.length ? r.values[r.index] : 0;
    case "enumerated":
      return r.index >= 0 && r.index < r.values.length
        ? castInt(r.values[r.index]) ?? r.index
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
      return String(lastValidValue(r));
    case "enumerated":
    case "string":
    case "datetimelist":
      return r.values.length === 0
        ? ""
        : r.values[Math.min(Math.max(r.index, 0), r.values.length - 1)];
    case "datetime":
      return lastValidInstant(r);
    default:
      return "";
  }
}

/** A `repeat datetime` step (`HH:MM:SS`, ecFlow's Duration) in seconds. */
function stepSeconds(step: string): number {
  return durationSeconds(step) ?? 0;
}

/**
 * A `repeat datetime`'s current instant kept within its range (instants as
 * `yyyymmddTHHMMSS` order as text).
 */
function lastValidInstant(r: Extract<Repeat, { kind: "datetime" }>): string {
  if (stepSeconds(r.step) > 0) {
    return r.value < r.start ? r.start : r.value > r.end ? r.end : r.value;
  }
  return r.value > r.start ? r.start : r.value < r.end ? r.end : r.value;
}

/** Whether a repeat's current value is within its range (ecFlow's `RepeatBase::valid`). */
function repeatValid(r: Repeat): boolean {
  switch (r.kind) {
    case "date":
      return r.delta > 0 ? r.value <= r.end : r.value >= r.end;
    case "datelist":
    case "datetimelist":
      return r.index >= 0 && r.index < r.values.length;
    case "datetime":
      return stepSeconds(r.step) > 0 ? r.value <= r.end : r.value >= r.end;
    default:
      return true;
  }
}

const INVALID = "<invalid>";

/** The parts ecFlow generates for a `repeat datetime`/`datetimelist` instant, in its order. */
const INSTANT_PARTS = ["_DATE", "_YYYY", "_MM", "_DD", "_JULIAN", "_TIME", "_HOURS", "_MINUTES"]
  .concat(["_SECONDS"]);

function instantParts(name: string, instant: string | undefined, padded: boolean): Variable[] {
  const m = instant === undefined
    ? null
    : /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})$/.exec(instant);
  if (!m) return INSTANT_PARTS.map((p) => ({ name: name + p, value: INVALID }));
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
  const digits = (n: number, width: number) => padded ? String(n).padStart(width, "0") : String(n);
  const values = [
    m[1] + m[2] + m[3],
    digits(y, 4),
    digits(mo, 2),
    digits(d, 2),
    String(dateToJulian(y * 10000 + mo * 100 + d)),
    m[4] + m[5] + m[6],
    digits(h, 2),
    digits(mi, 2),
    digits(s, 2),
  ];
  return INSTANT_PARTS.map((p, i) => ({ name: name + p, value: values[i] }));
}

function repeatGenVariables(r: Repeat | undefined, padded: boolean): Variable[] {
  if (!r) return [];
  if (r.kind === "day") return [{ name: "day", value: "" }];
  const out: Variable[] = [];
  const valid = repeatValid(r);
  if ((r.kind === "date" || r.kind === "datelist") && !valid) {
    // ecFlow leaves the parts unset, and the day of the week empty
    out.push(
      { name: r.name + "_YYYY", value: INVALID },
      { name: r.name + "_MM", value: INVALID },
      { name: r.name + "_DD", value: INVALID },
      { name: r.name + "_DOW", value: "" },
      { name: r.name + "_JULIAN", value: INVALID },
    );
  } else if (r.kind === "date" || r.kind === "datelist") {
    const v = lastValidValue(r);
    const y = Math.floor(v / 10000), m = Math.floor((v % 10000) / 100), d = v % 100;
    const dow = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
    const digits = (n: number, width: number) =>
      padded ? String(n).padStart(width, "0") : String(n);
    out.push(
      { name: r.name + "_YYYY", value: digits(y, 4) },
      { name: r.name + "_MM", value: digits(m, 2) },
      { name: r.name + "_DD", value: digits(d, 2) },
      { name: r.name + "_DOW", value: String(dow) },
      { name: r.name + "_JULIAN", value: String(dateToJulian(v)) },
    );
  } else if (r.kind === "datetime" || r.kind === "datetimelist") {
    out.push(...instantParts(r.name, valid ? repeatAsString(r) : undefined, padded));
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
 * Options of {@linkcode generatedVariables}.
 *
 * @example
 * ```ts
 * import { type GeneratedOptions, generatedVariables, parseDefs } from "@ecflow-ts/client/defs";
 * import { assertEquals } from "@std/assert";
 * const s = parseDefs("suite s\n  repeat date YMD 20240301 20240302\nendsuite\n").find("/s")!;
 * const options: GeneratedOptions = { paddedDateParts: true };
 * assertEquals(generatedVariables(s, undefined, options)[1], { name: "YMD_MM", value: "03" });
 * ```
 */
export interface GeneratedOptions {
  /** A date repeat's `_YYYY`, `_MM`, `_DD` as 4, 2 and 2 digits (ecFlow 5.16 and later). */
  paddedDateParts?: boolean;
}

/**
 * The generated variables ecFlow shows for a node in STATE style, in ecFlow's order.
 *
 * @example
 * ```ts
 * import { generatedVariables, parseDefs } from "@ecflow-ts/client/defs";
 * import { assertEquals } from "@std/assert";
 * const defs = parseDefs("suite s\n  edit ECF_HOME '/h'\n  task t\nendsuite\n");
 * assertEquals(generatedVariables(defs.find("/s/t")!, defs)[1], { name: "ECF_JOB", value: "/h/s/t.job0" });
 * ```
 */
export function generatedVariables(
  node: Node,
  defs?: Defs,
  options: GeneratedOptions = {},
): Variable[] {
  const repeatVars = repeatGenVariables(node.repeat, options.paddedDateParts ?? false);
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
