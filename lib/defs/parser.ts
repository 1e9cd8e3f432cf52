/**
 * Parser for ecFlow's definition language, including the runtime annotations of the
 * NET, STATE and MIGRATE styles that the server sends.
 *
 * Line oriented: each line is split into whitespace separated tokens once, the first
 * token selects the handler. Rules follow ecFlow 5.9.2's parser (and HEAD additions:
 * `repeat datetime`, `repeat datetimelist`, `aviso`, `mirror`).
 *
 * @module
 */

import { DefsParseError } from "./errors.ts";
import { commentIndex, Line } from "./lexer.ts";
import {
  ALLOWED,
  CHILD_CMDS,
  clockSeconds,
  daysInMonth,
  DEF_STATUSES,
  durationSeconds,
  formatDuration,
  INT_RE,
  stripQuotes,
  unquoteBoth,
  validName,
  ymdError,
  ZOMBIE_ACTIONS,
  ZOMBIE_TYPES,
} from "./values.ts";
import {
  Alias,
  type AutoArchive,
  type AutoTime,
  type AvisoAttr,
  type ClockAttr,
  type CronAttr,
  DAY_NAMES,
  Defs,
  type DefsStyle,
  type DefStatus,
  EMPTY,
  type Event,
  type Expression,
  Family,
  type LateAttr,
  type MirrorAttr,
  type Node,
  NODE_STATES,
  type NodeContainer,
  type NodeState,
  type Repeat,
  type ServerState,
  Suite,
  Task,
  type TimeSeries,
  type TimeSlot,
  type Variable,
  type ZombieType,
} from "./model.ts";

/**
 * Options of {@link parseDefs}.
 *
 * @example
 * ```ts
 * import { type ParseOptions, parseDefs } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * const options: ParseOptions = { fileName: "my.def" };
 * assertEquals(parseDefs("suite s\nendsuite\n", options).fileName, "my.def");
 * ```
 */
export interface ParseOptions {
  /** Name used in error messages (default `<text>`). */
  fileName?: string;
}

/** Lists shorter than this are scanned; longer ones get a map of their names. */
const SCAN_LIMIT = 16;

/**
 * Finds an item by name in a node's attribute list: a scan while the list is short, a map
 * (built once, then kept up to date with the items appended since) when it is long, so that a
 * node with 100,000 `edit` or `event` lines parses in linear time. The first item with a name
 * wins, as in a scan.
 */
class NameIndex<T> {
  private readonly owners = new Map<object, { map: Map<string, T>; count: number }>();
  /** `names(item)`: the names an item is found by; `has(item, name)`: the same, for a scan. */
  constructor(
    private readonly names: (item: T) => readonly string[],
    private readonly has: (item: T, name: string) => boolean,
  ) {}

  find(owner: object, list: readonly T[] | undefined, name: string): T | undefined {
    if (list === undefined) return undefined;
    if (list.length < SCAN_LIMIT) {
      for (const item of list) if (this.has(item, name)) return item;
      return undefined;
    }
    let entry = this.owners.get(owner);
    if (!entry) this.owners.set(owner, entry = { map: new Map(), count: 0 });
    for (; entry.count < list.length; entry.count++) {
      const item = list[entry.count];
      for (const n of this.names(item)) if (!entry.map.has(n)) entry.map.set(n, item);
    }
    return entry.map.get(name);
  }
}

/** By name: variables, meters, labels, limits, queues, generics. */
function byName<T extends { name: string }>(): NameIndex<T> {
  return new NameIndex<T>((x) => [x.name], (x, name) => x.name === name);
}

/** An event is found by `k:<name, or number when unnamed>` and by `n:<number>`. */
function eventNames(e: Event): string[] {
  const key = "k:" + (e.name !== "" ? e.name : String(e.number));
  return e.number === undefined ? [key] : [key, "n:" + e.number];
}

class Parser {
  readonly defs = new Defs();
  private readonly file: string;
  private readonly src: string;
  /** Start of the next physical line in `src`. */
  private pos = 0;
  /** Number of the next physical line. */
  private lineNo = 1;
  /** Position of the next `;` at or after `pos` (-1 when none): avoids rescanning. */
  private semi = -2;
  private readonly shared = new Line();
  private pending: Line[] = [];
  /** Current node stack top (undefined at defs level). */
  private node: Node | undefined;
  /** True when parsing a state style (annotations after `#` are read). */
  private stateful = false;
  /** True for NET style: name checks bypassed like ecFlow does. */
  private net = false;
  private persist = false;
  private cur!: Line;
  /** For node-only texts (SNodeCmd): the top node. */
  topNode: Node | undefined;
  private readonly nodeOnly: boolean;
  private readonly endsWithNewline: boolean;
  /** The text has no tab or carriage return: tokens are separated by spaces alone. */
  private readonly spacesOnly: boolean;
  private readonly dsSeen = new Set<Node>();
  private readonly variables = byName<Variable>();
  private readonly meters = byName<{ name: string }>();
  private readonly labels = byName<{ name: string }>();
  private readonly limits = byName<{ name: string }>();
  private readonly queues = byName<{ name: string }>();
  private readonly generics = byName<{ name: string }>();
  private readonly events = new NameIndex<Event>(
    eventNames,
    (e, n) => eventNames(e).includes(n),
  );
  private readonly inLimits = new NameIndex<{ name: string; path: string }>(
    (l) => [l.path + "\n" + l.name],
    (l, n) => l.path + "\n" + l.name === n,
  );
  private readonly externSet = new Set<string>();
  /** Seconds since epoch used for clocks without a date (like ecFlow's "now"). */
  private readonly now = Math.floor(Date.now() / 1000);

  constructor(text: string, fileName: string, nodeOnly: boolean) {
    this.file = fileName;
    this.src = text;
    this.endsWithNewline = text.endsWith("\n");
    this.spacesOnly = text.indexOf("\t") < 0 && text.indexOf("\r") < 0;
    this.defs.text = text;
    this.defs.fileName = fileName;
    this.nodeOnly = nodeOnly;
    if (nodeOnly) {
      // SNodeCmd text is NET style without a defs_state line
      this.stateful = this.net = this.persist = true;
      this.defs.style = "NET";
    }
  }

  fail(reason: string, tokIndex = -1, line: Line = this.cur): never {
    const tok = tokIndex >= 0 && tokIndex < line.toks.length ? line.toks[tokIndex] : "";
    const col = tokIndex >= 0 && tokIndex < line.cols.length
      ? line.cols[tokIndex] + line.offset + 1
      : 1;
    throw new DefsParseError(this.file, line.no, col, tok, reason);
  }

  /** Next statement, or undefined at end of text. */
  private next(): Line | undefined {
    if (this.pending.length > 0) return this.pending.shift();
    const src = this.src;
    const start = this.pos;
    if (start >= src.length) return undefined;
    let end = src.indexOf("\n", start);
    if (end < 0) end = src.length;
    this.pos = end + 1;
    const no = this.lineNo++;
    if (this.persist) return this.shared.fill(src, start, end, no, 0, this.spacesOnly);
    if (this.semi !== -1 && this.semi < start) this.semi = src.indexOf(";", start);
    if (this.semi < 0 || this.semi >= end) {
      return this.shared.fill(src, start, end, no, 0, this.spacesOnly);
    }
    return this.splitStatements(src.slice(start, end), no);
  }

