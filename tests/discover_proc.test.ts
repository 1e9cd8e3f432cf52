// Local discovery without a real /proc: the parsers on the kernel's text formats, the
// matching of sockets to ecflow_server processes, the reader on a /proc tree built in a
// temporary folder, and the lines and listings the CLI prints from what was found.
import { assert, assertEquals, assertMatch, assertStringIncludes } from "./deps.ts";
import { decodeAddress, parseProcNetTcp } from "../lib/discover/proc_net.ts";
import {
  parseCmdline,
  parseEnviron,
  parseStatus,
  type ProcessFacts,
  serverArguments,
  socketInode,
} from "../lib/discover/process.ts";
import { parsePasswd } from "../lib/discover/passwd.ts";
import { type FoundServer, type ProcSnapshot, serversFrom } from "../lib/discover/match.ts";
import { findLocalServers, findLocalServersSync } from "../lib/discover/mod.ts";
import { adviceLines, MAX_ADVICE_SERVERS } from "../lib/discover/advice.ts";
import { serverJson, serverTable, shortVersion } from "../lib/cli/commands/discover.ts";
import { clientFor } from "../lib/discover/ask.ts";

// ------------------------------------------------------------------ the kernel's text

/** /proc/net/tcp as the kernel prints it (x86): header, listeners, a connection. */
const TCP = [
  "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
  "   0: 00000000:102D 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 5001 1 0000000000000000 100 0 0 10 0",
  "   1: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 5002 1 0000000000000000 100 0 0 10 0",
  "   2: 0100007F:C3FC 0100007F:102D 01 00000000:00000000 00:00000000 00000000  1000        0 5003 1 0000000000000000 20 4 30 10 -1",
  "   3: 0A00000A:0CB5 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1001        0 5004 1 0000000000000000 100 0 0 10 0",
  "   4: 0100007F:1F91 00000000:0000 06 00000000:00000000 03:00000B2E 00000000     0        0 0 3 0000000000000000",
  "   garbage that is not a socket line",
  "",
].join("\n");

/** /proc/net/tcp6: every address, loopback, a v4-mapped loopback. */
const TCP6 = [
  "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
  "   0: 00000000000000000000000000000000:1E61 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 6001 1 0000000000000000 100 0 0 10 0",
  "   1: 00000000000000000000000001000000:1E62 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 6002 1 0000000000000000 100 0 0 10 0",
  "   2: 0000000000000000FFFF00000100007F:1E63 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 6003 1 0000000000000000 100 0 0 10 0",
  "",
].join("\n");

Deno.test("proc net: only LISTEN sockets, with port, owner, inode and address decoded", () => {
  assertEquals(parseProcNetTcp(TCP, 4), [
    { inode: 5001, uid: 1000, port: 4141, address: "0.0.0.0", family: 4 },
    { inode: 5002, uid: 0, port: 8080, address: "127.0.0.1", family: 4 },
    { inode: 5004, uid: 1001, port: 3253, address: "10.0.0.10", family: 4 },
  ]);
  assertEquals(parseProcNetTcp(TCP6, 6), [
    { inode: 6001, uid: 1000, port: 7777, address: "::", family: 6 },
    { inode: 6002, uid: 1000, port: 7778, address: "::1", family: 6 },
    { inode: 6003, uid: 1000, port: 7779, address: "::ffff:127.0.0.1", family: 6 },
  ]);
  // the wrong family's file and empty text give nothing
  assertEquals(parseProcNetTcp(TCP6, 4), []);
  assertEquals(parseProcNetTcp("", 4), []);
});

Deno.test("proc net: IPv6 addresses are printed compressed, words in the machine's byte order", () => {
  assertEquals(decodeAddress("000080FE00000000FF563412BC9A78FE"), "fe80::1234:56ff:fe78:9abc");
  assertEquals(decodeAddress("00000000000000000000000000000000"), "::");
  assertEquals(decodeAddress("000080FE000000000000000001000000"), "fe80::1");
  assertEquals(decodeAddress("01000000000000000000000000000000"), "0:1::");
  assertEquals(decodeAddress("B80D0120000000000000000001000000"), "2001:db8::1");
  assertEquals(decodeAddress("0100007F"), "127.0.0.1");
  assertEquals(decodeAddress("XYZ"), undefined);
  assertEquals(decodeAddress("0100"), undefined);
});

