// Task (child) command builders against the bytes ecflow_client 5.9.2 really sent (captures).
import { assertEquals, assertThrows } from "./deps.ts";
import {
  abortCommand,
  completeCommand,
  encodeFrame,
  encodeRequest,
  eventCommand,
  initCommand,
  labelCommand,
  meterCommand,
  parseEventValue,
  parseMeterValue,
  parseQueueArguments,
  parseTaskVariables,
  queueCommand,
  type TaskIdentity,
  waitCommand,
} from "../lib/wire/mod.ts";
import { type Command, ConfigError } from "../mod.ts";
import { ECFLOW_FIXTURES } from "./captures.ts";

const CAPTURES = `${ECFLOW_FIXTURES}/captures`;

async function captured(name: string, file = "request.bin"): Promise<Uint8Array> {
  return await Deno.readFile(`${CAPTURES}/${name}/${file}`);
}

/** The identity ecflow_client used, from the capture's environment (host name `vm`). */
async function identityOf(name: string, remoteId?: string): Promise<TaskIdentity> {
  const meta = JSON.parse(await Deno.readTextFile(`${CAPTURES}/${name}/meta.json`));
  const env = meta.env as Record<string, string>;
  return {
    clientHost: "vm",
    path: env.ECF_NAME ?? "/lab/f1/t1",
    jobsPassword: env.ECF_PASS,
    remoteId: remoteId ?? env.ECF_RID ?? "4242",
    tryNo: Number(env.ECF_TRYNO ?? "1"),
  };
}

const CASES: [string, (path: string) => Command][] = [
  ["36-child-init", (p) => initCommand(p)],
  ["37-child-event", (p) => eventCommand(p, "ev1")],
  ["38-child-meter", (p) => meterCommand(p, "m1", 50)],
  ["39-child-label", (p) => labelCommand(p, "lab1", "new label value")],
  ["40-child-queue-active", (p) => queueCommand(p, { name: "q1", action: "active" })],
  [
    "41-child-queue-complete",
    (p) => queueCommand(p, { name: "q1", action: "complete", step: "001" }),
  ],
  ["42-child-wait-true", (p) => waitCommand(p, "/lab/f1/t1 == active")],
  ["43-child-complete", (p) => completeCommand(p)],
  ["44-child-init-add", (p) => initCommand(p, parseTaskVariables(["MYVAR=1", "OTHER=two"]))],
  ["45-child-abort", (p) => abortCommand(p, "capture abort reason")],
  ["46-py-child-label", (p) => labelCommand(p, "lab1", "from python")],
  ["75-child-bad-path", (p) => initCommand(p)],
  ["76-child-wrong-pass-event", (p) => eventCommand(p, "ev1")],
  ["85-child-event-halted", (p) => eventCommand(p, "ev1")],
  ["88-child-meter-shutdown", (p) => meterCommand(p, "m1", 10)],
];

for (const [name, build] of CASES) {
  Deno.test(`wire: ${name} is byte-identical to ecflow_client's request`, async () => {
    const id = await identityOf(name);
    const ours = encodeFrame(encodeRequest(build(id.path), { kind: "task", task: id }));
    const dec = new TextDecoder();
    assertEquals(dec.decode(ours), dec.decode(await captured(name)));
  });
}

Deno.test("wire: retried requests of a blocked command are identical to the first", async () => {
  for (const name of ["75-child-bad-path", "85-child-event-halted"]) {
    const first = await captured(name);
    for (const n of [2, 3, 4]) assertEquals(await captured(name, `request.${n}.bin`), first);
  }
});

Deno.test("wire: clearing an event sends value_ false; setting omits it", () => {
  assertEquals(eventCommand("/s/t", "ev", false).members, { name_: "ev", value_: false });
  assertEquals(eventCommand("/s/t", "ev", true).members, { name_: "ev" });
});

Deno.test("wire: labels name requests as ecflow_client prints them", () => {
  assertEquals(initCommand("/s/t").label, "chd:init /s/t");
  assertEquals(completeCommand("/s/t", ["A", "B"]).label, "chd:complete /s/t --remove A B");
  assertEquals(abortCommand("/s/t", "why").label, "chd:abort /s/t  why");
  assertEquals(eventCommand("/s/t", "e", false).label, "chd:event e 0 /s/t");
  assertEquals(meterCommand("/s/t", "m", -3).label, "chd:meter m -3 /s/t");
  assertEquals(labelCommand("/s/t", "l", "a b").label, "chd:label l 'a b' /s/t");
  assertEquals(waitCommand("/s/t", "x == complete").label, "chd:wait x == complete /s/t");
  assertEquals(
    queueCommand("/s/t", { name: "q", action: "active" }).label,
    "chd:queue q active  /s/t",
  );
  assertEquals(
    queueCommand("/s/t", { name: "q", action: "complete", step: "1", queuePath: "/s" }).label,
    "chd:queue q complete 1 /s /s/t",
  );
  for (const c of [initCommand("/a"), waitCommand("/a", "1 == 1")]) {
    assertEquals(c.base, "task");
    assertEquals(c.timeoutSeconds, 190);
  }
});

Deno.test("wire: abort reasons lose newlines and ';' as in ecflow_client", () => {
  assertEquals(abortCommand("/s/t", "a;b\nc").members, { reason_: "a bc" });
});

Deno.test("wire: argument parsers follow ecflow_client's rules", () => {
  assertEquals(parseTaskVariables(["X==1"]), [{ name: "X", value: "1" }]);
  for (const bad of ["X", "X=", "=1", "X=1=2"]) {
    assertThrows(() => parseTaskVariables([bad]), ConfigError, "Could not parse variable");
  }
  assertEquals(parseEventValue(undefined), true);
  assertEquals(parseEventValue("set"), true);
  assertEquals(parseEventValue("clear"), false);
  assertThrows(() => parseEventValue("on"), ConfigError, "[ set | clear ] but found on");
  assertEquals(parseMeterValue("+7"), 7);
  assertEquals(parseMeterValue("-2147483648"), -2147483648);
  for (const bad of ["1.5", "x", "", "2147483648", " 1"]) {
    assertThrows(() => parseMeterValue(bad), ConfigError, "must be a integer");
  }
  assertEquals(parseQueueArguments(["q", "active", "/s/f"]), {
    name: "q",
    action: "active",
    step: "",
    queuePath: "/s/f",
  });
  assertThrows(() => parseQueueArguments(["q"]), ConfigError, "at least two arguments");
  assertThrows(() => parseQueueArguments(["q", "active", "a", "b"]), ConfigError, "fourth");
  assertThrows(
    () => queueCommand("/s/t", { name: "q", action: "complete" }),
    ConfigError,
    "a step must be provided",
  );
  assertThrows(
    () => queueCommand("/s/t", { name: "q", action: "active", step: "1" }),
    ConfigError,
    "step should not be used",
  );
  assertThrows(() => queueCommand("/s/t", { name: "q-1", action: "reset" }), ConfigError);
  assertThrows(() => meterCommand("/s/t", "m", 1.5), ConfigError);
});
