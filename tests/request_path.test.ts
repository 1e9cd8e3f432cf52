// The request path kept lean: one shared deadline timer, one exchange on a real socket whose
// short replies come back in one read, request bytes encoded once per distinct request, and
// an encoder whose fast paths write exactly what the general path writes.
import { assert, assertEquals, assertNotEquals, assertRejects } from "./deps.ts";
import { startFakeServer } from "./harness/fake_server.ts";
import { startServer } from "./harness/server.ts";
import { Prng } from "./harness/prng.ts";
import { Client, envFrom, TimeoutError } from "../mod.ts";
import { startDeadline } from "../lib/transport/deadline.ts";
import { TcpTransport } from "../lib/transport/tcp.ts";
import type { ExchangeOptions, Transport, TransportTarget } from "../lib/transport/types.ts";
import { encodeFrame, encodeHeader } from "../lib/wire/frame.ts";
import { formatCereal } from "../lib/wire/cereal.ts";
import { type Command, encodeRequest } from "../lib/wire/request.ts";
import { ctsCommand } from "../lib/requests/user.ts";
import { decodeReply } from "../lib/wire/reply.ts";

/** Resolves when `deadline` fires; a guard ends a test that would otherwise hang. */
function fired(signal: { done: boolean }, guardMs = 10_000): Promise<boolean> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const poll = () => {
      if (signal.done) resolve(true);
      else if (Date.now() - t0 > guardMs) resolve(false);
      else setTimeout(poll, 2);
    };
    poll();
  });
}

Deno.test("deadline: a short deadline started after a long one fires; cancelled and moved ones do not", async () => {
  const long = { done: false };
  const short = { done: false };
  const cancelled = { done: false };
  const moved = { done: false };
  const a = startDeadline(60_000, () => long.done = true);
  const c = startDeadline(5, () => cancelled.done = true);
  const m = startDeadline(5, () => moved.done = true);
  const b = startDeadline(20, () => short.done = true);
  c.cancel();
  m.restart(60_000);
  assert(await fired(short), "the 20 ms deadline fired");
  assertEquals([short.done, b.fired], [true, true]);
  assertEquals([long.done, a.fired, cancelled.done, c.fired, moved.done, m.fired], [
    false,
    false,
    false,
    false,
    false,
    false,
  ]);
  a.cancel();
  m.cancel();
});

Deno.test("deadline: a thousand deadlines started and cancelled leave every later one working", async () => {
  for (let i = 0; i < 1000; i++) startDeadline(1000 + i, () => {}).cancel();
  const last = { done: false };
  startDeadline(10, () => last.done = true);
  assert(await fired(last));
});

Deno.test("exchange: short and long replies from a real server decode alike, a long one into its own buffer", async () => {
  await using server = await startServer({ halted: true });
  const client = server.client();
  const big = "suite s\n" + Array.from({ length: 500 }, (_, i) => `  task t${i}\n`).join("") +
    "endsuite\n";
  await client.load({ text: big });
  const tcp = new TcpTransport();
  const target = { host: "127.0.0.1", port: server.port };
  const id = { kind: "user" as const, user: { user: "tester", clientHost: "here" } };
  const short = await tcp.exchange(target, encodeRequest(ctsCommand("suites"), id));
  assert(short.length < 1000, `a short reply (${short.length} bytes)`);
  assert(short.buffer.byteLength > short.length, "a short reply is a view of the first read");
  assertEquals(decodeReply(short), { kind: "suites", suites: ["s"] });
  const long = await tcp.exchange(target, encodeRequest(ctsCommand("stats"), id));
  assert(long.length > 1024, `a long reply (${long.length} bytes)`);
  assertEquals([long.byteOffset, long.buffer.byteLength], [0, long.length]);
  assertEquals(decodeReply(long).kind, "string");
  const text = await client.getDefsText();
  assert(text.length > 5000 && text.includes("task t499"), "a long reply, whole");
});

Deno.test("exchange: a reply that stops mid-way within the first read is a timeout naming the reply phase", async () => {
  await using fake = await startFakeServer([
    { read: "frame" },
    { write: "      ee{" },
    { hold: true },
  ]);
  const client = new Client("127.0.0.1", fake.port, {
    env: envFrom({}),
    user: "tester",
    replyTimeoutMs: 50,
    retry: { attempts: 1 },
  });
  const e = await assertRejects(() => client.ping(), TimeoutError);
  assertEquals(e.phase, "reply");
});