Deno.test("proc pid: status, cmdline, environ (ECF_* and HOME only) and fd links", () => {
  const status = "Name:\tecflow_server\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t4321\n" +
    "Pid:\t4321\nPPid:\t1\nUid:\t1000\t1000\t1000\t1000\nGid:\t1000\t1000\t1000\t1000\n";
  assertEquals(parseStatus(status), { name: "ecflow_server", uid: 1000, ppid: 1 });
  assertEquals(parseStatus(""), {});
  assertEquals(parseCmdline("/usr/sbin/ecflow_server\0--port=4141\0"), [
    "/usr/sbin/ecflow_server",
    "--port=4141",
  ]);
  assertEquals(parseCmdline(""), []);
  const environ = "PATH=/usr/bin\0HOME=/home/ops\0ECF_HOME=/home/ops/ecf\0ECF_SSL=\0" +
    "ECF_PASSWD_SECRET_NOT=1\0AWS_SECRET_ACCESS_KEY=xyz\0=odd\0NOEQUALS\0";
  const env = parseEnviron(environ);
  assertEquals(env, {
    HOME: "/home/ops",
    ECF_HOME: "/home/ops/ecf",
    ECF_SSL: "",
    ECF_PASSWD_SECRET_NOT: "1",
  });
  assert(!("AWS_SECRET_ACCESS_KEY" in env), "nothing but ECF_* and HOME is kept");
  assertEquals(socketInode("socket:[5001]"), 5001);
  assertEquals(socketInode("pipe:[5001]"), undefined);
  assertEquals(socketInode("/tmp/x.log"), undefined);
});

Deno.test("proc pid: ecflow_server options read as boost reads them (=, next token, prefixes)", () => {
  const cases: [string[], ReturnType<typeof serverArguments>][] = [
    [["ecflow_server"], { ssl: false, http: false }],
    [["ecflow_server", "--port=4141"], { port: 4141, ssl: false, http: false }],
    [["ecflow_server", "--port", "4141", "--ssl"], { port: 4141, ssl: true, http: false }],
    [["ecflow_server", "--po=3199", "--http"], { port: 3199, ssl: false, http: true }],
    [["ecflow_server", "--s", "--ht"], { ssl: true, http: true }],
    // --h is ambiguous (help, http), --v is ambiguous (v6, version): neither is taken
    [["ecflow_server", "--h", "--v", "-d"], { ssl: false, http: false }],
    [["ecflow_server", "--port"], { ssl: false, http: false }],
    [["ecflow_server", "--port=abc", "--debug"], { ssl: false, http: false }],
    [["ecflow_server", "--ecfinterval=3", "--port=20001"], {
      port: 20001,
      ssl: false,
      http: false,
    }],
  ];
  for (const [argv, want] of cases) assertEquals(serverArguments(argv), want, argv.join(" "));
});

Deno.test("passwd: names by uid, the first line of a uid wins, comments and junk skipped", () => {
  const users = parsePasswd(
    "# users\nroot:x:0:0:root:/root:/bin/bash\nops:x:1000:1000::/home/ops:/bin/sh\n" +
      "alias:x:1000:1000::/home/ops:/bin/sh\nbroken\n:x:5:5::/:/bin/sh\n",
  );
  assertEquals([...users], [[0, "root"], [1000, "ops"]]);
});

// ------------------------------------------------------------------ matching

function proc(p: Partial<ProcessFacts> & { pid: number }): ProcessFacts {
  return { ppid: 1, name: "ecflow_server", uid: 1000, argv: ["ecflow_server"], env: {}, ...p };
}

function snapshot(processes: ProcessFacts[], currentUid = 1000): ProcSnapshot {
  return {
    sockets: [...parseProcNetTcp(TCP, 4), ...parseProcNetTcp(TCP6, 6)],
    processes,
    users: new Map([[0, "root"], [1000, "ops"], [1001, "bob"]]),
    currentUid,
  };
}

Deno.test("match: a server is the socket its process holds, with owner, home and protocol", () => {
  const found = serversFrom(snapshot([
    proc({
      pid: 10,
      argv: ["/usr/sbin/ecflow_server", "--port=4141"],
      env: { ECF_HOME: "/home/ops/relative" },
      cwd: "/home/ops/ecflow_server",
      socketInodes: [5001],
    }),
  ]));
  assertEquals(found, {
    servers: [{
      host: "localhost",
      port: 4141,
      pid: 10,
      uid: 1000,
      user: "ops",
      mine: true,
      home: "/home/ops/ecflow_server",
      protocol: "tcp",
    }],
  });
});

