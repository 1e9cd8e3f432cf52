// A suite nested 10,000 families deep (any user can load one) must not break a printer or a
// walker: every one keeps its own stack. In-process, the tree parses, walks, prints in every
// style, converts to JSON, checks and explains itself at that depth; against a real 5.9.2
// server loaded by ecflow_client, --get, --get=/deep, --get_state and --migrate print exactly
// ecflow_client's bytes (hundreds of megabytes, compared as files), so does the NET text of
// `--load … print`, a load by ecflow-ts leaves the server with the same tree, --get_state --json
// is one valid JSON document whose tree is as deep as the suite, and check_only answers as
// ecflow_client does.
import { assert, assertEquals } from "./deps.ts";
import {
  autoExterns,
  checkDefs,
  defsToJson,
  expressionTree,
  type Node,
  nodeToJson,
  parseDefs,
  parseExpression,
  printDefs,
  printNode,
  stateExtras,
  walkExpr,
  writeDefs,
} from "../lib/defs/mod.ts";
import { ExprEvaluator } from "../lib/defs/evaluate.ts";
import { why } from "../lib/defs/why.ts";
import { writeJson } from "../lib/cli/json_text.ts";
import { ecflowClient, ecflowPrograms, startServer } from "./harness/server.ts";

const DEPTH = 10_000;

/** `suite deep`, `DEPTH` families inside each other, `task t` at the bottom (the file). */
function deepText(depth: number, taskLines: string[] = []): string {
  const lines = ["suite deep"];
  for (let i = 0; i < depth; i++) lines.push(`family f${i}`);
  lines.push("task t", ...taskLines);
  for (let i = 0; i < depth; i++) lines.push("endfamily");
  lines.push("endsuite");
  return lines.join("\n") + "\n";
}

function deepestPath(depth: number): string {
  let p = "/deep";
  for (let i = 0; i < depth; i++) p += `/f${i}`;
  return p + "/t";
}

Deno.test("deep tree: 10,000 levels parse, walk, print in every style, convert to JSON, check and explain why", () => {
  const text = deepText(DEPTH, ["  trigger /deep:l == 0", "  inlimit /deep:l"]).replace(
    "suite deep\n",
    "suite deep\n  limit l 1\n",
  );
  const defs = parseDefs(text);
  const nodes = [...defs.walk()];
  assertEquals(nodes.length, DEPTH + 2);
  const task = defs.find(deepestPath(DEPTH))!;
  assertEquals([task.kind, task.depth, nodes.at(-1)], ["task", DEPTH + 1, task]);

  // NET and MIGRATE (not indented): print, parse back, print again
  for (const style of ["net", "migrate"] as const) {
    const once = printDefs(defs, { style });
    assertEquals(printDefs(parseDefs(once), { style }), once, `${style} round trip`);
  }
  assertEquals(
    printNode(defs.find("/deep/f0")!, { style: "net", indent: false }).split("\n").length,
    2 * DEPTH + 4, // family and endfamily lines, task, trigger, inlimit, the final newline
  );
  // DEFS and STATE (indented: hundreds of megabytes) come in pieces of whole lines;
  // tests/robust_deep's server test compares them with ecflow_client byte for byte
  for (const style of ["defs", "state"] as const) {
    const deepest = style === "defs"
      ? `\n${" ".repeat(2 * (DEPTH + 2))}inlimit /deep:l\n`
      : `\n${" ".repeat(2 * (DEPTH + 2))}# edit ECF_NAME '${deepestPath(DEPTH)}'\n`;
    let lines = 0, found = false, last = "";
    writeDefs(defs, (piece) => {
      assert(piece.endsWith("\n"));
      for (let i = piece.indexOf("\n"); i >= 0; i = piece.indexOf("\n", i + 1)) lines++;
      found ||= piece.includes(deepest);
      last = piece;
    }, { style, stateExtras: stateExtras(defs) });
    assert(found, `${style}: the deepest line, indented`);
    assert(last.endsWith("\nendsuite\n# enddef\n"));
    assert(lines > 2 * DEPTH, `${style}: ${lines} lines`);
  }

  // the JSON view: as deep as the tree, and written as JSON text without recursion
  let j = defsToJson(defs).suites[0];
  let levels = 0;
  while (j.children.length > 0) {
    j = j.children[0];
    levels++;
  }
  assertEquals([levels, j.path], [DEPTH + 1, deepestPath(DEPTH)]);
  let first = "", end = "";
  writeJson(nodeToJson(defs.find("/deep")!), (piece) => {
    first ||= piece;
    end = (end + piece).slice(-30_000);
  });
  assert(first.startsWith('{"kind":"suite","name":"deep","path":"/deep"'));
  // the task's trigger closes, the task, then each family, then the suite after its limit
  const suiteEnd = '],"limits":[{"name":"l","max":1,"value":0,"paths":[]}]}';
  assert(end.endsWith('"free":false}}' + "]}".repeat(DEPTH) + suiteEnd));

  // check (check_only), the externs of --get, why
  assertEquals(checkDefs(defs), { errors: [], warnings: [] });
  assertEquals(autoExterns(defs), []);
  for (const n of defs.walk()) n.state = "queued";
  defs.find("/deep")!.limits[0].value = 1;
  const reasons = why(defs);
  assertEquals(reasons.slice(0, 2), [
    "The definition state(unknown) is not queued or aborted.",
    "limit /deep:l is full()",
  ]);
  assertEquals(
    reasons[2],
    `TASK ${deepestPath(DEPTH)}(queued) expression (/deep:l(type:limit value:1) == 0) is false`,
  );
  assertEquals(reasons.length, 3);
  assertEquals(why(defs, deepestPath(DEPTH)), reasons);
});

