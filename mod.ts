/**
 * ecflow-ts: an independent TypeScript client for ECMWF's ecFlow server. It speaks the real 5.x
 * wire protocol to unmodified servers (5.9 to 5.17) over TCP, TLS and HTTP; no C++ build.
 *
 * This entry holds the client, endpoint resolution, the errors and the definition tree with its
 * parser and printer. The rest is in subpath exports: `@ecflow-ts/client/wire` (the codec and
 * every request), `@ecflow-ts/client/defs` (the whole definition language: checks, expressions,
 * styles), `@ecflow-ts/client/transport`, `@ecflow-ts/client/auth`, and
 * `@ecflow-ts/client/cli` (the `ecflow_client`-compatible program).
 *
 * @example Ping a server
 * ```ts ignore
 * import { Client } from "@ecflow-ts/client";
 * await using client = new Client("localhost:3141");
 * console.log(await client.ping(), "ms", await client.serverVersion());
 * ```
 *
 * @example Where a client would go, and why
 * ```ts
 * import { envFrom, resolveEndpoint } from "@ecflow-ts/client";
 * import { assertEquals } from "@std/assert";
 * const ep = resolveEndpoint({ host: "oetzi:3444", env: envFrom({ ECF_PORT: "4141" }) });
 * assertEquals([ep.host, ep.port, ep.portSource.name], ["oetzi", 3444, "host option"]);
 * ```
 *
 * @module
 */
export { Client } from "./lib/client/client.ts";
export { TaskClient } from "./lib/client/task_client.ts";
export type { CallOptions, ClientOptions, RetryPolicy } from "./lib/client/options.ts";
export type { ChildContext, ChildTimings } from "./lib/client/job_context.ts";
export type { ChildNotice } from "./lib/client/task_loop.ts";
export { ChildTimeoutError } from "./lib/client/task_loop.ts";
export type { DefinitionSource } from "./lib/client/definitions.ts";
export { isRetryable } from "./lib/client/retry.ts";
export type { SyncOptions, SyncResult } from "./lib/sync/local_copy.ts";
export type {
  CompoundMemento,
  DefsDelta,
  Memento,
  NodeImage,
  SubmittableFields,
} from "./lib/wire/mementos.ts";
export {
  DEFAULT_HOST,
  DEFAULT_PORT,
  describeEndpoint,
  type Endpoint,
  type EndpointOptions,
  formatHostPort,
  type HostPort,
  parseHostPort,
  parsePort,
  resolveEndpoint,
  type ValueSource,
} from "./lib/endpoint.ts";
export {
  ConfigError,
  ConnectionError,
  type ConnectionFailure,
  EcflowError,
  type ErrorTarget,
  ProtocolError,
  ServerError,
  TimeoutError,
} from "./lib/errors.ts";
export { AuthenticationSetupError, type IdentityOptions } from "./lib/auth/credentials.ts";
export { CertificateMismatchError, TlsSetupError } from "./lib/transport/tls.ts";
export type { TransportSelection } from "./lib/transport/select.ts";
export type {
  ExchangeOptions,
  Transport,
  TransportLimits,
  TransportTarget,
} from "./lib/transport/types.ts";
export { envFrom, type EnvReader, readEnv } from "./lib/env.ts";
export { VERSION } from "./lib/version.ts";
export type { Request } from "./lib/requests/request.ts";
export type {
  Alteration,
  CheckPtArgs,
  ClientHandles,
  DefinitionApi,
  FileKind,
  ForceState,
  OrderOption,
  QueryType,
  RequeueOption,
  SortKind,
} from "./lib/requests/user.ts";
export type { QueueAction, TaskVariable } from "./lib/requests/task.ts";
export type { Command } from "./lib/wire/request.ts";
export type {
  ChildCommandName,
  Reply,
  StcStatus,
  Zombie,
  ZombieAction,
  ZombieKind,
} from "./lib/wire/reply.ts";
export type { JsonObject, JsonValue } from "./lib/wire/cereal.ts";
export { DefsParseError } from "./lib/defs/errors.ts";
export { ExprError } from "./lib/defs/expr.ts";
export { parseDefs, parseNode, type ParseOptions } from "./lib/defs/parser.ts";
export {
  printDefs,
  printNode,
  type PrintNodeOptions,
  type PrintOptions,
  type PrintStyle,
  type StateExtras,
} from "./lib/defs/printer.ts";
export { type PrintProfile, printProfile } from "./lib/defs/profile.ts";
export * from "./lib/defs/model.ts";