  /** ecFlow's `;` handling for one physical line (not in NET/MIGRATE text). */
  private splitStatements(text: string, no: number): Line {
    const whole = new Line().fill(text, 0, text.length, no, 0);
    if (whole.toks.length === 0 || whole.toks[0][0] === "#" || whole.toks[0] === "label") {
      return whole;
    }
    const hash = text.indexOf("#");
    const bodyEnd = hash >= 0 ? hash : text.length;
    const parts: Line[] = [];
    let b = 0;
    for (let i = 0; i <= bodyEnd; i++) {
      if (i === bodyEnd || text[i] === ";") {
        if (i > b) parts.push(new Line().fill(text, b, i, no, b));
        b = i + 1;
      }
    }
    // ecFlow keeps the line whole when an `edit` value contains `;`
    if (parts.length > 0 && parts[0].text.indexOf("edit") >= 0) {
      for (const p of parts) {
        if (p.text.trim().indexOf("edit") !== 0) return whole;
      }
    }
    if (parts.length === 0) return whole;
    // ecFlow 5.9.2 stops reading at end of input, dropping the remaining statements of a
    // last line that has no final newline
    const last = this.pos >= this.src.length && !this.endsWithNewline;
    this.pending = last ? [] : parts.slice(1);
    return parts[0];
  }

  run(): void {
    let first = true;
    for (let line = this.next(); line; line = this.next()) {
      this.cur = line;
      if (line.count === 0) continue;
      if (first && line.offset === 0) {
        first = false;
        const t0 = line.kw;
        if (t0.length > 1 && t0[0] === "#" && line.count === 1 && /^#\d/.test(t0)) {
          this.defs.version = t0.slice(1);
          continue;
        }
      }
      this.statement(line);
    }
    // like ecFlow, missing end keywords at the end of the text are accepted
  }

  private statement(line: Line): void {
    const kw = line.kw;
    const node = this.node;
    // fast paths for the most common lines: `task NAME`, `event NAME`
    if (line.count === 2 && node !== undefined) {
      if (kw === "task" || kw === "event") {
        const name = line.tok(1);
        const c = name.charCodeAt(0);
        if (kw === "task" && c !== 35 && (this.net || validName(name))) {
          return this.addTaskNamed(name, line);
        }
        if (kw === "event" && !(c >= 48 && c <= 57) && c !== 35 && (this.net || validName(name))) {
          return this.eventNamed(node, name);
        }
      }
    }
    if (node === undefined) {
      switch (kw) {
        case "suite":
          return this.addSuite(line);
        case "edit":
          return this.defsVariable(line);
        case "extern":
          return this.extern(line);
        case "defs_state":
          return this.defsState(line);
        case "history":
          return this.historyLine(line);
        case "family":
        case "task":
        case "alias":
          if (this.nodeOnly && this.topNode === undefined) return this.addTopNode(line);
          break;
      }
      if (kw[0] === "#") return;
      if (kw === "endsuite") this.fail("misplaced endsuite", 0);
      this.fail(`unexpected keyword '${kw}' at definition level`, 0);
    }
    switch (kw) {
      case "suite":
        if (node.kind === "suite") this.fail("can't have hierarchical suites", 0);
        this.fail(`unexpected keyword 'suite' inside ${node.kind} ${node.absPath}`, 0);
        break;
      case "family":
        return this.addFamily(line);
      case "task":
        return this.addTask(line);
      case "alias":
        return this.addAlias(line);
      case "endsuite":
        if (this.nodeOnly && this.topNode && this.topNode.kind !== "suite") {
          this.fail("unexpected 'endsuite'", 0);
        }
        this.node = undefined;
        return;
      case "endfamily":
        return this.endFamily(line);
      case "endtask":
        if (node.kind === "task") this.node = node.parent;
        else if (node.kind === "alias") this.node = node.parent?.parent;
        return;
      case "endalias":
        if (node.kind === "alias") this.node = node.parent;
        return;
    }
    const target = node;
    if (!ALLOWED[target.kind].has(kw)) {
      if (kw[0] === "#") return;
      if (this.persist) return; // ecFlow is fault tolerant in NET/MIGRATE
      this.fail(`unexpected keyword '${kw}' inside ${target.kind} ${target.absPath}`, 0);
    }
    this.attribute(kw, line, target);
  }

  // ---------------------------------------------------------------- nodes

  private nodeName(line: Line, kind: string): string {
    if (line.count < 2 || line.src.charCodeAt(line.starts[1]) === 35) {
      this.fail(`${kind} name missing`, 0);
    }
    const name = line.tok(1);
    if (!this.net && !validName(name)) {
      this.fail(
        `invalid ${kind} name: valid names consist of alphanumeric characters, underscores and dots; the first character cannot be a dot`,
        1,
      );
    }
    return name;
  }

  private addSuite(line: Line): void {
    const name = this.nodeName(line, "suite");
    if (this.defs.suite(name)) this.fail(`a suite of name '${name}' already exists`, 1);
    const s = new Suite(name);
    s.line = line.no;
    if (this.stateful) this.nodeState(s, line);
    this.defs.addSuite(s);
    this.node = s;
    if (this.nodeOnly && !this.topNode) this.topNode = s;
  }

  private addTopNode(line: Line): void {
    const kw = line.toks[0];
    const name = this.nodeName(line, kw);
    const n = kw === "family" ? new Family(name) : kw === "task" ? new Task(name) : new Alias(name);
    n.line = line.no;
    this.stateful = true;
    this.nodeState(n, line);
    this.topNode = n;
    this.node = n;
  }

  /** The container a new family/task goes into, popping tasks/aliases. */
  private container(): NodeContainer {
    let n = this.node;
    while (n && (n.kind === "task" || n.kind === "alias")) n = n.parent;
    if (!n) this.fail("no suite or family to add to", 0);
    return n as NodeContainer;
  }

  /** The names of the children of containers with many, built once a container has many. */
  private readonly names = new Map<NodeContainer, Set<string>>();
  /** The container whose names were looked at last, and their set (if it has one). */
  private namesOf: NodeContainer | undefined;
  private namesSet: Set<string> | undefined;

  /** Refuses a second family/task of the same name in a container. */
  private checkUnique(c: NodeContainer, name: string): void {
    const nodes = c.nodes;
    let set: Set<string> | undefined;
    if (c === this.namesOf) set = this.namesSet;
    else {
      set = this.names.get(c);
      this.namesOf = c;
      this.namesSet = set;
    }
    if (set === undefined) {
      if (nodes.length < SCAN_LIMIT) {
        for (let i = 0; i < nodes.length; i++) if (nodes[i].name === name) this.duplicate(c, name);
        return;
      }
      set = new Set<string>();
      for (let i = 0; i < nodes.length; i++) set.add(nodes[i].name);
      this.names.set(c, set);
      this.namesSet = set;
    }
    if (set.has(name)) this.duplicate(c, name);
    set.add(name);
  }

  private duplicate(c: NodeContainer, name: string): never {
    this.fail(`a family/task of name '${name}' already exists on ${c.kind} ${c.absPath}`, 1);
  }

  private addFamily(line: Line): void {
    const name = this.nodeName(line, "family");
    if (this.node && this.node.kind === "alias" && this.topNode === this.node) {
      this.fail("unexpected 'family' in an alias", 0);
    }
    const c = this.container();
    this.checkUnique(c, name);
    const f = c.add(new Family(name));
    f.line = line.no;
    if (this.stateful) this.nodeState(f, line);
    this.node = f;
  }

  private addTask(line: Line): void {
    this.addTaskNamed(this.nodeName(line, "task"), line);
  }

  private addTaskNamed(name: string, line: Line): void {
    const c = this.container();
    this.checkUnique(c, name);
    const t = c.add(new Task(name));
    t.line = line.no;
    if (this.stateful) this.nodeState(t, line);
    this.node = t;
  }

  private addAlias(line: Line): void {
    if (line.toks.length < 2) this.fail("alias name missing", 0);
    const name = line.toks[1];
    let n = this.node;
    if (n && n.kind === "alias") n = n.parent;
    if (!n || n.kind !== "task") this.fail("an alias can only be added to a task", 0);
    const a = (n as Task).addAlias(new Alias(name));
    a.state = "queued"; // ecFlow creates aliases queued
    a.line = line.no;
    this.nodeState(a, line);
    this.node = a;
  }

