import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import {
  auc,
  averagePrecisionAtK,
  meanAuc,
  meanAveragePrecisionAtK,
  ndcgAtK,
  recallAtK,
} from "@curator/worker/evaluation/metrics.js";
import { fitAls } from "@curator/worker/factorize/als.js";
import { toConfidence } from "@curator/worker/factorize/confidence.js";
import { normalizeRows } from "@curator/db/factor-sets.js";
import { estimateMemory, randomFactors } from "@curator/worker/factorize/factors.js";
import { lossRows, totalLoss } from "@curator/worker/factorize/loss.js";
import { writeNpy } from "@curator/worker/factorize/npy.js";
import { referenceSparsePass, SharedArena, simdKernels } from "@curator/worker/factorize/simd.js";
import {
  allocateCgBuffers,
  cgBufferLengths,
  cgSolveRows,
  choleskySolveRows,
  gramian,
  type HalfProblem,
  RowScratch,
} from "@curator/worker/factorize/solve.js";
import { buildInteractions, type SparseInteractions } from "@curator/worker/factorize/sparse.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));

function python(): string {
  const out = execFileSync("bash", [join(root, "scripts/python-env.sh"), "test"], { encoding: "utf8" });
  return out.trim().split("\n").at(-1)!;
}

/** A seeded random play-count matrix with about `density` of the cells set, some rows empty. */
function randomPlays(users: number, items: number, density: number, seed: number): SparseInteractions {
  const u = randomFactors(1, users * items * 2, seed, 1);
  const rows: number[] = [];
  const cols: number[] = [];
  const vals: number[] = [];
  for (let r = 0; r < users; r++) {
    if (r % 7 === 3) continue;
    for (let c = 0; c < items; c++) {
      if (u[r * items + c]! < density) {
        rows.push(r);
        cols.push(c);
        vals.push(1 + Math.floor(u[users * items + r * items + c]! * 20));
      }
    }
  }
  return buildInteractions(Int32Array.from(rows), Int32Array.from(cols), Float32Array.from(vals), users, items);
}

function closeArrays(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  let worst = 0;
  let scale = 0;
  for (let j = 0; j < actual.length; j++) {
    worst = Math.max(worst, Math.abs(actual[j]! - expected[j]!));
    scale = Math.max(scale, Math.abs(expected[j]!));
  }
  assert.ok(worst <= tol * Math.max(1, scale), `${what}: max abs difference ${worst} (scale ${scale}, tol ${tol})`);
}

function bitwiseEqual(a: Float32Array, b: Float32Array): boolean {
  return Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)) === 0;
}

describe("sparse interactions", () => {
  test("sums and counts duplicates, drops zero sums, sorts columns, transposes", () => {
    const m = buildInteractions(
      Int32Array.from([2, 0, 2, 0, 1, 0, 1]),
      Int32Array.from([1, 2, 1, 0, 3, 2, 0]),
      Float32Array.from([1, 5, 2, 3, 0, 1, 4]),
      3,
      4,
    );
    assert.equal(m.duplicates, 2);
    assert.equal(m.zeros, 1);
    assert.deepEqual([...m.csr.indptr], [0, 2, 3, 4]);
    assert.deepEqual([...m.csr.indices], [0, 2, 0, 1]);
    assert.deepEqual([...m.csr.data], [3, 6, 4, 3]);
    assert.deepEqual([...m.csc.indptr], [0, 2, 3, 4, 4]);
    assert.deepEqual([...m.csc.indices], [0, 1, 2, 0]);
    assert.deepEqual([...m.csc.data], [3, 4, 3, 6]);
  });

  test("bad triplets are rejected naming the index and reason", () => {
    const build = (r: number[], c: number[], v: number[]) =>
      buildInteractions(Int32Array.from(r), Int32Array.from(c), Float32Array.from(v), 3, 4);
    assert.throws(() => build([0, 1], [0, 1], [1, -2]), /triplet 1 \(user 1, item 1\): play count -2 is negative/);
    assert.throws(() => build([0, 1, 2], [0, 1, 2], [1, 1, Number.NaN]), /triplet 2 \(user 2, item 2\): play count NaN is not finite/);
    assert.throws(() => build([0, 3], [0, 1], [1, 1]), /triplet 1: user id 3 outside \[0, 3\)/);
    assert.throws(() => build([0, 0], [-1, 1], [1, 1]), /triplet 0: item id -1 outside \[0, 4\)/);
    assert.throws(() => build([0], [0, 1], [1]), /COO arrays differ in length/);
  });
});

