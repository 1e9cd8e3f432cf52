/**
 * Typed model of an ecFlow definition: the {@link Defs} root, its {@link Suite}s,
 * {@link Family}/{@link Task}/{@link Alias} nodes and every attribute ecFlow knows.
 *
 * Runtime state (what the server appends after ` # ` in NET/STATE/MIGRATE text) is kept
 * next to the definition part, so a parsed server reply can be printed back byte for byte.
 * Time and duration values that ecFlow prints with boost's `to_simple_string` are kept as
 * the strings seen on the wire.
 *
 * @module
 */

/**
 * The state of a node, as ecFlow prints it (`NState`).
 *
 * @example
 * ```ts
 * import { type NodeState, parseDefs } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * const st: NodeState = parseDefs("#5.9.2\ndefs_state NET\nsuite s # state:active\nendsuite\n").find("/s")!.state;
 * assertEquals(st, "active");
 * ```
 */
export type NodeState = "unknown" | "complete" | "queued" | "aborted" | "submitted" | "active";

/**
 * All node states, in ecFlow's enum order.
 *
 * @example
 * ```ts
 * import { NODE_STATES } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * assertEquals(NODE_STATES.indexOf("complete"), 1);
 * ```
 */
export const NODE_STATES: readonly NodeState[] = [
  "unknown",
  "complete",
  "queued",
  "aborted",
  "submitted",
  "active",
];

/**
 * A `defstatus` value (`DState`): a node state or `suspended`. `queued` is the default.
 *
 * @example
 * ```ts
 * import { type DefStatus, parseDefs } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * const ds: DefStatus = parseDefs("suite s\n defstatus suspended\nendsuite\n").find("/s")!.defStatus;
 * assertEquals(ds, "suspended");
 * ```
 */
export type DefStatus = NodeState | "suspended";

/**
 * Server state from the `defs_state` line (`server_state:`); RUNNING when absent.
 *
 * @example
 * ```ts
 * import { parseDefs, type ServerState } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * const st: ServerState = parseDefs("#5.9.2\ndefs_state NET server_state:HALTED cal_count:0\n# enddef\n").serverState;
 * assertEquals(st, "HALTED");
 * ```
 */
export type ServerState = "HALTED" | "SHUTDOWN" | "RUNNING";

/**
 * The print style of a definition text (the word after `defs_state`).
 *
 * @example
 * ```ts
 * import { type DefsStyle, parseDefs } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * const style: DefsStyle = parseDefs("#5.9.2\ndefs_state NET\n# enddef\n").style;
 * assertEquals(style, "NET");
 * ```
 */
export type DefsStyle = "DEFS" | "STATE" | "NET" | "MIGRATE";

/**
 * Names of node flags, in the order ecFlow writes them in `flag:` lists
 * (`not_set` and HEAD's `remote_error` last).
 *
 * @example
 * ```ts
 * import { FLAG_NAMES } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * assertEquals(FLAG_NAMES.includes("zombie"), true);
 * ```
 */
export const FLAG_NAMES: readonly string[] = [
  "force_aborted",
  "user_edit",
  "task_aborted",
  "edit_failed",
  "ecfcmd_failed",
  "killcmd_failed",
  "statuscmd_failed",
  "no_script",
  "killed",
  "status",
  "late",
  "message",
  "by_rule",
  "queue_limit",
  "task_waiting",
  "locked",
  "zombie",
  "no_reque",
  "archived",
  "restored",
  "threshold",
  "sigterm",
  "log_error",
  "checkpt_error",
  "not_set",
  "remote_error",
];

/**
 * A variable: `edit NAME 'value'`.
 *
 * @example
 * ```ts
 * import { parseDefs, type Variable } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * const v: Variable = parseDefs("suite s\n edit NAME 'some value'\nendsuite\n").find("/s")!.variables[0];
 * assertEquals(v, { name: "NAME", value: "some value" });
 * ```
 */
export interface Variable {
  /** Variable name. */
  name: string;
  /** Value with surrounding quotes removed (as ecFlow stores it). */
  value: string;
}

/**
 * An event: `event [number] [name] [set]`, with its current value.
 *
 * @example
 * ```ts
 * import { parseDefs } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * assertEquals(parseDefs("suite s\n task t\n  event 1 go set\nendsuite\n").find("/s/t")!.events[0], { number: 1, name: "go", initial: true, value: true });
 * ```
 */
export interface Event {
  /** Event number, or `undefined` when the event was declared by name only. */
  number?: number;
  /** Event name ("" when only a number was given). */
  name: string;
  /** Initial value (`set` after the name). */
  initial: boolean;
  /** Current value (`# set` / `# clear` in state styles). */
  value: boolean;
}

/**
 * A meter: `meter name min max [colour_change]`.
 *
 * @example
 * ```ts
 * import { parseDefs } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * const meter = parseDefs("suite s\n task t\n  meter m 0 100 90\nendsuite\n").find("/s/t")!.meters[0];
 * assertEquals(meter, { name: "m", min: 0, max: 100, colorChange: 90, value: 0 });
 * ```
 */
export interface Meter {
  /** Meter name. */
  name: string;
  /** Minimum value. */
  min: number;
  /** Maximum value. */
  max: number;
  /** Colour change threshold. */
  colorChange: number;
  /** Current value (defaults to `min`). */
  value: number;
}

/**
 * A label: `label name "value"` and its current value (`# "new value"`).
 *
 * @example
 * ```ts
 * import { parseDefs } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * assertEquals(parseDefs("suite s\n label info \"hello world\"\nendsuite\n").find("/s")!.labels[0].value, "hello world");
 * ```
 */
export interface Label {
  /** Label name. */
  name: string;
  /** Definition value (with `\n` escapes turned into newlines). */
  value: string;
  /** Value set by a child command or alter; "" when not set. */
  newValue: string;
}

/**
 * A limit: `limit name max` and its usage.
 *
 * @example
 * ```ts
 * import { parseDefs } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * assertEquals(parseDefs("suite s\n limit l 2\nendsuite\n").find("/s")!.limits[0], { name: "l", max: 2, value: 0, paths: [] });
 * ```
 */
export interface Limit {
  /** Limit name. */
  name: string;
  /** Maximum number of tokens. */
  max: number;
  /** Tokens in use. */
  value: number;
  /** Paths of the nodes that hold tokens. */
  paths: string[];
}