  private endFamily(_line: Line): void {
    let n = this.node;
    while (n && n.kind !== "family") {
      if (n.kind === "suite") this.fail("misplaced endfamily", 0);
      n = n.parent;
    }
    if (!n) this.fail("misplaced endfamily", 0);
    this.node = n.parent;
  }

  /** Reads `# state:… flag:… …` after a node header. */
  private nodeState(n: Node, line: Line): void {
    if (line.count <= 2) return;
    const toks = line.toks;
    const h = commentIndex(toks, 2);
    if (h >= toks.length) return;
    for (let i = h + 1; i < toks.length; i++) {
      const t = toks[i];
      const colon = t.indexOf(":");
      if (colon < 0) continue;
      const key = t.slice(0, colon);
      const val = t.slice(colon + 1);
      switch (key) {
        case "state":
          if (!NODE_STATES.includes(val as NodeState)) this.fail(`invalid state '${val}'`, i);
          n.state = val as NodeState;
          break;
        case "dur":
          n.stateDuration = val;
          break;
        case "flag":
          n.flags = val.split(",").filter((f) => f !== "");
          break;
        case "suspended":
          n.suspended = val === "1";
          break;
        case "rt":
          n.runtime = val;
          break;
        case "begun":
          if (n instanceof Suite) n.begun = val === "1";
          break;
        case "alias_no":
          if (n instanceof Task) n.aliasNo = this.int(val, i, "alias_no");
          break;
        case "passwd":
          if (n instanceof Task || n instanceof Alias) n.password = val;
          break;
        case "rid":
          if (n instanceof Task || n instanceof Alias) n.rid = val;
          break;
        case "try":
          if (n instanceof Task || n instanceof Alias) n.tryNo = this.int(val, i, "try");
          break;
        case "abort<": {
          if (n instanceof Task || n instanceof Alias) {
            const s = line.text.indexOf("abort<:");
            const e = line.text.indexOf(">abort", s + 7);
            if (s >= 0 && e >= 0) {
              n.abortReason = line.text.slice(s + 7, e);
              // skip tokens that belong to the reason
              while (i < toks.length && toks[i].indexOf(">abort") < 0) i++;
            }
          }
          break;
        }
      }
    }
  }

  // ---------------------------------------------------------------- defs level

  private defsVariable(line: Line): void {
    const toks = line.toks;
    if (toks.length < 3) this.fail(`edit: expected a name and a value`, 0);
    if (toks[2][0] === "#") this.fail("edit: expected a value but found a comment", 2);
    const h = commentIndex(toks, 2);
    const value = stripQuotes(toks.slice(2, h).join(" "));
    const v = { name: toks[1], value };
    const server = h + 1 < toks.length && toks[h + 1] === "server";
    const list = server ? this.defs.serverVariables : this.defs.userVariables;
    const existing = this.variables.find(list, list, v.name);
    if (existing) existing.value = value;
    else list.push(v);
  }

  private extern(line: Line): void {
    if (line.toks.length < 2 || line.toks[1][0] === "#") this.fail("extern: missing path", 0);
    const p = line.toks[1];
    if (!this.externSet.has(p)) {
      this.externSet.add(p);
      this.defs.externs.push(p);
    }
  }

  private defsState(line: Line): void {
    const toks = line.toks;
    if (toks.length < 2) this.fail("defs_state: missing style", 0);
    const style = toks[1];
    if (style !== "NET" && style !== "STATE" && style !== "MIGRATE" && style !== "DEFS") {
      this.fail(`defs_state: unknown style '${style}'`, 1);
    }
    const d = this.defs;
    d.style = style as DefsStyle;
    this.stateful = style !== "DEFS";
    this.net = style === "NET";
    this.persist = style === "NET" || style === "MIGRATE";
    for (let i = 2; i < toks.length; i++) {
      const t = toks[i];
      const c = t.indexOf(":");
      if (c < 0) continue;
      const key = t.slice(0, c), val = t.slice(c + 1);
      switch (key) {
        case "state>":
          d.state = val as NodeState;
          break;
        case "flag":
          d.flags = val.split(",").filter((f) => f !== "");
          break;
        case "state_change":
          d.stateChange = this.int(val, i, "state_change");
          break;
        case "modify_change":
          d.modifyChange = this.int(val, i, "modify_change");
          break;
        case "server_state":
          d.serverState = val as ServerState;
          break;
        case "cal_count":
          d.calCount = this.int(val, i, "cal_count");
          break;
      }
    }
  }

  private historyLine(line: Line): void {
    const text = line.text;
    const toks = line.toks;
    if (toks.length < 2) this.fail("history: missing node path", 0);
    const path = toks[1];
    const start = line.cols[1] + path.length;
    const rest = text.slice(start);
    const parts = rest.split("\b");
    // parts[0] is the separator space after the path
    this.defs.history.push({ path, requests: parts.slice(1) });
  }

  // ---------------------------------------------------------------- attributes

  private int(s: string, tok: number, what: string): number {
    if (!INT_RE.test(s)) this.fail(`${what}: expected an integer but found '${s}'`, tok);
    return parseInt(s, 10);
  }

  /** Token `tok` of `line` as an integer, read in place ({@link int}'s rule and value). */
  private intToken(line: Line, tok: number, what: string): number {
    const src = line.src;
    let i = line.starts[tok];
    const end = line.ends[tok];
    let sign = 1;
    const c0 = src.charCodeAt(i);
    if (c0 === 45 || c0 === 43) {
      if (c0 === 45) sign = -1;
      i++;
    }
    if (i === end || end - i > 15) return this.int(line.tok(tok), tok, what);
    let v = 0;
    for (; i < end; i++) {
      const d = src.charCodeAt(i) - 48;
      if (d < 0 || d > 9) return this.int(line.tok(tok), tok, what);
      v = v * 10 + d;
    }
    return sign * v;
  }

  /** `HH:MM` or `+HH:MM`; returns the slot and whether it was relative. */
  private time(s: string, tok: number, check = true): [TimeSlot, boolean] {
    const colon = s.indexOf(":");
    if (colon < 0) this.fail(`invalid time '${s}': expected HH:MM`, tok);
    let rel = false;
    let h = s.slice(0, colon);
    if (h[0] === "+") {
      rel = true;
      h = h.slice(1);
    }
    const m = s.slice(colon + 1);
    if (check && h.length !== 2) this.fail(`invalid hour '${h}': expected two digits`, tok);
    if (m.length !== 2) this.fail(`invalid minute '${m}': expected two digits`, tok);
    if (!/^\d+$/.test(h) || !/^\d+$/.test(m)) this.fail(`invalid time '${s}'`, tok);
    const hour = +h, minute = +m;
    if (check && hour > 23) this.fail(`time hour(${hour}) must be in range 0-23`, tok);
    if (check && minute > 59) this.fail(`time minute(${minute}) must be in range 0-59`, tok);
    return [{ hour, minute }, rel];
  }

  /** Parses a time series starting at token `i`; returns the series and next index. */
  private series(toks: string[], i: number): [TimeSeries, number] {
    if (i >= toks.length || toks[i][0] === "#") this.fail("missing time", i - 1);
    const [start, relative] = this.time(toks[i], i);
    i++;
    const ts: TimeSeries = { relative, start, free: false, isValid: true };
    if (i < toks.length && toks[i][0] !== "#") {
      if (i + 1 >= toks.length || toks[i + 1][0] === "#") {
        this.fail("invalid time series: expected <start> <finish> <increment>", i);
      }
      ts.finish = this.time(toks[i], i)[0];
      ts.increment = this.time(toks[i + 1], i + 1)[0];
      const s = start.hour * 60 + start.minute;
      const f = ts.finish.hour * 60 + ts.finish.minute;
      const inc = ts.increment.hour * 60 + ts.increment.minute;
      if (s > f) {
        this.fail(`invalid time series: start time ${toks[i - 1]} is greater than end time`, i);
      }
      if (inc <= 0) {
        this.fail("invalid time series: increment must be greater than 0 minutes", i + 1);
      }
      if (inc > f - s) {
        this.fail(
          "invalid time series: increment is greater than the duration from start to finish",
          i + 1,
        );
      }
      i += 2;
    }
    if (this.stateful) {
      const h = commentIndex(toks, i);
      for (let k = h + 1; k < toks.length; k++) {
        const t = toks[k];
        if (t === "free") ts.free = true;
        else if (t === "isValid:false") ts.isValid = false;
        else if (t.startsWith("nextTimeSlot/")) ts.nextTimeSlot = t.slice(13);
        else if (t.startsWith("relativeDuration/")) ts.relativeDuration = t.slice(17);
      }
    }
    return [ts, i];
  }

