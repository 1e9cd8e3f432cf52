/**
 * Why a node does not run, as ecflow_client works it out from a fetched definition
 * (`--group="get; why"`, `Client.why()`): a suspended or not-queued node, full limits, the
 * reasons of time, today, day, date and cron attributes, and a trigger that does not hold,
 * shown with the state of what it references. The expressions are evaluated by the one
 * evaluator (`evaluate.ts`). Pure functions of the definition tree.
 *
 * @module
 */
import type { BinOp, ExprAst } from "./expr.ts";
import { resolvePath } from "./check.ts";
import { DAY_NAMES, type Defs, type Node, type Suite } from "./model.ts";
import { MONTH_ABBREVIATIONS } from "./values.ts";
import { composedExpression, displayState, ExprEvaluator } from "./evaluate.ts";

const pad2 = (n: number) => String(n).padStart(2, "0");

const DEBUG_TYPE: Record<string, string> = {
  suite: "SUITE",
  family: "FAMILY",
  task: "TASK",
  alias: "ALIAS",
};

const WHY_OP: Partial<Record<BinOp, string>> = {
  and: " and ",
  or: " or ",
  "==": " == ",
  "!=": " != ",
  "<=": " <= ",
  ">=": " >= ",
  ">": " > ",
  "<": " lt ",
};

const ARITH_OP: Partial<Record<BinOp, string>> = {
  "+": " + ",
  "-": " - ",
  "*": " * ",
  "/": " / ",
  "%": " % ",
};

/** ecFlow's `why_expression`: the expression with the state of what it references. */
function whyExpression(ev: ExprEvaluator, root: ExprAst): string {
  // post-order on an explicit stack, so an expression of any depth is explained
  const stack: { e: ExprAst; kids: ExprAst[]; parts: string[] }[] = [];
  const visit = (e: ExprAst) => stack.push({ e, kids: explained(ev, e), parts: [] });
  visit(root);
  let text = "";
  while (stack.length > 0) {
    const f = stack[stack.length - 1];
    if (f.parts.length < f.kids.length) {
      visit(f.kids[f.parts.length]);
      continue;
    }
    stack.pop();
    text = explain(ev, f.e, f.parts);
    if (stack.length > 0) stack[stack.length - 1].parts.push(text);
  }
  return text;
}

/** The parts of `e` its explanation shows: none for a comparison or `not` that holds. */
function explained(ev: ExprEvaluator, e: ExprAst): ExprAst[] {
  switch (e.t) {
    case "bin":
      return ARITH_OP[e.op] || !ev.evaluate(e) ? [e.left, e.right] : [];
    case "not":
      return ev.evaluate(e) ? [] : [e.expr];
    case "call":
      return [e.arg];
    default:
      return [];
  }
}

/** One expression node explained, given its children's explanations. */
function explain(ev: ExprEvaluator, e: ExprAst, parts: string[]): string {
  switch (e.t) {
    case "int":
      return String(e.value);
    case "neg":
      return String(ev.value(e));
    case "state":
    case "event":
      return e.value;
    case "node": {
      const n = ev.resolve(e.path);
      return n ? `${e.path}(${displayState(n)})` : `${e.path}?(unknown)`;
    }
    case "attr": {
      const n = ev.resolve(e.path);
      const found = n ? ev.variable(n, e.name) : undefined;
      const type = found?.kind ?? "variable-not-found";
      return `${e.path}${n ? "" : "(?)"}:${e.name}(type:${type} value:${found?.value ?? 0})`;
    }
    case "parentVar": {
      const n = ev.holder(e.name);
      const found = n ? ev.variable(n, e.name) : undefined;
      return `:${e.name}(type:${found?.kind ?? "variable-not-found"} value:${found?.value ?? 0})`;
    }
    case "flag": {
      const n = e.path === "/" ? undefined : ev.resolve(e.path);
      return n
        ? `${e.path}<flag>${e.flag}(${n.flags.includes(e.flag) ? 1 : 0})`
        : `${e.path}(?)<flag>${e.flag}(?)`;
    }
    case "call":
      return `${e.fn}( arg:${parts[0]}) = ${ev.value(e)}`;
    case "not":
      return parts.length === 0 ? "true" : "not " + parts[0];
    case "bin": {
      const arith = ARITH_OP[e.op];
      if (arith) return parts[0] + arith + parts[1];
      if (parts.length === 0) return "true";
      return `(${parts[0]}${WHY_OP[e.op]}${parts[1]})`;
    }
  }
}