describe("ALS against NumPy", () => {
  // 12 = one two-accumulator SIMD step plus a single tail step in the dot product.
  const k = 12;
  const lambda = 0.1;
  const plays = randomPlays(30, 25, 0.2, 11);
  const users = toConfidence(plays.csr, { alpha: 2, scale: "log", epsilon: 0.5 });
  const x0 = randomFactors(30, k, 5, 1);
  const y = randomFactors(25, k, 6, 1);
  const problem = (target: Float32Array, regularization = lambda): HalfProblem => ({
    indptr: users.indptr,
    indices: users.indices,
    confidence: users.data,
    target,
    fixed: y,
    factors: k,
    gram: gramian(y, 25, k, regularization),
  });
  let dir = "";
  let reference: { solved: number[]; loss: number };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "als-test-"));
    await writeNpy(join(dir, "indptr.npy"), users.indptr);
    await writeNpy(join(dir, "indices.npy"), users.indices);
    await writeNpy(join(dir, "confidence.npy"), users.data);
    await writeNpy(join(dir, "target.npy"), x0, [30, k]);
    await writeNpy(join(dir, "fixed.npy"), y, [25, k]);
    const script = join(root, "test/reference/als_half_step.py");
    reference = JSON.parse(execFileSync(python(), [script, dir, String(lambda)], { encoding: "utf8" }));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("exact (Cholesky) half-iteration matches np.linalg.solve per row", () => {
    const x = x0.slice();
    choleskySolveRows(problem(x), 0, 30, new RowScratch(k));
    closeArrays(x, reference.solved, 2e-6, "Cholesky rows");
  });

  test("CG with enough steps converges to the exact solution", () => {
    const exact = x0.slice();
    choleskySolveRows(problem(exact), 0, 30, new RowScratch(k));
    // CG reads its arrays from the SIMD kernels' shared memory.
    const nnz = users.indices.length;
    const arena = new SharedArena(SharedArena.bytes([nnz, nnz, 25 * k, 30 * k, ...cgBufferLengths(k)]));
    const indices = arena.int32(nnz);
    indices.set(users.indices);
    const confidence = arena.float32(nnz);
    confidence.set(users.data);
    const fixed = arena.float32(25 * k);
    fixed.set(y);
    const target = arena.float32(30 * k);
    const ws = { ...allocateCgBuffers(arena, k), kernels: simdKernels(arena.memory, k) };
    ws.gram.set(gramian(y, 25, k, lambda));
    const cg = (steps: number): Float32Array => {
      target.set(x0);
      cgSolveRows({ ...problem(target), indices, confidence, fixed }, 0, 30, steps, new RowScratch(k), ws);
      return target.slice();
    };
    const few = cg(2);
    const many = cg(4 * k);
    assert.throws(() => cgSolveRows(problem(x0.slice()), 0, 30, 1, new RowScratch(k), ws), /indices must live in the kernels' shared memory/);
    // CG's products are float32 SIMD sums, so it reaches the exact solution to float32 precision × conditioning.
    closeArrays(many, exact, 1e-4, "CG 4k steps vs Cholesky");
    let fewErr = 0;
    for (let j = 0; j < exact.length; j++) fewErr = Math.max(fewErr, Math.abs(few[j]! - exact[j]!));
    assert.ok(fewErr > 1e-2, `2 CG steps should be far from exact (else this test proves nothing): ${fewErr}`);
  });

  test("weighted loss matches the dense NumPy loss", () => {
    const shares = new Float64Array(30);
    lossRows(problem(x0, 0), lambda, 0, 30, shares);
    const loss = totalLoss(shares, 30, 25, y, users.data, lambda);
    assert.ok(Math.abs(loss - reference.loss) <= 1e-9 * reference.loss, `loss ${loss} vs NumPy ${reference.loss}`);
  });
});

