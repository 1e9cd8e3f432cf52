// The live view (--watch) in a real terminal: tmux runs the CLI in a pane of a private tmux
// server; the test types with `send-keys`, reads the screen with `capture-pane` and resizes
// the window, while the reference ecflow_client changes states on the real server being
// watched. Also the plain snapshot and --json when the output is not a terminal, compared
// node by node with the reference client's --get_state.
import { assert, assertEquals, assertStringIncludes } from "./deps.ts";
import {
  ecflowClient,
  ecflowPrograms,
  type EcflowServer,
  ecflowTs,
  type Generation,
  startServer,
} from "./harness/server.ts";

const CLI = new URL("../cli.ts", import.meta.url).pathname;

/** A private tmux server with one window running one command. */
class Tmux implements AsyncDisposable {
  readonly socket = `ecflow-ts-live-${Deno.pid}-${Math.random().toString(36).slice(2, 8)}`;

  async #tmux(args: string[]): Promise<string> {
    const out = await new Deno.Command("tmux", { args: ["-L", this.socket, ...args] }).output()
      .catch((e) => {
        throw new Error(`tmux is needed for the live view tests (apt-get install tmux): ${e}`);
      });
    if (!out.success) {
      throw new Error(`tmux ${args[0]}: ${new TextDecoder().decode(out.stderr).trim()}`);
    }
    return new TextDecoder().decode(out.stdout);
  }

  /** Starts `argv` (after `env` as its whole environment) in a window of `width`×`height`. */
  async start(argv: string[], env: Record<string, string>, width: number, height: number) {
    const q = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;
    const command = [
      "env",
      "-i",
      ...Object.entries(env).map(([k, v]) => q(`${k}=${v}`)),
      ...argv.map(q),
    ].join(" ");
    // the pane stays after the program ends, showing its exit status
    await this.#tmux([
      "new-session",
      "-d",
      "-x",
      String(width),
      "-y",
      String(height),
      `${command}; echo "exit=$?"; sleep 600`,
    ]);
  }

  /** The screen as text (`escapes`: with colour sequences). */
  capture(escapes = false): Promise<string> {
    return this.#tmux(["capture-pane", "-p", ...(escapes ? ["-e"] : [])]);
  }

  /** Types keys (tmux key names: `Enter`, `Escape`, `Down`, or text). */
  async keys(...keys: string[]): Promise<void> {
    for (const k of keys) await this.#tmux(["send-keys", k]);
  }

  /** Resizes the window. */
  async resize(width: number, height: number): Promise<void> {
    await this.#tmux(["resize-window", "-x", String(width), "-y", String(height)]);
  }

  /** Waits until the screen satisfies `ok` (polling; fails with the last screen after `ms`). */
  async waitFor(what: string, ok: (screen: string) => boolean, ms = 20_000): Promise<string> {
    const end = Date.now() + ms;
    let screen = "";
    while (Date.now() < end) {
      screen = await this.capture();
      if (ok(screen)) return screen;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`screen never showed ${what}; last screen:\n${screen}`);
  }

  async [Symbol.asyncDispose]() {
    await this.#tmux(["kill-server"]).catch(() => {});
  }
}

function denoEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {
    PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
    TERM: "tmux-256color",
    LANG: "C.UTF-8",
  };
  for (const k of ["DENO_DIR", "JSR_URL", "HOME", "DENO_NO_UPDATE_CHECK"]) {
    const v = Deno.env.get(k);
    if (v !== undefined) env[k] = v;
  }
  return { ...env, ...extra };
}

/** Our CLI with the permissions the README gives --watch (scoped to the servers). */
function watchArgv(ports: number[], args: string[]): string[] {
  return [
    Deno.execPath(),
    "run",
    "--quiet",
    "--no-lock",
    "--no-prompt",
    `--allow-net=${ports.map((p) => `127.0.0.1:${p}`).join(",")}`,
    "--allow-env=ECF_HOST,ECF_PORT",
    CLI,
    ...args,
  ];
}

const SUITE = `suite w
  defstatus suspended
  family f1
    task a
    task b
      meter m 0 100
      label note ""
  endfamily
  family f2
    task c
  endfamily
  task d
endsuite
`;

