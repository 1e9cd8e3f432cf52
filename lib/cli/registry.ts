/**
 * What a CLI command is: its option spec plus a function that runs it against
 * a client and writes its output. Command groups live in `commands/`.
 *
 * @module
 */
import type { GivenOption, OptionSpec } from "./args.ts";
import type { Client } from "../client/client.ts";
import type { EnvReader } from "../env.ts";

/** Where the program writes; replaceable for tests. */
export interface CliIo {
  /** Writes to standard output. */
  out(text: string): void;
  /** Writes to standard error. */
  err(text: string): void;
  /** Reads an environment variable (default: the process environment, never prompting). */
  env?: EnvReader;
}

/** What a running command gets. */
export interface CommandContext {
  /** The client (created on first use, from the modifiers and the environment). */
  client: () => Client;
  /** The command option as given. */
  option: GivenOption;
  /** All modifiers given, by name. */
  modifiers: Map<string, GivenOption>;
  /** `--json` was given. */
  json: boolean;
  /** Output streams. */
  io: CliIo;
  /** The environment. */
  env: EnvReader;
}

/** A CLI command: its option spec and what it does. */
export interface CliCommand extends OptionSpec {
  /** Runs the command; throws typed errors, which the program turns into messages. */
  run(ctx: CommandContext): Promise<void>;
}
