/**
 * Decoding the incremental part of a sync reply (`SSyncCmd.incremental_changes_`, ecFlow's
 * `DefsDelta`) into typed values: the server's change numbers and one
 * {@linkcode CompoundMemento} per changed node, each holding the {@linkcode Memento}s of
 * that node. Pure; anything unexpected is a {@linkcode ProtocolError}.
 *
 * Every memento class the 5.9.2 and 5.17 servers register is decoded, and the nodes a
 * `ChildrenMemento`/`AliasChildrenMemento` carries become {@linkcode NodeImage}s. Values use
 * the shapes of the definition model (`lib/defs/model.ts`), as the NET text parser fills
 * them, so applying a memento and parsing the server's text give the same tree.
 *
 * @module
 */
import { ProtocolError } from "../errors.ts";
import type {
  AutoArchive,
  AutoTime,
  AvisoAttr,
  Calendar,
  ClockAttr,
  CronAttr,
  DateAttr,
  DayAttr,
  DefStatus,
  Event,
  Expression,
  GenericAttr,
  InLimit,
  Label,
  LateAttr,
  Limit,
  Meter,
  MirrorAttr,
  NodeKind,
  NodeState,
  QueueAttr,
  Repeat,
  ServerState,
  TimeAttr,
  TimeSeries,
  TimeSlot,
  TodayAttr,
  Variable,
  VerifyAttr,
  ZombieAttr,
  ZombieType,
} from "../defs/model.ts";

/** The incremental changes of one sync reply (`DefsDelta`). */
export interface DefsDelta {
  /** The server's state change number the changes bring the client to. */
  stateChange: number;
  /** The server's modify change number (equal to the client's for an incremental reply). */
  modifyChange: number;
  /** One entry per changed node (or `/` for the definition itself), in the server's order. */
  compounds: CompoundMemento[];
}

/** The changes to one node (`CompoundMemento`). */
export interface CompoundMemento {
  /** Absolute path of the node, or `/` for the definition. */
  path: string;
  /** The node's attributes were added or deleted: clear them, then apply the mementos. */
  clearAttributes: boolean;
  /** The changes, in the server's order. */
  mementos: Memento[];
}

/** Task and alias job fields (`SubmittableMemento`). */
export interface SubmittableFields {
  /** Jobs password. */
  password: string;
  /** Process or remote id. */
  rid: string;
  /** Why the job aborted. */
  abortReason: string;
  /** Try number. */
  tryNo: number;
}

/**
 * A node as a `ChildrenMemento` or `AliasChildrenMemento` sends it (the whole node, its
 * attributes and state, and its children).
 */
export interface NodeImage extends SubmittableFields {
  /** `suite`, `family`, `task` or `alias`. */
  kind: NodeKind;
  /** Node name. */
  name: string;
  /** Current state. */
  state: NodeState;
  /** Duration at which the state was entered (`dur:`), when not zero. */
  stateDuration?: string;
  /** Suspended. */
  suspended: boolean;
  /** `defstatus`. */
  defStatus: DefStatus;
  /** Flags set. */
  flags: string[];
  /** Variables. */
  variables: Variable[];
  /** `complete` expression. */
  complete?: Expression;
  /** `trigger` expression. */
  trigger?: Expression;
  /** Meters. */
  meters: Meter[];
  /** Events. */
  events: Event[];
  /** Labels. */
  labels: Label[];
  /** Avisos (5.17). */
  avisos: AvisoAttr[];
  /** Mirrors (5.17). */
  mirrors: MirrorAttr[];
  /** `time`s. */
  times: TimeAttr[];
  /** `today`s. */
  todays: TodayAttr[];
  /** `cron`s. */
  crons: CronAttr[];
  /** `date`s. */
  dates: DateAttr[];
  /** `day`s. */
  days: DayAttr[];
  /** `late`. */
  late?: LateAttr;
  /** `zombie`s. */
  zombies: ZombieAttr[];
  /** `verify`s. */
  verifies: VerifyAttr[];
  /** `queue`s. */
  queues: QueueAttr[];
  /** `generic`s. */
  generics: GenericAttr[];
  /** `repeat`. */
  repeat?: Repeat;
  /** `limit`s. */
  limits: Limit[];
  /** `inlimit`s. */
  inLimits: InLimit[];
  /** `autocancel`. */
  autoCancel?: AutoTime;
  /** `autoarchive`. */
  autoArchive?: AutoArchive;
  /** `autorestore` paths. */
  autoRestore?: string[];
  /** Tasks: `alias_no:`. */
  aliasNo: number;
  /** Tasks: aliases. */
  aliases: NodeImage[];
  /** Suites and families: child nodes. */
  children: NodeImage[];
  /** Suites: begun. */
  begun: boolean;
  /** Suites: `clock`. */
  clock?: ClockAttr;
  /** Suites: calendar. */
  calendar?: Calendar;
}

