import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Repository root: two levels above prisma/dist/repo-root.js (and prisma/src/repo-root.ts). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
