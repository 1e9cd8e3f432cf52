/**
 * The task (job) client: the `ECF_*` context of a job and the task commands a job sends
 * (`--init`, `--event`, `--meter`, `--label`, `--wait`, `--queue`, `--complete`, `--abort`),
 * each retried, failed over and blocked as ecflow_client does (`task_loop.ts`).
 *
 * @module
 */
import { readUserFile } from "../files.ts";
import { ConfigError } from "../errors.ts";
import type { Request } from "../requests/request.ts";
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
} from "../requests/task.ts";
import type { CallOptions, ClientOptions } from "./options.ts";
import { Invoker } from "./invoker.ts";
import { type ChildContext, readChildContext } from "./job_context.ts";
import { type ChildNotice, sendChildCommand } from "./task_loop.ts";
import { sleep } from "./retry.ts";

/** Set only while `taskClientFor()` constructs a task client over an existing invoker. */
let sharedInvoker: Invoker | undefined;

/** A task client sharing `invoker` (a `Client`'s endpoint, transport, identity and signal). */
export function taskClientFor(invoker: Invoker): TaskClient {
  sharedInvoker = invoker;
  try {
    return new TaskClient();
  } finally {
    sharedInvoker = undefined;
  }
}

/**
 * A job's client: its context comes from `ECF_NAME`, `ECF_PASS`, `ECF_RID`, `ECF_TRYNO`,
 * `ECF_HOSTFILE`, `ECF_TIMEOUT`, `ECF_ZOMBIE_TIMEOUT`, `ECF_DENIED`, `NO_ECF` (read on first
 * use) and can be changed through {@linkcode TaskClient.context}.
 *
 * @example A job written in TypeScript
 * ```ts ignore
 * import { TaskClient } from "@ecflow-ts/client";
 * await using job = new TaskClient(); // ECF_HOST/ECF_PORT and the job's ECF_* variables
 * await job.init();
 * await job.meter("progress", 50);
 * await job.label("info", "half way");
 * await job.complete();
 * ```
 *
 * @example The context, from the environment and changed afterwards
 * ```ts
 * import { envFrom, TaskClient } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * const job = new TaskClient({ env: envFrom({ ECF_NAME: "/s/t", ECF_PASS: "pw", ECF_RID: "42" }) });
 * job.context.tryNo = 2;
 * assertEquals([job.context.path, job.context.remoteId, job.context.tryNo], ["/s/t", "42", 2]);
 * ```
 */
export class TaskClient implements AsyncDisposable {
  #invoker: Invoker;
  #ownsInvoker: boolean;
  #context?: ChildContext;
  #notice?: (n: ChildNotice) => void;

  /** A task client with its own endpoint, transport and identity (`options` as a `Client`'s). */
  constructor(options: ClientOptions = {}) {
    this.#ownsInvoker = sharedInvoker === undefined;
    this.#invoker = sharedInvoker ?? new Invoker(options);
  }

  /** The job context task commands are sent with; read from the environment on first use. */
  get context(): ChildContext {
    return this.#context ??= readChildContext(this.#invoker.env);
  }

  /** Receives the lines ecflow_client would print while retrying (default: none). */
  onNotice(handler: ((n: ChildNotice) => void) | undefined): void {
    this.#notice = handler;
  }

