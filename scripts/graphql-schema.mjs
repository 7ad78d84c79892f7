// Writes the API's schema where its clients read it: server/schema.graphql (printed from the type-graphql code,
// after `npx tsc -b`) and web/generated/graphql-env.d.ts (gql.tada's introspection of that file, from which tsc
// types every query in web/). `--check` writes nothing and exits 1 when the introspection is out of date with the
// checked-in schema (`npm run lint` runs it; test/integration/api.test.ts checks the schema against the code).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const introspection = join(root, "web/generated/graphql-env.d.ts");

/** gql.tada reads the schema's path and the output's from the gql.tada/ts-plugin entry of web/tsconfig.json. */
function generateIntrospection(output) {
  const cli = join(root, "node_modules/gql.tada/bin/cli.js");
  execFileSync(process.execPath, [cli, "generate", "output", "--tsconfig", join(root, "web/tsconfig.json"), "--output", output], {
    cwd: join(root, "web"),
    stdio: ["ignore", "ignore", "inherit"],
  });
}

if (process.argv.includes("--check")) {
  const dir = mkdtempSync(join(tmpdir(), "curator-schema-"));
  try {
    const fresh = join(dir, "graphql-env.d.ts");
    generateIntrospection(fresh);
    if (readFileSync(fresh, "utf8") !== readFileSync(introspection, "utf8")) {
      console.error("web/generated/graphql-env.d.ts is out of date with server/schema.graphql: run `npm run schema`");
      process.exit(1);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
} else {
  execFileSync(process.execPath, [join(root, "server/dist/print-schema.js"), join(root, "server/schema.graphql")], { stdio: "inherit" });
  generateIntrospection(introspection);
  console.error(`introspection written to ${introspection}`);
}
