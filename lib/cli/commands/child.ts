/**
 * The child (task) commands a job calls from its `head.h`/`tail.h`:
 * `--init`, `--complete`, `--abort`, `--event`, `--meter`, `--label`,
 * `--wait`, `--queue`, with the modifiers `--add`, `--remove`, `--rid`.
 * Arguments are checked, and the job context read, as ecflow_client does;
 * retry lines are printed as ecflow_client prints them (time-stamped, the
 * connection errors on stderr, everything else on stdout).
 *
 * @module
 */
import { envPermissionHint } from "../../env.ts";
import type { GivenOption, OptionSpec } from "../args.ts";
import type { CliCommand, CommandContext } from "../registry.ts";
import type { ChildContext } from "../../client/job_context.ts";
import type { TaskClient } from "../../client/task_client.ts";
import { ConfigError } from "../../errors.ts";
import type { Request } from "../../requests/request.ts";
import { timeStamp } from "../format.ts";
import {
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
  queueCommand,
  waitCommand,
} from "../../requests/task.ts";

/** Modifiers of the child commands. */
export const CHILD_MODIFIERS: OptionSpec[] = [
  {
    name: "add",
    arity: "multi",
    role: "modifier",
    usage: "--add <name=value>…",
    summary: "with --init: add or update variables on the task",
  },
  {
    name: "remove",
    arity: "multi",
    role: "modifier",
    usage: "--remove <name>…",
    summary: "with --complete: delete variables from the task",
  },
  {
    name: "rid",
    arity: "optional",
    role: "modifier",
    usage: "--rid[=<id>]",
    summary: "child commands: process or remote id (overrides ECF_RID)",
  },
];

/** Everything a child command needs: the task client with its job context. */
interface Job {
  task: TaskClient;
  ctx: ChildContext;
}

/** Prepares the task client: `--rid`, notices printed as ecflow_client prints them. */
function job({ client, modifiers, io }: CommandContext): Job {
  const task = client().task;
  const rid = modifiers.get("rid");
  if (rid) task.context.remoteId = rid.value ?? "";
  task.onNotice((n) => {
    if (n.kind === "noEcf") return io.out("NO_ECF\n");
    const line = `${timeStamp()}${n.text}\n`;
    if (n.stream === "err") io.err(line);
    else io.out(line);
  });
  return { task, ctx: task.context };
}

/** ecflow_client's `checkTaskPathAndPassword`, with the command's class as prefix. */
function requireTask(ctx: ChildContext, cls: string): void {
  if (ctx.path === "") {
    throw new ConfigError(
      `${cls}: No task path specified for ECF_NAME${envPermissionHint("ECF_NAME")}`,
    );
  }
  if (ctx.password === "") {
    throw new ConfigError(
      `${cls}: No jobs password specified for ECF_PASS${envPermissionHint("ECF_PASS")}`,
    );
  }
}

function tokens(o: GivenOption): string[] {
  return o.value === undefined ? [...o.rest] : [o.value, ...o.rest];
}

/** Sends the request built by `build` unless NO_ECF is set; prints its text result, if any. */
async function send(
  cx: CommandContext,
  build: (j: Job) => Request<void | string | undefined>,
): Promise<void> {
  const j = job(cx);
  if (j.ctx.noEcf) {
    cx.io.out("NO_ECF\n");
    return;
  }
  const result = await j.task.request(build(j));
  if (typeof result === "string") cx.io.out(`${result}\n`);
}

/** The child commands, in ecflow_client's help order. */
export const CHILD_COMMANDS: CliCommand[] = [
  {
    name: "init",
    arity: "value",
    role: "command",
    usage: "--init=<rid> [--add n=v …]",
    summary: "job started: mark the task active (ECF_NAME, ECF_PASS, ECF_TRYNO)",
    run: (cx) =>
      send(cx, ({ ctx }) => {
        const rid = cx.option.value ?? "";
        requireTask(ctx, "InitCmd");
        if (ctx.remoteId !== "" && ctx.remoteId !== rid) {
          throw new ConfigError(
            `remote id(${rid}) passed as an argument, not the same the client environment ECF_RID(${ctx.remoteId})`,
          );
        }
        const add = cx.modifiers.get("add");
        const vars = add ? parseTaskVariables(tokens(add)) : ctx.initAddVars;
        ctx.remoteId = rid;
        return initCommand(ctx.path, vars);
      }),
  },
  {
    name: "complete",
    arity: "flag",
    role: "command",
    usage: "--complete [--remove n …]",
    summary: "job finished: mark the task complete",
    run: (cx) =>
      send(cx, ({ ctx }) => {
        requireTask(ctx, "CompleteCmd");
        const rm = cx.modifiers.get("remove");
        return completeCommand(ctx.path, rm ? tokens(rm) : ctx.completeDelVars);
      }),
  },
  {
    name: "abort",
    arity: "optional",
    role: "command",
    usage: "--abort[=<reason>]",
    summary: "job failed: mark the task aborted",
    run: (cx) =>
      send(cx, ({ ctx }) => {
        requireTask(ctx, "AbortCmd");
        return abortCommand(ctx.path, cx.option.value ?? "");
      }),
  },
  {
    name: "event",
    arity: "multi",
    role: "command",
    usage: "--event=<name> [set|clear]",
    summary: "set (default) or clear an event of the task",
    run: (cx) =>
      send(cx, ({ ctx }) => {
        const args = tokens(cx.option);
        const value = args.length === 2 ? parseEventValue(args[1]) : true;
        requireTask(ctx, "EventCmd");
        return eventCommand(ctx.path, args[0] ?? "", value);
      }),
  },
  {
    name: "meter",
    arity: "multi",
    role: "command",
    usage: "--meter=<name> <int>",
    summary: "set a meter of the task",
    run: (cx) =>
      send(cx, ({ ctx }) => {
        const args = tokens(cx.option);
        if (args.length !== 2) {
          throw new ConfigError(
            `MeterCmd: Two arguments expected, found ${args.length} Please specify <meter-name> <meter-value>, ie --meter=name 100`,
          );
        }
        const value = parseMeterValue(args[1]);
        requireTask(ctx, "MeterCmd");
        return meterCommand(ctx.path, args[0], value);
      }),
  },
  {
    name: "label",
    arity: "multi",
    role: "command",
    usage: "--label=<name> <text>…",
    summary: "set a label of the task (words joined by one space)",
    run: (cx) =>
      send(cx, ({ ctx }) => {
        const args = tokens(cx.option);
        if (args.length < 2) {
          throw new ConfigError(
            "LabelCmd: At least 2 arguments expected. Please specify <label-name> <string1> <string2>",
          );
        }
        requireTask(ctx, "LabelCmd");
        return labelCommand(ctx.path, args[0], args.slice(1).join(" "));
      }),
  },
  {
    name: "wait",
    arity: "value",
    role: "command",
    usage: "--wait=<expression>",
    summary: "block until the trigger expression holds",
    run: (cx) =>
      send(cx, ({ ctx }) => {
        requireTask(ctx, "CtsWaitCmd");
        return waitCommand(ctx.path, cx.option.value ?? "");
      }),
  },
  {
    name: "queue",
    arity: "multi",
    role: "command",
    usage: "--queue=<name> <action> [step] [path]",
    summary: "active|aborted|complete|no_of_aborted|reset a queue step; active prints the step",
    run: (cx) =>
      send(cx, ({ ctx }) => {
        const q = parseQueueArguments(tokens(cx.option));
        const cmd = queueCommand(ctx.path, q);
        requireTask(ctx, "QueueCmd");
        return cmd;
      }),
  },
];
