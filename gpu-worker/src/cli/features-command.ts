import type { Command } from "commander";
import { featuresStage } from "../features/descriptor.js";
import { registerStageCommand } from "./stage-command.js";

export function registerFeaturesCommand(program: Command): void {
  registerStageCommand(program, featuresStage, (_db, r) => {
    console.error(`features: ${r.computed} tracks computed, ${r.skipped} already cached, ${r.failed} failed`);
  });
}