/** One change, by kind; the ecFlow class each comes from is named beside it. */
export type Memento =
  /** `StateMemento`: the definition's state. */
  | { kind: "defsState"; state: NodeState }
  /** `NodeStateMemento`. */
  | { kind: "state"; state: NodeState; duration: string }
  /** `NodeDefStatusDeltaMemento`. */
  | { kind: "defStatus"; defStatus: DefStatus }
  /** `SuspendedMemento`. */
  | { kind: "suspended"; suspended: boolean }
  /** `ServerStateMemento`. */
  | { kind: "serverState"; state: ServerState }
  /** `ServerVariableMemento`: the user variables of the server (defs level). */
  | { kind: "serverVariables"; variables: Variable[] }
  /** `NodeEventMemento`. */
  | { kind: "event"; event: Event }
  /** `NodeMeterMemento`. */
  | { kind: "meter"; meter: Meter }
  /** `NodeLabelMemento`. */
  | { kind: "label"; label: Label }
  /** `NodeAvisoMemento` (5.17). */
  | { kind: "aviso"; aviso: AvisoAttr }
  /** `NodeMirrorMemento` (5.17). */
  | { kind: "mirror"; mirror: MirrorAttr }
  /** `NodeQueueMemento`. */
  | { kind: "queue"; queue: QueueAttr }
  /** `NodeGenericMemento`. */
  | { kind: "generic"; generic: GenericAttr }
  /** `NodeQueueIndexMemento`. */
  | { kind: "queueIndex"; name: string; index: number; states: NodeState[] }
  /** `NodeTriggerMemento`. */
  | { kind: "trigger"; expression: Expression }
  /** `NodeCompleteMemento`. */
  | { kind: "complete"; expression: Expression }
  /** `NodeRepeatMemento`. */
  | { kind: "repeat"; repeat: Repeat }
  /** `NodeRepeatIndexMemento`: the value (integer, date, date-time) or index (lists). */
  | { kind: "repeatIndex"; value: number }
  /** `NodeLimitMemento`. */
  | { kind: "limit"; limit: Limit }
  /** `NodeInLimitMemento`. */
  | { kind: "inLimit"; inLimit: InLimit }
  /** `NodeVariableMemento`. */
  | { kind: "variable"; variable: Variable }
  /** `NodeLateMemento`. */
  | { kind: "late"; late: LateAttr }
  /** `FlagMemento` (node or definition). */
  | { kind: "flags"; flags: string[] }
  /** `NodeTodayMemento`. */
  | { kind: "today"; today: TodayAttr }
  /** `NodeTimeMemento`. */
  | { kind: "time"; time: TimeAttr }
  /** `NodeDayMemento`. */
  | { kind: "day"; day: DayAttr }
  /** `NodeDateMemento`. */
  | { kind: "date"; date: DateAttr }
  /** `NodeCronMemento`. */
  | { kind: "cron"; cron: CronAttr }
  /** `NodeZombieMemento`. */
  | { kind: "zombie"; zombie: ZombieAttr }
  /** `NodeVerifyMemento`: all the node's verify attributes. */
  | { kind: "verifies"; verifies: VerifyAttr[] }
  /** `SubmittableMemento`. */
  | ({ kind: "submittable" } & SubmittableFields)
  /** `SuiteClockMemento`. */
  | { kind: "clock"; clock: ClockAttr }
  /** `SuiteBeginDeltaMemento`. */
  | { kind: "begun"; begun: boolean }
  /** `SuiteCalendarMemento`. */
  | { kind: "calendar"; calendar: Calendar }
  /** `OrderMemento`: the children (suites, nodes or aliases) by name, in their new order. */
  | { kind: "order"; names: string[] }
  /** `ChildrenMemento`: the container's children after nodes were added or deleted. */
  | { kind: "children"; nodes: NodeImage[] }
  /** `AliasChildrenMemento`: the task's aliases after one was added or deleted. */
  | { kind: "aliases"; aliases: NodeImage[] }
  /** `AliasNumberMemento`. */
  | { kind: "aliasNumber"; aliasNo: number };

/** Node states by `NState::State`. */
const NSTATES: readonly NodeState[] = [
  "unknown",
  "complete",
  "queued",
  "aborted",
  "submitted",
  "active",
];
/** Default states by `DState::State`. */
const DSTATES: readonly DefStatus[] = [
  "unknown",
  "complete",
  "queued",
  "aborted",
  "submitted",
  "active",
  "suspended",
];
/** Server states by `SState::State`. */
const SSTATES: readonly ServerState[] = ["HALTED", "SHUTDOWN", "RUNNING"];
/** Flag names by bit (`ecf::Flag::Type`). */
const FLAG_BITS: readonly string[] = [
  "force_aborted",
  "user_edit",
  "task_aborted",
  "edit_failed",
  "ecfcmd_failed",
  "no_script",
  "killed",
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
  "not_set",
  "log_error",
  "checkpt_error",
  "killcmd_failed",
  "statuscmd_failed",
  "status",
  "remote_error",
];
const ZOMBIE_KINDS: readonly (ZombieType | "not_set")[] = [
  "user",
  "ecf",
  "ecf_pid",
  "ecf_passwd",
  "ecf_pid_passwd",
  "path",
  "not_set",
];
const ZOMBIE_ACTS = ["fob", "fail", "adopt", "remove", "block", "kill"];
const CHILD_CMDS = ["init", "event", "meter", "label", "wait", "queue", "abort", "complete"];
/** `DayAttr::Day_t`, Sunday first. */
const WEEK_DAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];

type Obj = Record<string, unknown>;
const HIGH = 0x80000000;
/** A polymorphic id saying "exactly the declared class" (cereal's `msb2_32bit`). */
const EXACT = 0x40000000;

function kindOf(v: unknown): string {
  return v === null ? "null" : Array.isArray(v) ? "array" : typeof v;
}

function obj(v: unknown, what: string): Obj {
  if (typeof v !== "object" || v === null || Array.isArray(v)) {
    throw new ProtocolError(`${what}: expected an object, got ${kindOf(v)}`);
  }
  return v as Obj;
}

