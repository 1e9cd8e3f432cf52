// Every user-command builder encodes byte-for-byte what ecflow_client 5.9.2
// sent in the captures (identity root@vm), and refuses bad input before encoding.
import { assertEquals, assertThrows } from "./deps.ts";
import {
  alterCommand,
  beginCommand,
  checkPtCommand,
  clientHandleCommand,
  ctsCommand,
  ctsNodeCommand,
  deleteCommand,
  encodeRequest,
  forceCommand,
  groupCommand,
  loadDefsCommand,
  logCommand,
  logMessageCommand,
  orderCommand,
  pathsCommand,
  queryCommand,
  replaceCommand,
  requeueCommand,
  serverVersionCommand,
  showCommand,
  syncCommand,
  zombieCommand,
} from "../lib/wire/mod.ts";
import { type Command, ConfigError } from "../mod.ts";
import { ECFLOW_FIXTURES } from "./captures.ts";

const CAPTURES = `${ECFLOW_FIXTURES}/captures`;
const ID = { kind: "user" as const, user: { user: "root", clientHost: "vm" } };

function captured(name: string): Uint8Array {
  return Deno.readFileSync(`${CAPTURES}/${name}/request.bin`).subarray(8);
}

function capturedMember(name: string, key: string): string {
  const doc = JSON.parse(new TextDecoder().decode(captured(name)));
  return doc["21ClientToServerRequest"].cmd_.ptr_wrapper.data[key];
}

const dec = new TextDecoder();
function assertBytes(cmd: Command, capture: string) {
  assertEquals(dec.decode(encodeRequest(cmd, ID)), dec.decode(captured(capture)), capture);
}

const CASES: [string, () => Command][] = [
  ["03-server_version", () => serverVersionCommand()],
  ["04-stats-halted", () => ctsCommand("stats")],
  ["05-get-empty", () => ctsNodeCommand("get")],
  ["06-suites-empty", () => ctsCommand("suites")],
  ["07-restart", () => ctsCommand("restart")],
  ["12-get-node", () => ctsNodeCommand("get", "/lab/f1")],
  ["14-begin", () => beginCommand("lab")],
  ["15-get_state", () => ctsNodeCommand("get_state", "/lab")],
  ["17-zombie_get-empty", () => ctsCommand("zombie_get")],
  ["18-news", () => syncCommand("news", 0, 0, 0)],
  ["19-sync_full", () => syncCommand("sync_full", 0)],
  ["20-sync", () => syncCommand("sync", 0, 0, 0)],
  ["24-ch_register", () => clientHandleCommand("ch_register", { suites: ["lab"] })],
  ["25-ch_suites", () => clientHandleCommand("ch_suites")],
  ["26-suspend", () => pathsCommand("suspend", "/lab/f2")],
  ["27-resume", () => pathsCommand("resume", ["/lab/f2"])],
  ["28-status", () => pathsCommand("status", "/lab/f1/t1")],
  [
    "29-alter-change-variable",
    () =>
      alterCommand("/lab", {
        action: "change",
        kind: "variable",
        name: "SUITE_VAR",
        value: "new value",
      }),
  ],
  [
    "30-alter-add-variable",
    () =>
      alterCommand("/lab/f1", { action: "add", kind: "variable", name: "NEW_VAR", value: "v1" }),
  ],
  [
    "31-alter-delete-variable",
    () => alterCommand(["/lab/f1"], { action: "delete", kind: "variable", name: "NEW_VAR" }),
  ],
  [
    "32-alter-variable-unicode",
    () =>
      alterCommand("/lab", {
        action: "change",
        kind: "variable",
        name: "SUITE_VAR",
        value: 'naïve "quoted" back\\slash ✓',
      }),
  ],
  ["33-query-variable-unicode", () => queryCommand("variable", "/lab", "SUITE_VAR")],
  ["35-msg", () => logMessageCommand("hello from capture")],
  ["47-query-state", () => queryCommand("state", "/lab/f1/t1")],
  ["48-query-dstate", () => queryCommand("dstate", "/lab/f2")],
  ["49-query-event", () => queryCommand("event", "/lab/f1/t1", "ev1")],
  ["50-query-meter", () => queryCommand("meter", "/lab/f1/t1", "m1")],
  ["51-query-label", () => queryCommand("label", "/lab/f1/t1", "lab1")],
  ["53-query-repeat", () => queryCommand("repeat", "/lab/f2")],
  ["54-query-limit", () => queryCommand("limit", "/lab", "lim")],
  ["55-query-trigger", () => queryCommand("trigger", "/lab/f1/t2", "/lab/f1/t1 == complete")],
  ["56-why", () => groupCommand([ctsNodeCommand("get"), ctsNodeCommand("why", "/lab/f1/t3")])],
  ["57-group-get-show", () => groupCommand([ctsNodeCommand("get", "/lab2"), showCommand()])],
  ["58-check", () => pathsCommand("check", [])],
  ["59-force-complete", () => forceCommand("/lab/f1/t3", "complete")],
  ["60-force-event-set", () => forceCommand("/lab/f1/t1:ev2", "set")],
  ["61-requeue", () => requeueCommand("/lab/f1", "force")],
  ["62-order", () => orderCommand("/lab/f2", "top")],
  ["65-log-get", () => logCommand("get", { lines: 20 })],
  ["66-edit_history", () => pathsCommand("edit_history", "/lab")],
  ["67-check_pt", () => checkPtCommand()],
  ["69-stats_reset", () => ctsCommand("stats_reset")],
  ["80-zombie_remove", () => zombieCommand("remove", "/lab/f1/t1")],
  ["81-halt", () => ctsCommand("halt")],
  ["87-shutdown", () => ctsCommand("shutdown")],
  ["90-delete", () => deleteCommand("/lab2", { force: true })],
  ["92-delete-all", () => deleteCommand([], { force: true })],
  ["93-terminate", () => ctsCommand("terminate")],
  [
    "10-load",
    () =>
      loadDefsCommand(capturedMember("10-load", "defs_"), {
        fileName: "/var/ecflow/capture-home/lab.def",
      }),
  ],
  [
    "63-replace",
    () =>
      replaceCommand("/lab/f2", capturedMember("63-replace", "clientDefs_"), {
        fileName: "/var/ecflow/capture-home/lab.def",
      }),
  ],
  [
    "64-replace-force",
    () =>
      replaceCommand("/lab/f2", capturedMember("64-replace-force", "clientDefs_"), {
        fileName: "/var/ecflow/capture-home/lab.def",
        force: true,
      }),
  ],
];

