/**
 * The path every request of a client takes: where it goes (the endpoint), how (the transport),
 * as whom (the identity), how long it may take, how failures are retried, and how it is
 * cancelled. `send()` encodes a user command, exchanges it with the retry rule of `retry.ts`,
 * decodes the reply and turns the server's `ErrorCmd` into a {@linkcode ServerError}; task
 * commands use `exchange()` for each attempt of their own loop (`task_loop.ts`).
 *
 * @module
 */
import { type Endpoint, resolveEndpoint } from "../endpoint.ts";
import { ConfigError, ServerError } from "../errors.ts";
import { type EnvReader, readEnv } from "../env.ts";
import { type Command, encodeRequest, type Identity, type UserIdentity } from "../wire/request.ts";
import { decodeReply, type Reply } from "../wire/reply.ts";
import { clientHandleCommand } from "../requests/user.ts";
import { chooseTransport, selectTransport, type TransportSelection } from "../transport/select.ts";
import type { Transport, TransportTarget } from "../transport/types.ts";
import type { CallOptions, ClientOptions } from "./options.ts";
import { exhausted, isRetryable, sleep } from "./retry.ts";
import { Who } from "./who.ts";

/** A user command's reply, with its size and round trip. */
export interface Sent {
  /** The decoded reply (never an `error`: that is thrown). */
  reply: Reply;
  /** The reply payload's size in bytes. */
  bytes: number;
  /** Milliseconds of the successful exchange (connect to last reply byte). */
  ms: number;
}

/** The endpoint, transport, identity, limits, retries and cancellation of one client. */
export class Invoker {
  #options: ClientOptions;
  #env: EnvReader;
  #endpoint: Endpoint;
  #transport: Transport;
  #ownsTransport: boolean;
  #closer = new AbortController();
  #replyTimeoutOverride?: { seconds: number | undefined };
  #lastTarget?: TransportTarget;
  #lastPayload?: EncodedRequest;
  /** Who the client is. */
  readonly who: Who;

