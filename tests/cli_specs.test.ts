// The generated option table (lib/cli/commands/specs.ts) must say exactly what the command
// groups implement; regenerate it with `deno run -A tools/gen_cli_specs.ts`.
import { assertEquals } from "./deps.ts";
import { COMMAND_SPECS, MODIFIER_SPECS } from "../lib/cli/commands/specs.ts";
import { COMMANDS, loadCommand } from "../lib/cli/commands/mod.ts";
import { liveCommandSpecs, liveModifierSpecs } from "../tools/gen_cli_specs.ts";

Deno.test("the generated CLI option table matches the command groups", () => {
  assertEquals([...COMMAND_SPECS], liveCommandSpecs());
  assertEquals([...MODIFIER_SPECS], liveModifierSpecs());
});

Deno.test("every command in the table loads its implementation", async () => {
  for (const spec of COMMAND_SPECS) {
    const impl = await loadCommand(spec.group, spec.name);
    assertEquals(impl.name, spec.name);
  }
  assertEquals(COMMANDS.length, COMMAND_SPECS.length + 1); // + --help
});