for (const [capture, build] of CASES) {
  Deno.test(`encodeRequest(${capture}) equals the captured request.bin`, () => {
    assertBytes(build(), capture);
  });
}

Deno.test("labels name requests as ecflow_client does in its errors", () => {
  assertEquals(pathsCommand("suspend", "/lab/nonexistent").label, "--suspend /lab/nonexistent");
  assertEquals(queryCommand("state", "/nope").label, "--query=state /nope");
  assertEquals(ctsNodeCommand("get", "/nope").label, "--get=/nope");
  assertEquals(requeueCommand("/lab/f1", "force").label, "--requeue force /lab/f1");
  assertEquals(deleteCommand([], { force: true }).label, "--delete _all_ force yes");
  assertEquals(ctsCommand("halt").label, "--halt=yes");
});

Deno.test("builders refuse bad input before anything is encoded", () => {
  const bad: (() => Command)[] = [
    // deno-lint-ignore no-explicit-any
    () => ctsCommand("nope" as any),
    // deno-lint-ignore no-explicit-any
    () => pathsCommand("frob" as any, "/s"),
    () => pathsCommand("suspend", []),
    () => pathsCommand("suspend", "relative"),
    // deno-lint-ignore no-explicit-any
    () => ctsNodeCommand("get_all" as any),
    () => ctsNodeCommand("get", "lab"),
    // deno-lint-ignore no-explicit-any
    () => forceCommand("/s", "done" as any),
    () => forceCommand("/s", "set"),
    // deno-lint-ignore no-explicit-any
    () => requeueCommand("/s", "later" as any),
    // deno-lint-ignore no-explicit-any
    () => orderCommand("/s", "sideways" as any),
    // deno-lint-ignore no-explicit-any
    () => zombieCommand("eat" as any, "/s/t"),
    // deno-lint-ignore no-explicit-any
    () => alterCommand("/s", { action: "add", kind: "colour" as any, name: "e" }),
    // deno-lint-ignore no-explicit-any
    () => alterCommand("/s", { action: "set_flag", flag: "shiny" as any }),
    // deno-lint-ignore no-explicit-any
    () => queryCommand("colour" as any, "/s"),
    () => queryCommand("event", "/s"),
    () => syncCommand("news", -1),
    () => beginCommand("/lab"),
    // deno-lint-ignore no-explicit-any
    () => logCommand("rotate" as any),
    // deno-lint-ignore no-explicit-any
    () => checkPtCommand({ mode: "sometimes" as any }),
    () => groupCommand([]),
  ];
  for (const b of bad) assertThrows(b, ConfigError);
});

Deno.test("load and replace never carry an extern line", () => {
  const text = "extern /other/suite\n  extern /x:ev\nsuite s\n  task t\nendsuite\n";
  const load = loadDefsCommand(text, { fileName: "f.def" });
  assertEquals(load.members.defs_, "suite s\n  task t\nendsuite\n");
  const replace = replaceCommand("/s", text);
  assertEquals(replace.members.clientDefs_, "suite s\n  task t\nendsuite\n");
  const payload = dec.decode(encodeRequest(load, ID));
  assertEquals(payload.includes("extern"), false);
});

Deno.test("the alter kinds servers know since 5.13 build (5.17 acts on them, 5.9.2 ignores them)", () => {
  const add = alterCommand("/s/t", { action: "add", kind: "event", name: "e" });
  assertEquals([add.members.add_attr_type_, add.label], [13, "--alter add event e /s/t"]);
  const flag = alterCommand("/s", { action: "set_flag", flag: "remote_error" });
  assertEquals(flag.members.flag_type_, 25);
  assertEquals(alterCommand("/s", { action: "delete", kind: "mirror" }).members.del_attr_type_, 21);
});
