// The parts the Client is made of, each doing its one job: one retry rule for user and task
// commands, the local copy's client handle, the one identity resolver whose host name goes into
// loaded definitions, and typed results that refuse a reply of the wrong kind.
import { assert, assertEquals, assertRejects, assertStringIncludes } from "./deps.ts";
import { frame, startFakeServer } from "./harness/fake_server.ts";
import { startServer } from "./harness/server.ts";
import { captureBytes } from "./captures.ts";
import {
  Client,
  ConnectionError,
  envFrom,
  isRetryable,
  ProtocolError,
  ServerError,
  TaskClient,
  TimeoutError,
} from "../mod.ts";
import { TcpTransport } from "../lib/transport/mod.ts";
import type { ExchangeOptions, Transport, TransportTarget } from "../lib/transport/types.ts";
import { LAB_DEF } from "./user_twin.ts";
import { main } from "../cli.ts";

const at = { host: "127.0.0.1", port: 1 };

Deno.test("retry rule: connection failures and timeouts are retried; an early close, a missing permission, TLS setup, protocol and server errors are not", () => {
  for (const reason of ["refused", "reset", "dns", "other"] as const) {
    assert(isRetryable(new ConnectionError("x", at, reason)), reason);
  }
  for (const reason of ["eof", "permission", "tls", "denied"] as const) {
    assert(!isRetryable(new ConnectionError("x", at, reason)), reason);
  }
  assert(isRetryable(new TimeoutError("x", at, "connect")));
  assert(isRetryable(new TimeoutError("x", at, "reply")));
  assert(!isRetryable(new ProtocolError("x")));
  assert(!isRetryable(new ServerError("x", "--ping")));
  assert(!isRetryable(new Error("x")));
});

Deno.test("retry rule: a user command whose reply never comes is tried again, as a task command is, and ends in a TimeoutError naming the attempts", async () => {
  await using fake = await startFakeServer([{ read: "frame" }, { hold: true }]);
  const client = new Client("127.0.0.1", fake.port, {
    env: envFrom({}),
    user: "tester",
    replyTimeoutMs: 100,
    retry: { attempts: 2, delayMs: 10 },
  });
  const e = await assertRejects(() => client.suites(), TimeoutError);
  assertEquals(e.phase, "reply");
  assertStringIncludes(e.message, "(2 attempts)");
  assertEquals(fake.accepted, 2);

  const job = new TaskClient({
    host: "127.0.0.1",
    port: fake.port,
    env: envFrom({
      ECF_NAME: "/s/t",
      ECF_PASS: "pw",
      ECF_RID: "1",
      ECF_TS_CHILD_TIMEOUT_MS: "0",
      ECF_DENIED: "1",
    }),
    replyTimeoutMs: 100,
    retry: { attempts: 2, delayMs: 10 },
  });
  await assertRejects(() => job.label("l", "x"), ConnectionError, "ECF_DENIED");
  assertEquals(fake.accepted, 4, "the task command was tried twice too");
});

Deno.test("retry rule: a connect deadline that keeps passing is a TimeoutError, not a ConnectionError", async () => {
  const { startUnacceptingServer } = await import("./harness/fake_server.ts");
  await using silent = await startUnacceptingServer();
  const client = new Client("127.0.0.1", silent.port, {
    env: envFrom({}),
    connectTimeoutMs: 200,
    retry: { attempts: 2, delayMs: 10 },
  });
  const e = await assertRejects(() => client.ping(), TimeoutError);
  assertEquals(e.phase, "connect");
  assertStringIncludes(e.message, "no connection within 0.2 s (2 attempts)");
  assert(e.cause instanceof TimeoutError);
});

Deno.test("typed results: a reply of the wrong kind is a ProtocolError, also for a task command's queue step", async () => {
  // a --suites reply, whatever is asked
  const suitesReply = captureBytes("06-suites-empty", "response.bin").subarray(8);
  await using fake = await startFakeServer([{ read: "frame" }, { write: frame(suitesReply) }]);
  const client = new Client("127.0.0.1", fake.port, { env: envFrom({}), user: "tester" });
  await assertRejects(() => client.stats(), ProtocolError, "unexpected 'suites' reply to --stats");
  const job = new TaskClient({
    host: "127.0.0.1",
    port: fake.port,
    env: envFrom({ ECF_NAME: "/s/t", ECF_PASS: "pw", ECF_RID: "1" }),
  });
  await assertRejects(
    () => job.queue("q", "active"),
    ProtocolError,
    "unexpected 'suites' reply to chd:queue",
  );
});

Deno.test("typed results: the CLI exits 1 on a reply of the wrong kind, as the library throws", async () => {
  const suitesReply = captureBytes("06-suites-empty", "response.bin").subarray(8);
  for (const args of [["--stats"], ["--get"], ["--log=get"], ["--zombie_get"], ["--ch_suites"]]) {
    await using fake = await startFakeServer([{ read: "frame" }, { write: frame(suitesReply) }]);
    const out: string[] = [], err: string[] = [];
    const code = await main([...args, "--host=127.0.0.1", `--port=${fake.port}`], {
      out: (t) => out.push(t),
      err: (t) => err.push(t),
      env: envFrom({ USER: "tester" }),
    });
    assertEquals([code, out.join("")], [1, ""], args.join(" "));
    assertStringIncludes(err.join(""), "unexpected 'suites' reply to --");
  }
});

