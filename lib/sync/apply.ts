/**
 * Applying the changes of an incremental sync ({@linkcode DefsDelta}) to a definition tree,
 * as ecFlow's client applies its mementos: attributes are matched by name (or, for time
 * attributes, by their definition), added when missing, and a node whose attributes were
 * added or deleted is cleared first and rebuilt from the mementos.
 *
 * Where a memento carries a whole attribute, the whole attribute is taken (ecFlow's client
 * keeps some definition parts of its own copy, e.g. a trigger's text); the result is the
 * server's tree as its NET text would give it.
 *
 * @module
 */
import { ProtocolError } from "../errors.ts";
import {
  Alias,
  type Defs,
  Family,
  type Node,
  NodeContainer,
  Suite,
  Task,
  type TimeSeries,
} from "../defs/model.ts";
import type { CompoundMemento, DefsDelta, Memento, NodeImage } from "../wire/mementos.ts";

/**
 * Applies `delta` to `defs` in place and takes its change numbers. Throws a
 * {@linkcode ProtocolError} when a change names a node the tree does not have (the copy
 * is then out of step with the server and needs a full sync).
 *
 * @example
 * ```ts
 * import { applyDelta } from "./apply.ts";
 * import { parseDefs, printDefs } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * const defs = parseDefs("#5.9.2\ndefs_state NET state_change:5 modify_change:2\nsuite s\ntask t\nendsuite\n");
 * applyDelta(defs, {
 *   stateChange: 7,
 *   modifyChange: 2,
 *   compounds: [{ path: "/s/t", clearAttributes: false, mementos: [{ kind: "suspended", suspended: true }] }],
 * });
 * assertEquals(defs.find("/s/t")!.suspended, true);
 * assertEquals(defs.stateChange, 7);
 * ```
 */
export function applyDelta(defs: Defs, delta: DefsDelta): void {
  for (const c of delta.compounds) applyCompound(defs, c);
  defs.stateChange = delta.stateChange;
  defs.modifyChange = delta.modifyChange;
}

function applyCompound(defs: Defs, c: CompoundMemento): void {
  if (c.path === "/") {
    for (const m of c.mementos) applyToDefs(defs, m);
    return;
  }
  const node = defs.find(c.path);
  if (node === undefined) {
    throw new ProtocolError(`incremental sync: the local copy has no node '${c.path}'`);
  }
  if (c.clearAttributes) clearAttributes(node);
  const seen = new Map<string, number>();
  for (const m of c.mementos) applyToNode(node, m, c.clearAttributes, seen);
}

function applyToDefs(defs: Defs, m: Memento): void {
  switch (m.kind) {
    case "defsState":
      defs.state = m.state;
      return;
    case "serverState":
      defs.serverState = m.state;
      return;
    case "serverVariables":
      defs.userVariables = m.variables.map((v) => ({ ...v }));
      return;
    case "flags":
      defs.flags = [...m.flags];
      return;
    case "order": {
      const ordered = reorder(defs.suites, m.names);
      if (ordered) defs.suites = ordered;
      return;
    }
    default:
      throw new ProtocolError(`incremental sync: '${m.kind}' change sent for the definition`);
  }
}

/** `items` in the order of `names`, or `undefined` when they do not name the same items. */
function reorder<T extends { name: string }>(items: T[], names: string[]): T[] | undefined {
  if (names.length !== items.length) return undefined;
  const out: T[] = [];
  for (const name of names) {
    const item = items.find((i) => i.name === name);
    if (item === undefined) return undefined;
    out.push(item);
  }
  return out;
}

/** What ecFlow's `Node::clear()` removes before the attributes are sent again. */
function clearAttributes(n: Node): void {
  n.late = undefined;
  n.complete = undefined;
  n.trigger = undefined;
  n.repeat = undefined;
  n._zombies = undefined;
  n._verifies = undefined;
  n._queues = undefined;
  n._generics = undefined;
  n._todays = undefined;
  n._times = undefined;
  n._crons = undefined;
  n._days = undefined;
  n._dates = undefined;
  n._meters = undefined;
  n._events = undefined;
  n._labels = undefined;
  n._avisos = undefined;
  n._mirrors = undefined;
  n._variables = undefined;
  n._limits = undefined;
  n._inLimits = undefined;
}

