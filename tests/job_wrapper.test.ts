// The README's drop-in `ecflow_client` wrapper (tools/compile.ts wrapperScript), run as a job
// runs it: it gives back ecflow-ts's exit status and output, leaves no FIFO behind, identifies
// the user as ecflow_client does with USER unset, and still works when no FIFO can be made.
import { assert, assertEquals, assertStringIncludes } from "./deps.ts";
import { ecflowClient, run, startServer } from "./harness/server.ts";
import { loginNameOfUid } from "../lib/auth/mod.ts";
import { wrapperScript } from "../tools/compile.ts";

const CLI = new URL("../cli.ts", import.meta.url).pathname;

async function withWrapper(fn: (wrapper: string, tmp: string) => Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix: "ecflow-ts-wrapper." });
  try {
    const wrapper = `${dir}/ecflow_client`;
    await Deno.writeTextFile(wrapper, wrapperScript(CLI, Deno.execPath()));
    await Deno.chmod(wrapper, 0o755);
    await Deno.mkdir(`${dir}/tmp`);
    await fn(wrapper, `${dir}/tmp`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** The environment of a job: no USER, LOGNAME or HOSTNAME. */
function jobEnv(port: number, tmp: string): Record<string, string> {
  const env: Record<string, string> = {
    ECF_HOST: "127.0.0.1",
    ECF_PORT: String(port),
    TMPDIR: tmp,
  };
  // Deno's own settings, and how this machine reaches the npm registry (the bundle's esbuild)
  const passed = ["DENO_DIR", "JSR_URL", "HOME", "DENO_NO_UPDATE_CHECK", "DENO_CERT"];
  passed.push("DENO_TLS_CA_STORE", "SSL_CERT_FILE", "SSL_CERT_DIR", "NODE_EXTRA_CA_CERTS");
  passed.push("HTTPS_PROXY", "HTTP_PROXY", "NO_PROXY");
  for (const k of passed) {
    const v = Deno.env.get(k);
    if (v !== undefined) env[k] = v;
  }
  return env;
}

Deno.test("the wrapper gives back ecflow-ts's exit status and output, and leaves no FIFO behind", async () => {
  await using server = await startServer();
  await withWrapper(async (wrapper, tmp) => {
    const env = jobEnv(server.port, tmp);
    const ping = await run(wrapper, ["--ping"], env);
    assertEquals(ping.code, 0, ping.stderr);
    assert(
      ping.stdout.startsWith(`ping server(127.0.0.1:${server.port}) succeeded in `),
      ping.stdout,
    );

    const version = await run(wrapper, ["--server_version"], env);
    assertEquals(version, await ecflowClient(["--server_version"], env));

    const bad = await run(wrapper, ["--get="], env);
    assertEquals(bad.code, 1);
    assertStringIncludes(bad.stderr, "should follow immediately after the equal sign");

    const dead = await run(wrapper, ["--ping", "--port=1", "--attempts=1"], env);
    assertEquals(dead.code, 1);
    assertStringIncludes(dead.stderr, "Failed to connect to 127.0.0.1:1");

    // the wrapper returns before the process ends; the FIFO is gone once it has
    for (let i = 0; i < 100 && [...Deno.readDirSync(tmp)].length > 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    assertEquals([...Deno.readDirSync(tmp)].map((e) => e.name), []);
  });
});

Deno.test("through the wrapper, with USER and LOGNAME unset, the server knows the login name of the real uid", async () => {
  await using server = await startServer();
  await withWrapper(async (wrapper, tmp) => {
    const env = jobEnv(server.port, tmp);
    await Deno.writeTextFile(`${server.home}/w.def`, "suite w\n  task t\nendsuite\n");
    assertEquals((await ecflowClient([`--load=${server.home}/w.def`], env)).code, 0);
    const r = await run(wrapper, ["--suspend=/w/t"], env);
    assertEquals(r.code, 0, r.stderr);
    const user = loginNameOfUid(await Deno.readTextFile("/etc/passwd"), Deno.uid()!);
    const log = (await ecflowClient(["--log=get", "50"], env)).stdout;
    assertStringIncludes(log, `--suspend /w/t :${user}@${Deno.hostname()}`);
  });
});

Deno.test("when no FIFO can be made (TMPDIR missing), the wrapper runs ecflow-ts directly", async () => {
  await using server = await startServer();
  await withWrapper(async (wrapper, tmp) => {
    const env = { ...jobEnv(server.port, tmp), TMPDIR: `${tmp}/missing` };
    const ping = await run(wrapper, ["--ping"], env);
    assertEquals(ping.code, 0, ping.stderr);
    const bad = await run(wrapper, ["--ping", "--port=1", "--attempts=1"], env);
    assertEquals(bad.code, 1);
  });
});

Deno.test("the README shows the wrapper that tools/compile.ts writes", async () => {
  const readme = await Deno.readTextFile(new URL("../README.md", import.meta.url));
  assertStringIncludes(readme, "```sh\n" + wrapperScript("jsr:@ecflow-ts/client/cli") + "```\n");
});

Deno.test("deno task compile --bundle builds a CLI that answers as the sources do", async () => {
  await using server = await startServer();
  const dir = await Deno.makeTempDir({ prefix: "ecflow-ts-bundle." });
  try {
    const tool = new URL("../tools/compile.ts", import.meta.url).pathname;
    const denoEnv = jobEnv(server.port, dir);
    const built = await run(Deno.execPath(), [
      "run",
      "-A",
      "--no-lock",
      tool,
      "--bundle",
      `--out-dir=${dir}`,
    ], denoEnv);
    assertEquals(built.code, 0, built.stderr);
    const flags = ["run", "--quiet", "--no-lock", "--no-prompt", "--allow-net", "--allow-env"];
    for (
      const args of [["--version"], ["--help"], ["--server_version"], ["--get="], ["--suites"]]
    ) {
      const fromSources = await run(Deno.execPath(), [...flags, CLI, ...args], denoEnv);
      const fromBundle = await run(
        Deno.execPath(),
        [...flags, `${dir}/bundle/cli.js`, ...args],
        denoEnv,
      );
      assertEquals(fromBundle, fromSources, args.join(" "));
    }
    const ping = await run(Deno.execPath(), [...flags, `${dir}/bundle/cli.js`, "--ping"], denoEnv);
    assertEquals(ping.code, 0, ping.stderr);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
