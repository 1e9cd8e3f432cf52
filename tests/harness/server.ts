/**
 * A private, real `ecflow_server` for tests: a free port in 1024–49151, a
 * temporary ECF_HOME, started RUNNING (or HALTED), stopped with a terminate
 * request and then SIGKILL by PID. Use with `await using`.
 */
import { getAvailablePort } from "../deps.ts";
import { Client } from "../../mod.ts";
import { ctsCommand } from "../../lib/wire/mod.ts";

/** Where Debian installs the server. */
export const SERVER_BIN = "/usr/sbin/ecflow_server";
/** Where Debian installs the reference client. */
export const CLIENT_BIN = "/usr/bin/ecflow_client";

/**
 * A server generation the tests run against: Debian's 5.9.2, or the latest ecFlow (5.17.0)
 * built from upstream source, whose own `ecflow_client` is then the reference.
 */
export type Generation = "5.9" | "5.17";

/** Both generations, oldest first: differential tests loop over them. */
export const GENERATIONS: readonly Generation[] = ["5.9", "5.17"];

/** The programs of one generation. */
export interface EcflowPrograms {
  /** `ecflow_server`. */
  server: string;
  /** The reference `ecflow_client` of the same version. */
  client: string;
  /** `ecflow_http` (5.17 only). */
  http?: string;
}

let latest: EcflowPrograms | undefined;

/**
 * Where a generation's programs are. 5.17 comes from `ECFLOW_517_DIR` (CI unpacks it there) or
 * is unpacked once from `../shared/ecflow/ecflow-5.17/` into a cache folder; when neither is
 * possible this throws, naming both ways (the test then fails: it is never skipped).
 */
export function ecflowPrograms(generation: Generation = "5.9"): EcflowPrograms {
  if (generation === "5.9") return { server: SERVER_BIN, client: CLIENT_BIN };
  if (latest) return latest;
  let dir = Deno.env.get("ECFLOW_517_DIR");
  if (!dir) {
    const unpack = new URL("../../../shared/ecflow/ecflow-5.17/unpack", import.meta.url).pathname;
    const cache = `${Deno.env.get("TMPDIR") ?? "/tmp"}/ecflow-ts-5.17-${Deno.uid() ?? 0}`;
    let out: Deno.CommandOutput;
    try {
      out = new Deno.Command(unpack, { args: [cache], stderr: "piped" }).outputSync();
    } catch (e) {
      throw new Error(
        `ecFlow 5.17 is needed: set ECFLOW_517_DIR, or provide ${unpack} (${(e as Error).message})`,
      );
    }
    if (!out.success) {
      throw new Error(`${unpack} failed: ${new TextDecoder().decode(out.stderr).trim()}`);
    }
    dir = cache;
  }
  latest = {
    server: `${dir}/ecflow_server`,
    client: `${dir}/ecflow_client`,
    http: `${dir}/ecflow_http`,
  };
  return latest;
}

/** Options for {@linkcode startServer}. */
export interface ServerOptions {
  /** Leave the server in its initial HALTED state (default: send a restart). */
  halted?: boolean;
  /** Extra environment for the server process (or a function of its port and ECF_HOME). */
  env?: Record<string, string> | ((port: number, home: string) => Record<string, string>);
  /** Start the server with only ECF_HOME, LANG, TZ and `env` (default: inherit ours). */
  clearEnv?: boolean;
  /** Files to create in ECF_HOME before start (name → content), or a function of the port. */
  files?: Record<string, string> | ((port: number) => Record<string, string>);
  /** Extra server arguments. */
  args?: string[];
  /** The client that pings it up, restarts and terminates it (default: plain TCP, fast). */
  client?: (port: number) => Client;
  /** Checks it is up, throwing when not (default: a ping through `client`). */
  probe?: (port: number) => Promise<void>;
  /** Which ecFlow (default `5.9`, Debian's). */
  generation?: Generation;
}

/** A running private server. */
export interface EcflowServer extends AsyncDisposable {
  /** The port it listens on. */
  port: number;
  /** Its ECF_HOME. */
  home: string;
  /** Its process id. */
  pid: number;
  /** Which ecFlow it is. */
  generation: Generation;
  /** A client for it (127.0.0.1, fast retries). */
  client(): Client;
  /** True when it still answers a ping. */
  alive(): Promise<boolean>;
  /** Text of its log file (`<host>.<port>.ecf.log`). */
  log(): Promise<string>;
  /** Stops it (terminate, then SIGKILL by PID) and removes ECF_HOME. */
  stop(): Promise<void>;
}

/** Picks a free TCP port the server accepts (1024–49151). */
export function freeServerPort(): number {
  for (let i = 0; i < 200; i++) {
    const candidate = 20000 + Math.floor(Math.random() * 29000);
    if (getAvailablePort({ preferredPort: candidate }) === candidate) return candidate;
  }
  throw new Error("no free port in 20000-49000");
}