/** Loads and begins the suite (suspended: no job is submitted; states change only when forced). */
async function watchedSuite(server: EcflowServer): Promise<(args: string[]) => Promise<void>> {
  const env = { ECF_HOST: "127.0.0.1", ECF_PORT: String(server.port) };
  const ref = async (args: string[]) => {
    const r = await ecflowClient(args, env, server.generation);
    assertEquals(r.code, 0, `${args.join(" ")}: ${r.stderr}`);
  };
  await Deno.writeTextFile(`${server.home}/w.def`, SUITE);
  await ref([`--load=${server.home}/w.def`]);
  await ref(["--begin=w"]);
  for (const p of ["/w/f1/a", "/w/f1/b", "/w/f2/c", "/w/d"]) await ref(["--force=queued", p]);
  return ref;
}

/** The line of the screen the cursor (`>`) is on. */
function cursorLine(screen: string): string {
  return screen.split("\n").find((l) => l.startsWith(">")) ?? "";
}

/** The screen line showing node `name` in the tree (indented, with its state). */
function treeLine(screen: string, name: string): string | undefined {
  return screen.split("\n").find((l) => new RegExp(`^[> ]\\s+[-+ ] ${name} \\w+`).test(l));
}

Deno.test("--watch in a real terminal: states change while it watches; keys move, fold, filter and quit; it follows a resize", async () => {
  await using server = await startServer({ generation: "5.9" });
  const ref = await watchedSuite(server);
  await using tmux = new Tmux();
  await tmux.start(
    watchArgv([server.port], ["--watch", "--interval=0.3"]),
    denoEnv({ ECF_HOST: "127.0.0.1", ECF_PORT: String(server.port) }),
    100,
    24,
  );
  let screen = await tmux.waitFor("the first answer", (s) => s.includes(" RUNNING "));
  const lines = screen.split("\n");
  assert(lines[0].startsWith(`ecflow-ts --watch  127.0.0.1:${server.port}   RUNNING   5.9.2`));
  assertStringIncludes(lines[1], " queued  4");
  assertStringIncludes(screen, "no aborted, zombie or late nodes");
  // suites open, families closed, with what is below them
  assert(treeLine(screen, "w")?.includes("- w suspended"), screen);
  assert(treeLine(screen, "f1")?.includes("+ f1 queued  (2 queued)"), screen);
  assert(treeLine(screen, "d")?.includes("d queued"), screen);

  // states change on the server while it watches
  await ref(["--force=aborted", "/w/f1/a"]);
  await ref(["--force=active", "/w/d"]);
  await ref(["--alter", "change", "meter", "m", "40", "/w/f1/b"]);
  screen = await tmux.waitFor(
    "the aborted task listed first and the new counts",
    (s) => s.includes("aborted /w/f1/a") && s.includes(" aborted  1 ") && /d active/.test(s),
  );
  assertStringIncludes(screen, "1 node needs attention");
  assertStringIncludes(screen.split("\n")[1], " active  1 ");
  assertStringIncludes(treeLine(screen, "f1")!, "(1 aborted, 1 queued)");

  // colours: ecflow_ui's aborted red and active green as 256-colour backgrounds
  const coloured = await tmux.capture(true);
  assertStringIncludes(coloured, "48;5;203m"); // rgb(255,59,53), aborted
  assertStringIncludes(coloured, "48;5;83m"); // rgb(74,255,61), active

  // move: the cursor starts on the aborted task; down moves it into the tree
  screen = await tmux.capture();
  assertStringIncludes(cursorLine(screen), "aborted /w/f1/a");
  await tmux.keys("j");
  screen = await tmux.waitFor("the cursor on the server", (s) => cursorLine(s).includes("RUNNING"));
  await tmux.keys("Down", "Down");
  screen = await tmux.waitFor("the cursor on f1", (s) => cursorLine(s).includes("f1"));
  // fold: enter opens f1, left closes it again
  await tmux.keys("Enter");
  screen = await tmux.waitFor("f1 open", (s) => treeLine(s, "a") !== undefined);
  assertStringIncludes(treeLine(screen, "f1")!, "- f1 aborted");
  assert(treeLine(screen, "b")?.includes("m=40/100"), screen);
  await tmux.keys("Left");
  screen = await tmux.waitFor("f1 closed", (s) => treeLine(s, "a") === undefined);
  // enter on a listed problem jumps to its node in the tree
  await tmux.keys("g", "Enter");
  screen = await tmux.waitFor("the cursor on a", (s) => /^>\s+a aborted/.test(cursorLine(s)));
  // filter: only what matches, with its parents
  await tmux.keys("/", "c");
  screen = await tmux.waitFor("the filter typed", (s) => s.includes("/c_"));
  await tmux.keys("Enter");
  screen = await tmux.waitFor("the filter applied", (s) => s.includes("filter 'c'"));
  assert(treeLine(screen, "c") !== undefined && treeLine(screen, "f2") !== undefined, screen);
  assertEquals([treeLine(screen, "a"), treeLine(screen, "d")], [undefined, undefined]);
  await tmux.keys("Escape");
  screen = await tmux.waitFor("the filter cleared", (s) => treeLine(s, "d") !== undefined);

  // resize: the frame is redrawn for the new size
  await tmux.resize(50, 12);
  screen = await tmux.waitFor(
    "a 50×12 frame",
    (s) =>
      s.split("\n").filter((l) => l !== "").length > 0 && s.trimEnd().split("\n").length === 12,
  );
  for (const l of screen.split("\n")) assert([...l].length <= 50, `too wide: ${l}`);
  // laid out again for 50 columns (cut by the view, not by tmux)
  assert(screen.split("\n")[0].endsWith("…"), screen);
  assertStringIncludes(screen.trimEnd().split("\n")[11], "q");
  await tmux.resize(100, 24);
  await tmux.waitFor("the wide frame again", (s) => s.includes("refresh  q quit"));

  // q quits, restores the screen and exits 0
  await tmux.keys("q");
  screen = await tmux.waitFor("the exit status", (s) => s.includes("exit="));
  assertStringIncludes(screen, "exit=0");
  assertEquals(screen.includes("ecflow-ts --watch"), false, "the alternate screen is left");
  assert(await server.alive());
});

