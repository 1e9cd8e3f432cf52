/**
 * ecflow_client's command-line grammar: long options only, `--opt=value` or
 * `--opt value`, and multi-token options that take every following token up
 * to the next `--option` (as boost::program_options does). `--opt=` with
 * nothing after the equal sign is an error for every option, as in boost. Tokens are grouped
 * per option here; the option tokens themselves are parsed by @std/cli.
 *
 * @module
 */
import { parseArgs } from "../deps.ts";
import { ConfigError } from "../errors.ts";

/** How an option takes its value. */
export type OptionArity =
  /** No value: `--ping`. */
  | "flag"
  /** Exactly one value: `--port=3141` or `--port 3141`. */
  | "value"
  /** An optional value: `--help`, `--help=all` (never from the next token). */
  | "optional"
  /** A first value and any number of following tokens: `--alter add variable X y /s`. */
  | "multi"
  /** Like `multi`, but no token is required: `--status`, `--status /s/t /s/u`. */
  | "any";

/** One option of the grammar. */
export interface OptionSpec {
  /** Name without the leading `--`. */
  name: string;
  /** How it takes its value. */
  arity: OptionArity;
  /** `command` (exactly one per invocation) or `modifier`. */
  role: "command" | "modifier";
  /** One line of help: the argument grammar. */
  usage: string;
  /** One line of help: what it does. */
  summary: string;
}

/** One option as given on the command line. */
export interface GivenOption {
  /** The option's spec. */
  spec: OptionSpec;
  /** The value (`=value` or the next token), or `undefined`. */
  value?: string;
  /** Further tokens of a multi-token option. */
  rest: string[];
}

/** The parsed command line: the one command and the modifiers by name. */
export interface ParsedCommandLine {
  /** The command option, if any (`--help` and `--version` count as commands). */
  command?: GivenOption;
  /** Modifiers by name (`host`, `port`, `json`, …). */
  modifiers: Map<string, GivenOption>;
}

/** Option names whose values are secrets (`--password`): never echoed in a message. */
const SECRET_OPTION = /pass|secret|token/i;

/** A token as a message may show it: the value of a secret-looking `name=value` is hidden. */
function shown(token: string): string {
  const eq = token.indexOf("=");
  return eq >= 0 && SECRET_OPTION.test(token.slice(0, eq)) ? `${token.slice(0, eq)}=***` : token;
}

function oneLine(s: string): string {
  const t = s.replace(/[\r\n]+/g, " ");
  return t.length > 60 ? `${t.slice(0, 57)}...` : t;
}

/**
 * Parses `argv` against `specs`. Unknown options, missing or extra values and
 * a second command are {@linkcode ConfigError}s with a one-line message.
 */
export function parseCommandLine(argv: string[], specs: OptionSpec[]): ParsedCommandLine {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const groups: { token: string; rest: string[] }[] = [];
  for (const arg of argv) {
    if (arg.startsWith("--") && arg.length > 2) groups.push({ token: arg, rest: [] });
    else if (groups.length === 0) {
      throw new ConfigError(
        `unexpected argument '${oneLine(shown(arg))}': options start with '--' (see --help)`,
      );
    } else groups[groups.length - 1].rest.push(arg);
  }

  const parsed: ParsedCommandLine = { modifiers: new Map() };
  for (const g of groups) {
    const name = g.token.slice(2).split("=", 1)[0];
    if (g.token.endsWith("=") && g.token.indexOf("=") === g.token.length - 1) {
      // boost::program_options' rule, checked before the option's name (ecflow_client 5.9.2
      // says this for every option; 5.17 the same except for its own errors of --alter,
      // --abort, --meter and --label, which also refuse without a connection)
      throw new ConfigError(
        `the argument for option '--${oneLine(name)}' should follow immediately after the ` +
          "equal sign",
      );
    }
    const spec = byName.get(name);
    if (!spec) throw new ConfigError(`unknown option '--${oneLine(name)}' (see --help)`);
    const hasValue = g.token.includes("=");
    // @std/cli parses the option token itself (its `=value` form).
    const flags = parseArgs([g.token], {
      string: spec.arity === "flag" ? [] : [name],
      boolean: spec.arity === "flag" ? [name] : [],
      unknown: () => {
        throw new ConfigError(`unknown option '${oneLine(shown(g.token))}' (see --help)`);
      },
    });
    let value: string | undefined;
    if (spec.arity === "flag") {
      if (hasValue) throw new ConfigError(`option '--${name}' takes no value`);
    } else if (hasValue) {
      value = String(flags[name] ?? "");
    }
    const rest = [...g.rest];
    if ((spec.arity === "value" || spec.arity === "multi") && value === undefined) {
      value = rest.shift();
      if (value === undefined) {
        throw new ConfigError(`option '--${name}' needs a value: ${spec.usage}`);
      }
    }
    if (spec.arity === "any" && value === undefined) value = rest.shift();
    if (spec.arity !== "multi" && spec.arity !== "any" && rest.length > 0) {
      throw new ConfigError(
        `unexpected argument '${
          SECRET_OPTION.test(name) ? "***" : oneLine(rest[0])
        }' after '--${name}': ${spec.usage}`,
      );
    }
    const given: GivenOption = { spec, value, rest };
    if (spec.role === "command") {
      if (parsed.command) {
        throw new ConfigError(
          `only one command per call: got '--${parsed.command.spec.name}' and '--${name}'`,
        );
      }
      parsed.command = given;
    } else {
      if (parsed.modifiers.has(name)) throw new ConfigError(`option '--${name}' given twice`);
      parsed.modifiers.set(name, given);
    }
  }
  return parsed;
}
