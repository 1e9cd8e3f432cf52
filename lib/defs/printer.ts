/**
 * Printers for the ecFlow definition model, reproducing ecflow_client's output byte for byte:
 * `defs` (what `ecflow_client --get` and Python's `print(ecflow.Defs(f))` show), `net`
 * (what the server sends and what a LoadDefsCmd carries), `migrate` and `state`. They print
 * as ecFlow 5.9.2 does unless given the print profile of another version (`profile.ts`).
 *
 * @module
 */

import { FLAG_NAMES } from "./model.ts";
import type { PrintProfile } from "./profile.ts";
import type {
  AutoArchive,
  AutoTime,
  AvisoAttr,
  ClockAttr,
  CronAttr,
  Defs,
  Expression,
  LateAttr,
  MirrorAttr,
  Node,
  Repeat,
  Suite,
  Task,
  TimeSeries,
  TimeSlot,
  Variable,
} from "./model.ts";

/**
 * Output style: `defs` (definition only), `state`, `net`, `migrate` (with state).
 *
 * @example
 * ```ts
 * import { parseDefs, printDefs, type PrintStyle } from "@ecflow-ts/client/defs";
 * import { assertEquals } from "@std/assert";
 * const defs = parseDefs("suite s\nendsuite\n");
 * const second = (style: PrintStyle) => printDefs(defs, { style }).split("\n")[1];
 * assertEquals(second("defs"), "suite s");
 * assertEquals(second("net"), "defs_state NET cal_count:0");
 * assertEquals(second("migrate"), "defs_state MIGRATE cal_count:0");
 * assertEquals(second("state"), "defs_state STATE cal_count:0");
 * ```
 */
export type PrintStyle = "defs" | "state" | "net" | "migrate";

/**
 * Options of {@link printDefs}.
 *
 * @example
 * ```ts
 * import { parseDefs, printDefs, type PrintOptions } from "@ecflow-ts/client/defs";
 * import { assertEquals } from "@std/assert";
 * const options: PrintOptions = { style: "migrate", version: "5.9.2" };
 * assertEquals(
 *   printDefs(parseDefs("suite s\nendsuite\n"), options),
 *   "#5.9.2\ndefs_state MIGRATE cal_count:0\nsuite s\nendsuite\n# enddef\n",
 * );
 * ```
 *
 * @example As the ecflow_client of a 5.17 server prints it (STATE style is not indented)
 * ```ts
 * import { parseDefs, printDefs, printProfile } from "@ecflow-ts/client/defs";
 * import { assertEquals } from "@std/assert";
 * const defs = parseDefs("suite s\n  task t\nendsuite\n");
 * const text = printDefs(defs, { style: "migrate", profile: printProfile("5.17.0") });
 * assertEquals(text.split("\n").slice(0, 1).concat(text.split("\n").slice(-5)), [
 *   "#5.17.0", "suite s", "task t", "endsuite", "# enddef", "",
 * ]);
 * ```
 */
export interface PrintOptions {
  /** Output style (default `defs`). */
  style?: PrintStyle;
  /**
   * Print as the `ecflow_client` of this profile's version prints: its version on the first
   * line and its indentation of the style (see `printProfile`). Without one: the
   * definition's own version line and 5.9.2's forms.
   */
  profile?: PrintProfile;
  /**
   * Version written on the first line (default: the profile's, else the parsed one, else
   * `5.9.2`).
   */
  version?: string;
  /**
   * Indent nested lines by two spaces per level. Default: the profile's choice for the style;
   * without a profile, true except for whole-defs `net`/`migrate` text (the server's DefsCmd
   * text is not indented).
   */
  indent?: boolean;
  /**
   * Extra lines per node for the `state` style (generated variables, trigger trees):
   * called after the node's user variables; return lines without indentation.
   */
  stateExtras?: StateExtras;
}

/**
 * Hooks that let the `state` style print what ecFlow computes (see `printDefs`).
 *
 * @example
 * ```ts
 * import { parseDefs, printDefs, type StateExtras } from "@ecflow-ts/client/defs";
 * import { assertEquals } from "@std/assert";
 * const extras: StateExtras = { generatedVariables: (n) => [{ name: "NAME", value: n.name }] };
 * const text = printDefs(parseDefs("suite s\nendsuite\n"), { style: "state", stateExtras: extras });
 * assertEquals(text.split("\n").slice(3, 6), ["suite s", "  # edit NAME 's'", "endsuite"]);
 * ```
 */
