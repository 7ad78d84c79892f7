/**
 * The two loops that dominate a CG half-iteration, as WebAssembly SIMD (f32x4): V8 runs scalar JS on these at
 * about a quarter of the speed. The module is assembled here from opcodes (no toolchain needed) and runs on
 * one shared WebAssembly.Memory that holds the indices, confidences, factors and per-thread scratch, so every
 * worker thread instantiates it on the same bytes.
 *
 * Exports (byte addresses into the memory; kBytes = 4·factors, a multiple of 16):
 *   sparsePass(lo, hi, idx, conf, y, kBytes, v, out, withTarget):
 *       for each stored entry j in [lo, hi): d = y_i·v, t = (c_j − 1)·d, or c_j − (c_j − 1)·d when
 *       withTarget ≠ 0; out += t·y_i.   (i = idx[j], c_j = conf[j]; y rows of kBytes)
 *   denseMatVec(g, kBytes, v, out): out = G·v for symmetric row-major G (as Σ_b v_b·G_b, row-wise axpys).
 * Sums are float32 (as benfred/implicit's float32 BLAS): the dot product in two 4-lane accumulators (even and
 * odd 16-byte steps) added, then lanes (l0 + l1) + (l2 + l3); the same arithmetic for every row whatever
 * thread runs it.
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

const str = (s: string): number[] => [...uleb(s.length), ...Buffer.from(s, "utf8")];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];

// Instructions used below.
const get = (l: number) => [0x20, l];
const set = (l: number) => [0x21, l];
const i32c = (n: number) => [0x41, n]; // small non-negative constants only (< 64)
const add = [0x6a];
const mul = [0x6c];
const ltU = [0x49];
const geU = [0x4f];
const i32load = [0x28, 0x02, 0x00];
const f32load = [0x2a, 0x02, 0x00];
const f32add = [0x92];
const f32sub = [0x93];
const f32mul = [0x94];
const f32one = [0x43, 0x00, 0x00, 0x80, 0x3f];
const select = [0x1b];
const v128load = [0xfd, 0x00, 0x04, 0x00];
const v128loadAt16 = [0xfd, 0x00, 0x04, 0x10];
const gtU = [0x4b];
const leU = [0x4d];
const ifThen = [0x04, 0x40];
const v128store = [0xfd, 0x0b, 0x04, 0x00];
const v128zero = [0xfd, 0x0c, ...new Array<number>(16).fill(0)];
const splat = [0xfd, 0x13];
const lane = (n: number) => [0xfd, 0x1f, n];
const vadd = [0xfd, 0xe4, 0x01];
const vmul = [0xfd, 0xe6, 0x01];
const loop = [0x03, 0x40];
const block = [0x02, 0x40];
const end = [0x0b];
const brIf = (depth: number) => [0x0d, depth];

/** out[a..] += tv · src[a..] over kBytes, a = local `a`. */
function axpyLoop(a: number, kBytes: number, out: number, tv: number, src: number): number[] {
  return [
    ...i32c(0), ...set(a),
    ...loop,
    ...get(out), ...get(a), ...add,
    ...get(out), ...get(a), ...add, ...v128load,
    ...get(tv), ...get(src), ...get(a), ...add, ...v128load, ...vmul,
    ...vadd, ...v128store,
    ...get(a), ...i32c(16), ...add, ...set(a),
    ...get(a), ...get(kBytes), ...ltU, ...brIf(0),
    ...end,
  ];
}

