// TLS benchmarks, ecflow-ts against the reference clients measured in the same run on private
// real ecflow_servers 5.9.2 started with ECF_SSL:
//   1. CLI --ssl --ping whole process vs ecflow_client --ssl --ping (paired, median ratio), for a
//      pinned certificate (ecFlow's documented X.509 v1 recipe) and a verified one (issued by a
//      private CA of the file); floors beside them: an empty `deno run`, and --ping over TCP
//   2. in-process ping() over pinned TLS, verified TLS and TCP vs Python's ecflow.Client with
//      enable_ssl() (/usr/bin/python3)
// Run: ../shared/jsr-offline/run deno run -A bench/tls.ts [--pings=300] [--rounds=5] [--runs=20]
import { parseArgs } from "../lib/deps.ts";
import { Client } from "../mod.ts";
import { CLIENT_BIN, startServer } from "../tests/harness/server.ts";
import { type CertKind, makeSslDir, spawnServer } from "../tests/transport_harness.ts";

const args = parseArgs(Deno.args, { string: ["pings", "rounds", "runs"] });
const PINGS = Number(args.pings ?? 300);
const ROUNDS = Number(args.rounds ?? 5);
const RUNS = Number(args.runs ?? 20);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const f = (n: number, d = 1) => n.toFixed(d);

/** A 5.9.2 TLS server whose certificate is of `kind`; its HOME holds the client's file too. */
async function tlsServer(kind: CertKind) {
  const home = await Deno.makeTempDir({ prefix: "ecflow-ts-bench-tls." });
  const sslDir = await makeSslDir(home, "server", kind);
  const server = await spawnServer({
    env: () => ({ HOME: home, ECF_SSL: "1" }),
    client: (port) =>
      new Client("127.0.0.1", port, {
        ssl: true,
        certDir: sslDir,
        retry: { attempts: 1 },
        env: () => undefined,
      }),
  });
  return {
    ...server,
    home,
    sslDir,
    async [Symbol.asyncDispose]() {
      await server.stop();
      await Deno.remove(home, { recursive: true });
    },
  };
}

await using pinned = await tlsServer("v1");
await using verified = await tlsServer("private-ca");
await using plain = await startServer({ halted: true });

const cli = new URL("../cli.ts", import.meta.url).pathname;
const empty = await Deno.makeTempFile({ suffix: ".ts" });
async function timeProcess(
  cmd: string,
  cmdArgs: string[],
  env: Record<string, string>,
): Promise<number> {
  const t0 = performance.now();
  const out = await new Deno.Command(cmd, {
    args: cmdArgs,
    env,
    stdout: "null",
    stderr: "piped",
  }).output();
  const ms = performance.now() - t0;
  if (!out.success) throw new Error(`${cmd} failed: ${new TextDecoder().decode(out.stderr)}`);
  return ms;
}
const ours = (port: number, sslDir: string, extra: string[]) => [
  "run",
  "--quiet",
  "--no-lock",
  `--allow-net=127.0.0.1:${port}`,
  "--allow-env=HOME,ECF_SSL,ECF_SSL_DIR,ECF_HOST,ECF_PORT,USER,LOGNAME",
  `--allow-read=${sslDir}`,
  cli,
  "--host=127.0.0.1",
  `--port=${port}`,
  ...extra,
];

/** Paired whole-process runs: [ecflow-ts ms, ecflow_client ms, ratio] medians. */
async function paired(port: number, home: string, sslDir: string, extra: string[]) {
  const env = { HOME: home, PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin" };
  const refArgs = ["--host=127.0.0.1", `--port=${port}`, ...extra];
  await timeProcess(CLIENT_BIN, refArgs, env);
  await timeProcess(Deno.execPath(), ours(port, sslDir, extra), env); // module cache
  const a: number[] = [];
  const b: number[] = [];
  const r: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const ref = await timeProcess(CLIENT_BIN, refArgs, env);
    const us = await timeProcess(Deno.execPath(), ours(port, sslDir, extra), env);
    a.push(us);
    b.push(ref);
    r.push(us / ref);
  }
  return [median(a), median(b), median(r)];
}

const pinnedCli = await paired(pinned.port, pinned.home, pinned.sslDir, ["--ssl", "--ping"]);
const verifiedCli = await paired(verified.port, verified.home, verified.sslDir, [
  "--ssl",
  "--ping",
]);
const tcpCli = await paired(plain.port, pinned.home, pinned.sslDir, ["--ping"]);
const emptyRuns: number[] = [];
for (let i = 0; i < RUNS; i++) {
  emptyRuns.push(await timeProcess(Deno.execPath(), ["run", "--quiet", empty], {}));
}

// 2. in-process
async function rate(client: Client): Promise<number> {
  for (let i = 0; i < 30; i++) await client.ping(); // warm-up
  const rates: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = performance.now();
    for (let i = 0; i < PINGS; i++) await client.ping();
    rates.push(PINGS / ((performance.now() - t0) / 1000));
  }
  return median(rates);
}
const client = (port: number, sslDir?: string) =>
  new Client("127.0.0.1", port, {
    ssl: sslDir !== undefined,
    certDir: sslDir,
    retry: { attempts: 1 },
    env: () => undefined,
  });
const pinnedRate = await rate(client(pinned.port, pinned.sslDir));
const verifiedRate = await rate(client(verified.port, verified.sslDir));
const tcpRate = await rate(client(plain.port));
const py = `
import ecflow, time
c = ecflow.Client("127.0.0.1", ${pinned.port})
c.enable_ssl()
for _ in range(30): c.ping()
rates = []
for _ in range(${ROUNDS}):
    t0 = time.perf_counter()
    for _ in range(${PINGS}): c.ping()
    rates.append(${PINGS} / (time.perf_counter() - t0))
print(" ".join(str(r) for r in rates))
`;
const pyOut = await new Deno.Command("/usr/bin/python3", {
  args: ["-c", py],
  env: { HOME: pinned.home },
  stderr: "inherit",
}).output();
if (!pyOut.success) throw new Error("python3-ecflow TLS benchmark failed");
const pyRate = median(new TextDecoder().decode(pyOut.stdout).trim().split(/\s+/).map(Number));
await Deno.remove(empty);

console.log("ecflow-ts TLS benchmark (ecflow_server 5.9.2 with ECF_SSL, loopback)");
const line = (label: string, [us, ref, ratio]: number[]) =>
  console.log(
    `CLI ${label}: deno run cli.ts ${f(us)} ms, ecflow_client ${f(ref)} ms  (median of ${RUNS} ` +
      `pairs)  ratio = ${f(ratio, 2)}x`,
  );
line("--ssl --ping, pinned (X.509 v1)", pinnedCli);
line("--ssl --ping, verified (private CA)", verifiedCli);
line("--ping over TCP (floor)", tcpCli);
console.log(`empty deno run (floor): ${f(median(emptyRuns))} ms`);
console.log(
  `in-process ping(): pinned TLS ${f(pinnedRate, 0)}/s, verified TLS ${f(verifiedRate, 0)}/s, TCP ${
    f(tcpRate, 0)
  }/s; python ecflow with enable_ssl() ${f(pyRate, 0)}/s  ` +
    `(median of ${ROUNDS} x ${PINGS})  ratio pinned/python = ${f(pinnedRate / pyRate, 2)}x`,
);