Deno.test("match: a listener that only mentions ecflow_server in its arguments is not a server", () => {
  const found = serversFrom(snapshot([
    proc({
      pid: 11,
      name: "python3",
      argv: ["python3", "-c", "listen()", "ecflow_server", "--port=4141"],
      socketInodes: [5001],
    }),
    // the same program unreadable: its arguments name the port its owner listens on
    proc({ pid: 12, name: "sleep", argv: ["ecflow_server", "--port=4141"] }),
  ]));
  assertEquals(found, { servers: [] });
});

Deno.test("match: --http wins, then --ssl or ECF_SSL (even empty); unreadable environment is unknown", () => {
  const found = serversFrom(snapshot([
    proc({
      pid: 20,
      argv: ["ecflow_server", "--http"],
      env: { ECF_SSL: "1" },
      socketInodes: [6001],
    }),
    proc({
      pid: 21,
      env: { ECF_SSL: "", HOME: "/home/ops/" },
      socketInodes: [6002],
    }),
    proc({
      pid: 22,
      argv: ["ecflow_server", "--ssl"],
      env: { ECF_SSL_DIR: "/etc/ecflow/ssl", HOME: "/home/ops" },
      socketInodes: [6003],
    }),
    proc({ pid: 23, env: { ECF_SSL: "vm.4141" }, socketInodes: [5002], uid: 0 }),
    proc({ pid: 24, env: undefined, socketInodes: [5004], uid: 1001 }),
  ]));
  const by = (pid: number) => found.servers.find((s) => s.pid === pid)!;
  assertEquals(by(20).protocol, "http");
  assertEquals([by(21).protocol, by(21).ecfSsl, by(21).sslDir], [
    "tls",
    "",
    "/home/ops/.ecflowrc/ssl",
  ]);
  assertEquals([by(22).protocol, by(22).ecfSsl, by(22).sslDir], ["tls", "1", "/etc/ecflow/ssl"]);
  assertEquals([by(23).protocol, by(23).ecfSsl, by(23).sslDir], ["tls", "vm.4141", undefined]);
  assertEquals(by(24).protocol, "unknown");
  // a server bound to one address is dialled there; loopback and every-address are localhost
  assertEquals(by(24).host, "10.0.0.10");
  assertEquals([by(20).host, by(21).host, by(22).host, by(23).host], Array(4).fill("localhost"));
});

Deno.test("match: the current user's servers first, then by port; an unnamed uid keeps its number", () => {
  const found = serversFrom({
    ...snapshot([
      proc({ pid: 30, uid: 1001, socketInodes: [5004] }),
      proc({ pid: 31, uid: 1000, socketInodes: [6001] }),
      proc({ pid: 32, uid: 0, socketInodes: [5002] }),
      proc({ pid: 33, uid: 1000, socketInodes: [5001] }),
    ], 1000),
    users: new Map([[1000, "ops"]]),
  });
  assertEquals(
    found.servers.map((s) => [s.pid, s.port, s.mine, s.user ?? `#${s.uid}`]),
    [[33, 4141, true, "ops"], [31, 7777, true, "ops"], [30, 3253, false, "#1001"], [
      32,
      8080,
      false,
      "#0",
    ]],
  );
});

Deno.test("match: a forked child holding its parent's socket is not a second server", () => {
  const found = serversFrom(snapshot([
    proc({ pid: 40, socketInodes: [5001] }),
    proc({ pid: 41, ppid: 40, socketInodes: [5001] }),
  ]));
  assertEquals(found.servers.map((s) => s.pid), [40]);
});

Deno.test("match: a server whose sockets do not listen (starting, or failed to bind) is not listed", () => {
  const found = serversFrom(snapshot([proc({ pid: 45, socketInodes: [5003, 999] })]));
  assertEquals(found, { servers: [] });
});

Deno.test("match: another user's server is placed by its --port and owner, never guessed", () => {
  const found = serversFrom(snapshot([
    // fd/ and environ unreadable: the --port names a socket bob listens on
    proc({ pid: 50, uid: 1001, argv: ["ecflow_server", "--port", "3253"], env: undefined }),
    // --port names a socket of another owner: not this server's
    proc({ pid: 51, uid: 1001, argv: ["ecflow_server", "--port=8080"], env: undefined }),
    // no --port (ECF_PORT, server_environment.cfg or 3141): its port cannot be told
    proc({ pid: 52, uid: 1001, argv: ["ecflow_server"], env: undefined }),
  ], 1000));
  assertEquals(
    found.servers.map((s) => [s.pid, s.port, s.user, s.protocol, s.mine, s.home]),
    [[50, 3253, "bob", "unknown", false, undefined]],
  );
  assertEquals(found.portUnknown, [{ pid: 52, uid: 1001, user: "bob" }]);
});

