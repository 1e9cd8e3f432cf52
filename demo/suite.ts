/**
 * A small but complete suite whose jobs talk to the server only through the
 * ecflow-ts CLI (`deno run` with scoped permissions): families, triggers,
 * events, meters, labels, a limit, a queue, a `--wait`, and a task that
 * aborts on its first try and is retried (ECF_TRIES). Used by the demo
 * (`deno task demo`) and by the end-to-end test.
 *
 * Everything lives in one directory, named on the suite as ECF_HOME,
 * ECF_FILES and ECF_INCLUDE, so it also works on an existing local server.
 *
 * @module
 */

/** How to build the suite. */
export interface DemoSuiteOptions {
  /** Suite name. */
  name: string;
  /** Directory for scripts, includes, job files and job output. */
  dir: string;
  /** Server host as jobs reach it. */
  host: string;
  /** Server port. */
  port: number;
  /** Shell words that run the ecflow-ts CLI (see {@linkcode ecflowTsCommand}). */
  ecflowTs: string;
  /** Seconds each work step of a job sleeps (default 0.3). */
  stepSeconds?: number;
  /** Milliseconds between a job's retries when the server is busy or halted (default 10000, as ecflow_client). */
  retryMs?: number;
  /** Extra variables every job exports (e.g. `DENO_DIR`, so jobs find cached modules). */
  jobEnv?: Record<string, string>;
}

/**
 * The command line a job uses to run the ecflow-ts CLI: only the server's
 * address for the network and only `ECF_*`/`NO_ECF` variables.
 */
export function ecflowTsCommand(host: string, port: number, denoPath = Deno.execPath()): string {
  const cli = new URL("../cli.ts", import.meta.url).pathname;
  return [
    denoPath,
    "run",
    "--quiet",
    "--no-lock",
    "--no-prompt",
    `--allow-net=${host}:${port}`,
    "--allow-env=ECF_*,NO_ECF",
    cli,
  ].join(" ");
}

/** The suite definition text. */
export function demoSuiteDefinition(o: DemoSuiteOptions): string {
  return `suite ${o.name}
  edit ECF_HOME '${o.dir}'
  edit ECF_FILES '${o.dir}'
  edit ECF_INCLUDE '${o.dir}/include'
  edit ECF_JOB_CMD 'bash %ECF_JOB% 1> %ECF_JOBOUT% 2>&1 &'
  edit ECF_KILL_CMD 'kill -15 %ECF_RID%'
  edit ECF_TRIES '2'
  edit ECFTS '${o.ecflowTs}'
  edit TS_HOST '${o.host}'
  edit TS_RETRY_MS '${o.retryMs ?? 10000}'
  edit STEP '${o.stepSeconds ?? 0.3}'
  limit workers 1
  family prep
    task setup
      event ready
      meter progress 0 3 3
      label info ""
    task flaky
      trigger setup == complete
      label try ""
  endfamily
  family work
    trigger prep == complete
    inlimit workers
    task a
      meter progress 0 5 5
      label info ""
    task b
      trigger a == complete
      event done
    task c
      label info ""
  endfamily
  family sync
    task waiter
      label info ""
  endfamily
  family q
    trigger prep/setup:ready
    queue steps 001 002 003 004
    task consumer
      meter done 0 4 4
      label last ""
  endfamily
  task last
    trigger work == complete and q == complete and sync == complete and prep/setup:ready
    label summary ""
endsuite
`;
}

const HEAD = (exports: string) =>
  `#!/bin/bash
set -e
set -u
export ECF_HOST=%TS_HOST%
export ECF_PORT=%ECF_PORT%
export ECF_NAME=%ECF_NAME%
export ECF_PASS=%ECF_PASS%
export ECF_TRYNO=%ECF_TRYNO%
export ECF_RID=$$
export ECF_TS_CHILD_RETRY_MS=%TS_RETRY_MS%
export ECF_TS_CHILD_NEXT_HOST_MS=%TS_RETRY_MS%
${exports}ECFTS="%ECFTS%"
ERROR() { set +e; $ECFTS --abort="trapped error"; trap 0; exit 0; }
trap ERROR 0
trap 'ERROR' 1 2 3 15
$ECFTS --init=$$
`;

