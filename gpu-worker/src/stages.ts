/**
 * Every stage made from a descriptor (jobs/stage-descriptor.ts): the queue runs the queued ones and the API's
 * startJob checks their params here. Descriptors load no stage code, so the API can import this.
 */
import type { StageDescriptor } from "./jobs/stage-descriptor.js";
import { factorizeStage } from "./factorize/descriptor.js";
import { featuresStage } from "./features/descriptor.js";
import { ingestStage } from "./ingest/descriptor.js";
import { mapStage } from "./map/descriptor.js";
import { outliersStage } from "./outliers/descriptor.js";

export const STAGES: readonly StageDescriptor[] = [ingestStage, featuresStage, factorizeStage, outliersStage, mapStage] as unknown as StageDescriptor[];

/** Stages a worker runs from an API-queued Job row; other stages stay QUEUED until someone runs `curator <stage>`. */
export const QUEUED_STAGES: readonly string[] = STAGES.filter((s) => s.queued).map((s) => s.name);

/** The queued stage of this name, or undefined. */
export function queuedStage(name: string): StageDescriptor | undefined {
  return STAGES.find((s) => s.queued && s.name === name);
}
