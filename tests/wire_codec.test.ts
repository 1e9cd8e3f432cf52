import { assert, assertEquals, assertInstanceOf, assertThrows } from "./deps.ts";
import { captureBytes, responseFiles } from "./captures.ts";
import { type Command, ConfigError, ProtocolError, type Reply } from "../mod.ts";
import {
  ctsCommand,
  decodeHeader,
  decodeReply,
  encodeFrame,
  encodeHeader,
  encodeRequest,
  formatCereal,
  HEADER_SIZE,
  type Identity,
  serverVersionCommand,
} from "../lib/wire/mod.ts";

const te = new TextEncoder();
const td = new TextDecoder();
const ROOT_AT_VM: Identity = { kind: "user", user: { user: "root", clientHost: "vm" } };

function payloadOf(frame: Uint8Array): Uint8Array {
  assertEquals(decodeHeader(frame.subarray(0, HEADER_SIZE)), frame.length - HEADER_SIZE);
  return frame.subarray(HEADER_SIZE);
}

Deno.test("header: encodes lower-case hex, right-aligned, space-padded", () => {
  assertEquals(td.decode(encodeHeader(309)), "     135");
  assertEquals(td.decode(encodeHeader(238)), "      ee");
  assertEquals(td.decode(encodeHeader(0)), "       0");
  assertEquals(td.decode(encodeHeader(0xffffffff)), "ffffffff");
  assertThrows(() => encodeHeader(0x100000000), ProtocolError);
  assertThrows(() => encodeHeader(-1), ProtocolError);
  assertThrows(() => encodeHeader(1.5), ProtocolError);
});

Deno.test("header: decodes what ecflow writes and the lenient forms its reader takes", () => {
  for (
    const [text, n] of [
      ["     135", 0x135],
      ["00000135", 0x135],
      ["135     ", 0x135],
      ["     1DE", 0x1de],
      ["ffffffff", 0xffffffff],
    ] as const
  ) assertEquals(decodeHeader(te.encode(text)), n, text);
});

Deno.test("header: rejects non-hex, empty, embedded garbage and wrong sizes", () => {
  for (const text of ["zzzzzzzz", "        ", "  12 34 ", "135zzzzz", "0x000135", "-0000001"]) {
    assertThrows(() => decodeHeader(te.encode(text)), ProtocolError, undefined, text);
  }
  assertThrows(() => decodeHeader(te.encode("135")), ProtocolError);
  assertThrows(() => decodeHeader(te.encode("000000135")), ProtocolError);
});

Deno.test("request: --ping is byte-identical to ecflow_client's (capture 02)", () => {
  const captured = captureBytes("02-ping-halted", "request.bin");
  const frame = encodeFrame(encodeRequest(ctsCommand("ping"), ROOT_AT_VM));
  assertEquals(td.decode(frame), td.decode(captured));
  assertEquals(frame, captured);
});

Deno.test("request: --server_version is byte-identical to ecflow_client's (capture 03)", () => {
  const captured = captureBytes("03-server_version", "request.bin");
  assertEquals(encodeFrame(encodeRequest(serverVersionCommand(), ROOT_AT_VM)), captured);
});

Deno.test("request: a group numbers types and versions classes once per message (capture 57)", () => {
  const get: Command = {
    cls: "CtsNodeCmd",
    base: "user",
    members: { api_: 3, absNodePath_: "/lab2" },
    label: "get=/lab2",
  };
  const show: Command = { cls: "ShowCmd", base: "user", members: {}, label: "show" };
  const group: Command = {
    cls: "GroupCTSCmd",
    base: "user",
    members: { cli_: true },
    children: [get, show],
    label: "--group",
  };
  const captured = captureBytes("57-group-get-show", "request.bin");
  assertEquals(td.decode(encodeFrame(encodeRequest(group, ROOT_AT_VM))), td.decode(captured));
});

Deno.test("request: an empty user is refused before encoding", () => {
  assertThrows(
    () => encodeRequest(ctsCommand("ping"), { kind: "user", user: { user: "", clientHost: "h" } }),
    ProtocolError,
    "empty user",
  );
});

Deno.test("request: strings are escaped as rapidjson does; non-ASCII stays raw", () => {
  assertEquals(
    formatCereal({ v: 'naïve "q" back\\slash ✓\n\u0001' }),
    '{\n"v": "naïve \\"q\\" back\\\\slash ✓\\n\\u0001"\n}',
  );
  assertEquals(
    formatCereal({ a: [], b: {}, c: [1, true] }),
    '{\n"a": [],\n"b": {},\n"c": [\n1,\ntrue\n]\n}',
  );
});

Deno.test("reply: every captured response decodes without error", () => {
  const files = responseFiles();
  assert(files.length >= 90, `only ${files.length} captured responses found`);
  const kinds = new Set<string>();
  for (const [name, file] of files) {
    const bytes = captureBytes(name, file);
    if (bytes.length === 0) continue; // the client gave up before the server answered
    const reply = decodeReply(payloadOf(bytes));
    kinds.add(reply.kind);
  }
  for (
    const k of [
      "stc",
      "error",
      "string",
      "stringVec",
      "suites",
      "node",
      "defs",
      "sync",
      "news",
      "clientHandle",
      "clientHandleSuites",
      "zombies",
      "group",
      "blockZombie",
    ]
  ) assert(kinds.has(k), `no captured reply of kind ${k}`);
});