Deno.test("--watch of several servers shows them one after another, each with its own state; NO_COLOR has no colours", async () => {
  await using a = await startServer({ generation: "5.9" });
  await using b = await startServer({ generation: "5.17", halted: true });
  const dead = await startServer({ generation: "5.9" });
  await dead.stop();
  await watchedSuite(a);
  const refB = await watchedSuite(b);
  await refB(["--force=aborted", "/w/f2/c"]);
  await using tmux = new Tmux();
  await tmux.start(
    watchArgv(
      [a.port, b.port, dead.port],
      [
        "--watch=/w/f2",
        `127.0.0.1:${b.port}`,
        `127.0.0.1:${dead.port}`,
        "--host=127.0.0.1",
        `--port=${a.port}`,
        "--interval=0.3",
        "--timeout=2",
      ],
    ),
    denoEnv({ NO_COLOR: "1" }),
    110,
    24,
  );
  const screen = await tmux.waitFor(
    "three servers",
    (s) => s.includes("UNREACHABLE") && s.includes("HALTED") && s.includes("RUNNING"),
  );
  const rows = screen.split("\n");
  const at = (text: string) => rows.findIndex((l) => /^[> ][-+] /.test(l) && l.includes(text));
  assertStringIncludes(rows[0], "3 servers, 2 answering");
  assertStringIncludes(rows[0], "path /w/f2");
  // the counts are those of what is watched: /w/f2 on the two servers that answer
  assertStringIncludes(rows[1], " aborted  1 ");
  assertStringIncludes(rows[1], " queued  1 ");
  // each server's subtree follows its own row, in the order given
  assert(at(`127.0.0.1:${a.port}`) < at(`127.0.0.1:${b.port}`), screen);
  assert(at(`127.0.0.1:${b.port}`) < at(`127.0.0.1:${dead.port}`), screen);
  assertStringIncludes(screen, `aborted 127.0.0.1:${b.port} /w/f2/c`);
  assertStringIncludes(rows[at(`127.0.0.1:${b.port}`)], "5.17.0");
  assertStringIncludes(rows[at(`127.0.0.1:${dead.port}`)], "connection refused");
  assertEquals(treeLine(screen, "a"), undefined, "only the /w/f2 subtree");
  const raw = await tmux.capture(true);
  assertEquals(raw.includes("\x1b"), false, "no colours with NO_COLOR");
  await tmux.keys("q");
  assertStringIncludes(await tmux.waitFor("the exit", (s) => s.includes("exit=")), "exit=0");
});

/** node path → state, from the reference client's --get_state (STATE style). */
async function referenceStates(server: EcflowServer, gen: Generation) {
  const r = await ecflowClient(
    ["--get_state"],
    { ECF_HOST: "127.0.0.1", ECF_PORT: String(server.port) },
    gen,
  );
  const states = new Map<string, string>();
  // 5.17 prints it without indentation: nest by suite/family ... endfamily/endsuite
  const stack: string[] = [];
  for (const line of r.stdout.split("\n")) {
    const t = line.trim();
    if (t === "endfamily" || t === "endsuite") {
      stack.pop();
      continue;
    }
    const m = /^(suite|family|task) (\S+)(.*)$/.exec(t);
    if (!m) continue;
    const path = "/" + [...stack, m[2]].join("/");
    if (m[1] !== "task") stack.push(m[2]);
    const suspended = / suspended:1/.test(m[3]);
    states.set(path, suspended ? "suspended" : / state:(\w+)/.exec(m[3])?.[1] ?? "unknown");
  }
  return states;
}

