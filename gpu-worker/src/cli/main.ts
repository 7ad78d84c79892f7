import { createRequire } from "node:module";
import { Command, CommanderError } from "commander";
import { loadSettings, SettingsError } from "@curator/db/settings.js";
import { partialJobIds } from "../jobs/job.js";
import { registerDbCommands } from "./db-commands.js";
import { registerIngestCommands } from "./ingest-commands.js";
import { registerFactorizeCommand } from "./factorize-command.js";
import { registerFeaturesCommand } from "./features-command.js";
import { registerModelCommands } from "./model-commands.js";
import { registerOutliersCommand } from "./outliers-command.js";
import { registerMapCommand } from "./map-command.js";
import { registerKeysCommand } from "./keys-command.js";
import { registerWorkerCommands } from "./worker-command.js";
import { EXIT_CONFIG, EXIT_FAILED, EXIT_PARTIAL } from "./exit-codes.js";

/**
 * `curator <stage>`: one sub-command per pipeline stage, each with --help. Stages open the database named by
 * DATABASE_URL (default data/curator.db) and record their progress as a job the UI shows. Exit codes: exit-codes.ts.
 */

const { version } = createRequire(import.meta.url)("../../package.json") as { version: string };

const program = new Command("curator")
  .description("Curator Workbench pipeline: content-based music recommendation (van den Oord et al. 2013)")
  .version(version, "-V, --version", "print the version")
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

try {
  loadSettings();
} catch (err) {
  if (!(err instanceof SettingsError)) throw err;
  console.error(`curator: bad configuration: ${err.message}`);
  process.exit(EXIT_CONFIG);
}

program.parseAsync(process.argv).then(
  () => {
    const partial = partialJobIds();
    if (partial.length === 0) return;
    console.error(`curator: job ${partial.map((id) => `#${id}`).join(", ")} ended PARTIAL (skipped items listed above)`);
    process.exitCode = EXIT_PARTIAL;
  },
  (err: unknown) => {
    if (err instanceof CommanderError) process.exit(err.exitCode);
    console.error(`curator: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(EXIT_FAILED);
  },
);
