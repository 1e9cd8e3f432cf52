/**
 * The task (child) commands, each defined once as a {@linkcode Request}: `InitCmd`,
 * `CompleteCmd`, `AbortCmd`, `EventCmd`, `MeterCmd`, `LabelCmd`, `QueueCmd`, `CtsWaitCmd`. Pure.
 *
 * Each builder validates its arguments as ecflow_client does before anything
 * is sent, and names the request the way ecflow_client prints it in messages
 * (`chd:event ev1 1 /s/f/t`), which needs the task path. Send the result with
 * a task identity (`{kind: "task", task}`), see `encodeRequest`.
 *
 * @module
 */
import type { JsonObject } from "../wire/cereal.ts";
import { ConfigError } from "../errors.ts";
import { acknowledged, expectReply, type Request, request } from "./request.ts";

/** The socket deadline ecflow_client gives every task command, in seconds. */
export const TASK_COMMAND_TIMEOUT_SECONDS = 190;

/** A variable added by `--init … --add name=value`. */
export interface TaskVariable {
  /** Variable name. */
  name: string;
  /** Variable value. */
  value: string;
}

/** The `--queue` actions the server knows. */
export const QUEUE_ACTIONS = ["active", "aborted", "complete", "no_of_aborted", "reset"] as const;
/** One `--queue` action. */
export type QueueAction = typeof QUEUE_ACTIONS[number];

function task(cls: string, members: JsonObject, label: string): Request<void> {
  return request(
    { cls, base: "task", members, label, timeoutSeconds: TASK_COMMAND_TIMEOUT_SECONDS },
    acknowledged,
  );
}

/**
 * `InitCmd`: the job started (task becomes active). `vars` are added to (or
 * updated on) the task; `var_to_add_` is sent only when there are some.
 *
 * @example
 * ```ts
 * import { initCommand } from "@ecflow-ts/client/wire";
 * import { assertEquals } from "@std/assert";
 * const cmd = initCommand("/s/f/t", [{ name: "X", value: "1" }]);
 * assertEquals(cmd.label, "chd:init /s/f/t --add X=1");
 * ```
 */
export function initCommand(path: string, vars: TaskVariable[] = []): Request<void> {
  const members: JsonObject = {};
  if (vars.length > 0) members.var_to_add_ = vars.map((v) => ({ n_: v.name, v_: v.value }));
  const add = vars.length > 0 ? ` --add ${vars.map((v) => `${v.name}=${v.value}`).join(" ")}` : "";
  return task("InitCmd", members, `chd:init ${path}${add}`);
}

/**
 * Parses `--add` tokens (`name=value`) as ecflow_client does: split on `=`
 * dropping empty pieces, exactly two pieces required.
 *
 * @example
 * ```ts
 * import { parseTaskVariables } from "@ecflow-ts/client/wire";
 * import { assertEquals } from "@std/assert";
 * assertEquals(parseTaskVariables(["A=1", "B=two"]), [ { name: "A", value: "1" }, { name: "B", value: "two" } ]);
 * ```
 */
export function parseTaskVariables(tokens: string[]): TaskVariable[] {
  return tokens.map((t) => {
    const pieces = t.split("=").filter((p) => p !== "");
    if (pieces.length !== 2) {
      throw new ConfigError(
        `Could not parse variable provided to --add; Expected  var1=value1 var2=value2 but found ${t}`,
      );
    }
    return { name: pieces[0], value: pieces[1] };
  });
}

/**
 * `CompleteCmd`: the job finished. `removeVars` are deleted from the task
 * (`var_to_del_`, sent only when non-empty).
 *
 * @example
 * ```ts
 * import { completeCommand } from "@ecflow-ts/client/wire";
 * import { assertEquals } from "@std/assert";
 * assertEquals(completeCommand("/s/t").label, "chd:complete /s/t");
 * ```
 */
export function completeCommand(path: string, removeVars: string[] = []): Request<void> {
  const members: JsonObject = {};
  if (removeVars.length > 0) members.var_to_del_ = [...removeVars];
  const rm = removeVars.length > 0 ? ` --remove ${removeVars.join(" ")}` : "";
  return task("CompleteCmd", members, `chd:complete ${path}${rm}`);
}

