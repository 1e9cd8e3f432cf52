// TLS against the real Debian ecflow_server 5.9.2 started with ECF_SSL and
// certificates made here with openssl: transport selection, certificate lookup,
// permissions, deadlines and faults, differential with ecflow_client where both
// can talk to the server. Every certificate recipe on both server generations:
// tls_recipes.test.ts; the pinned handshake itself: tls_pinning.test.ts.
import {
  assert,
  assertEquals,
  assertMatch,
  assertRejects,
  assertStringIncludes,
  assertThrows,
} from "./deps.ts";
import { ecflowClient, ecflowTs, type RunResult, startServer } from "./harness/server.ts";
import {
  type CertKind,
  CHILD_ENV,
  commandSequence,
  HOST_NAME,
  makeCertificate,
  makeSslDir,
  runSequence,
  SEQUENCE_DEFS,
  spawnServer,
  startCountingRelay,
  testClient,
} from "./transport_harness.ts";
import { certificateDir, findServerCertificate, TlsTransport } from "../lib/transport/mod.ts";
import { ConfigError, ConnectionError, envFrom, TimeoutError, TlsSetupError } from "../mod.ts";

/** A TLS server whose shared certificate (server.crt) is of the given kind. */
async function tlsServer(kind: CertKind = "san") {
  const home = await Deno.makeTempDir({ prefix: "ecflow-ts-tls-home." });
  const sslDir = await makeSslDir(home, "server", kind);
  const server = await spawnServer({
    env: () => ({ HOME: home, ECF_SSL: "1" }),
    client: (port) => testClient(port, { ssl: true, certDir: sslDir }),
  }).catch(async (e) => {
    await Deno.remove(home, { recursive: true });
    throw e;
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

/** Exactly the permissions docs/transports.md gives for TLS. */
function tlsPermissions(port: number, sslDir: string, host = "127.0.0.1"): string[] {
  return [
    `--allow-net=${host}:${port}`,
    "--allow-env=HOME,ECF_SSL,ECF_SSL_DIR,ECF_HOST,ECF_PORT,USER,LOGNAME",
    `--allow-read=${sslDir}`,
  ];
}

const normPing = (s: string) => s.replace(/\d{2}:\d{2}:\d{2}\.\d{6} {2}~\d+/, "T");

Deno.test("TLS: --ssl and ECF_SSL=1 reach a real TLS server as ecflow_client does", async () => {
  await using server = await tlsServer("san");
  const perms = tlsPermissions(server.port, server.sslDir);
  const base = ["--host=127.0.0.1", `--port=${server.port}`];
  for (
    const [extra, env] of [[["--ssl"], {}], [[], { ECF_SSL: "1" }], [[], { ECF_SSL: "" }]] as const
  ) {
    for (const command of ["--ping", "--server_version", "--suites"]) {
      const args = [...base, ...extra, command];
      const fullEnv = { HOME: server.home, ...env };
      const ref = await ecflowClient(args, fullEnv);
      const ours = await ecflowTs(args, fullEnv, perms);
      assertEquals(ref.code, 0, ref.stderr);
      assertEquals(ours.code, 0, ours.stderr);
      // the same line as ecflow_client, naming the transport after it
      const want = command === "--ping" ? ref.stdout.replace(/\n$/, " (tls)\n") : ref.stdout;
      assertEquals(normPing(ours.stdout), normPing(want), `${args} ${JSON.stringify(env)}`);
      assertEquals(ours.stderr, "");
    }
  }
  const json = await ecflowTs([...base, "--ssl", "--ping", "--json"], { HOME: server.home }, perms);
  assertEquals(JSON.parse(json.stdout).transport, "tls");
  assert(await server.alive());
});

Deno.test("TLS: ECF_SSL=<host>.<port> uses <host>.<port>.crt only, localhost meaning this host", async () => {
  const home = await Deno.makeTempDir({ prefix: "ecflow-ts-tls-home." });
  try {
    const sslDir = await makeSslDir(home, "specific", "san");
    await makeCertificate(sslDir, "server", "san"); // a different key: must be ignored
    const copy = (port: number) => {
      for (const ext of ["crt", "key"]) {
        Deno.copyFileSync(`${sslDir}/specific.${ext}`, `${sslDir}/${HOST_NAME}.${port}.${ext}`);
      }
      Deno.copyFileSync(`${sslDir}/dh2048.pem`, `${sslDir}/${HOST_NAME}.${port}.pem`);
    };
    await using server = await spawnServer({
      env: (port) => {
        copy(port);
        // 5.9.2 picks the <host>.<port> files before it reads --port: ECF_PORT must agree.
        return { HOME: home, ECF_SSL: `${HOST_NAME}.${port}`, ECF_PORT: String(port) };
      },
      client: (port) =>
        testClient(port, {
          host: "localhost",
          clientHost: HOST_NAME,
          env: (n) => n === "ECF_SSL" ? `${HOST_NAME}.${port}` : undefined,
          certDir: sslDir,
        }),
    });
    // ecflow_client 5.9.2 also names the file before it reads --port: use ECF_HOST/ECF_PORT.
    const where = { ECF_HOST: "localhost", ECF_PORT: String(server.port) };
    const env = { HOME: home, ECF_SSL: `${HOST_NAME}.${server.port}`, ...where };
    const args = ["--server_version"];
    const perms = [...tlsPermissions(server.port, sslDir, "localhost"), "--allow-sys=hostname"];
    const ref = await ecflowClient(args, env);
    const ours = await ecflowTs(args, env, perms);
    assertEquals(ref, { code: 0, stdout: "5.9.2\n", stderr: "" });
    assertEquals(ours, ref);
    // With ECF_SSL=1 the (wrong) server.crt is tried first: both clients refuse the server.
    const shared = { HOME: home, ECF_SSL: "1", ...where };
    const refShared = await ecflowClient(args, shared);
    const oursShared = await ecflowTs(args, shared, perms);
    assertEquals([refShared.code, oursShared.code], [1, 1]);
    assertStringIncludes(oursShared.stderr, `, not the one in ${sslDir}/server.crt`);
    assert(await server.alive());
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("TLS: user and child commands give ecflow_client's results over TLS", async () => {
  // Twin servers with the same certificate: one for ecflow_client, one for ecflow-ts
  // (a task path reused on one server would look like a zombie).
  await using ref = await tlsServer("san");
  await using twin = await spawnServer({
    env: () => ({ HOME: ref.home, ECF_SSL: "1" }),
    client: (port) => testClient(port, { ssl: true, certDir: ref.sslDir }),
  });
  const defs = `${ref.home}/s.def`;
  await Deno.writeTextFile(defs, SEQUENCE_DEFS);
  const steps = commandSequence(defs);
  const env = (port: number) => ({ HOME: ref.home, ECF_HOST: "127.0.0.1", ECF_PORT: String(port) });
  const refs = await runSequence(ecflowClient, steps, ["--ssl"], env(ref.port));
  const ours = await runSequence(
    (args, e) =>
      ecflowTs(args, e, ["--allow-net=127.0.0.1", "--allow-env", `--allow-read=${ref.home}`]),
    steps,
    ["--ssl"],
    env(twin.port),
  );
  steps.forEach((step, i) => {
    const label = step.args.join(" ");
    assertEquals(refs[i].code, 0, `ecflow_client ${label}: ${refs[i].stderr}`);
    assertEquals(ours[i], refs[i], label);
  });
  assertStringIncludes(refs[8].stdout, "hello world");
  assert(await ref.alive());
  assert(await twin.alive());
});

Deno.test("TLS: a refused certificate stops user and child commands at once, without retrying", async () => {
  await using server = await tlsServer("san");
  // The client's file: another certificate than the server's.
  const home = await Deno.makeTempDir({ prefix: "ecflow-ts-tls-other." });
  try {
    const sslDir = await makeSslDir(home, "server", "san");
    await using relay = startCountingRelay(server.port);
    const lib = testClient(relay.port, { ssl: true, certDir: sslDir });
    const e = await assertRejects(() => lib.ping(), TlsSetupError);
    assertEquals(e.reason, "tls");
    // A child command retries a server it cannot reach until ECF_TIMEOUT; a
    // certificate that is not the trusted one is not worth a second attempt.
    const child = await ecflowTs(["--label=lab", "x", "--ssl"], {
      HOME: home,
      ECF_HOST: "127.0.0.1",
      ECF_PORT: String(relay.port),
      ...CHILD_ENV,
    }, ["--allow-net=127.0.0.1", "--allow-env", `--allow-read=${sslDir}`]);
    assertEquals(child.code, 1);
    assertMatch(child.stderr, /the server presented the certificate SHA256 [0-9A-F:]{95}, not/);
    assertEquals(relay.connections().length, 2, "one connection each: no retry");
  } finally {
    await Deno.remove(home, { recursive: true });
  }
  assert(await server.alive());
});

Deno.test("TLS: mixing TLS and plain TCP fails at once with a clear message, both ways", async () => {
  await using tls = await tlsServer("san");
  await using plain = await startServer({ halted: true });
  const perms = (port: number) => tlsPermissions(port, tls.sslDir);
  const toPlain = ["--host=127.0.0.1", `--port=${plain.port}`, "--ssl", "--ping"];
  const ours1 = await ecflowTs(toPlain, { HOME: tls.home }, perms(plain.port));
  const ref1 = await ecflowClient(toPlain, { HOME: tls.home });
  assertEquals([ref1.code, ours1.code], [1, 1]);
  assertMatch(ours1.stderr, /TLS handshake failed .*ECF_SSL/);
  const toTls = ["--host=127.0.0.1", `--port=${tls.port}`, "--ping"];
  const ours2 = await ecflowTs(toTls, { HOME: tls.home }, perms(tls.port));
  const ref2 = await ecflowClient(toTls, { HOME: tls.home });
  assertEquals([ref2.code, ours2.code], [1, 1]);
  assertStringIncludes(ref2.stderr, "mixing ssl and non-ssl");
  assertStringIncludes(ours2.stderr, "--ssl");
  assert(await tls.alive());
  assert(await plain.alive());
});

Deno.test("TLS: a missing certificate or read permission is named before connecting", async () => {
  await using server = await tlsServer("san");
  const args = ["--host=127.0.0.1", `--port=${server.port}`, "--ssl", "--ping"];
  const empty = await Deno.makeTempDir({ prefix: "ecflow-ts-tls-empty." });
  try {
    const missing: RunResult = await ecflowTs(
      args,
      { HOME: empty },
      tlsPermissions(server.port, `${empty}/.ecflowrc/ssl`),
    );
    assertEquals(missing.code, 1);
    assertEquals(
      missing.stderr,
      `ecflow-ts: TLS: expected the server's self-signed certificate server.crt or ` +
        `127.0.0.1.${server.port}.crt in ${empty}/.ecflowrc/ssl/; copy it there from the ` +
        "server's ~/.ecflowrc/ssl\n",
    );
  } finally {
    await Deno.remove(empty, { recursive: true });
  }
  const noRead = await ecflowTs(
    args,
    { HOME: server.home },
    tlsPermissions(server.port, "/nonexistent"),
  );
  assertEquals(noRead.code, 1);
  assertEquals(
    noRead.stderr,
    `ecflow-ts: TLS: cannot read the certificate folder ${server.sslDir}/: run deno with ` +
      `--allow-read=${server.sslDir}\n`,
  );
});

Deno.test("TLS: the library's enableSsl/disableSsl and an explicit caCerts", async () => {
  await using server = await tlsServer("san");
  const client = testClient(server.port, { certDir: server.sslDir });
  assertEquals(client.transportKind, "tcp");
  await assertRejects(() => client.ping(), ConnectionError);
  client.enableSsl();
  assertEquals(client.transportKind, "tls");
  assertEquals(await client.serverVersion(), "5.9.2");
  const pem = await Deno.readTextFile(`${server.sslDir}/server.crt`);
  const pinned = testClient(server.port, { ssl: true, caCerts: [pem], certDir: "/nonexistent" });
  assertEquals(await pinned.serverVersion(), "5.9.2");
  const env = testClient(server.port, {
    env: (n) => n === "ECF_SSL" ? "1" : undefined,
    certDir: server.sslDir,
  });
  assertEquals(env.transportKind, "tls");
  env.disableSsl();
  assertEquals(env.transportKind, "tcp");
  assert(await server.alive());
});

Deno.test("TLS: a peer that accepts but never handshakes hits the connect deadline", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ecflow-ts-tls-silent." });
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const held: Deno.Conn[] = [];
  const accepting = (async () => {
    for await (const c of listener) held.push(c);
  })();
  try {
    await makeCertificate(dir, "any", "san");
    const pem = await Deno.readTextFile(`${dir}/any.crt`);
    const tls = new TlsTransport({ connectTimeoutMs: 300 }, { caCerts: [pem] });
    const target = { host: "127.0.0.1", port: listener.addr.port };
    const e = await assertRejects(() => tls.exchange(target, new Uint8Array(2)), TimeoutError);
    assertEquals(e.phase, "connect");
    assertEquals(e.message, `127.0.0.1:${listener.addr.port}: no connection within 0.3 s`);
    // Through the Client: one attempt, then the timeout that names the deadline.
    const client = testClient(listener.addr.port, {
      ssl: true,
      caCerts: [pem],
      connectTimeoutMs: 300,
    });
    const c = await assertRejects(() => client.ping(), TimeoutError);
    assertStringIncludes(c.message, "no connection within 0.3 s");
  } finally {
    listener.close();
    await accepting.catch(() => {});
    for (const c of held) c.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("TLS: certificate lookup follows ecFlow (server.crt first, <host>.<port>.crt, ECF_SSL_DIR)", async () => {
  const home = await Deno.makeTempDir({ prefix: "ecflow-ts-tls-lookup." });
  try {
    const dir = `${home}/.ecflowrc/ssl`;
    await Deno.mkdir(dir, { recursive: true });
    await Deno.writeTextFile(`${dir}/vm.3141.crt`, "specific");
    const target = { host: "localhost", port: 3141 };
    const env = envFrom({ HOME: home });
    // No server.crt: the per-server file, with localhost meaning this machine.
    assertEquals(findServerCertificate(target, { env, localHost: "vm" }), {
      path: `${dir}/vm.3141.crt`,
      pem: "specific",
    });
    await Deno.writeTextFile(`${dir}/server.crt`, "shared");
    assertEquals(
      findServerCertificate(target, { env, localHost: "vm", ecfSsl: "1" }).pem,
      "shared",
    );
    assertEquals(findServerCertificate(target, { env, localHost: "vm", ecfSsl: "" }).pem, "shared");
    // Any other ECF_SSL value: the per-server file only.
    assertEquals(
      findServerCertificate(target, { env, localHost: "vm", ecfSsl: "vm.3141" }).pem,
      "specific",
    );
    const e = assertThrows(
      () => findServerCertificate({ host: "other", port: 1 }, { env, ecfSsl: "x" }),
      ConfigError,
    );
    assertEquals(
      e.message,
      `TLS: expected the server's self-signed certificate other.1.crt in ${dir}/; ` +
        "copy it there from the server's ~/.ecflowrc/ssl",
    );
    // ECF_SSL_DIR overrides the folder (ecFlow 5.16+); certDir overrides both.
    const other = `${home}/elsewhere`;
    await Deno.mkdir(other);
    await Deno.writeTextFile(`${other}/server.crt`, "moved");
    assertEquals(certificateDir({ env: envFrom({ HOME: home, ECF_SSL_DIR: other }) }), `${other}/`);
    assertEquals(
      findServerCertificate(target, { env: envFrom({ HOME: home, ECF_SSL_DIR: other }) }).pem,
      "moved",
    );
    assertEquals(certificateDir({ env, certDir: "/x" }), "/x/");
    assertThrows(() => certificateDir({ env: envFrom({}) }), ConfigError, "--allow-env=HOME");
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("TLS: a certificate file that holds no certificate is named before connecting", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ecflow-ts-tls-badfile." });
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  let accepted = 0;
  const accepting = (async () => {
    for await (const c of listener) {
      accepted++;
      c.close();
    }
  })();
  try {
    const target = { host: "127.0.0.1", port: listener.addr.port };
    const cases: [string, string][] = [
      ["no PEM at all\n", "holds no certificate (no -----BEGIN CERTIFICATE----- block)"],
      [
        "-----BEGIN CERTIFICATE-----\nMAMCAQE=\n-----END CERTIFICATE-----\n",
        "holds something that is not an X.509 certificate",
      ],
    ];
    for (const [text, message] of cases) {
      await Deno.writeTextFile(`${dir}/server.crt`, text);
      const tls = new TlsTransport({}, { certDir: dir, ecfSsl: "1" });
      const e = await assertRejects(() => tls.exchange(target, new Uint8Array(8)), ConfigError);
      assertStringIncludes(e.message, `TLS: ${dir}/server.crt ${message}`);
    }
    assertEquals(accepted, 0, "nothing was sent");
  } finally {
    listener.close();
    await accepting.catch(() => {});
    await Deno.remove(dir, { recursive: true });
  }
});
