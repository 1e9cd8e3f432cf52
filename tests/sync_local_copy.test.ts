/**
 * The local copy on real servers (5.9.2 and 5.17): what each sync was and cost, client
 * handles, `--sync_clock`, a copy out of step with the server, cancellation.
 */
import { assert, assertEquals, assertGreater, assertRejects } from "./deps.ts";
import type { Client } from "../mod.ts";
import { parseDefs } from "../lib/defs/parser.ts";
import { printDefs } from "../lib/defs/printer.ts";
import type { Defs } from "../lib/defs/model.ts";
import { GENERATIONS, startServer } from "./harness/server.ts";

const RICH = new URL("./fixtures/sync/rich.def", import.meta.url).pathname;

/**
 * The server's tree printed in MIGRATE style; with `suites`, only those, and without the
 * `defs_state` line (a handle's copy carries the handle's change numbers, not the server's).
 */
async function serverText(c: Client, suites?: string[]): Promise<string> {
  const defs = parseDefs(await c.getDefsText("get"));
  if (!suites) return printDefs(defs, { style: "migrate" });
  defs.suites = defs.suites.filter((s) => suites.includes(s.name));
  return withoutNumbers(printDefs(defs, { style: "migrate" }));
}

const withoutNumbers = (text: string) => text.replace(/^defs_state .*\n/m, "");

const mine = (defs: Defs) => printDefs(defs, { style: "migrate" });

for (const generation of GENERATIONS) {
  Deno.test(`${generation}: a sync says whether it was full, incremental or unchanged, and its bytes`, async () => {
    await using server = await startServer({ generation, halted: true });
    const c = server.client();
    await c.load(RICH);
    const first = await c.sync();
    assertEquals([first.kind, first.reason], ["full", "first"]);
    assertGreater(first.bytes, 2000);
    const same = await c.sync();
    assertEquals(same.kind, "unchanged");
    assert(same.defs === first.defs);
    assertGreater(same.bytes, 0);
    await c.alter("/rich/f1/t1", { action: "change", kind: "meter", name: "m1", value: "33" });
    const inc = await c.sync();
    assertEquals([inc.kind, inc.changes], ["incremental", 1]);
    assert(inc.bytes < first.bytes / 2, `${inc.bytes} bytes`);
    assertEquals(inc.defs.find("/rich/f1/t1")?.meters[0].value, 33);
    assertEquals(mine(inc.defs), await serverText(c));
    assertEquals((await c.sync({ news: false })).kind, "unchanged", "one request, nothing new");
    await c.alter("/rich/f1/t1", {
      action: "change",
      kind: "label",
      name: "lab1",
      value: "direct",
    });
    const direct = await c.sync({ news: false });
    assertEquals([direct.kind, direct.changes], ["incremental", 1]);
    assertEquals(mine(direct.defs), await serverText(c));
    await c.beginSuite("rich");
    const begun = await c.sync();
    assertEquals([begun.kind, begun.reason], ["full", "server"], "begin changes the modify number");
    assertEquals(mine(begun.defs), await serverText(c));
    assert(await server.alive());
  });

  Deno.test(`${generation}: a client handle's copy holds its suites and follows their changes only`, async () => {
    await using server = await startServer({ generation, halted: true });
    const c = server.client();
    await c.load(RICH);
    const h = await c.chRegister({ autoAddNewSuites: false, suites: ["other"] });
    const first = await c.sync();
    assertEquals(first.defs.suites.map((s) => s.name), ["other"]);
    await c.alter("/other/b", { action: "change", kind: "defstatus", name: "complete" });
    const inc = await c.sync();
    assertEquals(inc.kind, "incremental");
    assertEquals(withoutNumbers(mine(inc.defs)), await serverText(c, ["other"]));
    await c.alter("/rich/f1", {
      action: "change",
      kind: "variable",
      name: "FAM_VAR",
      value: "elsewhere",
    });
    const quiet = await c.sync();
    assertEquals(quiet.kind, "unchanged", "a change in a suite the handle does not hold");
    await c.chAdd(h, ["rich"]);
    const grown = await c.sync();
    assertEquals([grown.kind, grown.reason], ["full", "server"]);
    assertEquals(grown.defs.suites.map((s) => s.name).sort(), ["other", "rich"]);
    await c.chDrop();
    assertEquals(c.chHandle(), 0);
    assertEquals(c.getDefs(), undefined, "the copy of a dropped handle is forgotten");
    assert(await server.alive());
  });

  Deno.test(`${generation}: a sync_clock sync skips news and keeps the tree equal to the server's`, async () => {
    await using server = await startServer({ generation });
    const c = server.client();
    await c.load(RICH);
    await c.beginAllSuites();
    await c.shutdownServer();
    await c.sync();
    await c.alter("/rich/f2/t4", {
      action: "change",
      kind: "variable",
      name: "TASK_VAR",
      value: "x",
    });
    const r = await c.sync({ clock: true });
    assertEquals(r.kind, "incremental");
    assertEquals(r.delta?.compounds.map((x) => x.path), ["/rich/f2/t4"]);
    assertEquals(
      printDefs(r.defs, { style: "state" }),
      printDefs(parseDefs(await c.getDefsText()), { style: "state" }),
    );
  });

  Deno.test(`${generation}: a copy out of step with the server is fetched again whole`, async () => {
    await using server = await startServer({ generation, halted: true });
    const c = server.client();
    await c.load(RICH);
    const first = await c.sync();
    const f1 = first.defs.find("/rich/f1")!;
    const parent = f1.parent as unknown as { nodes: unknown[] };
    parent.nodes = parent.nodes.filter((n) => n !== f1); // the copy loses /rich/f1
    await c.alter("/rich/f1/t1", { action: "change", kind: "label", name: "lab1", value: "x" });
    const r = await c.sync();
    assertEquals([r.kind, r.reason], ["full", "diverged"]);
    assertEquals(mine(r.defs), await serverText(c));
  });

  Deno.test(`${generation}: an aborted sync sends nothing and rejects`, async () => {
    await using server = await startServer({ generation, halted: true });
    const c = server.client();
    await c.load(RICH);
    await c.sync();
    const signal = AbortSignal.abort();
    await assertRejects(() => c.sync({ signal }));
    assertEquals((await c.sync()).kind, "unchanged");
  });
}

