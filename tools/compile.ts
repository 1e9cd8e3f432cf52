// `deno task compile`: builds the single-binary `ecflow-ts` with its permissions baked in,
// for the targets users need. deno compile needs Deno's `denort` runtime for each target
// (downloaded from Deno's servers, or given with DENORT_BIN for the host target); when it
// cannot be had, this says so in one line and exits 1 instead of hanging.
//
//   deno task compile                      # host target -> dist/ecflow-ts
//   deno task compile --target=all         # every target in TARGETS -> dist/ecflow-ts-<target>
//   deno task compile --dry-run            # print the deno compile command lines only
//   deno task compile --bundle             # dist/bundle/cli.js (+ chunks): the CLI as JavaScript
//                                          # for `deno run`, starting faster than the sources
import { parseArgs } from "../lib/deps.ts";

/**
 * The `deno run` flags of the README's drop-in wrapper, besides the permissions: no download
 * chatter, never a prompt, no configuration file picked up from the job's directory, and V8
 * without its platform worker threads (a process that sends one request and exits has no use
 * for concurrent compilation or GC; measured in bench/exit_latency.ts and bench/startup.ts).
 */
export const WRAPPER_RUN_FLAGS: readonly string[] = [
  "--quiet",
  "--no-prompt",
  "--no-config",
  "--v8-flags=--single-threaded",
];

/**
 * The permissions of the drop-in wrapper (user and task commands): the network, the `ECF_*`
 * variables, and what identifies the client as ecflow_client does (the login name of the real
 * uid from /etc/passwd, the host name).
 */
export const WRAPPER_PERMISSIONS: readonly string[] = [
  "--allow-net",
  "--allow-env=ECF_*,NO_ECF",
  "--allow-sys=hostname,uid",
  "--allow-read=/etc/passwd",
];

/**
 * The drop-in `ecflow_client` for job scripts (the README's wrapper): a POSIX sh script that
 * runs ecflow-ts (`cli`: a path, or `jsr:@ecflow-ts/client/cli`) with
 * {@linkcode WRAPPER_RUN_FLAGS} and {@linkcode WRAPPER_PERMISSIONS}, and returns as soon as
 * ecflow-ts has finished: ecflow-ts writes its exit status to a FIFO after its last output
 * (lib/cli/done.ts), so the job goes on without waiting for Deno to tear its process down.
 * When the FIFO cannot be made, it simply execs ecflow-ts; when ecflow-ts ends without
 * writing the status, the status is the process's own. A signal that ends the wrapper ends
 * ecflow-ts too (as a background process it would ignore SIGINT).
 */
