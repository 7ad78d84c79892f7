/**
 * The two loops that dominate a CG half-iteration, as WebAssembly SIMD (f32x4): V8 runs scalar JS on these at
 * about a quarter of the speed. The module is assembled here from opcodes (no toolchain needed), once per factor
 * count k: fully unrolled over the k/4 lanes-groups, with the row being accumulated and the fixed row being read
 * held in locals and every other access at a constant offset, so no loop counter or address arithmetic runs per
 * lane-group (twice the speed of the looped kernel at k = 40). It runs on one shared WebAssembly.Memory that
 * holds the indices, confidences, factors and per-thread scratch, so every worker thread instantiates it on the
 * same bytes.
 *
 * Exports (byte addresses into the memory; rows are k float32 = kBytes bytes):
 *   sparsePass(lo, hi, idx, conf, y, v, out, withTarget):
 *       for each stored entry j in [lo, hi): d = y_i·v, t = (c_j − 1)·d, or c_j − (c_j − 1)·d when
 *       withTarget ≠ 0; out += t·y_i.   (i = idx[j], c_j = conf[j])
 *   denseMatVec(g, v, out): out = G·v for symmetric row-major G (as Σ_b v_b·G_b, row-wise axpys).
 * Sums are float32 (as benfred/implicit's float32 BLAS): the dot product in two 4-lane accumulators (even and
 * odd lane-groups, each in order) added, then lanes (l0 + l1) + (l2 + l3); `out` accumulates entry by entry in
 * order. The same arithmetic for every row whatever thread runs it (`referenceSparsePass` spells it out in JS).
 */

const I32 = 0x7f;
const V128 = 0x7b;
const F32 = 0x7d;

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

/** Signed LEB128 of a non-negative i32 (i32.const's immediate). */
function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if (n === 0 && (byte & 0x40) === 0) return [...out, byte];
    out.push(byte | 0x80);
  }
}

const str = (s: string): number[] => [...uleb(s.length), ...Buffer.from(s, "utf8")];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];

// Instructions used below.
const get = (l: number) => [0x20, ...uleb(l)];
const set = (l: number) => [0x21, ...uleb(l)];
const i32c = (n: number) => [0x41, ...sleb(n)];
const add = [0x6a];
const mul = [0x6c];
const shl = [0x74];
const ltU = [0x49];
const geU = [0x4f];
const i32load = [0x28, 0x02, 0x00];
const f32load = [0x2a, 0x02, 0x00];
const f32add = [0x92];
const f32sub = [0x93];
const f32mul = [0x94];
const f32one = [0x43, 0x00, 0x00, 0x80, 0x3f];
const select = [0x1b];
/** v128.load / v128.store at a constant byte offset from the address on the stack. */
const v128load = (offset: number) => [0xfd, 0x00, 0x04, ...uleb(offset)];
const v128store = (offset: number) => [0xfd, 0x0b, 0x04, ...uleb(offset)];
const v128zero = [0xfd, 0x0c, ...new Array<number>(16).fill(0)];
const splat = [0xfd, 0x13];
const lane = (n: number) => [0xfd, 0x1f, n];
const vadd = [0xfd, 0xe4, 0x01];
const vmul = [0xfd, 0xe6, 0x01];
const loop = [0x03, 0x40];
const block = [0x02, 0x40];
const end = [0x0b];
const brIf = (depth: number) => [0x0d, depth];
const range = (n: number): number[] => [...Array(n).keys()];

