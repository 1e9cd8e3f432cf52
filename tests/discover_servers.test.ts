// Discovery on real servers: ecflow_server 5.9.2 and 5.17 processes on different ports and
// homes (plain, TLS with ECF_SSL, 5.17 --http, one whose port is only in ECF_PORT), run as
// a user of their own next to a listener that only claims to be one; the CLI and the
// library, as that user and as root, with and without the permission Deno needs for /proc.
import { assert, assertEquals, assertStringIncludes } from "./deps.ts";
import { ecflowClient, freeServerPort } from "./harness/server.ts";
import {
  cliAs,
  type LabServer,
  lookAs,
  startDecoy,
  startServerAs,
  unusedUid,
} from "./discover_lab.ts";
import type { Discovery, FoundServer } from "../lib/discover/mod.ts";
import { PROC_PERMISSION_HINT } from "../lib/discover/read.ts";

/** The user the servers run as: no account has this uid. */
const U = unusedUid();

/** What a reference ecflow_client of the server's generation says: version, state, home. */
async function reference(s: LabServer) {
  const version = await ecflowClient(
    ["--server_version", ...s.clientArgs],
    s.clientEnv,
    s.generation,
  );
  const stats = await ecflowClient(["--stats", ...s.clientArgs], s.clientEnv, s.generation);
  assertEquals(version.code, 0, version.stderr);
  assertEquals(stats.code, 0, stats.stderr);
  const line = (name: string) =>
    stats.stdout.split("\n").find((l) => l.trim().startsWith(name))?.trim().slice(name.length)
      .trim();
  return { version: version.stdout.trim(), state: line("Status"), home: line("ECF_HOME") };
}

