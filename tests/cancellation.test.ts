// Cancellation and clean-up: a call's signal, the client's signal, close() and `await using`
// end every wait the client can be in — connecting, waiting for a reply, sleeping between
// retries, a task command blocked by a halted server, a `--wait` polling its expression — and
// release what the client holds. Each wait below is given a deadline far longer than the test
// (60 s); the call must end with the abort's own reason, which no deadline produces.
import { assertEquals, assertRejects } from "./deps.ts";
import { startFakeServer, startUnacceptingServer } from "./harness/fake_server.ts";
import { startServer } from "./harness/server.ts";
import { Client, type ClientOptions, envFrom, ProtocolError, TaskClient } from "../mod.ts";
import { LAB_DEF } from "./user_twin.ts";
import { Invoker } from "../lib/client/invoker.ts";

const LONG = 60_000;

/** A reason no deadline or connection failure can produce. */
class Stop extends Error {
  constructor() {
    super("stopped by the test");
    this.name = "Stop";
  }
}

function quietClient(port: number, extra: ClientOptions = {}): Client {
  return new Client("127.0.0.1", port, {
    env: envFrom({}),
    user: "tester",
    connectTimeoutMs: LONG,
    replyTimeoutMs: LONG,
    retry: { attempts: 2, delayMs: LONG },
    ...extra,
  });
}

/** Aborts `ac` once `ready` resolves (the call is then inside the wait under test). */
function abortWhen(ac: AbortController, ready: Promise<unknown>): void {
  ready.then(() => ac.abort(new Stop()));
}

function closedPort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

Deno.test("cancel: a call's signal ends the connect wait", async () => {
  await using silent = await startUnacceptingServer();
  const ac = new AbortController();
  const client = quietClient(silent.port);
  abortWhen(ac, tick(100));
  await assertRejects(() => client.ping({ signal: ac.signal }), Stop);
});

Deno.test("cancel: a call's signal ends the wait for a reply", async () => {
  await using fake = await startFakeServer([{ read: "frame" }, { hold: true }]);
  const ac = new AbortController();
  const client = quietClient(fake.port);
  const read = new Promise<void>((resolve) => {
    const poll = () => fake.requests.length > 0 ? resolve() : setTimeout(poll, 5);
    poll();
  });
  abortWhen(ac, read);
  await assertRejects(() => client.suites({ signal: ac.signal }), Stop);
  assertEquals(fake.accepted, 1);
});

Deno.test("cancel: a call's signal ends the sleep between retries", async () => {
  const ac = new AbortController();
  const client = quietClient(closedPort());
  abortWhen(ac, tick(100));
  await assertRejects(() => client.ping({ signal: ac.signal }), Stop);
});

Deno.test("cancel: the client's signal ends calls in progress and refuses later ones", async () => {
  await using fake = await startFakeServer([{ read: "frame" }, { hold: true }]);
  const ac = new AbortController();
  const client = quietClient(fake.port, { signal: ac.signal });
  abortWhen(ac, tick(100));
  await assertRejects(() => client.ping(), Stop);
  await assertRejects(() => client.suites(), Stop);
});

Deno.test("cancel: close() ends calls in progress; the closed client refuses new ones", async () => {
  await using fake = await startFakeServer([{ read: "frame" }, { hold: true }]);
  const client = quietClient(fake.port);
  const pending = client.ping();
  await tick(100);
  client.close();
  await assertRejects(() => pending, Error, "closed");
  await assertRejects(() => client.ping(), Error, "closed");
});

