// The child-command retry / fail-over / zombie loop on a fake clock, with reply
// bytes the real 5.9.2 server sent (captures). Timings are ecflow_client's
// defaults, so the virtual times below are those of the captures.
import { assert, assertEquals, assertInstanceOf, assertRejects, assertThrows } from "./deps.ts";
import { type ChildIo, sendChildCommand } from "../lib/client/task_loop.ts";
import {
  type ChildNotice,
  ChildTimeoutError,
  ConfigError,
  ConnectionError,
  envFrom,
  ServerError,
  TimeoutError,
} from "../mod.ts";
import { eventCommand, initCommand, waitCommand } from "../lib/wire/mod.ts";
import { parseHostFile, readChildContext } from "../lib/client/job_context.ts";
import { CHILD_DEFAULTS, type ChildContext } from "../lib/client/job_context.ts";
import { ECFLOW_FIXTURES } from "./captures.ts";

const CAPTURES = `${ECFLOW_FIXTURES}/captures`;
const payloadOf = (name: string) => Deno.readFileSync(`${CAPTURES}/${name}/response.bin`).slice(8);
const OK = payloadOf("36-child-init");
const HALTED = payloadOf("85-child-event-halted");
const ZOMBIE = payloadOf("77-child-wrong-pass-init");
const STRING_001 = payloadOf("40-child-queue-active");
const ERROR = payloadOf("71-bad-path-query");
const WAIT = new TextEncoder().encode(
  new TextDecoder().decode(HALTED).replace('"api_": 1', '"api_": 2'),
);

const MAIN = { host: "127.0.0.1", port: 3141 };
const TASK = { clientHost: "vm", path: "/s/t", jobsPassword: "pw", remoteId: "1", tryNo: 1 };

type Answer = Uint8Array | Error;

/** A fake world: virtual clock, scripted replies per `host:port`, recorded calls. */
function fakeIo(script: (target: string, n: number) => Answer, hostFile?: string) {
  let now = 0;
  const calls: { at: number; target: string }[] = [];
  const notices: (ChildNotice & { at: number })[] = [];
  const counts = new Map<string, number>();
  const io: ChildIo = {
    exchange: (t) => {
      const key = `${t.host}:${t.port}`;
      const n = (counts.get(key) ?? 0) + 1;
      counts.set(key, n);
      calls.push({ at: now / 1000, target: key });
      const a = script(key, n);
      return a instanceof Error ? Promise.reject(a) : Promise.resolve(a);
    },
    now: () => now,
    sleep: (ms) => {
      now += ms;
      return Promise.resolve();
    },
    readHostFile: () =>
      hostFile === undefined
        ? Promise.reject(new Error("no such file"))
        : Promise.resolve(hostFile),
    notice: (n) => notices.push({ ...n, at: now / 1000 }),
  };
  return { io, calls, notices, time: () => now / 1000 };
}

function ctx(over: Partial<ChildContext> = {}): ChildContext {
  const base = readChildContext(envFrom({}));
  return { ...base, ...over, timings: { ...base.timings, ...over.timings } };
}

const refused = () => new ConnectionError("connection refused", MAIN, "refused");

Deno.test("child loop: an OK reply ends at once, nothing printed", async () => {
  const w = fakeIo(() => OK);
  const r = await sendChildCommand(initCommand("/s/t"), TASK, ctx(), {
    main: MAIN,
    useHostFile: false,
  }, w.io);
  assertEquals(r, { kind: "stc", status: "ok" });
  assertEquals(w.calls.length, 1);
  assertEquals(w.notices, []);
});

Deno.test("child loop: a halted server is retried at 0, 10, 10, 20, 50 s as in capture 85", async () => {
  const w = fakeIo((_t, n) => n < 5 ? HALTED : OK);
  const cmd = eventCommand("/lab/f1/t1", "ev1");
  await sendChildCommand(cmd, TASK, ctx(), { main: MAIN, useHostFile: true }, w.io);
  assertEquals(w.calls.map((c) => c.at), [0, 10, 10, 20, 50]);
  assertEquals(w.notices.map((n) => [n.at, n.stream, n.text]), [
    [
      0,
      "out",
      "ClientInvoker: chd:event ev1 1 /lab/f1/t1 : 127.0.0.1:3141 : blocking : server is HALTED, continue waiting",
    ],
    [
      10,
      "out",
      "ClientInvoker: chd:event ev1 1 /lab/f1/t1 current host(127.0.0.1:3141) trying next host(127.0.0.1:3141)",
    ],
    [
      20,
      "out",
      "ClientInvoker: chd:event ev1 1 /lab/f1/t1 current host(127.0.0.1:3141) trying next host(127.0.0.1:3141)",
    ],
  ]);
});