export interface StateExtras {
  /** Generated variables (`# edit NAME 'value'` lines) of a node. */
  generatedVariables?(node: Node): Variable[];
  /**
   * Comment block printed after a trigger/complete: lines indented relative to the trigger
   * line (a printer that does not indent drops the leading spaces).
   */
  expressionTree?(node: Node, kind: "trigger" | "complete"): string[];
}

const STYLE_NAME: Record<PrintStyle, string> = {
  defs: "DEFS",
  state: "STATE",
  net: "NET",
  migrate: "MIGRATE",
};

/** Flags in ecFlow's enum order (how `flag:` lists are written); unknown names last. */
function sortFlags(flags: readonly string[]): string[] {
  const rank = (f: string) => {
    const i = FLAG_NAMES.indexOf(f);
    return i < 0 ? FLAG_NAMES.length : i;
  };
  return [...flags].sort((a, b) => rank(a) - rank(b));
}

function two(n: number): string {
  return n < 10 ? "0" + n : String(n);
}

/**
 * `HH:MM` as ecFlow prints a TimeSlot.
 *
 * @example
 * ```ts
 * import { formatSlot } from "@ecflow-ts/client/defs";
 * import { assertEquals } from "@std/assert";
 * assertEquals(formatSlot({ hour: 9, minute: 5 }), "09:05");
 * ```
 */
export function formatSlot(t: TimeSlot): string {
  return two(t.hour) + ":" + two(t.minute);
}

function seriesText(ts: TimeSeries): string {
  let s = ts.relative ? "+" : "";
  s += formatSlot(ts.start);
  if (ts.finish && ts.increment) s += " " + formatSlot(ts.finish) + " " + formatSlot(ts.increment);
  return s;
}

function seriesState(ts: TimeSeries): string {
  if (
    !ts.free && ts.isValid && ts.nextTimeSlot === undefined && ts.relativeDuration === undefined
  ) {
    return "";
  }
  let s = " #";
  if (ts.free) s += " free";
  if (!ts.isValid) s += " isValid:false";
  if (ts.nextTimeSlot !== undefined) s += " nextTimeSlot/" + ts.nextTimeSlot;
  if (ts.relativeDuration !== undefined) s += " relativeDuration/" + ts.relativeDuration;
  return s;
}

function cronText(c: CronAttr): string {
  let s = "cron ";
  if (c.weekDays.length > 0) {
    s += "-w " + c.weekDays.join(",");
    s += c.lastWeekDaysOfMonth.length === 0 ? " " : ",";
  }
  if (c.lastWeekDaysOfMonth.length > 0) {
    if (c.weekDays.length === 0) s += "-w ";
    s += c.lastWeekDaysOfMonth.map((d) => d + "L").join(",") + " ";
  }
  if (c.daysOfMonth.length > 0) {
    s += "-d " + c.daysOfMonth.join(",");
    if (!c.lastDayOfMonth) s += " ";
  }
  if (c.lastDayOfMonth) s += c.daysOfMonth.length === 0 ? "-d L " : ",L ";
  if (c.months.length > 0) s += "-m " + c.months.join(",") + " ";
  return s + seriesText(c.series);
}

function lateText(l: LateAttr): string {
  let s = "late";
  if (l.submitted) s += " -s +" + formatSlot(l.submitted);
  if (l.active) s += " -a " + formatSlot(l.active);
  if (l.complete) s += " -c " + (l.completeRelative ? "+" : "") + formatSlot(l.complete);
  return s;
}

function autoText(kw: string, a: AutoTime | AutoArchive): string {
  let s = kw + " ";
  const idle = "idle" in a && a.idle ? " -i" : "";
  if (a.days !== undefined) return s + a.days + idle;
  if (a.relative) s += "+";
  return s + formatSlot(a.time!) + idle;
}

