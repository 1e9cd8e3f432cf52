// The three ways ecflow-ts is used: `deno run` from a URL, import by the package name as a
// JSR user does, and `deno compile` into one binary (what can be tested without denort).
import { assert, assertEquals, assertStringIncludes } from "./deps.ts";
import { ecflowClient, run, startServer } from "./harness/server.ts";
import * as byName from "@ecflow-ts/client";
import * as cliByName from "@ecflow-ts/client/cli";
import * as local from "../mod.ts";
import { main } from "../cli.ts";
import { compileArgs, permissionFlags, TARGETS } from "../tools/compile.ts";

const ROOT = new URL("../", import.meta.url);

/** Serves the repository read-only on loopback, TypeScript as application/typescript. */
function serveRepo(): { url: string; close: () => Promise<void> } {
  const ac = new AbortController();
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, signal: ac.signal, onListen: () => {} },
    async (req) => {
      const path = new URL(req.url).pathname;
      if (path.includes("..")) return new Response("no", { status: 400 });
      try {
        const body = await Deno.readFile(new URL(`.${path}`, ROOT));
        const type = path.endsWith(".ts") ? "application/typescript" : "application/json";
        return new Response(body, { headers: { "content-type": type } });
      } catch {
        return new Response("not found", { status: 404 });
      }
    },
  );
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    close: async () => {
      ac.abort();
      await server.finished;
    },
  };
}

function denoEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const k of ["DENO_DIR", "JSR_URL", "HOME", "DENO_NO_UPDATE_CHECK"]) {
    const v = Deno.env.get(k);
    if (v !== undefined) env[k] = v;
  }
  return env;
}

Deno.test("deno run from a URL with --allow-net=<server> --allow-env=ECF_* only: --ping and --get", async () => {
  await using server = await startServer();
  const repo = serveRepo();
  try {
    const env = {
      ...denoEnv(),
      ECF_HOST: "127.0.0.1",
      ECF_PORT: String(server.port),
      USER: "root",
    };
    const flags = [
      "run",
      "--quiet",
      "--no-lock",
      `--allow-net=127.0.0.1:${server.port}`,
      "--allow-env=ECF_*",
    ];
    const ping = await run(Deno.execPath(), [...flags, `${repo.url}/cli.ts`, "--ping"], env);
    assertEquals(ping.stderr, "");
    assertEquals(ping.code, 0);
    assertStringIncludes(ping.stdout, `ping server(127.0.0.1:${server.port}) succeeded in`);

    const defs = "suite url_suite\n  family f\n    task t\n  endfamily\nendsuite\n";
    const file = `${server.home}/url.def`;
    await Deno.writeTextFile(file, defs);
    const load = await ecflowClient([`--load=${file}`], env);
    assertEquals(load.code, 0, load.stderr);
    const ours = await run(Deno.execPath(), [...flags, `${repo.url}/cli.ts`, "--get"], env);
    const ref = await ecflowClient(["--get"], env);
    assertEquals(ours.stderr, ref.stderr);
    assertEquals(ours.code, ref.code);
    assertEquals(ours.stdout, ref.stdout);
    assert(await server.alive());
  } finally {
    await repo.close();
  }
});

Deno.test("no published module relies on an import map: jsr: specifiers live in lib/deps.ts only", async () => {
  for await (const path of walk(new URL("../lib/", import.meta.url))) {
    const text = await Deno.readTextFile(path);
    // import/export statements only (JSDoc examples rightly import "@ecflow-ts/client")
    for (const m of text.matchAll(/^(?:import|export|\})[^\n]*?from\s+"([^"]+)"/gm)) {
      const spec = m[1];
      const isDeps = path.pathname.endsWith("/lib/deps.ts");
      if (isDeps) assert(/^jsr:@std\/[a-z-]+@\^\d+\.\d+\.\d+/.test(spec), `${path}: ${spec}`);
      else assert(spec.startsWith("./") || spec.startsWith("../"), `${path}: bare '${spec}'`);
    }
  }
  for (const top of ["../mod.ts", "../cli.ts"]) {
    const text = await Deno.readTextFile(new URL(top, import.meta.url));
    for (const m of text.matchAll(/^(?:import|export|\})[^\n]*?from\s+"([^"]+)"/gm)) {
      assert(m[1].startsWith("./"), m[1]);
    }
  }
});