function decodeCapture(name: string, file = "response.bin"): Reply {
  return decodeReply(payloadOf(captureBytes(name, file)));
}

Deno.test("reply: typed values of the captured replies", () => {
  assertEquals(decodeCapture("02-ping-halted"), { kind: "stc", status: "ok" });
  assertEquals(decodeCapture("03-server_version"), { kind: "string", value: "5.9.2" });
  assertEquals(decodeCapture("06-suites-empty"), { kind: "suites", suites: [] });
  assertEquals(decodeCapture("13-suites"), { kind: "suites", suites: ["lab", "lab2"] });
  assertEquals(decodeCapture("18-news"), { kind: "news", news: "news" });
  assertEquals(decodeCapture("24-ch_register"), { kind: "clientHandle", handle: 1 });
  assertEquals(decodeCapture("25-ch_suites"), {
    kind: "clientHandleSuites",
    users: [{ user: "root", handles: [1] }],
    handles: [{ handle: 1, suites: ["lab"] }],
  });
  assertEquals(decodeCapture("33-query-variable-unicode"), {
    kind: "string",
    value: 'naïve "quoted" back\\slash ✓',
  });
  assertEquals(decodeCapture("70-bad-path-suspend").kind, "error");
  const defs = decodeCapture("11-get-after-load");
  assert(
    defs.kind === "defs" && defs.text.startsWith("#5.9.2\n") && defs.text.endsWith("# enddef\n"),
  );
  const node = decodeCapture("12-get-node");
  assert(node.kind === "node" && node.text.includes("family f1"));
  const sync = decodeCapture("19-sync_full");
  assert(sync.kind === "sync" && sync.full && sync.text.startsWith("#5.9.2"));
  const inc = decodeCapture("22-py-sync_local-incremental", "response.5.bin");
  assert(inc.kind === "sync" && !inc.full && inc.mementoCount > 0 && inc.stateChange === 78);
  const z = decodeCapture("78-zombie_get");
  assert(z.kind === "zombies" && z.zombies.length > 0);
  assertEquals(z.zombies[0].path, "/lab/f1/t1");
  assertEquals(z.zombies[0].type, "ecf");
  assertEquals(z.zombies[0].attr.action, "block");
  assertEquals(decodeCapture("92-delete-all"), { kind: "stc", status: "deleteAll" });
  const group = decodeCapture("57-group-get-show");
  assert(group.kind === "group" && group.replies.length >= 1);
});

Deno.test("reply: malformed payloads are ProtocolErrors, never other exceptions", () => {
  const bad = [
    "",
    "not json",
    "{}",
    "[]",
    '{"a":1,"b":2}',
    '{"r":{}}',
    '{"r":{"stc_cmd_":null}}',
    '{"r":{"stc_cmd_":{"polymorphic_id":0}}}',
    '{"r":{"stc_cmd_":{"polymorphic_id":5}}}',
    '{"r":{"stc_cmd_":{"polymorphic_id":2147483649,"polymorphic_name":"Nope","ptr_wrapper":{"id":2147483649,"data":{}}}}}',
    '{"r":{"stc_cmd_":{"polymorphic_id":2147483649,"polymorphic_name":"StcCmd","ptr_wrapper":{"id":2147483649,"data":{"api_":9}}}}}',
    '{"r":{"stc_cmd_":{"polymorphic_id":2147483649,"polymorphic_name":"SStringCmd","ptr_wrapper":{"id":2147483649,"data":{"str_":7}}}}}',
    '{"r":{"stc_cmd_":{"polymorphic_id":2147483649,"polymorphic_name":"StcCmd","ptr_wrapper":{"id":3}}}}',
  ];
  for (const text of bad) {
    const e = assertThrows(() => decodeReply(text));
    assertInstanceOf(e, ProtocolError, text);
  }
});

Deno.test("request: a hand-made command with an out-of-range enum is refused before encoding", () => {
  const bad: Command[] = [
    { cls: "CtsCmd", base: "user", members: { api_: 0 }, label: "x" },
    { cls: "CtsCmd", base: "user", members: { api_: 19 }, label: "x" },
    { cls: "CtsCmd", base: "user", members: { api_: "8" }, label: "x" },
    { cls: "PathsCmd", base: "user", members: { api_: 99, paths_: [], force_: false }, label: "x" },
    { cls: "CtsNodeCmd", base: "user", members: { api_: 0, absNodePath_: "" }, label: "x" },
    {
      cls: "GroupCTSCmd",
      base: "user",
      members: { cli_: true },
      children: [{ cls: "CtsCmd", base: "user", members: { api_: 1.5 }, label: "x" }],
      label: "x",
    },
  ];
  for (const cmd of bad) {
    assertThrows(() => encodeRequest(cmd, ROOT_AT_VM), ConfigError, "refusing to send");
  }
  // the last valid values still encode
  encodeRequest({ cls: "CtsCmd", base: "user", members: { api_: 18 }, label: "x" }, ROOT_AT_VM);
});
