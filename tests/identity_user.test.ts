// Identity as ecflow_client: with USER, LOGNAME and HOSTNAME unset, both clients are known to
// the server by the login name of the real uid and the machine's host name. Checked where
// operators audit: the server log, --edit_history and --ch_suites, on both server generations.
import { assert, assertEquals } from "./deps.ts";
import { ecflowPrograms, GENERATIONS, run, type RunResult, startServer } from "./harness/server.ts";
import { loginNameOfUid } from "../lib/auth/mod.ts";

const CLI = new URL("../cli.ts", import.meta.url).pathname;

/** The environment of a job or a login shell that does not export USER, LOGNAME, HOSTNAME. */
function bareEnv(port: number): Record<string, string> {
  const env: Record<string, string> = { ECF_HOST: "127.0.0.1", ECF_PORT: String(port) };
  for (const k of ["DENO_DIR", "JSR_URL", "HOME", "DENO_NO_UPDATE_CHECK"]) {
    const v = Deno.env.get(k);
    if (v !== undefined) env[k] = v;
  }
  return env;
}

/** The permissions the README gives user commands, with the identity flags. */
function identityFlags(port: number): string[] {
  return [
    `--allow-net=127.0.0.1:${port}`,
    "--allow-env=ECF_HOST,ECF_PORT",
    "--allow-sys=uid,hostname",
    "--allow-read=/etc/passwd",
  ];
}

function ts(args: string[], port: number, flags = identityFlags(port)): Promise<RunResult> {
  return run(Deno.execPath(), [
    "run",
    "--quiet",
    "--no-lock",
    "--no-prompt",
    ...flags,
    CLI,
    ...args,
  ], bareEnv(port));
}

/** `user@host` at the end of the lines that record `command` (log or edit history). */
function whoDid(text: string, command: string): string[] {
  return text.split("\n").filter((l) => l.includes(`${command} :`)).map((l) =>
    l.slice(l.lastIndexOf(" :") + 2).trim()
  );
}

/** The user of each client handle, from --ch_suites (a user is printed once for its handles). */
function handleUsers(text: string): Map<string, string> {
  const users = new Map<string, string>();
  let user = "";
  for (const line of text.split("\n").slice(2)) {
    const m = /^(\S*)\s+(\d+)\b/.exec(line);
    if (!m) continue;
    if (m[1]) user = m[1];
    users.set(m[2], user);
  }
  return users;
}

const uid = Deno.uid()!;
const expectedUser = loginNameOfUid(await Deno.readTextFile("/etc/passwd"), uid);
const expectedHost = Deno.hostname();

for (const generation of GENERATIONS) {
  Deno.test(`${generation}: with USER and LOGNAME unset, the server log, --edit_history and --ch_suites show the same user@host for ecflow_client and ecflow-ts`, async () => {
    assert(expectedUser, `uid ${uid} has no entry in /etc/passwd`);
    await using server = await startServer({ generation });
    const port = server.port;
    const ref = (args: string[]) =>
      run(ecflowPrograms(generation).client, [`--port=${port}`, ...args], bareEnv(port));
    await Deno.writeTextFile(`${server.home}/idt.def`, "suite idt\n  task a\n  task b\nendsuite\n");
    assertEquals((await ref([`--load=${server.home}/idt.def`])).code, 0);

    for (
      const [who, client] of [["ecflow_client", ref], [
        "ecflow-ts",
        (a: string[]) => ts(a, port),
      ]] as const
    ) {
      const node = who === "ecflow_client" ? "/idt/a" : "/idt/b";
      for (const args of [["--ch_register=false", "idt"], [`--suspend=${node}`]]) {
        const r = await client(args);
        assertEquals(r.code, 0, `${who} ${args.join(" ")}: ${r.stderr}`);
      }
    }

    const expected = `${expectedUser}@${expectedHost}`;
    const log = (await ref(["--log=get", "200"])).stdout;
    assertEquals(whoDid(log, "--suspend /idt/a"), [expected], log);
    assertEquals(whoDid(log, "--suspend /idt/b"), [expected], log);
    assertEquals(whoDid(log, "--ch_register=false idt").length, 2, log);
    for (const by of whoDid(log, "--ch_register=false idt")) assertEquals(by, expected);

    for (const node of ["/idt/a", "/idt/b"]) {
      const history = (await ref([`--edit_history=${node}`])).stdout;
      assertEquals(whoDid(history, `--suspend ${node}`), [expected], history);
    }

    const handles = handleUsers((await ref(["--ch_suites"])).stdout);
    assertEquals([...handles.values()], [expectedUser, expectedUser]);
  });
}

Deno.test("without --allow-sys=uid and --allow-read=/etc/passwd, and USER unset, ecflow-ts says it is 'unknown' (the README's flags are what make it the login name)", async () => {
  await using server = await startServer();
  const port = server.port;
  await Deno.writeTextFile(`${server.home}/idt.def`, "suite idt\n  task a\nendsuite\n");
  const bare = [`--allow-net=127.0.0.1:${port}`, "--allow-env=ECF_HOST,ECF_PORT"];
  assertEquals(
    (await ts([`--load=${server.home}/idt.def`], port, [...bare, `--allow-read=${server.home}`]))
      .code,
    0,
  );
  assertEquals((await ts(["--suspend=/idt/a"], port, bare)).code, 0);
  const log =
    (await run(ecflowPrograms("5.9").client, [`--port=${port}`, "--log=get", "50"], bareEnv(port)))
      .stdout;
  assertEquals(whoDid(log, "--suspend /idt/a"), ["unknown@localhost"], log);
});