describe("SIMD kernels", () => {
  // Each k is compiled into its own unrolled module; 12 has an odd number of lane groups (the last one goes to the
  // first accumulator), 4 has a single one.
  for (const k of [4, 12, 40, 64]) {
    test(`sparsePass and denseMatVec equal their float32 specification bit for bit (k = ${k})`, () => {
      const rows = 37;
      const nnz = 90;
      const arena = new SharedArena(SharedArena.bytes([nnz, nnz, rows * k, k, k, k * k]));
      const indices = arena.int32(nnz);
      const confidence = arena.float32(nnz);
      const y = arena.float32(rows * k);
      const v = arena.float32(k);
      const out = arena.float32(k);
      const g = arena.float32(k * k);
      const noise = randomFactors(1, nnz + rows * k + 2 * k + k * k, 11, 1);
      let at = 0;
      for (let j = 0; j < nnz; j++) {
        indices[j] = Math.floor(noise[at++]! * rows);
        confidence[j] = 1 + 40 * j;
      }
      for (const a of [y, v, g]) for (let j = 0; j < a.length; j++) a[j] = noise[at++]! - 0.5;
      const kernels = simdKernels(arena.memory, k);
      for (const withTarget of [false, true]) {
        const start = randomFactors(1, k, withTarget ? 3 : 4, 1);
        const expected = start.slice();
        referenceSparsePass(indices, confidence, 5, 80, y, v, expected, withTarget);
        out.set(start);
        kernels.sparsePass(5, 80, indices.byteOffset, confidence.byteOffset, y.byteOffset, v.byteOffset, out.byteOffset, withTarget ? 1 : 0);
        assert.ok(bitwiseEqual(out, expected), `sparsePass withTarget=${withTarget}: ${out.slice(0, 4)} vs ${expected.slice(0, 4)}`);
      }
      const dense = new Float32Array(k);
      for (let b = 0; b < k; b++) for (let a = 0; a < k; a++) dense[a] = Math.fround(dense[a]! + Math.fround(v[b]! * g[b * k + a]!));
      kernels.denseMatVec(g.byteOffset, v.byteOffset, out.byteOffset);
      assert.ok(bitwiseEqual(out, dense), "denseMatVec");
      out.fill(7);
      kernels.sparsePass(9, 9, indices.byteOffset, confidence.byteOffset, y.byteOffset, v.byteOffset, out.byteOffset, 0);
      assert.ok(out.every((x) => x === 7), "an empty range leaves out alone");
    });
  }

  test("a factor count that is not a multiple of 4 is refused", () => {
    assert.throws(() => simdKernels(new SharedArena(65536).memory, 10), /multiple of 4, got 10/);
  });
});