function parseAst(node: Node, kind: "trigger" | "complete"): ExprAst | undefined {
  const e = node[kind];
  return e ? composedExpression(e.parts) : undefined;
}

function findLimit(defs: Defs, node: Node, path: string, name: string) {
  if (path === "") {
    for (let n: Node | undefined = node.parent ?? node; n; n = n.parent) {
      const l = n.limits.find((x) => x.name === name);
      if (l) return l;
    }
    return undefined;
  }
  return resolvePath(defs, node, path)?.limits.find((x) => x.name === name);
}

function suiteOf(node: Node): Suite | undefined {
  let n: Node = node;
  while (n.parent) n = n.parent;
  return n.kind === "suite" ? n as Suite : undefined;
}

const slotText = (h: number, m: number) => `${pad2(h)}:${pad2(m)}`;

/** Time-of-day of the suite's calendar as minutes, or undefined when not begun. */
function suiteMinutes(node: Node): number | undefined {
  const cal = suiteOf(node)?.calendar;
  const m = cal ? / (\d{2}):(\d{2}):\d{2}/.exec(cal.suiteTime) : null;
  return m ? Number(m[1]) * 60 + Number(m[2]) : undefined;
}

/** The suite calendar's date (UTC midnight), or undefined when not begun. */
function suiteDate(node: Node): Date | undefined {
  const cal = suiteOf(node)?.calendar;
  const m = cal ? /^(\d{4})-([A-Z][a-z]{2})-(\d{2})/.exec(cal.suiteTime) : null;
  return m
    ? new Date(Date.UTC(Number(m[1]), MONTH_ABBREVIATIONS.indexOf(m[2]), Number(m[3])))
    : undefined;
}

const addDays = (d: Date, n: number) => new Date(d.getTime() + n * 86_400_000);

/** A date as boost prints it (`2026-Nov-28`). */
function boostDate(d: Date): string {
  return `${d.getUTCFullYear()}-${MONTH_ABBREVIATIONS[d.getUTCMonth()]}-${pad2(d.getUTCDate())}`;
}

/** DayAttr::next_matching_date: the next date (after today) on that weekday. */
function nextDayDate(today: Date, day: string): Date {
  const want = DAY_NAMES.indexOf(day);
  for (let i = 1; i <= 7; i++) {
    const d = addDays(today, i);
    if (d.getUTCDay() === want) return d;
  }
  return today;
}

/** DateAttr::next_matching_date, with ecFlow's sticky per-field matching. */
function nextDateDate(today: Date, a: { day: number; month: number; year: number }): Date {
  let dm = a.day === 0, mm = a.month === 0, ym = a.year === 0;
  for (let i = 1; i <= 365; i++) {
    const d = addDays(today, i);
    if (a.day !== 0 && d.getUTCDate() === a.day) dm = true;
    if (a.month !== 0 && d.getUTCMonth() + 1 === a.month) mm = true;
    if (a.year !== 0 && d.getUTCFullYear() === a.year) ym = true;
    if (dm && mm && ym) return d;
  }
  return today;
}

/** `day` reason postfix (note ecFlow's leading space), or undefined when free. */
function dayWhy(today: Date, a: { day: string; free: boolean; expired: boolean; date?: string }) {
  if (!a.expired && (a.free || a.date === boostDate(today))) return undefined;
  const next = a.date && /^\d{4}-/.test(a.date) ? a.date : boostDate(nextDayDate(today, a.day));
  return ` is day dependent ( next run on ${a.day} ${next} the current day is ${
    DAY_NAMES[today.getUTCDay()]
  } )`;
}

/** `date` reason postfix, or undefined when free. */
function dateWhy(today: Date, a: { day: number; month: number; year: number; free: boolean }) {
  const matches = (a.day === 0 || today.getUTCDate() === a.day) &&
    (a.month === 0 || today.getUTCMonth() + 1 === a.month) &&
    (a.year === 0 || today.getUTCFullYear() === a.year);
  if (a.free || matches) return undefined;
  return ` is date dependent ( next run on ${
    boostDate(nextDateDate(today, a))
  } the current date is ${today.getUTCDate()}/${
    today.getUTCMonth() + 1
  }/${today.getUTCFullYear()} )`;
}

function seriesText(s: TimeSeriesLike): string {
  let t = (s.relative ? "+" : "") + slotText(s.start.hour, s.start.minute);
  if (s.finish && s.increment) {
    t += ` ${slotText(s.finish.hour, s.finish.minute)} ${
      slotText(s.increment.hour, s.increment.minute)
    }`;
  }
  return t;
}