Deno.test("5.17: date-time repeats (chrono counts on the wire) sync incrementally, index and whole", async () => {
  await using server = await startServer({ generation: "5.17", halted: true });
  const c = server.client();
  await c.load({
    text: "suite dt\n family f\n  repeat datetime DT 20240101T000000 20240105T120000 12:00:00\n" +
      "  task t\n endfamily\n family g\n  repeat datetimelist L 20240101T000000 20240102T060000\n" +
      "  task t\n endfamily\nendsuite\n",
  });
  await c.sync();
  await c.alter("/dt/f", { action: "change", kind: "repeat", name: "20240102T120000" });
  await c.alter("/dt/g", { action: "change", kind: "repeat", name: "20240102T060000" });
  let r = await c.sync();
  assertEquals(r.kind, "incremental");
  assertEquals(mine(r.defs), await serverText(c));
  // An added label makes the server send the whole repeat again.
  await c.alter("/dt/f", { action: "add", kind: "label", name: "L", value: "x" });
  await c.alter("/dt/g", { action: "add", kind: "label", name: "L", value: "x" });
  r = await c.sync();
  assertEquals(r.kind, "incremental");
  const kinds = r.delta!.compounds.flatMap((x) => x.mementos.map((m) => m.kind));
  assertEquals(kinds.filter((k) => k === "repeat").length, 2);
  assertEquals(mine(r.defs), await serverText(c));
  const rep = r.defs.find("/dt/f")!.repeat;
  assertEquals(rep?.kind === "datetime" ? [rep.start, rep.step, rep.value] : rep, [
    "20240101T000000",
    "12:00:00",
    "20240102T120000",
  ]);
});