  private expression(line: Line, n: Node, kw: "trigger" | "complete"): void {
    let toks = line.toks;
    if (toks.length < 2) this.fail(`${kw}: missing expression`, 0);
    let type: "first" | "and" | "or" = "first";
    let from = 1;
    if (toks[1] === "-a") {
      type = "and";
      from = 2;
    } else if (toks[1] === "-o") {
      type = "or";
      from = 2;
    }
    let free = false;
    const hasExt = (l: Line) =>
      l.text.endsWith("\\") ||
      (l.toks.length > 0 && l.toks[l.toks.length - 1].endsWith("\\"));
    let text: string;
    if (hasExt(line)) {
      const acc = toks.slice(from);
      for (;;) {
        const l2 = this.next();
        if (!l2) this.fail(`${kw}: continuation line missing`, toks.length - 1);
        acc.push(...l2.toks);
        if (!hasExt(l2)) break;
        if (acc[acc.length - 1] === "\\") acc.pop();
      }
      const out: string[] = [];
      for (let t of acc) {
        if (t.endsWith("\\")) t = t.slice(0, -1);
        if (t === "") continue;
        if (t[0] === "#") break;
        out.push(t);
      }
      text = out.join(" ");
    } else {
      const h = commentIndex(toks, from);
      text = toks.slice(from, h).join(" ");
      if (this.stateful) {
        for (let i = h + 1; i < toks.length; i++) if (toks[i] === "free") free = true;
      }
    }
    toks = line.toks;
    if (text === "") this.fail(`${kw}: missing expression`, 0);
    let e: Expression | undefined = kw === "trigger" ? n.trigger : n.complete;
    if (!e) {
      if (type !== "first") {
        this.fail(`${kw}: the first expression should not have -a or -o set`, 1);
      }
      e = { parts: [], free: false };
      if (kw === "trigger") n.trigger = e;
      else n.complete = e;
    } else if (type === "first") {
      this.fail(`${kw}: a subsequent expression must have -a or -o set`, 0);
    }
    const col = from < line.cols.length ? line.cols[from] + line.offset + 1 : 1;
    e.parts.push({ type, text, line: line.no, column: col });
    if (free) e.free = true;
  }

  private attribute(kw: string, line: Line, n: Node): void {
    // the most common attributes first, read from the line without making every token
    switch (kw) {
      case "edit": {
        const len = line.count;
        if (len < 3) this.fail(`edit: expected at least 3 tokens, found ${len}`, 0);
        if (line.src.charCodeAt(line.starts[2]) === 35) {
          this.fail("edit: expected a value but found a comment", 2);
        }
        const name = line.tok(1);
        if (!this.net && n.kind !== "alias" && !validName(name)) {
          this.fail(
            `invalid variable name '${name}': valid names consist of alphanumeric characters, underscores and dots; the first character cannot be a dot`,
            1,
          );
        }
        const value = len === 3
          ? stripQuotes(line.tok(2))
          : stripQuotes(line.joined(2, line.hashIndex(2)));
        const ex = this.variables.find(n, n._variables, name);
        if (ex) ex.value = value;
        else append(n, "_variables", { name, value });
        return;
      }
      case "trigger":
      case "complete":
        return this.expression(line, n, kw);
      case "event":
        return this.event(line, n);
      case "meter":
        return this.meter(line, n);
      case "label":
        return this.label(line, n);
    }
    const toks = line.toks;
    const len = toks.length;
    switch (kw) {
      case "limit": {
        if (len < 3 || toks[2][0] === "#") this.fail("limit: expected a name and a maximum", 0);
        const name = toks[1];
        if (!this.net && !validName(name)) this.fail(`invalid limit name '${name}'`, 1);
        const max = this.int(toks[2], 2, "limit");
        if (this.limits.find(n, n._limits, name)) {
          this.fail(`duplicate limit '${name}' on ${n.kind} ${n.absPath}`, 1);
        }
        const lim = { name, max, value: 0, paths: [] as string[] };
        if (this.stateful) {
          const h = commentIndex(toks, 3);
          if (h + 1 < len) {
            lim.value = this.int(toks[h + 1], h + 1, "limit value");
            lim.paths = toks.slice(h + 2);
          }
        }
        append(n, "_limits", lim);
        return;
      }
      case "inlimit":
        return this.inlimit(line, n);
      case "defstatus": {
        if (len < 2 || toks[1][0] === "#") this.fail("defstatus: missing state", 0);
        if (!DEF_STATUSES.includes(toks[1])) this.fail(`defstatus: invalid state '${toks[1]}'`, 1);
        if (this.dsSeen.has(n)) this.fail(`${n.kind} ${n.name} already has a default status`, 0);
        this.dsSeen.add(n);
        n.defStatus = toks[1] as DefStatus;
        return;
      }
      case "repeat":
        return this.repeat(line, n);
      case "late":
        return this.late(line, n);
      case "time":
      case "today": {
        if (len < 2) this.fail(`${kw}: missing time`, 0);
        const [series] = this.series(toks, 1);
        if (kw === "time") append(n, "_times", { kind: "time", series });
        else append(n, "_todays", { kind: "today", series });
        return;
      }
      case "cron":
        return this.cron(line, n);
      case "date":
        return this.date(line, n);
      case "day": {
        if (len < 2 || toks[1][0] === "#") this.fail("day: missing week day", 0);
        if (!DAY_NAMES.includes(toks[1])) this.fail(`day: invalid week day '${toks[1]}'`, 1);
        const d = { day: toks[1], free: false, expired: false } as {
          day: string;
          free: boolean;
          expired: boolean;
          date?: string;
        };
        if (this.stateful) {
          const h = commentIndex(toks, 2);
          for (let i = h + 1; i < len; i++) {
            if (toks[i] === "free") d.free = true;
            else if (toks[i] === "expired") d.expired = true;
            else if (toks[i].startsWith("date:") && toks[i] !== "date:not-a-date-time") {
              d.date = toks[i].slice(5);
            }
          }
        }
        append(n, "_days", d);
        return;
      }
      case "autocancel": {
        if (n.autoArchive) this.fail("cannot add autocancel and autoarchive on the same node", 0);
        if (n.autoCancel) this.fail("a node can only have one autocancel", 0);
        n.autoCancel = this.autoTime(toks, kw);
        return;
      }
      case "autoarchive": {
        if (n.autoCancel) this.fail("cannot add autocancel and autoarchive on the same node", 0);
        if (n.autoArchive) this.fail("a node can only have one autoarchive", 0);
        const a = this.autoTime(toks, kw) as AutoArchive;
        a.idle = false;
        for (let i = 2; i < len && toks[i][0] !== "#"; i++) if (toks[i] === "-i") a.idle = true;
        n.autoArchive = a;
        return;
      }
      case "autorestore": {
        if (n.autoRestore) this.fail(`can only have one autorestore per node`, 0);
        const h = commentIndex(toks, 1);
        if (h < 2) this.fail("autorestore: missing node paths", 0);
        n.autoRestore = toks.slice(1, h);
        return;
      }
      case "zombie":
        return this.zombie(line, n);
      case "verify": {
        if (len < 2) this.fail("verify: missing state:expected", 0);
        const p = toks[1].split(":");
        if (p.length !== 2 || !NODE_STATES.includes(p[0] as NodeState) || !INT_RE.test(p[1])) {
          this.fail(`verify: expected <state>:<count> but found '${toks[1]}'`, 1);
        }
        const v = { state: p[0] as NodeState, expected: +p[1], actual: 0 };
        if (this.stateful) {
          const h = commentIndex(toks, 2);
          if (h + 1 < len) v.actual = this.int(toks[h + 1], h + 1, "verify");
        }
        append(n, "_verifies", v);
        return;
      }
      case "queue": {
        if (len < 2) this.fail("queue: missing name", 0);
        const name = toks[1];
        if (!validName(name)) this.fail(`invalid queue name '${name}'`, 1);
        const h = commentIndex(toks, 2);
        const values = toks.slice(2, h);
        if (values.length === 0) this.fail("queue: has no values", 0);
        if (this.queues.find(n, n._queues, name)) {
          this.fail(`${n.absPath} already has a queue attribute of name ${name}`, 1);
        }
        const q = { name, values, index: 0, states: values.map(() => "queued" as NodeState) };
        if (this.stateful && h + 1 < len) {
          q.index = this.int(toks[h + 1], h + 1, "queue index");
          const st = toks.slice(h + 2);
          if (st.length === values.length) q.states = st as NodeState[];
        }
        append(n, "_queues", q);
        return;
      }
      case "generic": {
        if (len < 2) this.fail("generic: missing name", 0);
        const name = toks[1];
        if (this.generics.find(n, n._generics, name)) {
          this.fail(`${n.absPath} already has a generic attribute of name ${name}`, 1);
        }
        const h = commentIndex(toks, 2);
        append(n, "_generics", { name, values: toks.slice(2, h) });
        return;
      }
      case "clock":
      case "endclock":
        return this.clock(line, n as Suite, kw);
      case "calendar":
        return this.calendar(line, n as Suite);
      case "aviso":
      case "mirror":
        return this.optionAttr(line, n, kw);
    }
    this.fail(`unexpected keyword '${kw}'`, 0);
  }

