/**
 * The registry of CLI commands: every command group adds its list here.
 *
 * @module
 */
import type { OptionSpec } from "../args.ts";
import type { CliCommand } from "../registry.ts";
import { helpText, MODIFIERS as COMMON_MODIFIERS, SERVER_COMMANDS } from "./server.ts";
import { TRANSPORT_MODIFIERS } from "./transport.ts";
import { CHILD_COMMANDS, CHILD_MODIFIERS } from "./child.ts";
import { USER_COMMANDS } from "./user.ts";

/** All modifiers (options that adjust a command). */
export const MODIFIERS: OptionSpec[] = [
  ...COMMON_MODIFIERS,
  ...TRANSPORT_MODIFIERS,
  ...CHILD_MODIFIERS,
];

const HELP: CliCommand = {
  name: "help",
  arity: "optional",
  role: "command",
  usage: "--help[=<option>]",
  summary: "print this help, or the help of one option",
  run: ({ option, io }) => {
    io.out(helpText(COMMANDS, MODIFIERS, option.value));
    return Promise.resolve();
  },
};

/** All commands, in help order. */
export const COMMANDS: CliCommand[] = [
  ...SERVER_COMMANDS,
  ...USER_COMMANDS,
  ...CHILD_COMMANDS,
  HELP,
];
