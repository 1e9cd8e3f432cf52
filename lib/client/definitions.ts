/**
 * A definition on its way to the server (`--load`, `--replace`, `Client.load()`,
 * `Client.replace()`), prepared once for the CLI and the library alike: read from a file (or
 * given as text), parsed and checked as ecflow_client does, with the warnings ecflow_client
 * prints, and the NET text that is sent (the client's default server variables, never an
 * `extern` line).
 *
 * @module
 */
import { readUserFile } from "../files.ts";
import { ConfigError } from "../errors.ts";
import { checkDefsText, formatIssue } from "../defs/check.ts";
import { loadDefsText } from "../defs/load.ts";
import { allNodes, resolvePath } from "../defs/check.ts";
import { type Defs, EMPTY, type InLimit, type Node } from "../defs/model.ts";

/** A definition to load: a file path, or its text (with a name for messages). */
export type DefinitionSource = string | { text: string; fileName?: string };

/** A definition checked and ready to send. */
export interface PreparedDefinition {
  /** The parsed definition. */
  defs: Defs;
  /** The file name as given (`<text>` for text without a name). */
  fileName: string;
  /**
   * ecflow_client's warnings, in its words (each ends with its newline); the CLI prints them as
   * they are, the library returns them.
   */
  warnings: string[];
}

/**
 * Reads (a path) and checks a definition as ecflow_client does before loading it. A file that
 * cannot be read, or a definition that does not parse or check, is a {@linkcode ConfigError}
 * naming file, line and problem.
 */
export async function prepareDefinition(source: DefinitionSource): Promise<PreparedDefinition> {
  const { text, fileName } = typeof source === "string"
    ? { text: await readUserFile(source, "definition file"), fileName: source }
    : { text: source.text, fileName: source.fileName ?? "<text>" };
  const checked = checkDefsText(text, { fileName });
  if (checked.errors.length > 0 || !checked.defs) {
    throw new ConfigError(checked.errors.map(formatIssue).join("\n"));
  }
  return { defs: checked.defs, fileName, warnings: inlimitWarnings(checked.defs) };
}

/** The NET text a load or replace of `prepared` sends, as from the machine `hostName`. */
export function definitionText(prepared: PreparedDefinition, hostName: string): string {
  return loadDefsText(prepared.defs, { hostName });
}

const DEBUG_TYPES: Record<string, string> = {
  suite: "SUITE",
  family: "FAMILY",
  task: "TASK",
  alias: "ALIAS",
};

function inlimitText(l: InLimit): string {
  let s = "inlimit ";
  if (l.nodeOnly) s += "-n ";
  if (l.submission) s += "-s ";
  s += l.path === "" ? l.name : `${l.path}:${l.name}`;
  if (l.tokens !== 1) s += ` ${l.tokens}`;
  return s;
}

/**
 * The warnings ecflow_client prints on stdout when it parses a definition to load it: in-limits
 * whose limit cannot be found or is smaller than the tokens asked for (ecFlow's wording, in
 * definition order). Each warning ends with its newline (some with a blank line after).
 */
function inlimitWarnings(defs: Defs): string[] {
  const out: string[] = [];
  const nodes = allNodes(defs);
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i];
    const inLimits = n._inLimits;
    if (inLimits === undefined) continue;
    const who = `${DEBUG_TYPES[n.kind]} ${n.absPath}`;
    for (const l of inLimits) {
      if (l.path === "") {
        let found = false;
        for (let p: Node | undefined = n; p && !found; p = p.parent) {
          found = (p._limits ?? EMPTY).some((x) => x.name === l.name);
        }
        if (!found && !defs.externs.includes(l.name)) {
          out.push(
            `Warning: ${who} has a ${inlimitText(l)}, which cannot be found on the parent nodes\n`,
          );
        }
        continue;
      }
      const covered = defs.externs.includes(`${l.path}:${l.name}`);
      const target = resolvePath(defs, n, l.path);
      if (!target) {
        if (!covered && !defs.externs.includes(l.path)) {
          out.push(`Warning: ${who} has a ${inlimitText(l)}, which cannot be found\n`);
        }
        continue;
      }
      const limit = (target._limits ?? EMPTY).find((x) => x.name === l.name);
      if (!limit) {
        if (!covered) {
          out.push(
            `Warning: ${who} has a ${inlimitText(l)} :The referenced ${
              DEBUG_TYPES[target.kind]
            } '${target.absPath}' does not define the limit ${l.name}\n\n`,
          );
        }
      } else if (l.tokens > limit.max) {
        out.push(
          `Warning: ${who} has a ${inlimitText(l)} reference\n with value '${l.tokens}' ` +
            `which exceeds '${limit.max}' defined on the Limit\n`,
        );
      }
    }
  }
  return out;
}