Deno.test("child loop: a zombie blocks until ECF_ZOMBIE_TIMEOUT, then ChildTimeoutError", async () => {
  const w = fakeIo(() => ZOMBIE);
  const c = ctx({ timings: { ...CHILD_DEFAULTS, timeoutMs: 86400e3, zombieTimeoutMs: 600e3 } });
  const e = await assertRejects(
    () => sendChildCommand(initCommand("/s/t"), TASK, c, { main: MAIN, useHostFile: false }, w.io),
    ChildTimeoutError,
  );
  assert(e.zombie);
  assertEquals(
    e.message,
    "ClientInvoker: *ZOMBIE* Timed out after ECF_ZOMBIE_TIMEOUT(600) seconds : for 127.0.0.1:3141",
  );
  // checked only when a host's attempts are used up: 0,10 | 10,20 | 50,60 | … first ≥ 600
  assert(w.time() >= 600 && w.time() < 650, `gave up at ${w.time()} s`);
  assertEquals(w.notices.filter((n) => n.kind === "zombie").length, 1);
  assertEquals(w.notices.at(-1)?.kind, "timeout");
});

Deno.test("child loop: refused connections go to stderr and end with ECF_TIMEOUT", async () => {
  const w = fakeIo(() => refused());
  const c = ctx({ timings: { ...CHILD_DEFAULTS, timeoutMs: 100e3, zombieTimeoutMs: 50e3 } });
  const e = await assertRejects(
    () => sendChildCommand(initCommand("/s/t"), TASK, c, { main: MAIN, useHostFile: false }, w.io),
    ChildTimeoutError,
  );
  assert(!e.zombie, "not a zombie: the zombie timeout must not apply");
  assertEquals(
    e.message,
    "ClientInvoker: Timed out after ECF_TIMOUT(100) seconds : for 127.0.0.1:3141",
  );
  const errs = w.notices.filter((n) => n.stream === "err");
  assertEquals(errs.length, w.calls.length);
  assertEquals(
    errs[0].text,
    "ClientInvoker: Connection error: (127.0.0.1:3141: connection refused)",
  );
});

Deno.test("child loop: a --wait that is false polls the home server without using attempts", async () => {
  const w = fakeIo((_t, n) => n <= 5 ? WAIT : OK);
  await sendChildCommand(waitCommand("/s/t", "/s/a == complete"), TASK, ctx(), {
    main: MAIN,
    useHostFile: true,
  }, w.io);
  assertEquals(w.calls.map((c) => c.at), [0, 10, 20, 30, 40, 50]);
  assertEquals(w.notices.map((n) => n.text), [
    "ClientInvoker: chd:wait /s/a == complete /s/t : 127.0.0.1:3141 : WAITING on home server, continue waiting",
  ]);
});

Deno.test("child loop: ECF_HOSTFILE fail-over reaches the backup after 10 s", async () => {
  const w = fakeIo(
    (t) => t === "backup:3141" ? OK : refused(),
    "# backups\n\nbackup  # comment\nother:99\n",
  );
  const c = ctx({ hostFile: "/hosts" });
  await sendChildCommand(initCommand("/s/t"), TASK, c, { main: MAIN, useHostFile: true }, w.io);
  assertEquals(w.calls.map((x) => [x.at, x.target]), [
    [0, "127.0.0.1:3141"],
    [10, "127.0.0.1:3141"],
    [10, "backup:3141"],
  ]);
  assertEquals(
    w.notices.find((n) => n.kind === "nextHost")?.text,
    "ClientInvoker: chd:init /s/t current host(127.0.0.1:3141) trying next host(backup:3141)",
  );
});

