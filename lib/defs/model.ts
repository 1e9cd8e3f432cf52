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

/** The state of a node, as ecFlow prints it (`NState`). */
export type NodeState = "unknown" | "complete" | "queued" | "aborted" | "submitted" | "active";

/** All node states, in ecFlow's enum order. */
export const NODE_STATES: readonly NodeState[] = [
  "unknown",
  "complete",
  "queued",
  "aborted",
  "submitted",
  "active",
];

/** A `defstatus` value (`DState`): a node state or `suspended`. `queued` is the default. */
export type DefStatus = NodeState | "suspended";

/** Server state from the `defs_state` line (`server_state:`); RUNNING when absent. */
export type ServerState = "HALTED" | "SHUTDOWN" | "RUNNING";

/** The print style of a definition text (the word after `defs_state`). */
export type DefsStyle = "DEFS" | "STATE" | "NET" | "MIGRATE";

/**
 * Names of node flags, in the order ecFlow writes them in `flag:` lists
 * (`not_set` and HEAD's `remote_error` last).
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

/** A variable: `edit NAME 'value'`. */
export interface Variable {
  /** Variable name. */
  name: string;
  /** Value with surrounding quotes removed (as ecFlow stores it). */
  value: string;
}

/** An event: `event [number] [name] [set]`, with its current value. */
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

/** A meter: `meter name min max [colour_change]`. */
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

/** A label: `label name "value"` and its current value (`# "new value"`). */
export interface Label {
  /** Label name. */
  name: string;
  /** Definition value (with `\n` escapes turned into newlines). */
  value: string;
  /** Value set by a child command or alter; "" when not set. */
  newValue: string;
}

/** A limit: `limit name max` and its usage. */
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

/** An inlimit reference: `inlimit [-n] [-s] [path:]name [tokens]`. */
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

/** A clock time `HH:MM`. */
export interface TimeSlot {
  /** Hour 0-23 (`undefined` never happens for a parsed slot). */
  hour: number;
  /** Minute 0-59. */
  minute: number;
}

/** A time series as used by `time`, `today` and `cron`. */
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

/** A `time` attribute. */
export interface TimeAttr {
  /** Discriminant. */
  kind: "time";
  /** The time series. */
  series: TimeSeries;
}

/** A `today` attribute. */
export interface TodayAttr {
  /** Discriminant. */
  kind: "today";
  /** The time series. */
  series: TimeSeries;
}

/** A `cron` attribute. */
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

/** A `date day.month.year` attribute; 0 means `*`. */
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

/** The day names accepted by `day`. */
export const DAY_NAMES: readonly string[] = [
  "sunday",
  "monday",
  "tuesday",
  "wednesday",
  "thursday",
  "friday",
  "saturday",
];

/** A `day <weekday>` attribute. */
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

/** A `late` attribute. */
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

/** `autocancel`/`autoarchive` time: either days or a (relative) time. */
export interface AutoTime {
  /** Number of days, when given as a plain number. */
  days?: number;
  /** Time, when given as `[+]HH:MM`. */
  time?: TimeSlot;
  /** `+` prefix. */
  relative: boolean;
}

/** An `autoarchive` attribute. */
export interface AutoArchive extends AutoTime {
  /** `-i`: archive when idle. */
  idle: boolean;
}

/** The kinds of `zombie` type. */
export type ZombieType = "user" | "ecf" | "ecf_pid" | "ecf_pid_passwd" | "ecf_passwd" | "path";

/** A `zombie type:action:children:lifetime` attribute. */
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

/** A `verify state:expected` attribute. */
export interface VerifyAttr {
  /** State to count. */
  state: NodeState;
  /** Expected number of times. */
  expected: number;
  /** Runtime: actual count. */
  actual: number;
}

/** A `queue name v1 v2 …` attribute. */
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

/** A `generic name values…` attribute. */
export interface GenericAttr {
  /** Name. */
  name: string;
  /** Values. */
  values: string[];
}

/** A suite `clock` or `endclock` attribute. */
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

/** Suite calendar state (`calendar …` line), times kept as printed. */
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

/** One line of a trigger/complete expression. */
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

/** A `trigger` or `complete` expression (one or more lines). */
export interface Expression {
  /** The parts, first one first. */
  parts: PartExpression[];
  /** Runtime: freed (`# free`). */
  free: boolean;
}

/** `repeat integer VAR start end [delta]`. */
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

/** `repeat date VAR yyyymmdd yyyymmdd [delta]`. */
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

/** `repeat datelist VAR "d1" "d2" …`. */
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

/** `repeat enumerated VAR "a" "b" …`. */
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

/** `repeat string VAR "a" "b" …`. */
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

/** `repeat day step`. */
export interface RepeatDay {
  /** Discriminant. */
  kind: "day";
  /** Step. */
  step: number;
}

/** `repeat datetime VAR start end step` (ecFlow ≥ 5.14). Instants as `yyyymmddTHHMMSS`. */
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

/** `repeat datetimelist VAR "i1" "i2" …` (ecFlow ≥ 5.17). */
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

/** Any repeat. */
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

/** A `mirror` attribute (ecFlow ≥ 5.13); options left out take ecFlow's defaults. */
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

/** The kinds of nodes. */
export type NodeKind = "suite" | "family" | "task" | "alias";

/** The attribute lists of a node, by name. */
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

/** Names of the lazily allocated lists of a node. */
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
 * const t = parseDefs("suite s\n  task t\n    event e\nendsuite\n").find("/s/t")!;
 * console.log(attrList(t, "events").length, attrList(t, "meters").length); // 1 0
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
  /** Storage of the attribute lists (allocated on first use); see {@link attrList}. */
  declare _flags?: string[];
  declare _variables?: Variable[];
  declare _limits?: Limit[];
  declare _inLimits?: InLimit[];
  declare _labels?: Label[];
  declare _meters?: Meter[];
  declare _events?: Event[];
  declare _times?: TimeAttr[];
  declare _todays?: TodayAttr[];
  declare _dates?: DateAttr[];
  declare _days?: DayAttr[];
  declare _crons?: CronAttr[];
  declare _avisos?: AvisoAttr[];
  declare _mirrors?: MirrorAttr[];
  declare _zombies?: ZombieAttr[];
  declare _verifies?: VerifyAttr[];
  declare _queues?: QueueAttr[];
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

  /** This node and all its descendants, depth first, in document order. */
  *walk(): Generator<Node> {
    yield this;
    for (const c of this.children) yield* c.walk();
  }
}

/** A node that holds families and tasks (suite or family). */
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

/** A suite. */
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

/** A family. */
export class Family extends NodeContainer {
  /** Discriminant. */
  readonly kind = "family" as const;
}

/** Fields shared by tasks and aliases (ecFlow's Submittable). */
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

/** A task. */
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

/** An alias (a copy of a task, under a task). */
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

/** Edit-history entry: `history <path> \b<request>\b<request>…`. */
export interface HistoryEntry {
  /** Node path. */
  path: string;
  /** Requests (with `\n` escapes kept as written). */
  requests: string[];
}

/**
 * A whole definition: suites, externs, server variables and defs-level state.
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

  /** All nodes, depth first in document order. */
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