Deno.test("client handles: dropping another user's handles keeps this client's own", async () => {
  await using server = await startServer({ halted: true });
  const client = server.client();
  await client.load(LAB_DEF);
  const h = await client.chRegister({ suites: ["lab"] });
  assertEquals(client.chHandle(), h);
  const other = new Client("127.0.0.1", server.port, { env: envFrom({}), user: "somebody-else" });
  const theirs = await other.chRegister({ suites: ["lab2"] });
  await client.chDropUser("somebody-else");
  assertEquals(client.chHandle(), h, "the handle of this client survives");
  assertEquals(other.chHandle(), theirs, "the other client was not told");
  assertEquals((await client.chSuites()).handles.map((x) => x.handle), [h]);
  await client.chDropUser();
  assertEquals(client.chHandle(), 0, "dropping this user's handles drops this client's");
});

/** A TCP transport that keeps a copy of every request payload it sends. */
class Recording implements Transport {
  readonly kind = "tcp";
  readonly sent: string[] = [];
  #tcp = new TcpTransport();
  exchange(target: TransportTarget, payload: Uint8Array, options?: ExchangeOptions) {
    this.sent.push(new TextDecoder().decode(payload));
    return this.#tcp.exchange(target, payload, options);
  }
}

Deno.test("identity: load and replace write the clientHost option into the definition they send", async () => {
  await using server = await startServer({ halted: true });
  const transport = new Recording();
  const client = new Client("127.0.0.1", server.port, {
    env: envFrom({}),
    user: "tester",
    clientHost: "given-host",
    transport,
  });
  await client.load(LAB_DEF);
  await client.replace("/lab/f1", LAB_DEF);
  const [load, replace] = transport.sent;
  assertStringIncludes(load, "given-host.3141.ecf.log", "load");
  assertStringIncludes(load, '"cl_host_": "given-host"');
  assertStringIncludes(replace, "given-host.3141.ecf.log", "replace");
  assertEquals(await client.suites(), ["lab", "lab2"]);
});

/** A loopback relay to `port` that keeps a copy of every request it forwards. */
function startRelay(port: number) {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const seen: string[] = [];
  const done = (async () => {
    for await (const inbound of listener) {
      const outbound = await Deno.connect({ hostname: "127.0.0.1", port });
      const header = new Uint8Array(8);
      let got = 0;
      while (got < 8) got += (await inbound.read(header.subarray(got))) ?? 8;
      const body = new Uint8Array(parseInt(new TextDecoder().decode(header).trim(), 16));
      got = 0;
      while (got < body.length) got += (await inbound.read(body.subarray(got))) ?? body.length;
      seen.push(new TextDecoder().decode(body));
      await outbound.write(header);
      await outbound.write(body);
      await outbound.readable.pipeTo(inbound.writable);
    }
  })();
  return {
    port: (listener.addr as Deno.NetAddr).port,
    seen,
    async [Symbol.asyncDispose]() {
      listener.close();
      await done.catch(() => {});
    },
  };
}

Deno.test("identity: the CLI's --load takes the host name from the environment it was given, not the process's", async () => {
  await using server = await startServer({ halted: true });
  await using relay = startRelay(server.port);
  // run without --allow-sys, so the host name comes from the environment (HOSTNAME)
  const script = `
    import { main } from ${JSON.stringify(new URL("../cli.ts", import.meta.url).href)};
    import { envFrom } from ${JSON.stringify(new URL("../mod.ts", import.meta.url).href)};
    const out = [];
    const code = await main(
      ["--load=${LAB_DEF}", "--host=127.0.0.1", "--port=${relay.port}"],
      { out: (t) => out.push(t), err: (t) => out.push(t), env: envFrom({ HOSTNAME: "injected-host", USER: "tester" }) },
    );
    console.log(code, out.join(""));
  `;
  const file = await Deno.makeTempFile({ suffix: ".ts" });
  await Deno.writeTextFile(file, script);
  const denoEnv: Record<string, string> = { HOSTNAME: "process-host" };
  for (const k of ["DENO_DIR", "JSR_URL", "HOME", "PATH"]) {
    const v = Deno.env.get(k);
    if (v !== undefined) denoEnv[k] = v;
  }
  const run = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", "--no-lock", "--allow-net", "--allow-env", "--allow-read", file],
    env: denoEnv,
    clearEnv: true,
  }).output();
  await Deno.remove(file);
  const printed = new TextDecoder().decode(run.stdout) + new TextDecoder().decode(run.stderr);
  assertEquals(printed.trim().split(" ")[0], "0", printed);
  assertEquals(relay.seen.length, 1);
  assertStringIncludes(relay.seen[0], "injected-host.3141.ecf.log");
  assert(!relay.seen[0].includes("process-host"));
  assertEquals(await server.client().suites(), ["lab", "lab2"]);
});