/** A transport that records what it is asked to send and answers with a fixed reply. */
class Recorder implements Transport {
  readonly kind = "tcp";
  sent: Uint8Array[] = [];
  exchange(_t: TransportTarget, payload: Uint8Array, _o?: ExchangeOptions) {
    this.sent.push(payload);
    return Promise.resolve(
      new TextEncoder().encode(
        '{"22ServerToClientResponse":{"stc_cmd_":{"polymorphic_id":2147483649,' +
          '"polymorphic_name":"StcCmd","ptr_wrapper":{"id":2147483649,"data":' +
          '{"cereal_class_version":0,"value0":{"cereal_class_version":0},"api_":0}}}}}',
      ),
    );
  }
}

Deno.test("request bytes: a repeated request reuses its bytes; any change to the command or the identity makes new ones", async () => {
  const recorder = new Recorder();
  const client = new Client("127.0.0.1", 3141, {
    env: envFrom({}),
    user: "tester",
    host: "127.0.0.1",
    transport: recorder,
  });
  const id = { kind: "user" as const, user: { user: "tester", clientHost: client.hostName } };
  const cmd: Command = { cls: "CtsCmd", base: "user", members: { api_: 1 }, label: "--restart" };
  await client.request({ ...ctsCommand("ping") });
  await client.request({ ...ctsCommand("ping") });
  assertEquals(recorder.sent[0], encodeRequest(ctsCommand("ping"), id));
  assertEquals(recorder.sent[1], recorder.sent[0]);

  // the same command object, changed between two sends
  const own = { ...cmd, decode: () => undefined };
  await client.request(own);
  own.members = { api_: 2 };
  await client.request(own);
  own.members.api_ = 3;
  await client.request(own);
  assertEquals(recorder.sent[2], encodeRequest({ ...cmd, members: { api_: 1 } }, id));
  assertEquals(recorder.sent[3], encodeRequest({ ...cmd, members: { api_: 2 } }, id));
  assertEquals(recorder.sent[4], encodeRequest({ ...cmd, members: { api_: 3 } }, id));

  // a member that is a list is never taken as unchanged
  const paths = ["/s"];
  const suspend = {
    cls: "PathsCmd",
    base: "user" as const,
    members: { api_: 1, paths_: paths, force_: false },
    label: "--suspend",
    decode: () => undefined,
  };
  await client.request(suspend);
  paths.push("/t");
  await client.request(suspend);
  assertEquals(recorder.sent[6], encodeRequest(suspend, id));
  assertNotEquals(recorder.sent[6], recorder.sent[5]);

  // another identity (a password from now on) makes new bytes
  client.setPassword("secret");
  await client.request({ ...ctsCommand("ping") });
  assert(
    new TextDecoder().decode(recorder.sent[7]).includes('"pswd_"'),
    "the password is sent",
  );
});

/** cereal's quoting as the general path writes it: JSON.stringify, `\u00XX` in upper case. */
function referenceQuote(s: string): string {
  return JSON.stringify(s).replace(
    /\\u00([0-9a-f]{2})/g,
    (_m, h: string) => `\\u00${h.toUpperCase()}`,
  );
}

Deno.test("cereal: strings are quoted as JSON.stringify quotes them, control characters in upper-case hex, for any text", () => {
  const rnd = new Prng(20240611);
  const alphabet = [
    "a",
    "Z",
    " ",
    '"',
    "\\",
    "\n",
    "\t",
    "\b",
    "\f",
    "\r",
    "\u0000",
    "\u0001",
    "\u001f",
    "\u007f",
    "é",
    "€",
    "\ud83d\ude00",
    "\ud800",
    "\udfff",
    "#",
    "%",
    "'",
  ];
  for (let i = 0; i < 5000; i++) {
    let s = "";
    const n = rnd.int(12);
    for (let k = 0; k < n; k++) s += alphabet[rnd.int(alphabet.length)];
    assertEquals(formatCereal({ [s]: s }), `{\n${referenceQuote(s)}: ${referenceQuote(s)}\n}`);
  }
});

Deno.test("frame: the header written into the frame is the header encodeHeader writes", () => {
  const dec = new TextDecoder();
  for (
    const n of [0, 1, 9, 10, 15, 16, 255, 256, 309, 4095, 65_535, 65_536, 605_287, 1 << 22]
  ) {
    const frame = encodeFrame(new Uint8Array(n));
    assertEquals(dec.decode(frame.subarray(0, 8)), dec.decode(encodeHeader(n)), `length ${n}`);
    assertEquals(frame.length, 8 + n);
  }
});
