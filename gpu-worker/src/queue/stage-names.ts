/**
 * Stages a worker runs from an API-queued Job row; other stages stay QUEUED until someone runs `curator <stage>`.
 * Its own module so the API can refuse other stages without loading the stages themselves.
 */
export const QUEUED_STAGES = ["features", "factorize"] as const;