  /** `event NAME` (no number, no `set`, no state). */
  private eventNamed(n: Node, name: string): void {
    const evs = n._events;
    if (evs !== undefined) {
      if (this.events.find(n, evs, "k:" + name)) {
        this.fail(`duplicate event '${name}' on ${n.kind} ${n.absPath}`, 1);
      }
      evs.push({ name, initial: false, value: false });
    } else n._events = [{ name, initial: false, value: false }];
  }

  private event(line: Line, n: Node): void {
    const toks = line.toks;
    const len = toks.length;
    if (len < 2) this.fail("event: missing name or number", 0);
    let name = "";
    let number: number | undefined;
    let initial = false;
    const c0 = toks[1].charCodeAt(0);
    if (c0 >= 48 && c0 <= 57 && /^\d+$/.test(toks[1])) {
      number = parseInt(toks[1], 10);
      if (len >= 3 && toks[2][0] !== "#") {
        name = toks[2];
        if (len >= 4 && toks[3] === "set") initial = true;
      } else if (len >= 3 && toks[2] === "set") initial = true;
    } else {
      name = toks[1];
      if (len >= 3 && toks[2] === "set") initial = true;
    }
    if (!this.net && name !== "" && !validName(name)) {
      this.fail(
        `invalid event name '${name}': valid names consist of alphanumeric characters, underscores and dots; the first character cannot be a dot`,
        number === undefined ? 1 : 2,
      );
    }
    let value = initial;
    if (this.stateful) {
      // ecFlow looks at the last token only; requiring the `#` keeps `event 0 set`
      // (an event named "set") from being read as a current value
      const h = commentIndex(toks, 2);
      if (h + 1 < len) {
        const last = toks[len - 1];
        if (last === "set") value = true;
        else if (last === "clear") value = false;
      }
    }
    const key = name !== "" ? name : String(number);
    if (
      this.events.find(n, n._events, "k:" + key) ||
      (number !== undefined && name === "" && this.events.find(n, n._events, "n:" + number))
    ) {
      this.fail(`duplicate event '${key}' on ${n.kind} ${n.absPath}`, 1);
    }
    append(
      n,
      "_events",
      number === undefined ? { name, initial, value } : { number, name, initial, value },
    );
  }

  private meter(line: Line, n: Node): void {
    const len = line.count;
    if (len < 4) this.fail("meter: expected <name> <min> <max> [<colour change>]", 0);
    const name = line.tok(1);
    if (!this.net && !validName(name)) this.fail(`invalid meter name '${name}'`, 1);
    const min = this.intToken(line, 2, "meter min");
    const max = this.intToken(line, 3, "meter max");
    let cc = max;
    let i = 4;
    if (len > 4 && line.src.charCodeAt(line.starts[4]) !== 35) {
      cc = this.intToken(line, 4, "meter colour change");
      i = 5;
    }
    if (min > max) this.fail(`invalid meter: min(${min}) must be less than max(${max})`, 2);
    if (cc < min || cc > max) {
      this.fail(
        `invalid meter: colour change(${cc}) must be between min(${min}) and max(${max})`,
        4,
      );
    }
    if (this.meters.find(n, n._meters, name)) {
      this.fail(`duplicate meter '${name}' on ${n.kind} ${n.absPath}`, 1);
    }
    let value = min;
    if (this.stateful) {
      const h = line.hashIndex(i);
      if (h + 1 < len) value = this.intToken(line, h + 1, "meter value");
    }
    append(n, "_meters", { name, min, max, colorChange: cc, value });
  }

  private label(line: Line, n: Node): void {
    const len = line.count;
    if (len < 3) this.fail("label: expected a name and a value", 0);
    const name = line.tok(1);
    let value: string;
    let newValue = "";
    if (len === 3) value = stripQuotes(line.tok(2));
    else {
      value = stripQuotes(line.joined(2, line.hashIndex(2)));
      if (this.stateful) {
        const t = line.text;
        let first = -1, last = -1;
        let found = false;
        for (let i = t.length - 1; i > 0; i--) {
          const c = t[i];
          if (c === "#") {
            found = true;
            break;
          }
          if (c === '"') {
            if (last < 0) last = i;
            first = i;
          }
        }
        if (found && first !== last) newValue = t.slice(first + 1, last).replaceAll("\\n", "\n");
      }
    }
    if (value.indexOf("\\n") >= 0) value = value.replaceAll("\\n", "\n");
    if (this.labels.find(n, n._labels, name)) {
      this.fail(`duplicate label '${name}' on ${n.kind} ${n.absPath}`, 1);
    }
    append(n, "_labels", { name, value, newValue });
  }

  private inlimit(line: Line, n: Node): void {
    const toks = line.toks;
    const len = toks.length;
    if (len < 2) this.fail("inlimit: missing limit name", 0);
    let i = 1;
    let nodeOnly = false, submission = false;
    if (toks[i] === "-n") {
      nodeOnly = true;
      i++;
    }
    if (i < len && toks[i] === "-s") {
      submission = true;
      i++;
    }
    if (nodeOnly && submission) this.fail("inlimit: can't use -n and -s together", i - 1);
    if (i >= len || toks[i][0] === "#") this.fail("inlimit: missing limit name", i - 1);
    const spec = toks[i];
    const c = spec.lastIndexOf(":");
    const path = c >= 0 ? spec.slice(0, c) : "";
    const name = c >= 0 ? spec.slice(c + 1) : spec;
    if (name === "") this.fail(`inlimit: invalid limit reference '${spec}'`, i);
    if (!this.net && !validName(name)) this.fail(`invalid inlimit name '${name}'`, i);
    i++;
    let tokens = 1;
    if (i < len && toks[i][0] !== "#") {
      tokens = this.int(toks[i], i, "inlimit tokens");
      i++;
    }
    let incremented = false;
    if (this.stateful) {
      for (let k = i; k < len; k++) if (toks[k].indexOf("incremented:1") >= 0) incremented = true;
    }
    if (!this.net && this.inLimits.find(n, n._inLimits, path + "\n" + name)) {
      this.fail(`duplicate inlimit '${spec}' on ${n.kind} ${n.absPath}`, i - 1);
    }
    append(n, "_inLimits", { name, path, tokens, nodeOnly, submission, incremented });
  }

