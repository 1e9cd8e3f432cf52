// `--option=` with nothing after the equal sign, option by option from the CLI's own table:
// ecflow_client (boost::program_options) refuses it before connecting, and so does ecflow-ts,
// with the same words. 5.9.2 says "should follow immediately after the equal sign" for every
// option; 5.17 too, except --alter, --abort, --meter and --label, which it refuses with their
// own argument errors (also exit 1, also without a connection).
import { assert, assertEquals, assertStringIncludes } from "./deps.ts";
import { ecflowPrograms, ecflowTs, GENERATIONS, run } from "./harness/server.ts";
import { main } from "../cli.ts";
import { COMMANDS, MODIFIERS } from "../lib/cli/commands/mod.ts";

const SHOULD_FOLLOW = "should follow immediately after the equal sign";
/** ecflow-ts's own options: ecflow_client does not know them (boost still refuses `--x=`). */
const OURS = new Set(["json", "attempts", "retry-delay", "connect-timeout", "timeout"]);
/** Where 5.17 gives its own argument error instead of boost's. */
const OWN_ERROR_517 = new Set(["alter", "abort", "meter", "label"]);

/** A listener that counts connections and closes each at once. */
function countingListener() {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  let accepted = 0;
  const done = (async () => {
    try {
      for await (const conn of listener) {
        accepted++;
        conn.close();
      }
    } catch { /* closed */ }
  })();
  return {
    port: (listener.addr as Deno.NetAddr).port,
    accepted: () => accepted,
    async [Symbol.asyncDispose]() {
      listener.close();
      await done;
    },
  };
}

const names = [...COMMANDS, ...MODIFIERS].map((s) => s.name);

Deno.test("every '--option=' is an argument error without a connection, worded as ecflow_client's", async () => {
  await using listener = countingListener();
  const env = { ECF_HOST: "127.0.0.1", ECF_PORT: String(listener.port) };
  assert(names.length > 80, `the option table has ${names.length} options`);
  for (const name of [...names, "no_such_option"]) {
    const out: string[] = [], err: string[] = [];
    const status = await main([`--${name}=`], {
      out: (t) => out.push(t),
      err: (t) => err.push(t),
      env: (k) => env[k as keyof typeof env],
    });
    assertEquals(status, 1, `--${name}=`);
    assertEquals(out.join(""), "", `--${name}=`);
    assertEquals(
      err.join(""),
      `ecflow-ts: the argument for option '--${name}' ${SHOULD_FOLLOW}\n`,
    );
  }
  assertEquals(listener.accepted(), 0, "no connection was made");
});

for (const generation of GENERATIONS) {
  Deno.test(`${generation}: ecflow_client refuses the same '--option=' before connecting`, async () => {
    await using listener = countingListener();
    const client = ecflowPrograms(generation).client;
    for (const name of names.filter((n) => !OURS.has(n))) {
      const r = await run(client, [`--${name}=`], {
        ECF_HOST: "127.0.0.1",
        ECF_PORT: String(listener.port),
      });
      assertEquals(r.code, 1, `${generation} --${name}=: ${r.stdout}${r.stderr}`);
      const boost = r.stderr.includes(`option '--${name}' ${SHOULD_FOLLOW}`);
      if (generation === "5.17" && OWN_ERROR_517.has(name)) {
        assert(!boost, `5.17 --${name}= now says: ${r.stderr}`);
        assertStringIncludes(r.stderr, "Caught exception whilst parsing arguments");
      } else {
        assert(boost, `${generation} --${name}=: ${r.stderr}`);
      }
    }
    assertEquals(listener.accepted(), 0, "ecflow_client made no connection");
  });
}

Deno.test("the CLI process: '--get=' exits 1 with one line on stderr", async () => {
  await using listener = countingListener();
  const r = await ecflowTs(["--get="], { ECF_HOST: "127.0.0.1", ECF_PORT: String(listener.port) });
  assertEquals(r.code, 1);
  assertEquals(r.stdout, "");
  assertEquals(r.stderr, `ecflow-ts: the argument for option '--get' ${SHOULD_FOLLOW}\n`);
  assertEquals(listener.accepted(), 0);
});
