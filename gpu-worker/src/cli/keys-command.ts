import type { Command } from "commander";
import { issueApiKey, revokeApiKey } from "@curator/db/api-keys.js";
import { Role } from "@curator/db/client.js";
import { withDb } from "./with-db.js";
import { integer, oneOf } from "./parse.js";

const ROLES = Object.values(Role);

/** `curator keys create|list|revoke`: API keys for the GraphQL API (only their sha256 is stored). */
export function registerKeysCommand(program: Command): void {
  const keys = program
    .command("keys")
    .summary("create, list and revoke API keys")
    .description("API keys: ANALYST reads, EDITOR also edits playlists, verdicts and filter names, ADMIN also starts jobs");

  keys
    .command("create")
    .description("issue a key; it is printed once, on stdout, and only its hash is stored")
    .requiredOption("--name <name>", "who or what uses the key (recorded as verdictBy on reviews)")
    .requiredOption("--role <role>", `one of ${ROLES.join(", ")}`, oneOf(ROLES))
    .option("--replace", "first revoke the active keys issued under the same name (what `npm run demo` does with its sign-in key)")
    .action((opts: { name: string; role: Role; replace?: boolean }) =>
      withDb(async (db) => {
        if (opts.replace) {
          const { count } = await db.apiKey.updateMany({ where: { name: opts.name, revokedAt: null }, data: { revokedAt: new Date() } });
          if (count > 0) console.error(`keys: revoked ${count} earlier key${count === 1 ? "" : "s"} named "${opts.name}"`);
        }
        const issued = await issueApiKey(db, opts.name, opts.role);
        console.error(`keys: created #${issued.id} "${issued.name}" (${issued.role}); send it as Authorization: Bearer <key>. It will not be shown again.`);
        console.log(issued.key);
      }),
    );

  keys
    .command("list")
    .description("list keys (never the keys themselves)")
    .option("--json", "one JSON array of {id, name, role, createdAt, revokedAt, lastUsedAt} on stdout")
    .action((opts: { json?: boolean }) =>
      withDb(async (db) => {
        const rows = await db.apiKey.findMany({ orderBy: { id: "asc" }, select: { id: true, name: true, role: true, createdAt: true, revokedAt: true, lastUsedAt: true } });
        if (opts.json) return console.log(JSON.stringify(rows));
        for (const k of rows) {
          const state = k.revokedAt ? `revoked ${k.revokedAt.toISOString()}` : "active";
          const used = k.lastUsedAt ? `last used ${k.lastUsedAt.toISOString()}` : "never used";
          console.log(`#${k.id} ${k.role.padEnd(7)} ${state.padEnd(32)} created ${k.createdAt.toISOString()}  ${used.padEnd(34)} ${k.name}`);
        }
      }),
    );

  keys
    .command("revoke")
    .description("revoke a key by id; requests with it are refused from then on")
    .argument("<id>", "key id, as `curator keys list` shows it", integer)
    .action((id: number) =>
      withDb(async (db) => {
        if (!(await revokeApiKey(db, id))) throw new Error(`no key #${id}`);
        console.error(`keys: revoked #${id}`);
      }),
    );
}
