/**
 * The `Client`: Python's `ecflow.Client` in camelCase, made of small parts — the invoker
 * (endpoint, transport, identity, retries, cancellation), the local copy of the definition
 * (news, sync, client handles) and the task client (a job's context and its commands). Every
 * named method is one line over {@linkcode Client.request}, which sends any request.
 *
 * @module
 */
import { resolveEndpoint } from "../endpoint.ts";
import type { Endpoint } from "../endpoint.ts";
import { ConfigError, EcflowError } from "../errors.ts";
import type { Defs } from "../defs/model.ts";
import type { Command } from "../wire/request.ts";
import type { Reply, Zombie, ZombieAction } from "../wire/reply.ts";
import type { Request } from "../requests/request.ts";
import {
  type Alteration,
  alterCommand,
  beginCommand,
  type CheckPtArgs,
  checkPtCommand,
  clientHandleCommand,
  type ClientHandles,
  ctsCommand,
  ctsNodeCommand,
  type DefinitionApi,
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
  type RequeueOption,
  runCommand,
  serverVersionCommand,
  type SortKind,
  zombieCommand,
} from "../requests/user.ts";
import type { QueueAction, TaskVariable } from "../requests/task.ts";
import { LocalCopy, type SyncOptions, type SyncResult } from "../sync/local_copy.ts";
import { VERSION } from "../version.ts";
import type { DefinitionSource } from "./definitions.ts";
import { Invoker } from "./invoker.ts";
import type { ChildContext, ChildTimings } from "./job_context.ts";
import type { CallOptions, ClientOptions } from "./options.ts";
import { type TaskClient, taskClientFor } from "./task_client.ts";
import type { ChildNotice } from "./task_loop.ts";

/**
 * A client of one ecflow_server.
 *
 * @example Ping the server named by ECF_HOST/ECF_PORT (default localhost:3141)
 * ```ts ignore
 * import { Client } from "@ecflow-ts/client";
 * await using client = new Client();
 * const ms = await client.ping();
 * console.log(`${client.getHost()}:${client.getPort()} answered in ${ms.toFixed(3)} ms`);
 * ```
 *
 * @example The constructor forms
 * ```ts
 * import { Client } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * assertEquals(new Client("oetzi:3444").getPort(), 3444);
 * assertEquals(new Client("machineX", 4141).getHost(), "machineX");
 * const c = new Client({ host: "localhost", port: 3199 });
 * c.setHostPort("machineX:4141");
 * assertEquals([c.getHost(), c.getPort()], ["machineX", 4141]);
 * ```
 */
