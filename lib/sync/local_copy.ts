/**
 * A client's local copy of a server's definition, kept current as ecflow_ui keeps its own:
 * ask for news with the copy's change numbers, then for the changes only (an incremental
 * sync); take the whole definition again only when the server answers with it (a restart,
 * a restored checkpoint, a suite loaded or begun, a changed client handle, …).
 *
 * @module
 */
import type { Command } from "../wire/request.ts";
import type { Reply } from "../wire/reply.ts";
import { ctsNodeCommand, syncCommand } from "../requests/user.ts";
import { ProtocolError } from "../errors.ts";
import type { Defs } from "../defs/model.ts";
import type { DefsDelta } from "../wire/mementos.ts";

/** How a {@linkcode LocalCopy} reaches the server. */
export interface SyncChannel {
  /**
   * Sends one user command; resolves with the decoded reply and its payload size in bytes
   * (an `ErrorCmd` reply is already thrown as a `ServerError`).
   */
  send(cmd: Command, options?: { signal?: AbortSignal }): Promise<{ reply: Reply; bytes: number }>;
}

/** Options of {@linkcode LocalCopy.sync}. */
export interface SyncOptions {
  /** Abandons the sync (between requests). */
  signal?: AbortSignal;
  /**
   * Also bring the suites' calendars up to date (`--sync_clock`): the server's clock moves
   * without counting as a change, so without this a calendar is only as fresh as the
   * suite's last other change. Skips the news request.
   */
  clock?: boolean;
  /**
   * Ask for news first (default true). Without it the sync request goes straight out: one
   * round trip instead of two when something changed, the same cost when nothing did.
   */
  news?: boolean;
}

/** What one {@linkcode LocalCopy.sync} did. */
export interface SyncResult {
  /** The local copy, now current. */
  defs: Defs;
  /**
   * `unchanged`: the server had no news; `incremental`: changes were applied; `full`: the
   * whole definition was taken again.
   */
  kind: "unchanged" | "incremental" | "full";
  /** Reply payload bytes of every request this sync sent. */
  bytes: number;
  /** Milliseconds the sync took, requests and all. */
  ms: number;
  /** Nodes an incremental sync changed (compound mementos applied). */
  changes: number;
  /** The changes an incremental sync applied (what changed, node by node). */
  delta?: DefsDelta;
  /**
   * Why a full sync was taken: `first` (no copy yet), `server` (the server sent it), or
   * `diverged` (a change named a node the copy lacks; the copy was fetched again).
   */
  reason?: "first" | "server" | "diverged";
}

function defsStateNumbers(defs: Defs): [number, number] {
  return [defs.stateChange, defs.modifyChange];
}

/**
 * The local copy of a server's definition and the client handle it follows.
 *
 * @example
 * ```ts ignore
 * import { Client } from "@ecflow-ts/client";
 * const client = new Client("localhost", 3141);
 * const first = await client.sync(); // full the first time
 * const next = await client.sync(); // "unchanged" or "incremental" afterwards
 * console.log(next.kind, next.bytes, next.ms);
 * ```
 */
export class LocalCopy {
  #channel: SyncChannel;
  #defs?: Defs;
  #handle = 0;

  /** A copy that reaches its server through `channel`; empty until the first sync or fetch. */
  constructor(channel: SyncChannel) {
    this.#channel = channel;
  }

  /** The tree, if any (its `text` is the last whole NET text the server sent). */
  get defs(): Defs | undefined {
    return this.#defs;
  }

  /** The client handle news and syncs use (0 = all suites). */
  get handle(): number {
    return this.#handle;
  }

  /** Follows `handle` from now on (after `ch_register`); forgets the copy. */
  useHandle(handle: number): void {
    this.#handle = handle;
    this.#defs = undefined;
  }

  /** After `handle` was dropped: when it is the one in use, go back to 0 and forget the copy. */
  forgetHandle(handle: number): void {
    if (handle !== this.#handle) return;
    this.#handle = 0;
    this.#defs = undefined;
  }

  /** Forgets the copy (the next sync is a full one). */
  forget(): void {
    this.#defs = undefined;
  }

  async #send(cmd: Command, signal?: AbortSignal): Promise<{ reply: Reply; bytes: number }> {
    signal?.throwIfAborted();
    return await this.#channel.send(cmd, { signal });
  }