function clockText(c: ClockAttr, end: boolean): string {
  let s = end ? "endclock " : c.hybrid ? "clock hybrid " : "clock real ";
  if (c.day !== 0) s += c.day + "." + c.month + "." + c.year + " ";
  if (c.gain !== 0) s += (c.positiveGain ? "+" : "") + c.gain;
  return s;
}

function repeatText(r: Repeat, st: boolean): string {
  switch (r.kind) {
    case "integer": {
      let s = `repeat integer ${r.name} ${r.start} ${r.end}`;
      if (r.delta !== 1) s += " " + r.delta;
      if (st && r.value !== r.start) s += " # " + r.value;
      return s;
    }
    case "date": {
      let s = `repeat date ${r.name} ${r.start} ${r.end} ${r.delta}`;
      if (st && r.value !== r.start) s += " # " + r.value;
      return s;
    }
    case "datelist":
    case "enumerated":
    case "string":
    case "datetimelist": {
      let s = `repeat ${r.kind} ${r.name}`;
      for (const v of r.values) s += ' "' + v + '"';
      if (st && r.index !== 0) s += " # " + r.index;
      return s;
    }
    case "day":
      return "repeat day " + r.step;
    case "datetime": {
      let s = `repeat datetime ${r.name} ${r.start} ${r.end} ${r.step}`;
      if (st && r.value !== r.start) s += " # " + r.value;
      return s;
    }
  }
}

function variableText(v: Variable): string {
  const val = v.value.indexOf("\n") >= 0 ? v.value.replaceAll("\n", "\\n") : v.value;
  return "edit " + v.name + " '" + val + "'";
}

/** `text` in single quotes unless it already is (ecFlow's `ensure_single_quotes`). */
function singleQuoted(text: string): string {
  return text.length >= 2 && text.startsWith("'") && text.endsWith("'") ? text : `'${text}'`;
}

function avisoText(a: AvisoAttr, quoted: boolean): string {
  const listener = quoted ? singleQuoted(a.listener) : a.listener;
  const reason = quoted ? singleQuoted(a.reason) : a.reason;
  let s = "aviso --name " + a.name + " --listener " + listener;
  if (a.url !== "" && a.url !== "%ECF_AVISO_URL%") s += " --url " + a.url;
  if (a.schema !== "" && a.schema !== "%ECF_AVISO_SCHEMA%") s += " --schema " + a.schema;
  if (a.polling !== "" && a.polling !== "%ECF_AVISO_POLLING%") s += " --polling " + a.polling;
  s += " --revision " + a.revision;
  if (a.auth !== "" && a.auth !== "%ECF_AVISO_AUTH%") s += " --auth " + a.auth;
  if (reason !== "") s += " --reason " + reason;
  return s;
}

function mirrorText(m: MirrorAttr): string {
  let s = "mirror --name " + m.name + " --remote_path " + m.remotePath;
  if (m.remoteHost !== "" && m.remoteHost !== "%ECF_MIRROR_REMOTE_HOST%") {
    s += " --remote_host " + m.remoteHost;
  }
  if (m.remotePort !== "" && m.remotePort !== "%ECF_MIRROR_REMOTE_PORT%") {
    s += " --remote_port " + m.remotePort;
  }
  if (m.polling !== "" && m.polling !== "%ECF_MIRROR_REMOTE_POLLING%") {
    s += " --polling " + m.polling;
  }
  if (m.ssl) s += " --ssl";
  if (m.auth !== "" && m.auth !== "%ECF_MIRROR_REMOTE_AUTH%") s += " --remote_auth " + m.auth;
  if (m.reason !== "") s += " --reason " + m.reason;
  return s;
}

/**
 * Characters a writer collects before it hands them on (lines are never split): small enough
 * that the lines die young (a CLI printing 20,000 tasks peaks ~5 MB lower than with 1 MB
 * pieces), large enough that writing them costs a few system calls.
 */
const CHUNK_CHARS = 1 << 16;

/** Indentation strings of the usual levels, made once. */
const INDENTS: string[] = Array.from({ length: 32 }, (_, level) => "  ".repeat(level));

/** Two spaces per level. */
function indentation(level: number): string {
  return level < INDENTS.length ? INDENTS[level] : "  ".repeat(level);
}

