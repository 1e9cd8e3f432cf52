// Least privilege, as the README promises: every CLI command group runs with exactly the
// flags the README's permission table lists (and --no-prompt, so anything more would fail
// rather than ask); a missing permission is one line on stderr that names the flag to add.
import { assert, assertEquals, assertStringIncludes } from "./deps.ts";
import { ecflowClient, run, startServer } from "./harness/server.ts";

const CLI = new URL("../cli.ts", import.meta.url).pathname;

function denoEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const k of ["DENO_DIR", "JSR_URL", "DENO_NO_UPDATE_CHECK"]) {
    const v = Deno.env.get(k);
    if (v !== undefined) env[k] = v;
  }
  return env;
}

function ecflowTsWith(flags: string[], args: string[], env: Record<string, string>) {
  return run(Deno.execPath(), [
    "run",
    "--quiet",
    "--no-lock",
    "--no-prompt",
    ...flags,
    CLI,
    ...args,
  ], {
    ...denoEnv(),
    ...env,
  });
}

function oneLine(stderr: string) {
  assertEquals(stderr.trimEnd().split("\n").length, 1, stderr);
  assert(!stderr.includes("    at "), `stack trace: ${stderr}`);
}

Deno.test("least privilege: each command group runs with the README's flags and nothing more", async () => {
  await using server = await startServer();
  const hp = `127.0.0.1:${server.port}`;
  const env = { ECF_HOST: "127.0.0.1", ECF_PORT: String(server.port) };
  const net = `--allow-net=${hp}`;
  const def = `${server.home}/least.def`;
  // ECF_JOB_CMD 'true': the job is generated (task submitted, with a password) but never run
  await Deno.mkdir(`${server.home}/least/f`, { recursive: true });
  await Deno.writeTextFile(`${server.home}/least/f/t.ecf`, "echo least\n");
  await Deno.writeTextFile(
    def,
    `suite least\n  edit ECF_HOME '${server.home}'\n  edit ECF_JOB_CMD 'true'\n` +
      "  family f\n    task t\n      event e\n  endfamily\nendsuite\n",
  );

  // no permission at all
  for (const args of [["--version"], ["--help"]]) {
    const r = await ecflowTsWith([], args, {});
    assertEquals([r.code, r.stderr], [0, ""], args.join(" "));
  }
  // user commands: net to the server, env for ECF_HOST/ECF_PORT; a local file adds its read
  const user = [net, "--allow-env=ECF_HOST,ECF_PORT"];
  const steps: [string[], string[]][] = [
    [user, ["--ping"]],
    [user, ["--server_version"]],
    [[...user, `--allow-read=${def}`], [`--load=${def}`]],
    [user, ["--suites"]],
    [user, ["--begin=least"]],
    [user, ["--get=/least"]],
    [user, ["--get_state=/least"]],
    [user, ["--alter", "add", "variable", "X", "1", "/least"]],
    [user, ["--query", "variable", "/least:X"]],
    [user, ["--suspend=/least/f"]],
    [user, ["--resume=/least/f"]],
    [user, ["--stats"]],
    [user, ["--log=get", "5"]],
  ];
  for (const [flags, args] of steps) {
    const r = await ecflowTsWith(flags, args, env);
    assertEquals(r.stderr, "", `${args.join(" ")}: ${r.stderr}`);
    assertEquals(r.code, 0, args.join(" "));
  }
  // child commands: net, and the ECF_* job variables
  const state = await ecflowClient(["--get_state=/least/f/t"], env);
  const pass = /passwd:(\S+)/.exec(state.stdout)?.[1];
  assert(pass, `no job password yet in ${state.stdout}`);
  const job = {
    ...env,
    ECF_NAME: "/least/f/t",
    ECF_PASS: pass,
    ECF_RID: "4242",
    ECF_TRYNO: "1",
    // bounded, so a refused command fails the test instead of blocking for ECF_TIMEOUT
    ECF_TS_CHILD_TIMEOUT_MS: "5000",
    ECF_TS_CHILD_ZOMBIE_TIMEOUT_MS: "5000",
    ECF_TS_CHILD_RETRY_MS: "200",
  };
  const child = [net, "--allow-env=ECF_*"];
  for (const args of [["--init=4242"], ["--event=e"], ["--label=x", "y"], ["--complete"]]) {
    const r = await ecflowTsWith(child, args, job);
    assertEquals(r.stderr, "", `${args.join(" ")}: ${r.stderr}`);
    assertEquals(r.code, 0, args.join(" "));
  }
  const q = await ecflowClient(["--query", "state", "/least/f/t"], env);
  assertEquals(q.stdout.trim(), "complete");
  assert(await server.alive());
});

Deno.test("a missing permission is one line naming the flag, never a prompt", async () => {
  await using server = await startServer({ halted: true });
  const hp = `127.0.0.1:${server.port}`;
  const env = { ECF_HOST: "127.0.0.1", ECF_PORT: String(server.port) };
  const def = `${server.home}/denied.def`;
  await Deno.writeTextFile(def, "suite denied\n  task t\nendsuite\n");

  const netDenied = await ecflowTsWith(["--allow-net=127.0.0.1:1", "--allow-env"], ["--ping"], env);
  assertEquals(netDenied.code, 1);
  oneLine(netDenied.stderr);
  assertStringIncludes(netDenied.stderr, `--allow-net=${hp}`);

  const readDenied = await ecflowTsWith(
    [`--allow-net=${hp}`, "--allow-env"],
    [`--load=${def}`],
    env,
  );
  assertEquals(readDenied.code, 1);
  oneLine(readDenied.stderr);
  assertStringIncludes(readDenied.stderr, `--allow-read=${def}`);

  // without --allow-env the environment reads as unset: the default port is tried, and said
  const envDenied = await ecflowTsWith(["--allow-net"], ["--ping", "--attempts=1"], env);
  assertEquals(envDenied.code, 1);
  assertStringIncludes(envDenied.stderr, "port 3141 (default)");

  // a child command whose ECF_NAME cannot be read says which flag would show it
  const childDenied = await ecflowTsWith([`--allow-net=${hp}`, "--allow-env=ECF_HOST,ECF_PORT"], [
    "--event=e",
  ], { ...env, ECF_NAME: "/denied/t", ECF_PASS: "x" });
  assertEquals(childDenied.code, 1);
  oneLine(childDenied.stderr);
  assertStringIncludes(childDenied.stderr, "--allow-env=ECF_NAME");
  assert(await server.alive());
});
