/**
 * The `Client`: Python's `ecflow.Client` in camelCase, composed from endpoint
 * resolution, identity, the wire codec and a transport.
 *
 * @module
 */
import { readUserFile } from "./files.ts";
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
import { type Command, encodeRequest, type Identity, type UserIdentity } from "./wire/request.ts";
import { decodeReply, type Reply } from "./wire/reply.ts";
import { pingCommand, serverVersionCommand } from "./wire/user_commands.ts";
// user commands (issue 3)
import {
  type ALTER_FLAG,
  type Alteration,
  alterCommand,
  beginCommand,
  type CheckPtArgs,
  checkPtCommand,
  clientHandleCommand,
  ctsCommand,
  ctsNodeCommand,
  deleteCommand,
  editScriptCommand,
  fileCommand,
  type FileKind,
  forceCommand,
  type ForceState,
  freeDepCommand,
  groupCommand,
  loadDefsCommand,
  logCommand,
  logMessageCommand,
  orderCommand,
  type OrderOption,
  pathsCommand,
  plugCommand,
  queryCommand,
  type QueryType,
  replaceCommand,
  requeueCommand,
  runCommand,
  zombieCommand,
} from "./wire/user_commands.ts";
import type { Zombie, ZombieAction } from "./wire/reply.ts";
// The definition parser, printers and the why-evaluator are loaded on first use: a
// ping or a child command in a job script starts faster without them.
import type { Defs } from "./defs/model.ts";
import type { LocalCopy, SyncOptions, SyncResult } from "./sync/local_copy.ts";
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
// transports and identity (issue 6)
import { type IdentityOptions, resolveUserIdentity } from "./auth/credentials.ts";
import { chooseTransport, selectTransport, type TransportSelection } from "./transport/select.ts";
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
export interface ClientOptions extends TransportLimits, TransportSelection, IdentityOptions {
  /** Host, or `"host:port"`, `"host@port"`, `"[::1]:3141"`. */
  host?: string;
  /** Port, a number or decimal string. */
  port?: number | string;
  /** Environment to read `ECF_*` variables from (default: the process environment). */
  env?: EnvReader;
  /** Login name sent with user commands when there is no custom user (default: `USER`, `LOGNAME`). */
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
  /** The user identity last resolved, and the inputs it was resolved from. */
  #identity?: { key: string; user: UserIdentity };

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
    this.#transport = options.transport ?? this.#selectTransport();
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
    const inputs = {
      host: this.#endpoint.host,
      port: this.#endpoint.port,
      clientHost: this.#localHost(),
      customUser: this.#options.customUser,
      password: this.#options.password,
      loginName: this.#options.user ?? (this.#envUser ??= userName(this.#env)),
    };
    // Resolved once per set of inputs, as ecflow_client reads its environment and password
    // files once: the DES crypt alone costs ~0.7 ms, too much for every request.
    const key = JSON.stringify(inputs);
    if (this.#identity?.key !== key) {
      this.#identity = { key, user: resolveUserIdentity({ ...inputs, env: this.#env }) };
    }
    return { kind: "user", user: { ...this.#identity.user } };
  }

  // ---- transports and identity (issue 6)
  // Python's enable_ssl()/enable_http()/enable_https()/set_user_name()/set_password().

  #localHost(): string {
    return this.#options.clientHost ?? (this.#envHost ??= clientHostName(this.#env));
  }