/**
 * An inlimit reference: `inlimit [-n] [-s] [path:]name [tokens]`.
 *
 * @example
 * ```ts
 * import { parseDefs } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * const t = parseDefs("suite s\n limit l 2\n task t\n  inlimit -s /s:l\nendsuite\n").find("/s/t")!;
 * assertEquals(t.inLimits[0], {
 *   name: "l",
 *   path: "/s",
 *   tokens: 1,
 *   nodeOnly: false,
 *   submission: true,
 *   incremented: false,
 * });
 * ```
 */
export interface InLimit {
  /** Limit name. */
  name: string;
  /** Path of the node holding the limit ("" = search up the tree). */
  path: string;
  /** Tokens consumed (default 1). */
  tokens: number;
  /** `-n`: limit this node only (families). */
  nodeOnly: boolean;
  /** `-s`: limit submission only. */
  submission: boolean;
  /** Runtime: token taken (`# incremented:1`). */
  incremented: boolean;
}

/**
 * A clock time `HH:MM`.
 *
 * @example
 * ```ts
 * import { formatSlot } from "@ecflow-ts/client/defs";
 * import { type TimeSlot } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * const slot: TimeSlot = { hour: 23, minute: 59 };
 * assertEquals(formatSlot(slot), "23:59");
 * ```
 */
export interface TimeSlot {
  /** Hour 0-23 (`undefined` never happens for a parsed slot). */
  hour: number;
  /** Minute 0-59. */
  minute: number;
}

/**
 * A time series as used by `time`, `today` and `cron`.
 *
 * @example
 * ```ts
 * import { parseDefs, type TimeSeries } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * const ts: TimeSeries = parseDefs("suite s\n task t\n  time 10:00 12:00 00:30\nendsuite\n").find("/s/t")!.times[0].series;
 * assertEquals(ts.finish, { hour: 12, minute: 0 });
 * assertEquals(ts.increment, { hour: 0, minute: 30 });
 * ```
 */
export interface TimeSeries {
  /** `+` prefix: relative to suite begin. */
  relative: boolean;
  /** Start time. */
  start: TimeSlot;
  /** Finish time of a series, if any. */
  finish?: TimeSlot;
  /** Increment of a series, if any. */
  increment?: TimeSlot;
  /** Runtime state: whether the attribute was freed (`# free`). */
  free: boolean;
  /** Runtime state: `isValid:false` when the series has expired. */
  isValid: boolean;
  /** Runtime state: next time slot as printed (`nextTimeSlot/HH:MM`), if it differs from start. */
  nextTimeSlot?: string;
  /** Runtime state: `relativeDuration/HH:MM:SS`, if non-zero. */
  relativeDuration?: string;
}

/**
 * A `time` attribute.
 *
 * @example
 * ```ts
 * import { parseDefs } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * assertEquals(parseDefs("suite s\n task t\n  time +00:30\nendsuite\n").find("/s/t")!.times[0].series.relative, true);
 * ```
 */
export interface TimeAttr {
  /** Discriminant. */
  kind: "time";
  /** The time series. */
  series: TimeSeries;
}

/**
 * A `today` attribute.
 *
 * @example
 * ```ts
 * import { parseDefs } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * assertEquals(parseDefs("suite s\n task t\n  today 10:00\nendsuite\n").find("/s/t")!.todays[0].kind, "today");
 * ```
 */
export interface TodayAttr {
  /** Discriminant. */
  kind: "today";
  /** The time series. */
  series: TimeSeries;
}

/**
 * A `cron` attribute.
 *
 * @example
 * ```ts
 * import { parseDefs } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * const t = parseDefs("suite s\n task t\n  cron -w 1,2 10:00\nendsuite\n").find("/s/t")!;
 * assertEquals(t.crons[0].weekDays, [1, 2]);
 * assertEquals(t.crons[0].series.start, { hour: 10, minute: 0 });
 * ```
 */
export interface CronAttr {
  /** Discriminant. */
  kind: "cron";
  /** `-w` week days (0 = Sunday). */
  weekDays: number[];
  /** `-w nL` last week days of the month. */
  lastWeekDaysOfMonth: number[];
  /** `-d` days of the month. */
  daysOfMonth: number[];
  /** `-d L`: last day of the month. */
  lastDayOfMonth: boolean;
  /** `-m` months (1-12). */
  months: number[];
  /** The time series. */
  series: TimeSeries;
}

/**
 * A `date day.month.year` attribute; 0 means `*`.
 *
 * @example
 * ```ts
 * import { parseDefs } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * assertEquals(parseDefs("suite s\n task t\n  date 1.*.2025\nendsuite\n").find("/s/t")!.dates[0], { day: 1, month: 0, year: 2025, free: false });
 * ```
 */
export interface DateAttr {
  /** Day of month or 0 for `*`. */
  day: number;
  /** Month or 0 for `*`. */
  month: number;
  /** Year or 0 for `*`. */
  year: number;
  /** Runtime: freed. */
  free: boolean;
}

/**
 * The day names accepted by `day`.
 *
 * @example
 * ```ts
 * import { DAY_NAMES } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * assertEquals(DAY_NAMES[1], "monday");
 * ```
 */
export const DAY_NAMES: readonly string[] = [
  "sunday",
  "monday",
  "tuesday",
  "wednesday",
  "thursday",
  "friday",
  "saturday",
];

/**
 * A `day <weekday>` attribute.
 *
 * @example
 * ```ts
 * import { parseDefs } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * assertEquals(parseDefs("suite s\n task t\n  day monday\nendsuite\n").find("/s/t")!.days[0].day, "monday");
 * ```
 */
export interface DayAttr {
  /** Week day name (`monday` … `sunday`). */
  day: string;
  /** Runtime: freed. */
  free: boolean;
  /** Runtime: expired. */
  expired: boolean;
  /** Runtime: `date:` token (e.g. `2026-Nov-30` or `not-a-date-time`), if present. */
  date?: string;
}

/**
 * A `late` attribute.
 *
 * @example
 * ```ts
 * import { parseDefs } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * const late = parseDefs("suite s\n task t\n  late -c +02:00\nendsuite\n").find("/s/t")!.late;
 * assertEquals(late, { complete: { hour: 2, minute: 0 }, completeRelative: true, isLate: false });
 * ```
 */
