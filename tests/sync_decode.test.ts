/**
 * Incremental sync replies captured from real 5.9.2 and 5.17 servers
 * (tests/fixtures/sync/<generation>/, made by tests/fixtures/sync/capture.ts): decoded, applied
 * step by step to the tree parsed from the first full sync, and compared after every step
 * with the server's whole definition captured right after that step.
 */
import { assert, assertEquals, assertThrows } from "./deps.ts";
import { ProtocolError } from "../mod.ts";
import { decodeReply } from "../lib/wire/mod.ts";
import { parseDefs } from "../lib/defs/parser.ts";
import { printDefs } from "../lib/defs/printer.ts";
import type { Defs } from "../lib/defs/model.ts";
import { applyDelta } from "../lib/sync/apply.ts";
import { decodeDefsDelta, type Memento } from "../lib/wire/mementos.ts";
import { GENERATIONS } from "./harness/server.ts";
import { Prng } from "./harness/prng.ts";

const DIR = new URL("./fixtures/sync/", import.meta.url).pathname;

interface Step {
  file: string;
  step: string;
  asked: [number, number];
}

function steps(generation: string): Step[] {
  return JSON.parse(Deno.readTextFileSync(`${DIR}${generation}/index.json`));
}

function reply(generation: string, file: string) {
  const r = decodeReply(Deno.readFileSync(`${DIR}${generation}/${file}`));
  if (r.kind !== "sync") throw new Error(`${file}: not a sync reply`);
  return { ...r, delta: decodeDefsDelta(r.incremental) };
}

function mementos(generation: string, name: string): Memento[] {
  const s = steps(generation).find((x) => x.step === name)!;
  return reply(generation, s.file).delta.compounds.flatMap((c) => c.mementos)
    .filter((m) => m.kind !== "flags"); // user commands also set the `message` flag
}

