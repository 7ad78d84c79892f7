import { Command, CommanderError } from "commander";
import { registerDbCommands } from "./db-commands.js";
import { registerIngestCommands } from "./ingest-commands.js";
import { registerFactorizeCommand } from "./factorize-command.js";
import { registerFeaturesCommand } from "./features-command.js";
import { registerModelCommands } from "./model-commands.js";
import { registerOutliersCommand } from "./outliers-command.js";
import { registerMapCommand } from "./map-command.js";
import { registerKeysCommand } from "./keys-command.js";
import { registerWorkerCommands } from "./worker-command.js";

/**
 * `curator <stage>`: one sub-command per pipeline stage, each with --help. Stages open the database named by
 * DATABASE_URL (default data/curator.db) and record their progress as a job the UI shows.
 */
const program = new Command("curator")
  .description("Curator Workbench pipeline: content-based music recommendation (van den Oord et al. 2013)")
  .showHelpAfterError()
  .exitOverride();

registerDbCommands(program);
registerIngestCommands(program);
registerFactorizeCommand(program);
registerFeaturesCommand(program);
registerModelCommands(program);
registerOutliersCommand(program);
registerMapCommand(program);
registerKeysCommand(program);
registerWorkerCommands(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof CommanderError) process.exit(err.exitCode);
  console.error(`curator: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