export interface LateAttr {
  /** `-s +HH:MM` submitted limit. */
  submitted?: TimeSlot;
  /** `-a HH:MM` active limit. */
  active?: TimeSlot;
  /** `-c [+]HH:MM` complete limit. */
  complete?: TimeSlot;
  /** Whether the complete limit is relative (`+`). */
  completeRelative: boolean;
  /** Runtime: node is late (`# late`). */
  isLate: boolean;
}

/**
 * `autocancel`/`autoarchive` time: either days or a (relative) time.
 *
 * @example
 * ```ts
 * import { parseDefs } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * assertEquals(parseDefs("suite s\n autocancel 3\nendsuite\n").find("/s")!.autoCancel, { days: 3, relative: false });
 * ```
 */
export interface AutoTime {
  /** Number of days, when given as a plain number. */
  days?: number;
  /** Time, when given as `[+]HH:MM`. */
  time?: TimeSlot;
  /** `+` prefix. */
  relative: boolean;
}

/**
 * An `autoarchive` attribute.
 *
 * @example
 * ```ts
 * import { parseDefs } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * const f = parseDefs("suite s\n family f\n  autoarchive +01:00 -i\n endfamily\nendsuite\n").find("/s/f")!;
 * assertEquals(f.autoArchive, { time: { hour: 1, minute: 0 }, relative: true, idle: true });
 * ```
 */
export interface AutoArchive extends AutoTime {
  /** `-i`: archive when idle. */
  idle: boolean;
}

/**
 * The kinds of `zombie` type.
 *
 * @example
 * ```ts
 * import { parseDefs, type ZombieType } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * const t: ZombieType = parseDefs("suite s\n zombie ecf:fail::\nendsuite\n").find("/s")!.zombies[0].type;
 * assertEquals(t, "ecf");
 * ```
 */
export type ZombieType = "user" | "ecf" | "ecf_pid" | "ecf_pid_passwd" | "ecf_passwd" | "path";

/**
 * A `zombie type:action:children:lifetime` attribute.
 *
 * @example
 * ```ts
 * import { parseDefs } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * assertEquals(parseDefs("suite s\n zombie user:fob::\nendsuite\n").find("/s")!.zombies[0], { type: "user", action: "fob", children: [], lifetime: 300 });
 * ```
 */
export interface ZombieAttr {
  /** Zombie type. */
  type: ZombieType;
  /** Action (`fob`, `fail`, `adopt`, `remove`, `block`, `kill`) or "" for none. */
  action: string;
  /** Child commands the rule applies to. */
  children: string[];
  /** Lifetime in seconds. */
  lifetime: number;
}

/**
 * A `verify state:expected` attribute.
 *
 * @example
 * ```ts
 * import { parseDefs } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * const verify = parseDefs("suite s\n task t\n  verify complete:1\nendsuite\n").find("/s/t")!.verifies[0];
 * assertEquals(verify, { state: "complete", expected: 1, actual: 0 });
 * ```
 */
export interface VerifyAttr {
  /** State to count. */
  state: NodeState;
  /** Expected number of times. */
  expected: number;
  /** Runtime: actual count. */
  actual: number;
}

/**
 * A `queue name v1 v2 …` attribute.
 *
 * @example
 * ```ts
 * import { parseDefs } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * assertEquals(parseDefs("suite s\n queue q a b\nendsuite\n").find("/s")!.queues[0], { name: "q", values: [ "a", "b" ], index: 0, states: [ "queued", "queued" ] });
 * ```
 */
export interface QueueAttr {
  /** Queue name. */
  name: string;
  /** Queue values. */
  values: string[];
  /** Runtime: current index. */
  index: number;
  /** Runtime: one state per value. */
  states: NodeState[];
}

/**
 * A `generic name values…` attribute.
 *
 * @example
 * ```ts
 * import { parseDefs } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * assertEquals(parseDefs("suite s\n generic g a b\nendsuite\n").find("/s")!.generics[0], { name: "g", values: [ "a", "b" ] });
 * ```
 */
export interface GenericAttr {
  /** Name. */
  name: string;
  /** Values. */
  values: string[];
}

/**
 * A suite `clock` or `endclock` attribute.
 *
 * @example
 * ```ts
 * import { parseDefs, type Suite } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * const s = parseDefs("suite s\n clock hybrid 1.1.2024 +3600\nendsuite\n").find("/s") as Suite;
 * assertEquals(s.clock, { hybrid: true, day: 1, month: 1, year: 2024, gain: 3600, positiveGain: true });
 * ```
 */
export interface ClockAttr {
  /** `hybrid` (true) or `real` (false); always false for endclock. */
  hybrid: boolean;
  /** Day of month (0 = not given). */
  day: number;
  /** Month. */
  month: number;
  /** Year. */
  year: number;
  /** Gain in seconds (0 = none). */
  gain: number;
  /** Whether the gain was written with `+`. */
  positiveGain: boolean;
}

/**
 * Suite calendar state (`calendar …` line), times kept as printed.
 *
 * @example
 * ```ts
 * import { parseDefs, type Suite } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * const s = parseDefs("#5.9.2\ndefs_state NET\nsuite s # begun:1\ncalendar initTime:2026-Nov-27 21:47:11 suiteTime:2026-Nov-27 21:47:11 duration:00:00:00 initLocalTime:2026-Nov-27 21:47:11 lastTime:2026-Nov-27 21:47:11\nendsuite\n").find("/s") as Suite;
 * assertEquals(s.calendar?.suiteTime, "2026-Nov-27 21:47:11");
 * ```
 */
export interface Calendar {
  /** `initTime:` */
  initTime: string;
  /** `suiteTime:` */
  suiteTime: string;
  /** `duration:` */
  duration: string;
  /** `initLocalTime:` */
  initLocalTime: string;
  /** `lastTime:` */
  lastTime: string;
  /** `calendarIncrement:` when non-zero. */
  increment?: string;
  /** `dayChanged:1`. */
  dayChanged: boolean;
}