Deno.test("cancel: a task command blocked by a halted server stops waiting", async () => {
  await using server = await startServer({ halted: true });
  const job = new TaskClient({
    host: "127.0.0.1",
    port: server.port,
    env: envFrom({ ECF_NAME: "/s/t", ECF_PASS: "pw", ECF_RID: "1", ECF_TRYNO: "1" }),
  });
  // a halted server answers "blocked": ecflow_client asks again until ECF_TIMEOUT (hours)
  job.context.timings.retryDelayMs = 20;
  let blocked!: () => void;
  const seen = new Promise<void>((r) => blocked = r);
  job.onNotice((n) => n.kind === "halted" && blocked());
  const ac = new AbortController();
  abortWhen(ac, seen);
  await assertRejects(() => job.init({ signal: ac.signal }), Stop);
  job.close();
});

Deno.test("cancel: --wait polling its expression ends with the signal", async () => {
  await using server = await startServer();
  const admin = server.client();
  await admin.load(LAB_DEF);
  await admin.beginSuite("lab");
  // ECF_PASS FREE: the server accepts any jobs password from this task
  await admin.alter("/lab/f1/t1", {
    action: "add",
    kind: "variable",
    name: "ECF_PASS",
    value: "FREE",
  });
  const job = new TaskClient({
    host: "127.0.0.1",
    port: server.port,
    env: envFrom({ ECF_NAME: "/lab/f1/t1", ECF_PASS: "any", ECF_RID: "1", ECF_TRYNO: "1" }),
  });
  await job.init();
  job.context.timings.retryDelayMs = 20;
  let waiting!: () => void;
  const seen = new Promise<void>((r) => waiting = r);
  job.onNotice((n) => n.kind === "waiting" && waiting());
  const ac = new AbortController();
  abortWhen(ac, seen);
  await assertRejects(
    () => job.wait("/lab/f1/t2 == complete", { signal: ac.signal }),
    Stop,
  );
  job.close();
});

/** An HTTP endpoint that answers every request; transports are tried against it. */
function httpEndpoint() {
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen() {} },
    () => new Response("{}"),
  );
  return {
    target: { host: "127.0.0.1", port: server.addr.port },
    [Symbol.asyncDispose]: () => server.shutdown(),
  };
}

/** Counts the HTTP clients made and closed while `body` runs. */
async function countHttpClients(body: () => Promise<void>) {
  const original = Deno.createHttpClient;
  const made: Deno.HttpClient[] = [];
  const closed = new Set<Deno.HttpClient>();
  (Deno as { createHttpClient: typeof original }).createHttpClient = (options) => {
    const client = original(options);
    made.push(client);
    const close = client.close.bind(client);
    client.close = () => {
      closed.add(client);
      close();
    };
    return client;
  };
  try {
    await body();
  } finally {
    (Deno as { createHttpClient: typeof original }).createHttpClient = original;
  }
  return { made: made.length, open: made.filter((c) => !closed.has(c)).length };
}

Deno.test("resources: re-choosing the transport releases the HTTP client it replaces; close() the last", async () => {
  await using http = httpEndpoint();
  const payload = new TextEncoder().encode("{}");
  const counts = await countHttpClients(async () => {
    const invoker = new Invoker({ ...http.target, env: envFrom({}) });
    invoker.reselect({ http: true });
    await invoker.transport.exchange(http.target, payload);
    invoker.reselect({ ssl: false }); // chosen again: a new HTTP transport
    await invoker.transport.exchange(http.target, payload);
    invoker.reselect({ https: true });
    invoker.close();
  });
  assertEquals(counts, { made: 2, open: 0 });
});

Deno.test("resources: `await using` closes the client, and its HTTP client, at the end of its scope", async () => {
  await using http = httpEndpoint();
  let inner: Client | undefined;
  const counts = await countHttpClients(async () => {
    await using client = new Client("127.0.0.1", http.target.port, {
      env: envFrom({}),
      http: true,
    });
    inner = client;
    // the endpoint's "{}" is no ecFlow reply: the exchange happened, its client was made
    await assertRejects(() => client.ping(), ProtocolError);
  });
  assertEquals(counts, { made: 1, open: 0 });
  await assertRejects(() => inner!.ping(), Error, "closed");
});
