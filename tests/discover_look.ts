// Prints what the library finds on this machine, as JSON: the discovery tests run it as
// different users and with different permissions (tests/discover_servers.test.ts).
import { findLocalServers } from "../lib/discover/mod.ts";

console.log(JSON.stringify(await findLocalServers()));
