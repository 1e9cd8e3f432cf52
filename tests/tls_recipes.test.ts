// TLS with the certificates ecFlow sites have, against real servers of both
// generations (Debian's 5.9.2 and 5.17) started with ECF_SSL, each compared
// with that generation's ecflow_client: every recipe ecflow_client accepts is
// accepted (pinned, or verified when a CA of the file issued it); an expired
// certificate or another server's certificate is refused before any request
// byte, which a relay counting the client's TLS records shows.
import { assert, assertEquals, assertMatch, assertRejects, assertStringIncludes } from "./deps.ts";
import {
  ecflowClient,
  ecflowTs,
  type Generation,
  GENERATIONS,
  type RunResult,
} from "./harness/server.ts";
import {
  ACCEPTED_KINDS,
  type CertKind,
  commandSequence,
  type CountingRelay,
  makeCertificate,
  makeSslDir,
  opensslFingerprint,
  runSequence,
  SEQUENCE_DEFS,
  spawnServer,
  startCountingRelay,
  testClient,
} from "./transport_harness.ts";
import { CertificateMismatchError, TlsSetupError } from "../mod.ts";

/** Which file the client trusts: the server's own (`same`), or only its CA. */
type ClientFile = "same" | "ca-only";

/** A TLS server of a generation whose server.crt is of `kind`, and a client HOME to match. */
async function tlsServer(generation: Generation, kind: CertKind, clientFile: ClientFile = "same") {
  const serverHome = await Deno.makeTempDir({ prefix: "ecflow-ts-tls-server." });
  const home = await Deno.makeTempDir({ prefix: "ecflow-ts-tls-client." });
  const cleanup = async () => {
    for (const d of [serverHome, home]) await Deno.remove(d, { recursive: true });
  };
  try {
    const serverSsl = await makeSslDir(serverHome, "server", kind);
    const sslDir = `${home}/.ecflowrc/ssl`;
    await Deno.mkdir(sslDir, { recursive: true });
    const source = clientFile === "ca-only" ? "server.ca.crt" : "server.crt";
    await Deno.copyFile(`${serverSsl}/${source}`, `${sslDir}/server.crt`);
    const server = await spawnServer({
      generation,
      env: () => ({ HOME: serverHome, ECF_SSL: "1" }),
      client: (port) => testClient(port, { ssl: true, certDir: serverSsl }),
      // ecflow_client (OpenSSL) tells when it is up, whatever ecflow-ts makes of it.
      // ecflow-ts refuses an expired certificate: a listening port is enough then.
      probe: kind === "expired" ? listening : undefined,
    });
    return {
      ...server,
      home,
      sslDir,
      serverHome,
      serverSsl,
      async [Symbol.asyncDispose]() {
        await server.stop();
        await cleanup();
      },
    };
  } catch (e) {
    await cleanup();
    throw e;
  }
}

/** A probe that only checks the server listens. */
async function listening(port: number): Promise<void> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  conn.close();
}

/** Exactly the permissions docs/transports.md gives for TLS. */
function tlsPermissions(port: number, sslDir: string): string[] {
  return [
    `--allow-net=127.0.0.1:${port}`,
    "--allow-env=HOME,ECF_SSL,ECF_SSL_DIR,ECF_HOST,ECF_PORT,USER,LOGNAME",
    `--allow-read=${sslDir}`,
  ];
}

const normPing = (s: string) => s.replace(/\d{2}:\d{2}:\d{2}\.\d{6} {2}~\d+/, "T");

/** The same command through the reference client and ecflow-ts; returns both. */
async function both(
  generation: Generation,
  args: string[],
  home: string,
  perms: string[],
): Promise<{ ref: RunResult; ours: RunResult }> {
  const ref = await ecflowClient(args, { HOME: home }, generation);
  const ours = await ecflowTs(args, { HOME: home }, perms);
  return { ref, ours };
}

/**
 * The records long enough to hold a request that clients sent through the relay.
 * In TLS 1.3 every encrypted record is of type 23 (application data), the
 * client's Finished (53 or 69 bytes) and an alert it sends on refusing the server
 * (19 bytes) included; a request is at least its 8-byte header and a JSON
 * document of some 200 bytes (a ping).
 */
