// FAISS through the patched faiss-node (scripts/native/20-faiss-node.sh) and the FaissIndex wrapper.
// Reference: brute-force inner products in JS (float64), computed here.
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";

import { applyIndexParameters, defaultIndexSpec, EXACT_SEARCH_LIMIT } from "@curator/server/index/factory.js";
import { FaissIndex, isFactoryString, isParameterName, type SearchResult } from "@curator/server/index/faiss-index.js";
import { randomUnitVectors } from "@curator/server/index/unit-vectors.js";

const D = 40;

function dot(a: Float32Array, i: number, b: Float32Array, j: number): number {
  let s = 0;
  for (let t = 0; t < D; t++) s += a[i * D + t]! * b[j * D + t]!;
  return s;
}

/** Top-k (position, score) per query by exhaustive inner product. */
function bruteForce(base: Float32Array, queries: Float32Array, k: number): { pos: number; score: number }[][] {
  const n = base.length / D;
  const out: { pos: number; score: number }[][] = [];
  for (let q = 0; q < queries.length / D; q++) {
    const all = Array.from({ length: n }, (_, pos) => ({ pos, score: dot(queries, q, base, pos) }));
    all.sort((a, b) => b.score - a.score);
    out.push(all.slice(0, k));
  }
  return out;
}

const idOf = (pos: number): number => 1_000_003 + 7 * pos;
const idsFor = (n: number, first = 0): Float64Array => Float64Array.from({ length: n }, (_, i) => idOf(first + i));

function assertMatchesBruteForce(r: SearchResult, expected: { pos: number; score: number }[][]): void {
  for (const [q, row] of expected.entries()) {
    for (const [j, want] of row.entries()) {
      assert.ok(Math.abs(r.scores[q * r.k + j]! - want.score) < 1e-5, `query ${q} rank ${j}: score`);
      // FAISS works in float32: where two neighbours score within rounding, either order is right.
      const tied = [row[j - 1], row[j + 1]].some((o) => o !== undefined && Math.abs(o.score - want.score) < 1e-5);
      if (!tied) assert.equal(r.ids[q * r.k + j], idOf(want.pos), `query ${q} rank ${j}: id`);
    }
  }
}

function recallAt(r: SearchResult, truth: SearchResult): number {
  let hits = 0;
  for (let q = 0; q < truth.ids.length / truth.k; q++) {
    const want = new Set(truth.ids.subarray(q * truth.k, (q + 1) * truth.k));
    for (let j = 0; j < r.k; j++) if (want.has(r.ids[q * r.k + j]!)) hits++;
  }
  return hits / truth.ids.length;
}

const dir = mkdtempSync(join(tmpdir(), "faiss-test-"));
after(() => rmSync(dir, { recursive: true, force: true }));

describe("exact Flat inner-product search", () => {
  const n = 5000;
  const base = randomUnitVectors(n, D, 1);
  const queries = randomUnitVectors(50, D, 2);
  const index = FaissIndex.fromFactory(D, "Flat", "inner_product");
  index.addWithIds(base, idsFor(n));
  const expected = bruteForce(base, queries, 10);

  test("batched queries equal JS brute force (ids and scores)", () => {
    assert.equal(index.ntotal, n);
    assertMatchesBruteForce(index.search(queries, 10), expected);
  });

  test("single queries equal JS brute force", () => {
    for (let q = 0; q < 50; q++) {
      assertMatchesBruteForce(index.search(queries.subarray(q * D, (q + 1) * D), 10), [expected[q]!]);
    }
  });

  test("searchAsync returns the same as search", async () => {
    assertMatchesBruteForce(await index.searchAsync(queries, 10), expected);
  });

  test("search into reused result buffers equals a fresh search, every time", () => {
    const into = FaissIndex.resultBuffers(1, 10);
    for (let q = 0; q < 50; q++) {
      const r = index.search(queries.subarray(q * D, (q + 1) * D), 10, undefined, into);
      assert.equal(r, into);
      assertMatchesBruteForce(r, [expected[q]!]);
    }
  });
});