Deno.test("deep expressions: 10,000 trigger lines and a 5,000-term or-chain evaluate, print and explain", () => {
  const parts = ["  trigger a == complete"];
  for (let i = 1; i < DEPTH; i++) parts.push(`  trigger -o a == complete`);
  const chain = Array.from({ length: 5000 }, () => "a == complete").join(" or ");
  const text = "suite s\n  task a\n  task b\n" + parts.join("\n") + "\n  task c\n  trigger " +
    chain + "\nendsuite\n";
  const defs = parseDefs(text);
  assertEquals(checkDefs(defs), { errors: [], warnings: [] });
  for (const name of ["b", "c"]) {
    const node: Node = defs.find(`/s/${name}`)!;
    const tree = expressionTree(node, "trigger", defs);
    // title, then one OR line and one EQUAL (three lines) per term
    const terms = name === "b" ? DEPTH : 5000;
    assertEquals(tree.length, 1 + (terms - 1) + 3 * terms);
    assert(tree[1].trim() === "# OR (false)");
  }
  const ast = parseExpression(chain);
  assertEquals([...walkExpr(ast)].length, 5000 * 3 + 4999);
  assertEquals(new ExprEvaluator(defs, defs.find("/s/c")!).evaluate(ast), false);
  defs.find("/s/a")!.state = "complete";
  assertEquals(new ExprEvaluator(defs, defs.find("/s/c")!).evaluate(ast), true);
  for (const n of defs.walk()) if (n.name !== "a") n.state = "queued";
  defs.find("/s/a")!.state = "aborted";
  let explained = "(a(aborted) == complete)";
  for (let i = 1; i < DEPTH; i++) explained = `(${explained} or (a(aborted) == complete))`;
  assertEquals(why(defs, "/s/b"), [
    "The definition state(unknown) is not queued or aborted.",
    `TASK /s/b(queued) expression ${explained} is false`,
  ]);
  // parentheses nested absurdly deep are refused in one line, not with a stack overflow
  let error = "";
  try {
    parseExpression("(".repeat(100_000) + "1" + ")".repeat(100_000));
  } catch (e) {
    error = (e as Error).message;
  }
  assertEquals(error, "parentheses nested more than 1000 deep");
});

// ---------------------------------------------------------------- against a real server