/**
 * ecFlow's `TimeAttr::why`/`TodayAttr::why` postfix, or undefined when the
 * attribute does not hold the node (or, with day/date attributes and an
 * expired slot, when ecflow-ts cannot reproduce the next date).
 */
function timeWhy(node: Node, word: "time" | "today", s: TimeSeriesLike): string | undefined {
  if (s.free) return undefined;
  const rel = s.relative ? /^[-+]?(\d+):(\d{2})/.exec(s.relativeDuration ?? "00:00:00") : undefined;
  const now = s.relative ? (rel ? Number(rel[1]) * 60 + Number(rel[2]) : 0) : suiteMinutes(node);
  if (now === undefined) return undefined;
  const start = s.start.hour * 60 + s.start.minute;
  const next = s.nextTimeSlot ?? slotText(s.start.hour, s.start.minute);
  const series = s.finish !== undefined && s.increment !== undefined;
  const end = series ? s.finish!.hour * 60 + s.finish!.minute : start;
  const inc = series ? s.increment!.hour * 60 + s.increment!.minute : 0;
  // isFree: a single `today` slot in the past is free; otherwise the current
  // time must match the slot (or a remaining slot of the series)
  if (word === "today" && !series && now > start) return undefined;
  if (s.isValid) {
    if (!series) {
      if (now === start) return undefined;
    } else {
      const [nh, nm] = next.split(":").map(Number);
      for (let t = nh * 60 + nm; inc > 0 && t <= end; t += inc) if (t === now) return undefined;
    }
  }
  let reason = `is ${word} `;
  if (node.days.length) reason += "and day ";
  if (node.dates.length) reason += "and date ";
  reason += "dependent";
  const plus = s.relative ? "+" : "";
  const ahead = now < start || (series && now < end);
  if (s.isValid && ahead) {
    return `${reason} ( next run time is ${plus}${next}, current suite time is ${plus}${
      slotText(Math.floor(now / 60), now % 60)
    } )`;
  }
  reason += ` ( '${word} ${seriesText(s)}' has expired,`;
  if (ahead) {
    // requeueable: the next slot, as ecFlow computes it
    let nextSlot: number | undefined = start;
    if (!series) nextSlot = now >= start ? undefined : start;
    else {
      while (now >= nextSlot!) nextSlot! += inc;
      if (nextSlot! > end) nextSlot = undefined;
    }
    reason += nextSlot === undefined || !series
      ? " *re-queue* to run at this time"
      : ` *re-queue* to run at ${slotText(Math.floor(nextSlot / 60), nextSlot % 60)}`;
  } else if (s.relative) {
    reason += " please *re-queue*, to reset the relative duration";
  } else {
    const today = suiteDate(node);
    if (!today) return undefined;
    if (node.days.length || node.dates.length) {
      const candidates = [
        ...node.days.map((d) => nextDayDate(today, d.day)),
        ...node.dates.map((d) => nextDateDate(today, d)),
      ];
      const min = candidates.reduce((a, b) => (b < a ? b : a));
      reason += ` next run at ${slotText(s.start.hour, s.start.minute)} ${boostDate(min)}`;
    } else {
      reason += ` next run tomorrow at ${slotText(s.start.hour, s.start.minute)} ${
        boostDate(addDays(today, 1))
      }`;
    }
  }
  return reason + " )";
}

/** TimeSeries::isFree: the current minute is the slot, or a remaining slot of a series. */
function seriesFree(s: TimeSeriesLike, now: number): boolean {
  if (!s.isValid) return false;
  const start = s.start.hour * 60 + s.start.minute;
  if (!s.finish || !s.increment) return now === start;
  const end = s.finish.hour * 60 + s.finish.minute;
  const inc = s.increment.hour * 60 + s.increment.minute;
  const next = s.nextTimeSlot ?? slotText(s.start.hour, s.start.minute);
  const [nh, nm] = next.split(":").map(Number);
  for (let t = nh * 60 + nm; inc > 0 && t <= end; t += inc) if (t === now) return true;
  return false;
}

const endOfMonth = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0));

interface CronLike {
  weekDays: number[];
  lastWeekDaysOfMonth: number[];
  daysOfMonth: number[];
  lastDayOfMonth: boolean;
  months: number[];
  series: TimeSeriesLike;
}

