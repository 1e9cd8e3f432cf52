// `--query` as ecflow_client sends it: from inside a job it names the asking task (ECF_NAME),
// which the server writes into its log; a trigger expression is one word that must parse.
import { assertEquals, assertStringIncludes } from "./deps.ts";
import { ecflowClient, ecflowTs } from "./harness/server.ts";
import { assertSameOutput, LAB_DEF, startTwin, type Twin, twinTest } from "./user_twin.ts";

/** The server log lines of `--query` requests, with times and ports taken out. */
async function queryLines(twin: Twin, which: "ref" | "ours"): Promise<string[]> {
  const log = await twin[which].log();
  return log.split("\n").filter((l) => l.includes("--query")).map((l) =>
    l.replace(/^.*?(--query)/, "$1")
  );
}

twinTest(
  "--query from inside a job carries the task path into the server log, as ecflow_client's",
  async (_t, generation) => {
    await using twin = await startTwin({ def: LAB_DEF, halted: true, generation });
    const job = { ECF_NAME: "/lab/f1/t2", USER: Deno.env.get("USER") ?? "root" };
    for (
      const args of [["meter", "/lab/f1/t1:m1"], ["state", "/lab/f1/t1"], [
        "event",
        "/lab/f1/t1:ev1",
      ]]
    ) {
      const hp = (port: number) => ["--host=127.0.0.1", `--port=${port}`];
      const ref = await ecflowClient([...hp(twin.ref.port), "--query", ...args], job, generation);
      const ours = await ecflowTs([...hp(twin.ours.port), "--query", ...args], {
        ...job,
        HOSTNAME: Deno.hostname(),
      });
      assertEquals([ours.code, ours.stdout], [ref.code, ref.stdout], args.join(" "));
    }
    const [ref, ours] = [await queryLines(twin, "ref"), await queryLines(twin, "ours")];
    assertEquals(ours, ref);
    assertEquals(ref.length, 3);
    assertStringIncludes(ref[0], "/lab/f1/t1:m1/lab/f1/t2");
  },
);

twinTest(
  "--query trigger: the expression is one word that must parse, as ecflow_client's",
  async (_t, generation) => {
    await using twin = await startTwin({ def: LAB_DEF, halted: true, generation });
    for (
      const args of [
        ["--query", "trigger", "/lab/f1/t2", "t1", "==", "complete"],
        ["--query", "trigger", "/lab/f1/t2", "t1 =="],
        ["--query", "trigger", "/lab/f1/t2"],
        ["--query", "trigger", "/lab/f1/t2", "t1 == complete"],
        ["--query", "trigger", "/lab/f1/t2", "t1 == complete", "ignored"],
      ]
    ) {
      await assertSameOutput(twin, args);
    }
  },
);
