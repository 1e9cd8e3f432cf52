/**
 * The request envelope: `{"21ClientToServerRequest": {"cmd_": <command>}}`,
 * with each command nested over its base classes (`UserCmd` or `TaskCmd`,
 * then `ClientToServerCmd`) exactly as the server reads it. Pure.
 *
 * @module
 */
import { ArchiveWriter, formatCereal, type JsonObject } from "./cereal.ts";
import { ProtocolError } from "../errors.ts";
import { assertSafeCommand } from "./guard.ts";

/** Who sends a user command: `UserCmd` + `ClientToServerCmd` members. */
export interface UserIdentity {
  /** `user_`: the user name; never empty (the server refuses an empty user). */
  user: string;
  /** `cl_host_`: this machine's host name. */
  clientHost: string;
  /** `pswd_`: the DES-crypted password, sent only when non-empty. */
  password?: string;
  /** `cu_`: the user is a custom user (`ECF_USER`/`--user`), sent only when true. */
  customUser?: boolean;
}

/** Who sends a task (child) command: `TaskCmd` + `ClientToServerCmd` members. */
export interface TaskIdentity {
  /** `cl_host_`: this machine's host name. */
  clientHost: string;
  /** `path_to_submittable_`: the task path (`ECF_NAME`). */
  path: string;
  /** `jobs_password_`: the job's password (`ECF_PASS`). */
  jobsPassword: string;
  /** `process_or_remote_id_`: `ECF_RID` or the `--init` argument. */
  remoteId: string;
  /** `try_no_`: `ECF_TRYNO`. */
  tryNo: number;
}

/** A command as data: its registered class, base, own members in order, and how to name it. */
export interface Command {
  /** The registered class name, e.g. `CtsCmd`. */
  cls: string;
  /** `user` for `UserCmd`-based commands, `task` for `TaskCmd`-based ones. */
  base: "user" | "task";
  /** The class's own members, after `value0`, in serialization order. */
  members: JsonObject;
  /** How ecflow_client names the request in messages, e.g. `--ping`. */
  label: string;
  /** For `GroupCTSCmd`: the commands it carries (written into `cmdVec_`). */
  children?: Command[];
  /** ecflow_client's socket deadline for this command, in seconds (default 60). */
  timeoutSeconds?: number;
}

/** The identity a command is sent with. */
export type Identity =
  | { kind: "user"; user: UserIdentity }
  | { kind: "task"; task: TaskIdentity };

function clientToServer(w: ArchiveWriter, clientHost: string): JsonObject {
  const o = w.object("ClientToServerCmd");
  o.cl_host_ = clientHost;
  return o;
}

function userBase(w: ArchiveWriter, id: UserIdentity): JsonObject {
  if (id.user === "") throw new ProtocolError("refusing to send an empty user name");
  const o = w.object("UserCmd");
  o.value0 = clientToServer(w, id.clientHost);
  o.user_ = id.user;
  if (id.password) o.pswd_ = id.password;
  if (id.customUser) o.cu_ = true;
  return o;
}

function taskBase(w: ArchiveWriter, id: TaskIdentity): JsonObject {
  const o = w.object("TaskCmd");
  o.value0 = clientToServer(w, id.clientHost);
  o.path_to_submittable_ = id.path;
  o.jobs_password_ = id.jobsPassword;
  o.process_or_remote_id_ = id.remoteId;
  o.try_no_ = id.tryNo;
  return o;
}

function writeCommand(w: ArchiveWriter, cmd: Command, id: Identity): JsonObject {
  const data = w.object(cmd.cls);
  // cereal numbers a pointer and its type before writing its data: a group's
  // ids come before its children's (captures 56-why, 57-group-get-show).
  const pointer = w.pointer(cmd.cls, data);
  if (cmd.base === "user") {
    if (id.kind !== "user") throw new ProtocolError(`${cmd.cls} needs a user identity`);
    data.value0 = userBase(w, id.user);
  } else {
    if (id.kind !== "task") throw new ProtocolError(`${cmd.cls} needs a task identity`);
    data.value0 = taskBase(w, id.task);
  }
  if (cmd.children) {
    data.cmdVec_ = cmd.children.map((c) => writeCommand(w, c, id));
  }
  Object.assign(data, cmd.members);
  return pointer;
}

/**
 * Builds the request document for `cmd` as a JSON value (members in order).
 *
 * @example
 * ```ts
 * import { ctsCommand, requestDocument } from "@ecflow-ts/client/wire";
 * import { assertEquals } from "@std/assert";
 * const doc = requestDocument(ctsCommand("ping"), {
 *   kind: "user",
 *   user: { user: "alice", clientHost: "myhost" },
 * });
 * assertEquals(Object.keys(doc), ["21ClientToServerRequest"]);
 * ```
 */
export function requestDocument(cmd: Command, id: Identity): JsonObject {
  assertSafeCommand(cmd);
  const w = new ArchiveWriter();
  return { "21ClientToServerRequest": { cmd_: writeCommand(w, cmd, id) } };
}

const encoder = new TextEncoder();

/**
 * Encodes `cmd` into the payload bytes ecflow_client would send (cereal
 * `NoIndent` layout), ready for {@linkcode encodeFrame}.
 *
 * @example
 * ```ts
 * import { ctsCommand, encodeRequest } from "@ecflow-ts/client/wire";
 * import { assertEquals } from "@std/assert";
 * const bytes = encodeRequest(ctsCommand("ping"), {
 *   kind: "user",
 *   user: { user: "root", clientHost: "vm" },
 * });
 * assertEquals(bytes.length, 309);
 * ```
 */
export function encodeRequest(cmd: Command, id: Identity): Uint8Array {
  return encoder.encode(formatCereal(requestDocument(cmd, id)));
}