/** CronAttr::is_day_of_week_day_of_month_and_month_free for the calendar date. */
function cronDayFree(c: CronLike, today: Date): boolean {
  const dow = today.getUTCDay();
  let week = c.weekDays.length === 0 && c.lastWeekDaysOfMonth.length === 0;
  let dom = c.daysOfMonth.length === 0;
  let month = c.months.length === 0;
  if (c.weekDays.length) week = c.weekDays.includes(dow);
  if (!week && c.lastWeekDaysOfMonth.length) {
    const left = (endOfMonth(today).getTime() - today.getTime()) / 86_400_000;
    week = c.lastWeekDaysOfMonth.includes(dow) && left < 7;
  }
  if (c.daysOfMonth.length || c.lastDayOfMonth) {
    dom = c.daysOfMonth.includes(today.getUTCDate()) ||
      (c.lastDayOfMonth && today.getTime() === endOfMonth(today).getTime());
  }
  if (c.months.length) month = c.months.includes(today.getUTCMonth() + 1);
  if (c.daysOfMonth.length === 0 && !c.lastDayOfMonth && c.months.length === 0) return week;
  return week && dom && month;
}

/** CronAttr::next_date, with ecFlow's quirks (any last-week-day match counts). */
function cronNextDate(c: CronLike, today: Date): Date {
  for (let d = addDays(today, 1), i = 0; i < 3660; d = addDays(d, 1), i++) {
    let week = c.weekDays.length === 0 || c.weekDays.includes(d.getUTCDay());
    const lastWeek = c.lastWeekDaysOfMonth.length === 0 ||
      c.lastWeekDaysOfMonth.includes(d.getUTCDay());
    let dom = c.daysOfMonth.length === 0 && !c.lastDayOfMonth;
    if (c.daysOfMonth.length || c.lastDayOfMonth) {
      dom = c.daysOfMonth.includes(d.getUTCDate()) ||
        (c.lastDayOfMonth && d.getTime() === endOfMonth(d).getTime());
    }
    const month = c.months.length === 0 || c.months.includes(d.getUTCMonth() + 1);
    week = week || lastWeek;
    if (week && dom && month) return d;
  }
  return today;
}

/** CronAttr::why postfix, or undefined when the cron does not hold the node. */
function cronWhy(node: Node, c: CronLike): string | undefined {
  const s = c.series;
  const today = suiteDate(node);
  const rel = s.relative ? /^[-+]?(\d+):(\d{2})/.exec(s.relativeDuration ?? "00:00:00") : undefined;
  const now = s.relative ? (rel ? Number(rel[1]) * 60 + Number(rel[2]) : 0) : suiteMinutes(node);
  if (!today || now === undefined) return undefined;
  const dayFree = cronDayFree(c, today);
  if (s.free || (seriesFree(s, now) && dayFree)) return undefined;
  let reason = "is cron dependent";
  const start = s.start.hour * 60 + s.start.minute;
  const series = s.finish !== undefined && s.increment !== undefined;
  const end = series ? s.finish!.hour * 60 + s.finish!.minute : start;
  const inc = series ? s.increment!.hour * 60 + s.increment!.minute : 0;
  const plus = s.relative ? "+" : "";
  const nowText = slotText(Math.floor(now / 60), now % 60);
  if (dayFree && s.isValid && (now < start || (series && now < end))) {
    const next = s.nextTimeSlot ?? slotText(s.start.hour, s.start.minute);
    return `${reason} ( next run time is ${plus}${next}, current suite time is ${plus}${nowText} )`;
  }
  const requeueable = now < start || (series && now < end);
  if (requeueable && !c.weekDays.length && !c.daysOfMonth.length && !c.months.length) {
    let nextSlot: number | undefined = start;
    if (!series) nextSlot = now >= start ? undefined : start;
    else {
      while (now >= nextSlot!) nextSlot! += inc;
      if (nextSlot! > end) nextSlot = undefined;
    }
    reason += nextSlot === undefined
      ? " ( *re-queue* to run at this time "
      : ` ( *re-queue* to run at ${slotText(Math.floor(nextSlot / 60), nextSlot % 60)}`;
    reason += ", otherwise next run is at ";
  } else reason += " ( next run is at ";
  return `${reason}${slotText(s.start.hour, s.start.minute)} ${
    boostDate(cronNextDate(c, today))
  }, current time ${plus}${nowText} ${boostDate(today)} )`;
}