/**
 * One line of a trigger/complete expression.
 *
 * @example
 * ```ts
 * import { type PartExpression, parseDefs } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * const p: PartExpression = parseDefs("suite s\n task a\n task t\n  trigger a == complete\nendsuite\n").find("/s/t")!.trigger!.parts[0];
 * assertEquals(p.type, "first");
 * assertEquals(p.text, "a == complete");
 * assertEquals(p.line, 4);
 * ```
 */
export interface PartExpression {
  /** `first` line, `-a` (and) or `-o` (or) continuation. */
  type: "first" | "and" | "or";
  /** Expression text (tokens joined by single spaces). */
  text: string;
  /** 1-based line of this part in the parsed text (0 when built in code). */
  line?: number;
  /** 1-based column of the expression text on that line. */
  column?: number;
}

/**
 * A `trigger` or `complete` expression (one or more lines).
 *
 * @example
 * ```ts
 * import { parseDefs } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * const t = parseDefs("suite s\n task a\n task t\n  trigger a == complete\n  trigger -o a == aborted\nendsuite\n").find("/s/t")!;
 * assertEquals(t.trigger?.parts.map((p) => p.type), [ "first", "or" ]);
 * ```
 */
export interface Expression {
  /** The parts, first one first. */
  parts: PartExpression[];
  /** Runtime: freed (`# free`). */
  free: boolean;
}

/**
 * `repeat integer VAR start end [delta]`.
 *
 * @example
 * ```ts
 * import { parseDefs } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * const repeat = parseDefs("suite s\n repeat integer I 0 10 2\nendsuite\n").find("/s")!.repeat;
 * assertEquals(repeat, { kind: "integer", name: "I", start: 0, end: 10, delta: 2, value: 0 });
 * ```
 */
export interface RepeatInteger {
  /** Discriminant. */
  kind: "integer";
  /** Variable name. */
  name: string;
  /** Start. */
  start: number;
  /** End. */
  end: number;
  /** Step (default 1). */
  delta: number;
  /** Runtime: current value. */
  value: number;
}

/**
 * `repeat date VAR yyyymmdd yyyymmdd [delta]`.
 *
 * @example
 * ```ts
 * import { parseDefs } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * const repeat = parseDefs("suite s\n repeat date D 20240101 20240105\nendsuite\n").find("/s")!.repeat;
 * assertEquals(repeat, {
 *   kind: "date",
 *   name: "D",
 *   start: 20240101,
 *   end: 20240105,
 *   delta: 1,
 *   value: 20240101,
 * });
 * ```
 */
export interface RepeatDate {
  /** Discriminant. */
  kind: "date";
  /** Variable name. */
  name: string;
  /** Start date as yyyymmdd. */
  start: number;
  /** End date as yyyymmdd. */
  end: number;
  /** Step in days. */
  delta: number;
  /** Runtime: current date. */
  value: number;
}

/**
 * `repeat datelist VAR "d1" "d2" …`.
 *
 * @example
 * ```ts
 * import { parseDefs } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * const repeat = parseDefs("suite s\n repeat datelist D \"20240101\" \"20240301\"\nendsuite\n").find("/s")!.repeat;
 * assertEquals(repeat, { kind: "datelist", name: "D", values: [20240101, 20240301], index: 0 });
 * ```
 */
export interface RepeatDateList {
  /** Discriminant. */
  kind: "datelist";
  /** Variable name. */
  name: string;
  /** Dates as yyyymmdd. */
  values: number[];
  /** Runtime: current index. */
  index: number;
}

/**
 * `repeat enumerated VAR "a" "b" …`.
 *
 * @example
 * ```ts
 * import { parseDefs } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * const repeat = parseDefs("suite s\n repeat enumerated E a b\nendsuite\n").find("/s")!.repeat;
 * assertEquals(repeat, { kind: "enumerated", name: "E", values: ["a", "b"], index: 0 });
 * ```
 */
export interface RepeatEnumerated {
  /** Discriminant. */
  kind: "enumerated";
  /** Variable name. */
  name: string;
  /** Values. */
  values: string[];
  /** Runtime: current index. */
  index: number;
}

/**
 * `repeat string VAR "a" "b" …`.
 *
 * @example
 * ```ts
 * import { parseDefs } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * const repeat = parseDefs("suite s\n repeat string S x y\nendsuite\n").find("/s")!.repeat;
 * assertEquals(repeat, { kind: "string", name: "S", values: ["x", "y"], index: 0 });
 * ```
 */
export interface RepeatString {
  /** Discriminant. */
  kind: "string";
  /** Variable name. */
  name: string;
  /** Values. */
  values: string[];
  /** Runtime: current index. */
  index: number;
}

/**
 * `repeat day step`.
 *
 * @example
 * ```ts
 * import { parseDefs } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * assertEquals(parseDefs("suite s\n repeat day 1\nendsuite\n").find("/s")!.repeat, { kind: "day", step: 1 });
 * ```
 */
export interface RepeatDay {
  /** Discriminant. */
  kind: "day";
  /** Step. */
  step: number;
}

/**
 * `repeat datetime VAR start end step` (ecFlow ≥ 5.14). Instants as `yyyymmddTHHMMSS`.
 *
 * @example
 * ```ts
 * import { parseDefs } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * const repeat = parseDefs(
 *   "suite s\n repeat datetime T 20240101T000000 20240102T000000 6\nendsuite\n",
 * ).find("/s")!.repeat;
 * // a step in hours is normalised to HH:MM:SS
 * assertEquals(repeat, {
 *   kind: "datetime",
 *   name: "T",
 *   start: "20240101T000000",
 *   end: "20240102T000000",
 *   step: "06:00:00",
 *   value: "20240101T000000",
 * });
 * ```
 */
export interface RepeatDateTime {
  /** Discriminant. */
  kind: "datetime";
  /** Variable name. */
  name: string;
  /** Start instant. */
  start: string;
  /** End instant. */
  end: string;
  /** Step as `HH:MM:SS`. */
  step: string;
  /** Runtime: current instant, when different from start. */
  value: string;
}

/**
 * `repeat datetimelist VAR "i1" "i2" …` (ecFlow ≥ 5.17).
 *
 * @example
 * ```ts
 * import { parseDefs } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * const repeat = parseDefs("suite s\n repeat datetimelist T \"20240101T000000\"\nendsuite\n").find("/s")!.repeat;
 * assertEquals(repeat, { kind: "datetimelist", name: "T", values: ["20240101T000000"], index: 0 });
 * ```
 */
