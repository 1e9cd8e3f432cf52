/**
 * Real servers for the discovery tests, run as a user of their own: a uid no
 * account has, so that a test can list "that user's" servers and ask only them,
 * whatever else runs on the machine. Also a non-ecFlow listener of that user, and
 * the ecflow-ts CLI or a library script run as that user. Switching uid needs
 * root (`setpriv`); without it these helpers throw, saying so.
 */
import {
  ecflowPrograms,
  freeServerPort,
  type Generation,
  type RunResult,
} from "./harness/server.ts";
import { makeSslDir } from "./transport_harness.ts";
import { Client } from "../mod.ts";
import { ctsCommand } from "../lib/wire/mod.ts";

const decoder = new TextDecoder();

/** A uid no account of this machine has (40000–59999), fresh for each test file. */
export function unusedUid(): number {
  const passwd = Deno.readTextFileSync("/etc/passwd");
  const taken = new Set(passwd.split("\n").map((l) => Number(l.split(":")[2])));
  for (;;) {
    const uid = 40000 + Math.floor(Math.random() * 20000);
    if (!taken.has(uid)) return uid;
  }
}

/** The command that runs `argv` as `uid` (or as ourselves when `uid` is undefined). */
function asUser(uid: number | undefined, argv: string[]): [string, string[]] {
  if (uid === undefined) return [argv[0], argv.slice(1)];
  return [
    "setpriv",
    [`--reuid=${uid}`, `--regid=${uid}`, "--clear-groups", "--", ...argv],
  ];
}

async function chownTree(path: string, uid: number): Promise<void> {
  const out = await new Deno.Command("chown", {
    args: ["-R", `${uid}:${uid}`, path],
    stderr: "piped",
  })
    .output();
  if (!out.success) {
    throw new Error(`chown ${uid} ${path}: ${decoder.decode(out.stderr).trim()} (needs root)`);
  }
}

/** Options of {@linkcode startServerAs}. */
export interface LabServerOptions {
  /** Run as this uid (default: as this process). */
  uid?: number;
  /** Which ecFlow (default 5.9). */
  generation?: Generation;
  /** `tcp` (default), `tls` (ECF_SSL=1, certificate in $HOME/.ecflowrc/ssl) or `http` (5.17 `--http`). */
  protocol?: "tcp" | "tls" | "http";
  /** Give the port as `--port=<n>` (default) or only as `ECF_PORT` in the environment. */
  portFrom?: "argument" | "environment";
  /** Leave it HALTED (default: restart it, so it is RUNNING). */
  halted?: boolean;
}

/** A running lab server. */
export interface LabServer extends AsyncDisposable {
  /** Its port. */
  port: number;
  /** Its pid (setpriv executes the server in its own process). */
  pid: number;
  /** Its ECF_HOME (also its HOME). */
  home: string;
  /** Which ecFlow. */
  generation: Generation;
  /** What it speaks. */
  protocol: "tcp" | "tls" | "http";
  /** The environment a reference ecflow_client needs to reach it (with ECF_HOST/ECF_PORT). */
  clientEnv: Record<string, string>;
  /** Arguments a reference ecflow_client needs besides its command (`--http`). */
  clientArgs: string[];
  /** Stops it (terminate, then SIGKILL by pid) and removes its home. */
  stop(): Promise<void>;
}

function labClient(port: number, protocol: string, home: string): Client {
  return new Client("127.0.0.1", port, {
    retry: { attempts: 1 },
    connectTimeoutMs: 2000,
    replyTimeoutMs: 10_000,
    env: () => undefined,
    user: "root",
    ...(protocol === "tls" ? { ssl: true, certDir: `${home}/.ecflowrc/ssl` } : {}),
    ...(protocol === "http" ? { http: true } : {}),
  });
}

