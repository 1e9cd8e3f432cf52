// The Client's child API (Python's set_child_* / child_* in camelCase) against a real server.
import { assert, assertEquals, assertRejects, assertStringIncludes } from "./deps.ts";
import {
  type ChildNotice,
  ChildTimeoutError,
  Client,
  ConfigError,
  ConnectionError,
  envFrom,
  ServerError,
} from "../mod.ts";
import { startLab } from "./child_fixture.ts";

const FAST = { retryDelayMs: 50, nextHostDelayMs: 50 };

Deno.test("library: a job's whole life through the Client child API", async () => {
  await using lab = await startLab(["lib"]);
  const c = new Client("127.0.0.1", lab.server.port, { env: envFrom({}) });
  c.setChildPath("/lab/lib/t1");
  c.setChildPassword(await lab.password("/lab/lib/t1"));
  c.setChildPid(4242);
  c.setChildTryNo(1);
  c.setChildInitAddVars({ FROM_LIB: "yes" });
  await c.childInit();
  assertEquals(await lab.query("state", "/lab/lib/t1"), "active");
  await c.childEvent("ev1");
  await c.childEvent(2);
  await c.childEvent("ev1", { value: false });
  await c.childMeter("m1", 42);
  await c.childLabel("lab1", "from the library\nsecond line");
  assertEquals(await c.childQueue("q1", "active"), "001");
  assertEquals(await c.childQueue("q1", "complete", { step: "001" }), "");
  assertEquals(await c.childQueue("q1", "no_of_aborted"), ""); // 0 aborted: the server sends OK, no text
  await c.childWait("/lab/lib/t1:ev2");
  c.setChildCompleteDelVars(["FROM_LIB"]);
  await c.childComplete();
  assertEquals(await lab.query("state", "/lab/lib/t1"), "complete");
  assertEquals(await lab.query("event", "/lab/lib/t1:ev1"), "clear");
  assertEquals(await lab.query("event", "/lab/lib/t1:ev2"), "set");
  assertEquals(await lab.query("meter", "/lab/lib/t1:m1"), "42");
  assertEquals(await lab.query("label", "/lab/lib/t1:lab1"), "from the library\nsecond line");
  assert(!(await lab.stateText("/lab/lib/t1")).includes("FROM_LIB"));
  assert(await lab.server.alive());
});

Deno.test("library: missing context and server refusals are typed errors", async () => {
  await using lab = await startLab(["lib"]);
  const c = new Client("127.0.0.1", lab.server.port, { env: envFrom({}) });
  await assertRejects(() => c.childInit(), ConfigError, "Child Path not set");
  c.setChildPath("/lab/lib/t1");
  await assertRejects(() => c.childLabel("lab1", "x"), ConfigError, "Child password not set");
  c.setChildPassword(await lab.password("/lab/lib/t1"));
  await assertRejects(() => c.childLabel("lab1", "x"), ConfigError, "Child pid not set");
  c.setChildPid("1");
  await c.childInit();
  const e = await assertRejects(() => c.childQueue("nope", "active"), ServerError);
  assertStringIncludes(e.serverMessage, "Could not find queue nope");
  assertEquals(e.request, "chd:queue nope active  /lab/lib/t1");
  assert(await lab.server.alive());
});

Deno.test("library: environment context, halted server retried until restart, notices delivered", async () => {
  await using lab = await startLab(["lib"]);
  const env = envFrom(await lab.jobEnv("/lab/lib/t1", { ECF_TS_CHILD_RETRY_MS: "50" }));
  const c = new Client({ env });
  assertEquals(c.childContext.path, "/lab/lib/t1");
  assertEquals(c.childContext.timings.retryDelayMs, 50);
  const notices: ChildNotice[] = [];
  c.onChildNotice((n) => notices.push(n));
  c.setChildTimings({ nextHostDelayMs: 50 });
  await c.childInit();
  await lab.ref(["--halt=yes"]);
  const pending = c.childMeter("m1", 7);
  await new Promise((r) => setTimeout(r, 600));
  assertEquals(await lab.query("meter", "/lab/lib/t1:m1"), "0");
  await lab.ref(["--restart"]);
  await pending;
  assertEquals(await lab.query("meter", "/lab/lib/t1:m1"), "7");
  assertEquals(notices.filter((n) => n.kind === "halted").length, 1);
  assert(notices.some((n) => n.kind === "nextHost"));
  assert(await lab.server.alive());
});

Deno.test("library: a zombie gives up after the zombie timeout; NO_ECF and ECF_DENIED", async () => {
  await using lab = await startLab(["lib"]);
  const c = new Client("127.0.0.1", lab.server.port, { env: envFrom({}) });
  c.setChildPath("/lab/lib/t1");
  c.setChildPassword("wrong");
  c.setChildPid("1");
  c.setChildTimings(FAST);
  c.setZombieChildTimeout(0.3);
  const e = await assertRejects(() => c.childInit(), ChildTimeoutError);
  assert(e.zombie);
  await c.childLabel("lab1", "fobbed"); // label zombies are fobbed by default
  assertEquals(await lab.query("label", "/lab/lib/t1:lab1"), "initial");

  const dead = new Client("127.0.0.1", 1, { env: envFrom({}) });
  dead.setChildPath("/x");
  dead.setChildPassword("p");
  dead.setChildPid("1");
  dead.setChildNoEcf(true);
  await dead.childComplete(); // no server contacted
  dead.setChildNoEcf(false);
  dead.setChildDenied(true);
  dead.setChildTimings(FAST);
  const d = await assertRejects(() => dead.childComplete(), ConnectionError);
  assertEquals(d.reason, "denied");
  dead.setChildDenied(false);
  dead.setChildTimeout(0.2);
  await assertRejects(() => dead.childComplete(), ChildTimeoutError, "ECF_TIMOUT(0.2)");
  assert(await lab.server.alive());
});
