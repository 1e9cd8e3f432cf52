// Endless and huge files. `--load=/dev/zero` or `ECF_PASSWD=/dev/zero` never ends for
// ecflow_client; ecflow-ts reads only regular files (a FIFO is never even opened: it would wait
// for a writer), and never more than a limit, each refusal one line naming the file (and the
// limit). A directory as ECF_PASSWD is ignored, as ecflow_client ignores it (against real
// 5.9.2 and 5.17 servers). Big password files are read in linear time (a duplicate check that
// scanned every earlier entry took 42 s for 100,000 lines); see bench/passwd_file.ts.
import { assert, assertEquals, assertStringIncludes, assertThrows } from "./deps.ts";
import {
  ecflowClient,
  ecflowTs,
  GENERATIONS,
  type RunResult,
  startServer,
} from "./harness/server.ts";
import { ConfigError } from "../lib/errors.ts";
import { readRegularFileSync } from "../lib/files.ts";
import { readOptionalTextFile } from "../lib/auth/read.ts";
import { parsePasswdFile } from "../lib/auth/passwd_file.ts";

const PERMISSIONS = ["--allow-net", "--allow-env", "--allow-read"];

/** A listener that counts connections and closes each at once. */
function countingListener() {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const state = { accepted: 0 };
  const done = (async () => {
    try {
      for await (const conn of listener) {
        state.accepted++;
        conn.close();
      }
    } catch { /* closed */ }
  })();
  return {
    port: (listener.addr as Deno.NetAddr).port,
    get accepted() {
      return state.accepted;
    },
    async [Symbol.asyncDispose]() {
      listener.close();
      await done;
    },
  };
}

function assertOneLineError(r: RunResult, what: string, context: string): void {
  assertEquals(r.code, 1, `${context}: ${r.stderr}`);
  assertEquals(r.stdout, "", context);
  const lines = r.stderr.trimEnd().split("\n");
  assertEquals(lines.length, 1, `${context}: ${r.stderr}`);
  assertStringIncludes(lines[0], what, context);
}

async function withFiles(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "ecflow-ts-files." });
  try {
    await new Deno.Command("mkfifo", { args: [`${dir}/fifo`] }).output();
    assert(Deno.statSync(`${dir}/fifo`).isFifo, "mkfifo made a FIFO");
    // 300 MiB that take no disk: larger than any file ecflow-ts reads
    using big = await Deno.open(`${dir}/huge.def`, { write: true, create: true });
    await big.truncate(300 * 1024 * 1024);
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("files: --load of /dev/zero, a FIFO, a directory or a 300 MiB file is refused in one line naming it, nothing sent", async (t) => {
  await withFiles(async (dir) => {
    await using listener = countingListener();
    const env = { ECF_HOST: "127.0.0.1", ECF_PORT: String(listener.port) };
    const cases: [string, string][] = [
      ["/dev/zero", "'/dev/zero': it is a character device, not a regular file"],
      [`${dir}/fifo`, "it is a FIFO, not a regular file"],
      [dir, "it is a directory, not a regular file"],
      [`${dir}/huge.def`, "it is larger than 256 MiB, the most ecflow-ts reads"],
    ];
    for (const [file, message] of cases) {
      for (const extra of [[], ["check_only"]]) {
        await t.step(`--load=${file} ${extra.join(" ")}`, async () => {
          const r = await ecflowTs([`--load=${file}`, ...extra], env, PERMISSIONS);
          assertOneLineError(r, message, file);
          assertStringIncludes(r.stderr, file);
        });
      }
    }
    await t.step("--replace and --edit_script read the same way", async () => {
      const r1 = await ecflowTs(["--replace=/s", "/dev/zero"], env, PERMISSIONS);
      assertOneLineError(r1, "character device", "replace");
      const r2 = await ecflowTs(
        ["--edit_script=/s/t", "submit_file", `${dir}/fifo`],
        env,
        PERMISSIONS,
      );
      assertOneLineError(r2, "FIFO", "edit_script");
    });
    assertEquals(listener.accepted, 0);
  });
});

Deno.test("files: ECF_PASSWD or ECF_CUSTOM_PASSWD on /dev/zero, a FIFO or a huge file is refused in one line, nothing sent", async (t) => {
  await withFiles(async (dir) => {
    await using listener = countingListener();
    const base = { ECF_HOST: "127.0.0.1", ECF_PORT: String(listener.port) };
    for (const file of ["/dev/zero", `${dir}/fifo`, `${dir}/huge.def`]) {
      await t.step(`ECF_PASSWD=${file}`, async () => {
        const r = await ecflowTs(["--ping"], { ...base, ECF_PASSWD: file }, PERMISSIONS);
        assertOneLineError(r, `ECF_PASSWD file '${file}'`, file);
      });
      await t.step(`ECF_CUSTOM_PASSWD=${file}`, async () => {
        const env = { ...base, ECF_USER: "op", ECF_CUSTOM_PASSWD: file };
        const r = await ecflowTs(["--ping"], env, PERMISSIONS);
        assertOneLineError(r, `ECF_CUSTOM_PASSWD file '${file}'`, file);
      });
    }
    assertEquals(listener.accepted, 0);
  });
});

for (const generation of GENERATIONS) {
  Deno.test(`files ${generation}: a directory as ECF_PASSWD is ignored, as ecflow_client ignores it`, async () => {
    const dir = await Deno.makeTempDir({ prefix: "ecflow-ts-files." });
    try {
      await using server = await startServer({ generation });
      const env = { ECF_HOST: "127.0.0.1", ECF_PORT: String(server.port), ECF_PASSWD: dir };
      const ref = await ecflowClient(["--ping"], env, generation);
      const ours = await ecflowTs(["--ping"], env, PERMISSIONS);
      assertEquals([ref.code, ours.code], [0, 0], ref.stderr + ours.stderr);
      assertStringIncludes(ours.stdout, "succeeded");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}

Deno.test("files: the limit is exact and names the file; a directory reads as absent for configuration files", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ecflow-ts-files." });
  try {
    await Deno.writeTextFile(`${dir}/a`, "x".repeat(1000));
    assertEquals(readRegularFileSync(`${dir}/a`, "test file", 1000).length, 1000);
    const e = assertThrows(() => readRegularFileSync(`${dir}/a`, "test file", 999), ConfigError);
    assertEquals(
      e.message,
      `cannot read test file '${dir}/a': it is larger than 999 bytes, the most ecflow-ts reads`,
    );
    assertEquals(readOptionalTextFile(dir, "ECF_PASSWD file"), undefined);
    assertEquals(readOptionalTextFile(`${dir}/none`, "ECF_PASSWD file"), undefined);
    assertThrows(() => readOptionalTextFile("/dev/zero", "token file"), ConfigError, "token file");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("files: a 100,000-line password file is read whole, and a duplicate on its last line is still found", () => {
  const lines = ["4.5.0"];
  for (let i = 0; i < 100_000; i++) lines.push(`user${i} localhost 3141 pw${i}`);
  assertEquals(parsePasswdFile(lines.join("\n"), "big").length, 100_000);
  lines.push("user0 localhost 3141 again");
  const e = assertThrows(() => parsePasswdFile(lines.join("\n"), "big"), ConfigError);
  assertEquals(
    e.message,
    "invalid password file big line 100002: user user0 can only appear once for host localhost port 3141",
  );
  // the same user for another host or port is no duplicate
  lines[lines.length - 1] = "user0 localhost 3142 again";
  assertEquals(parsePasswdFile(lines.join("\n"), "big").length, 100_001);
});