function arr(v: unknown, what: string): unknown[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new ProtocolError(`${what}: expected an array, got ${kindOf(v)}`);
  return v;
}

function int(o: Obj, key: string, what: string, dflt?: number): number {
  const v = o[key];
  if (v === undefined && dflt !== undefined) return dflt;
  if (typeof v !== "number" || !Number.isInteger(v)) {
    throw new ProtocolError(`${what}.${key}: expected an integer, got ${kindOf(v)}`);
  }
  return v;
}

function str(o: Obj, key: string, what: string, dflt?: string): string {
  const v = o[key];
  if (v === undefined && dflt !== undefined) return dflt;
  if (typeof v !== "string") {
    throw new ProtocolError(`${what}.${key}: expected a string, got ${kindOf(v)}`);
  }
  return v;
}

function bool(o: Obj, key: string, what: string, dflt = false): boolean {
  const v = o[key];
  if (v === undefined) return dflt;
  if (typeof v !== "boolean") {
    throw new ProtocolError(`${what}.${key}: expected a boolean, got ${kindOf(v)}`);
  }
  return v;
}

function strs(o: Obj, key: string, what: string): string[] {
  return arr(o[key], `${what}.${key}`).map((s, i) => {
    if (typeof s !== "string") throw new ProtocolError(`${what}.${key}[${i}]: expected a string`);
    return s;
  });
}

function ints(o: Obj, key: string, what: string): number[] {
  return arr(o[key], `${what}.${key}`).map((n, i) => {
    if (typeof n !== "number" || !Number.isInteger(n)) {
      throw new ProtocolError(`${what}.${key}[${i}]: expected an integer`);
    }
    return n;
  });
}

function pick<T>(table: readonly T[], n: number, what: string): T {
  const v = table[n];
  if (v === undefined) throw new ProtocolError(`${what}: value ${n} out of range`);
  return v;
}

/** `{"duration": "HH:MM:SS"}` / `{"ptime": "…"}` / `{"date": "…"}`. */
function boostTime(v: unknown, key: "duration" | "ptime" | "date", what: string): string {
  return str(obj(v, what), key, what);
}

/**
 * Reads cereal pointers of one message: polymorphic type names and shared objects are
 * numbered in order of first appearance, so a first pass over the document in order
 * records them all before anything is decoded.
 */
class Pointers {
  #types = new Map<number, string>();
  #shared = new Map<number, Obj>();

  constructor(root: unknown) {
    const stack: unknown[] = [root];
    while (stack.length > 0) {
      const v = stack.pop();
      if (Array.isArray(v)) {
        for (let i = v.length - 1; i >= 0; i--) stack.push(v[i]);
      } else if (typeof v === "object" && v !== null) {
        const o = v as Obj;
        const id = o.polymorphic_id;
        if (typeof id === "number" && id >= HIGH && typeof o.polymorphic_name === "string") {
          this.#types.set(id - HIGH, o.polymorphic_name);
        }
        const w = o.ptr_wrapper;
        if (typeof w === "object" && w !== null) {
          const pw = w as Obj;
          if (typeof pw.id === "number" && pw.id >= HIGH && typeof pw.data === "object") {
            this.#shared.set(pw.id - HIGH, pw.data as Obj);
          }
        }
        const values = Object.values(o);
        for (let i = values.length - 1; i >= 0; i--) stack.push(values[i]);
      }
    }
  }

  /** The data of a (shared or unique) pointer, or `null` for a null one. */
  data(v: unknown, what: string): Obj | null {
    const o = obj(v, what);
    if (o.polymorphic_id === 0) return null;
    const w = obj(o.ptr_wrapper, `${what}.ptr_wrapper`);
    if ("valid" in w) return w.valid === 1 ? obj(w.data, `${what}.ptr_wrapper.data`) : null;
    const id = int(w, "id", `${what}.ptr_wrapper`);
    if (id >= HIGH) return obj(w.data, `${what}.ptr_wrapper.data`);
    const seen = this.#shared.get(id);
    if (!seen) throw new ProtocolError(`${what}: reference to unknown shared object ${id}`);
    return seen;
  }

  /**
   * The class name and data of a polymorphic pointer, or `null` for a null one. An id with
   * bit 30 set says the object is exactly of the pointer's declared class (`declared`).
   */
  poly(v: unknown, what: string, declared?: string): { cls: string; data: Obj } | null {
    const o = obj(v, what);
    const id = int(o, "polymorphic_id", what);
    if (id === 0) return null;
    const cls = id >= HIGH
      ? str(o, "polymorphic_name", what)
      : id === EXACT
      ? declared
      : this.#types.get(id);
    if (cls === undefined) throw new ProtocolError(`${what}: unknown polymorphic id ${id}`);
    const data = this.data(v, what);
    if (data === null) throw new ProtocolError(`${what}: null ${cls}`);
    return { cls, data };
  }
}

// ------------------------------------------------------------------ attributes

function slot(v: unknown, what: string): TimeSlot {
  const o = obj(v, what);
  return { hour: int(o, "h_", what), minute: int(o, "m_", what) };
}

function slotText(t: TimeSlot): string {
  return (t.hour < 10 ? "0" : "") + t.hour + ":" + (t.minute < 10 ? "0" : "") + t.minute;
}