/**
 * `AbortCmd`: the job failed. As ecflow_client, newlines are removed from
 * the reason and `;` becomes a space (they would corrupt the server's state files).
 *
 * @example
 * ```ts
 * import { abortCommand } from "@ecflow-ts/client/wire";
 * import { assertEquals } from "@std/assert";
 * assertEquals(abortCommand("/s/t", "disk full; retry").members, { reason_: "disk full  retry" });
 * ```
 */
export function abortCommand(path: string, reason = ""): Request<void> {
  const clean = reason.replaceAll("\n", "").replaceAll(";", " ");
  return task("AbortCmd", { reason_: clean }, `chd:abort ${path}  ${clean}`);
}

/**
 * `EventCmd`: set (default) or clear an event, by name or number. `value_`
 * is only sent when clearing, as ecflow_client does.
 *
 * @example
 * ```ts
 * import { eventCommand } from "@ecflow-ts/client/wire";
 * import { assertEquals } from "@std/assert";
 * assertEquals(eventCommand("/s/t", "ev1", false).members, { name_: "ev1", value_: false });
 * ```
 */
export function eventCommand(path: string, name: string, value = true): Request<void> {
  const members: JsonObject = { name_: name };
  if (!value) members.value_ = false;
  return task("EventCmd", members, `chd:event ${name} ${value ? 1 : 0} ${path}`);
}

/**
 * Parses the optional second `--event` token: `set` or `clear`.
 *
 * @example
 * ```ts
 * import { parseEventValue } from "@ecflow-ts/client/wire";
 * import { assertEquals } from "@std/assert";
 * assertEquals(parseEventValue("clear"), false);
 * ```
 */
export function parseEventValue(token: string | undefined): boolean {
  if (token === undefined || token === "set") return true;
  if (token === "clear") return false;
  throw new ConfigError(`EventCmd: The second argument must be [ set | clear ] but found ${token}`);
}

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/**
 * `MeterCmd`: set a meter to a whole number (a C++ `int`).
 *
 * @example
 * ```ts
 * import { meterCommand } from "@ecflow-ts/client/wire";
 * import { assertEquals } from "@std/assert";
 * assertEquals(meterCommand("/s/t", "m1", 50).label, "chd:meter m1 50 /s/t");
 * ```
 */
export function meterCommand(path: string, name: string, value: number): Request<void> {
  if (!Number.isInteger(value) || value < INT32_MIN || value > INT32_MAX) {
    throw new ConfigError(`MeterCmd: the meter value must be a 32-bit integer, got ${value}`);
  }
  if (name === "") throw new ConfigError("Meter name not set");
  return task("MeterCmd", { name_: name, value_: value }, `chd:meter ${name} ${value} ${path}`);
}

/**
 * Parses a meter value as ecflow_client does (`boost::lexical_cast<int>`).
 *
 * @example
 * ```ts
 * import { parseMeterValue } from "@ecflow-ts/client/wire";
 * import { assertEquals } from "@std/assert";
 * assertEquals(parseMeterValue("-5"), -5);
 * ```
 */
export function parseMeterValue(token: string): number {
  const n = /^[+-]?\d+$/.test(token) ? Number(token) : NaN;
  if (!Number.isInteger(n) || n < INT32_MIN || n > INT32_MAX) {
    throw new ConfigError("MeterCmd: Second argument must be a integer, i.e. --meter=name 100");
  }
  return n;
}

/**
 * `LabelCmd`: set a label's text (may be multi-line).
 *
 * @example
 * ```ts
 * import { labelCommand } from "@ecflow-ts/client/wire";
 * import { assertEquals } from "@std/assert";
 * assertEquals(labelCommand("/s/t", "info", "step 2 of 3").label, "chd:label info 'step 2 of 3' /s/t");
 * ```
 */
export function labelCommand(path: string, name: string, text: string): Request<void> {
  if (name === "") throw new ConfigError("Label name not set");
  return task("LabelCmd", { name_: name, label_: text }, `chd:label ${name} '${text}' ${path}`);
}

/**
 * `CtsWaitCmd`: wait until a trigger expression holds. The server answers
 * "block" while it is false; the caller keeps asking.
 *
 * @example
 * ```ts
 * import { waitCommand } from "@ecflow-ts/client/wire";
 * import { assertEquals } from "@std/assert";
 * assertEquals(waitCommand("/s/t", "/s/a == complete").label, "chd:wait /s/a == complete /s/t");
 * ```
 */