/** A closing line still to print when the walk comes back up (`endsuite`, `endfamily`, …). */
interface Closing {
  close: string;
}

class Writer {
  private lines: string[] = [];
  private chars = 0;
  readonly st: boolean;
  /** An aviso's listener and reason always in single quotes (the reason then always shown). */
  readonly avisoQuoted: boolean;
  constructor(
    readonly style: PrintStyle,
    readonly indent: boolean,
    readonly extras: StateExtras | undefined,
    private readonly write: (chunk: string) => void,
    profile: PrintProfile | undefined,
  ) {
    this.st = style !== "defs";
    this.avisoQuoted = profile?.avisoQuoted ?? false;
  }

  line(level: number, text: string): void {
    const l = this.indent && level > 0 ? indentation(level) + text : text;
    this.lines.push(l);
    this.chars += l.length + 1;
    if (this.chars >= CHUNK_CHARS) this.flush();
  }

  /** Hands on the lines collected so far, each followed by a newline. */
  flush(): void {
    if (this.lines.length === 0) return;
    this.lines.push(""); // the last line's newline, without copying the chunk to append it
    this.write(this.lines.join("\n"));
    this.lines = [];
    this.chars = 0;
  }

  nodeState(n: Node): string {
    let s = "";
    let hash = false;
    const add = (t: string) => {
      if (!hash) {
        s += " #";
        hash = true;
      }
      s += " " + t;
    };
    if (n.kind === "suite" && (n as Suite).begun) add("begun:1");
    if (n.kind === "task" && (n as Task).aliasNo !== 0) add("alias_no:" + (n as Task).aliasNo);
    if (n.kind === "task" || n.kind === "alias") {
      const t = n as Task;
      if (t.password !== "" && t.password !== "_DJP_") add("passwd:" + t.password);
      if (t.rid !== "") add("rid:" + t.rid);
      if (t.abortReason !== "") {
        add("abort<:" + t.abortReason.replaceAll("\n", "\\n").replaceAll(";", " ") + ">abort");
      }
      if (t.tryNo !== 0) add("try:" + t.tryNo);
    }
    if (n.state !== "unknown") add("state:" + n.state);
    if (n.stateDuration !== undefined) {
      add("dur:" + n.stateDuration);
    }
    if (n._flags && n._flags.length > 0) add("flag:" + sortFlags(n._flags).join(","));
    if (n.suspended) add("suspended:1");
    if (n.runtime !== undefined) add("rt:" + n.runtime);
    return s;
  }

  expression(level: number, e: Expression, kw: "trigger" | "complete", n: Node): void {
    for (const p of e.parts) {
      let s = kw + (p.type === "first" ? " " : p.type === "and" ? " -a " : " -o ") + p.text;
      if (this.st && p.type === "first" && e.free) s += " # free";
      this.line(level, s);
    }
    if (this.style === "state") {
      if (e.free) this.line(level, "# (free)");
      const tree = this.extras?.expressionTree?.(n, kw);
      if (tree) { for (const l of tree) this.line(level, this.indent ? l : l.trimStart()); }
    }
  }

