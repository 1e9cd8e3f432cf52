/**
 * `deno task demo`: starts a throw-away ecflow_server on a free port, loads
 * and begins a small suite whose jobs report through the ecflow-ts CLI,
 * shows progress until it completes, prints the final tree with states,
 * and stops the server (terminate, then SIGKILL by PID).
 *
 * With ECF_HOST/ECF_PORT set it uses that server instead (it must run on
 * this machine: the jobs' scripts are written to a local temporary
 * directory) and leaves it running.
 *
 * @module
 */
import { Client } from "../mod.ts";
import { demoSuiteDefinition, ecflowTsCommand, writeDemoSuite } from "./suite.ts";

const SUITE = "ecflow_ts_demo";
const SERVER_CANDIDATES = ["/usr/sbin/ecflow_server", "/usr/bin/ecflow_server"];
const TIMEOUT_MS = 180_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const say = (s: string) => console.log(s);

function env(name: string): string | undefined {
  try {
    return Deno.env.get(name) || undefined;
  } catch {
    return undefined;
  }
}

/** Finds ecflow_server: the Debian path, then PATH (conda installs it there). */
function findServer(): string | undefined {
  const dirs = (env("PATH") ?? "").split(":").filter(Boolean).map((d) => `${d}/ecflow_server`);
  for (const p of [...SERVER_CANDIDATES, ...dirs]) {
    try {
      if (Deno.statSync(p).isFile) return p;
    } catch { /* next */ }
  }
  return undefined;
}

function freePort(): number {
  for (let i = 0; i < 100; i++) {
    const port = 20000 + Math.floor(Math.random() * 29000);
    try {
      Deno.listen({ hostname: "127.0.0.1", port }).close();
      return port;
    } catch { /* taken */ }
  }
  throw new Error("no free port in 20000-49000");
}

interface Server {
  host: string;
  port: number;
  stop(): Promise<void>;
}

