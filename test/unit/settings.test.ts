// The settings module: one declaration per environment variable, errors that name the variable, and the generated
// .env.example and docs table kept in step with it; every variable the code reads is declared.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { test } from "node:test";
import { loadSettings, renderEnvExample, renderSettingsTable, setting, SETTINGS, SettingsError } from "@curator/db/settings.js";
import { repoRoot } from "@curator/db/config.js";

test("defaults apply when unset or empty; values are parsed to their types", () => {
  const s = loadSettings({});
  assert.equal(s.API_PORT, 4000);
  assert.equal(s.CURATOR_REQUIRE_KEYS, false);
  assert.equal(s.DATA_DIR, join(repoRoot, "data"));
  assert.equal(s.DATABASE_URL, undefined);
  assert.equal(loadSettings({ API_PORT: "" }).API_PORT, 4000);
  const t = loadSettings({ API_PORT: "8080", CURATOR_REQUIRE_KEYS: "1", DATA_DIR: "/srv/curator", DATABASE_POOL_SIZE: "3" });
  assert.deepEqual([t.API_PORT, t.CURATOR_REQUIRE_KEYS, t.DATA_DIR, t.DATABASE_POOL_SIZE], [8080, true, "/srv/curator", 3]);
  assert.equal(setting("DATABASE_URL", { DATABASE_URL: "file:data/other.db" }), "file:data/other.db");
});

test("a bad value names the variable, the value and what to use; all bad values are listed at once", async () => {
  assert.throws(() => setting("API_PORT", { API_PORT: "70000" }), { message: 'API_PORT="70000" is not a port: use a whole number 1-65535' });
  // The web server reaches the API with fetch(), which refuses these ports outright ("bad port").
  assert.throws(() => setting("API_PORT", { API_PORT: "4190" }), { message: /API_PORT="4190" is a port browsers and fetch\(\) refuse/ });
  await assert.rejects(fetch("http://127.0.0.1:4190/"), (err: Error) => /bad port/.test(String((err as { cause?: unknown }).cause)));
  assert.throws(() => setting("TF_BACKEND", { TF_BACKEND: "tpu" }), {
    message: 'TF_BACKEND="tpu" is not a TensorFlow.js backend: use one of node-gpu, node, wasm, cpu, auto',
  });
  assert.throws(
    () => loadSettings({ CURATOR_REQUIRE_KEYS: "maybe", DATABASE_URL: "mysql://x/y", CURATOR_MEDIA_SECRET: "short" }),
    (err: unknown) => {
      assert.ok(err instanceof SettingsError);
      assert.deepEqual(err.problems.map((p) => p.name), ["CURATOR_REQUIRE_KEYS", "CURATOR_MEDIA_SECRET", "DATABASE_URL"]);
      assert.match(err.message, /CURATOR_REQUIRE_KEYS="maybe" is not a flag: use 1 or 0/);
      return true;
    },
  );
});

test(".env.example and the tables in README.md and docs/configuration.md are generated from the declarations", () => {
  assert.equal(readFileSync(join(repoRoot, ".env.example"), "utf8"), renderEnvExample(), "run `node scripts/env-docs.mjs`");
  for (const doc of ["README.md", "docs/configuration.md"]) {
    assert.ok(readFileSync(join(repoRoot, doc), "utf8").includes(renderSettingsTable()), `${doc}: run \`node scripts/env-docs.mjs\``);
  }
  execFileSync(process.execPath, [join(repoRoot, "scripts/env-docs.mjs"), "--check"]);
  for (const name of Object.keys(SETTINGS)) assert.match(renderEnvExample(), new RegExp(`^# ${name}=`, "m"));
});

/** Variables the code sets for child processes or libraries rather than reads as settings. */
const WRITTEN_FOR_OTHERS = new Set(["OPENBLAS_NUM_THREADS", "PRISMA_SCHEMA_ENGINE_BINARY", "PRISMA_HIDE_UPDATE_MESSAGE", "NEXT_TELEMETRY_DISABLED"]);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (["node_modules", "dist", ".next", "generated"].includes(name)) return [];
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|tsx|js|mjs)$/.test(name) && !name.endsWith(".d.ts") ? [path] : [];
  });
}

test("every environment variable the code reads is declared in the settings module", () => {
  const undeclared: string[] = [];
  for (const folder of ["gpu-worker/src", "server/src", "prisma/src", "web", "scripts"]) {
    for (const file of sources(join(repoRoot, folder))) {
      const text = readFileSync(file, "utf8");
      for (const m of text.matchAll(/process\.env\.([A-Z_][A-Z0-9_]*)|process\.env\[["']([A-Z_][A-Z0-9_]*)["']\]/g)) {
        const name = m[1] ?? m[2]!;
        if (!(name in SETTINGS) && !WRITTEN_FOR_OTHERS.has(name)) undeclared.push(`${relative(repoRoot, file)}: ${name}`);
      }
    }
  }
  assert.deepEqual(undeclared, []);
});