interface TimeSeriesLike {
  relative: boolean;
  start: { hour: number; minute: number };
  finish?: { hour: number; minute: number };
  increment?: { hour: number; minute: number };
  free: boolean;
  isValid: boolean;
  nextTimeSlot?: string;
  relativeDuration?: string;
}

/** ecFlow's `Node::why` for one node; true when a reason holds the node. */
function nodeWhy(defs: Defs, node: Node, out: string[]): boolean {
  let found = false;
  // the path is made only for a reason (a deep tree has long paths)
  const debugPath = () => `${DEBUG_TYPE[node.kind]}:${node.absPath}`;
  if (node.suspended) {
    out.push(`${debugPath()} is suspended`);
    found = true;
  } else if (node.state !== "queued" && node.state !== "aborted") {
    out.push(`${debugPath()} (${node.state}) is not queued or aborted`);
    if (node.kind === "task" || node.kind === "alias") return found;
    found = true;
  }
  // limits: only when some in-limit has no room
  const full = (node._inLimits ?? []).map((il) => ({
    il,
    limit: findLimit(defs, node, il.path, il.name),
  }))
    .filter(({ il, limit }) => limit && limit.value + il.tokens > limit.max);
  for (const { il, limit } of full) {
    const consumed = limit!.paths.slice(0, 4).map((p) => p + ",").join("") +
      (limit!.paths.length > 4 ? "..." : "");
    out.push(
      `limit ${il.path === "" ? limit!.name : `${il.path}:${limit!.name}`} is full(${consumed})`,
    );
    found = true;
  }
  let prefixText: string | undefined;
  const prefix = () => prefixText ??= `${DEBUG_TYPE[node.kind]} ${node.absPath}(${node.state}) `;
  const today = node._days || node._dates ? suiteDate(node) : undefined;
  if (today) {
    for (const d of node.days) {
      const r = dayWhy(today, d);
      if (r) {
        out.push(prefix() + r);
        found = true;
      }
    }
    for (const d of node.dates) {
      const r = dateWhy(today, d);
      if (r) {
        out.push(prefix() + r);
        found = true;
      }
    }
  }
  for (const t of node.todays) {
    const r = timeWhy(node, "today", t.series);
    if (r) {
      out.push(prefix() + r);
      found = true;
    }
  }
  for (const t of node.times) {
    const r = timeWhy(node, "time", t.series);
    if (r) {
      out.push(prefix() + r);
      found = true;
    }
  }
  for (const c of node.crons) {
    const r = cronWhy(node, c);
    if (r) {
      out.push(prefix() + r);
      found = true;
    }
  }
  const ev = new ExprEvaluator(defs, node);
  const complete = parseAst(node, "complete");
  const completeHolds = complete && !node.complete!.free && !ev.evaluate(complete);
  const trigger = parseAst(node, "trigger");
  if ((!complete || completeHolds) && trigger && !node.trigger!.free && !ev.evaluate(trigger)) {
    out.push(prefix() + "expression " + whyExpression(ev, trigger) + " is false");
    found = true;
  }
  return found;
}

function defsWhy(defs: Defs, out: string[]): boolean {
  if (defs.serverState !== "RUNNING") {
    out.push("The server is *not* RUNNING.");
    return true;
  }
  if (defs.state !== "queued" && defs.state !== "aborted") {
    out.push(`The definition state(${defs.state}) is not queued or aborted.`);
  }
  return false;
}

/** Top down from `root`: a node's children are looked at only when the node itself has no reason. */
function topDown(defs: Defs, root: Node, out: string[]): void {
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (nodeWhy(defs, node, out) || node.kind === "task" || node.kind === "alias") continue;
    const children = node.children;
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
}

/**
 * Why nodes do not run, as `ecflow_client --group="get; why[=<path>]"` prints
 * it: for one node, the reasons of every node from its suite down to it;
 * for the whole definition, top down until reasons are found.
 */
export function why(defs: Defs, path = ""): string[] {
  const out: string[] = [];
  if (path !== "") {
    const node = defs.find(path);
    if (!node) throw new Error(`WhyCmd: The node path parameter '${path}' cannot be found.`);
    defsWhy(defs, out);
    const chain: Node[] = [];
    for (let n: Node | undefined = node; n; n = n.parent) chain.push(n);
    for (let i = chain.length - 1; i >= 0; i--) nodeWhy(defs, chain[i], out);
  } else if (!defsWhy(defs, out)) {
    for (const s of defs.suites) topDown(defs, s, out);
  }
  return out;
}
