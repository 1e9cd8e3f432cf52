// Test-only dependencies, versioned in one place (like lib/deps.ts for the library).
export {
  assert,
  assertEquals,
  assertExists,
  assertGreater,
  assertInstanceOf,
  assertMatch,
  assertNotEquals,
  assertRejects,
  assertStringIncludes,
  assertThrows,
  fail,
} from "jsr:@std/assert@^1.0.19";
export { getAvailablePort } from "jsr:@std/net@^1.0.6/get-available-port";
