import { test } from "node:test";
import assert from "node:assert/strict";
import { issueApiKey } from "@curator/db/api-keys.js";
import { freshDb } from "../support/db.js";
import { startApi } from "../support/api.js";
import { seedCatalog } from "../support/seed.js";

interface Row {
  id: number;
  kind: string;
  score: number;
  status: string;
  verdictBy: string | null;
  verdictNote: string | null;
  verdictAt: string | null;
  roleEvidence: string | null;
}
const FIELDS = "id kind score status verdictBy verdictNote verdictAt roleEvidence";

test("the flags review queue: sorted by score across pages, bulk verdicts all-or-none, reopen, notes, album-role evidence", async () => {
  const { db, close } = await freshDb();
  const api = await startApi(db);
  try {
    const tracks = await seedCatalog(db, 2, 4);
    // Track 0 of each album is short and first; flag it INTERLUDE to see why-not-INTRO, plus others by score.
    const scores = [0.91, 0.55, 0.77, 0.62, 0.99, 0.55, 0.7, 0.8];
    const kinds = ["INTERLUDE", "COVER", "REMIX", "OUTRO", "INTRO", "COVER", "REMIX", "COVER"] as const;
    const flags: { id: number; score: number }[] = [];
    for (const [i, t] of tracks.entries()) flags.push(await db.outlierFlag.create({ data: { trackId: t.id, kind: kinds[i]!, score: scores[i]!, reason: `reason ${i}` } }));
    const { key } = await issueApiKey(db, "Ada (editor)", "EDITOR");
    const q = async <T>(query: string, k?: string) => {
      const res = await api.query<T>(query, {}, k);
      if (res.body.errors) throw Object.assign(new Error(res.body.errors[0]!.message), { code: res.body.errors[0]!.extensions?.code });
      return res.body.data!;
    };

    // Most suspicious first, paged three at a time: the pages join into one sorted list, ties by id.
    const seen: Row[] = [];
    let after: string | null = null;
    for (;;) {
      const page: { flags: { edges: { node: Row }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } } = await q(
        `{ flags(orderBy: SCORE, first: 3${after ? `, after: "${after}"` : ""}) { edges { node { ${FIELDS} } } pageInfo { hasNextPage endCursor } } }`,
      );
      seen.push(...page.flags.edges.map((e) => e.node));
      if (!page.flags.pageInfo.hasNextPage) break;
      after = page.flags.pageInfo.endCursor;
    }
    const expected = [...flags].sort((a, b) => b.score - a.score || a.id - b.id).map((f) => f.id);
    assert.deepEqual(seen.map((r) => r.id), expected);

    const interlude = seen.find((r) => r.id === flags[0]!.id)!;
    assert.match(interlude.roleEvidence!, /^First of 4 on its album\. Flagged INTERLUDE, not INTRO: album order here is the package's file order/);
    assert.equal(seen.find((r) => r.id === flags[1]!.id)!.roleEvidence, null, "covers have no album-role evidence");
    assert.match(seen.find((r) => r.id === flags[3]!.id)!.roleEvidence!, /^Last of 4 on its album\.$/);

    // Anonymous visitors read but cannot decide.
    const anonymous = await api.query(`mutation { setFlagStatus(ids: [${flags[1]!.id}], status: CONFIRMED) { id } }`);
    assert.ok(anonymous.body.errors?.length);

    // An unknown id fails the whole batch and changes nothing.
    await assert.rejects(q(`mutation { setFlagStatus(ids: [${flags[1]!.id}, 999999], status: CONFIRMED) { id } }`, key), /flag 999999 not found; nothing was changed/);
    assert.equal((await db.outlierFlag.findUnique({ where: { id: flags[1]!.id } }))!.status, "OPEN");

    const ids = [flags[1]!.id, flags[5]!.id, flags[7]!.id];
    const confirmed = await q<{ setFlagStatus: Row[] }>(`mutation { setFlagStatus(ids: [${ids.join(", ")}], status: CONFIRMED, note: "  menu jingles  ") { ${FIELDS} } }`, key);
    assert.deepEqual(confirmed.setFlagStatus.map((r) => [r.id, r.status, r.verdictBy, r.verdictNote]), ids.map((id) => [id, "CONFIRMED", "Ada (editor)", "menu jingles"]));
    assert.ok(confirmed.setFlagStatus.every((r) => r.verdictAt !== null));

    const onlyConfirmedCovers = await q<{ flags: { totalCount: number } }>("{ flags(kind: COVER, status: CONFIRMED) { totalCount } }");
    assert.equal(onlyConfirmedCovers.flags.totalCount, 3);

    // Undo as the page does it: back to OPEN, the note given back as it was (none).
    const reopened = await q<{ setFlagStatus: Row[] }>(`mutation { setFlagStatus(ids: [${ids.join(", ")}], status: OPEN, note: "") { ${FIELDS} } }`, key);
    assert.deepEqual(reopened.setFlagStatus.map((r) => [r.status, r.verdictBy, r.verdictAt, r.verdictNote]), ids.map(() => ["OPEN", null, null, null]));

    // A note alone keeps the status; a verdict without a note keeps the note.
    const noted = await q<{ noteFlag: Row }>(`mutation { noteFlag(id: ${flags[2]!.id}, note: "check the tempo") { ${FIELDS} } }`, key);
    assert.deepEqual([noted.noteFlag.status, noted.noteFlag.verdictNote], ["OPEN", "check the tempo"]);
    const rejected = await q<{ setFlagStatus: Row[] }>(`mutation { setFlagStatus(ids: [${flags[2]!.id}], status: REJECTED) { ${FIELDS} } }`, key);
    assert.deepEqual([rejected.setFlagStatus[0]!.status, rejected.setFlagStatus[0]!.verdictNote], ["REJECTED", "check the tempo"]);
    await assert.rejects(q(`mutation { noteFlag(id: ${flags[2]!.id}, note: "${"x".repeat(2001)}") { id } }`, key), /at most 2000 characters/);
    await assert.rejects(q(`mutation { setFlagStatus(ids: [], status: REJECTED) { id } }`, key), /ids is empty/);

    // The history keeps every decision, newest first, the undo and a second editor's included; a refused batch
    // (the unknown id above) left none. Flags nobody touched have none.
    const { key: boKey } = await issueApiKey(db, "Bo", "EDITOR");
    await q(`mutation { reviewFlag(id: ${flags[1]!.id}, verdict: REJECTED, note: "a remix after all") { id } }`, boKey);
    type Decision = { status: string; note: string | null; by: string; at: string };
    const history = async (id: number) =>
      (await q<{ flags: { edges: { node: { id: number; history: Decision[] } }[] } }>(`{ flags(first: 50) { edges { node { id history { status note by at } } } } }`)).flags.edges.find(
        (e) => e.node.id === id,
      )!.node.history;
    const first = await history(flags[1]!.id);
    assert.deepEqual(first.map((d) => [d.status, d.note, d.by]), [
      ["REJECTED", "a remix after all", "Bo"],
      ["OPEN", null, "Ada (editor)"],
      ["CONFIRMED", "menu jingles", "Ada (editor)"],
    ]);
    const times = first.map((d) => Date.parse(d.at));
    assert.ok(times.every((t, i) => i === 0 || t <= times[i - 1]!), "newest first");
    assert.deepEqual((await history(flags[2]!.id)).map((d) => [d.status, d.note]), [["REJECTED", "check the tempo"], ["OPEN", "check the tempo"]]);
    assert.deepEqual(await history(flags[4]!.id), []);
    assert.equal(await db.flagDecision.count(), 3 * 2 + 1 + 2);
  } finally {
    await api.close();
    await close();
  }
});
