/**
 * A real server with a loaded, begun suite whose tasks have jobs (generated,
 * not run: ECF_JOB_CMD is `true`), so child commands can be sent by hand
 * with each task's real jobs password. Shared by the child-command tests.
 */
import {
  ecflowClient,
  type EcflowServer,
  type ServerOptions,
  startServer,
} from "./harness/server.ts";

/** One family per client under test, so both get identical tasks. */
export function labDefs(families: string[]): string {
  const fam = (f: string) =>
    `  family ${f}
    task t1
      event ev1
      event 2 ev2
      meter m1 0 100 90
      label lab1 "initial"
      queue q1 001 002 003
    task t2
      trigger t1 == complete
  endfamily
`;
  return `suite lab
  edit ECF_JOB_CMD 'true'
  edit ECF_KILL_CMD 'true'
  edit ECF_STATUS_CMD 'true'
${families.map(fam).join("")}endsuite
`;
}

/** A running lab: the server and helpers to act as a job of one of its tasks. */
export interface Lab extends AsyncDisposable {
  /** The server. */
  server: EcflowServer;
  /** Runs the reference client against the server (`--port` added). */
  ref(args: string[], env?: Record<string, string>): ReturnType<typeof ecflowClient>;
  /** The jobs password the server generated for `path`. */
  password(path: string): Promise<string>;
  /** A job's environment for `path`. */
  jobEnv(path: string, extra?: Record<string, string>): Promise<Record<string, string>>;
  /** `--query <what> <path>` through the reference client, trimmed. */
  query(what: string, path: string): Promise<string>;
  /** The node's state as `--get_state` prints it. */
  stateText(path: string): Promise<string>;
}

/** Starts a server, loads `labDefs(families)` and begins the suite. */
export async function startLab(
  families: string[] = ["f1"],
  options: ServerOptions = {},
): Promise<Lab> {
  const server = await startServer(options);
  try {
    for (const f of families) {
      for (const t of ["t1", "t2"]) {
        await Deno.mkdir(`${server.home}/lab/${f}`, { recursive: true });
        await Deno.writeTextFile(
          `${server.home}/lab/${f}/${t}.ecf`,
          "echo %ECF_NAME% %ECF_PASS%\n",
        );
      }
    }
    await Deno.writeTextFile(`${server.home}/lab.def`, labDefs(families));
    const port = `--port=${server.port}`;
    const ref = (args: string[], env: Record<string, string> = {}) =>
      ecflowClient(["--host=127.0.0.1", port, ...args], env);
    for (const args of [[`--load=${server.home}/lab.def`], ["--begin=lab"]]) {
      const r = await ref(args);
      if (r.code !== 0) throw new Error(`ecflow_client ${args.join(" ")}: ${r.stderr}`);
    }
    const stateText = async (path: string) => {
      const r = await ref([`--get_state=${path}`]);
      if (r.code !== 0) throw new Error(`--get_state=${path}: ${r.stderr}`);
      return r.stdout;
    };
    const password = async (path: string) => {
      const name = path.split("/").at(-1);
      for (let i = 0; i < 100; i++) {
        const m = new RegExp(`task ${name} # passwd:(\\S+)`).exec(await stateText(path));
        if (m) return m[1];
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`no jobs password for ${path}`);
    };
    return {
      server,
      ref,
      password,
      stateText,
      jobEnv: async (path, extra = {}) => ({
        ECF_HOST: "127.0.0.1",
        ECF_PORT: String(server.port),
        ECF_NAME: path,
        ECF_PASS: await password(path),
        ECF_RID: "4242",
        ECF_TRYNO: "1",
        ...extra,
      }),
      query: async (what, path) => {
        const r = await ref(["--query", what, path]);
        if (r.code !== 0) throw new Error(`--query ${what} ${path}: ${r.stderr}`);
        return r.stdout.trim();
      },
      [Symbol.asyncDispose]: () => server.stop(),
    };
  } catch (e) {
    await server.stop();
    throw e;
  }
}

/** Replaces what varies between two runs: time stamps, ports, family names. */
export function normalise(text: string, port: number, family?: string): string {
  let t = text.replace(/\[\d\d:\d\d:\d\d \d+\.\d+\.\d{4}\] /g, "[T] ")
    .replaceAll(`:${port}`, ":PORT");
  if (family) {
    t = t.replace(new RegExp(`\\b${family}\\b`, "g"), "F");
  }
  return t;
}