  private repeat(line: Line, n: Node): void {
    const toks = line.toks;
    const len = toks.length;
    if (len < 3) this.fail("repeat: expected a kind and arguments", 0);
    if (n.repeat) this.fail(`a node can only have one repeat; ${n.absPath} already has one`, 1);
    if ((n._crons ?? EMPTY).length > 0) {
      this.fail(
        `${n.absPath} already has a cron: a repeat and a cron cannot be on the same node`,
        0,
      );
    }
    const kind = toks[1];
    const stateVal = (from: number): string | undefined => {
      if (!this.stateful) return undefined;
      for (let i = len - 1; i > from; i--) if (toks[i] === "#") return toks[i + 1];
      return undefined;
    };
    let r: Repeat;
    switch (kind) {
      case "integer": {
        if (len < 5) this.fail("repeat integer: expected <name> <start> <end> [<step>]", 1);
        const start = this.int(toks[3], 3, "repeat start");
        const end = this.int(toks[4], 4, "repeat end");
        const delta = len > 5 && toks[5][0] !== "#" ? this.int(toks[5], 5, "repeat step") : 1;
        const sv = stateVal(3);
        r = {
          kind,
          name: toks[2],
          start,
          end,
          delta,
          value: sv !== undefined ? this.int(sv, len - 1, "repeat value") : start,
        };
        break;
      }
      case "date": {
        if (len < 5) this.fail("repeat date: expected <name> <start> <end> [<step>]", 1);
        for (const k of [3, 4]) {
          const err = ymdError(toks[k]);
          if (err) this.fail(`repeat date: invalid date '${toks[k]}': ${err}`, k);
        }
        const start = +toks[3], end = +toks[4];
        const delta = len > 5 && toks[5][0] !== "#" ? this.int(toks[5], 5, "repeat step") : 1;
        if (delta === 0) this.fail("repeat date: the step cannot be zero", 5);
        if (delta > 0 && start > end) {
          this.fail(
            "repeat date: the end must be greater than the start date when the step is positive",
            4,
          );
        }
        if (delta < 0 && start < end) {
          this.fail(
            "repeat date: the start must be greater than the end date when the step is negative",
            4,
          );
        }
        const sv = stateVal(3);
        r = {
          kind,
          name: toks[2],
          start,
          end,
          delta,
          value: sv !== undefined ? this.int(sv, len - 1, "repeat value") : start,
        };
        break;
      }
      case "datelist":
      case "enumerated":
      case "string":
      case "datetimelist": {
        const h = commentIndex(toks, 3);
        const vals = toks.slice(3, h).map((v) => unquoteBoth(v));
        if (vals.length === 0) this.fail(`repeat ${kind}: empty list`, 1);
        if (toks[2][0] === "#") this.fail(`repeat ${kind}: missing name`, 2);
        const sv = stateVal(3);
        const index = sv !== undefined ? this.int(sv, len - 1, "repeat index") : 0;
        if (kind === "datelist") {
          const dates: number[] = [];
          vals.forEach((v, k) => {
            const err = ymdError(v);
            if (err) this.fail(`repeat datelist: invalid date '${v}': ${err}`, 3 + k);
            dates.push(+v);
          });
          r = { kind, name: toks[2], values: dates, index };
        } else if (kind === "datetimelist") {
          vals.forEach((v, k) => {
            if (!/^\d{8}T\d{6}$/.test(v)) {
              this.fail(
                `repeat datetimelist: invalid instant '${v}': expected yyyymmddTHHMMSS`,
                3 + k,
              );
            }
          });
          r = { kind, name: toks[2], values: vals, index };
        } else {
          r = { kind, name: toks[2], values: vals, index };
        }
        break;
      }
      case "day": {
        const step = this.int(toks[2], 2, "repeat day");
        if (len >= 4 && toks[3][0] !== "#") this.fail("repeat day: <end-date> not supported", 3);
        r = { kind, step };
        break;
      }
      case "datetime": {
        if (len < 5) this.fail("repeat datetime: expected <name> <start> <end> [<step>]", 1);
        for (const k of [3, 4]) {
          if (!/^\d{8}T\d{6}$/.test(toks[k])) {
            this.fail(`repeat datetime: invalid instant '${toks[k]}': expected yyyymmddTHHMMSS`, k);
          }
        }
        let step = "24:00:00";
        if (len > 5 && toks[5][0] !== "#") {
          const secs = durationSeconds(toks[5]);
          if (secs === undefined) this.fail(`repeat datetime: invalid step '${toks[5]}'`, 5);
          step = formatDuration(secs);
        }
        const sv = stateVal(3);
        r = { kind, name: toks[2], start: toks[3], end: toks[4], step, value: sv ?? toks[3] };
        break;
      }
      case "file":
        return; // accepted and ignored by ecFlow
      case "month":
      case "year":
        this.fail(`repeat ${kind} not supported`, 1);
        break;
      default:
        this.fail(`invalid repeat kind '${kind}'`, 1);
    }
    n.repeat = r!;
  }

  private late(line: Line, n: Node): void {
    const toks = line.toks;
    const len = toks.length;
    if (n.late) this.fail(`a node can only have one late attribute; see ${n.absPath}`, 0);
    const late: LateAttr = { completeRelative: false, isLate: false };
    let i = 1;
    for (; i < len; i++) {
      const t = toks[i];
      if (t[0] === "#") break;
      if (t !== "-s" && t !== "-a" && t !== "-c") this.fail(`late: invalid option '${t}'`, i);
      if (i + 1 >= len || toks[i + 1][0] === "#") this.fail(`late: ${t} needs a time`, i);
      const [slot, rel] = this.time(toks[i + 1], i + 1);
      if (t === "-s") {
        if (late.submitted) this.fail("late: submitted specified twice", i);
        late.submitted = slot;
      } else if (t === "-a") {
        if (late.active) this.fail("late: active specified twice", i);
        late.active = slot;
      } else {
        if (late.complete) this.fail("late: complete specified twice", i);
        late.complete = slot;
        late.completeRelative = rel;
      }
      i++;
    }
    if (!late.submitted && !late.active && !late.complete) {
      this.fail("late: expected at least one of -s, -a, -c", 0);
    }
    if (this.stateful && toks[len - 1] === "late") late.isLate = true;
    n.late = late;
  }

