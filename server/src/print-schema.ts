import { writeFileSync, renameSync } from "node:fs";
import { printSchema } from "graphql";
import { buildCuratorSchema } from "./build-schema.js";

/** Prints the schema the code defines, so server/schema.graphql (checked in) can be compared against it. */
export async function printCuratorSchema(): Promise<string> {
  return `${printSchema(await buildCuratorSchema())}\n`;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop()!) && process.argv[2]) {
  const target = process.argv[2];
  writeFileSync(`${target}.tmp`, await printCuratorSchema());
  renameSync(`${target}.tmp`, target);
  console.error(`schema written to ${target}`);
}