describe("fitAls", () => {
  const plays = randomPlays(400, 150, 0.05, 3);
  const base = { factors: 8, iterations: 4, regularization: 0.05, alpha: 10, seed: 9, computeLoss: true } as const;

  test("threads = 1 and threads = 2 give bitwise identical factors and losses", async () => {
    // More users than one Gram block (GRAM_BLOCK_ROWS), so the blocked parallel Gram matrix is exercised too.
    const wide = randomPlays(5000, 300, 0.01, 4);
    const one = await fitAls(wide, { ...base, threads: 1 });
    const two = await fitAls(wide, { ...base, threads: 2, chunkRows: 5 });
    assert.ok(bitwiseEqual(one.userFactors, two.userFactors), "user factors differ");
    assert.ok(bitwiseEqual(one.itemFactors, two.itemFactors), "item factors differ");
    assert.deepEqual(one.losses, two.losses);
  });

  for (const factors of [4, 8]) {
  test(`CG training tracks exact ALS and the loss decreases (${factors} factors)`, async () => {
    const cg = await fitAls(plays, { ...base, factors, iterations: 15, threads: 1 });
    const exact = await fitAls(plays, { ...base, factors, iterations: 15, threads: 2, solver: "cholesky" });
    for (let j = 1; j < exact.losses.length; j++) {
      assert.ok(exact.losses[j]! <= exact.losses[j - 1]! * (1 + 1e-9), `exact ALS loss rose at iteration ${j}: ${exact.losses}`);
    }
    const cgLast = cg.losses.at(-1)!;
    const exactLast = exact.losses.at(-1)!;
    assert.ok(cgLast < cg.losses[0]!, `CG loss did not decrease: ${cg.losses}`);
    assert.ok(Math.abs(cgLast - exactLast) <= 0.02 * exactLast, `CG loss ${cgLast} vs exact ${exactLast}`);
  });
  }

  test("resuming from a checkpoint reproduces an uninterrupted fit", async () => {
    const straight = await fitAls(plays, { ...base, threads: 1 });
    let checkpoint: { userFactors: Float32Array; itemFactors: Float32Array } | undefined;
    await fitAls(plays, {
      ...base,
      threads: 1,
      iterations: 2,
      onIteration: (r) => {
        assert.ok(r.elapsedMs >= 0 && r.loss !== undefined);
        checkpoint = { userFactors: r.userFactors.slice(), itemFactors: r.itemFactors.slice() };
      },
    });
    const resumed = await fitAls(plays, { ...base, threads: 2, initial: checkpoint!, startIteration: 2 });
    assert.ok(bitwiseEqual(straight.userFactors, resumed.userFactors));
    assert.ok(bitwiseEqual(straight.itemFactors, resumed.itemFactors));
    assert.deepEqual(resumed.losses, straight.losses.slice(2));
  });

  test("a non-positive-definite row names the row", async () => {
    const m = buildInteractions(Int32Array.from([1]), Int32Array.from([0]), Float32Array.from([1]), 2, 1);
    await assert.rejects(
      // Zero item factors and λ = 0 make the matrix exactly 0; user 0 has no entries and is skipped.
      fitAls(m, {
        factors: 2,
        iterations: 1,
        regularization: 0,
        solver: "cholesky",
        threads: 2,
        initial: { userFactors: new Float32Array(4), itemFactors: new Float32Array(2) },
      }),
      /row 1: normal-equation matrix is not positive definite/,
    );
  });

  test("bad options and initial factors are rejected", async () => {
    await assert.rejects(fitAls(plays, { threads: 0 }), /threads must be an integer ≥ 1/);
    await assert.rejects(fitAls(plays, { startIteration: 16 }), /startIteration/);
    await assert.rejects(fitAls(plays, { factors: 6 }), /CG solver needs factors to be a multiple of 4/);
    const bad = { userFactors: new Float32Array(400 * 8), itemFactors: new Float32Array(150 * 8).fill(Number.NaN) };
    await assert.rejects(fitAls(plays, { factors: 8, initial: bad }), /initial itemFactors\[0\] is NaN/);
  });
});

describe("factor utilities", () => {
  test("normalizeRows returns norms and leaves zero rows alone", () => {
    const f = Float32Array.from([3, 4, 0, 0, 1, 0]);
    assert.deepEqual([...normalizeRows(f, 3, 2)], [5, 0, 1]);
    closeArrays(f, [0.6, 0.8, 0, 0, 1, 0], 1e-7, "normalised");
  });

  test("estimateMemory counts triplets, two sparse layouts and factors", () => {
    const m = estimateMemory(10, 5, 100, 4);
    assert.equal(m.tripletBytes, 1200);
    assert.equal(m.sparseBytes, 3200 + 8 * 17);
    assert.equal(m.factorBytes, 4 * 4 * 15);
  });
});