function series(v: unknown, free: boolean, what: string): TimeSeries {
  const o = obj(v, what);
  const ts: TimeSeries = {
    relative: bool(o, "relativeToSuiteStart_", what),
    start: slot(o.start_, `${what}.start_`),
    free,
    isValid: bool(o, "isValid_", what, true),
  };
  if (o.finish_ !== undefined) ts.finish = slot(o.finish_, `${what}.finish_`);
  if (o.incr_ !== undefined) ts.increment = slot(o.incr_, `${what}.incr_`);
  if (o.nextTimeSlot_ !== undefined) {
    const next = slot(o.nextTimeSlot_, `${what}.nextTimeSlot_`);
    if (next.hour >= 0) ts.nextTimeSlot = slotText(next);
  }
  if (o.relativeDuration_ !== undefined) {
    const d = boostTime(o.relativeDuration_, "duration", `${what}.relativeDuration_`);
    if (!/^-?0+:00:00(\.0+)?$/.test(d)) ts.relativeDuration = d;
  }
  return ts;
}

function timeAttr(v: unknown, what: string): TimeAttr {
  const o = obj(v, what);
  return { kind: "time", series: series(o.ts_, bool(o, "free_", what), `${what}.ts_`) };
}

function todayAttr(v: unknown, what: string): TodayAttr {
  const o = obj(v, what);
  return { kind: "today", series: series(o.ts_, bool(o, "free_", what), `${what}.ts_`) };
}

function cronAttr(v: unknown, what: string): CronAttr {
  const o = obj(v, what);
  return {
    kind: "cron",
    weekDays: ints(o, "weekDays_", what),
    lastWeekDaysOfMonth: ints(o, "last_week_days_of_month_", what),
    daysOfMonth: ints(o, "daysOfMonth_", what),
    lastDayOfMonth: bool(o, "last_day_of_month_", what),
    months: ints(o, "months_", what),
    series: series(o.timeSeries_, bool(o, "free_", what), `${what}.timeSeries_`),
  };
}

function dateAttr(v: unknown, what: string): DateAttr {
  const o = obj(v, what);
  return {
    day: int(o, "day_", what),
    month: int(o, "month_", what),
    year: int(o, "year_", what),
    free: bool(o, "free_", what),
  };
}

function dayAttr(v: unknown, what: string): DayAttr {
  const o = obj(v, what);
  const d: DayAttr = {
    day: pick(WEEK_DAYS, int(o, "day_", what), `${what}.day_`),
    free: bool(o, "free_", what),
    expired: bool(o, "expired_", what),
  };
  if (o.date_ !== undefined) d.date = boostTime(o.date_, "date", `${what}.date_`);
  return d;
}

function lateAttr(v: unknown, what: string): LateAttr {
  const o = obj(v, what);
  const l: LateAttr = {
    completeRelative: bool(o, "c_is_rel_", what),
    isLate: bool(o, "isLate_", what),
  };
  if (o.s_ !== undefined) l.submitted = slot(o.s_, `${what}.s_`);
  if (o.a_ !== undefined) l.active = slot(o.a_, `${what}.a_`);
  if (o.c_ !== undefined) l.complete = slot(o.c_, `${what}.c_`);
  return l;
}

function event(v: unknown, what: string): Event {
  const o = obj(v, what);
  const number = o.number_ === undefined ? undefined : int(o, "number_", what);
  const e: Event = {
    name: str(o, "n_", what, ""),
    initial: bool(o, "iv_", what),
    value: bool(o, "v_", what),
  };
  if (number !== undefined && number !== 0x7fffffff) e.number = number;
  return e;
}

function meter(v: unknown, what: string): Meter {
  const o = obj(v, what);
  return {
    name: str(o, "n_", what),
    min: int(o, "min_", what),
    max: int(o, "max_", what),
    colorChange: int(o, "cc_", what),
    value: int(o, "v_", what),
  };
}

function label(v: unknown, what: string): Label {
  const o = obj(v, what);
  return {
    name: str(o, "n_", what),
    value: str(o, "v_", what, ""),
    newValue: str(o, "new_v_", what, ""),
  };
}

function variable(v: unknown, what: string): Variable {
  const o = obj(v, what);
  return { name: str(o, "n_", what), value: str(o, "v_", what) };
}

function limit(v: unknown, what: string): Limit {
  const o = obj(v, what);
  return {
    name: str(o, "n_", what),
    max: int(o, "lim_", what),
    value: int(o, "value_", what, 0),
    paths: strs(o, "paths_", what),
  };
}

function inLimit(v: unknown, what: string): InLimit {
  const o = obj(v, what);
  return {
    name: str(o, "n_", what),
    path: str(o, "path_", what, ""),
    tokens: int(o, "tokens_", what, 1),
    nodeOnly: bool(o, "limit_this_node_only_", what),
    submission: bool(o, "limit_submission_", what),
    incremented: bool(o, "incremented_", what),
  };
}

function expression(v: unknown, what: string): Expression {
  const o = obj(v, what);
  const types = ["first", "and", "or"] as const;
  return {
    parts: arr(o.vec_, `${what}.vec_`).map((p, i) => {
      const pw = `${what}.vec_[${i}]`;
      const po = obj(p, pw);
      // PartExpression::ExprType: FIRST=0, AND=1, OR=2; FIRST when absent.
      return {
        type: pick(types, int(po, "type_", pw, 0), `${pw}.type_`),
        text: str(po, "exp_", pw),
      };
    }),
    free: bool(o, "free_", what),
  };
}