export interface RepeatDateTimeList {
  /** Discriminant. */
  kind: "datetimelist";
  /** Variable name. */
  name: string;
  /** Instants as `yyyymmddTHHMMSS`. */
  values: string[];
  /** Runtime: current index. */
  index: number;
}

/**
 * Any repeat.
 *
 * @example
 * ```ts
 * import { parseDefs, type Repeat } from "@ecflow-ts/client";
 * import { assert, assertEquals } from "@std/assert";
 * const r: Repeat | undefined = parseDefs("suite s\n repeat integer I 1 3\nendsuite\n").find("/s")!.repeat;
 * assert(r?.kind === "integer");
 * assertEquals([r.start, r.end, r.delta], [1, 3, 1]);
 * ```
 */
export type Repeat =
  | RepeatInteger
  | RepeatDate
  | RepeatDateList
  | RepeatEnumerated
  | RepeatString
  | RepeatDay
  | RepeatDateTime
  | RepeatDateTimeList;

/**
 * An `aviso` attribute (ecFlow ≥ 5.13). Values are kept as written (the listener keeps its
 * single quotes); options left out take ecFlow's defaults (`%ECF_AVISO_URL%` …).
 *
 * @example
 * ```ts
 * import { parseDefs } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * const t = parseDefs("suite s\n task t\n  aviso --name A --listener '{ \"event\": \"mars\" }'\nendsuite\n").find("/s/t")!;
 * assertEquals(t.avisos[0].name, "A");
 * assertEquals(t.avisos[0].url, "%ECF_AVISO_URL%");
 * ```
 */
export interface AvisoAttr {
  /** `--name` */
  name: string;
  /** `--listener` (JSON in single quotes). */
  listener: string;
  /** `--url` (default `%ECF_AVISO_URL%`). */
  url: string;
  /** `--schema` (default `%ECF_AVISO_SCHEMA%`). */
  schema: string;
  /** `--polling` (default `%ECF_AVISO_POLLING%`). */
  polling: string;
  /** `--revision` (default 0). */
  revision: number;
  /** `--auth` (default `%ECF_AVISO_AUTH%`). */
  auth: string;
  /** `--reason` (default ""). */
  reason: string;
}

/**
 * A `mirror` attribute (ecFlow ≥ 5.13); options left out take ecFlow's defaults.
 *
 * @example
 * ```ts
 * import { parseDefs } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * const t = parseDefs("suite s\n task t\n  mirror --name m --remote_path /x/y --ssl\nendsuite\n").find("/s/t")!;
 * assertEquals(t.mirrors[0].remotePath, "/x/y");
 * assertEquals(t.mirrors[0].ssl, true);
 * ```
 */
export interface MirrorAttr {
  /** `--name` */
  name: string;
  /** `--remote_path` */
  remotePath: string;
  /** `--remote_host` (default `%ECF_MIRROR_REMOTE_HOST%`). */
  remoteHost: string;
  /** `--remote_port` (default `%ECF_MIRROR_REMOTE_PORT%`). */
  remotePort: string;
  /** `--polling` (default `%ECF_MIRROR_REMOTE_POLLING%`). */
  polling: string;
  /** `--ssl` */
  ssl: boolean;
  /** `--remote_auth` (default `%ECF_MIRROR_REMOTE_AUTH%`). */
  auth: string;
  /** `--reason` (default ""). */
  reason: string;
}

/**
 * The kinds of nodes.
 *
 * @example
 * ```ts
 * import { type NodeKind, parseDefs } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * const kinds: NodeKind[] = [...parseDefs("suite s\n family f\n  task t\n endfamily\nendsuite\n")].map((n) => n.kind);
 * assertEquals(kinds, [ "suite", "family", "task" ]);
 * ```
 */
export type NodeKind = "suite" | "family" | "task" | "alias";

/**
 * The attribute lists of a node, by name.
 *
 * @example
 * ```ts
 * import type { AttrLists } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * const lists: AttrLists = { events: [{ name: "e", initial: false, value: false }] };
 * assertEquals(lists.events?.length, 1);
 * ```
 */
export interface AttrLists {
  /** See `Node.flags`. */
  flags?: string[];
  /** See `Node.variables`. */
  variables?: Variable[];
  /** See `Node.limits`. */
  limits?: Limit[];
  /** See `Node.inLimits`. */
  inLimits?: InLimit[];
  /** See `Node.labels`. */
  labels?: Label[];
  /** See `Node.meters`. */
  meters?: Meter[];
  /** See `Node.events`. */
  events?: Event[];
  /** See `Node.times`. */
  times?: TimeAttr[];
  /** See `Node.todays`. */
  todays?: TodayAttr[];
  /** See `Node.dates`. */
  dates?: DateAttr[];
  /** See `Node.days`. */
  days?: DayAttr[];
  /** See `Node.crons`. */
  crons?: CronAttr[];
  /** See `Node.avisos`. */
  avisos?: AvisoAttr[];
  /** See `Node.mirrors`. */
  mirrors?: MirrorAttr[];
  /** See `Node.zombies`. */
  zombies?: ZombieAttr[];
  /** See `Node.verifies`. */
  verifies?: VerifyAttr[];
  /** See `Node.queues`. */
  queues?: QueueAttr[];
  /** See `Node.generics`. */
  generics?: GenericAttr[];
}

/**
 * Names of the lazily allocated lists of a node.
 *
 * @example
 * ```ts
 * import { attrList, type AttrListName, parseDefs } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * const t = parseDefs("suite s\n task t\n  event e\nendsuite\n").find("/s/t")!;
 * const names: AttrListName[] = ["events", "meters"];
 * assertEquals(names.map((name) => attrList(t, name).length), [1, 0]);
 * ```
 */
export type AttrListName = keyof AttrLists;

/** A shared, frozen empty list. */
export const EMPTY: readonly never[] = Object.freeze([]);

const STORAGE: Record<AttrListName, string> = {
  flags: "_flags",
  variables: "_variables",
  limits: "_limits",
  inLimits: "_inLimits",
  labels: "_labels",
  meters: "_meters",
  events: "_events",
  times: "_times",
  todays: "_todays",
  dates: "_dates",
  days: "_days",
  crons: "_crons",
  avisos: "_avisos",
  mirrors: "_mirrors",
  zombies: "_zombies",
  verifies: "_verifies",
  queues: "_queues",
  generics: "_generics",
};

