import type { Command } from "commander";
import { mapStage } from "../map/descriptor.js";
import { registerStageCommand } from "./stage-command.js";

export function registerMapCommand(program: Command): void {
  registerStageCommand(program, mapStage, (_db, r) => {
    const skipped = r.withoutFactors > 0 ? ` (${r.withoutFactors} tracks without factors left out)` : "";
    console.error(`map: layout #${r.layoutId} of factor set #${r.factorSetId} ready: ${r.points} tracks${skipped}`);
  });
}
