/**
 * The registry of CLI commands. Parsing and help use the generated option table
 * (`specs.ts`); a command's implementation is loaded only when it runs, so a `--ping` or a
 * child command in a job script does not load the user-command modules (definition parser,
 * printers, evaluator).
 *
 * @module
 */
import type { OptionSpec } from "../args.ts";
import type { CliCommand } from "../registry.ts";
import { helpText } from "./server.ts";
import { COMMAND_SPECS, type CommandGroup, MODIFIER_SPECS } from "./specs.ts";

/** Loads the commands a group implements. */
const GROUPS: Record<CommandGroup, () => Promise<readonly CliCommand[]>> = {
  server: async () => (await import("./server.ts")).SERVER_COMMANDS,
  user: async () => (await import("./user.ts")).USER_COMMANDS,
  live: async () => (await import("./live.ts")).LIVE_COMMANDS,
  child: async () => (await import("./child.ts")).CHILD_COMMANDS,
  discover: async () => (await import("./discover.ts")).DISCOVER_COMMANDS,
};

/** All modifiers (options that adjust a command). */
export const MODIFIERS: OptionSpec[] = MODIFIER_SPECS.map((s) => ({ ...s }));

/** The implementation of the command named `name` in `group`. */
export async function loadCommand(group: CommandGroup, name: string): Promise<CliCommand> {
  const found = (await GROUPS[group]()).find((c) => c.name === name);
  if (!found) throw new Error(`command --${name} is in the option table but not in its group`);
  return found;
}

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

/** All commands, in help order; each loads its implementation when it runs. */
export const COMMANDS: CliCommand[] = [
  ...COMMAND_SPECS.map(({ group, ...spec }): CliCommand => ({
    ...spec,
    run: async (ctx) => await (await loadCommand(group, spec.name)).run(ctx),
  })),
  HELP,
];
