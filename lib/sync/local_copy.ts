/**
 * The local copy of a server's definition, kept current with `--news` and `--sync`, and the
 * client handle that filters which suites it holds.
 *
 * @module
 */
import type { Defs } from "../defs/model.ts";
import type { Command } from "../wire/request.ts";
import type { Reply } from "../wire/reply.ts";
import { ctsNodeCommand, syncCommand } from "../requests/user.ts";

/** How the local copy talks to the server. */
export interface SyncChannel {
  /**
   * Sends one user command; resolves with the decoded reply and its payload size in bytes (an
   * `ErrorCmd` reply is thrown as a `ServerError`).
   */
  send(cmd: Command, options?: { signal?: AbortSignal }): Promise<{ reply: Reply; bytes: number }>;
}

/** What a sync did. */
export interface SyncResult {
  /** The local copy after the sync. */
  defs: Defs;
  /** `unchanged`: no news; `incremental`: changes applied; `full`: the whole definition fetched. */
  kind: "unchanged" | "incremental" | "full";
  /** Reply bytes the sync took (news included). */
  bytes: number;
  /** Milliseconds the sync took (news included). */
  ms: number;
}

/** The change numbers on the `defs_state` line of a server's NET text. */
function changeNumbers(text: string): [number, number] {
  const line = /^defs_state [^\n]*/m.exec(text)?.[0] ?? "";
  const num = (key: string) => Number(new RegExp(` ${key}:(\\d+)`).exec(line)?.[1] ?? 0);
  return [num("state_change"), num("modify_change")];
}

/** A server's definition held locally, and the client handle it is filtered by. */
export class LocalCopy {
  #channel: SyncChannel;
  #defs?: Defs;
  #handle = 0;

  /** A copy fetched and synchronised through `channel`. */
  constructor(channel: SyncChannel) {
    this.#channel = channel;
  }

  /** The local copy, if one was fetched; its `text` is the NET text the server sent. */
  get defs(): Defs | undefined {
    return this.#defs;
  }

  /** The client handle news and sync use (0: all suites). */
  get handle(): number {
    return this.#handle;
  }

  /** Uses `handle` from now on (after `--ch_register`); the copy is fetched anew. */
  useHandle(handle: number): void {
    this.#handle = handle;
    this.#defs = undefined;
  }

  /** Forgets `handle` if it is the one in use (after `--ch_drop` of it). */
  forgetHandle(handle: number): void {
    if (handle === this.#handle) this.useHandle(0);
  }

  async #keep(text: string): Promise<Defs> {
    const { parseDefs } = await import("../defs/parser.ts");
    this.#defs = parseDefs(text, { fileName: "(server)" });
    return this.#defs;
  }

  /** Fetches the whole definition (`--get`) and keeps it. */
  async fetch(options?: { signal?: AbortSignal }): Promise<Defs> {
    const req = ctsNodeCommand("get");
    const { reply } = await this.#channel.send(req, options);
    return await this.#keep(req.decode(reply).text);
  }

  /** Whether the server changed since the copy was taken; true when there is no copy. */
  async news(options?: { signal?: AbortSignal }): Promise<boolean> {
    return (await this.#news(options)).news;
  }

  async #news(options?: { signal?: AbortSignal }): Promise<{ news: boolean; bytes: number }> {
    if (this.#defs === undefined) return { news: true, bytes: 0 };
    const [sc, mc] = changeNumbers(this.#defs.text ?? "");
    const req = syncCommand("news", this.#handle, sc, mc);
    const { reply, bytes } = await this.#channel.send(req, options);
    return { news: req.decode(reply) !== "none", bytes };
  }

  /** Brings the copy up to date: nothing when there is no news, else a full sync. */
  async sync(options?: { signal?: AbortSignal }): Promise<SyncResult> {
    const t0 = performance.now();
    const news = await this.#news(options);
    if (this.#defs !== undefined && !news.news) {
      return { defs: this.#defs, kind: "unchanged", bytes: news.bytes, ms: performance.now() - t0 };
    }
    const req = syncCommand("sync_full", this.#handle);
    const { reply, bytes } = await this.#channel.send(req, options);
    const sync = req.decode(reply);
    const defs = await this.#keep(sync.full ? sync.text : sync.serverDefs);
    return { defs, kind: "full", bytes: news.bytes + bytes, ms: performance.now() - t0 };
  }
}