  private cron(line: Line, n: Node): void {
    const toks = line.toks;
    const len = toks.length;
    if (len < 2) this.fail("cron: missing time", 0);
    if (n.repeat) {
      this.fail(
        `${n.absPath} already has a repeat: a cron and a repeat cannot be on the same node`,
        0,
      );
    }
    const c: CronAttr = {
      kind: "cron",
      weekDays: [],
      lastWeekDaysOfMonth: [],
      daysOfMonth: [],
      lastDayOfMonth: false,
      months: [],
      series: { relative: false, start: { hour: 0, minute: 0 }, free: false, isValid: true },
    };
    let i = 1;
    let haveTime = false;
    while (i < len) {
      const t = toks[i];
      if (t[0] === "#") {
        if (this.stateful && i + 1 < len && toks[i + 1] === "free") c.series.free = true;
        break;
      }
      if (t === "-w" || t === "-d" || t === "-m") {
        // the list may be spread over tokens: `-w 0 , 1, 2`
        let j = i + 1;
        let joined = "";
        while (
          j < len && toks[j][0] !== "#" && toks[j].indexOf(":") < 0 &&
          toks[j] !== "-w" && toks[j] !== "-d" && toks[j] !== "-m"
        ) joined += toks[j++];
        if (joined === "") this.fail(`cron: ${t} needs a list`, i);
        const list = joined.split(",");
        for (const item of list) {
          if (t === "-w") {
            if (item.endsWith("L")) {
              const v = item.slice(0, -1);
              if (!/^\d+$/.test(v) || +v > 6) {
                this.fail(`cron: invalid last week day '${item}': expected range 0-6`, i + 1);
              }
              c.lastWeekDaysOfMonth.push(+v);
            } else {
              if (!/^\d+$/.test(item)) this.fail(`cron: invalid week day '${item}'`, i + 1);
              if (+item > 6) {
                this.fail(
                  `cron: invalid week day(${item}): expected range 0==Sun to 6==Sat`,
                  i + 1,
                );
              }
              c.weekDays.push(+item);
            }
          } else if (t === "-d") {
            if (item === "L") c.lastDayOfMonth = true;
            else {
              if (!/^\d+$/.test(item)) this.fail(`cron: invalid day of month '${item}'`, i + 1);
              if (+item < 1 || +item > 31) {
                this.fail(`cron: invalid day of month(${item}): expected range 1-31`, i + 1);
              }
              c.daysOfMonth.push(+item);
            }
          } else {
            if (!/^\d+$/.test(item)) this.fail(`cron: invalid month '${item}'`, i + 1);
            if (+item < 1 || +item > 12) {
              this.fail(`cron: invalid month(${item}): expected range 1==Jan to 12==Dec`, i + 1);
            }
            c.months.push(+item);
          }
        }
        i = j;
        continue;
      }
      if (!haveTime && t.indexOf(":") >= 0) {
        const [ts, next] = this.series(toks, i);
        const free = c.series.free;
        c.series = ts;
        if (free) c.series.free = true;
        haveTime = true;
        i = next;
        if (!this.stateful) break;
        continue;
      }
      this.fail(`cron: unexpected token '${t}'`, i);
    }
    if (!haveTime) this.fail("cron: no time specified", 0);
    append(n, "_crons", c);
  }

  private date(line: Line, n: Node): void {
    const toks = line.toks;
    if (toks.length < 2 || toks[1][0] === "#") this.fail("date: missing day.month.year", 0);
    const p = toks[1].split(".");
    if (p.length !== 3) this.fail(`date: invalid date '${toks[1]}': expected day.month.year`, 1);
    const nums = p.map((x) => {
      if (x === "*") return 0;
      if (!/^\d+$/.test(x)) this.fail(`date: invalid date '${toks[1]}'`, 1);
      return +x;
    });
    const [d, m, y] = nums;
    if (p[0] !== "*" && (d < 1 || d > 31)) this.fail(`date: invalid day in '${toks[1]}'`, 1);
    if (p[1] !== "*" && (m < 1 || m > 12)) this.fail(`date: invalid month in '${toks[1]}'`, 1);
    if (p[2] !== "*" && (y < 1400 || y > 9999)) {
      this.fail(`date: year is out of valid range 1400..9999 in '${toks[1]}'`, 1);
    }
    if (d && m && y && d > daysInMonth(y, m)) this.fail(`date: invalid date '${toks[1]}'`, 1);
    if (d && m && !y && d > daysInMonth(2000, m)) this.fail(`date: invalid date '${toks[1]}'`, 1);
    let free = false;
    if (this.stateful) {
      const h = commentIndex(toks, 2);
      for (let i = h + 1; i < toks.length; i++) if (toks[i] === "free") free = true;
    }
    append(n, "_dates", { day: d, month: m, year: y, free });
  }

  private autoTime(toks: string[], kw: string): AutoTime {
    if (toks.length < 2 || toks[1][0] === "#") this.fail(`${kw}: missing time or days`, 0);
    if (toks[1].indexOf(":") < 0) {
      return { days: this.int(toks[1], 1, kw), relative: false };
    }
    const [time, relative] = this.time(toks[1], 1);
    return { time, relative };
  }

  private zombie(line: Line, n: Node): void {
    const toks = line.toks;
    if (toks.length < 2) this.fail("zombie: missing type:action:children:lifetime", 0);
    const s = toks[1];
    const p = s.split(":");
    if (p.length < 2) {
      this.fail(`zombie: invalid zombie '${s}': expected type:action:children:lifetime`, 1);
    }
    if (p.length > 4) this.fail(`zombie: too many ':' fields in '${s}'`, 1);
    const [type, action, children = "", life = ""] = p;
    if (!ZOMBIE_TYPES.includes(type)) {
      this.fail(`zombie: invalid type '${type}': expected one of ${ZOMBIE_TYPES.join(" | ")}`, 1);
    }
    if (action !== "" && !ZOMBIE_ACTIONS.includes(action)) {
      this.fail(
        `zombie: invalid action '${action}': expected one of ${ZOMBIE_ACTIONS.join(" | ")}`,
        1,
      );
    }
    const kids = children === "" ? [] : children.split(",");
    for (const k of kids) {
      if (!CHILD_CMDS.includes(k)) {
        this.fail(
          `zombie: invalid child command '${k}': expected some of ${CHILD_CMDS.join(",")}`,
          1,
        );
      }
    }
    let lifetime = -1;
    if (life !== "") {
      if (!INT_RE.test(life)) this.fail(`zombie: lifetime must be an integer: '${life}'`, 1);
      lifetime = +life;
    }
    if (action === "" && lifetime === -1) {
      this.fail("zombie: an action or a lifetime must be specified", 1);
    }
    if (lifetime <= 0) lifetime = type === "user" ? 300 : type === "path" ? 900 : 3600;
    else if (lifetime < 60) lifetime = 60;
    if ((n._zombies ?? EMPTY).some((z) => z.type === type)) {
      this.fail(`${n.absPath} already has a zombie attribute of type ${type}`, 1);
    }
    append(n, "_zombies", {
      type: type as ZombieType,
      action: action === "" ? "block" : action,
      children: kids,
      lifetime,
    });
  }

  private clock(line: Line, s: Suite, kw: "clock" | "endclock"): void {
    const toks = line.toks;
    const len = toks.length;
    if (len < 2) this.fail(`${kw}: missing arguments`, 0);
    const c: ClockAttr = { hybrid: false, day: 0, month: 0, year: 0, gain: 0, positiveGain: false };
    let i = 1;
    if (kw === "clock") {
      if (toks[1] === "hybrid") c.hybrid = true;
      else if (toks[1] !== "real") {
        this.fail(`clock: expected real or hybrid but found '${toks[1]}'`, 1);
      }
      i = 2;
    }
    if (i < len && toks[i][0] !== "#") {
      if (toks[i].indexOf(".") >= 0) {
        const p = toks[i].split(".");
        const ok = p.length === 3 && p.every((x) => /^\d+$/.test(x));
        const [d, m, y] = ok ? p.map(Number) : [0, 0, 0];
        if (!ok || m < 1 || m > 12 || d < 1 || y < 1400 || y > 9999 || d > daysInMonth(y, m)) {
          this.fail(`${kw}: invalid date '${toks[i]}'`, i);
        }
        c.day = d;
        c.month = m;
        c.year = y;
        i++;
      }
      if (i < len && toks[i][0] !== "#" && !(kw === "clock" && toks[i] === "-s")) {
        const g = toks[i];
        c.positiveGain = g[0] === "+";
        if (g.indexOf(":") >= 0) {
          const [slot] = this.time(g, i);
          c.gain = slot.hour * 3600 + slot.minute * 60;
        } else {
          const digits = c.positiveGain ? g.slice(1) : g;
          if (!INT_RE.test(digits)) this.fail(`${kw}: invalid clock gain '${g}'`, i);
          c.gain = parseInt(digits, 10);
        }
      }
    }
    const start = kw === "clock" ? c : s.clock;
    const end = kw === "endclock" ? c : s.endClock;
    if (kw === "clock" && s.clock) this.fail("a suite can only have one clock", 0);
    if (kw === "endclock" && s.endClock) this.fail("a suite can only have one endclock", 0);
    if (start && end && clockSeconds(end, this.now) <= clockSeconds(start, this.now)) {
      this.fail(`${kw}: end time must be greater than start time`, 0);
    }
    if (kw === "clock") s.clock = c;
    else s.endClock = c;
  }

