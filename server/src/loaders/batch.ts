/**
 * Keys per batched query: each batch is one `IN (…)` list, kept far below SQLite's 32,766 and PostgreSQL's
 * 65,535 bound parameters however many fields and aliases a request selects.
 */
export const MAX_BATCH_KEYS = 1000;

/** DataLoader options that keep each batch within MAX_BATCH_KEYS. */
export const BATCH = { maxBatchSize: MAX_BATCH_KEYS } as const;
