// The environment at its extremes. A variable set to bytes that are not UTF-8 is a one-line
// error naming it (never "unset", never a default server); a blank ECF_HOST is an error, not
// localhost; ECF_PORT is read as ecflow_client reads it (" 3141", "+3141", "03141"); a port in
// ECF_HOST=host:port that differs from ECF_PORT is a conflict. Each against real 5.9.2 and 5.17
// servers beside the reference ecflow_client, or against a listener that counts connections
// where ecflow-ts must not connect at all.
import { assert, assertEquals, assertStringIncludes } from "./deps.ts";
import {
  ecflowClient,
  ecflowPrograms,
  ecflowTs,
  GENERATIONS,
  run,
  type RunResult,
  startServer,
} from "./harness/server.ts";

const CLI = new URL("../cli.ts", import.meta.url).pathname;

/** A listener that counts connections and closes each at once. */
function countingListener() {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const state = { accepted: 0 };
  const done = (async () => {
    try {
      for await (const conn of listener) {
        state.accepted++;
        conn.close();
      }
    } catch { /* closed */ }
  })();
  return {
    port: (listener.addr as Deno.NetAddr).port,
    get accepted() {
      return state.accepted;
    },
    async [Symbol.asyncDispose]() {
      listener.close();
      await done;
    },
  };
}

/**
 * Runs `program args` with `env`, plus the variable `name` set to the bytes of `octal`
 * (`printf %b` notation, e.g. `127.0.0.1\377`): Deno cannot put such bytes in an environment
 * itself, bash can.
 */
function withRawVariable(
  program: string,
  args: string[],
  env: Record<string, string>,
  name: string,
  octal: string,
): Promise<RunResult> {
  const script = `export ${name}="$(printf '%b' "$RAW_VALUE")"; unset RAW_VALUE; exec "$@"`;
  return run("/bin/bash", ["-c", script, "bash", program, ...args], { ...env, RAW_VALUE: octal });
}

/** Our CLI through bash, with the same flags and environment the harness gives it. */
function oursWithRawVariable(
  args: string[],
  env: Record<string, string>,
  name: string,
  octal: string,
): Promise<RunResult> {
  const denoEnv: Record<string, string> = { USER: Deno.env.get("USER") ?? "root" };
  for (const k of ["DENO_DIR", "JSR_URL", "HOME", "DENO_NO_UPDATE_CHECK"]) {
    const v = Deno.env.get(k);
    if (v !== undefined) denoEnv[k] = v;
  }
  const deno = ["run", "--quiet", "--no-lock", "--allow-net", "--allow-env", "--allow-read", CLI];
  return withRawVariable(Deno.execPath(), [...deno, ...args], { ...denoEnv, ...env }, name, octal);
}

/** Exit 1, one line on stderr that names `what`, nothing on stdout, no stack trace. */
function assertOneLineError(r: RunResult, what: string, context: string): void {
  assertEquals(r.code, 1, `${context}: ${r.stderr}`);
  assertEquals(r.stdout, "", context);
  const lines = r.stderr.trimEnd().split("\n");
  assertEquals(lines.length, 1, `${context}: ${r.stderr}`);
  assertStringIncludes(lines[0], what, context);
  assert(!r.stderr.includes("    at "), `${context}: stack trace`);
}

/** A job's environment (task commands), pointing at `port`. */
function jobEnv(port: number): Record<string, string> {
  return {
    ECF_HOST: "127.0.0.1",
    ECF_PORT: String(port),
    ECF_NAME: "/s/t",
    ECF_PASS: "jobpass1",
    ECF_RID: "4242",
    ECF_TRYNO: "1",
    ECF_TS_CHILD_ATTEMPTS: "1",
    ECF_TS_CHILD_TIMEOUT_MS: "100",
  };
}

Deno.test("env: a variable ecflow-ts cannot decode is a one-line error naming it, and nothing is sent", async (t) => {
  await using listener = countingListener();
  const port = String(listener.port);
  const user = { ECF_HOST: "127.0.0.1", ECF_PORT: port };
  const cases: [string, string[], Record<string, string>][] = [
    ["ECF_HOST", ["--ping"], { ECF_PORT: port }],
    ["ECF_PORT", ["--ping"], { ECF_HOST: "127.0.0.1" }],
    ["USER", ["--ping"], user],
    ["ECF_USER", ["--ping"], user],
    ["ECF_PASSWD", ["--ping"], user],
    ["ECF_CUSTOM_PASSWD", ["--ping"], { ...user, ECF_USER: "op" }],
    ["ECF_CONNECT_TIMEOUT", ["--ping"], user],
    ["ECF_SSL", ["--ping"], user],
    ["ECF_HOST_PROTOCOL", ["--ping"], user],
    ["HOME", ["--ping", "--ssl"], user],
    ["ECF_NAME", ["--init=1"], jobEnv(listener.port)],
    ["ECF_PASS", ["--init=1"], jobEnv(listener.port)],
    ["ECF_RID", ["--init=1"], jobEnv(listener.port)],
    ["ECF_TRYNO", ["--init=1"], jobEnv(listener.port)],
    ["ECF_HOSTFILE", ["--init=1"], jobEnv(listener.port)],
    ["ECF_TIMEOUT", ["--init=1"], jobEnv(listener.port)],
  ];
  for (const [name, args, env] of cases) {
    await t.step(`${name} set to '\\377…'`, async () => {
      const r = await oursWithRawVariable(args, env, name, "zq\\377\\376");
      assertOneLineError(r, name, name);
      assertStringIncludes(r.stderr, "not valid UTF-8");
      assert(!r.stderr.includes("zq"), "the value is not echoed");
      assertEquals(listener.accepted, 0, `${name}: connected anyway`);
    });
  }
});

