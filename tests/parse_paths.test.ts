// The parser's quick paths read the same definition the general ones do: tokens found with
// indexOf in a text of spaces alone and with the character loop in a text with tabs, values
// cut from the line when single spaces separate their words and joined token by token when
// not, integers read in place, duplicate names found by scan and by set; and the checks that
// walk every node see every node.
import { assert, assertEquals, assertThrows } from "./deps.ts";
import { Prng } from "./harness/prng.ts";
import { autoExterns, checkDefs, DefsParseError, parseDefs, printDefs } from "../lib/defs/mod.ts";
import { allNodes } from "../lib/defs/check.ts";

/** A random definition in DEFS style, every word separated by one space. */
function randomDefinition(rnd: Prng): string {
  const out: string[] = ["suite s", "  edit SUITE_VAR 'a b  c'", "  limit lim 10"];
  const families = 1 + rnd.int(4);
  for (let f = 0; f < families; f++) {
    out.push(`  family f${f}`, `    edit FAM 'f${f} value'`, "    inlimit /s:lim");
    if (f > 0) out.push(`    trigger f${f - 1} == complete or /s/f${f - 1}:done`);
    const tasks = 1 + rnd.int(40);
    for (let t = 0; t < tasks; t++) {
      out.push(`    task t${t}`, "      event done");
      if (rnd.next() < 0.3) out.push(`      event ${t} e${t}`);
      if (rnd.next() < 0.4) {
        const min = rnd.int(5) - 2;
        const max = min + 1 + rnd.int(100);
        out.push(`      meter m ${min < 0 ? min : "+" + min} ${max} ${max}`);
      }
      if (rnd.next() < 0.4) out.push(`      label info "task ${t} of f${f}" `);
      if (rnd.next() < 0.3) out.push(`      edit V${t} 'x ${t} y'`);
      if (rnd.next() < 0.2) out.push(`      complete t${t}:done and ../f${f}/t0 == complete`);
      if (rnd.next() < 0.1) out.push(`      label empty ""`);
    }
    out.push("  endfamily");
  }
  out.push("endsuite", "");
  return out.join("\n");
}

/** The same definition with the blanks between words changed: tabs, several spaces. */
function reblank(text: string, rnd: Prng): string {
  return text.split("\n").map((line) => {
    const lead = line.length - line.trimStart().length;
    const words = line.trimStart().split(" ");
    let out = line.slice(0, lead);
    words.forEach((w, i) => {
      if (i > 0) out += rnd.pick([" ", "  ", "\t", " \t ", "   "]);
      out += w;
    });
    return out;
  }).join("\n");
}

Deno.test("parser: a definition reads the same whatever blanks separate its words", () => {
  const rnd = new Prng(7301);
  for (let i = 0; i < 60; i++) {
    const text = randomDefinition(rnd);
    const a = parseDefs(text);
    const b = parseDefs(reblank(text, rnd));
    assertEquals(printDefs(b, { style: "net" }), printDefs(a, { style: "net" }));
    assertEquals(printDefs(b), printDefs(a));
    assertEquals(
      checkDefs(b).errors.map((e) => e.message),
      checkDefs(a).errors.map((e) => e.message),
    );
  }
});

Deno.test("parser: label and edit values join their words with one space, as ecFlow does", () => {
  const defs = parseDefs(
    'suite s\n task t\n  label a "x  y\tz"\n  label b "p q"\n  edit E \'1  2 3\'\n' +
      "  edit F 'one'\n  label c \"line\\nnext\"\nendsuite\n",
  );
  const t = defs.find("/s/t")!;
  assertEquals(t.labels.map((l) => l.value), ["x y z", "p q", "line\nnext"]);
  assertEquals(t.variables.map((v) => v.value), ["1 2 3", "one"]);
});

Deno.test("parser: meter numbers read in place as parseInt reads them; anything else is refused", () => {
  const defs = parseDefs(
    "suite s\n task t\n  meter a -5 +10 007\n  meter b 0 12345678901234567 12345678901234567\n" +
      "  meter c -0 0\nendsuite\n",
  );
  const m = defs.find("/s/t")!.meters;
  assertEquals([m[0].min, m[0].max, m[0].colorChange], [-5, 10, 7]);
  assertEquals([m[1].max, m[1].colorChange], [parseInt("12345678901234567"), 12345678901234567]);
  assert(Object.is(m[2].min, parseInt("-0", 10)));
  for (const bad of ["1x", "+", "-", "--1", "1.5", "0x10"]) {
    const e = assertThrows(
      () => parseDefs(`suite s\n task t\n  meter a 0 ${bad}\nendsuite\n`),
      DefsParseError,
    );
    assert(e.message.includes(`expected an integer but found '${bad}'`), e.message);
  }
});

Deno.test("parser: a second family or task of a name is refused in short and long containers", () => {
  for (const before of [3, 40]) {
    const tasks = Array.from({ length: before }, (_, i) => `  task t${i}`).join("\n");
    for (const dup of ["t0", `t${before - 1}`]) {
      const e = assertThrows(
        () => parseDefs(`suite s\n${tasks}\n  task ${dup}\nendsuite\n`),
        DefsParseError,
      );
      assert(e.message.includes(`a family/task of name '${dup}' already exists`), e.message);
    }
    // the same name in another container is fine, also after returning to the first one
    const ok = parseDefs(
      `suite s\n family a\n${tasks}\n  family b\n${tasks}\n  endfamily\n  task z\n endfamily\nendsuite\n`,
    );
    assertEquals(ok.find("/s/a")!.children.length, before + 2);
  }
});

Deno.test("checks: every node is visited once, in document order, at any depth", () => {
  let text = "suite s\n";
  for (let i = 0; i < 2000; i++) text += `family f${i}\n`;
  text += "task t\n  trigger /s/missing == complete\n";
  for (let i = 0; i < 2000; i++) text += "endfamily\n";
  text += " task u\n  inlimit nolimit\nendsuite\nsuite r\nendsuite\n";
  const defs = parseDefs(text);
  assertEquals(allNodes(defs), [...defs.walk()]);
  assertEquals(autoExterns(defs), ["/s/missing", "nolimit"]);
});
