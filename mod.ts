/**
 * ecflow-ts: an independent TypeScript client for ECMWF's ecFlow server.
 * It speaks the real 5.x wire protocol to unmodified servers; no C++ build.
 *
 * @example Ping a server
 * ```ts ignore
 * import { Client } from "@ecflow-ts/client";
 * const client = new Client("localhost:3141");
 * console.log(await client.ping(), "ms");
 * console.log(await client.serverVersion());
 * ```
 *
 * @module
 */
export { Client, type ClientOptions, type RetryPolicy, unexpected } from "./lib/client.ts";
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
  EcflowError,
  type ErrorTarget,
  ProtocolError,
  ServerError,
  TimeoutError,
} from "./lib/errors.ts";
export { envFrom, envPermissionHint, type EnvReader, readEnv } from "./lib/env.ts";
export { clientHostName, FALLBACK_USER, userName } from "./lib/identity.ts";
export {
  decodeHeader,
  encodeFrame,
  encodeHeader,
  HEADER_SIZE,
  MAX_FRAME_LENGTH,
} from "./lib/wire/frame.ts";
export {
  ArchiveReader,
  ArchiveWriter,
  formatCereal,
  type JsonObject,
  type JsonValue,
  type PolymorphicObject,
} from "./lib/wire/cereal.ts";
export {
  type Command,
  encodeRequest,
  type Identity,
  requestDocument,
  type TaskIdentity,
  type UserIdentity,
} from "./lib/wire/request.ts";
export { assertSafeCommand, ENUM_RANGES } from "./lib/wire/guard.ts";
export {
  CHILD_COMMANDS,
  type ChildCommandName,
  decodeReply,
  type Reply,
  type StcStatus,
  type Zombie,
  ZOMBIE_ACTIONS,
  ZOMBIE_TYPES,
  type ZombieAction,
  type ZombieType,
} from "./lib/wire/reply.ts";
export {
  ALTER_ADD,
  ALTER_CHANGE,
  ALTER_DELETE,
  ALTER_FLAG,
  ALTER_SORT,
  type Alteration,
  alterCommand,
  beginCommand,
  CHECKPT_MODE,
  type CheckPtArgs,
  checkPtCommand,
  type CheckPtMode,
  CLIENT_HANDLE_API,
  type ClientHandleApi,
  type ClientHandleArgs,
  clientHandleCommand,
  CTS_API,
  CTS_NODE_API,
  type CtsApi,
  ctsCommand,
  type CtsNodeApi,
  ctsNodeCommand,
  deleteCommand,
  EDIT_TYPE,
  type EditScriptArgs,
  editScriptCommand,
  type EditType,
  FILE_KIND,
  fileCommand,
  type FileKind,
  FORCE_STATES,
  forceCommand,
  type ForceState,
  type FreeDepArgs,
  freeDepCommand,
  groupCommand,
  type LoadArgs,
  loadDefsCommand,
  LOG_API,
  type LogApi,
  logCommand,
  logMessageCommand,
  ORDER_OPTION,
  orderCommand,
  type OrderOption,
  PATHS_API,
  type PathsApi,
  pathsCommand,
  pingCommand,
  plugCommand,
  QUERY_TYPES,
  queryCommand,
  type QueryType,
  type ReplaceArgs,
  replaceCommand,
  REQUEUE_OPTION,
  requeueCommand,
  type RequeueOption,
  runCommand,
  serverVersionCommand,
  showCommand,
  stripExterns,
  SYNC_API,
  type SyncApi,
  syncCommand,
  zombieCommand,
} from "./lib/wire/user_commands.ts";
export { TcpTransport } from "./lib/transport/tcp.ts";
export {
  DEFAULT_LIMITS,
  type Transport,
  type TransportLimits,
  type TransportTarget,
} from "./lib/transport/types.ts";
export { PROTOCOL, SUPPORTED_SERVERS, VERSION } from "./lib/version.ts";
export {
  abortCommand,
  completeCommand,
  eventCommand,
  initCommand,
  labelCommand,
  meterCommand,
  parseEventValue,
  parseMeterValue,
  parseQueueArguments,
  parseTaskVariables,
  QUEUE_ACTIONS,
  type QueueAction,
  queueCommand,
  type QueueRequest,
  TASK_COMMAND_TIMEOUT_SECONDS,
  type TaskVariable,
  waitCommand,
} from "./lib/wire/task_commands.ts";
export * from "./lib/defs/mod.ts";
export {
  atoi,
  CHILD_DEFAULTS,
  type ChildContext,
  type ChildIo,
  type ChildNotice,
  type ChildTargets,
  ChildTimeoutError,
  type ChildTimings,
  parseHostFile,
  readChildContext,
  sendChildCommand,
  timeStamp,
} from "./lib/child.ts";
// transports and identity (issue 6)
export {
  AuthenticationSetupError,
  type CredentialOptions,
  CUSTOM_USER_WITHOUT_PASSWORD,
  type IdentityOptions,
  resolveUserIdentity,
} from "./lib/auth/credentials.ts";
export { CRYPT_ALPHABET, CRYPT_FAILURE, desCrypt } from "./lib/auth/crypt.ts";
export {
  findPassword,
  parsePasswdFile,
  type PasswdEntry,
  wirePassword,
} from "./lib/auth/passwd_file.ts";
export {
  authorizationFor,
  authorizationHeader,
  type AuthToken,
  parseTokenFile,
  readTokenFile,
  tokenFor,
} from "./lib/auth/tokens.ts";
export { customUserName } from "./lib/identity.ts";
export {
  certificateDir,
  CertificateMismatchError,
  findServerCertificate,
  type FoundCertificate,
  tlsFailure,
  type TlsOptions,
  TlsSetupError,
  TlsTransport,
} from "./lib/transport/tls.ts";
export { baseUrl, HTTP_API_PATH, type HttpOptions, HttpTransport } from "./lib/transport/http.ts";
export {
  chooseTransport,
  type SelectOptions,
  selectTransport,
  type TransportChoice,
  type TransportKind,
  type TransportSelection,
} from "./lib/transport/select.ts";
// The defs model's zombie kinds (no "not_set"), named apart from the wire's ZombieType.
export type { ZombieType as ZombieAttrType } from "./lib/defs/mod.ts";
