/**
 * `--alter`: ecflow_client's argument grammar
 * `--alter=<action> <kind> [name] [value] <paths…>` turned into an
 * {@linkcode Alteration} and paths, refusing what ecflow_client refuses before
 * any connection.
 *
 * @module
 */
import { ConfigError } from "../../errors.ts";
import {
  ALTER_ADD,
  ALTER_CHANGE,
  ALTER_DELETE,
  ALTER_FLAG,
  ALTER_KINDS_SINCE_5_13,
} from "../../wire/enums.ts";
import { ALTER_SORT, type Alteration } from "../../requests/user.ts";

/**
 * Splits arguments the way ecflow_client does: a token is a path when it
 * starts with `/` and has no space (and, unless `colonIsPath`, no `:`).
 * Relative order is kept in both lists.
 */
export function splitOptionsAndPaths(
  args: readonly string[],
  colonIsPath = false,
): { options: string[]; paths: string[] } {
  const options: string[] = [];
  const paths: string[] = [];
  for (const a of args) {
    if (a === "") continue;
    const isPath = a.startsWith("/") && !a.includes(" ") && (colonIsPath || !a.includes(":"));
    (isPath ? paths : options).push(a);
  }
  return { options, paths };
}

/** `table` without the names ecflow_client 5.9.2 does not know. */
function known592<T extends Record<string, number>>(
  table: T,
  newer: readonly string[],
): Partial<T> {
  return Object.fromEntries(Object.entries(table).filter(([k]) => !newer.includes(k))) as Partial<
    T
  >;
}

/** The kinds ecflow_client 5.9.2's grammar accepts, per action. */
const GRAMMAR = {
  add: known592(ALTER_ADD, ALTER_KINDS_SINCE_5_13.add),
  delete: known592(ALTER_DELETE, ALTER_KINDS_SINCE_5_13.delete),
  change: known592(ALTER_CHANGE, ALTER_KINDS_SINCE_5_13.change),
  flag: known592(ALTER_FLAG, ALTER_KINDS_SINCE_5_13.flag),
};

function fail(message: string): never {
  throw new ConfigError(`--alter: ${message}`);
}

function kindOf<T extends Record<string, unknown>>(table: T, kind: string, action: string) {
  if (!Object.hasOwn(table, kind)) {
    fail(
      `${action}: unknown attribute '${kind}': expected one of ${Object.keys(table).join(" | ")}`,
    );
  }
  return kind as keyof T & string;
}

/** Parses `--alter` arguments into an alteration and its paths. */
export function parseAlterArgs(args: readonly string[]): {
  alteration: Alteration;
  paths: string[];
} {
  const { options, paths } = splitOptionsAndPaths(args);
  if (paths.length === 0) fail("no paths specified; paths must begin with a leading '/'");
  if (options.length < 2) fail(`at least three arguments expected, found ${args.length}`);
  const [action, kind] = options;
  // A value may itself look like a path: ecflow_client then takes the first path as the value.
  const valueFromPaths = () => {
    if (options.length === 3 && paths.length > 1) options.push(paths.shift()!);
  };
  switch (action) {
    case "add": {
      const k = kindOf(GRAMMAR.add, kind, "add");
      if (options.length < 3) fail(`add ${k}: at least four arguments expected`);
      if (k === "variable" || k === "label") valueFromPaths();
      if ((k === "variable" || k === "label" || k === "limit") && options.length < 4) {
        fail(`add ${k}: expected 'add ${k} <name> <value> <paths>'`);
      }
      const value = ["variable", "label", "limit", "inlimit"].includes(k) ? options[3] ?? "" : "";
      return { alteration: { action: "add", kind: k, name: options[2], value }, paths };
    }
    case "delete": {
      const k = kindOf(GRAMMAR.delete, kind, "delete");
      let value = "";
      if (k === "limit_path") {
        if ((options[2] ?? "") === "") fail("delete limit_path: no limit name given");
        // The path to remove may look like a node path: ecflow_client then takes the
        // first path as the value, yet still sends every path (its edited copy is unused).
        if (options.length === 4) value = options[3];
        else if (paths.length > 1) value = paths[0];
        else fail("delete limit_path: expected 'delete limit_path <limit-name> <path> <paths>'");
      }
      return {
        alteration: { action: "delete", kind: k, name: options[2] ?? "", value },
        paths,
      };
    }
    case "change": {
      const k = kindOf(GRAMMAR.change, kind, "change");
      if (k === "variable" || k === "label") valueFromPaths();
      const n = options.length;
      const exact = (want: number) => {
        if (n !== want) {
          fail(`change ${k}: expected ${want} arguments before the paths, found ${n}`);
        }
      };
      let name = options[2] ?? "", value = options[3] ?? "";
      switch (k) {
        case "variable":
          if (n < 3 || n > 4) {
            fail("change variable: expected 'change variable <name> <value> <paths>'");
          }
          break;
        case "label":
          if (n !== 3 && n !== 4) {
            fail("change label: expected 'change label <name> <value> <paths>'");
          }
          value = value.replaceAll("\\n", "\n");
          break;
        case "event":
          if (n !== 3 && n !== 4) {
            fail("change event: expected 'change event <name> [set|clear] <paths>'");
          }
          if (n === 4 && value !== "set" && value !== "clear") {
            fail(`change event: expected set or clear, found '${value}'`);
          }
          break;
        case "clock_sync":
          exact(2);
          break;
        case "meter":
        case "limit_max":
        case "limit_value":
        case "time":
        case "today":
          exact(4);
          break;
        default:
          exact(3);
          value = "";
      }
      if (k === "clock_sync") name = "";
      if (k === "defstatus") {
        const states = [
          "complete",
          "unknown",
          "queued",
          "aborted",
          "submitted",
          "active",
          "suspended",
        ];
        if (!states.includes(name)) fail(`change defstatus: expected one of ${states.join(" | ")}`);
      }
      if ((k === "meter" || k === "limit_max" || k === "limit_value") && !/^-?\d+$/.test(value)) {
        fail(`change ${k}: expected an integer value, found '${value}'`);
      }
      return { alteration: { action: "change", kind: k, name, value }, paths };
    }
    case "set_flag":
    case "clear_flag": {
      const flag = kindOf(GRAMMAR.flag, kind, action);
      return { alteration: { action, flag }, paths };
    }
    case "sort": {
      if (!(ALTER_SORT as readonly string[]).includes(kind)) {
        fail(`sort: unknown attribute '${kind}': expected one of ${ALTER_SORT.join(" | ")}`);
      }
      if (options.length === 3 && options[2] !== "recursive") {
        fail(`sort: expected 'recursive', found '${options[2]}'`);
      }
      return {
        alteration: {
          action: "sort",
          kind: kind as typeof ALTER_SORT[number],
          recursive: options.length === 3,
        },
        paths,
      };
    }
    default:
      fail(
        `the first argument must be one of [ change | delete | add | set_flag | clear_flag | sort ] but found '${action}'`,
      );
  }
}