function zombieAttr(v: unknown, what: string): ZombieAttr {
  const o = obj(v, what);
  const type = pick(ZOMBIE_KINDS, int(o, "zombie_type_", what), `${what}.zombie_type_`);
  if (type === "not_set") throw new ProtocolError(`${what}.zombie_type_: not set`);
  return {
    type,
    action: pick(ZOMBIE_ACTS, int(o, "action_", what), `${what}.action_`),
    children: ints(o, "child_cmds_", what).map((c) => pick(CHILD_CMDS, c, `${what}.child_cmds_`)),
    lifetime: int(o, "zombie_lifetime_", what),
  };
}

function verifyAttr(v: unknown, what: string): VerifyAttr {
  const o = obj(v, what);
  return {
    state: pick(NSTATES, int(o, "state_", what), `${what}.state_`),
    expected: int(o, "expected_", what),
    actual: int(o, "actual_", what),
  };
}

function queueAttr(v: unknown, what: string): QueueAttr {
  const o = obj(v, what);
  return {
    name: str(o, "name_", what),
    values: strs(o, "theQueue_", what),
    index: int(o, "currentIndex_", what),
    states: ints(o, "state_vec_", what).map((s) => pick(NSTATES, s, `${what}.state_vec_`)),
  };
}

function genericAttr(v: unknown, what: string): GenericAttr {
  const o = obj(v, what);
  return { name: str(o, "name_", what), values: strs(o, "values_", what) };
}

function clockAttr(v: unknown, what: string): ClockAttr {
  const o = obj(v, what);
  return {
    hybrid: bool(o, "hybrid_", what),
    day: int(o, "day_", what, 0),
    month: int(o, "month_", what, 0),
    year: int(o, "year_", what, 0),
    gain: int(o, "gain_", what, 0),
    positiveGain: bool(o, "positiveGain_", what),
  };
}

function calendar(v: unknown, what: string): Calendar {
  const o = obj(v, what);
  const init = boostTime(o.initTime_, "ptime", `${what}.initTime_`);
  const time = (key: string) =>
    o[key] === undefined ? init : boostTime(o[key], "ptime", `${what}.${key}`);
  return {
    initTime: init,
    suiteTime: time("suiteTime_"),
    duration: o.duration_ === undefined
      ? "00:00:00"
      : boostTime(o.duration_, "duration", `${what}.duration_`),
    initLocalTime: time("initLocalTime_"),
    lastTime: time("lastTime_"),
    increment: o.increment_ === undefined
      ? "00:01:00"
      : boostTime(o.increment_, "duration", `${what}.increment_`),
    dayChanged: bool(o, "dayChanged_", what),
  };
}

function flags(v: unknown, what: string): string[] {
  const bits = int(obj(v, what), "flag_", what);
  const out: string[] = [];
  for (let i = 0; i < FLAG_BITS.length; i++) if ((bits & (1 << i)) !== 0) out.push(FLAG_BITS[i]);
  return out;
}

function autoTime(v: unknown, what: string): AutoTime {
  const o = obj(v, what);
  const relative = bool(o, "relative_", what, true);
  const time = slot(o.time_, `${what}.time_`);
  if (bool(o, "days_", what)) return { days: Math.floor(time.hour / 24), relative: false };
  return { time, relative };
}

function avisoAttr(v: unknown, what: string): AvisoAttr {
  // Written with `ar & member`: unnamed, in declaration order (parent path first).
  const o = obj(v, what);
  return {
    name: str(o, "value1", what),
    listener: str(o, "value2", what),
    url: str(o, "value3", what),
    schema: str(o, "value4", what),
    polling: str(o, "value5", what),
    auth: str(o, "value6", what),
    reason: str(o, "value7", what),
    revision: int(o, "value8", what),
  };
}

function mirrorAttr(v: unknown, what: string): MirrorAttr {
  const o = obj(v, what);
  return {
    name: str(o, "value1", what),
    remotePath: str(o, "value2", what),
    remoteHost: str(o, "value3", what),
    remotePort: str(o, "value4", what),
    polling: str(o, "value5", what),
    ssl: bool(o, "value6", what),
    auth: str(o, "value7", what),
    reason: str(o, "value8", what),
  };
}

// --------------------------------------------------------------------- repeats

/** `yyyymmddTHHMMSS` of seconds since the epoch (UTC), as ecFlow prints an instant. */
function instantText(seconds: number): string {
  const d = new Date(seconds * 1000);
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  return p(d.getUTCFullYear(), 4) + p(d.getUTCMonth() + 1) + p(d.getUTCDate()) + "T" +
    p(d.getUTCHours()) + p(d.getUTCMinutes()) + p(d.getUTCSeconds());
}

/**
 * Seconds of a 5.17 `Instant` (`{value0: {time_since_epoch: {count: ns}}}`) or `Duration`
 * (`{value0: {count: ns}}`): std::chrono counts of nanoseconds.
 */
function seconds(v: unknown, what: string): number {
  const o = obj(obj(v, what).value0, `${what}.value0`);
  const c = o.time_since_epoch === undefined ? o : obj(o.time_since_epoch, `${what}.value0`);
  return Math.round(int(c, "count", `${what}.value0`) / 1e9);
}

function durationText(s: number): string {
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
  return String(h).padStart(2, "0") + ":" + String(m).padStart(2, "0") + ":" +
    String(sec).padStart(2, "0");
}

