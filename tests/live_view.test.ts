// The live view without a terminal: keys as a raw terminal sends them, what each key does to
// the view, the rows (problems first, folding, filter, path), the frame (never wider or
// taller than the terminal, whatever the keys and labels), colours and NO_COLOR, and the
// frame update that rewrites only changed lines.
import { assert, assertEquals } from "./deps.ts";
import { Prng } from "./harness/prng.ts";
import { parseDefs } from "../lib/defs/parser.ts";
import { decodeKeys, type Key } from "../lib/live/keys.ts";
import { bodyHeight, renderFrame, snapshotText } from "../lib/live/render.ts";
import type { ServerStatus } from "../lib/live/status.ts";
import { countTasks } from "../lib/live/summary.ts";
import { frameUpdate } from "../lib/live/terminal.ts";
import { buildRows, type Row, selectable, type ServerView } from "../lib/live/tree_rows.ts";
import { handleKey, initialViewState, layout } from "../lib/live/view_state.ts";
import { ConnectionError } from "../mod.ts";

const NET = `#5.9.2
defs_state NET state>:aborted state_change:9 modify_change:3 cal_count:0
suite s # begun:1 state:aborted
  family f1 # state:aborted
    task a # try:2 state:aborted
    task b # state:active flag:zombie
      meter m 0 100 100 # 40
      label note "" # "half \x1b[2Jway"
  endfamily
  family f2 # state:queued
    task c # state:queued
    family deep # state:queued
      task e # state:complete flag:late
    endfamily
  endfamily
  task d # state:submitted
endsuite
suite t # begun:1 state:complete suspended:1
  task x # state:complete
endsuite
`;

function view(net = NET, name = "prod"): ServerView {
  const defs = parseDefs(net);
  const status: ServerStatus = {
    ok: true,
    name,
    host: "h",
    port: 3141,
    version: "5.9.2",
    serverState: "RUNNING",
    suites: defs.suites.length,
    tasks: countTasks(defs),
    rttMs: 0.5,
    defs,
    elapsedMs: 1,
  };
  return { name, host: "h", port: 3141, status };
}

function keys(rows: () => Row[], state = initialViewState(), ...k: Key[]) {
  for (const key of k) handleKey(state, key, rows(), 20);
  return state;
}

Deno.test("keys: arrows in both cursor modes, paging keys, enter, escape, ctrl-c, text", () => {
  assertEquals(decodeKeys("\x1b[A\x1bOB\x1b[C\x1bOD\x1b[5~\x1b[6~\x1b[H\x1b[F\x1b[1~\x1b[4~"), [
    { name: "up" },
    { name: "down" },
    { name: "right" },
    { name: "left" },
    { name: "pageup" },
    { name: "pagedown" },
    { name: "home" },
    { name: "end" },
    { name: "home" },
    { name: "end" },
  ]);
  assertEquals(decodeKeys("/ab\x7f\r\x03\x1b"), [
    { name: "char", char: "/" },
    { name: "char", char: "a" },
    { name: "char", char: "b" },
    { name: "backspace" },
    { name: "enter" },
    { name: "interrupt" },
    { name: "escape" },
  ]);
  // unknown sequences are dropped whole, a cut one at the end too; other control bytes ignored
  assertEquals(decodeKeys("\x1b[2;5Qx\x00\x1b[1"), [{ name: "char", char: "x" }]);
});

Deno.test("rows: aborted, zombie and late first; suites open, families closed; counts under closed nodes", () => {
  const rows = buildRows([view()], { opened: new Set(), closed: new Set() });
  assertEquals(
    rows.map((r) => r.kind === "problem" ? `${r.problem} ${r.node.absPath}` : r.key),
    [
      "problems",
      "aborted /s/f1/a",
      "zombie /s/f1/b",
      "late /s/f2/deep/e",
      "servers",
      "0",
      "0:/s",
      "0:/s/f1",
      "0:/s/f2",
      "0:/s/d",
      "0:/t",
      "0:/t/x",
    ],
  );
  const text = snapshotText([view()], rows);
  assert(text.includes("    + f1 aborted  (1 aborted, 1 active)\n"), text);
  assert(text.includes("    + f2 queued  (1 queued, 1 complete)\n"), text);
  assert(text.includes("  - t suspended\n"), text);
  assert(text.includes("  aborted /s/f1/a  try 2\n"), text);
  // a label's escape sequence never reaches the terminal
  assert(text.includes("  zombie  /s/f1/b  [zombie]  m=40/100  note: half ?[2Jway\n"), text);
});

