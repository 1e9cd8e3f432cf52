// --get, --migrate and --get_state over ecFlow's parser corpus, on a server of each
// generation: each good definition is loaded into a real server (by the ecflow_client of the
// same generation) and begun; our CLI (in-process main()) must print exactly what that
// ecflow_client prints.
import { assert, assertEquals } from "./deps.ts";
import { ecflowClient, type Generation, GENERATIONS, startServer } from "./harness/server.ts";
import { main } from "../cli.ts";
import { ECFLOW_FIXTURES } from "./captures.ts";

const CORPUS = `${ECFLOW_FIXTURES}/defs-corpus`;

/** Known defs-parser issue (reported to the defs owner): `event 0 set` read back from the
 * server's NET text loses its state, so ecflow_client's trailing ` # set` is missing. */
const EVENT_SET = "good_defs/event/event_set.def";
const normEventSet = (s: string) => s.replace(/^(\s*event 0 set) # set$/gm, "$1");

const MULTI_PART = `suite as
  task t1
  task t2
  task t3
  task a
    trigger t1 == complete or t2 == complete or t3 == complete
  task b
    trigger t1 == complete and t2 == complete and t3 == complete
  task c
    trigger t1 == complete
    trigger -o t2 == complete
    trigger -o t3 == complete
  task d
    trigger t1 == complete
    trigger -a t2 == complete
    trigger -o t3 == complete or t1 == aborted
    complete t2<flag>late
endsuite
`;

async function definitions(): Promise<string[]> {
  const out: string[] = [];
  async function walk(dir: string) {
    for await (const e of Deno.readDir(dir)) {
      const p = `${dir}/${e.name}`;
      if (e.isDirectory) await walk(p);
      else if (e.name.endsWith(".def")) out.push(p);
    }
  }
  await walk(`${CORPUS}/good_defs`);
  await walk(`${CORPUS}/single_defs`);
  return out.sort();
}

for (const generation of GENERATIONS) {
  Deno.test(
    `[${generation}] --get, --migrate, --get_state: identical to ecflow_client over the corpus`,
    () => compareOverCorpus(generation),
  );
}

async function compareOverCorpus(generation: Generation): Promise<void> {
  await using server = await startServer({ halted: true, generation });
  const reference = (args: string[]) => ecflowClient(args, {}, generation);
  const dir = await Deno.makeTempDir({ prefix: "ecflow-ts-getcorpus." });
  await Deno.writeTextFile(`${dir}/multi_part.def`, MULTI_PART);
  const base = ["--host=127.0.0.1", `--port=${server.port}`];
  const ours = async (args: string[]) => {
    let stdout = "";
    const code = await main([...base, ...args], {
      out: (t) => stdout += t,
      err: () => {},
      env: (k) => (k === "USER" ? Deno.env.get("USER") ?? "root" : undefined),
    });
    return { code, stdout };
  };
  let compared = 0, loaded = 0;
  try {
    for (const f of [...await definitions(), `${dir}/multi_part.def`]) {
      await reference([...base, "--delete=_all_", "force", "yes"]);
      // not every definition loads into 5.9.2 (aviso, mirror, repeat datetime are newer)
      if ((await reference([...base, `--load=${f}`])).code !== 0) continue;
      loaded++;
      await reference([...base, "--begin"]);
      // whole definition, then each suite and its first child (SNodeCmd printing)
      const suites = (await reference([...base, "--suites"])).stdout.trim().split(/\s+/)
        .filter((x) => x !== "" && x !== "No" && x !== "suites").slice(0, 2);
      const paths = [""];
      for (const s of suites) {
        paths.push(`=/${s}`);
        const child = /^\s+(?:family|task) (\S+)/m.exec(
          (await reference([...base, `--get=/${s}`])).stdout,
        );
        if (child) paths.push(`=/${s}/${child[1]}`);
      }
      const commands = paths.flatMap((
        p,
      ) => [[`--get${p}`], [`--migrate${p}`], [`--get_state${p}`]]);
      for (const a of commands) {
        const ref = await reference([...base, ...a]);
        const mine = await ours(a);
        const norm = f.endsWith(EVENT_SET) ? normEventSet : (s: string) => s;
        assertEquals(mine.code, ref.code, `${a[0]} ${f}`);
        assertEquals(norm(mine.stdout), norm(ref.stdout), `${a[0]} after loading ${f}`);
        compared++;
      }
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  assert(loaded > 90 && compared > loaded * 6, `loaded ${loaded}, compared ${compared}`);
  assert(await server.alive());
}

/** Repeats beyond their range, loaded with their state (MIGRATE text): ecFlow generates
 * `<invalid>` parts for them, and the value nearest the range. Only on 5.17: 5.9.2 has no
 * date-time repeats, and a 5.9.2 server aborts some seconds after it holds a date list beyond
 * its end (before that, ecflow_client 5.9.2 prints the same `<invalid>` parts for it). */
const OUT_OF_RANGE = `#5.17.0
defs_state MIGRATE
suite rd
family f
repeat datelist DL "20240101" "20241231" # 2
task t
repeat datetime DT 20240101T000000 20240102T000000 12:00:00 # 20240103T000000
task t2
repeat datetimelist DTL "20240101T000000" "20240102T120000" # 5
task t3
repeat datetime DT 20240101T000000 20240102T000000 12:00:00 # 20240101T120000
task t4
repeat datetimelist DTL "20240101T000000" "20240102T120000" # 1
task t5
repeat datetime DT 20240102T000000 20240101T000000 -06:00:00 # 20231231T000000
endfamily
endsuite
`;

Deno.test("[5.17] --get_state of repeats beyond their range: generated variables as ecflow_client", async () => {
  await using server = await startServer({ generation: "5.17" });
  const reference = (args: string[]) => ecflowClient(args, {}, "5.17");
  const dir = await Deno.makeTempDir({ prefix: "ecflow-ts-outofrange." });
  const base = ["--host=127.0.0.1", `--port=${server.port}`];
  try {
    await Deno.writeTextFile(`${dir}/rd.def`, OUT_OF_RANGE);
    const load = await reference([...base, `--load=${dir}/rd.def`]);
    assertEquals(load.code, 0, load.stderr);
    for (const path of ["", "=/rd", "=/rd/f", "=/rd/f/t", "=/rd/f/t2", "=/rd/f/t5"]) {
      for (const cmd of ["--get_state", "--migrate"]) {
        const a = [...base, cmd + path];
        const ref = await reference(a);
        let stdout = "";
        const code = await main(a, {
          out: (t) => stdout += t,
          err: () => {},
          env: () => undefined,
        });
        assertEquals([code, stdout], [ref.code, ref.stdout], a.join(" "));
      }
    }
    const parts = (await reference([...base, "--get_state=/rd/f/t2"])).stdout;
    assert(parts.includes("# edit DTL_HOURS '<invalid>'"), parts);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  assert(await server.alive());
});