/**
 * A node's attribute list without allocating it (an empty frozen array when absent).
 *
 * @example
 * ```ts
 * import { attrList, parseDefs } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * const t = parseDefs("suite s\n  task t\n    event e\nendsuite\n").find("/s/t")!;
 * assertEquals(attrList(t, "events").length, 1);
 * assertEquals(attrList(t, "meters").length, 0);
 * ```
 */
export function attrList<K extends AttrListName>(
  node: Node,
  name: K,
): readonly NonNullable<AttrLists[K]>[number][] {
  return ((node as unknown as Record<string, unknown>)[STORAGE[name]] ??
    EMPTY) as readonly NonNullable<
      AttrLists[K]
    >[number][];
}

/**
 * Common part of every node: name, state, and attributes in ecFlow's print order.
 *
 * @example
 * ```ts
 * import { type Node, parseDefs } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * const defs = parseDefs("suite s\n family f\n  task t\n endfamily\nendsuite\n");
 * const t: Node = defs.find("/s/f/t")!;
 * assertEquals(t.kind, "task");
 * assertEquals(t.absPath, "/s/f/t");
 * assertEquals(t.parent?.name, "f");
 * assertEquals(t.depth, 2);
 * ```
 */
export abstract class Node {
  /** The node kind. */
  abstract readonly kind: NodeKind;
  /** Node name. */
  name: string;
  /** Parent node (`undefined` for a suite and for a detached node). */
  parent: Node | undefined;
  /** Owning definition, set for suites added to a {@link Defs}. */
  defs: Defs | undefined;
  /** Storage of `flags` (see the getter); `undefined` until the first element. */
  declare _flags?: string[];
  /** Storage of `variables` (see the getter); `undefined` until the first element. */
  declare _variables?: Variable[];
  /** Storage of `limits` (see the getter); `undefined` until the first element. */
  declare _limits?: Limit[];
  /** Storage of `inLimits` (see the getter); `undefined` until the first element. */
  declare _inLimits?: InLimit[];
  /** Storage of `labels` (see the getter); `undefined` until the first element. */
  declare _labels?: Label[];
  /** Storage of `meters` (see the getter); `undefined` until the first element. */
  declare _meters?: Meter[];
  /** Storage of `events` (see the getter); `undefined` until the first element. */
  declare _events?: Event[];
  /** Storage of `times` (see the getter); `undefined` until the first element. */
  declare _times?: TimeAttr[];
  /** Storage of `todays` (see the getter); `undefined` until the first element. */
  declare _todays?: TodayAttr[];
  /** Storage of `dates` (see the getter); `undefined` until the first element. */
  declare _dates?: DateAttr[];
  /** Storage of `days` (see the getter); `undefined` until the first element. */
  declare _days?: DayAttr[];
  /** Storage of `crons` (see the getter); `undefined` until the first element. */
  declare _crons?: CronAttr[];
  /** Storage of `avisos` (see the getter); `undefined` until the first element. */
  declare _avisos?: AvisoAttr[];
  /** Storage of `mirrors` (see the getter); `undefined` until the first element. */
  declare _mirrors?: MirrorAttr[];
  /** Storage of `zombies` (see the getter); `undefined` until the first element. */
  declare _zombies?: ZombieAttr[];
  /** Storage of `verifies` (see the getter); `undefined` until the first element. */
  declare _verifies?: VerifyAttr[];
  /** Storage of `queues` (see the getter); `undefined` until the first element. */
  declare _queues?: QueueAttr[];
  /** Storage of `generics` (see the getter); `undefined` until the first element. */
  declare _generics?: GenericAttr[];
  /** Line number (1-based) of the node header in the parsed text, 0 if built in code. */
  line = 0;

  /** Current state (`state:`), `unknown` by default. */
  state: NodeState = "unknown";
  /** `dur:` duration at which the state was entered (as printed). */
  declare stateDuration?: string;
  /** `flag:` list. (allocated on first use). */
  get flags(): string[] {
    return (this._flags ??= []);
  }
  set flags(v: string[]) {
    this._flags = v;
  }
  /** `suspended:1`. */
  suspended = false;
  /** `rt:` state-change runtime. */
  declare runtime?: string;