Deno.test("rows: a filter keeps matches and their parents (path, state or flag); a path shows its subtree", () => {
  const filtered = (filter: string) =>
    buildRows([view()], { opened: new Set(), closed: new Set(), filter })
      .filter((r) => r.kind === "node").map((r) => r.key);
  assertEquals(filtered("deep"), ["0:/s", "0:/s/f2", "0:/s/f2/deep", "0:/s/f2/deep/e"]);
  assertEquals(filtered("SUBMITTED"), ["0:/s", "0:/s/d"]);
  assertEquals(filtered("zombie"), ["0:/s", "0:/s/f1", "0:/s/f1/b"]);
  assertEquals(filtered("suspended"), ["0:/t"]);
  const sub = buildRows([view()], { path: "/s/f2", opened: new Set(), closed: new Set() });
  assertEquals(sub.filter((r) => r.kind !== "heading").map((r) => r.key), [
    "p0:/s/f2/deep/e",
    "0",
    "0:/s/f2",
    "0:/s/f2/c",
    "0:/s/f2/deep",
  ]);
  const missing = buildRows([view()], { path: "/nope", opened: new Set(), closed: new Set() });
  assertEquals(missing.at(-1), {
    kind: "note",
    key: "0#path",
    server: 0,
    text: "no node /nope on this server",
  });
});

Deno.test("keys on the view: move, open and close, jump from a problem, filter, expand all, quit", () => {
  const servers = [view()];
  const state = initialViewState();
  const rows = () =>
    buildRows(servers, {
      opened: state.opened,
      closed: state.closed,
      expandAll: state.expandAll,
      filter: state.editing ?? state.filter,
    });
  const at = () => {
    const r = rows();
    layout(state, r, 20);
    return r[state.cursorIndex].key;
  };
  assertEquals(at(), "p0:/s/f1/a"); // the first thing needing attention
  keys(rows, state, { name: "down" }, { name: "down" }, { name: "down" });
  assertEquals(at(), "0");
  keys(rows, state, { name: "char", char: "j" }, { name: "char", char: "j" });
  assertEquals(at(), "0:/s/f1");
  keys(rows, state, { name: "right" }); // open
  assert(rows().some((r) => r.key === "0:/s/f1/a"));
  keys(rows, state, { name: "right" }); // into it
  assertEquals(at(), "0:/s/f1/a");
  keys(rows, state, { name: "left" }); // to the parent
  assertEquals(at(), "0:/s/f1");
  keys(rows, state, { name: "left" }); // close
  assert(!rows().some((r) => r.key === "0:/s/f1/a"));
  // enter on the late task opens its family chain and lands on it
  keys(rows, state, { name: "home" }, { name: "down" }, { name: "down" }, { name: "enter" });
  assertEquals(at(), "0:/s/f2/deep/e");
  // the filter applies while it is typed; escape in the prompt gives the old one back
  keys(rows, state, { name: "char", char: "/" }, { name: "char", char: "x" });
  assertEquals(rows().filter((r) => r.kind === "node").map((r) => r.key), ["0:/t", "0:/t/x"]);
  keys(rows, state, { name: "escape" });
  assertEquals(state.filter, "");
  keys(rows, state, { name: "char", char: "/" }, { name: "char", char: "x" }, { name: "enter" });
  assertEquals(state.filter, "x");
  keys(rows, state, { name: "escape" });
  assertEquals(state.filter, "");
  // e opens everything, c goes back to suites only
  keys(rows, state, { name: "char", char: "e" });
  assert(rows().some((r) => r.key === "0:/s/f2/deep/e"));
  keys(rows, state, { name: "char", char: "c" });
  assert(!rows().some((r) => r.key === "0:/s/f1/a"));
  assertEquals(handleKey(state, { name: "char", char: "r" }, rows(), 20), "refresh");
  assertEquals(handleKey(state, { name: "interrupt" }, rows(), 20), "quit");
  assertEquals(handleKey(state, { name: "char", char: "q" }, rows(), 20), "quit");
});

