import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";

import { rankingQuality, rankingUsers } from "@curator/worker/evaluation/ranking-quality.js";
import { Rng } from "@curator/worker/util/random.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));

function python(): string {
  const out = execFileSync("bash", [join(root, "scripts/python-env.sh"), "test"], { encoding: "utf8" });
  return out.trim().split("\n").at(-1)!;
}

describe("rankingUsers", () => {
  test("groups plays per user in id order, counts repeats once and leaves out users who played every candidate", () => {
    const plays = [
      { user: 9, candidate: 1 },
      { user: 3, candidate: 0 },
      { user: 9, candidate: 1 },
      { user: 5, candidate: 0 },
      { user: 5, candidate: 1 },
      { user: 5, candidate: 2 },
      { user: 3, candidate: 2 },
    ];
    const { users, relevant, playedAll } = rankingUsers(plays, 3);
    assert.deepEqual(users, [3, 9]);
    assert.deepEqual(relevant.map((r) => [...r].sort()), [[0, 2], [1]]);
    assert.equal(playedAll, 1);
  });

  test("a candidate outside the set is refused, naming the user", () => {
    assert.throws(() => rankingUsers([{ user: 7, candidate: 3 }], 3), /play of user 7: candidate 3 outside \[0, 3\)/);
  });
});

describe("rankingQuality", () => {
  test("matches a NumPy reference of ranking by user · item factor (mean AP@cutoff and AUC)", () => {
    const rng = new Rng(11);
    const k = 8;
    const candidates = 40;
    const users = Array.from({ length: 30 }, () => Float32Array.from({ length: k }, () => rng.next() - 0.5));
    const items = Float32Array.from({ length: candidates * k }, () => rng.next() - 0.5);
    const plays = users.flatMap((_, u) =>
      Array.from({ length: 1 + (u % 7) }, (_, j) => ({ user: u, candidate: (u * 13 + j * 5) % candidates })),
    );
    const { relevant } = rankingUsers(plays, candidates);
    const cutoff = 10;
    const ours = rankingQuality(users, items, k, relevant, cutoff);
    const input = {
      users: users.map((u) => [...u]),
      items: Array.from({ length: candidates }, (_, i) => [...items.subarray(i * k, (i + 1) * k)]),
      relevant: relevant.map((r) => [...r]),
      cutoff,
    };
    const ref = JSON.parse(
      execFileSync(python(), [join(root, "test/reference/ranking_quality.py")], { input: JSON.stringify(input), encoding: "utf8" }),
    ) as { map: number; auc: number };
    assert.ok(Math.abs(ours.map - ref.map) < 1e-9, `mAP ${ours.map} vs NumPy ${ref.map}`);
    assert.ok(Math.abs(ours.auc - ref.auc) < 1e-9, `AUC ${ours.auc} vs NumPy ${ref.auc}`);
    // Items aligned with each user's relevant set rank perfectly.
    const perfect = rankingQuality([Float32Array.of(1, 0)], Float32Array.of(1, 0, 0, 1, 2, 0), 2, [new Set([0, 2])], 2);
    assert.deepEqual(perfect, { map: 1, auc: 1 });
  });
});