  attrs(n: Node, level: number): void {
    const st = this.st;
    if (n.defStatus !== "queued") this.line(level, "defstatus " + n.defStatus);
    if (n.late) this.line(level, lateText(n.late) + (st && n.late.isLate ? " # late" : ""));
    if (n.complete) this.expression(level, n.complete, "complete", n);
    if (n.trigger) this.expression(level, n.trigger, "trigger", n);
    if (n.repeat) this.line(level, repeatText(n.repeat, st));
    if (n._variables) { for (const v of n._variables) this.line(level, variableText(v)); }
    if (this.style === "state" && this.extras?.generatedVariables) {
      for (const v of this.extras.generatedVariables(n)) this.line(level, "# " + variableText(v));
    }
    if (n._limits) {
      for (const l of n._limits) {
        let s = "limit " + l.name + " " + l.max;
        if (st && l.value !== 0) s += " # " + l.value + l.paths.map((p) => " " + p).join("");
        this.line(level, s);
      }
    }
    if (n._inLimits) {
      for (const l of n._inLimits) {
        let s = "inlimit ";
        if (l.nodeOnly) s += "-n ";
        if (l.submission) s += "-s ";
        s += l.path === "" ? l.name : l.path + ":" + l.name;
        if (l.tokens !== 1) s += " " + l.tokens;
        if (st && l.incremented) s += " # incremented:1";
        this.line(level, s);
      }
    }
    if (n._labels) {
      for (const l of n._labels) {
        let s = "label " + l.name + ' "' + l.value.replaceAll("\n", "\\n") + '"';
        if (st && l.newValue !== "") s += ' # "' + l.newValue.replaceAll("\n", "\\n") + '"';
        this.line(level, s);
      }
    }
    if (n._meters) {
      for (const m of n._meters) {
        let s = "meter " + m.name + " " + m.min + " " + m.max + " " + m.colorChange;
        if (st && m.value !== m.min) s += " # " + m.value;
        this.line(level, s);
      }
    }
    if (n._events) {
      for (const e of n._events) {
        let s = "event ";
        s += e.number === undefined ? e.name : e.number + " " + e.name;
        if (e.initial) s += " set";
        if (st && e.initial !== e.value) s += e.value ? " # set" : " # clear";
        this.line(level, s);
      }
    }
    if (n._times) {
      for (const t of n._times) {
        this.line(level, "time " + seriesText(t.series) + (st ? seriesState(t.series) : ""));
      }
    }
    if (n._todays) {
      for (const t of n._todays) {
        this.line(level, "today " + seriesText(t.series) + (st ? seriesState(t.series) : ""));
      }
    }
    if (n._dates) {
      for (const d of n._dates) {
        let s = "date " + (d.day === 0 ? "*" : d.day) + "." + (d.month === 0 ? "*" : d.month) +
          "." +
          (d.year === 0 ? "*" : d.year);
        if (st && d.free) s += " # free";
        this.line(level, s);
      }
    }
    if (n._days) {
      for (const d of n._days) {
        let s = "day " + d.day;
        if (st) {
          let hash = false;
          if (d.free) {
            s += " # free";
            hash = true;
          }
          if (d.expired) {
            s += hash ? " expired" : " # expired";
            hash = true;
          }
          if (!hash) s += " #";
          s += " date:" + (d.date ?? "not-a-date-time");
        }
        this.line(level, s);
      }
    }
    if (n._crons) {
      for (const c of n._crons) {
        this.line(level, cronText(c) + (st ? seriesState(c.series) : ""));
      }
    }
    if (n._avisos) {
      for (const a of n._avisos) this.line(level, avisoText(a, this.avisoQuoted));
    }
    if (n._mirrors) { for (const m of n._mirrors) this.line(level, mirrorText(m)); }
    if (n.autoCancel) this.line(level, autoText("autocancel", n.autoCancel));
    if (n.autoArchive) this.line(level, autoText("autoarchive", n.autoArchive));
    if (n.autoRestore) this.line(level, "autorestore" + n.autoRestore.map((p) => " " + p).join(""));
    if (n._zombies) {
      for (const z of n._zombies) {
        this.line(level, `zombie ${z.type}:${z.action}:${z.children.join(",")}:${z.lifetime}`);
      }
    }
    if (n._verifies) {
      for (const v of n._verifies) {
        this.line(level, `verify ${v.state}:${v.expected}` + (st ? " # " + v.actual : ""));
      }
    }
    if (n._queues) {
      for (const q of n._queues) {
        let s = "queue " + q.name + q.values.map((v) => " " + v).join("");
        if (st) s += " # " + q.index + q.states.map((x) => " " + x).join("");
        this.line(level, s);
      }
    }
    if (n._generics) {
      for (const g of n._generics) {
        this.line(level, "generic " + g.name + g.values.map((v) => " " + v).join(""));
      }
    }
  }