async function startThrowAwayServer(bin: string): Promise<Server> {
  const port = freePort();
  const home = await Deno.makeTempDir({ prefix: "ecflow-ts-demo-server." });
  const child = new Deno.Command(bin, {
    args: [`--port=${port}`],
    cwd: home,
    env: { ECF_HOME: home },
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  let exited = false;
  child.status.then(() => exited = true);
  const client = new Client("127.0.0.1", port, { retry: { attempts: 1 } });
  const deadline = Date.now() + 15_000;
  while (!exited) {
    try {
      await client.ping();
      break;
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await sleep(50);
    }
  }
  if (exited) throw new Error(`${bin} exited at start (port ${port} taken?)`);
  say(`started ${bin} on 127.0.0.1:${port} (pid ${child.pid}, ECF_HOME ${home})`);
  await client.restartServer(); // a new server starts HALTED
  return {
    host: "127.0.0.1",
    port,
    stop: async () => {
      await client.terminateServer().catch(() => {});
      const gone = await Promise.race([
        child.status.then(() => true),
        sleep(5000).then(() => false),
      ]);
      if (!gone) {
        try {
          Deno.kill(child.pid, "SIGKILL");
        } catch { /* already gone */ }
        await child.status;
      }
      await Deno.remove(home, { recursive: true }).catch(() => {});
      say(`stopped the server (pid ${child.pid})`);
    },
  };
}

interface NodeLine {
  depth: number;
  text: string;
}

/** The tree of `--get` NET text: nodes with their states, attributes with their values. */
function tree(net: string): NodeLine[] {
  const out: NodeLine[] = [];
  let depth = 0;
  let attrDepth = 0;
  const attr = (text: string) => out.push({ depth: attrDepth, text });
  for (const raw of net.split("\n")) {
    const line = raw.trim();
    const [word, name] = line.split(/\s+/);
    const state = / state:(\w+)/.exec(line)?.[1] ?? "queued";
    const value = line.includes(" # ") ? line.slice(line.indexOf(" # ") + 3) : "";
    if (word === "suite" || word === "family") {
      out.push({ depth, text: `${word} ${name}  [${state}]` });
      attrDepth = ++depth;
    } else if (word === "endfamily" || word === "endsuite") depth--;
    else if (word === "task") {
      out.push({ depth, text: `task ${name}  [${state}]` });
      attrDepth = depth + 1;
    } else if (word === "event") attr(`event ${name}: ${value || "clear"}`);
    else if (word === "meter") attr(`meter ${name}: ${value || line.split(/\s+/)[2]}`);
    else if (word === "label") {
      attr(`label ${name}: ${value || (/^label \S+ (".*")/.exec(line)?.[1] ?? '""')}`);
    } else if (word === "queue") attr(`queue ${name}: ${value}`);
  }
  return out;
}

/** Task paths and states from NET text. */
function taskStates(net: string): Map<string, string> {
  const states = new Map<string, string>();
  const path: string[] = [];
  for (const raw of net.split("\n")) {
    const line = raw.trim();
    const [word, name] = line.split(/\s+/);
    const state = / state:(\w+)/.exec(line)?.[1] ?? "queued";
    if (word === "suite" || word === "family") path.push(name);
    else if (word === "endfamily" || word === "endsuite") path.pop();
    else if (word === "task") states.set(`/${[...path, name].join("/")}`, state);
  }
  return states;
}

async function main(): Promise<number> {
  const external = env("ECF_HOST") !== undefined || env("ECF_PORT") !== undefined;
  let server: Server;
  if (external) {
    const c = new Client();
    server = { host: c.getHost(), port: Number(c.getPort()), stop: () => Promise.resolve() };
    say(`using the server named by ECF_HOST/ECF_PORT: ${server.host}:${server.port}`);
  } else {
    const bin = findServer();
    if (!bin) {
      console.error(
        "ecflow_server is not installed. Install it with\n" +
          "  sudo apt-get install ecflow-server        (Debian/Ubuntu)\n" +
          "  conda install -c conda-forge ecflow       (conda)\n" +
          "or point the demo at a running server with ECF_HOST and ECF_PORT.",
      );
      return 1;
    }
    server = await startThrowAwayServer(bin);
  }
  const dir = await Deno.makeTempDir({ prefix: "ecflow-ts-demo." });
  try {
    const client = new Client(server.host, server.port, { retry: { attempts: 2, delayMs: 500 } });
    const host = server.host === "localhost" ? "127.0.0.1" : server.host;
    const options = {
      name: SUITE,
      dir,
      host,
      port: server.port,
      ecflowTs: ecflowTsCommand(host, server.port),
      stepSeconds: 0.5,
      retryMs: 1000,
      // jobs inherit the server's environment, not ours: pass on where deno finds its modules
      jobEnv: Object.fromEntries(
        ["DENO_DIR", "JSR_URL", "NPM_CONFIG_REGISTRY"].flatMap((k) => {
          const v = env(k);
          return v === undefined ? [] : [[k, v]];
        }),
      ),
    };
    await writeDemoSuite(options);
    await client.load({ text: demoSuiteDefinition(options), fileName: `${SUITE}.def` }, {
      force: true,
    });
    await client.beginSuite(SUITE, { force: true });
    say(`loaded and began /${SUITE}; its jobs run: ${options.ecflowTs}`);
    say(`job scripts and output: ${dir}/${SUITE}\n`);

    const t0 = Date.now();
    const seen = new Map<string, string>();
    let suiteState = "";
    while (suiteState !== "complete") {
      if (Date.now() - t0 > TIMEOUT_MS) {
        console.error(`the suite did not complete within ${TIMEOUT_MS / 1000} s`);
        break;
      }
      const net = await client.getDefsText("get", `/${SUITE}`);
      suiteState = / state:(\w+)/.exec(
        net.split("\n").find((l) => l.trim().startsWith("suite ")) ?? "",
      )
        ?.[1] ?? "queued";
      for (const [path, state] of taskStates(net)) {
        if (seen.get(path) !== state) {
          seen.set(path, state);
          const s = ((Date.now() - t0) / 1000).toFixed(1).padStart(5);
          say(`${s}s  ${path.padEnd(34)} ${state}`);
        }
      }
      await sleep(300);
    }
    say("\nfinal tree:");
    for (const n of tree(await client.getDefsText("get", `/${SUITE}`))) {
      say(`${"  ".repeat(n.depth)}${n.text}`);
    }
    return suiteState === "complete" ? 0 : 1;
  } finally {
    await server.stop();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

if (import.meta.main) {
  try {
    Deno.exit(await main());
  } catch (e) {
    console.error(`demo: ${e instanceof Error ? e.message : e}`);
    Deno.exit(1);
  }
}