describe("ranking metrics", () => {
  test("hand-checked small cases", () => {
    const ranking = [7, 1, 3, 9, 4];
    const relevant = new Set([1, 4, 8]);
    assert.equal(recallAtK(ranking, relevant, 2), 1 / 3);
    assert.equal(recallAtK(ranking, relevant, 5), 2 / 3);
    // Hits at ranks 2 and 5: AP@5 = (1/2 + 2/5) / 3.
    assert.equal(averagePrecisionAtK(ranking, relevant, 5), (1 / 2 + 2 / 5) / 3);
    // k < |relevant|: the normaliser is k, so a perfect top-2 scores 1.
    assert.equal(averagePrecisionAtK([1, 4, 8], relevant, 2), 1);
    assert.equal(ndcgAtK(ranking, relevant, 5), (1 / Math.log2(3) + 1 / Math.log2(6)) / (1 + 1 / Math.log2(3) + 1 / Math.log2(4)));
    assert.equal(ndcgAtK([1, 4, 8, 0], relevant, 4), 1);
    // Scores 0..3: relevant {3} beats all three others; {0} beats none; a tie counts half.
    assert.equal(auc([0, 1, 2, 3], new Set([3])), 1);
    assert.equal(auc([0, 1, 2, 3], new Set([0])), 0);
    assert.equal(auc([1, 1, 0], new Set([0])), 0.75);
    assert.equal(auc([5, 0, 1, 2], new Set([3]), new Set([0])), 1);
    const map = meanAveragePrecisionAtK([[1], [2], [3]], [new Set([1]), new Set([9]), new Set()], 10);
    assert.deepEqual(map, { value: 0.5, users: 2 });
    assert.deepEqual(meanAuc([[0, 1]], [new Set([1])]), { value: 1, users: 1 });
    assert.throws(() => recallAtK(ranking, new Set(), 5), /relevant set is empty/);
    assert.throws(() => auc([1, 2], new Set([1]), new Set([1])), /relevant item 1 is also excluded/);
    assert.throws(() => ndcgAtK(ranking, relevant, 0), /k must be an integer ≥ 1/);
  });

  test("match an independent NumPy reference on random rankings", () => {
    const items = 60;
    const k = 20;
    const noise = randomFactors(1, 50 * items * 2, 21, 1);
    const cases = Array.from({ length: 50 }, (_, u) => {
      // Quantised scores make ties, which both sides must break the same way in the ranking.
      const scores = Array.from({ length: items }, (_, i) => Math.round(noise[u * items + i]! * 30) / 30);
      const relevant = [...Array(items).keys()].filter((i) => noise[50 * items + u * items + i]! < 0.15 + (i % 5 === 0 ? 0.3 : 0));
      if (relevant.length === 0) relevant.push(u % items);
      const exclude = [...Array(items).keys()].filter((i) => !relevant.includes(i) && (i + u) % 9 === 0);
      const ranking = [...Array(items).keys()].filter((i) => !exclude.includes(i)).sort((a, b) => scores[b]! - scores[a]! || a - b);
      return { ranking, relevant, scores, exclude };
    });
    const script = join(root, "test/reference/ranking_metrics.py");
    const ref = JSON.parse(execFileSync(python(), [script], { input: JSON.stringify({ k, users: cases }), encoding: "utf8" })) as Record<
      "recall" | "ndcg" | "ap" | "auc",
      number[]
    >;
    cases.forEach((c, u) => {
      const rel = new Set(c.relevant);
      assert.ok(Math.abs(recallAtK(c.ranking, rel, k) - ref.recall[u]!) < 1e-12, `recall user ${u}`);
      assert.ok(Math.abs(ndcgAtK(c.ranking, rel, k) - ref.ndcg[u]!) < 1e-12, `ndcg user ${u}`);
      assert.ok(Math.abs(averagePrecisionAtK(c.ranking, rel, k) - ref.ap[u]!) < 1e-12, `ap user ${u}`);
      assert.ok(Math.abs(auc(c.scores, rel, new Set(c.exclude)) - ref.auc[u]!) < 1e-12, `auc user ${u}`);
    });
  });
});