function parseJson<T>(r: { code: number; stdout: string; stderr: string }): T {
  assertEquals(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as T;
}

Deno.test("find_servers: each kind of server is listed with its pid, transport, state, version and home, as the reference clients report them; a listener that only claims to be one is not", async () => {
  await using plain = await startServerAs({ uid: U, halted: true });
  await using tls = await startServerAs({ uid: U, protocol: "tls" });
  await using http = await startServerAs({ uid: U, generation: "5.17", protocol: "http" });
  await using byEnv = await startServerAs({ uid: U, generation: "5.17", portFrom: "environment" });
  await using decoy = await startDecoy(U);
  const servers = [plain, tls, http, byEnv].sort((a, b) => a.port - b.port);

  const doc = parseJson<{ servers: Record<string, unknown>[]; portUnknown: unknown[] }>(
    await cliAs(undefined, ["--find_servers=" + U, "--json"]),
  );
  assertEquals(doc.portUnknown, []);
  assertEquals(doc.servers.map((s) => s.port), servers.map((s) => s.port));
  for (const [i, s] of servers.entries()) {
    const ref = await reference(s);
    const got = doc.servers[i];
    assert(typeof got.ms === "number", JSON.stringify(got));
    delete got.ms;
    assertEquals(got, {
      host: "localhost",
      port: s.port,
      pid: s.pid,
      uid: U,
      mine: false,
      home: s.home,
      protocol: s.protocol,
      ...(s.protocol === "tls" ? { ecfSsl: "1", sslDir: `${s.home}/.ecflowrc/ssl` } : {}),
      state: ref.state,
      version: ref.version,
    });
    assertEquals(ref.home, s.home);
    assertEquals(ref.state, s === plain ? "HALTED" : "RUNNING");
  }
  assert(!JSON.stringify(doc).includes(String(decoy.port)), "the decoy is not a server");

  const table = await cliAs(undefined, ["--find_servers=" + U]);
  assertEquals(table.code, 0, table.stderr);
  const rows = table.stdout.trimEnd().split("\n").map((l) => l.split(/\s+/));
  assertEquals(rows[0], ["PORT", "PROTOCOL", "PID", "USER", "STATE", "VERSION", "ECF_HOME"]);
  assertEquals(
    rows.slice(1),
    servers.map((s, i) => [
      String(s.port),
      s.protocol,
      String(s.pid),
      String(U),
      doc.servers[i].state as string,
      doc.servers[i].version as string,
      s.home,
    ]),
  );
  assertEquals(table.stderr, "");
});

/**
 * The listening ecflow_servers as `port/pid`, the way the ecFlow documentation finds them:
 * `netstat -lnpt` (net-tools), else `ss -lntp` (iproute2), filtered on the program name.
 */
async function netstatServers(): Promise<Set<string>> {
  const run = async (cmd: string, args: string[]) => {
    try {
      const out = await new Deno.Command(cmd, { args, stderr: "null" }).output();
      return out.success ? new TextDecoder().decode(out.stdout) : undefined;
    } catch {
      return undefined;
    }
  };
  const found = new Set<string>();
  const netstat = await run("netstat", ["-lnpt"]);
  if (netstat !== undefined) {
    for (const line of netstat.split("\n")) {
      const f = line.trim().split(/\s+/);
      const [pid, program] = (f.at(-1) ?? "").split("/");
      if (f[5] !== "LISTEN" || !program?.startsWith("ecflow_server")) continue;
      found.add(`${f[3].slice(f[3].lastIndexOf(":") + 1)}/${pid}`);
    }
    return found;
  }
  const ss = await run("ss", ["-lntpH"]);
  if (ss === undefined) throw new Error("neither netstat (net-tools) nor ss (iproute2) runs here");
  for (const line of ss.split("\n")) {
    const f = line.trim().split(/\s+/);
    const m = /\(\("(ecflow_server[^"]*)",pid=(\d+)/.exec(line);
    if (m) found.add(`${f[3].slice(f[3].lastIndexOf(":") + 1)}/${m[2]}`);
  }
  return found;
}

Deno.test("library: finds every ecflow_server netstat -lnpt shows, at the same port and pid, and nothing it does not show", async () => {
  await using plain = await startServerAs({ uid: U });
  await using http = await startServerAs({ uid: U, generation: "5.17", protocol: "http" });
  await using decoy = await startDecoy(U);
  // Other people's servers may start or stop meanwhile: compare with what netstat showed
  // both before and after the look (stable), and with what it showed at either time.
  const before = await netstatServers();
  const look = parseJson<Discovery>(await lookAs(undefined));
  const after = await netstatServers();
  const ours = new Set(look.servers.map((s) => `${s.port}/${s.pid}`));
  const stable = [...before].filter((x) => after.has(x));
  for (const s of [plain, http]) assert(stable.includes(`${s.port}/${s.pid}`), `${s.port}`);
  assertEquals(stable.filter((x) => !ours.has(x)), [], "netstat shows servers the look missed");
  assertEquals(
    [...ours].filter((x) => !before.has(x) && !after.has(x)),
    [],
    "the look found servers netstat never showed",
  );
  assert(![...before, ...after].some((x) => x.startsWith(`${decoy.port}/`)));
});

Deno.test("library: findLocalServers as the servers' owner puts them first; another user's server is placed by its --port, one started without --port is named but not guessed", async () => {
  await using theirs = await startServerAs({ uid: U, halted: true });
  await using rootByArg = await startServerAs({ halted: true });
  await using rootByEnv = await startServerAs({ halted: true, portFrom: "environment" });
  await using decoy = await startDecoy(U);

  // as root: every fd and environment is readable
  const asRoot = parseJson<Discovery>(await lookAs(undefined));
  const pick = (d: Discovery, pid: number) => d.servers.find((s) => s.pid === pid);
  assertEquals(pick(asRoot, theirs.pid), {
    host: "localhost",
    port: theirs.port,
    pid: theirs.pid,
    uid: U,
    mine: false,
    home: theirs.home,
    protocol: "tcp",
  });
  assertEquals(pick(asRoot, rootByArg.pid), {
    host: "localhost",
    port: rootByArg.port,
    pid: rootByArg.pid,
    uid: 0,
    user: "root",
    mine: true,
    home: rootByArg.home,
    protocol: "tcp",
  });
  assertEquals(pick(asRoot, rootByEnv.pid)?.port, rootByEnv.port);
  assert(!asRoot.portUnknown?.some((p) => p.pid === rootByEnv.pid));

  // as the other user: its own server first; root's are seen through their command lines
  const asThem = parseJson<Discovery>(await lookAs(U));
  assertEquals(asThem.servers[0], { ...pick(asRoot, theirs.pid)!, mine: true });
  assert(asThem.servers.slice(1).every((s) => !s.mine), JSON.stringify(asThem.servers));
  assertEquals(
    pick(asThem, rootByArg.pid),
    {
      host: "localhost",
      port: rootByArg.port,
      pid: rootByArg.pid,
      uid: 0,
      user: "root",
      mine: false,
      protocol: "unknown",
    } satisfies FoundServer,
  );
  assertEquals(pick(asThem, rootByEnv.pid), undefined);
  assert(!asThem.servers.some((s) => s.port === rootByEnv.port));
  assertEquals(asThem.portUnknown?.find((p) => p.pid === rootByEnv.pid), {
    pid: rootByEnv.pid,
    uid: 0,
    user: "root",
  });
  for (const d of [asRoot, asThem]) {
    assert(!d.servers.some((s) => s.port === decoy.port || s.pid === decoy.pid), "no decoy");
  }
});

Deno.test("a failed ping run by the servers' owner names their only server and the options that reach it, and those options do", async () => {
  await using only = await startServerAs({ uid: U, generation: "5.17" });
  await using decoy = await startDecoy(U);
  const deadPort = freeServerPort();

  const r = await cliAs(U, ["--ping", "--host=127.0.0.1", `--port=${deadPort}`, "--attempts=1"]);
  assertEquals(r.code, 1);
  assertEquals(r.stdout, "");
  const lines = r.stderr.trimEnd().split("\n");
  assertEquals(
    lines[0],
    `Request( --ping ), Failed to connect to 127.0.0.1:${deadPort}. Is the server running ?`,
  );
  const found = lines.filter((l) => l.startsWith("  ecflow_server "));
  assertEquals(
    found[0],
    `  ecflow_server listening on port ${only.port} (pid ${only.pid}, uid ${U}); try --port=${only.port}`,
  );
  assertEquals(
    lines.at(-1),
    `  hint: your only ecflow_server here listens on port ${only.port}: ` +
      `add --port=${only.port}, or export ECF_PORT=${only.port}`,
  );
  assert(!r.stderr.includes(String(decoy.port)), "the decoy is not named");

  const again = await cliAs(U, ["--ping", "--host=127.0.0.1", `--port=${only.port}`]);
  assertEquals(again.code, 0, again.stderr);
  assertStringIncludes(again.stdout, `ping server(127.0.0.1:${only.port}) succeeded`);
  const viaEnv = await cliAs(U, ["--ping", "--host=127.0.0.1"], ["--allow-all"], {
    ECF_PORT: String(only.port),
  });
  assertEquals(viaEnv.code, 0, viaEnv.stderr);
});

Deno.test("without --allow-all nothing is read or prompted: --find_servers fails in one line naming the flag, a failed ping says how to turn the look on", async () => {
  await using server = await startServerAs({ uid: U, halted: true });
  const want = `ecflow-ts: cannot look for local servers: ${PROC_PERMISSION_HINT}\n`;
  for (
    const permissions of [
      ["--allow-net", "--allow-env"],
      ["--allow-net", "--allow-env", "--allow-read=/proc"],
      ["--allow-net", "--allow-env", "--allow-read", "--allow-sys"],
    ]
  ) {
    const r = await cliAs(undefined, ["--find_servers"], permissions);
    assertEquals([r.code, r.stdout, r.stderr], [1, "", want], permissions.join(" "));
    const look = parseJson<Discovery>(await lookAs(undefined, permissions));
    assertEquals(look, { servers: [], unavailable: PROC_PERMISSION_HINT });
    const ping = await cliAs(
      undefined,
      ["--ping", "--host=127.0.0.1", "--port=1", "--attempts=1"],
      permissions,
    );
    assertEquals(ping.code, 1);
    assertEquals(
      ping.stderr.trimEnd().split("\n").at(-1),
      `  hint: ecflow-ts did not look for local servers: ${PROC_PERMISSION_HINT}`,
    );
    assert(!ping.stderr.includes(String(server.port)));
  }
  // on a terminal, where Deno would ask, it does not: the command ends with the same line
  const tty = await new Deno.Command("script", {
    args: [
      "-qec",
      `${Deno.execPath()} run --quiet --no-lock --allow-env --allow-net ` +
      `${new URL("../cli.ts", import.meta.url).pathname} --find_servers`,
      "/dev/null",
    ],
    stdin: "null",
    signal: AbortSignal.timeout(60_000),
  }).output();
  assertEquals(tty.code, 1);
  assertEquals(new TextDecoder().decode(tty.stdout).replace(/\r\n/g, "\n"), want);
});

Deno.test("find_servers: bad input is one line and no look", async () => {
  for (
    const [args, want] of [
      [["--find_servers=", "--json"], "should follow immediately after the equal sign"],
      [["--find_servers", "--port=4141"], "it takes no --port"],
      [["--find_servers", "--host=localhost"], "it takes no --host"],
      [["--find_servers", "--ssl"], "it takes no --ssl"],
      [["--find_servers", "--timeout=0"], "invalid value '0' for --timeout"],
    ] as const
  ) {
    const r = await cliAs(undefined, [...args]);
    assertEquals(r.code, 1, args.join(" "));
    assertEquals(r.stdout, "");
    assertEquals(r.stderr.split("\n").length, 2, r.stderr);
    assertStringIncludes(r.stderr, want);
  }
  const none = await cliAs(undefined, [`--find_servers=${U + 1}`]);
  assertEquals([none.code, none.stdout], [
    0,
    `no ecflow_server of user '${U + 1}' is listening on this machine\n`,
  ]);
});