/** Starts a real ecflow_server as `uid`, with a fresh ECF_HOME; throws with the reason when it cannot. */
export async function startServerAs(o: LabServerOptions = {}): Promise<LabServer> {
  const generation = o.generation ?? "5.9";
  const protocol = o.protocol ?? "tcp";
  const server = ecflowPrograms(generation).server;
  for (let tries = 0; tries < 5; tries++) {
    const port = freeServerPort();
    const home = await Deno.makeTempDir({ prefix: "ecflow-ts-discover." });
    if (protocol === "tls") await makeSslDir(home, "server", "san");
    if (o.uid !== undefined) await chownTree(home, o.uid);
    const byEnv = o.portFrom === "environment";
    const [cmd, args] = asUser(o.uid, [
      server,
      ...(byEnv ? [] : [`--port=${port}`]),
      ...(protocol === "http" ? ["--http"] : []),
    ]);
    const child = new Deno.Command(cmd, {
      args,
      cwd: home,
      env: {
        ECF_HOME: home,
        HOME: home,
        LANG: "C.UTF-8",
        TZ: "UTC",
        PATH: "/usr/bin:/bin",
        ...(byEnv ? { ECF_PORT: String(port) } : {}),
        ...(protocol === "tls" ? { ECF_SSL: "1" } : {}),
      },
      clearEnv: true,
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).spawn();
    let exited = false;
    child.status.then(() => exited = true);
    const client = labClient(port, protocol, home);
    let up = false;
    for (const deadline = Date.now() + 15_000; !exited && Date.now() < deadline;) {
      try {
        await client.ping();
        up = true;
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    const kill = async () => {
      try {
        child.kill("SIGKILL");
      } catch { /* gone */ }
      await child.status;
    };
    if (!up) {
      await kill();
      await Deno.remove(home, { recursive: true }).catch(() => {});
      continue;
    }
    if (!o.halted) await client.request(ctsCommand("restart"));
    let stopped = false;
    const stop = async () => {
      if (stopped) return;
      stopped = true;
      if (!exited) {
        await client.request(ctsCommand("terminate")).catch(() => {});
        const gone = await Promise.race([
          child.status.then(() => true),
          new Promise<boolean>((r) => setTimeout(() => r(false), 5000)),
        ]);
        if (!gone) await kill();
      }
      await Deno.remove(home, { recursive: true }).catch(() => {});
    };
    return {
      port,
      pid: child.pid,
      home,
      generation,
      protocol,
      clientEnv: {
        ECF_HOST: "127.0.0.1",
        ECF_PORT: String(port),
        ...(protocol === "tls" ? { ECF_SSL: "1", HOME: home } : {}),
      },
      clientArgs: protocol === "http" ? ["--http"] : [],
      stop,
      [Symbol.asyncDispose]: stop,
    };
  }
  throw new Error(`ecflow_server ${generation} did not start as uid ${o.uid} on any of 5 ports`);
}

/** A listener that is not an ecFlow server, though its command line says `ecflow_server --port=<port>`. */
export interface Decoy extends AsyncDisposable {
  /** The port it listens on. */
  port: number;
  /** Its pid. */
  pid: number;
}

const LISTEN = "import socket, time\n" +
  "s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)\n" +
  "s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n" +
  "import sys; s.bind(('0.0.0.0', int(sys.argv[-1].split('=')[1]))); s.listen(5)\n" +
  "time.sleep(600)\n";

/** Starts the decoy as `uid`. */
export async function startDecoy(uid?: number): Promise<Decoy> {
  const port = freeServerPort();
  const [cmd, args] = asUser(uid, [
    "/usr/bin/python3",
    "-c",
    LISTEN,
    "ecflow_server",
    `--port=${port}`,
  ]);
  const child = new Deno.Command(cmd, { args, stdin: "null", stdout: "null", stderr: "piped" })
    .spawn();
  let exited = false;
  child.status.then(() => exited = true);
  for (const deadline = Date.now() + 10_000; !exited && Date.now() < deadline;) {
    try {
      (await Deno.connect({ hostname: "127.0.0.1", port })).close();
      let stopping: Promise<unknown> | undefined;
      const stop = async () => {
        try {
          child.kill("SIGKILL");
        } catch { /* gone */ }
        await (stopping ??= child.output());
      };
      return { port, pid: child.pid, [Symbol.asyncDispose]: stop };
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  const out = await child.output().catch(() => undefined);
  throw new Error(`the decoy listener did not start: ${decoder.decode(out?.stderr)}`);
}

const CLI = new URL("../cli.ts", import.meta.url).pathname;
/** A script that prints `findLocalServers()` as JSON. */
const LOOK = new URL("./discover_look.ts", import.meta.url).pathname;

const denoDirs = new Map<number, string>();

/** A DENO_DIR `uid` may write (Deno caches its dependencies there). */
async function denoDirFor(uid: number): Promise<string> {
  let dir = denoDirs.get(uid);
  if (!dir) {
    dir = await Deno.makeTempDir({ prefix: "ecflow-ts-discover-deno." });
    await chownTree(dir, uid);
    denoDirs.set(uid, dir);
  }
  return dir;
}

globalThis.addEventListener("unload", () => {
  for (const dir of denoDirs.values()) {
    try {
      Deno.removeSync(dir, { recursive: true });
    } catch { /* gone */ }
  }
});

/** Runs a Deno script as `uid` (or as ourselves) with the given permissions and a clean environment. */
async function denoAs(
  uid: number | undefined,
  script: string,
  permissions: string[],
  args: string[],
  env: Record<string, string> = {},
): Promise<RunResult> {
  const inherit: Record<string, string> = {};
  for (const k of ["JSR_URL", "DENO_NO_UPDATE_CHECK", ...(uid === undefined ? ["DENO_DIR"] : [])]) {
    const v = Deno.env.get(k);
    if (v !== undefined) inherit[k] = v;
  }
  const dir = uid === undefined ? undefined : await denoDirFor(uid);
  const [cmd, argv] = asUser(uid, [
    Deno.execPath(),
    "run",
    "--quiet",
    "--no-lock",
    ...permissions,
    script,
    ...args,
  ]);
  const out = await new Deno.Command(cmd, {
    args: argv,
    env: {
      PATH: "/usr/bin:/bin",
      ...(dir ? { DENO_DIR: dir, HOME: dir } : { HOME: Deno.env.get("HOME") ?? "/root" }),
      ...inherit,
      ...env,
    },
    clearEnv: true,
    stdin: "null",
  }).output();
  return { code: out.code, stdout: decoder.decode(out.stdout), stderr: decoder.decode(out.stderr) };
}

/** Runs the ecflow-ts CLI as `uid` (undefined: as ourselves). */
export function cliAs(
  uid: number | undefined,
  args: string[],
  permissions: string[] = ["--allow-all"],
  env: Record<string, string> = {},
): Promise<RunResult> {
  return denoAs(uid, CLI, permissions, args, env);
}

/** Runs `findLocalServers()` as `uid` (undefined: as ourselves) and returns what it printed. */
export function lookAs(
  uid: number | undefined,
  permissions: string[] = ["--allow-all"],
): Promise<RunResult> {
  return denoAs(uid, LOOK, permissions, []);
}