test("result buffers: per-search knobs and id translation write into them; wrong sizes and types are refused", () => {
  const n = 2000;
  const base = randomUnitVectors(n, D, 6);
  const index = FaissIndex.fromFactory(D, "IVF16,PQ40x4fs,RFlat");
  index.train(base);
  index.addWithIds(base, idsFor(n));
  const queries = base.subarray(0, 5 * D);
  const into = FaissIndex.resultBuffers(5, 3);
  index.search(queries, 3, { nprobe: 16 }, into);
  const fresh = index.search(queries, 3, { nprobe: 16 });
  assert.deepEqual([...into.ids], [...fresh.ids]);
  assert.deepEqual([...into.scores], [...fresh.scores]);
  assert.deepEqual([0, 1, 2, 3, 4].map((q) => into.ids[q * 3]), [0, 1, 2, 3, 4].map(idOf));
  assert.throws(() => index.search(queries, 4, undefined, into), /made for k = 3, not 4/);
  assert.throws(() => index.search(queries.subarray(0, D), 3, undefined, into), /out arrays must hold nq × k = 3 values/);
  const wrongType = { ids: new Float32Array(15) as unknown as Float64Array, scores: new Float32Array(15), k: 3 };
  assert.throws(() => index.search(queries, 3, undefined, wrongType), /out must hold a Float32Array distances and a Float64Array labels/);
  assert.equal(index.search(queries.subarray(0, D), 1).ids[0], idOf(0));
});

test("ids survive removal and re-add", () => {
  const n = 1000;
  const base = randomUnitVectors(n, D, 3);
  const index = FaissIndex.fromFactory(D, "Flat");
  index.addWithIds(base, idsFor(n));
  const removed = Float64Array.from([idOf(0), idOf(500), idOf(999)]);
  assert.equal(index.removeIds(removed), 3);
  assert.equal(index.removeIds(removed), 0);
  assert.equal(index.ntotal, n - 3);

  // Each vector is its own nearest neighbour (score 1): survivors keep their ids although Flat compacted.
  const self = index.search(base, 1);
  for (let pos = 0; pos < n; pos++) {
    if (removed.includes(idOf(pos))) assert.notEqual(self.ids[pos], idOf(pos), `removed ${idOf(pos)} still found`);
    else assert.equal(self.ids[pos], idOf(pos), `vector ${pos} lost its id`);
  }

  const readded = Float64Array.from([42, 43]);
  index.addWithIds(Float32Array.from([...base.subarray(0, D), ...base.subarray(500 * D, 501 * D)]), readded);
  const again = index.search(Float32Array.from([...base.subarray(0, D), ...base.subarray(500 * D, 501 * D)]), 1);
  assert.deepEqual([...again.ids], [42, 43]);
  assert.equal(index.search(base.subarray(D, 2 * D), 1).ids[0], idOf(1));
});

test("BigInt64Array ids are accepted and negative or fractional ids rejected", () => {
  const index = FaissIndex.fromFactory(D, "Flat");
  const base = randomUnitVectors(2, D, 4);
  index.addWithIds(base, BigInt64Array.from([7n, 2n ** 40n]));
  assert.deepEqual([...index.search(base, 1).ids], [7, 2 ** 40]);
  assert.throws(() => index.addWithIds(base, [1, -1]), /addWithIds: ids\[1\] = -1/);
  assert.throws(() => index.addWithIds(base, [1, 2.5]), /addWithIds: ids\[1\] = 2\.5/);
  assert.throws(() => index.addWithIds(base, [1]), /2 vectors but 1 ids/);
});