function sparsePassBody(groups: number): number[] {
  // params 0 lo, 1 hi, 2 idx, 3 conf, 4 y, 5 v, 6 out, 7 withTarget
  // locals 8 ip, 9 cp, 10 stop, 11 row (i32); 12 c, 13 t (f32); 14 acc, 15 acc2, 16 tv, then y_g, then o_g (v128)
  const [ip, cp, stop, row, c, t, acc, acc2, tv] = [8, 9, 10, 11, 12, 13, 14, 15, 16];
  const yg = (g: number) => 17 + g;
  const og = (g: number) => 17 + groups + g;
  const kBytes = 16 * groups;
  const locals = vec([[4, I32], [2, F32], [3 + 2 * groups, V128]]);
  /** acc(2) = y_g·v_g, or += when not the accumulator's first group. */
  const dotGroup = (g: number) => {
    const into = g % 2 === 0 ? acc : acc2;
    const product = [...get(yg(g)), ...get(5), ...v128load(16 * g), ...vmul];
    return g < 2 ? [...product, ...set(into)] : [...get(into), ...product, ...vadd, ...set(into)];
  };
  const code = [
    ...get(2), ...get(0), ...i32c(2), ...shl, ...add, ...set(ip),
    ...get(2), ...get(1), ...i32c(2), ...shl, ...add, ...set(stop),
    ...get(3), ...get(0), ...i32c(2), ...shl, ...add, ...set(cp),
    ...block,
    ...get(ip), ...get(stop), ...geU, ...brIf(0),
    ...range(groups).flatMap((g) => [...get(6), ...v128load(16 * g), ...set(og(g))]),
    ...loop,
    ...get(4), ...get(ip), ...i32load, ...i32c(kBytes), ...mul, ...add, ...set(row),
    ...get(cp), ...f32load, ...set(c),
    ...range(groups).flatMap((g) => [...get(row), ...v128load(16 * g), ...set(yg(g))]),
    ...range(groups).flatMap(dotGroup),
    ...(groups > 1 ? [...get(acc), ...get(acc2), ...vadd, ...set(acc)] : []),
    // t = (c − 1)·((l0 + l1) + (l2 + l3))
    ...get(c), ...f32one, ...f32sub,
    ...get(acc), ...lane(0), ...get(acc), ...lane(1), ...f32add, ...get(acc), ...lane(2), ...get(acc), ...lane(3), ...f32add, ...f32add,
    ...f32mul, ...set(t),
    ...get(c), ...get(t), ...f32sub, ...get(t), ...get(7), ...select, ...splat, ...set(tv),
    ...range(groups).flatMap((g) => [...get(og(g)), ...get(tv), ...get(yg(g)), ...vmul, ...vadd, ...set(og(g))]),
    ...get(ip), ...i32c(4), ...add, ...set(ip),
    ...get(cp), ...i32c(4), ...add, ...set(cp),
    ...get(ip), ...get(stop), ...ltU, ...brIf(0),
    ...end,
    ...range(groups).flatMap((g) => [...get(6), ...get(og(g)), ...v128store(16 * g)]),
    ...end,
    ...end,
  ];
  return [...locals, ...code];
}

function denseMatVecBody(groups: number): number[] {
  // params 0 g, 1 v, 2 out; locals 3 stop (i32), 4 tv, then o_j (v128)
  const [stop, tv] = [3, 4];
  const og = (j: number) => 5 + j;
  const kBytes = 16 * groups;
  const locals = vec([[1, I32], [1 + groups, V128]]);
  const code = [
    ...range(groups).flatMap((j) => [...v128zero, ...set(og(j))]),
    ...get(1), ...i32c(kBytes), ...add, ...set(stop),
    ...loop,
    ...get(1), ...f32load, ...splat, ...set(tv),
    ...range(groups).flatMap((j) => [...get(og(j)), ...get(tv), ...get(0), ...v128load(16 * j), ...vmul, ...vadd, ...set(og(j))]),
    ...get(0), ...i32c(kBytes), ...add, ...set(0),
    ...get(1), ...i32c(4), ...add, ...set(1),
    ...get(1), ...get(stop), ...ltU, ...brIf(0),
    ...end,
    ...range(groups).flatMap((j) => [...get(2), ...get(og(j)), ...v128store(16 * j)]),
    ...end,
  ];
  return [...locals, ...code];
}

function moduleBytes(groups: number): Uint8Array {
  const fn = (params: number) => [0x60, ...uleb(params), ...new Array<number>(params).fill(I32), 0x00];
  const body = (b: number[]) => [...uleb(b.length), ...b];
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([fn(8), fn(3)])),
    // (import "env" "memory" (memory 1 65536 shared))
    ...section(2, vec([[...str("env"), ...str("memory"), 0x02, 0x03, ...uleb(1), ...uleb(65536)]])),
    ...section(3, vec([[0x00], [0x01]])),
    ...section(7, vec([[...str("sparsePass"), 0x00, 0x00], [...str("denseMatVec"), 0x00, 0x01]])),
    ...section(10, vec([body(sparsePassBody(groups)), body(denseMatVecBody(groups))])),
  ]);
}

/** A shared WebAssembly.Memory; its buffer is a SharedArrayBuffer, so posting it to a worker shares it. */
export interface SharedMemory {
  readonly buffer: SharedArrayBuffer;
}

/** The slice of the WebAssembly API used here (the compiler's ES2023 + Node libs do not declare it). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: object };
  Memory: new (descriptor: { initial: number; maximum: number; shared: true }) => SharedMemory;
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** The kernels of one factor count (rows of that many float32); addresses are byte offsets into the memory. */
export interface SimdKernels {
  sparsePass(lo: number, hi: number, idx: number, conf: number, y: number, v: number, out: number, withTarget: number): void;
  denseMatVec(g: number, v: number, out: number): void;
}

