// Retry semantics of user commands: a refused connection is tried twice (as
// ecflow_client), with the delay configurable; nothing else is retried.
import { assert, assertEquals, assertMatch, assertRejects } from "./deps.ts";
import { freeServerPort } from "./harness/server.ts";
import { ecflowTs } from "./harness/server.ts";
import {
  Client,
  ConnectionError,
  envFrom,
  ServerError,
  type Transport,
  type TransportTarget,
} from "../mod.ts";

/** A transport whose every exchange is refused (or answered), recording attempt times. */
function countingTransport(answer?: Uint8Array): Transport & { times: number[] } {
  const times: number[] = [];
  return {
    kind: "tcp",
    times,
    exchange(target: TransportTarget) {
      times.push(performance.now());
      if (answer) return Promise.resolve(answer);
      return Promise.reject(new ConnectionError("connection refused", target, "refused"));
    },
  };
}

Deno.test("library: a refused user command is tried twice, the configured delay apart", async () => {
  const transport = countingTransport();
  const c = new Client("127.0.0.1", 3141, { transport, retry: { delayMs: 120 }, env: envFrom({}) });
  const e = await assertRejects(() => c.suites(), ConnectionError);
  assertMatch(e.message, /after 2 attempts/);
  assertEquals(transport.times.length, 2);
  const gap = transport.times[1] - transport.times[0];
  assert(gap >= 110 && gap < 1000, `gap ${gap} ms`);
});

Deno.test("library: a server error is not retried", async () => {
  const reply = new TextEncoder().encode(
    '{"22ServerToClientResponse":{"stc_cmd_":{"polymorphic_id":2147483649,"polymorphic_name":' +
      '"ErrorCmd","ptr_wrapper":{"id":2147483649,"data":{"cereal_class_version":0,"value0":' +
      '{"cereal_class_version":0},"error_msg_":"Cannot find node at path \'/x\' "}}}}}',
  );
  const transport = countingTransport(reply);
  const c = new Client("127.0.0.1", 3141, { transport, retry: { delayMs: 10 }, env: envFrom({}) });
  const e = await assertRejects(() => c.suspend("/x"), ServerError);
  assertEquals(e.serverMessage, "Cannot find node at path '/x' ");
  assertEquals(transport.times.length, 1);
});

Deno.test("CLI: a refused user command fails after 2 attempts with --retry-delay, exit 1", async () => {
  const port = freeServerPort();
  const t0 = performance.now();
  const r = await ecflowTs(["--host=127.0.0.1", `--port=${port}`, "--retry-delay=100", "--suites"]);
  const ms = performance.now() - t0;
  assertEquals(r.code, 1);
  assertEquals(r.stdout, "");
  assertMatch(r.stderr, /Request\( --suites \), Failed to connect to 127\.0\.0\.1:\d+/);
  assertMatch(r.stderr, /after 2 attempts/);
  assert(ms >= 100 && ms < 5000, `took ${ms} ms`);
});