async function* walk(dir: URL): AsyncGenerator<URL> {
  for await (const e of Deno.readDir(dir)) {
    const u = new URL(e.name + (e.isDirectory ? "/" : ""), dir);
    if (e.isDirectory) yield* walk(u);
    else if (e.name.endsWith(".ts")) yield u;
  }
}

Deno.test("the package imports by its name, as a JSR user writes it", () => {
  assertEquals(byName.Client, local.Client);
  assertEquals(byName.resolveEndpoint, local.resolveEndpoint);
  assertEquals(cliByName.main, main);
  const ep = byName.resolveEndpoint({ host: "oetzi:3444", env: byName.envFrom({}) });
  assertEquals([ep.host, ep.port], ["oetzi", 3444]);
});

Deno.test("deno publish --dry-run lists exactly the files a user needs, with no slow types", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["publish", "--dry-run", "--allow-dirty"],
    cwd: ROOT.pathname,
    env: { NO_COLOR: "1" },
  }).output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  assertEquals(out.code, 0, text);
  assertStringIncludes(text, "Checking for slow types");
  const files = [...text.matchAll(/(file:\/\/\S+) \(/g)]
    .map((m) => m[1])
    .filter((u) => u.startsWith(ROOT.href))
    .map((u) => u.slice(ROOT.href.length));
  assert(files.includes("mod.ts") && files.includes("cli.ts") && files.includes("README.md"));
  assert(files.includes("LICENSE") && files.includes("lib/client/client.ts"));
  for (const f of files) {
    assert(
      /^(mod\.ts|cli\.ts|deno\.json|README\.md|LICENSE|lib\/.+\.ts|docs\/.+\.md)$/.test(f),
      `unexpected published file ${f}`,
    );
  }
});

Deno.test("deno task compile: targets, baked permissions, and a clear failure without denort", async () => {
  assertEquals(TARGETS.length, 5);
  const flags = permissionFlags("/home/op");
  assertEquals(flags, [
    "--allow-net",
    "--allow-env",
    "--allow-sys=hostname,uid",
    "--allow-read=/etc/passwd,/home/op/.ecflowrc/ssl",
  ]);
  const args = compileArgs("aarch64-unknown-linux-gnu", "dist/x");
  assert(args.includes("--target=aarch64-unknown-linux-gnu") && args.at(-1)!.endsWith("/cli.ts"));
  assert(args.includes("--v8-flags=--single-threaded"), args.join(" "));
  assert(!args.some((a) => /allow-(run|write|ffi|all)|^--allow-sys$|^-A$/.test(a)), args.join(" "));

  const tool = new URL("../tools/compile.ts", import.meta.url).pathname;
  const outDir = await Deno.makeTempDir();
  try {
    const r = await run(
      Deno.execPath(),
      ["run", "-A", "--quiet", tool, `--out-dir=${outDir}`],
      denoEnv(),
    );
    if (r.code === 0) {
      // A machine that can fetch denort: the binary must run and ping nothing without a server.
      const bin = `${outDir}/ecflow-ts`;
      const v = await run(bin, ["--version"]);
      assertEquals(v.code, 0);
      assertStringIncludes(v.stdout, "ecflow-ts version(");
    } else {
      assertEquals(r.code, 1);
      assertEquals(r.stderr.trimEnd().split("\n").length, 1, r.stderr);
      assertStringIncludes(r.stderr, "needs Deno's 'denort' runtime");
    }
  } finally {
    await Deno.remove(outDir, { recursive: true });
  }
});

Deno.test("the module graph of cli.ts is local files plus versioned jsr:@std only", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", "--no-lock", "cli.ts"],
    cwd: ROOT.pathname,
  }).output();
  assertEquals(out.code, 0, new TextDecoder().decode(out.stderr));
  const info = JSON.parse(new TextDecoder().decode(out.stdout));
  const specs: string[] = info.modules.map((m: { specifier: string }) => m.specifier);
  const jsr = Deno.env.get("JSR_URL") ?? "https://jsr.io/";
  for (const s of specs) {
    assert(s.startsWith(ROOT.href) || s.startsWith(jsr), `unexpected module ${s}`);
  }
  assert(specs.some((s) => s.includes("@std/cli/")), "uses @std/cli");
  assert(!specs.some((s) => s.startsWith("npm:") || s.startsWith("node:")), "no npm/node modules");
});
