// Read by the Prisma CLI (generate only: migrations run through prisma/src/migrate.ts, offline).
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "schema.prisma",
});