  #selectTransport(): Transport {
    // This machine's name matters only for TLS certificate names: not looked up otherwise.
    const tls = chooseTransport(this.#options, this.#env).kind === "tls";
    return selectTransport(
      { ...this.#options, localHost: tls ? this.#localHost() : undefined },
      this.#env,
    );
  }

  /**
   * Uses TLS from now on (Python's `enable_ssl()`, `--ssl`): the server's
   * certificate is looked for as `server.crt`, then `<host>.<port>.crt`, in
   * `~/.ecflowrc/ssl/`.
   */
  enableSsl(): void {
    this.#options = { ...this.#options, ssl: true, transport: undefined };
    this.#transport = this.#selectTransport();
  }

  /** Stops using TLS, even when `ECF_SSL` is set (Python's `disable_ssl()`). */
  disableSsl(): void {
    this.#options = { ...this.#options, ssl: false, transport: undefined };
    this.#transport = this.#selectTransport();
  }

  /** Uses HTTP from now on (Python's `enable_http()`; ecFlow 5.14+ servers run with `--http`). TLS, when enabled, still wins. */
  enableHttp(): void {
    this.#options = { ...this.#options, http: true, transport: undefined };
    this.#transport = this.#selectTransport();
  }

  /** Uses HTTPS from now on (Python's `enable_https()`, through an HTTPS proxy). TLS, when enabled, still wins. */
  enableHttps(): void {
    this.#options = { ...this.#options, https: true, transport: undefined };
    this.#transport = this.#selectTransport();
  }

  /** Sends user commands as the custom user `name` (Python's `set_user_name()`); it needs a password. */
  setUserName(name: string): void {
    this.#options = { ...this.#options, customUser: name };
  }

  /** The plain password to send, crypted, with user commands (Python's `set_password()`). */
  setPassword(password: string): void {
    this.#options = { ...this.#options, password };
  }

  // ---- end of transports and identity (issue 6)

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
    return (await this.#invokeSized(cmd, onRoundTrip, identity)).reply;
  }

  /** {@linkcode Client.invoke}, also giving the reply payload's size in bytes. */
  async #invokeSized(
    cmd: Command,
    onRoundTrip?: (ms: number) => void,
    identity: Identity = this.userIdentity(),
  ): Promise<{ reply: Reply; bytes: number }> {
    const payload = encodeRequest(cmd, identity);
    await this.#refuseUnknownSyncHandles(cmd, identity);
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
    return { reply, bytes: bytes.length };
  }

  // ---- user commands (issue 3)
  // Python's ecflow.Client user commands in camelCase. Paths may be one string
  // or many. Every argument is checked by the builders before anything is sent.

  /** The local copy of the server's definition (loaded on first use). */
  #copy?: LocalCopy;
  #handle = 0;

  async #localCopy(): Promise<LocalCopy> {
    if (this.#copy) return this.#copy;
    const { LocalCopy } = await import("./sync/local_copy.ts");
    this.#copy = new LocalCopy({ send: (cmd) => this.#invokeSized(cmd) });
    this.#copy.useHandle(this.#handle);
    return this.#copy;
  }

