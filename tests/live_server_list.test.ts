// ecflow_ui's server list (servers.txt): the line format as ecflow_ui 5.17 reads it, where
// the file is, and a file that cannot be read or is wrong as a one-line error.
import { assert, assertEquals, assertRejects, assertStringIncludes, assertThrows } from "./deps.ts";
import { parseServerList, readServerList, serverListPath } from "../lib/live/server_list.ts";
import { namedServers } from "../lib/live/targets.ts";
import { ConfigError, envFrom } from "../mod.ts";
import { run } from "./harness/server.ts";

Deno.test("servers.txt as ecflow_ui writes it: header comments, every field, protocol numbers", () => {
  // ServerList::save writes exactly this header, then name,host,port,fav,sys,protocol,user
  const text = [
    "# Name, Host, Port, Favourite, System, Protocol, User",
    "# ",
    "# Protocol:",
    "#   0 == TCP/IP",
    "#   1 == TCP/IP with SSL",
    "#   2 == HTTP",
    "#   3 == HTTPS",
    "# ",
    "prod,oetzi,3444,1,0,0,",
    "secure,vali,4141,0,1,1,ops",
    "web,gate.example,8443,0,0,3,",
    "plain,gate.example,8080,0,0,2,",
    "",
  ].join("\n");
  const list = parseServerList(text, "servers.txt");
  assertEquals(
    list.map((e) => [e.name, e.host, e.port, e.favourite, e.system, e.protocol, e.user, e.line]),
    [
      ["prod", "oetzi", 3444, true, false, "tcp", undefined, 9],
      ["secure", "vali", 4141, false, true, "ssl", "ops", 10],
      ["web", "gate.example", 8443, false, false, "https", undefined, 11],
      ["plain", "gate.example", 8080, false, false, "http", undefined, 12],
    ],
  );
});

Deno.test("servers.txt: short and old lines read as ecflow_ui reads them", () => {
  const list = parseServerList(
    [
      "a,h1,3141", // three fields: plain, not a favourite
      "   # an indented comment",
      "b,h2,3142,1", // favourite only
      "c,h3,3143,0,0,1", // 5.9.2 wrote an SSL flag here: 1 is SSL in both
      "d,,h4,,3144", // empty fields are dropped, as ecflow_ui 5.17's split_at does
      "too,short", // fewer than three fields: ignored
      "e,h5,3145\r", // a CRLF file
    ].join("\n"),
    "servers.txt",
  );
  assertEquals(list.map((e) => [e.name, e.host, e.port, e.favourite, e.protocol]), [
    ["a", "h1", 3141, false, "tcp"],
    ["b", "h2", 3142, true, "tcp"],
    ["c", "h3", 3143, false, "ssl"],
    ["d", "h4", 3144, false, "tcp"],
    ["e", "h5", 3145, false, "tcp"],
  ]);
});

Deno.test("servers.txt: a wrong line is a one-line error naming the file and the line", () => {
  const cases: [string, string][] = [
    ["a,h,port", "servers.txt line 1: invalid port number: port"],
    ["a,h,1\na,h,2", "servers.txt line 2: duplicated server name: a"],
    ["a,h,1,0,0,7", "servers.txt line 1: invalid protocol '7' (0, 1, 2 or 3)"],
    ["# c\n  ,h,1", "servers.txt line 2: empty server name"],
  ];
  for (const [text, message] of cases) {
    const e = assertThrows(() => parseServerList(text, "servers.txt"), ConfigError);
    assertStringIncludes(e.message, message);
    assertEquals(e.message.includes("\n"), false, e.message);
  }
});

Deno.test("the list is $ECFLOWUI_CONFIG_DIR/servers.txt, else ~/.ecflow_ui_v5/servers.txt", () => {
  assertEquals(
    serverListPath(envFrom({ ECFLOWUI_CONFIG_DIR: "/c/", HOME: "/h" })),
    "/c/servers.txt",
  );
  assertEquals(serverListPath(envFrom({ HOME: "/h" })), "/h/.ecflow_ui_v5/servers.txt");
  assertEquals(serverListPath(envFrom({})), undefined);
});

Deno.test("reading the list: absent is no list; names resolve through it; unknown names are refused", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ecflow-ts-ui." });
  try {
    const env = envFrom({ ECFLOWUI_CONFIG_DIR: dir });
    assertEquals(await readServerList(env), undefined);
    await Deno.writeTextFile(`${dir}/servers.txt`, "prod,oetzi,3444,0,0,1,ops\n");
    const list = await readServerList(env);
    assertEquals(list?.path, `${dir}/servers.txt`);
    const targets = await namedServers(["prod", "other:4000"], env);
    assertEquals(targets, [
      { name: "prod", host: "oetzi", port: 3444, protocol: "ssl", user: "ops" },
      { host: "other", port: 4000 },
    ]);
    const e = await assertRejects(() => namedServers(["prdo"], env), ConfigError);
    assertStringIncludes(e.message, `unknown server 'prdo': not a name in ${dir}/servers.txt`);
    await assertRejects(() => namedServers(["host:"], env), ConfigError);
    await Deno.writeTextFile(`${dir}/servers.txt`, "prod,oetzi,x\n");
    const bad = await assertRejects(() => readServerList(env), ConfigError);
    assertStringIncludes(bad.message, "line 1: invalid port number: x");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a server list this process may not read names the --allow-read flag", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ecflow-ts-ui." });
  try {
    await Deno.writeTextFile(`${dir}/servers.txt`, "prod,127.0.0.1,1,0,0,0,\n");
    const cli = new URL("../cli.ts", import.meta.url).pathname;
    const denoEnv: Record<string, string> = {};
    for (const k of ["DENO_DIR", "JSR_URL", "DENO_NO_UPDATE_CHECK"]) {
      const v = Deno.env.get(k);
      if (v !== undefined) denoEnv[k] = v;
    }
    const r = await run(Deno.execPath(), [
      "run",
      "--quiet",
      "--no-lock",
      "--no-prompt",
      "--allow-net=127.0.0.1",
      "--allow-env=ECF_HOST,ECF_PORT,ECFLOWUI_CONFIG_DIR,HOME",
      cli,
      "--status",
    ], { ...denoEnv, ECFLOWUI_CONFIG_DIR: dir });
    assertEquals(r.code, 1);
    assertEquals(r.stdout, "");
    assertEquals(r.stderr.trimEnd().split("\n").length, 1, r.stderr);
    assertStringIncludes(r.stderr, `--allow-read=${dir}/servers.txt`);
    assert(!r.stderr.includes("    at "), r.stderr);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