/**
 * Replaces the first item `same` finds, else appends `item`. After a clear (`fresh`) every
 * attribute is sent once, in order, so each is appended: a node may hold two equal `time` or
 * `day` attributes, which matching would fold into one.
 */
function upsert<T>(list: T[], item: T, same: (x: T) => boolean, fresh: boolean): void {
  const i = fresh ? -1 : list.findIndex(same);
  if (i >= 0) list[i] = item;
  else list.push(item);
}

function seriesKey(ts: TimeSeries): string {
  const slot = (s?: { hour: number; minute: number }) => s ? `${s.hour}:${s.minute}` : "-";
  return `${ts.relative}/${slot(ts.start)}/${slot(ts.finish)}/${slot(ts.increment)}`;
}

/**
 * Replaces the item of `list` that `exact` finds, else the `k`-th item whose key is that of
 * `item` when this is the `k`-th memento of that key in the compound (`seen` counts them), else
 * appends: a node may hold equal `time`, `today`, `cron`, `day` or `date` attributes, each sent
 * in its own memento. (Such twins are told apart only by their state: a change to one of them
 * alone can land on the other; ecFlow's own client matches the first of them.)
 */
function upsertNth<T>(
  list: T[],
  item: T,
  keyOf: (x: T) => string,
  seen: Map<string, number>,
  kind: string,
  exact?: (x: T, item: T) => boolean,
): void {
  const key = kind + "\u0000" + keyOf(item);
  const nth = seen.get(key) ?? 0;
  seen.set(key, nth + 1);
  if (exact) {
    const i = list.findIndex((x) => exact(x, item));
    if (i >= 0) {
      list[i] = item;
      return;
    }
  }
  let count = 0;
  for (let i = 0; i < list.length; i++) {
    if (keyOf(list[i]) !== keyOf(item)) continue;
    if (count++ === nth) {
      list[i] = item;
      return;
    }
  }
  list.push(item);
}

