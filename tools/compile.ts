// `deno task compile`: builds the single-binary `ecflow-ts` with its permissions baked in,
// for the targets users need. deno compile needs Deno's `denort` runtime for each target
// (downloaded from Deno's servers, or given with DENORT_BIN for the host target); when it
// cannot be had, this says so in one line and exits 1 instead of hanging.
//
//   deno task compile                      # host target -> dist/ecflow-ts
//   deno task compile --target=all         # every target in TARGETS -> dist/ecflow-ts-<target>
//   deno task compile --dry-run            # print the deno compile command lines only
import { parseArgs } from "../lib/deps.ts";

/**
 * The `deno run` flags of the README's drop-in wrapper, besides the permissions: no download
 * chatter, never a prompt, and V8 tuned for a process that sends one request and exits.
 */
export const WRAPPER_RUN_FLAGS: readonly string[] = [
  "--quiet",
  "--no-prompt",
  "--v8-flags=--single-threaded",
];

/** The targets users need (linux x86_64/aarch64, macOS x86_64/arm64, Windows x86_64). */
export const TARGETS = [
  "x86_64-unknown-linux-gnu",
  "aarch64-unknown-linux-gnu",
  "x86_64-apple-darwin",
  "aarch64-apple-darwin",
  "x86_64-pc-windows-msvc",
] as const;

/**
 * Permissions baked into the binary: network and environment, plus reading the TLS
 * certificate folder ecFlow uses (`$HOME/.ecflowrc/ssl`, or `ECF_SSL_DIR`), resolved when the
 * binary is built for the machine it is built on; pass --allow-read=<dir> yourself otherwise.
 */
export function permissionFlags(home = Deno.env.get("HOME")): string[] {
  const flags = ["--allow-net", "--allow-env"];
  if (home) flags.push(`--allow-read=${home}/.ecflowrc/ssl`);
  return flags;
}

/** The `deno compile` arguments for one target. */
export function compileArgs(target: string | undefined, output: string): string[] {
  return [
    "compile",
    "--no-lock",
    ...permissionFlags(),
    ...(target ? [`--target=${target}`] : []),
    `--output=${output}`,
    new URL("../cli.ts", import.meta.url).pathname,
  ];
}

async function main(): Promise<number> {
  const args = parseArgs(Deno.args, { string: ["target", "out-dir"], boolean: ["dry-run"] });
  const outDir = args["out-dir"] ?? "dist";
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
    const child = new Deno.Command(Deno.execPath(), {
      args: cmdArgs,
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
    const out = await child.output();
    clearTimeout(timer);
    if (!out.success) {
      // deno prints colours even into a pipe unless told not to; strip them
      // deno-lint-ignore no-control-regex
      const text = new TextDecoder().decode(out.stderr).replace(/\x1b\[[0-9;]*m/g, "");
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
