/**
 * The `Client`: Python's `ecflow.Client` in camelCase, composed from endpoint
 * resolution, identity, the wire codec and a transport.
 *
 * @module
 */
import { type Endpoint, type EndpointOptions, resolveEndpoint } from "./endpoint.ts";
import {
  ConfigError,
  ConnectionError,
  ProtocolError,
  ServerError,
  TimeoutError,
} from "./errors.ts";
import { type EnvReader, readEnv } from "./env.ts";
import { clientHostName, userName } from "./identity.ts";
import { type Command, encodeRequest, type Identity } from "./wire/request.ts";
import { decodeReply, type Reply } from "./wire/reply.ts";
import { pingCommand, serverVersionCommand } from "./wire/user_commands.ts";
// child commands (issue 4)
import {
  type ChildContext,
  type ChildNotice,
  type ChildTimings,
  readChildContext,
  sendChildCommand,
} from "./child.ts";
import {
  abortCommand,
  completeCommand,
  eventCommand,
  initCommand,
  labelCommand,
  meterCommand,
  type QueueAction,
  queueCommand,
  type TaskVariable,
  waitCommand,
} from "./wire/task_commands.ts";
import { TcpTransport } from "./transport/tcp.ts";
import type { Transport, TransportLimits } from "./transport/types.ts";
import { VERSION } from "./version.ts";

/** How a refused connection is retried. */
export interface RetryPolicy {
  /** Connection attempts in all (ecflow_client: 2). */
  attempts?: number;
  /**
   * Milliseconds between attempts. Default as ecflow_client: 1,000 for
   * `ping`, 10,000 for other user commands.
   */
  delayMs?: number;
}

/** Options of a {@linkcode Client}; all optional. */
export interface ClientOptions extends TransportLimits {
  /** Host, or `"host:port"`, `"host@port"`, `"[::1]:3141"`. */
  host?: string;
  /** Port, a number or decimal string. */
  port?: number | string;
  /** Environment to read `ECF_*` variables from (default: the process environment). */
  env?: EnvReader;
  /** User name sent with user commands (default: `ECF_USER`, `USER`, `LOGNAME`). */
  user?: string;
  /** Host name sent as `cl_host_` (default: this machine's). */
  clientHost?: string;
  /** Retry policy for refused connections. */
  retry?: RetryPolicy;
  /** The transport (default: plain TCP). */
  transport?: Transport;
  /** How host and port options are named in messages (the CLI uses `--host`/`--port`). */
  labels?: EndpointOptions["labels"];
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function connectFailed(e: unknown): boolean {
  return (e instanceof ConnectionError && e.reason === "refused") ||
    (e instanceof TimeoutError && e.phase === "connect");
}

/**
 * A client of one ecflow_server.
 *
 * @example Ping the server named by ECF_HOST/ECF_PORT (default localhost:3141)
 * ```ts ignore
 * import { Client } from "@ecflow-ts/client";
 * const client = new Client();
 * const ms = await client.ping();
 * console.log(`${client.getHost()}:${client.getPort()} answered in ${ms.toFixed(3)} ms`);
 * ```
 *
 * @example The constructor forms
 * ```ts
 * import { Client } from "@ecflow-ts/client";
 * console.log(new Client("oetzi:3444").getPort()); // "3444"
 * console.log(new Client("machineX", 4141).getHost()); // "machineX"
 * const c = new Client({ host: "localhost", port: 3199 });
 * c.setHostPort("machineX:4141");
 * console.log(c.getHost(), c.getPort()); // machineX 4141
 * ```
 */
export class Client {
  #options: ClientOptions;
  #endpoint: Endpoint;
  #transport: Transport;
  #env: EnvReader;
  /** The user and host names from the environment, read once (they cost permission queries). */
  #envUser?: string;
  #envHost?: string;
  #envTimeout?: { value: string | undefined };