  private calendar(line: Line, s: Suite): void {
    const toks = line.toks;
    const cal = {
      initTime: "",
      suiteTime: "",
      duration: "",
      initLocalTime: "",
      lastTime: "",
      dayChanged: false,
    } as Suite["calendar"] & object;
    for (let i = 1; i < toks.length; i++) {
      const t = toks[i];
      const c = t.indexOf(":");
      if (c < 0) continue;
      const key = t.slice(0, c), val = t.slice(c + 1);
      const two = () => (i + 1 < toks.length ? val + " " + toks[++i] : val);
      switch (key) {
        case "initTime":
          cal.initTime = two();
          break;
        case "suiteTime":
          cal.suiteTime = two();
          break;
        case "initLocalTime":
          cal.initLocalTime = two();
          break;
        case "lastTime":
          cal.lastTime = two();
          break;
        case "duration":
          cal.duration = val;
          break;
        case "calendarIncrement":
          cal.increment = val;
          break;
        case "dayChanged":
          cal.dayChanged = val === "1";
          break;
      }
    }
    s.calendar = cal;
  }

  private optionAttr(line: Line, n: Node, kw: "aviso" | "mirror"): void {
    const text = line.text;
    const opts: [string, string | undefined][] = [];
    let i = line.cols[0] + kw.length;
    const len = text.length;
    while (i < len) {
      while (i < len && (text[i] === " " || text[i] === "\t")) i++;
      if (i >= len || text[i] === "#") break;
      let j = i;
      while (j < len && text[j] !== " " && text[j] !== "\t") j++;
      const flag = text.slice(i, j);
      if (!flag.startsWith("--")) {
        this.fail(`${kw}: expected an option starting with -- but found '${flag}'`, 0);
      }
      i = j;
      while (i < len && (text[i] === " " || text[i] === "\t")) i++;
      if (i >= len || text.startsWith("--", i) || text[i] === "#") {
        opts.push([flag, undefined]);
        continue;
      }
      let v: string;
      if (text[i] === "'" || text[i] === '"') {
        const q = text[i];
        const e = text.indexOf(q, i + 1);
        if (e < 0) this.fail(`${kw}: unterminated quote in ${flag}`, 0);
        v = text.slice(i, e + 1);
        i = e + 1;
      } else {
        j = i;
        while (j < len && text[j] !== " " && text[j] !== "\t") j++;
        v = text.slice(i, j);
        i = j;
      }
      opts.push([flag, v]);
    }
    const get = (flag: string, def: string): string => {
      let v = def;
      for (const [f, x] of opts) if (f === flag) v = x ?? "";
      return v;
    };
    const known = kw === "aviso"
      ? [
        "--name",
        "--listener",
        "--url",
        "--schema",
        "--polling",
        "--revision",
        "--auth",
        "--reason",
      ]
      : [
        "--name",
        "--remote_path",
        "--remote_host",
        "--remote_port",
        "--polling",
        "--ssl",
        "--remote_auth",
        "--reason",
      ];
    for (const [f] of opts) if (!known.includes(f)) this.fail(`${kw}: unknown option '${f}'`, 0);
    if (!opts.some(([f]) => f === "--name")) this.fail(`${kw}: --name is required`, 0);
    if (kw === "aviso") {
      if (!opts.some(([f]) => f === "--listener")) this.fail("aviso: --listener is required", 0);
      const rev = get("--revision", "0");
      if (!/^\d+$/.test(rev)) this.fail(`aviso: --revision must be an integer: '${rev}'`, 0);
      const a: AvisoAttr = {
        name: get("--name", ""),
        listener: get("--listener", ""),
        url: get("--url", "%ECF_AVISO_URL%"),
        schema: get("--schema", "%ECF_AVISO_SCHEMA%"),
        polling: get("--polling", "%ECF_AVISO_POLLING%"),
        revision: +rev,
        auth: get("--auth", "%ECF_AVISO_AUTH%"),
        reason: get("--reason", ""),
      };
      append(n, "_avisos", a);
    } else {
      if (!opts.some(([f]) => f === "--remote_path")) {
        this.fail("mirror: --remote_path is required", 0);
      }
      const m: MirrorAttr = {
        name: get("--name", ""),
        remotePath: get("--remote_path", ""),
        remoteHost: get("--remote_host", "%ECF_MIRROR_REMOTE_HOST%"),
        remotePort: get("--remote_port", "%ECF_MIRROR_REMOTE_PORT%"),
        polling: get("--polling", "%ECF_MIRROR_REMOTE_POLLING%"),
        ssl: opts.some(([f]) => f === "--ssl"),
        auth: get("--remote_auth", "%ECF_MIRROR_REMOTE_AUTH%"),
        reason: get("--reason", ""),
      };
      append(n, "_mirrors", m);
    }
  }
}

type ListKey =
  | "_variables"
  | "_limits"
  | "_inLimits"
  | "_labels"
  | "_meters"
  | "_events"
  | "_times"
  | "_todays"
  | "_dates"
  | "_days"
  | "_crons"
  | "_avisos"
  | "_mirrors"
  | "_zombies"
  | "_verifies"
  | "_queues"
  | "_generics";

/** Append to a node's attribute list, creating it with exactly one element when absent. */
function append<K extends ListKey>(n: Node, key: K, item: NonNullable<Node[K]>[number]): void {
  const list = n[key] as unknown[] | undefined;
  if (list === undefined) (n as unknown as Record<string, unknown[]>)[key] = [item];
  else list.push(item);
}

/**
 * Parse a whole definition text (a `.def` file, or the NET/STATE/MIGRATE text a server sends).
 *
 * Structural and attribute errors throw a {@link DefsParseError}. Reference checks
 * (triggers, inlimits, autorestore) are done by `checkDefs`.
 *
 * @example
 * ```ts
 * import { parseDefs } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * const defs = parseDefs("suite s\n  family f\n    task t\n  endfamily\nendsuite\n");
 * assertEquals(defs.find("/s/f/t")?.absPath, "/s/f/t");
 * ```
 */
export function parseDefs(text: string, options: ParseOptions = {}): Defs {
  const p = new Parser(text, options.fileName ?? "<text>", false);
  p.run();
  return p.defs;
}

/**
 * Parse the text of a single node as sent in an `SNodeCmd` reply (`--get=/path`):
 * a `suite`, `family`, `task` or `alias` with its attributes and children, with state
 * annotations. The returned node is detached (no parent), exactly like the node
 * ecflow_client builds from that reply: its `absPath` starts at itself (`/f1`), and
 * generated variables and trigger trees printed for it are what ecflow_client prints.
 * A 5.9.2 server indents the text by the node's depth (two spaces per level); pass that
 * depth as `level` to `printNode` to reproduce ecflow_client's output.
 *
 * @example
 * ```ts
 * import { parseNode } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * const f = parseNode("  family f1 # state:queued\n    task t1\n  endfamily\n");
 * assertEquals(f.kind, "family");
 * assertEquals(f.state, "queued");
 * assertEquals(f.children.length, 1);
 * ```
 */
export function parseNode(text: string, options: ParseOptions = {}): Node {
  const p = new Parser(text, options.fileName ?? "<text>", true);
  p.run();
  const n = p.topNode;
  if (!n) throw new DefsParseError(options.fileName ?? "<text>", 1, 1, "", "no node found");
  return n;
}