const requestRecords = (relay: CountingRelay) =>
  relay.clientRecords().filter((r) => r.type === 23 && r.length > 69);

for (const generation of GENERATIONS) {
  Deno.test(`TLS ${generation}: every certificate recipe ecflow_client accepts, ecflow-ts accepts`, async () => {
    const cases: [CertKind, ClientFile][] = [
      ...ACCEPTED_KINDS.map((k): [CertKind, ClientFile] => [k, "same"]),
      ["private-ca", "ca-only"],
    ];
    for (const [kind, clientFile] of cases) {
      const label = `${kind} (${clientFile} file)`;
      await using server = await tlsServer(generation, kind, clientFile);
      const perms = tlsPermissions(server.port, server.sslDir);
      for (const command of ["--ping", "--server_version", "--suites"]) {
        const args = ["--host=127.0.0.1", `--port=${server.port}`, "--ssl", command];
        const { ref, ours } = await both(generation, args, server.home, perms);
        assertEquals(ref.code, 0, `ecflow_client ${generation} accepts ${label}: ${ref.stderr}`);
        assertEquals(ours.code, 0, `ecflow-ts ${label} ${command}: ${ours.stderr}`);
        const want = command === "--ping" ? ref.stdout.replace(/\n$/, " (tls)\n") : ref.stdout;
        assertEquals(normPing(ours.stdout), normPing(want), `${label} ${command}`);
        assertEquals(ours.stderr, "");
      }
      // The library, on the same file.
      const lib = testClient(server.port, { ssl: true, certDir: server.sslDir });
      assertEquals(await lib.serverVersion(), generation === "5.9" ? "5.9.2" : "5.17.0");
      assert(await server.alive());
    }
  });

  Deno.test(`TLS ${generation}: an expired certificate is refused by both clients, before any request byte`, async () => {
    await using server = await tlsServer(generation, "expired");
    await using relay = startCountingRelay(server.port);
    const args = ["--host=127.0.0.1", `--port=${relay.port}`, "--ssl", "--ping"];
    const { ref, ours } = await both(
      generation,
      args,
      server.home,
      tlsPermissions(relay.port, server.sslDir),
    );
    assertEquals(ref.code, 1, "ecflow_client refuses an expired certificate");
    assertEquals(ours.code, 1);
    assertEquals(
      ours.stderr,
      `ecflow-ts: 127.0.0.1:${relay.port}: the server's certificate (the one in ` +
        `${server.sslDir}/server.crt) expired on 2020-02-01T00:00:00Z; ecflow_client refuses ` +
        "it too: make a new one on the server and copy it there\n",
    );
    // ecflow_client's connection and ours: neither sent a request; ours sent nothing
    // but its ClientHello.
    assertEquals(requestRecords(relay), []);
    assertEquals(relay.connections()[1].map((r) => r.type), [22]);
  });

  Deno.test(`TLS ${generation}: a server presenting another certificate is refused before any request byte`, async () => {
    for (const kind of ["v1", "private-ca"] as const) {
      await using server = await tlsServer(generation, kind);
      // The client's file: a certificate of the same recipe, from another key.
      await makeCertificate(server.sslDir, "other", kind);
      const wrong = `${server.sslDir}/other.crt`;
      await Deno.copyFile(wrong, `${server.sslDir}/server.crt`);
      await using relay = startCountingRelay(server.port);
      const args = ["--host=127.0.0.1", `--port=${relay.port}`, "--ssl", "--ping"];
      const perms = tlsPermissions(relay.port, server.sslDir);
      const ours = await ecflowTs(args, { HOME: server.home }, perms);
      assertEquals(ours.code, 1);
      const presented = await opensslFingerprint(`${server.serverSsl}/server.crt`);
      const expected = kind === "v1" ? [await opensslFingerprint(wrong)] : await Promise.all(
        [`${server.sslDir}/other.leaf.crt`, `${server.sslDir}/other.ca.crt`].map(
          opensslFingerprint,
        ),
      );
      assertEquals(
        ours.stderr,
        `ecflow-ts: 127.0.0.1:${relay.port}: the server presented the certificate SHA256 ` +
          `${presented}, not the one in ${server.sslDir}/server.crt (SHA256 ${
            expected.join(", SHA256 ")
          })${kind === "v1" ? "" : " nor one issued by a CA it holds"}; copy the server's ` +
          "current certificate there, or find out what else answers on that port\n",
      );
      assertEquals(requestRecords(relay), [], `${kind}: ecflow-ts wrote no request`);
      if (kind === "v1") {
        // Pinned: nothing but the ClientHello left ecflow-ts.
        assertEquals(relay.connections().map((c) => c.map((r) => r.type)), [[22]]);
      }
      assert(relay.clientBytes() > 0, "the relay saw the handshake");

      // The library: the typed error, and still nothing written.
      const lib = testClient(relay.port, { ssl: true, certDir: server.sslDir });
      const e = await assertRejects(() => lib.ping(), CertificateMismatchError);
      assert(e instanceof TlsSetupError);
      assertEquals([e.presented, e.expected, e.file], [
        presented,
        expected,
        `${server.sslDir}/server.crt`,
      ]);
      assertEquals(requestRecords(relay), []);

      // Control: ecflow_client refuses too; with the right file both clients write
      // their request through the same relay.
      const ref = await ecflowClient(args, { HOME: server.home }, generation);
      assertEquals(ref.code, 1, `ecflow_client refuses the ${kind} server too`);
      await Deno.copyFile(`${server.serverSsl}/server.crt`, `${server.sslDir}/server.crt`);
      const ok = await ecflowTs(args, { HOME: server.home }, perms);
      assertEquals(ok.code, 0, ok.stderr);
      assert(requestRecords(relay).length > 0, "the request went through the relay");
    }
  });

  Deno.test(`TLS ${generation}: user and child commands over a pinned X.509 v1 certificate give ecflow_client's results`, async () => {
    // Twin servers with the same certificate: one for ecflow_client, one for ecflow-ts
    // (a task path reused on one server would look like a zombie).
    await using ref = await tlsServer(generation, "v1");
    await using twin = await spawnServer({
      generation,
      env: () => ({ HOME: ref.serverHome, ECF_SSL: "1" }),
      client: (port) => testClient(port, { ssl: true, certDir: ref.serverSsl }),
    });
    const defs = `${ref.home}/s.def`;
    await Deno.writeTextFile(defs, SEQUENCE_DEFS);
    const steps = commandSequence(defs);
    const env = (port: number) => ({
      HOME: ref.home,
      ECF_HOST: "127.0.0.1",
      ECF_PORT: String(port),
    });
    const refs = await runSequence(
      (args, e) => ecflowClient(args, e, generation),
      steps,
      ["--ssl"],
      env(ref.port),
    );
    const ours = await runSequence(
      (args, e) =>
        ecflowTs(args, e, ["--allow-net=127.0.0.1", "--allow-env", `--allow-read=${ref.home}`]),
      steps,
      ["--ssl"],
      env(twin.port),
    );
    // ecflow-ts heads a printed definition with 5.9.2's version line, ecflow_client 5.17
    // with its own: the one difference that is not the transport's.
    const version = (r: RunResult) => ({
      ...r,
      stdout: r.stdout.replace(/^#5\.\d+\.\d+\n/, "#V\n"),
    });
    steps.forEach((step, i) => {
      const label = step.args.join(" ");
      assertEquals(refs[i].code, 0, `ecflow_client ${label}: ${refs[i].stderr}`);
      assertEquals(version(ours[i]), version(refs[i]), label);
    });
    assertStringIncludes(refs[8].stdout, "hello world");
    assert(await ref.alive());
    assert(await twin.alive());
  });
}

Deno.test("TLS: the pinned route names what to do when the peer is a plain ecFlow server", async () => {
  await using server = await tlsServer("5.9", "v1");
  await using plain = await spawnServer({ client: (port) => testClient(port) });
  const r = await ecflowTs(
    ["--host=127.0.0.1", `--port=${plain.port}`, "--ssl", "--ping"],
    { HOME: server.home },
    tlsPermissions(plain.port, server.sslDir),
  );
  assertEquals(r.code, 1);
  assertMatch(
    r.stderr,
    /^ecflow-ts: 127\.0\.0\.1:\d+: TLS handshake failed \(.*\); is the server started with ECF_SSL\?\n$/,
  );
  assert(await plain.alive());
});