export function waitCommand(path: string, expression: string): Request<void> {
  if (expression.trim() === "") throw new ConfigError("CtsWaitCmd: no expression given");
  return task("CtsWaitCmd", { expression_: expression }, `chd:wait ${expression} ${path}`);
}

/** Arguments of {@linkcode queueCommand}. */
export interface QueueRequest {
  /** Queue name. */
  name: string;
  /** What to do. */
  action: QueueAction;
  /** The step (from `active`): required by `complete` and `aborted`, refused otherwise. */
  step?: string;
  /** Node holding the queue (default: search up from the task). */
  queuePath?: string;
}

const VALID_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.]*$/;

/**
 * `QueueCmd`. `active` returns the next step (or `<NULL>` when none is left),
 * `no_of_aborted` a count; the others return nothing.
 *
 * @example
 * ```ts
 * import { queueCommand } from "@ecflow-ts/client/wire";
 * import { assertEquals } from "@std/assert";
 * const cmd = queueCommand("/s/t", { name: "q1", action: "complete", step: "001" });
 * assertEquals(cmd.members, { name_: "q1", action_: "complete", step_: "001", path_to_node_with_queue_: "" });
 * ```
 */
export function queueCommand(path: string, q: QueueRequest): Request<string | undefined> {
  if (!(QUEUE_ACTIONS as readonly string[]).includes(q.action)) {
    throw new ConfigError(
      `QueueCmd: unknown action '${q.action}': expected one of ${QUEUE_ACTIONS.join(", ")}`,
    );
  }
  const step = q.step ?? "";
  const queuePath = q.queuePath ?? "";
  if ((q.action === "complete" || q.action === "aborted") && step === "") {
    throw new ConfigError(
      "QueueCmd: when --queue=name complete || --queue=name aborted is used a step must be provided",
    );
  }
  if ((q.action === "active" || q.action === "reset" || q.action === "no_of_aborted") && step) {
    throw new ConfigError(
      "QueueCmd: when step should not be used with active,reset or no_of_aborted.",
    );
  }
  if (!VALID_NAME.test(q.name)) {
    throw new ConfigError(`QueueCmd: Invalid queue name : '${q.name}'`);
  }
  const where = queuePath === "" ? path : `${queuePath} ${path}`;
  const cmd = task(
    "QueueCmd",
    { name_: q.name, action_: q.action, step_: step, path_to_node_with_queue_: queuePath },
    `chd:queue ${q.name} ${q.action} ${step} ${where}`,
  );
  // `active` and `no_of_aborted` answer with text (`no_of_aborted` only when some step
  // aborted); the other actions are acknowledged: no text
  return request(cmd, (r, label) => {
    const reply = expectReply(r, label, "string", "stc");
    return reply.kind === "string" ? reply.value : undefined;
  });
}

/**
 * Parses `--queue` tokens as ecflow_client does: the first is the name; an
 * action word is the action; a token containing `/` is the queue's node;
 * anything else is the step.
 *
 * @example
 * ```ts
 * import { parseQueueArguments } from "@ecflow-ts/client/wire";
 * import { assertEquals } from "@std/assert";
 * assertEquals(parseQueueArguments(["q1", "complete", "003"]), { name: "q1", action: "complete", step: "003", queuePath: "" });
 * ```
 */
export function parseQueueArguments(tokens: string[]): Required<QueueRequest> {
  let name = "", action = "", step = "", queuePath = "";
  tokens.forEach((t, i) => {
    if (i === 0) name = t;
    else if ((QUEUE_ACTIONS as readonly string[]).includes(t)) action = t;
    else if (t.includes("/")) queuePath = t;
    else step = t;
  });
  if (tokens.length === 4 && queuePath === "") {
    throw new ConfigError(
      `QueueCmd: The fourth argument if specified must provide a path to a node where the queue resides. No path specified. ${
        tokens[3]
      }`,
    );
  }
  if (name === "" || action === "") {
    throw new ConfigError(
      `QueueCmd: incorrect argument specified, expected at least two arguments but found ${tokens.length} Please specify <queue-name> [active | aborted | complete | no_of_aborted | reset ] step <path to node with queue>(optional)`,
    );
  }
  return { name, action: action as QueueAction, step, queuePath };
}
