/**
 * Implicit ALS's hyperparameters, declared once (benfred/implicit keeps them in one signature): fitAls and
 * confidenceValues fall back to them, and the factorize stage's options (descriptor.ts) show them as defaults.
 * Why each value: the field docs of AlsOptions (als.ts) and ConfidenceOptions (confidence.ts).
 */
export const ALS_DEFAULTS = { factors: 40, regularization: 0.01, iterations: 15, solver: "cg", cgSteps: 3, seed: 0 } as const;

export const CONFIDENCE_DEFAULTS = { alpha: 40, scale: "linear", epsilon: 1 } as const;