const TAIL = `$ECFTS --complete
trap 0
exit 0
`;

/** The job scripts, by path under the directory (without the suite name). */
export const DEMO_SCRIPTS: Record<string, string> = {
  "prep/setup": `for i in 1 2 3; do
  $ECFTS --meter=progress $i
  $ECFTS --label=info "setting up: step $i of 3"
  sleep %STEP%
done
$ECFTS --event=ready
`,
  "prep/flaky": `$ECFTS --label=try "try %ECF_TRYNO%"
if [ %ECF_TRYNO% -lt 2 ]; then
  echo "failing on purpose on try %ECF_TRYNO%"
  false
fi
`,
  "work/a": `for i in 1 2 3 4 5; do
  $ECFTS --meter=progress $i
  $ECFTS --label=info "step $i of 5"
  sleep %STEP%
done
`,
  "work/b": `$ECFTS --event=done
`,
  "work/c": `$ECFTS --label=info "c ran alone (limit workers 1)"
`,
  "sync/waiter": `$ECFTS --label=info "waiting for work/a"
$ECFTS --wait="/%SUITE%/work/a == complete"
$ECFTS --label=info "work/a is complete"
`,
  "q/consumer": `n=0
while true; do
  step=$($ECFTS --queue=steps active)
  # while the server is halted the client prints that it waits (on stdout, as ecflow_client
  # does) before the step: keep the last line
  step=\${step##*$'\\n'}
  if [ "$step" = "<NULL>" ]; then break; fi
  n=$((n + 1))
  $ECFTS --meter=done $n
  $ECFTS --label=last "$step"
  $ECFTS --queue=steps complete $step
done
`,
  "last": `$ECFTS --label=summary "all done"
`,
};

/** Writes includes and scripts under `o.dir`; returns the definition text. */
export async function writeDemoSuite(o: DemoSuiteOptions): Promise<string> {
  await Deno.mkdir(`${o.dir}/include`, { recursive: true });
  const quote = (v: string) => `'${v.replaceAll("'", `'\\''`)}'`;
  const exports = Object.entries(o.jobEnv ?? {})
    .map(([k, v]) => `export ${k}=${quote(v)}\n`).join("");
  await Deno.writeTextFile(`${o.dir}/include/head.h`, HEAD(exports));
  await Deno.writeTextFile(`${o.dir}/include/tail.h`, TAIL);
  for (const [path, body] of Object.entries(DEMO_SCRIPTS)) {
    const file = `${o.dir}/${o.name}/${path}.ecf`;
    await Deno.mkdir(file.slice(0, file.lastIndexOf("/")), { recursive: true });
    await Deno.writeTextFile(file, `%include <head.h>\n${body}%include <tail.h>\n`);
  }
  return demoSuiteDefinition(o);
}

/** What every attribute must show once the suite completed. */
export function expectedFinalValues(name: string): { path: string; kind: string; value: string }[] {
  const s = `/${name}`;
  return [
    { path: `${s}`, kind: "state", value: "complete" },
    { path: `${s}/prep/setup:ready`, kind: "event", value: "set" },
    { path: `${s}/prep/setup:progress`, kind: "meter", value: "3" },
    { path: `${s}/prep/setup:info`, kind: "label", value: "setting up: step 3 of 3" },
    { path: `${s}/prep/flaky:try`, kind: "label", value: "try 2" },
    { path: `${s}/work/a:progress`, kind: "meter", value: "5" },
    { path: `${s}/work/a:info`, kind: "label", value: "step 5 of 5" },
    { path: `${s}/work/b:done`, kind: "event", value: "set" },
    { path: `${s}/work/c:info`, kind: "label", value: "c ran alone (limit workers 1)" },
    { path: `${s}/sync/waiter:info`, kind: "label", value: "work/a is complete" },
    { path: `${s}/q/consumer:done`, kind: "meter", value: "4" },
    { path: `${s}/q/consumer:last`, kind: "label", value: "004" },
    { path: `${s}/last:summary`, kind: "label", value: "all done" },
  ];
}