describe("FAISS errors become JS Errors and the index keeps working", () => {
  const n = 2000;
  const base = randomUnitVectors(n, D, 5);
  const query = base.subarray(0, D);

  function assertStillWorks(index: FaissIndex): void {
    assert.equal(index.search(query, 1).ids[0], idOf(0));
  }

  test("search with k = 0, sync and async", async () => {
    const index = FaissIndex.fromFactory(D, "Flat");
    index.addWithIds(base, idsFor(n));
    assert.throws(() => index.search(query, 0), /faiss search failed: .*k > 0/);
    await assert.rejects(index.searchAsync(query, 0), /faiss searchAsync failed: .*k > 0/);
    assertStillWorks(index);
  });

  test("vectors of the wrong dimension", () => {
    const index = FaissIndex.fromFactory(D, "Flat");
    index.addWithIds(base, idsFor(n));
    assert.throws(() => index.search(new Float32Array(D - 1), 1), /length 39 is not a multiple of the index dimension 40/);
    assert.throws(() => index.addWithIds(new Float32Array(D + 1), [1]), RangeError);
    assertStillWorks(index);
  });

  test("removeIds on HNSW", () => {
    const index = FaissIndex.fromFactory(D, "HNSW32");
    index.addWithIds(base, idsFor(n));
    assert.throws(() => index.removeIds([idOf(0)]), /faiss remove_ids failed: .*not implemented/);
    assert.equal(index.ntotal, n);
    assertStillWorks(index);
  });

  test("adding to an untrained IVF, a bad factory string, nprobe on HNSW, a missing file", () => {
    const ivf = FaissIndex.fromFactory(D, "IVF16,Flat");
    assert.throws(() => ivf.addWithIds(base, idsFor(n)), /faiss add_with_ids failed: .*is_trained/);
    assert.throws(() => FaissIndex.fromFactory(D, "HNSWx" as "HNSW32"), /faiss index_factory\("IDMap2,HNSWx"\) failed/);
    const hnsw = FaissIndex.fromFactory(D, "HNSW32");
    hnsw.addWithIds(base, idsFor(n));
    assert.throws(() => hnsw.search(query, 1, { nprobe: 4 }), /nprobe applies to IVF indexes/);
    assert.throws(() => FaissIndex.read(join(dir, "missing.faissindex")), /faiss read_index\(".*missing.faissindex"\) failed/);
    assertStillWorks(hnsw);
  });
});

test("write then read round-trips ids, vectors and parameters", () => {
  const n = 3000;
  const base = randomUnitVectors(n, D, 6);
  const queries = randomUnitVectors(20, D, 7);
  const path = join(dir, "catalogue.faissindex");
  for (const description of ["Flat", "IVF16,Flat", "IVF16,PQ40x4fs,RFlat"] as const) {
    const index = FaissIndex.fromFactory(D, description);
    index.train(base);
    index.addWithIds(base, idsFor(n));
    if (description === "Flat") index.removeIds([idOf(1)]);
    else index.setParameter("nprobe", 4);
    if (description.endsWith("RFlat")) index.setParameter("k_factor_rf", 3);
    index.write(path);
    const copy = FaissIndex.read(path);
    assert.equal(copy.ntotal, index.ntotal);
    assert.equal(copy.d, D);
    assert.deepEqual(copy.search(queries, 10), index.search(queries, 10), description);
  }
  assert.deepEqual(readdirSync(dir), ["catalogue.faissindex"], "write left a temporary file behind");
});