  /** Resolves the endpoint and chooses the transport from `options` and the environment. */
  constructor(options: ClientOptions) {
    this.#options = { ...options };
    this.#env = options.env ?? readEnv;
    this.who = new Who(this.#env, options);
    this.#endpoint = resolveEndpoint({
      host: options.host,
      port: options.port,
      env: this.#env,
      labels: options.labels ?? { host: "Client() host", port: "Client() port" },
    });
    this.#ownsTransport = options.transport === undefined;
    this.#transport = options.transport ?? this.#newTransport();
    const outer = options.signal;
    if (outer) {
      if (outer.aborted) this.#closer.abort(outer.reason);
      else outer.addEventListener("abort", () => this.close(outer.reason), { once: true });
    }
  }

  /** The environment the client reads. */
  get env(): EnvReader {
    return this.#env;
  }

  /** Where requests go, and where host and port came from. */
  get endpoint(): Endpoint {
    return this.#endpoint;
  }

  /** Points at another server. */
  set endpoint(endpoint: Endpoint) {
    this.#endpoint = endpoint;
  }

  /** The transport in use. */
  get transport(): Transport {
    return this.#transport;
  }

  /** The client's retry policy, as given. */
  get retry(): ClientOptions["retry"] {
    return this.#options.retry;
  }

  /** Changes how the transport is chosen (`enableSsl()`, `enableHttp()`, …) and re-chooses it. */
  reselect(change: TransportSelection): void {
    this.#options = { ...this.#options, ...change, transport: undefined };
    if (this.#ownsTransport) this.#transport.close?.();
    this.#ownsTransport = true;
    this.#transport = this.#newTransport();
  }

  #newTransport(): Transport {
    // This machine's name matters only for TLS certificate names: not looked up otherwise.
    const tls = chooseTransport(this.#options, this.#env).kind === "tls";
    return selectTransport(
      { ...this.#options, localHost: tls ? this.who.hostName() : undefined },
      this.#env,
    );
  }

  /** The signal that cancels a call: the call's own, and the client's (aborted by `close()`). */
  signal(options?: CallOptions): AbortSignal {
    const own = options?.signal;
    return own ? AbortSignal.any([own, this.#closer.signal]) : this.#closer.signal;
  }

  /** Milliseconds allowed for the reply to `cmd`: the option, else `ECF_CONNECT_TIMEOUT`, else the command's own. */
  replyTimeoutMs(cmd: Command): number {
    if (this.#options.replyTimeoutMs !== undefined) return this.#options.replyTimeoutMs;
    this.#replyTimeoutOverride ??= { seconds: this.#readTimeoutOverride() };
    const seconds = this.#replyTimeoutOverride.seconds ?? cmd.timeoutSeconds ?? 60;
    return seconds * 1000;
  }

  #readTimeoutOverride(): number | undefined {
    const value = this.#env("ECF_CONNECT_TIMEOUT");
    if (value === undefined || value.trim() === "") return undefined;
    const s = Number(value);
    if (!Number.isFinite(s) || s <= 0) {
      throw new ConfigError(
        `invalid ECF_CONNECT_TIMEOUT '${value}': expected a positive number of seconds`,
      );
    }
    return s;
  }

  /** One attempt: sends `payload` for `cmd` to `target`, resolves with the reply payload. */
  exchange(
    target: TransportTarget,
    payload: Uint8Array,
    cmd: Command,
    signal: AbortSignal,
  ): Promise<Uint8Array> {
    return this.#transport.exchange(target, payload, {
      replyTimeoutMs: this.replyTimeoutMs(cmd),
      signal,
    });
  }

  /**
   * Sends a user command with the client's identity (or `identity`), retrying failures
   * `isRetryable` accepts; the server's `ErrorCmd` is thrown as a {@linkcode ServerError}.
   */
  async send(cmd: Command, options?: CallOptions, identity?: Identity): Promise<Sent> {
    const signal = this.signal(options);
    signal.throwIfAborted();
    const target = this.#target();
    const id = identity ?? { kind: "user" as const, user: this.who.user(target) };
    const payload = this.#encode(cmd, id);
    const handles = fullSyncHandles(cmd);
    if (handles.length > 0) await this.#refuseUnknownSyncHandles(cmd, handles, id, signal);
    const attempts = Math.max(1, this.#options.retry?.attempts ?? 2);
    for (let attempt = 1;; attempt++) {
      const t0 = performance.now();
      let bytes: Uint8Array;
      try {
        bytes = await this.exchange(target, payload, cmd, signal);
      } catch (e) {
        if (!isRetryable(e) || signal.aborted) throw e;
        if (attempt >= attempts) throw exhausted(e, attempts);
        const delayMs = this.#options.retry?.delayMs ?? (cmd.label === "--ping" ? 1000 : 10_000);
        await sleep(delayMs, signal);
        continue;
      }
      const ms = performance.now() - t0;
      const reply = decodeReply(bytes);
      if (reply.kind === "error") throw new ServerError(reply.message, cmd.label);
      return { reply, bytes: bytes.length, ms };
    }
  }

  /**
   * The request bytes of `cmd` sent as `id`. A client often sends the same request again (a
   * ping or a poll in a loop): the bytes of the last one are kept with a copy of what made
   * them, and reused while the command's class, label and (primitive) members and the
   * identity stay the same.
   */
  #encode(cmd: Command, id: Identity): Uint8Array {
    const last = this.#lastPayload;
    if (last !== undefined && last.matches(cmd, id)) return last.payload;
    const payload = encodeRequest(cmd, id);
    this.#lastPayload = EncodedRequest.of(cmd, id, payload);
    return payload;
  }

  /** Where requests go now, as a transport target (the same object while the endpoint stays). */
  #target(): TransportTarget {
    const { host, port } = this.#endpoint;
    const t = this.#lastTarget;
    if (t !== undefined && t.host === host && t.port === port) return t;
    return this.#lastTarget = { host, port };
  }

  /**
   * A full sync (`CSyncCmd` SYNC_FULL) naming a client handle the server does not know aborts
   * a 5.9.2 server (it dereferences the missing handle's definition). Such a request is only
   * sent after `--ch_suites` shows the handle exists.
   */
  async #refuseUnknownSyncHandles(
    cmd: Command,
    handles: readonly number[],
    identity: Identity,
    signal: AbortSignal,
  ): Promise<void> {
    const req = clientHandleCommand("ch_suites");
    const { reply } = await this.send(req, { signal }, identity);
    const known = new Set(req.decode(reply).handles.map((h) => h.handle));
    for (const h of handles) {
      if (!known.has(h)) {
        throw new ServerError(
          `handle(${h}) does not exist in server. Handle dropped or server restarted? ` +
            "(ecflow-ts did not send this full sync: it aborts 5.9.2 servers)",
          cmd.label,
        );
      }
    }
  }

  /** True once `close()` was called (or the client's signal aborted). */
  get closed(): boolean {
    return this.#closer.signal.aborted;
  }

  /**
   * Cancels every call in progress and every later one, and releases the transport the client
   * chose itself (a transport passed in the options belongs to the caller).
   */
  close(reason?: unknown): void {
    if (this.#closer.signal.aborted) return;
    this.#closer.abort(reason ?? new ConfigError("the client was closed"));
    if (this.#ownsTransport) this.#transport.close?.();
  }
}

/** A request's bytes and a copy of the command and identity they were made from. */
class EncodedRequest {
  private constructor(
    readonly payload: Uint8Array,
    private readonly cls: string,
    private readonly label: string,
    private readonly timeoutSeconds: number | undefined,
    private readonly keys: string[],
    private readonly values: (string | number | boolean | null)[],
    private readonly identity: UserIdentity | Identity,
  ) {}

  /** The record of `cmd`'s bytes, or undefined when `cmd` is not one kept (a group, a list member). */
  static of(cmd: Command, id: Identity, payload: Uint8Array): EncodedRequest | undefined {
    if (cmd.children !== undefined) return undefined;
    const keys: string[] = [];
    const values: (string | number | boolean | null)[] = [];
    for (const k in cmd.members) {
      const v = cmd.members[k];
      if (v !== null && typeof v === "object") return undefined;
      keys.push(k);
      values.push(v);
    }
    const identity = id.kind === "user" ? id.user : id;
    return new EncodedRequest(
      payload,
      cmd.cls,
      cmd.label,
      cmd.timeoutSeconds,
      keys,
      values,
      identity,
    );
  }

  /** True when `cmd` sent as `id` encodes to these bytes. */
  matches(cmd: Command, id: Identity): boolean {
    if (
      cmd.cls !== this.cls || cmd.label !== this.label || cmd.children !== undefined ||
      cmd.timeoutSeconds !== this.timeoutSeconds ||
      (id.kind === "user" ? id.user : id) !== this.identity
    ) return false;
    let i = 0;
    for (const k in cmd.members) {
      if (i >= this.keys.length || k !== this.keys[i] || cmd.members[k] !== this.values[i]) {
        return false;
      }
      i++;
    }
    return i === this.keys.length;
  }
}

/** The non-zero client handles of the full syncs in `cmd` (and its group children). */
function fullSyncHandles(cmd: Command): readonly number[] {
  const own = cmd.cls === "CSyncCmd" && cmd.members.api_ === 2 &&
      typeof cmd.members.client_handle_ === "number" && cmd.members.client_handle_ !== 0
    ? [cmd.members.client_handle_]
    : NO_HANDLES;
  if (cmd.children === undefined) return own;
  return [...own, ...cmd.children.flatMap(fullSyncHandles)];
}

const NO_HANDLES: readonly number[] = [];
