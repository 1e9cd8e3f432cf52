import { assertEquals, assertThrows } from "./deps.ts";
import {
  ConfigError,
  describeEndpoint,
  envFrom,
  parseHostPort,
  parsePort,
  readEnv,
  resolveEndpoint,
} from "../mod.ts";

const none = envFrom({});

Deno.test("endpoint: defaults to localhost:3141 from nowhere", () => {
  const ep = resolveEndpoint({ env: none });
  assertEquals([ep.host, ep.port, ep.hostSource.kind, ep.portSource.kind], [
    "localhost",
    3141,
    "default",
    "default",
  ]);
});

Deno.test("endpoint: precedence option > environment > default, host and port separately", () => {
  const envs = [{}, { ECF_HOST: "envhost" }, { ECF_PORT: "4000" }, {
    ECF_HOST: "envhost",
    ECF_PORT: "4000",
  }];
  const opts = [{}, { host: "opthost" }, { port: 5000 }, { host: "opthost", port: "5000" }];
  for (const e of envs) {
    for (const o of opts) {
      const ep = resolveEndpoint({ ...o, env: envFrom(e) });
      const wantHost = "host" in o ? "opthost" : "ECF_HOST" in e ? "envhost" : "localhost";
      const wantPort = "port" in o ? 5000 : "ECF_PORT" in e ? 4000 : 3141;
      const label = JSON.stringify({ e, o });
      assertEquals(ep.host, wantHost, label);
      assertEquals(ep.port, wantPort, label);
      assertEquals(
        ep.hostSource.kind,
        "host" in o ? "option" : "ECF_HOST" in e ? "env" : "default",
        label,
      );
      assertEquals(
        ep.portSource.kind,
        "port" in o ? "option" : "ECF_PORT" in e ? "env" : "default",
        label,
      );
    }
  }
});

Deno.test("endpoint: host:port, host@port and bracketed IPv6 forms", () => {
  assertEquals(parseHostPort("oetzi:3444", "x"), { host: "oetzi", port: 3444 });
  assertEquals(parseHostPort("machineX@4141", "x"), { host: "machineX", port: 4141 });
  assertEquals(parseHostPort("[::1]:3141", "x"), { host: "::1", port: 3141 });
  assertEquals(parseHostPort("[fe80::1%eth0]@3141", "x"), { host: "fe80::1%eth0", port: 3141 });
  assertEquals(parseHostPort("[::1]", "x"), { host: "::1" });
  assertEquals(parseHostPort("::1", "x"), { host: "::1" });
  assertEquals(parseHostPort("10.0.0.1", "x"), { host: "10.0.0.1" });
  assertEquals(parseHostPort("node-01.example.int", "x"), { host: "node-01.example.int" });
  const ep = resolveEndpoint({ host: "oetzi:3444", env: envFrom({ ECF_PORT: "1" }) });
  assertEquals([ep.host, ep.port, ep.portSource.kind], ["oetzi", 3444, "option"]);
});

Deno.test("endpoint: ports 1-65535 as numbers or decimal strings, nothing else", () => {
  assertEquals(parsePort(1, "x"), 1);
  assertEquals(parsePort("65535", "x"), 65535);
  for (
    const bad of [
      0,
      65536,
      -1,
      1.5,
      NaN,
      "0",
      "65536",
      "",
      " ",
      "12a",
      "0x10",
      "1e3",
      "3141\n",
      "3141 ",
      "-3141",
      "++3141",
      "+ 3141",
      "0000000",
      "٣١٤١",
    ]
  ) {
    assertThrows(() => parsePort(bad as number | string, "ECF_PORT"), ConfigError, "ECF_PORT");
  }
});

Deno.test("endpoint: a port string is read as ecflow_client's resolver reads it: blanks before, a plus, leading zeros", () => {
  for (const good of [" 3141", "\t3141", "+3141", "03141", "0003141", " +03141"]) {
    assertEquals(parsePort(good, "ECF_PORT"), 3141, JSON.stringify(good));
  }
  const ep = resolveEndpoint({ env: envFrom({ ECF_PORT: " +03141" }) });
  assertEquals([ep.port, ep.portSource.name], [3141, "ECF_PORT"]);
  assertEquals(resolveEndpoint({ port: "+4141", env: none }).port, 4141);
});

