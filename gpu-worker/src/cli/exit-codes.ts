/**
 * The `curator` CLI's exit codes, for scripts and tests that run it: 0 done; 1 failed (a FAILED job, bad
 * arguments); 2 a job ended PARTIAL (items skipped, listed); 78 a bad setting (environment variable).
 */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_PARTIAL = 2;
export const EXIT_CONFIG = 78;