function repeat(p: Pointers, v: unknown, what: string): Repeat | undefined {
  const r = p.poly(obj(v, what).type_, `${what}.type_`);
  if (r === null) return undefined;
  const d = r.data;
  const w = `${what}(${r.cls})`;
  const name = str(obj(d.value0, `${w}.value0`), "name_", `${w}.value0`);
  switch (r.cls) {
    case "RepeatInteger":
    case "RepeatDate":
      return {
        kind: r.cls === "RepeatDate" ? "date" : "integer",
        name,
        start: int(d, "start_", w),
        end: int(d, "end_", w),
        delta: int(d, "delta_", w),
        value: int(d, "value_", w),
      };
    case "RepeatDateList":
      return {
        kind: "datelist",
        name,
        values: ints(d, "list_", w),
        index: int(d, "currentIndex_", w),
      };
    case "RepeatEnumerated":
      return {
        kind: "enumerated",
        name,
        values: strs(d, "theEnums_", w),
        index: int(d, "currentIndex_", w),
      };
    case "RepeatString":
      return {
        kind: "string",
        name,
        values: strs(d, "theStrings_", w),
        index: int(d, "currentIndex_", w),
      };
    case "RepeatDay":
      return { kind: "day", step: int(d, "step_", w) };
    case "RepeatDateTime":
      return {
        kind: "datetime",
        name,
        start: instantText(seconds(d.start_, `${w}.start_`)),
        end: instantText(seconds(d.end_, `${w}.end_`)),
        step: durationText(seconds(d.delta_, `${w}.delta_`)),
        value: instantText(seconds(d.value_, `${w}.value_`)),
      };
    case "RepeatDateTimeList":
      return {
        kind: "datetimelist",
        name,
        values: arr(d.list_, `${w}.list_`).map((x, i) =>
          instantText(seconds(x, `${w}.list_[${i}]`))
        ),
        index: int(d, "currentIndex_", w),
      };
    default:
      throw new ProtocolError(`${what}: unknown repeat class '${r.cls}'`);
  }
}

// ----------------------------------------------------------------------- nodes

const NODE_CLASSES: Record<string, NodeKind> = {
  Suite: "suite",
  Family: "family",
  Task: "task",
  Alias: "alias",
};

/** How deep a sent node tree may nest (a hostile reply must not exhaust the stack). */
const MAX_NODE_DEPTH = 200;

function nodeImage(
  p: Pointers,
  v: unknown,
  what: string,
  depth: number,
  declared?: "Alias",
): NodeImage {
  if (depth > MAX_NODE_DEPTH) throw new ProtocolError(`${what}: nodes nested too deep`);
  const ptr = p.poly(v, what, declared);
  if (ptr === null) throw new ProtocolError(`${what}: null node`);
  const kind = NODE_CLASSES[ptr.cls];
  if (kind === undefined) throw new ProtocolError(`${what}: unknown node class '${ptr.cls}'`);
  const w = `${what}(${ptr.cls})`;
  const top = ptr.data;
  // Suite/Family → NodeContainer → Node; Task/Alias → Submittable → Node.
  const mid = obj(top.value0, `${w}.value0`);
  const node = obj(mid.value0, `${w}.value0.value0`);
  const image = nodeFields(p, node, `${w}.node`, kind);
  if (kind === "suite" || kind === "family") {
    image.children = arr(mid.nodes_, `${w}.nodes_`).map((c, i) =>
      nodeImage(p, c, `${w}.nodes_[${i}]`, depth + 1)
    );
  } else {
    image.password = str(mid, "paswd_", w, "");
    image.rid = str(mid, "rid_", w, "");
    image.abortReason = str(mid, "abr_", w, "");
    image.tryNo = int(mid, "tryNo_", w, 0);
  }
  if (kind === "task") {
    image.aliasNo = int(top, "alias_no_", w, 0);
    image.aliases = arr(top.aliases_, `${w}.aliases_`).map((a, i) =>
      nodeImage(p, a, `${w}.aliases_[${i}]`, depth + 1, "Alias")
    );
  }
  if (kind === "suite") {
    image.begun = bool(top, "begun_", w);
    if (top.clockAttr_ !== undefined) {
      const c = p.data(top.clockAttr_, `${w}.clockAttr_`);
      if (c) image.clock = clockAttr(c, `${w}.clockAttr_`);
    }
    image.calendar = calendar(top.cal_, `${w}.cal_`);
  }
  return image;
}