Deno.test("frames: any keys, any size, the frame fits the terminal and the cursor rests on a selectable row", () => {
  const down: ServerView = {
    name: "dead",
    host: "h",
    port: 1,
    status: {
      ok: false,
      name: "dead",
      host: "h",
      port: 1,
      elapsedMs: 1,
      error: new ConnectionError("connection refused", { host: "h", port: 1 }, "refused"),
    },
  };
  const servers = [view(), view(NET, "backup"), down, { name: "new", host: "n", port: 2 }];
  const all: Key[] = [
    ...["up", "down", "left", "right", "pageup", "pagedown", "home", "end", "enter", "escape"]
      .map((name) => ({ name }) as Key),
    ...[..."jkhl gGec/x"].map((char) => ({ name: "char", char }) as Key),
    { name: "backspace" },
  ];
  for (let seed = 1; seed <= 30; seed++) {
    const rng = new Prng(seed);
    const state = initialViewState();
    for (let step = 0; step < 60; step++) {
      const width = rng.range(10, 140);
      const height = rng.range(3, 50);
      const rows = buildRows(servers, {
        opened: state.opened,
        closed: state.closed,
        expandAll: state.expandAll,
        filter: state.editing ?? state.filter,
        maxProblems: 3,
      });
      layout(state, rows, bodyHeight(height));
      assert(
        selectable(rows[state.cursorIndex]),
        `seed ${seed}: cursor on ${rows[state.cursorIndex]?.key}`,
      );
      const mode = rng.pick(["none", "256", "truecolor"] as const);
      const lines = renderFrame({
        servers,
        rows,
        cursor: state.cursorIndex,
        top: state.top,
        width,
        height,
        mode,
        filter: state.filter,
        editing: state.editing,
      });
      assertEquals(lines.length, height, `seed ${seed}`);
      for (const l of lines) {
        // deno-lint-ignore no-control-regex
        const visible = l.replace(/\x1b\[[0-9;]*m/g, "");
        assert(
          [...visible].length <= width,
          `seed ${seed}: ${visible.length} > ${width}: ${visible}`,
        );
        // deno-lint-ignore no-control-regex
        assert(!/\x1b(?!\[[0-9;]*m)/.test(l), `seed ${seed}: stray escape in ${JSON.stringify(l)}`);
        if (mode === "none") assert(!l.includes("\x1b"), `seed ${seed}: colour with NO_COLOR`);
      }
      handleKey(state, rng.pick(all), rows, bodyHeight(height));
    }
  }
});

Deno.test("colours: ecflow_ui's state colours, 24-bit or the nearest 256-colour", () => {
  const servers = [view()];
  const rows = buildRows(servers, { opened: new Set(), closed: new Set() });
  const frame = (mode: "256" | "truecolor") =>
    renderFrame({ servers, rows, cursor: 1, top: 0, width: 120, height: 20, mode }).join("\n");
  const tc = frame("truecolor");
  for (
    const rgb of ["255;59;53", "74;255;61", "64;224;208", "173;216;230", "255;238;1", "239;191;0"]
  ) {
    assert(tc.includes(`48;2;${rgb}m`), rgb); // aborted active submitted queued complete suspended
  }
  assert(tc.includes("48;2;0;255;0m")); // a RUNNING server
  const c256 = frame("256");
  assert(c256.includes("48;5;203m") && !c256.includes("48;2;"));
});

Deno.test("a frame update rewrites only the lines that changed, and clears what is left below", () => {
  assertEquals(frameUpdate([], ["a", "b"]), "\x1b[1;1Ha\x1b[K\x1b[2;1Hb\x1b[K");
  assertEquals(frameUpdate(["a", "b", "c"], ["a", "x"]), "\x1b[2;1Hx\x1b[K\x1b[3;1H\x1b[J");
});
