// Hostile text in server replies. A label value set with `--alter change label` holding C1
// controls (the 8-bit CSI U+009B, NEL U+0085), DEL, ESC and the line and paragraph separators:
// plain output prints it byte for byte as ecflow_client does (5.9.2 and 5.17), and `--json`
// escapes every one of them as \u…, so no raw control reaches a terminal or a line-based reader,
// while JSON.parse gives the exact text back.
import { assert, assertEquals } from "./deps.ts";
import { ecflowClient, ecflowTs, GENERATIONS, startServer } from "./harness/server.ts";
import { jsonText } from "../lib/cli/json_text.ts";

// (a label set through ecflow_client keeps these; it turns U+2028 and U+2029 into blanks)
const HOSTILE = "a\u009b31mred\u0085next\u007fdel\u001b[0m\u0080\u009f";
// deno-lint-ignore no-control-regex
const RAW_CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

Deno.test("json text: C1 controls, DEL and the separators are escaped; everything else as JSON.stringify", () => {
  const value = {
    s: HOSTILE + "\u2028\u2029",
    n: [1, -0, 1.5, NaN, Infinity, null, undefined, () => 1],
    o: { skip: undefined, t: true, f: false, d: new Date(0) },
    surrogates: "\ud83d\ude00 \ud800",
  };
  const text = jsonText(value);
  assert(!RAW_CONTROLS.test(text), text);
  assertEquals(JSON.parse(text), JSON.parse(JSON.stringify(value)));
  assertEquals(
    text.replace(
      /\\u(007f|008[0-9a-f]|009[0-9a-f]|202[89])/g,
      (_, h) => String.fromCharCode(parseInt(h, 16)),
    ),
    JSON.stringify(value),
  );
  // a tree deeper than JSON.stringify can go
  let deep: unknown = [];
  for (let i = 0; i < 100_000; i++) deep = [deep];
  assertEquals(jsonText(deep), "[".repeat(100_001) + "]".repeat(100_001));
});

for (const generation of GENERATIONS) {
  Deno.test(`json ${generation}: a label with C1 controls prints raw as ecflow_client prints it, and escaped in --json`, async () => {
    const dir = await Deno.makeTempDir({ prefix: "ecflow-ts-json." });
    try {
      await Deno.writeTextFile(
        `${dir}/s.def`,
        'suite s\n  task t\n    label l "plain"\nendsuite\n',
      );
      await using server = await startServer({ generation, halted: true });
      const where = ["--host=127.0.0.1", `--port=${server.port}`];
      for (
        const setup of [[`--load=${dir}/s.def`], [
          "--alter",
          "change",
          "label",
          "l",
          HOSTILE,
          "/s/t",
        ]]
      ) {
        const r = await ecflowClient([...where, ...setup], {}, generation);
        assertEquals(r.code, 0, r.stderr);
      }
      // ecflow-ts prints 5.9.2's definition layout; 5.17's client differs there (its version
      // line, attribute order), so the definition is compared with the client of 5.9.2 only
      const plain = [["--query", "label", "/s/t:l"]];
      if (generation === "5.9") plain.push(["--get_state=/s"], ["--migrate"]);
      for (const args of plain) {
        const ref = await ecflowClient([...where, ...args], {}, generation);
        const ours = await ecflowTs([...where, ...args], { HOSTNAME: Deno.hostname() });
        assertEquals([ours.code, ours.stdout], [ref.code, ref.stdout], args.join(" "));
        assert(ours.stdout.includes(HOSTILE), "the value is printed as the server holds it");
      }
      const got = await ecflowTs([...where, "--get_state=/s", "--json"]);
      assertEquals(got.code, 0, got.stderr);
      assert(!RAW_CONTROLS.test(got.stdout.trimEnd()), "no raw control character in --json");
      const doc = JSON.parse(got.stdout);
      assertEquals(doc.tree.children[0].labels[0].newValue, HOSTILE);
      assert(doc.text.includes(HOSTILE));
      const query = await ecflowTs([...where, "--query", "label", "/s/t:l", "--json"]);
      assert(!RAW_CONTROLS.test(query.stdout.trimEnd()));
      assertEquals(JSON.parse(query.stdout).text, HOSTILE);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}
