import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";
import type PgBoss from "pg-boss";
import { issueApiKey } from "@curator/db/api-keys.js";
import { STAGES } from "@curator/worker/stages.js";
import { runQueuedJob } from "@curator/worker/queue/stage-jobs.js";
import { freshDb } from "../support/db.js";
import { startApi } from "../support/api.js";

const CLI = fileURLToPath(new URL("../../../gpu-worker/dist/cli/main.js", import.meta.url));

/** Flags that print text and run nothing: the CLI's alone. */
const PRINT_ONLY = ["help", "help-simulator"];

/** The options `curator <stage> --help` lists, as camelCase keys (--cg-steps → cgSteps). */
async function cliOptions(stage: string): Promise<string[]> {
  const { stdout } = await promisify(execFile)(process.execPath, [CLI, stage, "--help"]);
  const flags = [...stdout.matchAll(/^ {2}--([a-z-]+)/gm)].map((m) => m[1]!).filter((f) => !PRINT_ONLY.includes(f));
  return flags.map((f) => f.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())).sort();
}

/** The `known: a, b` list of an unknown-option refusal. */
function knownList(message: string | null | undefined): string[] {
  const known = /\(known: ([^)]*)\)/.exec(message ?? "");
  assert.ok(known, `no list of known options in ${JSON.stringify(message)}`);
  return known[1]!.split(", ").sort();
}

test("every stage's CLI options, the queue's accepted params and the API's accepted params are one set", async () => {
  const handle = await freshDb();
  const api = await startApi(handle.db);
  try {
    const admin = (await issueApiKey(handle.db, "root", "ADMIN")).key;
    assert.deepEqual(STAGES.map((s) => s.name).sort(), ["factorize", "features", "ingest", "map", "outliers"]);
    for (const stage of STAGES) {
      const local = Object.keys(stage.options).filter((k) => stage.options[k]!.local);
      const cli = await cliOptions(stage.name);
      assert.deepEqual(cli, [...Object.keys(stage.options), ...(stage.resume ? ["resume"] : [])].sort(), `${stage.name}: CLI options`);
      const shared = cli.filter((k) => k !== "resume" && !local.includes(k));
      if (!stage.queued) {
        const refused = await api.query(`mutation { startJob(stage: "${stage.name}") { id } }`, {}, admin);
        assert.match(refused.body.errors?.[0]?.message ?? "", new RegExp(`stage "${stage.name}" cannot be queued`));
        continue;
      }

      const refused = await api.query(`mutation($p: String) { startJob(stage: "${stage.name}", params: $p) { id } }`, { p: JSON.stringify({ bogus: 1 }) }, admin);
      assert.equal(refused.body.errors?.[0]?.extensions?.code, "BAD_USER_INPUT");
      assert.deepEqual(knownList(refused.body.errors?.[0]?.message), shared, `${stage.name}: API params`);

      // The queue gets a row the API never checked (written directly), as after a change of options.
      const row = await handle.db.job.create({ data: { stage: stage.name, params: JSON.stringify({ bogus: 1 }) } });
      assert.equal(await runQueuedJob(handle.db, undefined as unknown as PgBoss, row.id, {}), "bad params");
      const failed = await handle.db.job.findUniqueOrThrow({ where: { id: row.id } });
      assert.deepEqual(knownList(failed.error), shared, `${stage.name}: queue params`);

      // A local option (a folder of the machine that runs it) is the CLI's only; the API refuses it.
      for (const key of local) {
        const res = await api.query(`mutation($p: String) { startJob(stage: "${stage.name}", params: $p) { id } }`, { p: JSON.stringify({ [key]: "/tmp" }) }, admin);
        assert.match(res.body.errors?.[0]?.message ?? "", new RegExp(`unknown option\\(s\\) ${key} for ${stage.name}`));
      }
    }

    // A bad value is refused with the option and the reason, the same words the CLI's --help declares.
    const bad = await api.query(`mutation { startJob(stage: "factorize", params: "{\\"solver\\": \\"lu\\"}") { id } }`, {}, admin);
    assert.equal(bad.body.errors?.[0]?.message, `params: solver must be one of cg, cholesky, got "lu"`);
    const fractional = await api.query(`mutation { startJob(stage: "factorize", params: "{\\"factors\\": 4.5}") { id } }`, {}, admin);
    assert.equal(fractional.body.errors?.[0]?.message, "params: factors must be an integer, got 4.5");
    assert.equal(await handle.db.job.count({ where: { status: "QUEUED" } }), 0);
  } finally {
    await api.close();
    await handle.close();
  }
});