Deno.test("match: a socket held by a readable server is not given to an unreadable one too", () => {
  const found = serversFrom(snapshot([
    proc({ pid: 60, uid: 1001, socketInodes: [5004] }),
    proc({ pid: 61, uid: 1001, argv: ["ecflow_server", "--port=3253"], env: undefined }),
  ]));
  assertEquals(found.servers.map((s) => s.pid), [60]);
  assertEquals(found.portUnknown, undefined);
});

// ------------------------------------------------------------------ the reader

interface FakeProcess {
  pid: number;
  comm: string;
  uid: number;
  ppid?: number;
  argv: string[];
  /** The environment; absent = environ unreadable. */
  environ?: Record<string, string>;
  cwd?: string;
  /** fd link targets; absent = fd/ unreadable. */
  fds?: string[];
}

/** Writes a /proc tree (what the reader looks at) into a temporary folder. */
async function fakeProc(procs: FakeProcess[], selfUid: number): Promise<string> {
  const root = await Deno.makeTempDir({ prefix: "ecflow-ts-proc." });
  await Deno.mkdir(`${root}/net`);
  await Deno.writeTextFile(`${root}/net/tcp`, TCP);
  await Deno.writeTextFile(`${root}/net/tcp6`, TCP6);
  await Deno.mkdir(`${root}/self`);
  await Deno.writeTextFile(`${root}/self/status`, `Name:\tdeno\nUid:\t${selfUid}\t${selfUid}\n`);
  await Deno.mkdir(`${root}/sys`); // not a process
  for (const p of procs) {
    const dir = `${root}/${p.pid}`;
    await Deno.mkdir(dir);
    await Deno.writeTextFile(`${dir}/comm`, `${p.comm}\n`);
    await Deno.writeTextFile(
      `${dir}/status`,
      `Name:\t${p.comm}\nPPid:\t${p.ppid ?? 1}\nUid:\t${p.uid}\t${p.uid}\t${p.uid}\t${p.uid}\n`,
    );
    await Deno.writeTextFile(`${dir}/cmdline`, p.argv.map((a) => `${a}\0`).join(""));
    if (p.environ) {
      const text = Object.entries(p.environ).map(([k, v]) => `${k}=${v}\0`).join("");
      await Deno.writeTextFile(`${dir}/environ`, text);
    }
    if (p.cwd) await Deno.symlink(p.cwd, `${dir}/cwd`);
    if (p.fds) {
      await Deno.mkdir(`${dir}/fd`);
      for (const [i, target] of p.fds.entries()) await Deno.symlink(target, `${dir}/fd/${i}`);
    }
  }
  return root;
}