function nodeFields(p: Pointers, o: Obj, w: string, kind: NodeKind): NodeImage {
  const list = <T>(key: string, f: (v: unknown, what: string) => T): T[] =>
    arr(o[key], `${w}.${key}`).map((v, i) => f(v, `${w}.${key}[${i}]`));
  const image: NodeImage = {
    kind,
    name: str(o, "n_", w),
    state: "unknown",
    suspended: bool(o, "suspended_", w),
    defStatus: "queued",
    flags: o.flag_ === undefined ? [] : flags(o.flag_, `${w}.flag_`),
    variables: list("vars_", variable),
    meters: list("meters_", meter),
    events: list("events_", event),
    labels: list("labels_", label),
    avisos: list("avisos_", avisoAttr),
    mirrors: list("mirrors_", mirrorAttr),
    times: list("times_", timeAttr),
    todays: list("todays_", todayAttr),
    crons: list("crons_", cronAttr),
    dates: list("dates_", dateAttr),
    days: list("days_", dayAttr),
    zombies: [],
    verifies: [],
    queues: [],
    generics: [],
    limits: arr(o.limits_, `${w}.limits_`).map((l, i) => {
      const d = p.data(l, `${w}.limits_[${i}]`);
      if (d === null) throw new ProtocolError(`${w}.limits_[${i}]: null limit`);
      return limit(d, `${w}.limits_[${i}]`);
    }),
    inLimits: o.inLimitMgr_ === undefined ? [] : arr(
      obj(o.inLimitMgr_, `${w}.inLimitMgr_`).vec_,
      `${w}.inLimitMgr_.vec_`,
    ).map((l, i) => inLimit(l, `${w}.inLimitMgr_.vec_[${i}]`)),
    password: "",
    rid: "",
    abortReason: "",
    tryNo: 0,
    aliasNo: 0,
    aliases: [],
    children: [],
    begun: false,
  };
  if (o.st_ !== undefined) {
    const st = obj(o.st_, `${w}.st_`);
    image.state = pick(NSTATES, int(obj(st.first, `${w}.st_.first`), "st_", w), `${w}.st_`);
    const dur = boostTime(st.second, "duration", `${w}.st_.second`);
    if (!/^-?0+:00:00(\.0+)?$/.test(dur)) image.stateDuration = dur;
  }
  if (o.d_st_ !== undefined) {
    image.defStatus = pick(DSTATES, int(obj(o.d_st_, `${w}.d_st_`), "st_", w), `${w}.d_st_`);
  }
  const unique = (key: string) => o[key] === undefined ? null : p.data(o[key], `${w}.${key}`);
  const c = unique("c_expr_");
  if (c) image.complete = expression(c, `${w}.c_expr_`);
  const t = unique("t_expr_");
  if (t) image.trigger = expression(t, `${w}.t_expr_`);
  const late = unique("late_");
  if (late) image.late = lateAttr(late, `${w}.late_`);
  const misc = unique("misc_attrs_");
  if (misc) {
    const mw = `${w}.misc_attrs_`;
    image.zombies = arr(misc.zombies_, `${mw}.zombies_`).map((z, i) =>
      zombieAttr(z, `${mw}[${i}]`)
    );
    image.verifies = arr(misc.verifys_, `${mw}.verifys_`).map((z, i) =>
      verifyAttr(z, `${mw}[${i}]`)
    );
    image.queues = arr(misc.queues_, `${mw}.queues_`).map((z, i) => queueAttr(z, `${mw}[${i}]`));
    image.generics = arr(misc.generics_, `${mw}.generics_`).map((z, i) =>
      genericAttr(z, `${mw}[${i}]`)
    );
  }
  if (o.repeat_ !== undefined) image.repeat = repeat(p, o.repeat_, `${w}.repeat_`);
  const cancel = unique("auto_cancel_");
  if (cancel) image.autoCancel = autoTime(cancel, `${w}.auto_cancel_`);
  const archive = unique("auto_archive_");
  if (archive) {
    image.autoArchive = {
      ...autoTime(archive, `${w}.auto_archive_`),
      idle: bool(archive, "idle_", `${w}.auto_archive_`),
    };
  }
  const restore = unique("auto_restore_");
  if (restore) image.autoRestore = strs(restore, "nodes_to_restore_", `${w}.auto_restore_`);
  return image;
}

// -------------------------------------------------------------------- mementos