Deno.test("--watch into a pipe: one plain snapshot, node by node as the reference client's --get_state; --json; aborted then zombie surfaced first", async () => {
  for (const generation of ["5.9", "5.17"] as const) {
    await using server = await startServer({ generation });
    const ref = await watchedSuite(server);
    await ref(["--force=aborted", "/w/f1/b"]);
    await ref(["--force=active", "/w/f2/c"]);
    // a job that answers with the wrong password: the server marks /w/f2/c a zombie
    const child = new Deno.Command(ecflowPrograms(generation).client, {
      args: ["--init=4711"],
      env: {
        ECF_HOST: "127.0.0.1",
        ECF_PORT: String(server.port),
        ECF_NAME: "/w/f2/c",
        ECF_PASS: "wrong",
        ECF_RID: "4711",
        ECF_TRYNO: "1",
      },
      stdout: "null",
      stderr: "null",
    }).spawn();
    try {
      const c = server.client();
      const end = Date.now() + 20_000;
      while (!(await c.syncLocal()).find("/w/f2/c")!.flags.includes("zombie")) {
        if (Date.now() > end) throw new Error("no zombie flag on /w/f2/c");
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      child.kill("SIGKILL");
      await child.status;
    }
    const env = { ECF_HOST: "127.0.0.1", ECF_PORT: String(server.port) };
    const r = await ecflowTs(["--watch"], env);
    assertEquals([r.code, r.stderr], [0, ""]);
    assertEquals(r.stdout.includes("\x1b"), false, "plain text");
    const lines = r.stdout.split("\n");
    assertEquals(lines.slice(0, 3), [
      "2 nodes need attention",
      "  aborted /w/f1/b  m=0/100",
      "  zombie  /w/f2/c  [zombie]",
    ]);
    // every node of the tree, as the reference client sees it
    const expected = await referenceStates(server, generation);
    const seen = new Map<string, string>();
    const stack: string[] = [];
    for (const line of lines.slice(lines.indexOf("") + 2)) {
      const m = /^(\s+)[-+ ] (\S+) (\w+)/.exec(line);
      if (!m) continue;
      const depth = m[1].length / 2 - 1;
      stack.length = depth;
      stack.push(m[2]);
      seen.set("/" + stack.join("/"), m[3]);
    }
    assertEquals(seen, expected, generation);

    const j = await ecflowTs(["--watch=/w/f2", "--json"], env);
    assertEquals(j.code, 0, j.stderr);
    const doc = JSON.parse(j.stdout);
    assertEquals(doc.command, "watch");
    assertEquals(doc.path, "/w/f2");
    assertEquals(doc.servers[0].version, generation === "5.9" ? "5.9.2" : "5.17.0");
    assertEquals(doc.servers[0].problems, [{ kind: "zombie", path: "/w/f2/c", state: "active" }]);
    assertEquals(doc.servers[0].tree[0].path, "/w/f2");
    assertEquals(doc.servers[0].tree[0].children[0].state, expected.get("/w/f2/c"));
  }
});

Deno.test("--watch into a pipe with a server down: its error in its row, exit 1", async () => {
  await using server = await startServer({ generation: "5.9" });
  const dead = await startServer({ generation: "5.9" });
  await dead.stop();
  const r = await ecflowTs([
    "--watch",
    `127.0.0.1:${dead.port}`,
    "--host=127.0.0.1",
    `--port=${server.port}`,
  ]);
  assertEquals(r.code, 1);
  assertEquals(r.stderr, "ecflow-ts: 1 of 2 servers did not answer\n");
  assertStringIncludes(r.stdout, `- 127.0.0.1:${server.port}   RUNNING   5.9.2`);
  assertStringIncludes(
    r.stdout,
    `- 127.0.0.1:${dead.port}   UNREACHABLE   cannot connect (connection refused)`,
  );
  const bad = await ecflowTs(["--watch=/a", "/b"]);
  assertEquals([bad.code, bad.stdout], [1, ""]);
  assertEquals(bad.stderr, "ecflow-ts: --watch: one node path at most (got /a and /b)\n");
});