const compiled = new Map<number, object>();

/** Instantiates the kernels for `factors` (a multiple of 4) on a shared memory (synchronous: a few KiB). */
export function simdKernels(memory: SharedMemory, factors: number): SimdKernels {
  if (!Number.isInteger(factors) || factors < 4 || factors % 4 !== 0) throw new RangeError(`SIMD kernels need factors to be a positive multiple of 4, got ${factors}`);
  let module = compiled.get(factors);
  if (module === undefined) compiled.set(factors, (module = new wasm.Module(moduleBytes(factors / 4))));
  return new wasm.Instance(module, { env: { memory } }).exports as SimdKernels;
}

/**
 * simdKernels compiled at the first call: a pool's threads hold kernels whatever the solver, and only CG (whose
 * factor count is checked to be a multiple of 4) calls them.
 */
export function lazySimdKernels(memory: SharedMemory, factors: number): SimdKernels {
  let kernels: SimdKernels | undefined;
  const get = (): SimdKernels => (kernels ??= simdKernels(memory, factors));
  return {
    sparsePass: (lo, hi, idx, conf, y, v, out, withTarget) => get().sparsePass(lo, hi, idx, conf, y, v, out, withTarget),
    denseMatVec: (g, v, out) => get().denseMatVec(g, v, out),
  };
}

/**
 * sparsePass in plain float32 JS, operation for operation (Math.fround after each): the specification the
 * SIMD kernel is tested against bit for bit. Arrays instead of addresses; `out` is updated in place.
 */
export function referenceSparsePass(
  indices: Int32Array,
  confidence: Float32Array,
  lo: number,
  hi: number,
  y: Float32Array,
  v: Float32Array,
  out: Float32Array,
  withTarget: boolean,
): void {
  const f = Math.fround;
  const k = v.length;
  const groups = k / 4;
  for (let j = lo; j < hi; j++) {
    const base = indices[j]! * k;
    const c = confidence[j]!;
    const acc = [0, 0, 0, 0];
    const acc2 = [0, 0, 0, 0];
    for (let g = 0; g < groups; g++) {
      const into = g % 2 === 0 ? acc : acc2;
      for (let l = 0; l < 4; l++) {
        const product = f(y[base + 4 * g + l]! * v[4 * g + l]!);
        into[l] = g < 2 ? product : f(into[l]! + product);
      }
    }
    if (groups > 1) for (let l = 0; l < 4; l++) acc[l] = f(acc[l]! + acc2[l]!);
    const t = f(f(c - 1) * f(f(acc[0]! + acc[1]!) + f(acc[2]! + acc[3]!)));
    const tv = withTarget ? f(c - t) : t;
    for (let a = 0; a < k; a++) out[a] = f(out[a]! + f(tv * y[base + a]!));
  }
}

/** A shared memory of at least `bytes` bytes, sized exactly in 64 KiB pages. */
export function sharedMemory(bytes: number): SharedMemory {
  const pages = Math.max(1, Math.ceil(bytes / 65536));
  if (pages > 65536) throw new RangeError(`ALS working set of ${bytes} bytes exceeds WebAssembly's 4 GiB memory`);
  return new wasm.Memory({ initial: pages, maximum: pages, shared: true });
}

// Cache-line alignment: SIMD loads need 16, and one thread's scratch must not share a line with another's.
const alignLine = (bytes: number): number => Math.ceil(bytes / 64) * 64;

/**
 * Fixed-size bump allocator over one shared memory: every array the kernels read must live in it, at a
 * 64-byte-aligned address (its `byteOffset`). Size it with `SharedArena.bytes` of the same lengths.
 */
export class SharedArena {
  readonly memory: SharedMemory;
  private next = 0;

  /** Bytes needed for arrays of these 4-byte element counts. */
  static bytes(lengths: readonly number[]): number {
    return lengths.reduce((sum, n) => sum + alignLine(4 * n), 0);
  }

  constructor(bytes: number) {
    this.memory = sharedMemory(bytes);
  }

  private take(length: number): number {
    const offset = this.next;
    this.next += alignLine(4 * length);
    if (this.next > this.memory.buffer.byteLength) throw new RangeError(`SharedArena overflow: ${this.next} > ${this.memory.buffer.byteLength} bytes`);
    return offset;
  }

  float32(length: number): Float32Array {
    return new Float32Array(this.memory.buffer, this.take(length), length);
  }

  int32(length: number): Int32Array {
    return new Int32Array(this.memory.buffer, this.take(length), length);
  }
}
