import type { StageDescriptor } from "../jobs/stage-descriptor.js";
import { ALS_DEFAULTS, CONFIDENCE_DEFAULTS } from "./defaults.js";
import type { FactorizeResult } from "./stage.js";

const options = {
  factors: { type: "integer", arg: "n", min: 1, default: ALS_DEFAULTS.factors, help: "latent dimensions (the paper: 40)" },
  iterations: { type: "integer", arg: "n", min: 0, default: ALS_DEFAULTS.iterations, help: "ALS iterations" },
  regularization: { type: "number", arg: "λ", min: 0, default: ALS_DEFAULTS.regularization, help: "L2 regularisation" },
  alpha: { type: "number", arg: "α", min: 0, default: CONFIDENCE_DEFAULTS.alpha, help: "confidence c = 1 + α·f(plays)" },
  confidence: { type: "choice", arg: "f", choices: ["linear", "log"], default: CONFIDENCE_DEFAULTS.scale, help: "f: linear (plays) or log (log(1 + plays/ε))" },
  epsilon: { type: "number", arg: "ε", default: CONFIDENCE_DEFAULTS.epsilon, help: "ε of the log confidence" },
  solver: { type: "choice", arg: "solver", choices: ["cg", "cholesky"], default: ALS_DEFAULTS.solver, help: "cg (conjugate gradient, fast) or cholesky (exact, for checking)" },
  cgSteps: { type: "integer", arg: "n", min: 1, default: ALS_DEFAULTS.cgSteps, help: "conjugate-gradient steps per row and half-iteration" },
  seed: { type: "integer", arg: "n", default: ALS_DEFAULTS.seed, help: "seed of the initial factors" },
  threads: { type: "integer", arg: "n", min: 1, help: "worker threads (default: all cores)" },
  checkpointDir: { type: "path", arg: "dir", local: true, help: "per-iteration checkpoints folder (default data/checkpoints)" },
} as const;

/** `curator factorize`: listens → implicit ALS → the active CF factor set (stage.ts). */
export const factorizeStage: StageDescriptor<typeof options, FactorizeResult> = {
  name: "factorize",
  summary: "CF factors from the listens (implicit ALS)",
  description: "weighted matrix factorisation of the listens (implicit-feedback ALS, Hu/Koren/Volinsky 2008) → CF factors",
  resume: "continue the last unfinished fit from its last finished iteration",
  queued: true,
  options,
  async run(db, job, { confidence, ...rest }) {
    const { runFactorize } = await import("./stage.js");
    // ConfidenceOptions calls the choice `scale`; the option keeps the CLI's name.
    return runFactorize(db, job as Parameters<typeof runFactorize>[1], { ...rest, scale: confidence });
  },
};