/** Runs a program with its standard output going to `file`; resolves with code and stderr. */
async function runToFile(
  cmd: string,
  args: string[],
  env: Record<string, string>,
  file: string,
): Promise<{ code: number; stderr: string }> {
  const child = new Deno.Command(cmd, {
    args,
    env: {
      PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
      USER: Deno.env.get("USER") ?? "root",
      ...env,
    },
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const out = await Deno.open(file, { write: true, create: true, truncate: true });
  const [, status, stderr] = await Promise.all([
    child.stdout.pipeTo(out.writable),
    child.status,
    new Response(child.stderr).text(),
  ]);
  return { code: status.code, stderr };
}

const CLI = new URL("../cli.ts", import.meta.url).pathname;

/** Our CLI in a child `deno run`, as tests/harness/server.ts runs it. */
function ours(args: string[], file: string) {
  const env: Record<string, string> = { HOSTNAME: Deno.hostname() };
  for (const k of ["DENO_DIR", "JSR_URL", "HOME", "DENO_NO_UPDATE_CHECK"]) {
    const v = Deno.env.get(k);
    if (v !== undefined) env[k] = v;
  }
  return runToFile(
    Deno.execPath(),
    ["run", "--quiet", "--no-lock", "--allow-net", "--allow-env", "--allow-read", CLI, ...args],
    env,
    file,
  );
}

/** Where the two files first differ, in `cmp`'s words; "" when they are the same. */
async function difference(a: string, b: string): Promise<string> {
  const out = await new Deno.Command("cmp", { args: [a, b], stdout: "piped", stderr: "piped" })
    .output();
  const dec = new TextDecoder();
  return out.code === 0 ? "" : dec.decode(out.stdout) + dec.decode(out.stderr);
}

/** Where a streaming JSON reader is. */
type JsonState =
  | "value"
  | "firstValue"
  | "key"
  | "firstKey"
  | "colon"
  | "after"
  | "string"
  | "literal";

/**
 * Reads a JSON text from a byte stream without holding it: checks it is one valid JSON value,
 * that no C1 control character is in it raw, and returns the deepest nesting and the keys of
 * the top-level object.
 */
async function checkJsonStream(
  stream: ReadableStream<Uint8Array>,
): Promise<{ maxDepth: number; keys: string[] }> {
  const stack: string[] = []; // "{" or "["
  let state: JsonState = "value";
  let stringIsKey = false;
  let escape = 0; // 0: none, 1: after "\", 2..5: hex digits of \u
  let literal = "";
  let key = "";
  const keys: string[] = [];
  let maxDepth = 0;
  let afterC2 = false;
  let ended = false;
  const fail = (why: string): never => {
    throw new Error(`invalid JSON: ${why}`);
  };
  const endValue = () => {
    state = "after";
    if (stack.length === 0) ended = true;
  };
  const endLiteral = () => {
    if (
      !/^(true|false|null|-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?)$/.test(literal)
    ) fail(`bad literal '${literal.slice(0, 20)}'`);
    literal = "";
    endValue();
  };
  for await (const chunk of stream) {
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      if (afterC2 && b >= 0x80 && b <= 0x9f) fail("a raw C1 control character");
      afterC2 = b === 0xc2;
      if (state === "string") {
        if (escape === 1) {
          if (b === 0x75) escape = 2;
          else if ('"\\/bfnrt'.includes(String.fromCharCode(b))) escape = 0;
          else fail("bad escape");
        } else if (escape >= 2) {
          if (!/[0-9a-fA-F]/.test(String.fromCharCode(b))) fail("bad \\u escape");
          escape = escape === 5 ? 0 : escape + 1;
        } else if (b === 0x5c) escape = 1;
        else if (b === 0x22) {
          if (stringIsKey) {
            if (stack.length === 1) keys.push(key);
            state = "colon";
          } else endValue();
        } else if (b < 0x20) fail("a raw control character in a string");
        else if (stringIsKey && stack.length === 1) key += String.fromCharCode(b);
        continue;
      }
      const c = String.fromCharCode(b);
      if (state === "literal") {
        if (/[0-9a-z.+\-E]/.test(c)) {
          literal += c;
          continue;
        }
        endLiteral();
      }
      if (c === " " || c === "\n" || c === "\t" || c === "\r") continue;
      if (ended) fail("text after the value");
      // (endValue() changes the state behind the type checker's back)
      switch (state as JsonState) {
        case "value":
        case "firstValue":
          if (c === "{" || c === "[") {
            stack.push(c);
            maxDepth = Math.max(maxDepth, stack.length);
            state = c === "{" ? "firstKey" : "firstValue";
          } else if (c === "]" && state === "firstValue") {
            stack.pop();
            endValue();
          } else if (c === '"') {
            state = "string";
            stringIsKey = false;
          } else if (/[-0-9tfn]/.test(c)) {
            state = "literal";
            literal = c;
          } else fail(`unexpected '${c}'`);
          break;
        case "firstKey":
        case "key":
          if (c === '"') {
            state = "string";
            stringIsKey = true;
            key = "";
          } else if (c === "}" && state === "firstKey") {
            stack.pop();
            endValue();
          } else fail(`expected a key, found '${c}'`);
          break;
        case "colon":
          if (c !== ":") fail("expected ':'");
          state = "value";
          break;
        case "after":
          if (c === ",") state = stack.at(-1) === "{" ? "key" : "value";
          else if ((c === "}" && stack.at(-1) === "{") || (c === "]" && stack.at(-1) === "[")) {
            stack.pop();
            endValue();
          } else fail(`unexpected '${c}' after a value`);
          break;
      }
    }
  }
  if (state === "literal") endLiteral();
  if (!ended) fail("the text ends inside the value");
  return { maxDepth, keys };
}

Deno.test("deep tree 5.9.2: --get, --get=/deep, --get_state, --migrate and check_only as ecflow_client at 10,000 levels; --json as deep", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "ecflow-ts-deep." });
  try {
    await Deno.writeTextFile(`${dir}/d.def`, deepText(DEPTH));
    // halted: the calendar does not tick, so the text cannot change between the two clients
    await using server = await startServer({ halted: true });
    const where = ["--host=127.0.0.1", `--port=${server.port}`];
    const load = await ecflowClient([...where, `--load=${dir}/d.def`]);
    assertEquals(load.code, 0, load.stderr);
    const client = ecflowPrograms("5.9").client;
    const commands = [
      ["--get"],
      ["--get=/deep"],
      ["--get_state"],
      ["--migrate"],
      [`--load=${dir}/d.def`, "print"], // the NET text a load sends, indented
    ];
    for (const command of commands) {
      await t.step(`${command.join(" ")} (10,000 levels)`, async () => {
        const ref = await runToFile(client, [...where, ...command], {}, `${dir}/ref.txt`);
        const mine = await ours([...where, ...command], `${dir}/ours.txt`);
        assertEquals(mine.code, ref.code, `exit code; ours: ${mine.stderr} ref: ${ref.stderr}`);
        assertEquals(mine.stderr, "");
        assertEquals(await difference(`${dir}/ref.txt`, `${dir}/ours.txt`), "");
        assert(Deno.statSync(`${dir}/ref.txt`).size > 100_000_000, "the whole text was compared");
        if (command[0] === "--get") await Deno.rename(`${dir}/ref.txt`, `${dir}/get.txt`);
      });
    }
    await t.step(
      "--load … force by ecflow-ts (10,000 levels): the server holds the same tree",
      async () => {
        const mine = await ours([...where, `--load=${dir}/d.def`, "force"], `${dir}/ours.txt`);
        assertEquals([mine.code, mine.stderr], [0, ""]);
        const after = await runToFile(client, [...where, "--get"], {}, `${dir}/after.txt`);
        assertEquals(after.code, 0, after.stderr);
        assertEquals(await difference(`${dir}/get.txt`, `${dir}/after.txt`), "");
      },
    );
    await t.step("--load … check_only (10,000 levels)", async () => {
      const args = [...where, `--load=${dir}/d.def`, "check_only"];
      const ref = await runToFile(client, args, {}, `${dir}/ref.txt`);
      const mine = await ours(args, `${dir}/ours.txt`);
      assertEquals([mine.code, mine.stderr], [ref.code, ""], ref.stderr);
      assertEquals(await difference(`${dir}/ref.txt`, `${dir}/ours.txt`), "");
    });
    await t.step(
      "--get_state --json (10,000 levels): one valid JSON document, as deep",
      async () => {
        const env: Record<string, string> = {
          PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
          USER: Deno.env.get("USER") ?? "root",
        };
        for (const k of ["DENO_DIR", "JSR_URL", "HOME", "DENO_NO_UPDATE_CHECK"]) {
          const v = Deno.env.get(k);
          if (v !== undefined) env[k] = v;
        }
        const child = new Deno.Command(Deno.execPath(), {
          args: ["run", "--quiet", "--no-lock", "--allow-net", "--allow-env", CLI, ...where]
            .concat(["--get_state", "--json"]),
          env,
          clearEnv: true,
          stdin: "null",
          stdout: "piped",
          stderr: "piped",
        }).spawn();
        const [json, status, stderr] = await Promise.all([
          checkJsonStream(child.stdout),
          child.status,
          new Response(child.stderr).text(),
        ]);
        assertEquals([status.code, stderr], [0, ""]);
        assertEquals(json.keys, ["command", "path", "style", "tree", "text"]);
        // document, tree, suites, then an object and its children for each of the 10,002 nodes
        assertEquals(json.maxDepth, 3 + 2 * (DEPTH + 2));
      },
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