  /** `new Client()`: `ECF_HOST`/`ECF_PORT`, then `localhost:3141`. */
  constructor(options?: ClientOptions);
  /** `new Client("host:port")` (also `"host@port"`, `"[::1]:3141"`). */
  constructor(hostPort: string, options?: ClientOptions);
  /** `new Client(host, port)`. */
  constructor(host: string, port: number | string, options?: ClientOptions);
  constructor(
    a?: string | ClientOptions,
    b?: number | string | ClientOptions,
    c?: ClientOptions,
  ) {
    let options: ClientOptions;
    if (typeof a === "string") {
      if (typeof b === "number" || typeof b === "string") {
        options = { ...c, host: a, port: b };
      } else {
        options = { ...b, host: a };
      }
    } else {
      options = { ...a };
    }
    this.#options = options;
    this.#env = options.env ?? readEnv;
    this.#endpoint = resolveEndpoint({
      host: options.host,
      port: options.port,
      env: this.#env,
      labels: options.labels ?? { host: "Client() host", port: "Client() port" },
    });
    this.#transport = options.transport ?? new TcpTransport(options);
  }

  /** Points the client at another server: `setHostPort("host:port")` or `setHostPort(host, port)`. */
  setHostPort(hostPort: string): void;
  /** Points the client at another server. */
  setHostPort(host: string, port: number | string): void;
  setHostPort(host: string, port?: number | string): void {
    this.#endpoint = resolveEndpoint({
      host,
      port,
      env: () => undefined,
      labels: { host: "setHostPort() host", port: "setHostPort() port" },
    });
  }

  /** The server host. */
  getHost(): string {
    return this.#endpoint.host;
  }

  /** The server port, as text (as Python's `get_port()`). */
  getPort(): string {
    return String(this.#endpoint.port);
  }

  /** The resolved endpoint with where host and port came from. */
  get endpoint(): Endpoint {
    return this.#endpoint;
  }

  /** The transport in use (`tcp`, `tls`, `http`, `https`). */
  get transportKind(): string {
    return this.#transport.kind;
  }

  /** The ecflow-ts version (Python's `version()` gives the client's version too). */
  version(): string {
    return VERSION;
  }

  /** Checks the server answers; resolves with the round trip in milliseconds. */
  async ping(): Promise<number> {
    let rtt = 0;
    await this.invoke(pingCommand(), (ms) => rtt = ms);
    return rtt;
  }

  /** The server's version, e.g. `5.9.2`. */
  async serverVersion(): Promise<string> {
    const reply = await this.invoke(serverVersionCommand());
    if (reply.kind !== "string") throw unexpected(reply, "--server_version");
    return reply.value;
  }

  /** The identity user commands are sent with. */
  userIdentity(): Identity {
    return {
      kind: "user",
      user: {
        user: this.#options.user ?? (this.#envUser ??= userName(this.#env)),
        clientHost: this.#options.clientHost ?? (this.#envHost ??= clientHostName(this.#env)),
      },
    };
  }

  /**
   * Sends one command and returns the decoded reply, retrying a refused
   * connection as ecflow_client does. An `ErrorCmd` reply becomes a
   * {@linkcode ServerError}. Low level: prefer the named methods.
   */
  async invoke(
    cmd: Command,
    onRoundTrip?: (ms: number) => void,
    identity: Identity = this.userIdentity(),
  ): Promise<Reply> {
    const payload = encodeRequest(cmd, identity);
    const retry = this.#options.retry ?? {};
    const attempts = Math.max(1, retry.attempts ?? 2);
    const delayMs = retry.delayMs ?? (cmd.label === "--ping" ? 1000 : 10_000);
    const target = { host: this.#endpoint.host, port: this.#endpoint.port };
    const replyTimeoutMs = this.#replyTimeoutMs(cmd);
    let bytes: Uint8Array | undefined;
    for (let attempt = 1; bytes === undefined; attempt++) {
      const t0 = performance.now();
      try {
        bytes = await this.#transport.exchange(target, payload, { replyTimeoutMs });
        onRoundTrip?.(performance.now() - t0);
      } catch (e) {
        if (!connectFailed(e)) throw e;
        if (attempt >= attempts) {
          const detail = (e as Error).message.replace(/^.*?: /, "");
          throw new ConnectionError(
            `cannot connect (${detail}) after ${attempts} attempt${attempts > 1 ? "s" : ""}`,
            target,
            (e as ConnectionError).reason ?? "timeout",
            { cause: e },
          );
        }
        await sleep(delayMs);
      }
    }
    const reply = decodeReply(bytes);
    if (reply.kind === "error") throw new ServerError(reply.message, cmd.label);
    return reply;
  }

  #replyTimeoutMs(cmd: Command): number {
    if (this.#options.replyTimeoutMs !== undefined) return this.#options.replyTimeoutMs;
    const override = (this.#envTimeout ??= { value: this.#env("ECF_CONNECT_TIMEOUT") }).value;
    if (override !== undefined && override.trim() !== "") {
      const s = Number(override);
      if (!Number.isFinite(s) || s <= 0) {
        throw new ConfigError(
          `invalid ECF_CONNECT_TIMEOUT '${override}': expected a positive number of seconds`,
        );
      }
      return s * 1000;
    }
    return (cmd.timeoutSeconds ?? 60) * 1000;
  }
  // ---- child commands (issue 4)
  // Python's child API (set_child_* / child_*) in camelCase; the context is
  // read from ECF_NAME, ECF_PASS, ECF_RID, ECF_TRYNO, ECF_HOSTFILE,
  // ECF_TIMEOUT, ECF_ZOMBIE_TIMEOUT, ECF_DENIED, NO_ECF on first use. The
  // retry / fail-over / zombie loop lives in lib/child.ts.

  #childCtx?: ChildContext;
  #childNotice?: (n: ChildNotice) => void;

  /** The job context child commands are sent with (read from the environment on first use). */
  get childContext(): ChildContext {
    return this.#childCtx ??= readChildContext(this.#env);
  }

  /** Sets the task path (`ECF_NAME`). */
  setChildPath(path: string): void {
    this.childContext.path = path;
  }

  /** Sets the jobs password (`ECF_PASS`). */
  setChildPassword(password: string): void {
    this.childContext.password = password;
  }

  /** Sets the process or remote id (`ECF_RID`). */
  setChildPid(pid: string | number): void {
    this.childContext.remoteId = String(pid);
  }

  /** Sets the try number (`ECF_TRYNO`). */
  setChildTryNo(tryNo: number): void {
    this.childContext.tryNo = tryNo;
  }

  /** Seconds a child command keeps trying in all (`ECF_TIMEOUT`; not clamped, as Python's). */
  setChildTimeout(seconds: number): void {
    this.childContext.timings.timeoutMs = seconds * 1000;
  }

  /** Seconds a blocked zombie keeps trying (`ECF_ZOMBIE_TIMEOUT`; not clamped). */
  setZombieChildTimeout(seconds: number): void {
    this.childContext.timings.zombieTimeoutMs = seconds * 1000;
  }

  /** The file of alternative servers (`ECF_HOSTFILE`). */
  setChildHostFile(path: string): void {
    this.childContext.hostFile = path;
  }

  /** `ECF_DENIED`: give up after the attempts on the first server. */
  setChildDenied(denied: boolean): void {
    this.childContext.denied = denied;
  }

  /** `NO_ECF`: child commands succeed without contacting any server. */
  setChildNoEcf(noEcf: boolean): void {
    this.childContext.noEcf = noEcf;
  }

  /** Variables `childInit` adds to the task. */
  setChildInitAddVars(vars: Record<string, string> | TaskVariable[]): void {
    this.childContext.initAddVars = Array.isArray(vars)
      ? [...vars]
      : Object.entries(vars).map(([name, value]) => ({ name, value }));
  }

  /** Variables `childComplete` removes from the task. */
  setChildCompleteDelVars(names: string[]): void {
    this.childContext.completeDelVars = [...names];
  }

  /** Retry timings (ecflow-ts extension; defaults as ecflow_client, or `ECF_TS_CHILD_*`). */
  setChildTimings(timings: Partial<ChildTimings>): void {
    Object.assign(this.childContext.timings, timings);
  }

  /** Receives the lines ecflow_client would print while retrying (default: none). */
  onChildNotice(handler: ((n: ChildNotice) => void) | undefined): void {
    this.#childNotice = handler;
  }

  #childReady(): ChildContext {
    const c = this.childContext;
    if (!c.noEcf) {
      if (c.path === "") throw new ConfigError("Child Path not set (ECF_NAME)");
      if (c.password === "") throw new ConfigError("Child password not set (ECF_PASS)");
      if (c.remoteId === "") throw new ConfigError("Child pid not set (ECF_RID)");
      if (c.tryNo === 0) throw new ConfigError("Child try_no not set (ECF_TRYNO)");
    }
    return c;
  }

  /**
   * Sends a task command with the job context, retrying as ecflow_client does.
   * Low level: the CLI uses it; prefer the named `child*` methods.
   */
  invokeChild(cmd: Command): Promise<Reply> {
    const c = this.childContext;
    const src = this.#endpoint;
    const timings = { ...c.timings };
    if (this.#options.retry?.attempts !== undefined) {
      timings.attempts = this.#options.retry.attempts;
    }
    if (this.#options.retry?.delayMs !== undefined) {
      timings.retryDelayMs = this.#options.retry.delayMs;
    }
    const replyTimeoutMs = this.#replyTimeoutMs(cmd);
    return sendChildCommand(
      cmd,
      {
        clientHost: this.#options.clientHost ?? clientHostName(this.#env),
        path: c.path,
        jobsPassword: c.password,
        remoteId: c.remoteId,
        tryNo: c.tryNo,
      },
      { ...c, timings },
      {
        main: { host: src.host, port: src.port },
        useHostFile: src.hostSource.kind !== "option" && src.portSource.kind !== "option",
      },
      {
        exchange: (target, payload) =>
          this.#transport.exchange(target, payload, { replyTimeoutMs }),
        now: () => performance.now(),
        sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
        readHostFile: (path) => Deno.readTextFile(path),
        notice: (n) => this.#childNotice?.(n),
      },
    );
  }

  /** The job started: the task becomes active (`--init`). */
  async childInit(): Promise<void> {
    const c = this.#childReady();
    await this.invokeChild(initCommand(c.path, c.initAddVars));
  }

  /** The job finished: the task becomes complete (`--complete`). */
  async childComplete(): Promise<void> {
    const c = this.#childReady();
    await this.invokeChild(completeCommand(c.path, c.completeDelVars));
  }

  /** The job failed: the task becomes aborted (`--abort`). */
  async childAbort(reason = ""): Promise<void> {
    await this.invokeChild(abortCommand(this.#childReady().path, reason));
  }

  /** Sets (or clears) an event, by name or number (`--event`). */
  async childEvent(name: string | number, value = true): Promise<void> {
    await this.invokeChild(eventCommand(this.#childReady().path, String(name), value));
  }

  /** Sets a meter (`--meter`). */
  async childMeter(name: string, value: number): Promise<void> {
    await this.invokeChild(meterCommand(this.#childReady().path, name, value));
  }

  /** Sets a label's text (`--label`). */
  async childLabel(name: string, value: string): Promise<void> {
    await this.invokeChild(labelCommand(this.#childReady().path, name, value));
  }

  /** Waits until a trigger expression holds (`--wait`). */
  async childWait(expression: string): Promise<void> {
    await this.invokeChild(waitCommand(this.#childReady().path, expression));
  }

  /**
   * Works a queue (`--queue`): `active` returns the next step (`<NULL>` when
   * none is left), `no_of_aborted` a count, the others an empty string.
   */
  async childQueue(name: string, action: QueueAction, step = "", queuePath = ""): Promise<string> {
    const reply = await this.invokeChild(
      queueCommand(this.#childReady().path, { name, action, step, queuePath }),
    );
    return reply.kind === "string" ? reply.value : "";
  }
  // ---- end of child commands (issue 4)
}

/** A reply of a class the command does not produce. */
export function unexpected(reply: Reply, label: string): ProtocolError {
  return new ProtocolError(`unexpected '${reply.kind}' reply to ${label}`);
}