export function wrapperScript(cli: string, deno = "deno"): string {
  const q = (s: string) => /^[\w=,./:@-]+$/.test(s) ? s : `'${s.replaceAll("'", `'\\''`)}'`;
  const run = [deno, "run", ...WRAPPER_RUN_FLAGS, ...WRAPPER_PERMISSIONS].map(q).join(" ");
  return [
    "#!/bin/sh",
    "# ecflow_client for job scripts: ecflow-ts, returning as soon as it has finished",
    'f="${TMPDIR:-/tmp}/ecflow-ts.$$.done"',
    `mkfifo -m 600 "$f" 2>/dev/null || exec ${run} ${q(cli)} "$@"`,
    `ECF_TS_DONE_FIFO="$f" ${run} --allow-read="$f" --allow-write="$f" \\`,
    `  ${q(cli)} "$@" 3>"$f" &`,
    "trap 'kill -TERM $! 2>/dev/null; rm -f \"$f\"; exit 143' HUP INT TERM",
    'read -r s < "$f" && exit "$s"',
    "wait $!; s=$?",
    'rm -f "$f"',
    'exit "$s"',
    "",
  ].join("\n");
}

/** The targets users need (linux x86_64/aarch64, macOS x86_64/arm64, Windows x86_64). */
export const TARGETS = [
  "x86_64-unknown-linux-gnu",
  "aarch64-unknown-linux-gnu",
  "x86_64-apple-darwin",
  "aarch64-apple-darwin",
  "x86_64-pc-windows-msvc",
] as const;

/**
 * Permissions baked into the binary: network and environment, the identity (uid and host name,
 * /etc/passwd), plus reading the TLS certificate folder ecFlow uses (`$HOME/.ecflowrc/ssl`),
 * resolved when the binary is built for the machine it is built on.
 */
export function permissionFlags(home = Deno.env.get("HOME")): string[] {
  const read = ["/etc/passwd", ...(home ? [`${home}/.ecflowrc/ssl`] : [])];
  return [
    "--allow-net",
    "--allow-env",
    "--allow-sys=hostname,uid",
    `--allow-read=${read.join(",")}`,
  ];
}

/** The `deno compile` arguments for one target. */
export function compileArgs(target: string | undefined, output: string): string[] {
  return [
    "compile",
    "--no-lock",
    "--no-config",
    "--v8-flags=--single-threaded",
    ...permissionFlags(),
    ...(target ? [`--target=${target}`] : []),
    `--output=${output}`,
    new URL("../cli.ts", import.meta.url).pathname,
  ];
}

/**
 * The `deno bundle` arguments that build the CLI as minified JavaScript in `outDir` (entry
 * `cli.js`), one chunk per command group as the sources load them: `deno run` of it skips
 * reading and analysing the ~50 TypeScript modules and parses less (bench/startup.ts
 * measures the difference).
 */
export function bundleArgs(outDir: string): string[] {
  return [
    "bundle",
    "--no-lock",
    "--no-config",
    "--quiet",
    "--platform=deno",
    "--code-splitting",
    "--minify",
    "--keep-names",
    `--outdir=${outDir}`,
    new URL("../cli.ts", import.meta.url).pathname,
  ];
}

/** Runs deno with `args`, killed after `ms`; the output, colours stripped from stderr. */
async function runDeno(args: string[], ms = 120_000) {
  const child = new Deno.Command(Deno.execPath(), { args, stdout: "piped", stderr: "piped" })
    .spawn();
  const timer = setTimeout(() => child.kill("SIGKILL"), ms);
  const out = await child.output();
  clearTimeout(timer);
  // deno prints colours even into a pipe unless told not to; strip them
  const text = new TextDecoder().decode(out.stderr);
  // deno-lint-ignore no-control-regex
  return { success: out.success, stderr: text.replace(/\x1b\[[0-9;]*m/g, "") };
}

async function main(): Promise<number> {
  const args = parseArgs(Deno.args, {
    string: ["target", "out-dir"],
    boolean: ["dry-run", "bundle"],
  });
  const outDir = args["out-dir"] ?? "dist";
  if (args.bundle) {
    const cmdArgs = bundleArgs(`${outDir}/bundle`);
    if (args["dry-run"]) {
      console.log(["deno", ...cmdArgs].join(" "));
      return 0;
    }
    const out = await runDeno(cmdArgs);
    if (!out.success) {
      const firstError = out.stderr.split("\n").find((l) => l.startsWith("error:"))?.trim() ?? "";
      console.error(`ecflow-ts compile: deno bundle failed: ${firstError}`);
      return 1;
    }
    console.log(`built ${outDir}/bundle/cli.js`);
    return 0;
  }
  const targets: (string | undefined)[] = args.target === "all"
    ? [...TARGETS]
    : args.target
    ? [args.target]
    : [undefined];
  for (const t of targets) {
    if (t && !(TARGETS as readonly string[]).includes(t)) {
      console.error(
        `ecflow-ts compile: unknown target '${t}' (one of: all, ${TARGETS.join(", ")})`,
      );
      return 1;
    }
    const output = `${outDir}/ecflow-ts${t ? `-${t}` : ""}`;
    const cmdArgs = compileArgs(t, output);
    if (args["dry-run"]) {
      console.log(["deno", ...cmdArgs].join(" "));
      continue;
    }
    const denort = Deno.env.get("DENORT_BIN");
    if (denort && t) {
      console.error("ecflow-ts compile: DENORT_BIN serves the host target only; drop --target");
      return 1;
    }
    const out = await runDeno(cmdArgs);
    if (!out.success) {
      const text = out.stderr;
      const url = /https?:\/\/\S*denort\S*\.zip/.exec(text)?.[0];
      const firstError = text.split("\n").find((l) => l.startsWith("error:"))?.trim() ?? "";
      console.error(
        url
          ? `ecflow-ts compile: deno compile needs Deno's 'denort' runtime for ${
            t ?? "this machine"
          } and could not download it from ${url.replace(/\)?:?$/, "")}; run this on a ` +
            "machine that reaches it, or set DENORT_BIN=<a denort of the same Deno version>"
          : `ecflow-ts compile: deno compile failed for ${t ?? "this machine"}: ${firstError}`,
      );
      return 1;
    }
    console.log(`built ${output}`);
  }
  return 0;
}

if (import.meta.main) Deno.exit(await main());
