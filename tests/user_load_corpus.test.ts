// `--load=<file> check_only|print|stats` over ecFlow's own parser corpus:
// stdout and exit code must equal ecflow_client's. Our CLI runs in-process
// (main() with captured output); ecflow_client runs as a process.
import { assert, assertEquals } from "./deps.ts";
import { ecflowClient } from "./harness/server.ts";
import { main } from "../cli.ts";
import { ECFLOW_FIXTURES } from "./captures.ts";

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

Deno.test("--load check_only|print|stats: same stdout and exit code as ecflow_client on the corpus", async (t) => {
  const files = await corpusFiles();
  assert(files.length > 200, `corpus has ${files.length} files`);
  let compared = 0;
  for (const mode of ["check_only", "print", "stats"]) {
    await t.step(mode, async () => {
      for (const f of files) {
        const args = [`--load=${f}`, mode];
        const ref = await ecflowClient(args);
        const mine = await ours(args);
        const rel = f.slice(CORPUS.length + 1);
        if (NEWER_SYNTAX.has(rel)) {
          assertEquals([ref.code, mine.code], [1, 0], `${rel}: newer syntax divergence changed`);
          continue;
        }
        assertEquals(mine.code, ref.code, `exit code of --load=${rel} ${mode}`);
        assertEquals(mine.stdout, ref.stdout, `stdout of --load=${rel} ${mode}`);
        compared++;
      }
    });
  }
  assert(compared > 600, `compared ${compared}`);
});