for (const generation of GENERATIONS) {
  Deno.test(`env ${generation}: ECF_PORT as ecflow_client reads it; blank or undecodable ECF_HOST fails for both clients, ECF_HOST=host:port as documented`, async (t) => {
    await using server = await startServer({ generation });
    const client = ecflowPrograms(generation).client;
    const p = String(server.port);
    const ping = (env: Record<string, string>) =>
      Promise.all([
        ecflowClient(["--ping"], { ECF_CONNECT_TIMEOUT: "5", ...env }, generation),
        ecflowTs(["--ping"], env),
      ]);
    for (const form of [` ${p}`, `\t${p}`, `+${p}`, `0${p}`, `00${p}`]) {
      await t.step(
        `ECF_PORT=${JSON.stringify(form)} reaches the server, as ecflow_client`,
        async () => {
          const [ref, ours] = await ping({ ECF_HOST: "127.0.0.1", ECF_PORT: form });
          assertEquals(ref.code, 0, ref.stdout + ref.stderr);
          assertEquals(ours.code, 0, ours.stderr);
          assertStringIncludes(ours.stdout, `ping server(127.0.0.1:${p}) succeeded`);
        },
      );
    }
    for (const form of [`${p} `, `-${p}`, `0x${server.port.toString(16)}`, "", " "]) {
      await t.step(`ECF_PORT=${JSON.stringify(form)} fails for both`, async () => {
        const [ref, ours] = await ping({ ECF_HOST: "127.0.0.1", ECF_PORT: form });
        assert(!ref.stdout.includes("succeeded"), `ecflow_client: ${ref.stdout}`);
        assertOneLineError(ours, "(from ECF_PORT)", form);
      });
    }
    await t.step(
      "ECF_HOST=' ' fails for both: ecflow-ts names it, before any connection",
      async () => {
        const [ref, ours] = await ping({ ECF_HOST: " ", ECF_PORT: p });
        assert(!ref.stdout.includes("succeeded"), `ecflow_client: ${ref.stdout}`);
        assertOneLineError(ours, "invalid host ' ' (from ECF_HOST): blank", "blank ECF_HOST");
      },
    );
    await t.step("ECF_HOST='' is unset for both: localhost", async () => {
      const [ref, ours] = await ping({ ECF_HOST: "", ECF_PORT: p });
      assertEquals([ref.code, ours.code], [0, 0], ref.stderr + ours.stderr);
      assertStringIncludes(ref.stdout, `ping server(localhost:${p}) succeeded`);
      assertStringIncludes(ours.stdout, `ping server(localhost:${p}) succeeded`);
    });
    await t.step("ECF_HOST undecodable fails for both", async () => {
      const env = { ECF_PORT: p, ECF_CONNECT_TIMEOUT: "5", USER: "root" };
      const ref = await withRawVariable(client, ["--ping"], env, "ECF_HOST", "127.0.0.1\\377");
      assert(!ref.stdout.includes("succeeded"), `ecflow_client: ${ref.stdout}`);
      const ours = await oursWithRawVariable(
        ["--ping"],
        { ECF_PORT: p },
        "ECF_HOST",
        "127.0.0.1\\377",
      );
      assertOneLineError(ours, "ECF_HOST is set, but its value is not valid UTF-8", "ECF_HOST");
    });
    await t.step(
      "ECF_HOST=host:port: ecflow-ts uses the port (ecflow_client takes it all as a host name); a different ECF_PORT is a conflict",
      async () => {
        const [ref, same] = await ping({ ECF_HOST: `127.0.0.1:${p}`, ECF_PORT: p });
        assert(!ref.stdout.includes("succeeded"), `ecflow_client: ${ref.stdout}`);
        assertEquals(same.code, 0, same.stderr);
        const [, alone] = await ping({ ECF_HOST: `127.0.0.1:${p}` });
        assertEquals(alone.code, 0, alone.stderr);
        const [, conflict] = await ping({ ECF_HOST: `127.0.0.1:${p}`, ECF_PORT: "1" });
        assertOneLineError(conflict, `conflicting ports: ${p} in ECF_HOST`, "conflict");
      },
    );
  });
}