function applyToNode(n: Node, m: Memento, fresh: boolean, seen: Map<string, number>): void {
  switch (m.kind) {
    case "state":
      n.state = m.state;
      n.stateDuration = /^-?0+:00:00(\.0+)?$/.test(m.duration) ? undefined : m.duration;
      return;
    case "defStatus":
      n.defStatus = m.defStatus;
      return;
    case "suspended":
      n.suspended = m.suspended;
      return;
    case "flags":
      n.flags = [...m.flags];
      return;
    case "event": {
      const e = m.event;
      upsert(
        n.events,
        { ...e },
        (x) => e.name !== "" ? x.name === e.name : x.number === e.number,
        fresh,
      );
      return;
    }
    case "meter":
      upsert(n.meters, { ...m.meter }, (x) => x.name === m.meter.name, fresh);
      return;
    case "label":
      upsert(n.labels, { ...m.label }, (x) => x.name === m.label.name, fresh);
      return;
    case "aviso":
      upsert(n.avisos, { ...m.aviso }, (x) => x.name === m.aviso.name, fresh);
      return;
    case "mirror":
      upsert(n.mirrors, { ...m.mirror }, (x) => x.name === m.mirror.name, fresh);
      return;
    case "queue":
      upsert(n.queues, structuredClone(m.queue), (x) => x.name === m.queue.name, fresh);
      return;
    case "generic":
      upsert(n.generics, structuredClone(m.generic), (x) => x.name === m.generic.name, fresh);
      return;
    case "queueIndex":
      for (const q of n._queues ?? []) {
        if (q.name === m.name) {
          q.index = m.index;
          q.states = [...m.states];
        }
      }
      return;
    case "trigger":
      n.trigger = structuredClone(m.expression);
      return;
    case "complete":
      n.complete = structuredClone(m.expression);
      return;
    case "repeat":
      n.repeat = structuredClone(m.repeat);
      return;
    case "repeatIndex":
      setRepeatValue(n, m.value);
      return;
    case "limit":
      upsert(n.limits, structuredClone(m.limit), (x) => x.name === m.limit.name, fresh);
      return;
    case "inLimit":
      upsert(
        n.inLimits,
        { ...m.inLimit },
        (x) => x.name === m.inLimit.name && x.path === m.inLimit.path,
        fresh,
      );
      return;
    case "variable": {
      const v = n.variables.find((x) => x.name === m.variable.name);
      if (v) v.value = m.variable.value;
      else n.variables.push({ ...m.variable });
      return;
    }
    case "late":
      n.late = structuredClone(m.late);
      return;
    case "today":
      if (fresh) n.todays.push(structuredClone(m.today));
      else upsertNth(n.todays, structuredClone(m.today), (x) => seriesKey(x.series), seen, "today");
      return;
    case "time":
      if (fresh) n.times.push(structuredClone(m.time));
      else upsertNth(n.times, structuredClone(m.time), (x) => seriesKey(x.series), seen, "time");
      return;
    case "cron": {
      const key = (c: typeof m.cron) =>
        [c.weekDays, c.lastWeekDaysOfMonth, c.daysOfMonth, c.months, c.lastDayOfMonth].join("|") +
        seriesKey(c.series);
      if (fresh) n.crons.push(structuredClone(m.cron));
      else upsertNth(n.crons, structuredClone(m.cron), key, seen, "cron");
      return;
    }
    case "day":
      if (fresh) n.days.push({ ...m.day });
      else {
        upsertNth(
          n.days,
          { ...m.day },
          (x) => x.day,
          seen,
          "day",
          (x, y) => x.day === y.day && x.date === y.date,
        );
      }
      return;
    case "date":
      if (fresh) n.dates.push({ ...m.date });
      else upsertNth(n.dates, { ...m.date }, (x) => `${x.day}.${x.month}.${x.year}`, seen, "date");
      return;
    case "zombie":
      n.zombies = n.zombies.filter((z) => z.type !== m.zombie.type);
      n.zombies.push(structuredClone(m.zombie));
      return;
    case "verifies":
      n.verifies = m.verifies.map((v) => ({ ...v }));
      return;
    case "submittable": {
      if (!(n instanceof Task || n instanceof Alias)) break;
      n.password = m.password;
      n.rid = m.rid;
      n.abortReason = m.abortReason;
      n.tryNo = m.tryNo;
      return;
    }
    case "clock":
      if (!(n instanceof Suite)) break;
      n.clock = { ...m.clock };
      return;
    case "begun":
      if (!(n instanceof Suite)) break;
      n.begun = m.begun;
      return;
    case "calendar":
      if (!(n instanceof Suite)) break;
      n.calendar = { ...m.calendar };
      return;
    case "order": {
      if (n instanceof NodeContainer) {
        const ordered = reorder(n.nodes, m.names);
        if (ordered) n.nodes = ordered;
        return;
      }
      if (n instanceof Task) {
        const ordered = reorder(n.aliases, m.names);
        if (ordered) n.aliases = ordered;
        return;
      }
      break;
    }
    case "children": {
      if (!(n instanceof NodeContainer)) break;
      n.nodes = [];
      for (const image of m.nodes) {
        const child = buildNode(image);
        if (child instanceof Family || child instanceof Task) n.add(child);
        else throw new ProtocolError(`incremental sync: a ${child.kind} sent as a child node`);
      }
      return;
    }
    case "aliases": {
      if (!(n instanceof Task)) break;
      n.aliases = [];
      for (const image of m.aliases) {
        const alias = buildNode(image);
        if (!(alias instanceof Alias)) {
          throw new ProtocolError(`incremental sync: a ${alias.kind} sent as an alias`);
        }
        n.addAlias(alias);
      }
      return;
    }
    case "aliasNumber":
      if (!(n instanceof Task)) break;
      n.aliasNo = m.aliasNo;
      return;
    case "defsState":
    case "serverState":
    case "serverVariables":
      break;
  }
  throw new ProtocolError(`incremental sync: '${m.kind}' change sent for ${n.kind} ${n.absPath}`);
}

/** `yyyymmddTHHMMSS` of seconds since the epoch (UTC). */
function instantText(seconds: number): string {
  const d = new Date(seconds * 1000);
  const p = (v: number, w = 2) => String(v).padStart(w, "0");
  return p(d.getUTCFullYear(), 4) + p(d.getUTCMonth() + 1) + p(d.getUTCDate()) + "T" +
    p(d.getUTCHours()) + p(d.getUTCMinutes()) + p(d.getUTCSeconds());
}

function setRepeatValue(n: Node, value: number): void {
  const r = n.repeat;
  if (r === undefined) return;
  switch (r.kind) {
    case "integer":
    case "date":
      r.value = value;
      return;
    case "datelist":
    case "enumerated":
    case "string":
    case "datetimelist":
      r.index = value;
      return;
    case "datetime":
      r.value = instantText(value);
      return;
    case "day":
      return;
  }
}