/** True when the Debian ecflow packages are installed. */
export function ecflowInstalled(): boolean {
  try {
    Deno.statSync(SERVER_BIN);
    Deno.statSync(CLIENT_BIN);
    return true;
  } catch {
    return false;
  }
}

function fastClient(port: number): Client {
  return new Client("127.0.0.1", port, {
    retry: { attempts: 1 },
    connectTimeoutMs: 2000,
    replyTimeoutMs: 10_000,
    env: () => undefined,
    user: Deno.env.get("USER") || "root",
  });
}

/** Starts a private server; throws with its output when it does not come up. */
export async function startServer(options: ServerOptions = {}): Promise<EcflowServer> {
  const generation = options.generation ?? "5.9";
  if (generation === "5.9" && !ecflowInstalled()) {
    throw new Error(
      `${SERVER_BIN} is missing: apt-get install -y ecflow-server ecflow-client python3-ecflow`,
    );
  }
  const programs = ecflowPrograms(generation);
  for (let tries = 0; tries < 5; tries++) {
    const port = freeServerPort();
    const home = await Deno.makeTempDir({ prefix: "ecflow-ts-home." });
    const files = typeof options.files === "function" ? options.files(port) : options.files;
    for (const [name, content] of Object.entries(files ?? {})) {
      await Deno.writeTextFile(`${home}/${name}`, content);
    }
    const env = typeof options.env === "function" ? options.env(port, home) : options.env;
    const child = new Deno.Command(programs.server, {
      args: [`--port=${port}`, ...(options.args ?? [])],
      cwd: home,
      env: { ECF_HOME: home, LANG: "C.UTF-8", TZ: "UTC", ...env },
      clearEnv: options.clearEnv ?? false,
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).spawn();
    const makeClient = options.client ?? fastClient;
    const client = makeClient(port);
    const probe = options.probe ?? (async () => void await client.ping());
    let exited = false;
    child.status.then(() => exited = true);
    const deadline = Date.now() + 15_000;
    let up = false;
    while (!exited && Date.now() < deadline) {
      try {
        await probe(port);
        up = true;
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 20));
      }
    }
    if (!up) {
      try {
        child.kill("SIGKILL");
      } catch { /* gone */ }
      await child.status;
      await Deno.remove(home, { recursive: true }).catch(() => {});
      continue; // port race or slow start: try another port
    }
    if (!options.halted) await client.request(ctsCommand("restart"));
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
        if (!gone) {
          try {
            child.kill("SIGKILL");
          } catch { /* gone */ }
          await child.status;
        }
      }
      await Deno.remove(home, { recursive: true }).catch(() => {});
    };
    return {
      port,
      home,
      pid: child.pid,
      generation,
      client: () => makeClient(port),
      alive: async () => {
        try {
          await probe(port);
          return true;
        } catch {
          return false;
        }
      },
      log: () => Deno.readTextFile(`${home}/${Deno.hostname()}.${port}.ecf.log`).catch(() => ""),
      stop,
      [Symbol.asyncDispose]: stop,
    };
  }
  throw new Error("ecflow_server did not start on any of 5 ports");
}

/** Result of running a program. */
export interface RunResult {
  /** Exit code. */
  code: number;
  /** Standard output, as text. */
  stdout: string;
  /** Standard error, as text. */
  stderr: string;
}

/** Runs a program to completion with a clean environment plus `env`. */
export async function run(
  cmd: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<RunResult> {
  const out = await new Deno.Command(cmd, {
    args,
    env: { PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin", ...env },
    clearEnv: true,
    stdin: "null",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/** Runs the reference `ecflow_client` of a generation (default Debian's 5.9.2). */
export function ecflowClient(
  args: string[],
  env: Record<string, string> = {},
  generation: Generation = "5.9",
) {
  return run(ecflowPrograms(generation).client, args, {
    USER: Deno.env.get("USER") ?? "root",
    ...env,
  });
}

const CLI = new URL("../../cli.ts", import.meta.url).pathname;

/**
 * Runs the ecflow-ts CLI in a child `deno run` with `--allow-net --allow-env`
 * (the flags the README promises), a clean environment plus `env`.
 */
export function ecflowTs(
  args: string[],
  env: Record<string, string> = {},
  permissions: string[] = ["--allow-net", "--allow-env"],
): Promise<RunResult> {
  const denoEnv: Record<string, string> = {};
  for (const k of ["DENO_DIR", "JSR_URL", "HOME", "DENO_NO_UPDATE_CHECK"]) {
    const v = Deno.env.get(k);
    if (v !== undefined) denoEnv[k] = v;
  }
  return run(Deno.execPath(), ["run", "--quiet", "--no-lock", ...permissions, CLI, ...args], {
    USER: Deno.env.get("USER") ?? "root",
    ...denoEnv,
    ...env,
  });
}