Deno.test("child loop: hosts are tried round-robin, pausing 30 s before all but the first switch", async () => {
  const w = fakeIo((t, n) => t === "b:3141" && n === 2 ? OK : refused(), "b\n");
  await sendChildCommand(initCommand("/s/t"), TASK, ctx({ hostFile: "/h" }), {
    main: MAIN,
    useHostFile: true,
  }, w.io);
  assertEquals(w.calls.map((x) => `${x.at}@${x.target}`), [
    "0@127.0.0.1:3141",
    "10@127.0.0.1:3141",
    "10@b:3141",
    "20@b:3141",
  ]);
  const w2 = fakeIo((t, n) => t === "b:3141" && n === 3 ? OK : refused(), "b\n");
  await sendChildCommand(initCommand("/s/t"), TASK, ctx({ hostFile: "/h" }), {
    main: MAIN,
    useHostFile: true,
  }, w2.io);
  assertEquals(w2.calls.map((x) => `${x.at}@${x.target}`).slice(4), [
    "50@127.0.0.1:3141",
    "60@127.0.0.1:3141",
    "90@b:3141",
  ]);
});

Deno.test("child loop: host file ignored when host/port were given explicitly", async () => {
  const w = fakeIo((_t, n) => n === 3 ? OK : refused(), "backup\n");
  await sendChildCommand(initCommand("/s/t"), TASK, ctx({ hostFile: "/h" }), {
    main: MAIN,
    useHostFile: false,
  }, w.io);
  assert(w.calls.every((c) => c.target === "127.0.0.1:3141"));
});

Deno.test("child loop: an unreadable host file is reported and the home host kept", async () => {
  const w = fakeIo((_t, n) => n === 3 ? OK : refused());
  await sendChildCommand(initCommand("/s/t"), TASK, ctx({ hostFile: "/nope" }), {
    main: MAIN,
    useHostFile: true,
  }, w.io);
  assertEquals(
    w.notices.find((n) => n.kind === "hostFileError")?.text,
    "ClientInvoker: chd:init /s/t get next host failed because: ClientEnvironment:: Could not open the hosts file /nope",
  );
});

Deno.test("child loop: ECF_DENIED gives up after the first host's attempts", async () => {
  const w = fakeIo(() => refused(), "backup\n");
  const e = await assertRejects(
    () =>
      sendChildCommand(initCommand("/s/t"), TASK, ctx({ denied: true, hostFile: "/h" }), {
        main: MAIN,
        useHostFile: true,
      }, w.io),
    ConnectionError,
  );
  assertEquals(w.calls.length, 2);
  assertEquals(e.reason, "denied");
  assert(
    e.message.includes(
      "127.0.0.1:3141: ECF_DENIED is set: gave up on chd:init /s/t after 2 attempts (last: connection refused)",
    ),
  );
  const halted = fakeIo(() => HALTED);
  const h = await assertRejects(
    () =>
      sendChildCommand(initCommand("/s/t"), TASK, ctx({ denied: true }), {
        main: MAIN,
        useHostFile: false,
      }, halted.io),
    ConnectionError,
  );
  assert(h.message.endsWith("(last: server is HALTED)"), h.message);
  assertEquals(halted.calls.length, 2);
});

Deno.test("child loop: NO_ECF succeeds without any connection", async () => {
  const w = fakeIo(() => {
    throw new Error("must not connect");
  });
  const r = await sendChildCommand(initCommand("/s/t"), TASK, ctx({ noEcf: true }), {
    main: MAIN,
    useHostFile: false,
  }, w.io);
  assertEquals(r, { kind: "stc", status: "ok" });
  assertEquals(w.calls.length, 0);
  assertEquals(w.notices.map((n) => [n.stream, n.text]), [["out", "NO_ECF"]]);
});