function memento(p: Pointers, v: unknown, what: string): Memento {
  const m = p.poly(v, what);
  if (m === null) throw new ProtocolError(`${what}: null memento`);
  const d = m.data;
  const w = `${what}(${m.cls})`;
  switch (m.cls) {
    case "StateMemento":
      return { kind: "defsState", state: pick(NSTATES, int(d, "state_", w), `${w}.state_`) };
    case "NodeStateMemento": {
      const st = obj(d.state_, `${w}.state_`);
      return {
        kind: "state",
        state: pick(NSTATES, int(st, "first", w), `${w}.state_.first`),
        duration: boostTime(st.second, "duration", `${w}.state_.second`),
      };
    }
    case "NodeDefStatusDeltaMemento":
      return { kind: "defStatus", defStatus: pick(DSTATES, int(d, "state_", w), `${w}.state_`) };
    case "SuspendedMemento":
      return { kind: "suspended", suspended: bool(d, "suspended_", w) };
    case "ServerStateMemento":
      return { kind: "serverState", state: pick(SSTATES, int(d, "state_", w), `${w}.state_`) };
    case "ServerVariableMemento":
      return {
        kind: "serverVariables",
        variables: arr(d.serverEnv_, `${w}.serverEnv_`).map((x, i) =>
          variable(x, `${w}.serverEnv_[${i}]`)
        ),
      };
    case "NodeEventMemento":
      return { kind: "event", event: event(d.event_, `${w}.event_`) };
    case "NodeMeterMemento":
      return { kind: "meter", meter: meter(d.meter_, `${w}.meter_`) };
    case "NodeLabelMemento":
      return { kind: "label", label: label(d.label_, `${w}.label_`) };
    case "NodeAvisoMemento":
      return { kind: "aviso", aviso: avisoAttr(d.aviso_, `${w}.aviso_`) };
    case "NodeMirrorMemento":
      return { kind: "mirror", mirror: mirrorAttr(d.mirror_, `${w}.mirror_`) };
    case "NodeQueueMemento":
      return { kind: "queue", queue: queueAttr(d.queue_, `${w}.queue_`) };
    case "NodeGenericMemento":
      return { kind: "generic", generic: genericAttr(d.generic_, `${w}.generic_`) };
    case "NodeQueueIndexMemento":
      return {
        kind: "queueIndex",
        name: str(d, "name_", w),
        index: int(d, "index_", w),
        states: ints(d, "state_vec_", w).map((s) => pick(NSTATES, s, `${w}.state_vec_`)),
      };
    case "NodeTriggerMemento":
      return { kind: "trigger", expression: expression(d.exp_, `${w}.exp_`) };
    case "NodeCompleteMemento":
      return { kind: "complete", expression: expression(d.exp_, `${w}.exp_`) };
    case "NodeRepeatMemento": {
      const r = repeat(p, d.repeat_, `${w}.repeat_`);
      if (r === undefined) throw new ProtocolError(`${w}.repeat_: empty repeat`);
      return { kind: "repeat", repeat: r };
    }
    case "NodeRepeatIndexMemento":
      return { kind: "repeatIndex", value: int(d, "index_or_value_", w) };
    case "NodeLimitMemento":
      return { kind: "limit", limit: limit(d.limit_, `${w}.limit_`) };
    case "NodeInLimitMemento":
      return { kind: "inLimit", inLimit: inLimit(d.inlimit_, `${w}.inlimit_`) };
    case "NodeVariableMemento":
      return { kind: "variable", variable: variable(d.var_, `${w}.var_`) };
    case "NodeLateMemento":
      return { kind: "late", late: lateAttr(d.late_, `${w}.late_`) };
    case "FlagMemento":
      return { kind: "flags", flags: flags(d.flag_, `${w}.flag_`) };
    case "NodeTodayMemento":
      return { kind: "today", today: todayAttr(d.attr_, `${w}.attr_`) };
    case "NodeTimeMemento":
      return { kind: "time", time: timeAttr(d.attr_, `${w}.attr_`) };
    case "NodeDayMemento":
      return { kind: "day", day: dayAttr(d.attr_, `${w}.attr_`) };
    case "NodeDateMemento":
      return { kind: "date", date: dateAttr(d.attr_, `${w}.attr_`) };
    case "NodeCronMemento":
      return { kind: "cron", cron: cronAttr(d.attr_, `${w}.attr_`) };
    case "NodeZombieMemento":
      return { kind: "zombie", zombie: zombieAttr(d.attr_, `${w}.attr_`) };
    case "NodeVerifyMemento":
      return {
        kind: "verifies",
        verifies: arr(d.verifys_, `${w}.verifys_`).map((x, i) =>
          verifyAttr(x, `${w}.verifys_[${i}]`)
        ),
      };
    case "SubmittableMemento":
      return {
        kind: "submittable",
        password: str(d, "paswd_", w),
        rid: str(d, "rid_", w),
        abortReason: str(d, "abr_", w),
        tryNo: int(d, "tryNo_", w),
      };
    case "SuiteClockMemento":
      return { kind: "clock", clock: clockAttr(d.clockAttr_, `${w}.clockAttr_`) };
    case "SuiteBeginDeltaMemento":
      return { kind: "begun", begun: bool(d, "begun_", w) };
    case "SuiteCalendarMemento":
      return { kind: "calendar", calendar: calendar(d.cal_, `${w}.cal_`) };
    case "OrderMemento":
      return { kind: "order", names: strs(d, "order_", w) };
    case "ChildrenMemento":
      return {
        kind: "children",
        nodes: arr(d.children_, `${w}.children_`).map((c, i) =>
          nodeImage(p, c, `${w}.children_[${i}]`, 0)
        ),
      };
    case "AliasChildrenMemento":
      return {
        kind: "aliases",
        aliases: arr(d.children_, `${w}.children_`).map((c, i) =>
          nodeImage(p, c, `${w}.children_[${i}]`, 0, "Alias")
        ),
      };
    case "AliasNumberMemento":
      return { kind: "aliasNumber", aliasNo: int(d, "alias_no_", w) };
    default:
      throw new ProtocolError(`${what}: unknown memento class '${m.cls}'`);
  }
}

/**
 * Decodes `SSyncCmd.incremental_changes_` (ecFlow's `DefsDelta`, as JSON already parsed).
 *
 * @example
 * ```ts
 * import { decodeDefsDelta } from "@ecflow-ts/client/wire";
 * import { assertEquals } from "@std/assert";
 * const delta = decodeDefsDelta({
 *   cereal_class_version: 0,
 *   server_state_change_no_: 157,
 *   server_modify_change_no_: 9,
 *   compound_mementos_: [{
 *     ptr_wrapper: {
 *       id: 2147483650,
 *       data: {
 *         cereal_class_version: 0,
 *         absNodePath_: "/s/t",
 *         vec_: [{
 *           polymorphic_id: 2147483650,
 *           polymorphic_name: "SuspendedMemento",
 *           ptr_wrapper: {
 *             id: 2147483651,
 *             data: { cereal_class_version: 0, value0: {}, suspended_: true },
 *           },
 *         }],
 *       },
 *     },
 *   }],
 * });
 * assertEquals(delta.stateChange, 157);
 * assertEquals(delta.compounds[0].mementos, [{ kind: "suspended", suspended: true }]);
 * ```
 */
export function decodeDefsDelta(v: unknown): DefsDelta {
  const what = "DefsDelta";
  const o = obj(v, what);
  const p = new Pointers(o);
  return {
    stateChange: int(o, "server_state_change_no_", what),
    modifyChange: int(o, "server_modify_change_no_", what),
    compounds: arr(o.compound_mementos_, `${what}.compound_mementos_`).map((c, i) => {
      const cw = `${what}.compound_mementos_[${i}]`;
      const d = p.data(c, cw);
      if (d === null) throw new ProtocolError(`${cw}: null compound memento`);
      return {
        path: str(d, "absNodePath_", cw),
        clearAttributes: bool(d, "clear_attributes_", cw),
        mementos: arr(d.vec_, `${cw}.vec_`).map((m, j) => memento(p, m, `${cw}.vec_[${j}]`)),
      };
    }),
  };
}