Deno.test("reader: a /proc tree gives the servers, owners from the passwd file, the user looking first", async () => {
  const root = await fakeProc([
    {
      pid: 100,
      comm: "ecflow_server",
      uid: 1001,
      argv: ["/usr/sbin/ecflow_server", "--port=3253"],
      environ: { ECF_HOME: "/home/bob/ecf", PATH: "/bin", ECF_SSL: "1", HOME: "/home/bob" },
      cwd: "/home/bob/ecf (deleted)",
      fds: ["/dev/null", "socket:[5004]", "pipe:[1]", "anon_inode:[eventfd]"],
    },
    {
      pid: 101,
      comm: "ecflow_server",
      uid: 1000,
      argv: ["ecflow_server", "--http"],
      environ: { ECF_PORT: "7777" },
      cwd: "/home/ops/ecflow_server",
      fds: ["socket:[6001]"],
    },
    // a listener whose command line mentions ecflow_server: not a server
    {
      pid: 102,
      comm: "python3",
      uid: 1000,
      argv: ["python3", "-c", "pass", "ecflow_server", "--port=4141"],
      fds: ["socket:[5001]"],
    },
    // another user's server without --port: environ and fd/ unreadable
    { pid: 103, comm: "ecflow_server", uid: 0, argv: ["ecflow_server"] },
  ], 1000);
  const passwd = `${root}/passwd`;
  await Deno.writeTextFile(
    passwd,
    "root:x:0:0::/root:/bin/sh\nbob:x:1001:1001::/home/bob:/bin/sh\n",
  );
  try {
    const found = findLocalServersSync({ procRoot: `${root}/`, passwdFile: passwd });
    assertEquals(found, {
      servers: [
        {
          host: "localhost",
          port: 7777,
          pid: 101,
          uid: 1000,
          mine: true,
          home: "/home/ops/ecflow_server",
          protocol: "http",
        },
        {
          host: "10.0.0.10",
          port: 3253,
          pid: 100,
          uid: 1001,
          user: "bob",
          mine: false,
          home: "/home/bob/ecf",
          protocol: "tls",
          ecfSsl: "1",
          sslDir: "/home/bob/.ecflowrc/ssl",
        },
      ],
      portUnknown: [{ pid: 103, uid: 0, user: "root" }],
    });
    // the asynchronous form gives the same, and honours an aborted signal
    assertEquals(await findLocalServers({ procRoot: root, passwdFile: passwd }), found);
    const ac = new AbortController();
    ac.abort(new Error("stop"));
    let stopped = "";
    await findLocalServers({ procRoot: root, signal: ac.signal }).catch((e) => stopped = e.message);
    assertEquals(stopped, "stop");
    // without the passwd file the owners are uids only
    const unnamed = findLocalServersSync({ procRoot: root, passwdFile: `${root}/none` });
    assertEquals(unnamed.servers.map((s) => [s.uid, s.user]), [[1000, undefined], [
      1001,
      undefined,
    ]]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("reader: a folder that is not a /proc says it cannot be read, in one line", () => {
  const found = findLocalServersSync({ procRoot: "/nonexistent-proc" });
  assertEquals(found.servers, []);
  assertMatch(found.unavailable ?? "", /^cannot read \/nonexistent-proc\/net\/tcp: /);
  assert(!found.unavailable!.includes("\n"));
});

// ------------------------------------------------------------------ what the CLI prints

const server = (p: Partial<FoundServer> & { port: number; pid: number }): FoundServer => ({
  host: "localhost",
  uid: 1000,
  user: "ops",
  mine: true,
  protocol: "tcp",
  ...p,
});

Deno.test("advice: one line per server with the options that reach it; the only one said plainly", () => {
  const tried = { host: "localhost", port: 3141 };
  assertEquals(
    adviceLines(tried, {
      servers: [
        server({ port: 4142, pid: 2, protocol: "tls", ecfSsl: "vm.4142" }),
        server({ port: 5000, pid: 3, user: "bob", uid: 1001, mine: false, protocol: "http" }),
        server({
          port: 5001,
          pid: 4,
          user: undefined,
          uid: 1002,
          mine: false,
          protocol: "unknown",
        }),
      ],
      portUnknown: [{ pid: 9, uid: 1003 }],
    }),
    [
      "  ecflow_server listening on port 4142 (pid 2, user ops, tls); try --port=4142 --ssl",
      "  ecflow_server listening on port 5000 (pid 3, user bob, http); try --port=5000 --http",
      "  ecflow_server listening on port 5001 (pid 4, uid 1002); try --port=5001",
      "  ecflow_server pid 9 (uid 1003): its port is visible only to its owner or root",
      "  hint: your only ecflow_server here listens on port 4142: add --port=4142 --ssl, " +
      "or export ECF_PORT=4142 ECF_SSL=vm.4142",
    ],
  );
});

Deno.test("advice: from another host the options name localhost; two of yours get no 'only' line", () => {
  const lines = adviceLines({ host: "oetzi", port: 3141 }, {
    servers: [server({ port: 4141, pid: 1 }), server({ port: 4142, pid: 2, protocol: "http" })],
  }, "vm");
  assertEquals(lines, [
    "  ecflow_server listening on port 4141 (pid 1, user ops); try --host=localhost --port=4141",
    "  ecflow_server listening on port 4142 (pid 2, user ops, http); " +
    "try --host=localhost --port=4142 --http",
  ]);
  // this machine's own name is local: no --host
  const here = adviceLines({ host: "VM", port: 3141 }, {
    servers: [server({ port: 4141, pid: 1 })],
  }, "vm");
  assertEquals(
    here[0],
    "  ecflow_server listening on port 4141 (pid 1, user ops); try --port=4141",
  );
  assertEquals(
    here[1],
    "  hint: your only ecflow_server here listens on port 4141: add --port=4141, or export ECF_PORT=4141",
  );
  const remote = adviceLines({ host: "oetzi", port: 1 }, {
    servers: [server({ port: 4141, pid: 1, protocol: "http" })],
  });
  assertStringIncludes(remote[1], "export ECF_HOST=localhost ECF_PORT=4141 ECF_HOST_PROTOCOL=HTTP");
  // a server bound to one address is named by it
  const bound = adviceLines({ host: "localhost", port: 1 }, {
    servers: [server({ host: "10.0.0.10", port: 4141, pid: 1, mine: false })],
  });
  assertEquals(bound, [
    "  ecflow_server listening on 10.0.0.10 port 4141 (pid 1, user ops); " +
    "try --host=10.0.0.10 --port=4141",
  ]);
});

Deno.test("advice: many servers are cut to a few lines and counted; none and unavailable are said", () => {
  const many = Array.from({ length: 20 }, (_, i) => server({ port: 20000 + i, pid: i + 1 }));
  const lines = adviceLines({ host: "localhost", port: 1 }, { servers: many });
  assertEquals(lines.length, MAX_ADVICE_SERVERS);
  assertEquals(
    lines.at(-1),
    `  … and ${20 - MAX_ADVICE_SERVERS + 1} more: --find_servers lists them all`,
  );
  assertEquals(adviceLines({ host: "localhost", port: 1 }, { servers: [] }), [
    "  no ecflow_server is listening on this machine",
  ]);
  assertEquals(
    adviceLines({ host: "localhost", port: 1 }, { servers: [], unavailable: "no /proc here" }),
    ["  hint: ecflow-ts did not look for local servers: no /proc here"],
  );
});

Deno.test("listing: table columns and notes; JSON keeps every fact and the answer", () => {
  const rows = [
    {
      ...server({ port: 4141, pid: 12, home: "/home/ops/ecf" }),
      answer: {
        protocol: "tcp" as const,
        state: "RUNNING" as const,
        version: "Ecflow version(5.9.2) boost(1.74.0) compiler(gcc 12.2.0)",
        ms: 1.5,
      },
    },
    {
      ...server({ port: 4142, pid: 123456, user: undefined, uid: 1001, mine: false }),
      protocol: "unknown" as const,
      answer: { protocol: "tls" as const, error: "cannot connect (refused) after 1 attempt" },
    },
  ];
  assertEquals(
    serverTable(rows, [{ pid: 7, user: "bob", uid: 1001 }]),
    "PORT  PROTOCOL  PID     USER  STATE    VERSION  ECF_HOME\n" +
      "4141  tcp       12      ops   RUNNING  5.9.2    /home/ops/ecf\n" +
      "4142  tls       123456  1001  -        -        -\n" +
      "port 4142: no answer over tls: cannot connect (refused) after 1 attempt\n" +
      "ecflow_server pid 7 (user bob): its port is visible only to its owner or root\n",
  );
  const doc = JSON.parse(serverJson(rows, []));
  assertEquals(doc.command, "find_servers");
  assertEquals(doc.servers[0], {
    host: "localhost",
    port: 4141,
    pid: 12,
    uid: 1000,
    user: "ops",
    mine: true,
    home: "/home/ops/ecf",
    protocol: "tcp",
    state: "RUNNING",
    version: "5.9.2",
    ms: 1.5,
  });
  assertEquals(doc.servers[1].protocol, "tls");
  assertEquals(doc.servers[1].error, "cannot connect (refused) after 1 attempt");
  assertEquals(doc.portUnknown, []);
  assertEquals(shortVersion("Ecflow version(5.17.0) boost(1.74.0)"), "5.17.0");
  assertEquals(shortVersion("odd"), "odd");
});

Deno.test("ask: the client for a found server speaks its transport, whatever the environment says", () => {
  const env = (name: string) =>
    ({ ECF_SSL: "1", ECF_HOST_PROTOCOL: "HTTPS", HOME: "/nonexistent" } as Record<string, string>)[
      name
    ];
  const tcp = clientFor(server({ port: 4141, pid: 1 }), { env });
  assertEquals([tcp.getHost(), tcp.getPort(), tcp.transportKind], ["localhost", 4141, "tcp"]);
  assertEquals(
    clientFor(server({ port: 4141, pid: 1, protocol: "http" }), { env }).transportKind,
    "http",
  );
  assertEquals(
    clientFor(server({ port: 4141, pid: 1, protocol: "tls" }), { env }).transportKind,
    "tls",
  );
  assertEquals(
    clientFor(server({ port: 4141, pid: 1, protocol: "unknown" }), { env }).transportKind,
    "tcp",
  );
});