  /** The context, checked: a task command needs the task path, password, id and try number. */
  #ready(): ChildContext {
    const c = this.context;
    if (!c.noEcf) {
      if (c.path === "") throw new ConfigError("Child Path not set (ECF_NAME)");
      if (c.password === "") throw new ConfigError("Child password not set (ECF_PASS)");
      if (c.remoteId === "") throw new ConfigError("Child pid not set (ECF_RID)");
      if (c.tryNo === 0) throw new ConfigError("Child try_no not set (ECF_TRYNO)");
    }
    return c;
  }

  /**
   * Sends a task request with the job's identity, retrying, failing over and waiting as
   * ecflow_client does; resolves with its decoded result. Under `NO_ECF` nothing is sent and
   * the result is that of a plain acknowledgement.
   */
  async request<T>(req: Request<T>, options?: CallOptions): Promise<T> {
    const c = this.context;
    const invoker = this.#invoker;
    const ep = invoker.endpoint;
    const signal = invoker.signal(options);
    const timings = { ...c.timings };
    const retry = invoker.retry;
    if (retry?.attempts !== undefined) timings.attempts = retry.attempts;
    if (retry?.delayMs !== undefined) timings.retryDelayMs = retry.delayMs;
    const reply = await sendChildCommand(
      req,
      invoker.who.task(c),
      { ...c, timings },
      {
        main: { host: ep.host, port: ep.port },
        useHostFile: ep.hostSource.kind !== "option" && ep.portSource.kind !== "option",
      },
      {
        exchange: (target, payload) => invoker.exchange(target, payload, req, signal),
        now: () => performance.now(),
        sleep: (ms) => sleep(ms, signal),
        readHostFile: (path) => readUserFile(path, "ECF_HOSTFILE"),
        notice: (n) => this.#notice?.(n),
      },
    );
    return req.decode(reply);
  }

  /** The job started: the task becomes active (`--init`), with the context's `initAddVars`. */
  async init(options?: CallOptions): Promise<void> {
    const c = this.#ready();
    await this.request(initCommand(c.path, c.initAddVars), options);
  }

  /** The job finished: the task becomes complete (`--complete`), removing `completeDelVars`. */
  async complete(options?: CallOptions): Promise<void> {
    const c = this.#ready();
    await this.request(completeCommand(c.path, c.completeDelVars), options);
  }

  /** The job failed: the task becomes aborted (`--abort`). */
  async abort(reason = "", options?: CallOptions): Promise<void> {
    await this.request(abortCommand(this.#ready().path, reason), options);
  }

  /** Sets an event, by name or number (`--event`); `{ value: false }` clears it. */
  async event(
    name: string | number,
    options: CallOptions & { value?: boolean } = {},
  ): Promise<void> {
    const req = eventCommand(this.#ready().path, String(name), options.value ?? true);
    await this.request(req, options);
  }

  /** Sets a meter (`--meter`). */
  async meter(name: string, value: number, options?: CallOptions): Promise<void> {
    await this.request(meterCommand(this.#ready().path, name, value), options);
  }

  /** Sets a label's text (`--label`). */
  async label(name: string, value: string, options?: CallOptions): Promise<void> {
    await this.request(labelCommand(this.#ready().path, name, value), options);
  }

  /** Waits until a trigger expression holds (`--wait`); its signal ends the wait. */
  async wait(expression: string, options?: CallOptions): Promise<void> {
    await this.request(waitCommand(this.#ready().path, expression), options);
  }

  /**
   * Works a queue (`--queue`): `active` returns the next step (`<NULL>` when none is left),
   * `no_of_aborted` a count, the other actions an empty string.
   */
  async queue(
    name: string,
    action: QueueAction,
    options: CallOptions & { step?: string; queuePath?: string } = {},
  ): Promise<string> {
    const { step = "", queuePath = "" } = options;
    const text = await this.request(
      queueCommand(this.#ready().path, { name, action, step, queuePath }),
      options,
    );
    return text ?? "";
  }

  /** Sets the variables `init()` adds to the task. */
  setInitAddVars(vars: Record<string, string> | readonly TaskVariable[]): void {
    this.context.initAddVars = Array.isArray(vars)
      ? [...vars]
      : Object.entries(vars).map(([name, value]) => ({ name, value }));
  }

  /**
   * Cancels every task command in progress (and later ones) and releases the connection
   * resources, when this task client has its own; one made by a `Client` shares the client's
   * and is closed with it.
   */
  close(): void {
    if (this.#ownsInvoker) this.#invoker.close();
  }

  /** `await using job = new TaskClient()`: closes it at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void> {
    this.close();
    return Promise.resolve();
  }
}