function sparsePassBody(): number[] {
  // params 0 lo, 1 hi, 2 idx, 3 conf, 4 y, 5 kBytes, 6 v, 7 out, 8 withTarget
  // locals 9 ip, 10 cp, 11 stop, 12 row, 13 a (i32); 14 acc, 15 tv, 16 acc2 (v128); 17 c, 18 t (f32)
  const [ip, cp, stop, row, a, acc, tv, acc2, c, t] = [9, 10, 11, 12, 13, 14, 15, 16, 17, 18];
  const locals = vec([[5, I32], [3, V128], [2, F32]]);
  const code = [
    ...get(2), ...get(0), ...i32c(2), 0x74, ...add, ...set(ip),
    ...get(2), ...get(1), ...i32c(2), 0x74, ...add, ...set(stop),
    ...get(3), ...get(0), ...i32c(2), 0x74, ...add, ...set(cp),
    ...block,
    ...get(ip), ...get(stop), ...geU, ...brIf(0),
    ...loop,
    ...get(4), ...get(ip), ...i32load, ...get(5), ...mul, ...add, ...set(row),
    ...get(cp), ...f32load, ...set(c),
    // Two accumulators over 32-byte steps halve the add-latency chain; a last 16-byte step goes to acc.
    ...v128zero, ...set(acc),
    ...v128zero, ...set(acc2),
    ...i32c(0), ...set(a),
    ...block,
    ...i32c(32), ...get(5), ...gtU, ...brIf(0),
    ...loop,
    ...get(acc), ...get(row), ...get(a), ...add, ...v128load, ...get(6), ...get(a), ...add, ...v128load, ...vmul, ...vadd, ...set(acc),
    ...get(acc2), ...get(row), ...get(a), ...add, ...v128loadAt16, ...get(6), ...get(a), ...add, ...v128loadAt16, ...vmul, ...vadd, ...set(acc2),
    ...get(a), ...i32c(32), ...add, ...set(a),
    ...get(a), ...i32c(32), ...add, ...get(5), ...leU, ...brIf(0),
    ...end,
    ...end,
    ...get(a), ...get(5), ...ltU, ...ifThen,
    ...get(acc), ...get(row), ...get(a), ...add, ...v128load, ...get(6), ...get(a), ...add, ...v128load, ...vmul, ...vadd, ...set(acc),
    ...end,
    ...get(acc), ...get(acc2), ...vadd, ...set(acc),
    // t = (c − 1)·((l0 + l1) + (l2 + l3))
    ...get(c), ...f32one, ...f32sub,
    ...get(acc), ...lane(0), ...get(acc), ...lane(1), ...f32add, ...get(acc), ...lane(2), ...get(acc), ...lane(3), ...f32add, ...f32add,
    ...f32mul, ...set(t),
    ...get(c), ...get(t), ...f32sub, ...get(t), ...get(8), ...select, ...splat, ...set(tv),
    ...axpyLoop(a, 5, 7, tv, row),
    ...get(ip), ...i32c(4), ...add, ...set(ip),
    ...get(cp), ...i32c(4), ...add, ...set(cp),
    ...get(ip), ...get(stop), ...ltU, ...brIf(0),
    ...end,
    ...end,
    ...end,
  ];
  return [...locals, ...code];
}

function denseMatVecBody(): number[] {
  // params 0 g, 1 kBytes, 2 v, 3 out; locals 4 a, 5 b (i32), 6 tv (v128)
  const [a, b, tv] = [4, 5, 6];
  const locals = vec([[2, I32], [1, V128]]);
  const code = [
    ...i32c(0), ...set(a),
    ...loop,
    ...get(3), ...get(a), ...add, ...v128zero, ...v128store,
    ...get(a), ...i32c(16), ...add, ...set(a),
    ...get(a), ...get(1), ...ltU, ...brIf(0),
    ...end,
    ...i32c(0), ...set(b),
    ...loop,
    ...get(2), ...get(b), ...add, ...f32load, ...splat, ...set(tv),
    ...axpyLoop(a, 1, 3, tv, 0),
    ...get(0), ...get(1), ...add, ...set(0),
    ...get(b), ...i32c(4), ...add, ...set(b),
    ...get(b), ...get(1), ...ltU, ...brIf(0),
    ...end,
    ...end,
  ];
  return [...locals, ...code];
}

function moduleBytes(): Uint8Array {
  const fn = (params: number) => [0x60, ...uleb(params), ...new Array<number>(params).fill(I32), 0x00];
  const body = (b: number[]) => [...uleb(b.length), ...b];
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([fn(9), fn(4)])),
    // (import "env" "memory" (memory 1 65536 shared))
    ...section(2, vec([[...str("env"), ...str("memory"), 0x02, 0x03, ...uleb(1), ...uleb(65536)]])),
    ...section(3, vec([[0x00], [0x01]])),
    ...section(7, vec([[...str("sparsePass"), 0x00, 0x00], [...str("denseMatVec"), 0x00, 0x01]])),
    ...section(10, vec([body(sparsePassBody()), body(denseMatVecBody())])),
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

export interface SimdKernels {
  sparsePass(lo: number, hi: number, idx: number, conf: number, y: number, kBytes: number, v: number, out: number, withTarget: number): void;
  denseMatVec(g: number, kBytes: number, v: number, out: number): void;
}

let compiled: object | undefined;

/** Instantiates the kernels on a shared memory (synchronous: the module is a few hundred bytes). */
export function simdKernels(memory: SharedMemory): SimdKernels {
  compiled ??= new wasm.Module(moduleBytes());
  return new wasm.Instance(compiled, { env: { memory } }).exports as SimdKernels;
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