  /** `root` and its subtree; an explicit stack, so any depth prints. */
  node(root: Node, rootLevel: number): void {
    const stack: (Node | Closing)[] = [root];
    const levels: number[] = [rootLevel];
    while (stack.length > 0) {
      const item = stack.pop()!;
      const level = levels.pop()!;
      if ("close" in item) {
        this.line(level, item.close);
        continue;
      }
      const n = item;
      const head = n.kind + " " + n.name + (this.st ? this.nodeState(n) : "");
      this.line(level, head);
      this.attrs(n, level + 1);
      let close: Closing;
      let childLevel = level + 1;
      if (n.kind === "suite") {
        const s = n as Suite;
        if (s.clock) this.line(level + 1, clockText(s.clock, false));
        if (s.endClock) this.line(level + 1, clockText(s.endClock, true));
        if (this.st && s.calendar) {
          const c = s.calendar;
          let t = "calendar initTime:" + c.initTime + " suiteTime:" + c.suiteTime + " duration:" +
            c.duration + " initLocalTime:" + c.initLocalTime + " lastTime:" + c.lastTime;
          if (c.increment !== undefined && !/^-?0+:00:00(\.0+)?$/.test(c.increment)) {
            t += " calendarIncrement:" + c.increment;
          }
          if (c.dayChanged) t += " dayChanged:1";
          this.line(level + 1, t);
        }
        close = { close: "endsuite" };
      } else if (n.kind === "family") {
        close = { close: "endfamily" };
      } else if (n.kind === "task" && this.st && n.children.length > 0) {
        childLevel = level + 2;
        close = { close: "endalias" };
      } else continue;
      stack.push(close);
      levels.push(n.kind === "task" ? level + 2 : level);
      const children = n.children;
      for (let i = children.length - 1; i >= 0; i--) {
        stack.push(children[i]);
        levels.push(childLevel);
      }
    }
  }
}

/**
 * Print a whole definition.
 *
 * * `defs`: identical to `ecflow_client --get` (after `autoExterns`) and to Python's
 *   `print(ecflow.Defs(file))`.
 * * `net`: the server's DefsCmd text (`#version`, `defs_state NET …`, server variables,
 *   state annotations, no indentation, no externs) — also what a LoadDefsCmd carries.
 * * `migrate`: like `net` with `defs_state MIGRATE`.
 * * `state`: like `ecflow_client --get_state` (indented, server state comment); pass
 *   `stateExtras` for generated variables and trigger trees.
 *
 * @example
 * ```ts
 * import { parseDefs, printDefs } from "@ecflow-ts/client/defs";
 * import { assertEquals } from "@std/assert";
 * const defs = parseDefs("suite s\n task t\n  event a\nendsuite\n");
 * assertEquals(printDefs(defs, { style: "defs" }).split("\n"), [
 *   "#5.9.2",
 *   "suite s",
 *   "  task t",
 *   "    event a",
 *   "endsuite",
 *   "# enddef",
 *   "",
 * ]);
 * ```
 */
export function printDefs(defs: Defs, options: PrintOptions = {}): string {
  const chunks: string[] = [];
  writeDefs(defs, (chunk) => chunks.push(chunk), options);
  return chunks.join("");
}

/**
 * {@link printDefs}, handing the text on in pieces of about 64 KiB of characters (whole
 * lines) instead of returning it: for definitions whose text is longer than one string can
 * be (a suite nested thousands of families deep prints hundreds of megabytes in STATE style).
 *
 * @example
 * ```ts
 * import { parseDefs, printDefs, writeDefs } from "@ecflow-ts/client/defs";
 * import { assertEquals } from "@std/assert";
 * const defs = parseDefs("suite s\n task t\nendsuite\n");
 * const pieces: string[] = [];
 * writeDefs(defs, (piece) => pieces.push(piece), { style: "state" });
 * assertEquals(pieces.join(""), printDefs(defs, { style: "state" }));
 * ```
 */