/**
 * A model node (and its children) from a node image a `ChildrenMemento` or
 * `AliasChildrenMemento` carries.
 *
 * @example
 * ```ts
 * import { buildNode } from "./apply.ts";
 * import { type NodeImage } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * const task: NodeImage = {
 *   kind: "task", name: "t", state: "complete", suspended: false, defStatus: "queued",
 *   flags: [], variables: [{ name: "X", value: "1" }], meters: [], events: [], labels: [],
 *   avisos: [], mirrors: [], times: [], todays: [], crons: [], dates: [], days: [],
 *   zombies: [], verifies: [], queues: [], generics: [], limits: [], inLimits: [],
 *   password: "", rid: "", abortReason: "", tryNo: 0, aliasNo: 0, aliases: [],
 *   children: [], begun: false,
 * };
 * const node = buildNode(task);
 * assertEquals([node.kind, node.name, node.state], ["task", "t", "complete"]);
 * assertEquals(node.variable("X")?.value, "1");
 * ```
 */
export function buildNode(image: NodeImage): Node {
  const n = image.kind === "suite"
    ? new Suite(image.name)
    : image.kind === "family"
    ? new Family(image.name)
    : image.kind === "task"
    ? new Task(image.name)
    : new Alias(image.name);
  n.state = image.state;
  if (image.stateDuration !== undefined) n.stateDuration = image.stateDuration;
  n.suspended = image.suspended;
  n.defStatus = image.defStatus;
  if (image.flags.length > 0) n.flags = [...image.flags];
  if (image.variables.length > 0) n.variables = structuredClone(image.variables);
  if (image.complete) n.complete = structuredClone(image.complete);
  if (image.trigger) n.trigger = structuredClone(image.trigger);
  if (image.meters.length > 0) n.meters = structuredClone(image.meters);
  if (image.events.length > 0) n.events = structuredClone(image.events);
  if (image.labels.length > 0) n.labels = structuredClone(image.labels);
  if (image.avisos.length > 0) n.avisos = structuredClone(image.avisos);
  if (image.mirrors.length > 0) n.mirrors = structuredClone(image.mirrors);
  if (image.times.length > 0) n.times = structuredClone(image.times);
  if (image.todays.length > 0) n.todays = structuredClone(image.todays);
  if (image.crons.length > 0) n.crons = structuredClone(image.crons);
  if (image.dates.length > 0) n.dates = structuredClone(image.dates);
  if (image.days.length > 0) n.days = structuredClone(image.days);
  if (image.late) n.late = structuredClone(image.late);
  if (image.zombies.length > 0) n.zombies = structuredClone(image.zombies);
  if (image.verifies.length > 0) n.verifies = structuredClone(image.verifies);
  if (image.queues.length > 0) n.queues = structuredClone(image.queues);
  if (image.generics.length > 0) n.generics = structuredClone(image.generics);
  if (image.repeat) n.repeat = structuredClone(image.repeat);
  if (image.limits.length > 0) n.limits = structuredClone(image.limits);
  if (image.inLimits.length > 0) n.inLimits = structuredClone(image.inLimits);
  if (image.autoCancel) n.autoCancel = structuredClone(image.autoCancel);
  if (image.autoArchive) n.autoArchive = structuredClone(image.autoArchive);
  if (image.autoRestore) n.autoRestore = [...image.autoRestore];
  if (n instanceof Task || n instanceof Alias) {
    n.password = image.password;
    n.rid = image.rid;
    n.abortReason = image.abortReason;
    n.tryNo = image.tryNo;
  }
  if (n instanceof Task) {
    n.aliasNo = image.aliasNo;
    for (const a of image.aliases) {
      const alias = buildNode(a);
      if (!(alias instanceof Alias)) {
        throw new ProtocolError(`incremental sync: a ${alias.kind} sent as an alias`);
      }
      n.addAlias(alias);
    }
  }
  if (n instanceof NodeContainer) {
    for (const c of image.children) {
      const child = buildNode(c);
      if (child instanceof Family || child instanceof Task) n.add(child);
      else throw new ProtocolError(`incremental sync: a ${child.kind} sent as a child node`);
    }
  }
  if (n instanceof Suite) {
    n.begun = image.begun;
    if (image.clock) n.clock = { ...image.clock };
    if (image.calendar) n.calendar = { ...image.calendar };
  }
  return n;
}