for (const generation of GENERATIONS) {
  Deno.test(`${generation} captures: every step's changes, applied, give the server's next tree (STATE and MIGRATE)`, () => {
    let defs: Defs = parseDefs(Deno.readTextFileSync(`${DIR}${generation}/00-full.txt`));
    let incremental = 0;
    for (const s of steps(generation)) {
      assertEquals([defs.stateChange, defs.modifyChange], s.asked, `${s.file}: numbers asked`);
      const r = reply(generation, s.file);
      const server = parseDefs(
        Deno.readTextFileSync(`${DIR}${generation}/${s.file.replace(/\.reply$/, ".get.txt")}`),
      );
      if (r.full) {
        defs = parseDefs(r.text);
      } else {
        incremental++;
        applyDelta(defs, r.delta);
        // 5.9 servers send no flags with re-sent attributes; LocalCopy reads those nodes'
        // flags again (tests/sync_random.test.ts runs that against the servers).
        for (const c of r.delta.compounds) {
          if (c.clearAttributes && !c.mementos.some((m) => m.kind === "flags")) {
            assertEquals(generation, "5.9", `${s.file}: ${generation} omitted flags`);
            defs.find(c.path)!.flags = [...server.find(c.path)!.flags];
          }
        }
      }
      for (const style of ["state", "migrate"] as const) {
        assertEquals(
          printDefs(defs, { style }),
          printDefs(server, { style }),
          `${generation} ${s.file} (${style})`,
        );
      }
    }
    assert(incremental >= 35, `only ${incremental} incremental replies`);
  });

  Deno.test(`${generation} captures: mementos decode to the values the commands set`, () => {
    assertEquals(mementos(generation, "suspend-task")[0], { kind: "suspended", suspended: true });
    assertEquals(mementos(generation, "child-event"), [{
      kind: "event",
      event: { name: "ev1", initial: false, value: true },
    }]);
    assertEquals(mementos(generation, "child-meter"), [{
      kind: "meter",
      meter: { name: "m1", min: 0, max: 100, colorChange: 90, value: 55 },
    }]);
    assertEquals(mementos(generation, "child-label"), [{
      kind: "label",
      label: { name: "lab1", value: "initial", newValue: "a new\nvalue" },
    }]);
    assertEquals(mementos(generation, "child-queue"), [{
      kind: "queueIndex",
      name: "q1",
      index: 1,
      states: ["active", "queued", "queued"],
    }]);
    assertEquals(mementos(generation, "alter-change-repeat"), [{ kind: "repeatIndex", value: 7 }]);
    assertEquals(mementos(generation, "alter-defstatus"), [{
      kind: "defStatus",
      defStatus: "complete",
    }]);
    assertEquals(mementos(generation, "order-family"), [{ kind: "order", names: ["t5", "t4"] }]);
    assertEquals(mementos(generation, "server-variable"), [{
      kind: "serverVariables",
      variables: [{ name: "SRV_VAR", value: "v" }],
    }]);
    assertEquals(mementos(generation, "halt"), [{ kind: "serverState", state: "HALTED" }]);
    assertEquals(mementos(generation, "shutdown"), [{ kind: "serverState", state: "SHUTDOWN" }]);
    const children = mementos(generation, "delete-task").find((m) => m.kind === "children");
    assert(children?.kind === "children");
    assertEquals(children.nodes.map((n) => [n.kind, n.name, n.state]), [
      ["task", "a", "complete"],
      ["task", "b", "aborted"],
    ]);
    const abort = mementos(generation, "child-abort").find((m) => m.kind === "submittable");
    assertEquals(abort, {
      kind: "submittable",
      password: "",
      rid: "1",
      abortReason: "it broke",
      tryNo: 0,
    });
    const time = mementos(generation, "alter-add-time").find((m) =>
      m.kind === "time" && m.time.series.relative
    );
    assertEquals(time, {
      kind: "time",
      time: {
        kind: "time",
        series: { relative: true, start: { hour: 1, minute: 0 }, free: false, isValid: true },
      },
    });
    const alias = mementos(generation, "create-alias");
    const aliases = alias.find((m) => m.kind === "aliases");
    assert(aliases?.kind === "aliases");
    assertEquals(aliases.aliases.map((a) => [a.kind, a.name]), [["alias", "alias0"]]);
    assertEquals(alias.find((m) => m.kind === "aliasNumber"), { kind: "aliasNumber", aliasNo: 1 });
    assertEquals(mementos(generation, "delete-alias"), [{ kind: "aliases", aliases: [] }]);
    assert(
      reply(generation, steps(generation).find((s) => s.step === "alter-clock-date")!.file).full,
    );
  });

  Deno.test(`${generation} captures: damaged replies are ProtocolErrors, never other exceptions`, () => {
    const r = new Prng(20241203);
    const files = steps(generation).map((s) => s.file);
    for (let i = 0; i < 600; i++) {
      const doc = JSON.parse(Deno.readTextFileSync(`${DIR}${generation}/${r.pick(files)}`));
      const delta = doc["22ServerToClientResponse"].stc_cmd_.ptr_wrapper.data.incremental_changes_;
      damage(r, delta, 1 + r.int(3));
      try {
        decodeDefsDelta(delta);
      } catch (e) {
        if (!(e instanceof ProtocolError)) throw e;
      }
    }
    assertThrows(() => decodeDefsDelta({ server_state_change_no_: 1 }), ProtocolError);
  });
}

/** Replaces, deletes or retypes `n` random values somewhere inside `doc`. */
function damage(r: Prng, doc: unknown, n: number): void {
  const slots: [Record<string, unknown> | unknown[], string | number][] = [];
  const stack: unknown[] = [doc];
  while (stack.length > 0) {
    const v = stack.pop();
    if (Array.isArray(v)) v.forEach((x, i) => (slots.push([v, i]), stack.push(x)));
    else if (typeof v === "object" && v !== null) {
      for (const [k, x] of Object.entries(v)) {
        slots.push([v as Record<string, unknown>, k]);
        stack.push(x);
      }
    }
  }
  const junk = [null, 7, -1, 2147483650, "x", true, [], {}, { polymorphic_id: 99 }];
  for (let i = 0; i < n && slots.length > 0; i++) {
    const [holder, key] = r.pick(slots);
    if (!Array.isArray(holder) && r.chance(0.3)) delete holder[key as string];
    else (holder as Record<string | number, unknown>)[key] = r.pick(junk);
  }
}