export function writeDefs(
  defs: Defs,
  write: (chunk: string) => void,
  options: PrintOptions = {},
): void {
  const style = options.style ?? "defs";
  const persist = style === "net" || style === "migrate";
  const profile = options.profile;
  const indent = options.indent ?? (profile ? profile.indent[style] : !persist);
  const w = new Writer(style, indent, options.stateExtras, write, profile);
  w.line(0, "#" + (options.version ?? profile?.version ?? defs.version ?? "5.9.2"));
  if (style !== "defs") {
    let s = "defs_state " + STYLE_NAME[style];
    if (defs.state !== "unknown") s += " state>:" + defs.state;
    if (defs.flags.length > 0) s += " flag:" + sortFlags(defs.flags).join(",");
    if (defs.stateChange !== 0) s += " state_change:" + defs.stateChange;
    if (defs.modifyChange !== 0) s += " modify_change:" + defs.modifyChange;
    if (defs.serverState !== "RUNNING") s += " server_state:" + defs.serverState;
    s += " cal_count:" + defs.calCount;
    w.line(0, s);
    for (const v of defs.userVariables) w.line(1, variableText(v));
    for (const v of defs.serverVariables) w.line(1, variableText(v) + " # server");
    for (const h of defs.history) {
      w.line(1, "history " + h.path + " " + h.requests.map((r) => "\b" + r).join(""));
    }
  }
  if (style === "state") w.line(0, "# server state: " + defs.serverState);
  if (!persist) { for (const e of sortedExterns(defs.externs)) w.line(0, "extern " + e); }
  for (const s of defs.suites) w.node(s, 0);
  w.line(0, "# enddef");
  w.flush();
}

/**
 * Externs in ecFlow's order (a sorted set of strings, byte order).
 *
 * @example
 * ```ts
 * import { sortedExterns } from "@ecflow-ts/client/defs";
 * import { assertEquals } from "@std/assert";
 * assertEquals(sortedExterns(["/b", "/a", "/b"]), [ "/a", "/b" ]);
 * ```
 */
export function sortedExterns(externs: readonly string[]): string[] {
  return [...new Set(externs)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Options of {@link printNode}.
 *
 * @example
 * ```ts
 * import { parseDefs, printNode, type PrintNodeOptions } from "@ecflow-ts/client/defs";
 * import { assertEquals } from "@std/assert";
 * const options: PrintNodeOptions = { style: "net", indent: false };
 * assertEquals(printNode(parseDefs("suite s\n task t\nendsuite\n").find("/s/t")!, options), "task t\n");
 * ```
 */
export interface PrintNodeOptions {
  /** Output style (default `defs`). */
  style?: PrintStyle;
  /** Print as the `ecflow_client` of this profile's version prints (its indentation). */
  profile?: PrintProfile;
  /** Indent (default: the profile's choice for the style, else true, like 5.9.2). */
  indent?: boolean;
  /** Indentation level of the node itself (default: its depth, suite = 0). */
  level?: number;
  /** See {@link PrintOptions.stateExtras}. */
  stateExtras?: StateExtras;
}

/**
 * Print one node and its subtree like ecFlow's `Node::print` (the text of an SNodeCmd
 * reply, or `ecflow_client --get=/path` output without its final extra newline).
 *
 * @example
 * ```ts
 * import { parseDefs, printNode } from "@ecflow-ts/client/defs";
 * import { assertEquals } from "@std/assert";
 * const defs = parseDefs("suite s\n family f\n  task t\n endfamily\nendsuite\n");
 * assertEquals(printNode(defs.find("/s/f")!, { style: "net" }), "  family f\n    task t\n  endfamily\n");
 * ```
 */
export function printNode(node: Node, options: PrintNodeOptions = {}): string {
  const chunks: string[] = [];
  writeNode(node, (chunk) => chunks.push(chunk), options);
  return chunks.join("");
}

/**
 * {@link printNode}, handing the text on in pieces of whole lines (see {@link writeDefs}).
 *
 * @example
 * ```ts
 * import { parseDefs, printNode, writeNode } from "@ecflow-ts/client/defs";
 * import { assertEquals } from "@std/assert";
 * const f = parseDefs("suite s\n family f\n  task t\n endfamily\nendsuite\n").find("/s/f")!;
 * const pieces: string[] = [];
 * writeNode(f, (piece) => pieces.push(piece));
 * assertEquals(pieces.join(""), printNode(f));
 * ```
 */
export function writeNode(
  node: Node,
  write: (chunk: string) => void,
  options: PrintNodeOptions = {},
): void {
  const style = options.style ?? "defs";
  const indent = options.indent ?? options.profile?.indent[style] ?? true;
  const w = new Writer(style, indent, options.stateExtras, write, options.profile);
  w.node(node, options.level ?? node.depth);
  w.flush();
}