describe("search parameters change recall", () => {
  const n = 20_000;
  const base = randomUnitVectors(n, D, 8);
  const queries = randomUnitVectors(200, D, 9);
  const exact = FaissIndex.fromFactory(D, "Flat");
  exact.addWithIds(base, idsFor(n));
  const truth = exact.search(queries, 10);

  test("exact truth agrees with JS brute force", () => {
    assertMatchesBruteForce(truth, bruteForce(base, queries.subarray(0, 20 * D), 10));
  });

  test("IVF nprobe: 1 list vs all lists, by setParameter and per search", () => {
    const nlist = 64;
    const ivf = FaissIndex.fromFactory(D, `IVF${nlist},Flat`);
    ivf.train(base);
    ivf.addWithIds(base, idsFor(n));
    ivf.setParameter("nprobe", 1);
    const narrow = recallAt(ivf.search(queries, 10), truth);
    ivf.setParameter("nprobe", nlist);
    const full = recallAt(ivf.search(queries, 10), truth);
    assert.ok(narrow < 0.8, `recall@10 with nprobe 1 is ${narrow}`);
    assert.ok(full > 0.99, `recall@10 with nprobe ${nlist} is ${full}`);
    // Per-search values override the index's own for that call only.
    assert.equal(recallAt(ivf.search(queries, 10, { nprobe: 1 }), truth), narrow);
    assert.equal(recallAt(ivf.search(queries, 10), truth), full);
  });

  test("HNSW efSearch: 16 vs 256", async () => {
    const hnsw = FaissIndex.fromFactory(D, "HNSW32");
    hnsw.addWithIds(base, idsFor(n));
    hnsw.setParameter("efSearch", 16);
    const low = recallAt(hnsw.search(queries, 10), truth);
    const high = recallAt(await hnsw.searchAsync(queries, 10, { efSearch: 256 }), truth);
    assert.ok(high > low, `recall@10 efSearch 256 (${high}) not above efSearch 16 (${low})`);
    assert.ok(high > 0.95, `recall@10 with efSearch 256 is ${high}`);
  });

  test("IVF over 4-bit codes, re-ranked exactly: k_factor_rf widens the candidates, ids are the caller's", () => {
    const nlist = 64;
    const index = FaissIndex.fromFactory(D, `IVF${nlist},PQ${D}x4fs,RFlat`);
    index.train(base);
    index.addWithIds(base, idsFor(n));
    index.setParameter("nprobe", nlist);
    index.setParameter("k_factor_rf", 1);
    const codesOnly = recallAt(index.search(queries, 10), truth);
    // n / k candidates per query: every vector is re-ranked, so the answer is the exact one.
    index.setParameter("k_factor_rf", n / 10);
    const everything = recallAt(index.search(queries, 10), truth);
    assert.ok(codesOnly < 0.95, `recall@10 ranking by 4-bit codes alone is ${codesOnly}`);
    assert.ok(everything > 0.999, `recall@10 re-ranking every vector is ${everything}`);
    // A per-search nprobe narrows this call only.
    const narrow = recallAt(index.search(queries, 10, { nprobe: 1 }), truth);
    assert.ok(narrow < 0.5, `recall@10 with nprobe 1 is ${narrow}`);
    assert.equal(recallAt(index.search(queries, 10), truth), everything);
    assert.throws(() => index.removeIds([idOf(0)]), /faiss remove_ids failed: .*not implemented/);
  });
});

test("factory strings and parameter names the wrapper takes", () => {
  for (const s of ["Flat", "IVF4096,Flat", "HNSW32", "IVF4096,PQ40x4fs,RFlat"]) assert.ok(isFactoryString(s), s);
  for (const s of ["HNSWx", "IVF4096,PQ40,RFlat", "IDMap2,Flat", "Flat,RFlat"]) assert.ok(!isFactoryString(s), s);
  assert.ok(isParameterName("k_factor_rf") && isParameterName("efConstruction"));
  assert.ok(!isParameterName("k_factor"));
});

test("default index spec: exact below the limit, re-ranked IVF fast-scan above", () => {
  assert.deepEqual(defaultIndexSpec(0, 40), { factory: "Flat", parameters: {} });
  assert.equal(defaultIndexSpec(EXACT_SEARCH_LIMIT - 1, 40).factory, "Flat");
  assert.deepEqual(defaultIndexSpec(1_000_000, 40), { factory: "IVF4096,PQ40x4fs,RFlat", parameters: { nprobe: 1024, k_factor_rf: 10 } });
  assert.ok(isFactoryString(defaultIndexSpec(EXACT_SEARCH_LIMIT, 17).factory));
  assert.throws(() => defaultIndexSpec(-1, 40), /vector count -1/);
  assert.throws(() => defaultIndexSpec(10, 0), /dimension 0/);
});

test("the default spec above the exact limit, with its settings, finds the exact neighbours", () => {
  const n = EXACT_SEARCH_LIMIT;
  const ids = Float64Array.from({ length: n }, (_, i) => 5 * i + 1);
  for (const d of [8, 40]) {
    const spec = defaultIndexSpec(n, d);
    const base = randomUnitVectors(n, d, 11);
    const queries = randomUnitVectors(200, d, 12);
    const exact = FaissIndex.fromFactory(d, "Flat");
    exact.addWithIds(base, ids);
    const index = FaissIndex.fromFactory(d, spec.factory);
    index.train(base);
    index.addWithIds(base, ids);
    applyIndexParameters(index, spec);
    const recall = recallAt(index.search(queries, 10), exact.search(queries, 10));
    assert.ok(recall >= 0.95, `recall@10 of ${spec.factory} with ${JSON.stringify(spec.parameters)} is ${recall}`);
  }
});