  /** `defstatus`, `queued` when absent. */
  defStatus: DefStatus = "queued";
  /** `late`. */
  declare late?: LateAttr;
  /** `complete` expression. */
  declare complete?: Expression;
  /** `trigger` expression. */
  declare trigger?: Expression;
  /** `repeat`. */
  declare repeat?: Repeat;
  /** `edit` variables in order. (allocated on first use). */
  get variables(): Variable[] {
    return (this._variables ??= []);
  }
  set variables(v: Variable[]) {
    this._variables = v;
  }
  /** `limit`s. (allocated on first use). */
  get limits(): Limit[] {
    return (this._limits ??= []);
  }
  set limits(v: Limit[]) {
    this._limits = v;
  }
  /** `inlimit`s. (allocated on first use). */
  get inLimits(): InLimit[] {
    return (this._inLimits ??= []);
  }
  set inLimits(v: InLimit[]) {
    this._inLimits = v;
  }
  /** `label`s. (allocated on first use). */
  get labels(): Label[] {
    return (this._labels ??= []);
  }
  set labels(v: Label[]) {
    this._labels = v;
  }
  /** `meter`s. (allocated on first use). */
  get meters(): Meter[] {
    return (this._meters ??= []);
  }
  set meters(v: Meter[]) {
    this._meters = v;
  }
  /** `event`s. (allocated on first use). */
  get events(): Event[] {
    return (this._events ??= []);
  }
  set events(v: Event[]) {
    this._events = v;
  }
  /** `time`s. (allocated on first use). */
  get times(): TimeAttr[] {
    return (this._times ??= []);
  }
  set times(v: TimeAttr[]) {
    this._times = v;
  }
  /** `today`s. (allocated on first use). */
  get todays(): TodayAttr[] {
    return (this._todays ??= []);
  }
  set todays(v: TodayAttr[]) {
    this._todays = v;
  }
  /** `date`s. (allocated on first use). */
  get dates(): DateAttr[] {
    return (this._dates ??= []);
  }
  set dates(v: DateAttr[]) {
    this._dates = v;
  }
  /** `day`s. (allocated on first use). */
  get days(): DayAttr[] {
    return (this._days ??= []);
  }
  set days(v: DayAttr[]) {
    this._days = v;
  }
  /** `cron`s. (allocated on first use). */
  get crons(): CronAttr[] {
    return (this._crons ??= []);
  }
  set crons(v: CronAttr[]) {
    this._crons = v;
  }
  /** `aviso`s (HEAD). (allocated on first use). */
  get avisos(): AvisoAttr[] {
    return (this._avisos ??= []);
  }
  set avisos(v: AvisoAttr[]) {
    this._avisos = v;
  }
  /** `mirror`s (HEAD). (allocated on first use). */
  get mirrors(): MirrorAttr[] {
    return (this._mirrors ??= []);
  }
  set mirrors(v: MirrorAttr[]) {
    this._mirrors = v;
  }
  /** `autocancel`. */
  declare autoCancel?: AutoTime;
  /** `autoarchive`. */
  declare autoArchive?: AutoArchive;
  /** `autorestore` paths. */
  declare autoRestore?: string[];
  /** `zombie`s. (allocated on first use). */
  get zombies(): ZombieAttr[] {
    return (this._zombies ??= []);
  }
  set zombies(v: ZombieAttr[]) {
    this._zombies = v;
  }
  /** `verify`s. (allocated on first use). */
  get verifies(): VerifyAttr[] {
    return (this._verifies ??= []);
  }
  set verifies(v: VerifyAttr[]) {
    this._verifies = v;
  }
  /** `queue`s. (allocated on first use). */
  get queues(): QueueAttr[] {
    return (this._queues ??= []);
  }
  set queues(v: QueueAttr[]) {
    this._queues = v;
  }
  /** `generic`s. (allocated on first use). */
  get generics(): GenericAttr[] {
    return (this._generics ??= []);
  }
  set generics(v: GenericAttr[]) {
    this._generics = v;
  }

  /** Create a node named `name`. */
  constructor(name: string) {
    this.name = name;
    this.parent = undefined;
    this.defs = undefined;
  }

  /** Absolute path, e.g. `/suite/family/task`. */
  get absPath(): string {
    const names: string[] = [];
    // deno-lint-ignore no-this-alias
    let n: Node | undefined = this;
    while (n) {
      names.push(n.name);
      n = n.parent;
    }
    return "/" + names.reverse().join("/");
  }

  /** Depth below the suite (suite = 0). */
  get depth(): number {
    let d = 0;
    let n = this.parent;
    while (n) {
      d++;
      n = n.parent;
    }
    return d;
  }

  /** The suite this node belongs to. */
  get suite(): Suite | undefined {
    // deno-lint-ignore no-this-alias
    let n: Node | undefined = this;
    while (n && n.kind !== "suite") n = n.parent;
    return n as Suite | undefined;
  }

  /** Child nodes (families/tasks for containers, aliases for tasks). */
  abstract get children(): readonly Node[];

  /** Find a direct child by name. */
  child(name: string): Node | undefined {
    for (const c of this.children) if (c.name === name) return c;
    return undefined;
  }

  /** Find a variable defined on this node (not inherited). */
  variable(name: string): Variable | undefined {
    for (const v of attrList(this, "variables")) if (v.name === name) return v;
    return undefined;
  }

  /** Find a variable on this node or the nearest ancestor, then on the server. */
  findVariable(name: string): Variable | undefined {
    // deno-lint-ignore no-this-alias
    let n: Node | undefined = this;
    while (n) {
      const v = n.variable(name);
      if (v) return v;
      n = n.parent;
    }
    const defs = this.suite?.defs;
    if (!defs) return undefined;
    return defs.userVariables.find((v) => v.name === name) ??
      defs.serverVariables.find((v) => v.name === name);
  }

  /**
   * This node and all its descendants, depth first, in document order. An explicit stack,
   * so a tree of any depth is walked in time proportional to its size.
   */
  *walk(): Generator<Node> {
    const stack: Node[] = [this];
    while (stack.length > 0) {
      const n = stack.pop()!;
      yield n;
      const children = n.children;
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
    }
  }
}

/**
 * A node that holds families and tasks (suite or family).
 *
 * @example
 * ```ts
 * import { NodeContainer, parseDefs } from "@ecflow-ts/client";
 * import { assert, assertEquals } from "@std/assert";
 * const s = parseDefs("suite s\n task a\n task b\nendsuite\n").find("/s")!;
 * assert(s instanceof NodeContainer);
 * assertEquals(s.nodes.map((n) => n.name), ["a", "b"]);
 * ```
 */
export abstract class NodeContainer extends Node {
  /** Families and tasks in order. */
  nodes: (Family | Task)[] = [];
  /** Child nodes. */
  get children(): readonly Node[] {
    return this.nodes;
  }
  /** Append a family or task and set its parent. */
  add<T extends Family | Task>(node: T): T {
    node.parent = this;
    this.nodes.push(node);
    return node;
  }
}

/**
 * A suite.
 *
 * @example
 * ```ts
 * import { parseDefs, Suite } from "@ecflow-ts/client";
 * import { assert, assertEquals } from "@std/assert";
 * const s = parseDefs("#5.9.2\ndefs_state NET\nsuite s # begun:1\nendsuite\n").find("/s");
 * assert(s instanceof Suite);
 * assertEquals(s.begun, true);
 * ```
 */
export class Suite extends NodeContainer {
  /** Discriminant. */
  readonly kind = "suite" as const;
  /** `begun:1`. */
  begun = false;
  /** `clock`. */
  declare clock?: ClockAttr;
  /** `endclock`. */
  declare endClock?: ClockAttr;
  /** `calendar` state. */
  declare calendar?: Calendar;
}

/**
 * A family.
 *
 * @example
 * ```ts
 * import { Family, parseDefs } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * const f = parseDefs("suite s\n family f\n endfamily\nendsuite\n").find("/s/f");
 * assertEquals(f instanceof Family, true);
 * ```
 */
export class Family extends NodeContainer {
  /** Discriminant. */
  readonly kind = "family" as const;
}