  async #keep(text: string): Promise<Defs> {
    const { parseDefs } = await import("../defs/parser.ts");
    this.#defs = parseDefs(text, { fileName: "(server)" });
    return this.#defs;
  }

  /** Fetches the whole definition (`--get`) and keeps it as the copy. */
  async fetch(options: { signal?: AbortSignal } = {}): Promise<Defs> {
    const req = ctsNodeCommand("get", "");
    const { reply } = await this.#send(req, options.signal);
    return await this.#keep(req.decode(reply).text);
  }

  /** Whether the server changed since the copy was taken; true when there is no copy. */
  async news(options: { signal?: AbortSignal } = {}): Promise<boolean> {
    return (await this.#news(options.signal)).news;
  }

  async #news(signal?: AbortSignal): Promise<{ news: boolean; bytes: number }> {
    if (this.#defs === undefined) return { news: true, bytes: 0 };
    const [sc, mc] = defsStateNumbers(this.#defs);
    const req = syncCommand("news", this.#handle, sc, mc);
    const { reply, bytes } = await this.#send(req, signal);
    return { news: req.decode(reply) !== "none", bytes };
  }

  async #full(signal?: AbortSignal): Promise<{ defs: Defs; bytes: number }> {
    const req = syncCommand("sync_full", this.#handle);
    const { reply, bytes } = await this.#send(req, signal);
    const sync = req.decode(reply);
    return { defs: await this.#keep(sync.full ? sync.text : sync.serverDefs), bytes };
  }

  /**
   * Brings the copy up to date: news, then the changes only; the whole definition only when
   * there is no copy yet or the server sends it.
   */
  async sync(options: SyncOptions = {}): Promise<SyncResult> {
    const t0 = performance.now();
    const signal = options.signal;
    const done = (r: Omit<SyncResult, "ms">): SyncResult => ({ ...r, ms: performance.now() - t0 });
    if (this.#defs === undefined) {
      const { defs, bytes } = await this.#full(signal);
      return done({ defs, kind: "full", bytes, changes: 0, reason: "first" });
    }
    let bytes = 0;
    if (!options.clock && options.news !== false) {
      const news = await this.#news(signal);
      bytes += news.bytes;
      if (!news.news) return done({ defs: this.#defs, kind: "unchanged", bytes, changes: 0 });
    }
    const [sc, mc] = defsStateNumbers(this.#defs);
    const api = options.clock ? "sync_clock" : "sync";
    const req = syncCommand(api, this.#handle, sc, mc);
    const answer = await this.#send(req, signal);
    bytes += answer.bytes;
    const reply = req.decode(answer.reply);
    const { decodeDefsDelta } = await import("../wire/mementos.ts");
    const delta = reply.full || reply.serverDefs !== ""
      ? undefined
      : decodeDefsDelta(reply.incremental);
    if (delta && delta.compounds.length === 0) {
      applyNumbers(this.#defs, delta);
      return done({ defs: this.#defs, kind: "unchanged", bytes, changes: 0 });
    }
    if (delta === undefined) {
      const defs = await this.#keep(reply.full ? reply.text : reply.serverDefs);
      return done({ defs, kind: "full", bytes, changes: 0, reason: "server" });
    }
    const { applyDelta } = await import("./apply.ts");
    const copy = this.#defs;
    try {
      applyDelta(copy, delta);
    } catch (e) {
      if (!(e instanceof ProtocolError)) throw e;
      this.#defs = undefined;
      const full = await this.#full(signal);
      bytes += full.bytes;
      return done({ defs: full.defs, kind: "full", bytes, changes: 0, reason: "diverged" });
    }
    bytes += await this.#rereadFlags(copy, delta, signal);
    return done({ defs: copy, kind: "incremental", bytes, changes: delta.compounds.length, delta });
  }

  /**
   * 5.9 servers send no flags for a node whose attributes were added or deleted (later
   * servers do): those nodes' flags are read again, one node each (`--get <path>`).
   * Resolves with the reply bytes this took.
   */
  async #rereadFlags(defs: Defs, delta: DefsDelta, signal?: AbortSignal): Promise<number> {
    let bytes = 0;
    for (const c of delta.compounds) {
      if (!c.clearAttributes || c.path === "/" || c.mementos.some((m) => m.kind === "flags")) {
        continue;
      }
      const node = defs.find(c.path);
      if (node === undefined) continue;
      const req = ctsNodeCommand("get", c.path);
      const answer = await this.#send(req, signal);
      bytes += answer.bytes;
      const { text } = req.decode(answer.reply);
      const { parseNode } = await import("../defs/parser.ts");
      node.flags = [...parseNode(text, { fileName: "(server)" }).flags];
    }
    return bytes;
  }
}

/** An empty incremental reply still carries the server's numbers (the same, or later). */
function applyNumbers(defs: Defs, delta: DefsDelta): void {
  defs.stateChange = delta.stateChange;
  defs.modifyChange = delta.modifyChange;
}