  /** Sends `cmd`; the reply must be a plain acknowledgement. */
  async #ack(cmd: Command): Promise<void> {
    const reply = await this.invoke(cmd);
    if (reply.kind !== "stc") throw unexpected(reply, cmd.label);
  }

  /** Sends `cmd`; the reply must be text (`SStringCmd`). */
  async #text(cmd: Command): Promise<string> {
    const reply = await this.invoke(cmd);
    if (reply.kind !== "string") throw unexpected(reply, cmd.label);
    return reply.value;
  }

  /**
   * Definition text of the whole server (`path` empty) or of one node, as the
   * server sends it (NET style): `get`, `get_state` and `migrate` differ only
   * in how ecflow_client prints it.
   */
  async getDefsText(api: "get" | "get_state" | "migrate" = "get", path = ""): Promise<string> {
    const cmd = ctsNodeCommand(api, path);
    const reply = await this.invoke(cmd);
    if (reply.kind === "defs" || reply.kind === "node") return reply.text;
    throw unexpected(reply, cmd.label);
  }

  /** Fetches the whole definition (NET text) and keeps it as the local copy. */
  async getServerDefs(): Promise<Defs> {
    return await (await this.#localCopy()).fetch();
  }

  /**
   * The local copy of the definition as a tree (from `getServerDefs`/`syncLocal`), if any;
   * its `text` is the last whole NET text the server sent.
   */
  getDefs(): Defs | undefined {
    return this.#copy?.defs;
  }

  /** The client handle in use for news and sync (0 = all suites). */
  chHandle(): number {
    return this.#handle;
  }

  /**
   * Whether the server changed since the local copy was taken (`CSyncCmd`
   * NEWS with the local change numbers). True when there is no local copy.
   */
  async newsLocal(): Promise<boolean> {
    return await (await this.#localCopy()).news();
  }

  /**
   * Brings the local copy up to date and returns it: news, then the changes only
   * (incremental sync); the whole definition when there is no copy yet or the server
   * sends it. {@linkcode Client.sync} also tells which it was and what it cost.
   */
  async syncLocal(): Promise<Defs> {
    return (await this.sync()).defs;
  }

  /** {@linkcode Client.syncLocal}, with what the sync did: kind, bytes, milliseconds. */
  async sync(options: SyncOptions = {}): Promise<SyncResult> {
    return await (await this.#localCopy()).sync(options);
  }

  /** The names of the server's suites. */
  async suites(): Promise<string[]> {
    const reply = await this.invoke(ctsCommand("suites"));
    if (reply.kind !== "suites") throw unexpected(reply, "--suites");
    return reply.suites;
  }

  /** The server statistics as ecflow_client `--stats` prints them. */
  async stats(): Promise<string> {
    return await this.#text(ctsCommand("stats"));
  }

  /** The raw statistics values (`--stats_server`, `SStatsCmd`), in the server's order. */
  async statsServer(): Promise<unknown[]> {
    const reply = await this.invoke(ctsCommand("stats_server"));
    if (reply.kind !== "stats") throw unexpected(reply, "--stats_server");
    return reply.values;
  }

  /** Resets the server's request statistics. */
  async statsReset(): Promise<void> {
    return await this.#ack(ctsCommand("stats_reset"));
  }

  /**
   * Parses and checks a definition locally, as ecflow_client does, and returns
   * the NET text a load sends (no `extern` lines). A definition that does not
   * parse or check is a {@linkcode ConfigError} naming file, line and problem.
   */
  async #defsForServer(source: string | { text: string; fileName?: string }) {
    let text: string, fileName: string;
    if (typeof source === "string") {
      fileName = source;
      text = await readUserFile(source, "definition file");
    } else {
      text = source.text;
      fileName = source.fileName ?? "<text>";
    }
    const { checkDefsText, formatIssue, loadDefsText } = await import("./defs/mod.ts");
    const checked = checkDefsText(text, { fileName });
    if (checked.errors.length > 0 || !checked.defs) {
      throw new ConfigError(checked.errors.map(formatIssue).join("\n"));
    }
    const netText = loadDefsText(checked.defs, { hostName: clientHostName(this.#env) });
    return { defs: checked.defs, netText, fileName, warnings: checked.warnings.map(formatIssue) };
  }

  /**
   * Loads a definition: a file path, or `{ text }`. With `checkOnly` it is only
   * parsed and checked locally (nothing is sent). Resolves with the check's
   * warnings (lines of text).
   */
  async load(
    source: string | { text: string; fileName?: string },
    options: { force?: boolean; checkOnly?: boolean } = {},
  ): Promise<string[]> {
    const prepared = await this.#defsForServer(source);
    if (!options.checkOnly) {
      await this.#ack(
        loadDefsCommand(prepared.netText, { force: options.force, fileName: prepared.fileName }),
      );
    }
    return prepared.warnings;
  }

  /**
   * Replaces the node at `path` with the node of that path in a definition
   * (file path or `{ text }`); `parent` creates missing parents (default true).
   */
  async replace(
    path: string,
    source: string | { text: string; fileName?: string },
    options: { parent?: boolean; force?: boolean } = {},
  ): Promise<void> {
    const prepared = await this.#defsForServer(source);
    if (!prepared.defs.find(path)) {
      throw new ConfigError(
        `replace: node '${path}' is not in the definition '${prepared.fileName}'`,
      );
    }
    await this.#ack(replaceCommand(path, prepared.netText, {
      createParents: options.parent ?? true,
      force: options.force,
      fileName: prepared.fileName,
    }));
  }

  /** Begins one suite. */
  async beginSuite(suite: string, force = false): Promise<void> {
    if (suite === "") throw new ConfigError("beginSuite: no suite name given");
    return await this.#ack(beginCommand(suite, { force }));
  }

  /** Begins every suite. */
  async beginAllSuites(force = false): Promise<void> {
    return await this.#ack(beginCommand("", { force }));
  }

  /** Suspends nodes. */
  async suspend(paths: string | string[]): Promise<void> {
    return await this.#ack(pathsCommand("suspend", paths));
  }

  /** Resumes nodes. */
  async resume(paths: string | string[]): Promise<void> {
    return await this.#ack(pathsCommand("resume", paths));
  }

  /** Kills the jobs of nodes (the server runs `ECF_KILL_CMD`). */
  async kill(paths: string | string[]): Promise<void> {
    return await this.#ack(pathsCommand("kill", paths));
  }

  /** Asks for the status of jobs (the server runs `ECF_STATUS_CMD`). */
  async status(paths: string | string[]): Promise<void> {
    return await this.#ack(pathsCommand("status", paths));
  }

  /** Archives nodes (their children are written to disk and removed). */
  async archive(paths: string | string[]): Promise<void> {
    return await this.#ack(pathsCommand("archive", paths));
  }

  /** Restores archived nodes. */
  async restore(paths: string | string[]): Promise<void> {
    return await this.#ack(pathsCommand("restore", paths));
  }

  /** Checks triggers and limits of nodes (none = everything); resolves with the findings ("" if none). */
  async check(paths: string | string[] = []): Promise<string> {
    return await this.#text(pathsCommand("check", paths));
  }

  /** The edit history of a node, one entry per line (`"clear"` clears all history). */
  async editHistory(path: string): Promise<string[]> {
    const reply = await this.invoke(pathsCommand("edit_history", path));
    if (reply.kind === "stringVec") return reply.values;
    if (reply.kind === "stc") return [];
    throw unexpected(reply, "--edit_history");
  }

  /** Deletes nodes. */
  async delete(paths: string | string[], force = false): Promise<void> {
    const list = typeof paths === "string" ? [paths] : paths;
    if (list.length === 0) throw new ConfigError("delete: no paths given (use deleteAll)");
    return await this.#ack(deleteCommand(list, { force }));
  }

  /** Deletes every suite. */
  async deleteAll(force = false): Promise<void> {
    return await this.#ack(deleteCommand([], { force }));
  }

  /** Requeues nodes; `abort` only requeues aborted tasks, `force` even active ones. */
  async requeue(paths: string | string[], option: "" | "abort" | "force" = ""): Promise<void> {
    return await this.#ack(requeueCommand(paths, option === "" ? "none" : option));
  }

  /** Re-orders a node among its siblings. */
  async order(path: string, option: OrderOption): Promise<void> {
    return await this.#ack(orderCommand(path, option));
  }

  /** Submits tasks now, ignoring dependencies; `force` even when active or submitted. */
  async run(paths: string | string[], force = false): Promise<void> {
    return await this.#ack(runCommand(paths, { force }));
  }

  /** Forces nodes into a state. */
  async forceState(paths: string | string[], state: ForceState): Promise<void> {
    return await this.#ack(forceCommand(paths, state));
  }

  /** Forces nodes and everything below them into a state. */
  async forceStateRecursive(paths: string | string[], state: ForceState): Promise<void> {
    return await this.#ack(forceCommand(paths, state, { recursive: true }));
  }

  /** Sets or clears events: paths are `path:event`. */
  async forceEvent(paths: string | string[], action: "set" | "clear"): Promise<void> {
    return await this.#ack(forceCommand(paths, action));
  }

  /** Frees trigger dependencies. */
  async freeTriggerDep(paths: string | string[]): Promise<void> {
    return await this.#ack(freeDepCommand(paths, { trigger: true }));
  }

  /** Frees date dependencies. */
  async freeDateDep(paths: string | string[]): Promise<void> {
    return await this.#ack(freeDepCommand(paths, { date: true }));
  }

  /** Frees time dependencies (time, today, cron). */
  async freeTimeDep(paths: string | string[]): Promise<void> {
    return await this.#ack(freeDepCommand(paths, { time: true }));
  }

  /** Frees every dependency. */
  async freeAllDep(paths: string | string[]): Promise<void> {
    return await this.#ack(freeDepCommand(paths, { all: true }));
  }

  /**
   * Alters attributes, as Python's `alter(paths, alter_type, attr_type, name, value)`:
   * `alter("/s", "add", "variable", "X", "1")`, `alter("/s", "set_flag", "late")`,
   * `alter("/s", "sort", "event", "recursive")`, or with an {@linkcode Alteration}.
   */
  async alter(
    paths: string | string[],
    action: Alteration | Alteration["action"],
    kind = "",
    name = "",
    value = "",
  ): Promise<void> {
    let alt: Alteration;
    if (typeof action !== "string") alt = action;
    else if (action === "set_flag" || action === "clear_flag") {
      alt = { action, flag: kind as keyof typeof ALTER_FLAG };
    } else if (action === "sort") {
      alt = {
        action,
        kind: kind as Extract<Alteration, { action: "sort" }>["kind"],
        recursive: name === "recursive" || value === "recursive",
      };
    } else {
      alt = { action, kind, name, value } as Alteration;
    }
    return await this.#ack(alterCommand(paths, alt));
  }

  /** Sorts attributes of a kind (`event`, `meter`, `label`, `variable`, `limit`, `all`), as Python's `sort_attributes`. */
  async sortAttributes(
    paths: string | string[],
    kind: Extract<Alteration, { action: "sort" }>["kind"],
    recursive = true,
  ): Promise<void> {
    return await this.#ack(alterCommand(paths, { action: "sort", kind, recursive }));
  }

  /** A node's file: `script`, `job`, `jobout`, `manual`, `kill` or `stat`. */
  async getFile(path: string, kind: FileKind = "script", maxLines = 10000): Promise<string> {
    return await this.#text(fileCommand(path, kind, maxLines));
  }

  /** The task's script as the server finds it (`--edit_script=<path> edit`). */
  async editScriptEdit(path: string): Promise<string> {
    return await this.#text(editScriptCommand(path, "edit"));
  }

  /** The task's script after pre-processing (includes expanded). */
  async editScriptPreprocess(path: string): Promise<string> {
    return await this.#text(editScriptCommand(path, "pre_process"));
  }

  /** Pre-processes a user-supplied script (one string per line) in the task's context. */
  async editScriptPreprocessFile(path: string, lines: string[]): Promise<string> {
    return await this.#text(editScriptCommand(path, "pre_process_file", { fileContents: lines }));
  }

  /** Submits the task with user variables, optionally with an edited script (one string per line). */
  async editScriptSubmit(
    path: string,
    variables: Record<string, string> | [string, string][] = [],
    lines: string[] = [],
    createAlias = false,
    run = true,
  ): Promise<void> {
    const userVariables = Array.isArray(variables) ? variables : Object.entries(variables);
    const type = lines.length > 0 ? "submit_file" : "submit";
    return await this.#ack(
      editScriptCommand(path, type, { userVariables, fileContents: lines, createAlias, run }),
    );
  }

  /**
   * Asks the server about a node: `query("state", "/s/t")`,
   * `query("event", "/s/t", "ev")`, `query("trigger", "/s/t", "t1 == complete")`.
   */
  async query(type: QueryType, path: string, attribute = ""): Promise<string> {
    return await this.#text(queryCommand(type, path, attribute));
  }

  /** Moves node `source` under `dest` (a path, or `host:port[/path]` of another server). */
  async plug(source: string, dest: string): Promise<void> {
    return await this.#ack(plugCommand(source, dest));
  }

  /** The last `lines` lines of the server log. */
  async getLog(lines = 100): Promise<string> {
    return await this.#text(logCommand("get", { lines }));
  }

  /** The server log's path. */
  async getLogPath(): Promise<string> {
    return await this.#text(logCommand("path"));
  }

  /** Closes the log and opens a new one (at `path`, or ECF_LOG). */
  async newLog(path = ""): Promise<void> {
    return await this.#ack(logCommand("new", { newPath: path }));
  }

  /** Clears the server log. */
  async clearLog(): Promise<void> {
    return await this.#ack(logCommand("clear"));
  }

  /** Flushes and closes the server log. */
  async flushLog(): Promise<void> {
    return await this.#ack(logCommand("flush"));
  }

  /** Writes a message into the server log. */
  async logMsg(message: string): Promise<void> {
    return await this.#ack(logMessageCommand(message));
  }

  /** Saves a check point now, or changes the check-point policy. */
  async checkpt(args: CheckPtArgs = {}): Promise<void> {
    return await this.#ack(checkPtCommand(args));
  }

  /** Starts scheduling (HALTED or SHUTDOWN → RUNNING). */
  async restartServer(): Promise<void> {
    return await this.#ack(ctsCommand("restart"));
  }

  /** Stops scheduling and child commands (→ HALTED). */
  async haltServer(): Promise<void> {
    return await this.#ack(ctsCommand("halt"));
  }

  /** Stops scheduling new jobs (→ SHUTDOWN). */
  async shutdownServer(): Promise<void> {
    return await this.#ack(ctsCommand("shutdown"));
  }

  /** Terminates the server process (it checkpoints first). */
  async terminateServer(): Promise<void> {
    return await this.#ack(ctsCommand("terminate"));
  }

  /** Reloads the definition from the check point file (server must be HALTED, defs empty). */
  async restoreFromCheckpt(): Promise<void> {
    return await this.#ack(ctsCommand("restore_from_checkpt"));
  }

  /** Reloads the white list file (ECF_LISTS). */
  async reloadWlFile(): Promise<void> {
    return await this.#ack(ctsCommand("reloadwsfile"));
  }

  /** Reloads the password file (ECF_PASSWD). */
  async reloadPasswdFile(): Promise<void> {
    return await this.#ack(ctsCommand("reloadpasswdfile"));
  }

  /** Reloads the custom password file (ECF_CUSTOM_PASSWD). */
  async reloadCustomPasswdFile(): Promise<void> {
    return await this.#ack(ctsCommand("reloadcustompasswdfile"));
  }

  /** Forces dependency evaluation now. */
  async forceDepEval(): Promise<void> {
    return await this.#ack(ctsCommand("force-dep-eval"));
  }

  /** Turns server debug output on. */
  async debugServerOn(): Promise<void> {
    return await this.#ack(ctsCommand("debug_server_on"));
  }

  /** Turns server debug output off. */
  async debugServerOff(): Promise<void> {
    return await this.#ack(ctsCommand("debug_server_off"));
  }

  /** Generates jobs for the whole definition or one node (server must be RUNNING). */
  async jobGeneration(path = ""): Promise<void> {
    return await this.#ack(ctsNodeCommand("job_gen", path));
  }

  /** Checks job generation without submitting anything. */
  async checkJobGenOnly(path = ""): Promise<void> {
    return await this.#ack(ctsNodeCommand("checkJobGenOnly", path));
  }

  /** The server's zombies. */
  async zombieGet(): Promise<Zombie[]> {
    const reply = await this.invoke(ctsCommand("zombie_get"));
    if (reply.kind !== "zombies") throw unexpected(reply, "--zombie_get");
    return reply.zombies;
  }

  /** Applies a zombie action to the zombies of the given tasks. */
  async zombieAction(action: ZombieAction, paths: string | string[]): Promise<void> {
    return await this.#ack(zombieCommand(action, paths));
  }

  /** Zombie action `fob`: let the zombie's child commands succeed without effect. */
  async zombieFob(paths: string | string[]): Promise<void> {
    return await this.zombieAction("fob", paths);
  }

  /** Zombie action `fail`. */
  async zombieFail(paths: string | string[]): Promise<void> {
    return await this.zombieAction("fail", paths);
  }

  /** Zombie action `adopt`: the task takes over the zombie's password. */
  async zombieAdopt(paths: string | string[]): Promise<void> {
    return await this.zombieAction("adopt", paths);
  }

  /** Zombie action `remove`. */
  async zombieRemove(paths: string | string[]): Promise<void> {
    return await this.zombieAction("remove", paths);
  }

  /** Zombie action `block`. */
  async zombieBlock(paths: string | string[]): Promise<void> {
    return await this.zombieAction("block", paths);
  }

  /** Zombie action `kill` (the server runs ECF_KILL_CMD with the zombie's pid). */
  async zombieKill(paths: string | string[]): Promise<void> {
    return await this.zombieAction("kill", paths);
  }

  /** Registers a client handle for `suites`; resolves with the handle (also kept for news/sync). */
  async chRegister(autoAddNewSuites: boolean, suites: string[] = []): Promise<number> {
    const reply = await this.invoke(
      clientHandleCommand("ch_register", { autoAddNewSuites, suites }),
    );
    if (reply.kind !== "clientHandle") throw unexpected(reply, "--ch_register");
    this.#handle = reply.handle;
    this.#copy?.useHandle(reply.handle);
    return reply.handle;
  }

  /** Every user's client handles and their suites. */
  async chSuites(): Promise<Extract<Reply, { kind: "clientHandleSuites" }>> {
    const reply = await this.invoke(clientHandleCommand("ch_suites"));
    if (reply.kind !== "clientHandleSuites") throw unexpected(reply, "--ch_suites");
    return reply;
  }

  /** Drops a client handle (default: this client's). */
  async chDrop(handle: number = this.#handle): Promise<void> {
    if (handle <= 0) throw new ConfigError("chDrop: no client handle registered");
    const reply = await this.invoke(clientHandleCommand("ch_drop", { handle }));
    if (reply.kind !== "clientHandle" && reply.kind !== "stc") throw unexpected(reply, "--ch_drop");
    if (handle === this.#handle) this.#handle = 0;
    this.#copy?.forgetHandle(handle);
  }

  /** Drops every handle of a user (default: this client's user). */
  async chDropUser(user = ""): Promise<void> {
    const reply = await this.invoke(clientHandleCommand("ch_drop_user", { dropUser: user }));
    if (reply.kind !== "clientHandle" && reply.kind !== "stc") {
      throw unexpected(reply, "--ch_drop_user");
    }
    this.#copy?.forgetHandle(this.#handle);
    this.#handle = 0;
  }

  /** Adds suites to a handle. */
  async chAdd(handle: number, suites: string[]): Promise<void> {
    return await this.#ack(clientHandleCommand("ch_add", { handle, suites }));
  }

  /** Removes suites from a handle. */
  async chRemove(handle: number, suites: string[]): Promise<void> {
    return await this.#ack(clientHandleCommand("ch_rem", { handle, suites }));
  }

  /** Whether new suites are added to a handle automatically. */
  async chAutoAdd(handle: number, autoAddNewSuites: boolean): Promise<void> {
    return await this.#ack(clientHandleCommand("ch_auto_add", { handle, autoAddNewSuites }));
  }

  /**
   * Sends several commands in one request; resolves with the replies the
   * server returns (failures appear as `error` replies, not exceptions).
   */
  async group(commands: Command[]): Promise<Reply[]> {
    const reply = await this.invoke(groupCommand(commands));
    if (reply.kind === "group") return reply.replies;
    if (reply.kind === "stc") return [];
    throw unexpected(reply, "--group");
  }
  /**
   * Why nodes do not run (the whole definition, or one node and its
   * ancestors), computed from the server's definition as ecflow_client's
   * `--group="get; why[=<path>]"` does; one reason per line.
   */
  async why(path = ""): Promise<string> {
    const { parseDefs } = await import("./defs/parser.ts");
    const { why: whyReasons } = await import("./evaluate.ts");
    const defs = parseDefs(await this.getDefsText("get"));
    try {
      return whyReasons(defs, path).join("\n");
    } catch (e) {
      throw new ConfigError((e as Error).message);
    }
  }
  // ---- end of user commands (issue 3)

  /**
   * A full sync (`CSyncCmd` SYNC_FULL) naming a client handle the server does not know
   * aborts a 5.9.2 server (it dereferences the missing handle's defs). Such a request is
   * only sent after `--ch_suites` shows the handle exists.
   */
  async #refuseUnknownSyncHandles(cmd: Command, identity: Identity): Promise<void> {
    const handles = fullSyncHandles(cmd);
    if (handles.length === 0) return;
    const reply = await this.invoke(clientHandleCommand("ch_suites"), undefined, identity);
    if (reply.kind !== "clientHandleSuites") throw unexpected(reply, "--ch_suites");
    const known = new Set(reply.handles.map((h) => h.handle));
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

  /**
   * The job context child commands are sent with (read from the environment on first use).
   *
   * @example Context from the environment, adjusted by the setters
   * ```ts
   * import { Client, envFrom } from "@ecflow-ts/client";
   * const c = new Client({ env: envFrom({ ECF_NAME: "/s/t", ECF_PASS: "pw", ECF_RID: "42" }) });
   * c.setChildTryNo(2);
   * console.log(c.childContext.path, c.childContext.tryNo); // /s/t 2
   * ```
   */
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
        readHostFile: (path) => readUserFile(path, "ECF_HOSTFILE"),
        notice: (n) => this.#childNotice?.(n),
      },
    );
  }

  /**
   * The job started: the task becomes active (`--init`).
   *
   * @example A job written in TypeScript (context from ECF_* as in a job's environment)
   * ```ts ignore
   * import { Client } from "@ecflow-ts/client";
   * const job = new Client(); // ECF_HOST/ECF_PORT, ECF_NAME, ECF_PASS, ECF_RID, ECF_TRYNO
   * await job.childInit();
   * await job.childMeter("progress", 50);
   * await job.childLabel("info", "half way");
   * await job.childComplete();
   * ```
   */
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

/** The non-zero client handles of the full syncs in `cmd` (and its group children). */
function fullSyncHandles(cmd: Command): number[] {
  const own = cmd.cls === "CSyncCmd" && cmd.members.api_ === 2 &&
      typeof cmd.members.client_handle_ === "number" && cmd.members.client_handle_ !== 0
    ? [cmd.members.client_handle_]
    : [];
  return [...own, ...(cmd.children ?? []).flatMap(fullSyncHandles)];
}

/** A reply of a class the command does not produce. */
export function unexpected(reply: Reply, label: string): ProtocolError {
  return new ProtocolError(`unexpected '${reply.kind}' reply to ${label}`);
}