/**
 * Fields shared by tasks and aliases (ecFlow's Submittable).
 *
 * @example
 * ```ts
 * import { parseDefs, type SubmittableState } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * const t = parseDefs("#5.9.2\ndefs_state NET\nsuite s\ntask t # passwd:x1 try:1 state:submitted\nendsuite\n").find("/s/t") as unknown as SubmittableState;
 * assertEquals(t.password, "x1");
 * assertEquals(t.tryNo, 1);
 * ```
 */
export interface SubmittableState {
  /** `passwd:` job password. */
  password: string;
  /** `rid:` process or remote id. */
  rid: string;
  /** `abort<:…>abort` reason. */
  abortReason: string;
  /** `try:` try number. */
  tryNo: number;
}

/**
 * A task.
 *
 * @example
 * ```ts
 * import { parseDefs, Task } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * const t = parseDefs("suite s\n task t\nendsuite\n").find("/s/t");
 * assertEquals(t instanceof Task, true);
 * assertEquals(t?.absPath, "/s/t");
 * ```
 */
export class Task extends Node implements SubmittableState {
  /** Discriminant. */
  readonly kind = "task" as const;
  /** Storage of {@link Task.aliases}, allocated on first use. */
  _aliases: Alias[] | undefined = undefined;
  /** Aliases of this task (only in state styles). */
  get aliases(): Alias[] {
    return (this._aliases ??= []);
  }
  set aliases(v: Alias[]) {
    this._aliases = v;
  }
  /** `alias_no:` */
  aliasNo = 0;
  /** `passwd:` */
  password = "";
  /** `rid:` */
  rid = "";
  /** `abort<:…>abort` */
  abortReason = "";
  /** `try:` */
  tryNo = 0;
  /** Child nodes (aliases). */
  get children(): readonly Node[] {
    return this._aliases ?? EMPTY;
  }
  /** Append an alias. */
  addAlias(alias: Alias): Alias {
    alias.parent = this;
    this.aliases.push(alias);
    return alias;
  }
}

/**
 * An alias (a copy of a task, under a task).
 *
 * @example
 * ```ts
 * import { Alias, parseDefs } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * const defs = parseDefs("#5.9.2\ndefs_state MIGRATE\nsuite s\ntask t\nalias alias0 # state:complete\nendalias\nendsuite\n");
 * const a = defs.find("/s/t/alias0");
 * assertEquals(a instanceof Alias, true);
 * assertEquals(a?.state, "complete");
 * ```
 */
export class Alias extends Node implements SubmittableState {
  /** Discriminant. */
  readonly kind = "alias" as const;
  /** `passwd:` */
  password = "";
  /** `rid:` */
  rid = "";
  /** `abort<:…>abort` */
  abortReason = "";
  /** `try:` */
  tryNo = 0;
  /** Aliases have no children. */
  get children(): readonly Node[] {
    return [];
  }
}

/**
 * Edit-history entry: `history <path> \b<request>\b<request>…`.
 *
 * @example
 * ```ts
 * import { type HistoryEntry, parseDefs } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * const h: HistoryEntry[] = parseDefs("#5.9.2\ndefs_state MIGRATE\nhistory /s \bMSG:one\nsuite s\nendsuite\n").history;
 * assertEquals(h[0].path, "/s");
 * assertEquals(h[0].requests, ["MSG:one"]);
 * ```
 */
export interface HistoryEntry {
  /** Node path. */
  path: string;
  /** Requests (with `\n` escapes kept as written). */
  requests: string[];
}

/**
 * A whole definition: suites, externs, server variables and defs-level state.
 *
 * @example
 * ```ts
 * import { Defs, printDefs, Suite, Task } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * const defs = new Defs();
 * defs.addSuite(new Suite("s")).add(new Task("t"));
 * assertEquals(defs.find("/s/t")?.absPath, "/s/t");
 * assertEquals(printDefs(defs), "#5.9.2\nsuite s\n  task t\nendsuite\n# enddef\n");
 * ```
 */
export class Defs implements Iterable<Node> {
  /** Suites in order. */
  suites: Suite[] = [];
  /** `extern` paths (never sent to a server). */
  externs: string[] = [];
  /** User-defined server variables (`edit` at defs level). */
  userVariables: Variable[] = [];
  /** Server-generated variables (`edit … # server`). */
  serverVariables: Variable[] = [];
  /** `history` lines. */
  history: HistoryEntry[] = [];
  /** Version from the first line `#<version>`, if the text started with one. */
  version?: string;
  /** Style named on the `defs_state` line, `DEFS` when there was none. */
  style: DefsStyle = "DEFS";
  /** `state>:` defs-level state. */
  state: NodeState = "unknown";
  /** `flag:` list. */
  flags: string[] = [];
  /** `state_change:` */
  stateChange = 0;
  /** `modify_change:` */
  modifyChange = 0;
  /** `server_state:` (RUNNING when absent). */
  serverState: ServerState = "RUNNING";
  /** `cal_count:` */
  calCount = 0;
  /** The text this was parsed from ("" if built in code). */
  text = "";
  /** File name given to the parser (for messages). */
  fileName = "";

  /** Append a suite and set its `defs`. */
  addSuite(suite: Suite): Suite {
    suite.defs = this;
    suite.parent = undefined;
    this.suites.push(suite);
    return suite;
  }

  /** Find a suite by name. */
  suite(name: string): Suite | undefined {
    for (const s of this.suites) if (s.name === name) return s;
    return undefined;
  }

  /** Find a node by absolute path (`/s/f/t`); `undefined` if absent. */
  find(path: string): Node | undefined {
    if (!path.startsWith("/")) return undefined;
    const names = path.split("/").filter((p) => p !== "");
    if (names.length === 0) return undefined;
    let node: Node | undefined = this.suite(names[0]);
    for (let i = 1; node && i < names.length; i++) node = node.child(names[i]);
    return node;
  }

  /** All nodes, depth first in document order (see {@link Node.walk}). */
  *walk(): Generator<Node> {
    for (const s of this.suites) yield* s.walk();
  }

  /** Iterate over all nodes (same as {@link Defs.walk}). */
  [Symbol.iterator](): Iterator<Node> {
    return this.walk();
  }

  /** All tasks. */
  *tasks(): Generator<Task> {
    for (const n of this.walk()) if (n.kind === "task") yield n as Task;
  }
}