Deno.test("child loop: ErrorCmd, EOF and bad bytes end at once; string replies are returned", async () => {
  const e = await assertRejects(
    () =>
      sendChildCommand(
        initCommand("/s/t"),
        TASK,
        ctx(),
        { main: MAIN, useHostFile: false },
        fakeIo(() => ERROR).io,
      ),
    ServerError,
  );
  assertEquals(e.request, "chd:init /s/t");
  assertEquals(e.serverMessage, "Cannot find node at path '/nope' ");
  const eof = fakeIo(() => new ConnectionError("closed", MAIN, "eof"));
  await assertRejects(
    () =>
      sendChildCommand(
        initCommand("/s/t"),
        TASK,
        ctx(),
        { main: MAIN, useHostFile: false },
        eof.io,
      ),
    ConnectionError,
  );
  assertEquals(eof.calls.length, 1);
  const junk = fakeIo(() => new TextEncoder().encode("{}"));
  await assertRejects(() =>
    sendChildCommand(initCommand("/s/t"), TASK, ctx(), { main: MAIN, useHostFile: false }, junk.io)
  );
  assertEquals(junk.calls.length, 1);
  const q = fakeIo(() => STRING_001);
  assertEquals(
    await sendChildCommand(
      initCommand("/s/t"),
      TASK,
      ctx(),
      { main: MAIN, useHostFile: false },
      q.io,
    ),
    { kind: "string", value: "001" },
  );
  const slow = fakeIo((_t, n) => n === 1 ? new TimeoutError("no reply", MAIN, "reply") : OK);
  await sendChildCommand(
    initCommand("/s/t"),
    TASK,
    ctx(),
    { main: MAIN, useHostFile: false },
    slow.io,
  );
  assertEquals(slow.calls.map((c) => c.at), [0, 10]);
});

Deno.test("child context: read from the environment as ecflow_client 5.9.2 does", () => {
  const d = readChildContext(envFrom({}));
  assertEquals([d.path, d.password, d.remoteId, d.tryNo, d.hostFile, d.denied, d.noEcf], [
    "",
    "",
    "",
    1,
    "",
    false,
    false,
  ]);
  assertEquals(d.timings, {
    attempts: 2,
    retryDelayMs: 10_000,
    nextHostDelayMs: 30_000,
    timeoutMs: 86_400_000,
    zombieTimeoutMs: 43_200_000,
  });
  const c = readChildContext(envFrom({
    ECF_NAME: "/s/t",
    ECF_PASS: "pw",
    ECF_RID: "77",
    ECF_TRYNO: "3x",
    ECF_HOSTFILE: "/h",
    ECF_DENIED: "",
    NO_ECF: "0",
    ECF_TIMEOUT: "5",
    ECF_ZOMBIE_TIMEOUT: "999999",
  }));
  assertEquals([c.path, c.password, c.remoteId, c.tryNo, c.hostFile, c.denied, c.noEcf], [
    "/s/t",
    "pw",
    "77",
    3,
    "/h",
    true,
    true,
  ]);
  assertEquals(c.timings.timeoutMs, 600_000); // clamped up to 600 s
  assertEquals(c.timings.zombieTimeoutMs, 86_400_000); // clamped down to 86400 s
  assertEquals(readChildContext(envFrom({ ECF_TRYNO: "abc", ECF_TIMEOUT: "700" })).tryNo, 0);
  const k = readChildContext(envFrom({
    ECF_TS_CHILD_ATTEMPTS: "3",
    ECF_TS_CHILD_RETRY_MS: "5",
    ECF_TS_CHILD_NEXT_HOST_MS: "7",
    ECF_TS_CHILD_TIMEOUT_MS: "100",
    ECF_TS_CHILD_ZOMBIE_TIMEOUT_MS: "50",
  }));
  assertEquals(k.timings, {
    attempts: 3,
    retryDelayMs: 5,
    nextHostDelayMs: 7,
    timeoutMs: 100,
    zombieTimeoutMs: 50,
  });
  assertThrows(() => readChildContext(envFrom({ ECF_TS_CHILD_RETRY_MS: "soon" })), ConfigError);
});

Deno.test("child context: host file parsing", () => {
  assertEquals(parseHostFile("a\n  # c\nb:1 x\n\n[::1]:5\n", 3141), [
    { host: "a", port: 3141 },
    { host: "b", port: 1 },
    { host: "::1", port: 5 },
  ]);
  assertThrows(() => parseHostFile("h:notaport\n", 1), ConfigError);
  assertInstanceOf(new ChildTimeoutError(false, 1, MAIN), Error);
});
