// `--load=<file> check_only|print|stats` over ecFlow's own parser corpus, beside the
// ecflow_client of each generation: stdout and exit code must equal it. Our CLI runs in-process
// (main() with captured output); ecflow_client runs as a process.
//
// `print` contacts no server, so no server names the form: ecflow-ts prints 5.9.2's (the
// README says so). Against 5.17 the test asserts exactly that difference: ecflow_client 5.17
// prints what ecflow-ts's printer prints with 5.17's print profile, and the CLI prints 5.9.2's
// form (ecflow_client 5.9.2's bytes).
import { assert, assertEquals } from "./deps.ts";
import { ecflowClient, type Generation, GENERATIONS, type RunResult } from "./harness/server.ts";
import { main } from "../cli.ts";
import { ECFLOW_FIXTURES } from "./captures.ts";
import { PRINT_PROFILE_5_9 } from "../lib/defs/mod.ts";
import { loadPrintedAs } from "./user_twin.ts";

const CORPUS = `${ECFLOW_FIXTURES}/defs-corpus`;

/** Syntax newer than 5.9.2 (aviso, mirror 5.13; repeat datetime 5.14): ecflow-ts accepts it
 * locally (a newer server may be the target); ecflow_client 5.9.2 refuses it. A real load to a
 * 5.9.2 server is refused by the server instead. */
const NEWER_SYNTAX = new Set([
  "good_defs/aviso/aviso.def",
  "good_defs/mirror/mirror.def",
  "good_defs/repeat/repeat_datetime.def",
]);

async function corpusFiles(): Promise<string[]> {
  const out: string[] = [];
  async function walk(dir: string) {
    for await (const e of Deno.readDir(dir)) {
      const p = `${dir}/${e.name}`;
      if (e.isDirectory) await walk(p);
      else if (e.name.endsWith(".def")) out.push(p);
    }
  }
  for (const d of ["good_defs", "single_defs", "bad_defs"]) await walk(`${CORPUS}/${d}`);
  return out.sort();
}

async function ours(args: string[]): Promise<{ code: number; stdout: string }> {
  let stdout = "";
  const code = await main(args, { out: (t) => stdout += t, err: () => {}, env: () => undefined });
  return { code, stdout };
}

for (const generation of GENERATIONS) {
  Deno.test(
    `[${generation}] --load check_only|print|stats: same stdout and exit code as ecflow_client on the corpus`,
    (t) => compareOverCorpus(t, generation),
  );
}

async function compareOverCorpus(t: Deno.TestContext, generation: Generation): Promise<void> {
  const files = await corpusFiles();
  assert(files.length > 200, `corpus has ${files.length} files`);
  let compared = 0, printedIn517Form = 0;
  for (const mode of ["check_only", "print", "stats"]) {
    await t.step(mode, async () => {
      for (const f of files) {
        const args = [`--load=${f}`, mode];
        const ref = await ecflowClient(args, {}, generation);
        const mine = await ours(args);
        const rel = f.slice(CORPUS.length + 1);
        if (generation === "5.9" && NEWER_SYNTAX.has(rel)) {
          assertEquals([ref.code, mine.code], [1, 0], `${rel}: newer syntax divergence changed`);
          continue;
        }
        assertEquals(mine.code, ref.code, `exit code of --load=${rel} ${mode}`);
        if (generation === "5.17" && mode === "print") {
          if (ref.code === 0) {
            await assertPrintDifference(f, rel, ref, mine.stdout);
            printedIn517Form++;
          }
          continue;
        }
        assertEquals(mine.stdout, ref.stdout, `stdout of --load=${rel} ${mode}`);
        compared++;
      }
    });
  }
  if (generation === "5.17") assert(printedIn517Form > 90, `5.17 prints ${printedIn517Form}`);
  assert(compared > (generation === "5.9" ? 600 : 400), `compared ${compared}`);
}

/**
 * ecflow_client 5.17's `print` is ecflow-ts's printer with 5.17's profile; ecflow-ts's CLI prints
 * 5.9.2's form, byte for byte what ecflow_client 5.9.2 prints (where 5.9.2 reads the file).
 */
async function assertPrintDifference(file: string, rel: string, ref517: RunResult, mine: string) {
  assertEquals(
    ref517.stdout,
    await loadPrintedAs(file, "5.17.0"),
    `5.17 form of --load=${rel} print`,
  );
  assertEquals(mine, await loadPrintedAs(file, PRINT_PROFILE_5_9.version), `--load=${rel} print`);
  if (!NEWER_SYNTAX.has(rel)) {
    const ref59 = await ecflowClient([`--load=${file}`, "print"], {}, "5.9");
    assertEquals(mine, ref59.stdout, `--load=${rel} print: ecflow_client 5.9.2's bytes`);
  }
}