export class Client implements AsyncDisposable {
  #invoker: Invoker;
  #local: LocalCopy;
  #versions = new Map<string, Promise<string>>();
  /** The task (job) commands, sharing this client's endpoint, transport and identity. */
  readonly task: TaskClient;

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
      options = typeof b === "number" || typeof b === "string"
        ? { ...c, host: a, port: b }
        : { ...b, host: a };
    } else {
      options = { ...a };
    }
    this.#invoker = new Invoker(options);
    this.#local = new LocalCopy(this.#invoker);
    this.task = taskClientFor(this.#invoker);
  }

  /**
   * Sends any request (a command with its reply decoder, e.g. from
   * `@ecflow-ts/client/wire`) and resolves with its result. Every named method is this call.
   *
   * @example
   * ```ts ignore
   * import { Client } from "@ecflow-ts/client";
   * import { suitesCommand } from "@ecflow-ts/client/wire";
   * const suites: string[] = await new Client().request(ctsCommand("suites"));
   * ```
   */
  async request<T>(req: Request<T>, options?: CallOptions): Promise<T> {
    const { reply } = await this.#invoker.send(req, options);
    return req.decode(reply);
  }

  // ------------------------------------------------------------ where and how

  /** Points the client at another server: `setHostPort("host:port")` or `setHostPort(host, port)`. */
  setHostPort(hostPort: string): void;
  /** Points the client at another server. */
  setHostPort(host: string, port: number | string): void;
  setHostPort(host: string, port?: number | string): void {
    this.#invoker.endpoint = resolveEndpoint({
      host,
      port,
      env: () => undefined,
      labels: { host: "setHostPort() host", port: "setHostPort() port" },
    });
  }

  /** The server host. */
  getHost(): string {
    return this.#invoker.endpoint.host;
  }

  /** The server port. */
  getPort(): number {
    return this.#invoker.endpoint.port;
  }

  /** The resolved endpoint with where host and port came from. */
  get endpoint(): Endpoint {
    return this.#invoker.endpoint;
  }

  /** The transport in use (`tcp`, `tls`, `http`, `https`). */
  get transportKind(): string {
    return this.#invoker.transport.kind;
  }

  /** The host name this client sends and writes into loaded definitions. */
  get hostName(): string {
    return this.#invoker.who.hostName();
  }

  /** The ecflow-ts version (Python's `version()` gives the client's version too). */
  version(): string {
    return VERSION;
  }

  /** Uses TLS from now on (Python's `enable_ssl()`, `--ssl`). */
  enableSsl(): void {
    this.#invoker.reselect({ ssl: true });
  }

  /** Stops using TLS, even when `ECF_SSL` is set (Python's `disable_ssl()`). */
  disableSsl(): void {
    this.#invoker.reselect({ ssl: false });
  }

  /** Uses HTTP from now on (Python's `enable_http()`; 5.14+ servers run with `--http`). TLS, when enabled, still wins. */
  enableHttp(): void {
    this.#invoker.reselect({ http: true });
  }

  /** Uses HTTPS from now on (Python's `enable_https()`). TLS, when enabled, still wins. */
  enableHttps(): void {
    this.#invoker.reselect({ https: true });
  }

  /** Sends user commands as the custom user `name` (Python's `set_user_name()`); it needs a password. */
  setUserName(name: string): void {
    this.#invoker.who.setCustomUser(name);
  }

  /** The plain password to send, crypted, with user commands (Python's `set_password()`). */
  setPassword(password: string): void {
    this.#invoker.who.setPassword(password);
  }

  /**
   * Cancels every call in progress and later ones, and releases what the client holds (its
   * HTTP client, when it uses HTTP). `await using client = new Client()` calls it.
   */
  close(): void {
    this.#invoker.close();
  }

  /** Closes the client at the end of an `await using` scope. */
  [Symbol.asyncDispose](): Promise<void> {
    this.close();
    return Promise.resolve();
  }

  // ------------------------------------------------------------------ server

  /** Checks the server answers; resolves with the round trip in milliseconds. */
  async ping(options?: CallOptions): Promise<number> {
    const req = ctsCommand("ping");
    const { reply, ms } = await this.#invoker.send(req, options);
    req.decode(reply);
    return ms;
  }

  /** The server's version, e.g. `5.9.2`. */
  async serverVersion(options?: CallOptions): Promise<string> {
    return await this.request(serverVersionCommand(), options);
  }

  /**
   * The server's version, asked once per endpoint (`host:port`) and remembered for this
   * client's life: what the printers need to print a node as that server's ecflow_client
   * does. A failed ask is not remembered.
   */
  knownServerVersion(options?: CallOptions): Promise<string> {
    const { host, port } = this.#invoker.endpoint;
    const key = `${host}:${port}`;
    let version = this.#versions.get(key);
    if (version === undefined) {
      version = this.serverVersion(options);
      this.#versions.set(key, version);
      version.catch(() => this.#versions.delete(key));
    }
    return version;
  }

  /** The names of the server's suites. */
  async suites(options?: CallOptions): Promise<string[]> {
    return await this.request(ctsCommand("suites"), options);
  }

  /** The server statistics as ecflow_client `--stats` prints them. */
  async stats(options?: CallOptions): Promise<string> {
    return await this.request(ctsCommand("stats"), options);
  }

  /** The raw statistics values (`--stats_server`), in the server's order. */
  async statsServer(options?: CallOptions): Promise<unknown[]> {
    return await this.request(ctsCommand("stats_server"), options);
  }

  /** Resets the server's request statistics. */
  async statsReset(options?: CallOptions): Promise<void> {
    return await this.request(ctsCommand("stats_reset"), options);
  }

  /** Starts scheduling (HALTED or SHUTDOWN → RUNNING). */
  async restartServer(options?: CallOptions): Promise<void> {
    return await this.request(ctsCommand("restart"), options);
  }

  /** Stops scheduling and task commands (→ HALTED). */
  async haltServer(options?: CallOptions): Promise<void> {
    return await this.request(ctsCommand("halt"), options);
  }

  /** Stops scheduling new jobs (→ SHUTDOWN). */
  async shutdownServer(options?: CallOptions): Promise<void> {
    return await this.request(ctsCommand("shutdown"), options);
  }

  /** Terminates the server process (it checkpoints first). */
  async terminateServer(options?: CallOptions): Promise<void> {
    return await this.request(ctsCommand("terminate"), options);
  }

  /** Reloads the definition from the check point file (server HALTED, definition empty). */
  async restoreFromCheckpt(options?: CallOptions): Promise<void> {
    return await this.request(ctsCommand("restore_from_checkpt"), options);
  }

  /** Reloads the white list file (ECF_LISTS). */
  async reloadWlFile(options?: CallOptions): Promise<void> {
    return await this.request(ctsCommand("reloadwsfile"), options);
  }

  /** Reloads the password file (ECF_PASSWD). */
  async reloadPasswdFile(options?: CallOptions): Promise<void> {
    return await this.request(ctsCommand("reloadpasswdfile"), options);
  }

  /** Reloads the custom password file (ECF_CUSTOM_PASSWD). */
  async reloadCustomPasswdFile(options?: CallOptions): Promise<void> {
    return await this.request(ctsCommand("reloadcustompasswdfile"), options);
  }

  /** Forces dependency evaluation now. */
  async forceDepEval(options?: CallOptions): Promise<void> {
    return await this.request(ctsCommand("force-dep-eval"), options);
  }

  /** Turns server debug output on. */
  async debugServerOn(options?: CallOptions): Promise<void> {
    return await this.request(ctsCommand("debug_server_on"), options);
  }

  /** Turns server debug output off. */
  async debugServerOff(options?: CallOptions): Promise<void> {
    return await this.request(ctsCommand("debug_server_off"), options);
  }

  /** Saves a check point now (no arguments), or changes the check-point policy. */
  async checkpt(args: CheckPtArgs & CallOptions = {}): Promise<void> {
    return await this.request(checkPtCommand(args), args);
  }

  /** The last `lines` lines (default 100) of the server log. */
  async getLog(options: CallOptions & { lines?: number } = {}): Promise<string> {
    return await this.request(logCommand("get", { lines: options.lines }), options);
  }

  /** The server log's path. */
  async getLogPath(options?: CallOptions): Promise<string> {
    return await this.request(logCommand("path"), options);
  }

  /** Closes the log and opens a new one (at `path`, else ECF_LOG). */
  async newLog(options: CallOptions & { path?: string } = {}): Promise<void> {
    return await this.request(logCommand("new", { newPath: options.path }), options);
  }

  /** Clears the server log. */
  async clearLog(options?: CallOptions): Promise<void> {
    return await this.request(logCommand("clear"), options);
  }

  /** Flushes and closes the server log. */
  async flushLog(options?: CallOptions): Promise<void> {
    return await this.request(logCommand("flush"), options);
  }

  /** Writes a message into the server log. */
  async logMsg(message: string, options?: CallOptions): Promise<void> {
    return await this.request(logMessageCommand(message), options);
  }

  /** The server's zombies. */
  async zombieGet(options?: CallOptions): Promise<Zombie[]> {
    return await this.request(ctsCommand("zombie_get"), options);
  }

  /** Applies a zombie action to the zombies of the given tasks. */
  async zombieAction(
    action: ZombieAction,
    paths: string | string[],
    options?: CallOptions,
  ): Promise<void> {
    return await this.request(zombieCommand(action, paths), options);
  }

  /** Zombie action `fob`: let the zombie's task commands succeed without effect. */
  async zombieFob(paths: string | string[], options?: CallOptions): Promise<void> {
    return await this.zombieAction("fob", paths, options);
  }

  /** Zombie action `fail`. */
  async zombieFail(paths: string | string[], options?: CallOptions): Promise<void> {
    return await this.zombieAction("fail", paths, options);
  }

  /** Zombie action `adopt`: the task takes over the zombie's password. */
  async zombieAdopt(paths: string | string[], options?: CallOptions): Promise<void> {
    return await this.zombieAction("adopt", paths, options);
  }

  /** Zombie action `remove`. */
  async zombieRemove(paths: string | string[], options?: CallOptions): Promise<void> {
    return await this.zombieAction("remove", paths, options);
  }

  /** Zombie action `block`. */
  async zombieBlock(paths: string | string[], options?: CallOptions): Promise<void> {
    return await this.zombieAction("block", paths, options);
  }

  /** Zombie action `kill` (the server runs ECF_KILL_CMD with the zombie's pid). */
  async zombieKill(paths: string | string[], options?: CallOptions): Promise<void> {
    return await this.zombieAction("kill", paths, options);
  }

  /**
   * Sends several commands in one request; resolves with the replies the server returns
   * (failures appear as `error` replies, not exceptions).
   */
  async group(commands: Command[], options?: CallOptions): Promise<Reply[]> {
    return await this.request(groupCommand(commands), options);
  }

  // ------------------------------------------------------ definition and copy

  /**
   * Definition text of the whole server (`path` empty) or of one node, as the server sends it
   * (NET style): `get`, `get_state` and `migrate` differ only in how ecflow_client prints it.
   */
  async getDefsText(
    api: DefinitionApi = "get",
    path = "",
    options?: CallOptions,
  ): Promise<string> {
    return (await this.request(ctsNodeCommand(api, path), options)).text;
  }

  /** Fetches the whole definition and keeps it as the local copy. */
  async getServerDefs(options?: CallOptions): Promise<Defs> {
    return await this.#local.fetch(options);
  }

  /** The local copy (from `getServerDefs`/`syncLocal`), if any; its `text` is the server's NET text. */
  getDefs(): Defs | undefined {
    return this.#local.defs;
  }

  /** Whether the server changed since the local copy was taken (true when there is none). */
  async newsLocal(options?: CallOptions): Promise<boolean> {
    return await this.#local.news(options);
  }

  /** Brings the local copy up to date (news, then only the changes) and returns it. */
  async syncLocal(options?: CallOptions): Promise<Defs> {
    return (await this.#local.sync(options)).defs;
  }

  /**
   * Brings the local copy up to date, saying how: `unchanged`, `incremental` (only the changes
   * the server sent were applied) or `full`, with the bytes and milliseconds it took.
   * `{ clock: true }` also brings the suites' calendars along; `{ news: false }` skips the news
   * request.
   */
  async sync(options?: SyncOptions): Promise<SyncResult> {
    return await this.#local.sync(options);
  }

  /** The client handle news and sync use (0 = all suites). */
  chHandle(): number {
    return this.#local.handle;
  }

  /** Registers a client handle for `suites`; resolves with it (news and sync use it from now on). */
  async chRegister(
    options: CallOptions & { autoAddNewSuites?: boolean; suites?: string[] } = {},
  ): Promise<number> {
    const handle = await this.request(clientHandleCommand("ch_register", options), options);
    this.#local.useHandle(handle);
    return handle;
  }

  /** Every user's client handles and their suites. */
  async chSuites(options?: CallOptions): Promise<ClientHandles> {
    return await this.request(clientHandleCommand("ch_suites"), options);
  }

  /** Drops a client handle (default: this client's). */
  async chDrop(handle: number = this.#local.handle, options?: CallOptions): Promise<void> {
    if (handle <= 0) throw new ConfigError("chDrop: no client handle registered");
    await this.request(clientHandleCommand("ch_drop", { handle }), options);
    this.#local.forgetHandle(handle);
  }

  /** Drops every handle of a user (default: this client's user). */
  async chDropUser(user = "", options?: CallOptions): Promise<void> {
    await this.request(clientHandleCommand("ch_drop_user", { dropUser: user }), options);
    const ep = this.#invoker.endpoint;
    const me = this.#invoker.who.user({ host: ep.host, port: ep.port }).user;
    if (user === "" || user === me) this.#local.useHandle(0);
  }

  /** Adds suites to a handle. */
  async chAdd(handle: number, suites: string[], options?: CallOptions): Promise<void> {
    return await this.request(clientHandleCommand("ch_add", { handle, suites }), options);
  }

  /** Removes suites from a handle. */
  async chRemove(handle: number, suites: string[], options?: CallOptions): Promise<void> {
    return await this.request(clientHandleCommand("ch_rem", { handle, suites }), options);
  }

  /** Whether new suites are added to a handle automatically. */
  async chAutoAdd(
    handle: number,
    options: CallOptions & { autoAddNewSuites: boolean },
  ): Promise<void> {
    return await this.request(
      clientHandleCommand("ch_auto_add", { handle, autoAddNewSuites: options.autoAddNewSuites }),
      options,
    );
  }

  /**
   * Loads a definition (a file path, or `{ text }`), checked locally first as ecflow_client
   * does; with `checkOnly` nothing is sent. Resolves with ecflow_client's warnings.
   */
  async load(
    source: DefinitionSource,
    options: CallOptions & { force?: boolean; checkOnly?: boolean } = {},
  ): Promise<string[]> {
    const { definitionText, prepareDefinition } = await import("./definitions.ts");
    const prepared = await prepareDefinition(source);
    if (!options.checkOnly) {
      const text = definitionText(prepared, this.hostName);
      await this.request(
        loadDefsCommand(text, { force: options.force, fileName: prepared.fileName }),
        options,
      );
    }
    return prepared.warnings;
  }

  /**
   * Replaces the node at `path` with the node of that path in a definition (file path or
   * `{ text }`); `parent` creates missing parents (default true).
   */
  async replace(
    path: string,
    source: DefinitionSource,
    options: CallOptions & { parent?: boolean; force?: boolean } = {},
  ): Promise<void> {
    const { definitionText, prepareDefinition } = await import("./definitions.ts");
    const prepared = await prepareDefinition(source);
    if (!prepared.defs.find(path)) {
      throw new ConfigError(
        `replace: node '${path}' is not in the definition '${prepared.fileName}'`,
      );
    }
    await this.request(
      replaceCommand(path, definitionText(prepared, this.hostName), {
        createParents: options.parent ?? true,
        force: options.force,
        fileName: prepared.fileName,
      }),
      options,
    );
  }

  /**
   * Why nodes do not run (the whole definition, or one node and its ancestors), computed from
   * the server's definition as ecflow_client's `--group="get; why[=<path>]"` does; one reason
   * per line.
   */
  async why(path = "", options?: CallOptions): Promise<string> {
    const [{ parseDefs }, { why }] = await Promise.all([
      import("../defs/parser.ts"),
      import("../defs/why.ts"),
    ]);
    const defs = parseDefs(await this.getDefsText("get", "", options));
    try {
      return why(defs, path).join("\n");
    } catch (e) {
      if (e instanceof EcflowError) throw e;
      throw new ConfigError((e as Error).message);
    }
  }

  // ------------------------------------------------------------------ nodes

  /** Begins one suite. */
  async beginSuite(suite: string, options: CallOptions & { force?: boolean } = {}): Promise<void> {
    if (suite === "") throw new ConfigError("beginSuite: no suite name given");
    return await this.request(beginCommand(suite, options), options);
  }

  /** Begins every suite. */
  async beginAllSuites(options: CallOptions & { force?: boolean } = {}): Promise<void> {
    return await this.request(beginCommand("", options), options);
  }

  /** Suspends nodes. */
  async suspend(paths: string | string[], options?: CallOptions): Promise<void> {
    return await this.request(pathsCommand("suspend", paths), options);
  }

  /** Resumes nodes. */
  async resume(paths: string | string[], options?: CallOptions): Promise<void> {
    return await this.request(pathsCommand("resume", paths), options);
  }

  /** Kills the jobs of nodes (the server runs `ECF_KILL_CMD`). */
  async kill(paths: string | string[], options?: CallOptions): Promise<void> {
    return await this.request(pathsCommand("kill", paths), options);
  }

  /** Asks for the status of jobs (the server runs `ECF_STATUS_CMD`). */
  async status(paths: string | string[], options?: CallOptions): Promise<void> {
    return await this.request(pathsCommand("status", paths), options);
  }

  /** Archives nodes (their children are written to disk and removed). */
  async archive(paths: string | string[], options?: CallOptions): Promise<void> {
    return await this.request(pathsCommand("archive", paths), options);
  }

  /** Restores archived nodes. */
  async restore(paths: string | string[], options?: CallOptions): Promise<void> {
    return await this.request(pathsCommand("restore", paths), options);
  }

  /** Checks triggers and limits of nodes (none = everything); resolves with the findings ("" if none). */
  async check(paths: string | string[] = [], options?: CallOptions): Promise<string> {
    return await this.request(pathsCommand("check", paths), options);
  }

  /** The edit history of a node, one entry per line (`"clear"` clears all history). */
  async editHistory(path: string, options?: CallOptions): Promise<string[]> {
    return await this.request(pathsCommand("edit_history", path), options);
  }

  /** Deletes nodes (at least one path: `deleteAll` deletes every suite). */
  async delete(
    paths: string | string[],
    options: CallOptions & { force?: boolean } = {},
  ): Promise<void> {
    if (paths.length === 0) {
      throw new ConfigError("delete: no paths given (use deleteAll)");
    }
    return await this.request(deleteCommand(paths, options), options);
  }

  /** Deletes every suite. */
  async deleteAll(options: CallOptions & { force?: boolean } = {}): Promise<void> {
    return await this.request(deleteCommand([], options), options);
  }

  /** Requeues nodes; mode `abort` only requeues aborted tasks, `force` even active ones. */
  async requeue(
    paths: string | string[],
    options: CallOptions & { mode?: RequeueOption } = {},
  ): Promise<void> {
    return await this.request(requeueCommand(paths, options.mode ?? "none"), options);
  }

  /** Re-orders a node among its siblings. */
  async order(path: string, option: OrderOption, options?: CallOptions): Promise<void> {
    return await this.request(orderCommand(path, option), options);
  }

  /** Submits tasks now, ignoring dependencies; `force` even when active or submitted. */
  async run(
    paths: string | string[],
    options: CallOptions & { force?: boolean } = {},
  ): Promise<void> {
    return await this.request(runCommand(paths, options), options);
  }

  /** Forces nodes into a state (`recursive`: and everything below them). */
  async forceState(
    paths: string | string[],
    state: ForceState,
    options: CallOptions & { recursive?: boolean } = {},
  ): Promise<void> {
    return await this.request(forceCommand(paths, state, options), options);
  }

  /** Sets or clears events: paths are `path:event`. */
  async forceEvent(
    paths: string | string[],
    action: "set" | "clear",
    options?: CallOptions,
  ): Promise<void> {
    return await this.request(forceCommand(paths, action), options);
  }

  /** Frees trigger dependencies. */
  async freeTriggerDep(paths: string | string[], options?: CallOptions): Promise<void> {
    return await this.request(freeDepCommand(paths, { trigger: true }), options);
  }

  /** Frees date dependencies. */
  async freeDateDep(paths: string | string[], options?: CallOptions): Promise<void> {
    return await this.request(freeDepCommand(paths, { date: true }), options);
  }

  /** Frees time dependencies (time, today, cron). */
  async freeTimeDep(paths: string | string[], options?: CallOptions): Promise<void> {
    return await this.request(freeDepCommand(paths, { time: true }), options);
  }

  /** Frees every dependency. */
  async freeAllDep(paths: string | string[], options?: CallOptions): Promise<void> {
    return await this.request(freeDepCommand(paths, { all: true }), options);
  }

  /**
   * Alters attributes: `alter("/s", { action: "add", kind: "variable", name: "X", value: "1" })`,
   * `alter("/s", { action: "set_flag", flag: "late" })`, `alter("/s", { action: "sort", kind:
   * "event", recursive: true })`.
   */
  async alter(
    paths: string | string[],
    alteration: Alteration,
    options?: CallOptions,
  ): Promise<void> {
    return await this.request(alterCommand(paths, alteration), options);
  }

  /** Sorts attributes of a kind (`event`, `meter`, `label`, `variable`, `limit`, `all`). */
  async sortAttributes(
    paths: string | string[],
    kind: SortKind,
    options: CallOptions & { recursive?: boolean } = {},
  ): Promise<void> {
    const recursive = options.recursive ?? true;
    return await this.request(alterCommand(paths, { action: "sort", kind, recursive }), options);
  }

  /** A node's file: `script` (default), `job`, `jobout`, `manual`, `kill` or `stat`. */
  async getFile(
    path: string,
    options: CallOptions & { kind?: FileKind; maxLines?: number } = {},
  ): Promise<string> {
    return await this.request(fileCommand(path, options.kind, options.maxLines), options);
  }

  /** The task's script as the server finds it (`--edit_script=<path> edit`). */
  async editScriptEdit(path: string, options?: CallOptions): Promise<string> {
    return await this.request(editScriptCommand(path, "edit"), options);
  }

  /** The task's script after pre-processing (includes expanded). */
  async editScriptPreprocess(path: string, options?: CallOptions): Promise<string> {
    return await this.request(editScriptCommand(path, "pre_process"), options);
  }

  /** Pre-processes a user-supplied script (one string per line) in the task's context. */
  async editScriptPreprocessFile(
    path: string,
    lines: string[],
    options?: CallOptions,
  ): Promise<string> {
    return await this.request(
      editScriptCommand(path, "pre_process_file", { fileContents: lines }),
      options,
    );
  }

  /** Submits the task with user variables, optionally with an edited script (one string per line). */
  editScriptSubmit(
    path: string,
    options: CallOptions & {
      variables?: Record<string, string> | [string, string][];
      lines?: string[];
      createAlias?: boolean;
      run?: boolean;
    } = {},
  ): Promise<void> {
    const variables = options.variables ?? [];
    const userVariables = Array.isArray(variables) ? variables : Object.entries(variables);
    const lines = options.lines ?? [];
    const type = lines.length > 0 ? "submit_file" : "submit";
    return this.request(
      editScriptCommand(path, type, {
        userVariables,
        fileContents: lines,
        createAlias: options.createAlias,
        run: options.run ?? true,
      }),
      options,
    );
  }

  /**
   * Asks the server about a node: `query("state", "/s/t")`, `query("event", "/s/t", "ev")`,
   * `query("trigger", "/s/t", "t1 == complete")`.
   */
  async query(
    type: QueryType,
    path: string,
    attribute = "",
    options?: CallOptions,
  ): Promise<string> {
    // from inside a job the query names the task that asks (ECF_NAME), as Python's does
    const task = this.task.context.path;
    return await this.request(queryCommand(type, path, attribute, task), options);
  }

  /** Moves node `source` under `dest` (a path, or `host:port[/path]` of another server). */
  async plug(source: string, dest: string, options?: CallOptions): Promise<void> {
    return await this.request(plugCommand(source, dest), options);
  }

  /** Generates jobs for the whole definition or one node (server must be RUNNING). */
  async jobGeneration(path = "", options?: CallOptions): Promise<void> {
    return await this.request(ctsNodeCommand("job_gen", path), options);
  }

  /** Checks job generation without submitting anything. */
  async checkJobGenOnly(path = "", options?: CallOptions): Promise<void> {
    return await this.request(ctsNodeCommand("checkJobGenOnly", path), options);
  }

  // ------------------------------------------- task commands, Python's names

  /** The job context task commands are sent with (`ECF_*`, read on first use). */
  get childContext(): ChildContext {
    return this.task.context;
  }

  /** Sets the task path (`ECF_NAME`). */
  setChildPath(path: string): void {
    this.task.context.path = path;
  }

  /** Sets the jobs password (`ECF_PASS`). */
  setChildPassword(password: string): void {
    this.task.context.password = password;
  }

  /** Sets the process or remote id (`ECF_RID`). */
  setChildPid(pid: string | number): void {
    this.task.context.remoteId = String(pid);
  }

  /** Sets the try number (`ECF_TRYNO`). */
  setChildTryNo(tryNo: number): void {
    this.task.context.tryNo = tryNo;
  }

  /** Seconds a task command keeps trying in all (`ECF_TIMEOUT`; not clamped, as Python's). */
  setChildTimeout(seconds: number): void {
    this.task.context.timings.timeoutMs = seconds * 1000;
  }

  /** Seconds a blocked zombie keeps trying (`ECF_ZOMBIE_TIMEOUT`; not clamped). */
  setZombieChildTimeout(seconds: number): void {
    this.task.context.timings.zombieTimeoutMs = seconds * 1000;
  }

  /** The file of alternative servers (`ECF_HOSTFILE`). */
  setChildHostFile(path: string): void {
    this.task.context.hostFile = path;
  }

  /** `ECF_DENIED`: give up after the attempts on the first server. */
  setChildDenied(denied: boolean): void {
    this.task.context.denied = denied;
  }

  /** `NO_ECF`: task commands succeed without contacting any server. */
  setChildNoEcf(noEcf: boolean): void {
    this.task.context.noEcf = noEcf;
  }

  /** Variables `childInit` adds to the task. */
  setChildInitAddVars(vars: Record<string, string> | TaskVariable[]): void {
    this.task.setInitAddVars(vars);
  }

  /** Variables `childComplete` removes from the task. */
  setChildCompleteDelVars(names: string[]): void {
    this.task.context.completeDelVars = [...names];
  }

  /** Retry timings (ecflow-ts extension; defaults as ecflow_client, or `ECF_TS_CHILD_*`). */
  setChildTimings(timings: Partial<ChildTimings>): void {
    Object.assign(this.task.context.timings, timings);
  }

  /** Receives the lines ecflow_client would print while retrying (default: none). */
  onChildNotice(handler: ((n: ChildNotice) => void) | undefined): void {
    this.task.onNotice(handler);
  }

  /** The job started: the task becomes active (`--init`). */
  async childInit(options?: CallOptions): Promise<void> {
    return await this.task.init(options);
  }

  /** The job finished: the task becomes complete (`--complete`). */
  async childComplete(options?: CallOptions): Promise<void> {
    return await this.task.complete(options);
  }

  /** The job failed: the task becomes aborted (`--abort`). */
  async childAbort(reason = "", options?: CallOptions): Promise<void> {
    return await this.task.abort(reason, options);
  }

  /** Sets an event, by name or number (`--event`); `{ value: false }` clears it. */
  async childEvent(
    name: string | number,
    options?: CallOptions & { value?: boolean },
  ): Promise<void> {
    return await this.task.event(name, options);
  }

  /** Sets a meter (`--meter`). */
  async childMeter(name: string, value: number, options?: CallOptions): Promise<void> {
    return await this.task.meter(name, value, options);
  }

  /** Sets a label's text (`--label`). */
  async childLabel(name: string, value: string, options?: CallOptions): Promise<void> {
    return await this.task.label(name, value, options);
  }

  /** Waits until a trigger expression holds (`--wait`). */
  async childWait(expression: string, options?: CallOptions): Promise<void> {
    return await this.task.wait(expression, options);
  }

  /** Works a queue (`--queue`): see {@linkcode TaskClient.queue}. */
  async childQueue(
    name: string,
    action: QueueAction,
    options?: CallOptions & { step?: string; queuePath?: string },
  ): Promise<string> {
    return await this.task.queue(name, action, options);
  }
}