Deno.test("endpoint: a set but blank ECF_HOST or ECF_PORT is an error, never the default; an empty ECF_HOST is unset", () => {
  for (const blank of [" ", "\t", "  \n"]) {
    assertThrows(
      () => resolveEndpoint({ env: envFrom({ ECF_HOST: blank }) }),
      ConfigError,
      "(from ECF_HOST): blank",
    );
  }
  for (const blank of ["", " ", "\t"]) {
    assertThrows(
      () => resolveEndpoint({ env: envFrom({ ECF_PORT: blank }) }),
      ConfigError,
      "(from ECF_PORT)",
    );
  }
  const ep = resolveEndpoint({ env: envFrom({ ECF_HOST: "" }) });
  assertEquals([ep.host, ep.hostSource.kind], ["localhost", "default"]);
  // an option decides before the environment is looked at
  assertEquals(resolveEndpoint({ port: 4000, env: envFrom({ ECF_PORT: " " }) }).port, 4000);
  assertEquals(resolveEndpoint({ host: "h", env: envFrom({ ECF_HOST: " " }) }).host, "h");
});

Deno.test("endpoint: a port in ECF_HOST=host:port that differs from ECF_PORT is a conflict, as between --host and --port", () => {
  const e = assertThrows(
    () => resolveEndpoint({ env: envFrom({ ECF_HOST: "oetzi:3444", ECF_PORT: "3141" }) }),
    ConfigError,
  );
  assertEquals(
    e.message,
    "conflicting ports: 3444 in ECF_HOST 'oetzi:3444' and 3141 from ECF_PORT",
  );
  const same = resolveEndpoint({ env: envFrom({ ECF_HOST: "oetzi@3444", ECF_PORT: "03444" }) });
  assertEquals([same.host, same.port, same.portSource.name], ["oetzi", 3444, "ECF_HOST"]);
  const alone = resolveEndpoint({ env: envFrom({ ECF_HOST: "oetzi:3444" }) });
  assertEquals([alone.port, alone.portSource.name], [3444, "ECF_HOST"]);
  // --port wins over both, as an option wins over the environment
  const opt = resolveEndpoint({
    port: "5000",
    env: envFrom({ ECF_HOST: "oetzi:3444", ECF_PORT: "3141" }),
  });
  assertEquals([opt.host, opt.port, opt.portSource.kind], ["oetzi", 5000, "option"]);
});

Deno.test("endpoint: errors name the bad value and where it came from", () => {
  const e1 = assertThrows(
    () => resolveEndpoint({ env: envFrom({ ECF_PORT: "31x5" }) }),
    ConfigError,
  );
  assertEquals(
    e1.message,
    "invalid port '31x5' (from ECF_PORT): expected a whole number from 1 to 65535",
  );
  const e2 = assertThrows(
    () => resolveEndpoint({ host: "bad host", env: none, labels: { host: "--host" } }),
    ConfigError,
  );
  assertEquals(e2.message.startsWith("invalid host 'bad host' (from --host)"), true);
  for (const bad of ["", "a b", "[::1", "[abc]:1", "h:", "h:p", "@1", "a/b", "[::1]x"]) {
    assertThrows(() => parseHostPort(bad, "option"), ConfigError, undefined, bad);
  }
  assertThrows(
    () => resolveEndpoint({ host: "h:1", port: 2, env: none }),
    ConfigError,
    "conflicting",
  );
});

Deno.test("endpoint: describes provenance in words", () => {
  const ep = resolveEndpoint({
    port: "3777",
    env: envFrom({ ECF_HOST: "oetzi" }),
    labels: { port: "--port" },
  });
  assertEquals(describeEndpoint(ep), "host 'oetzi' (from ECF_HOST), port 3777 (from --port)");
});

Deno.test({
  name: "env: a denied variable reads as unset, never as a crash or a prompt",
  permissions: { env: ["ECF_HOST"] },
  fn() {
    assertEquals(readEnv("ECF_PORT"), undefined);
    const ep = resolveEndpoint();
    assertEquals(ep.portSource.kind, "default");
  },
});
