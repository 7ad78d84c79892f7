// @echogarden/pffft-wasm ships an Emscripten module without type declarations: these are the parts stft.ts uses,
// with the C signatures of pffft.h (pointers are byte offsets into the module's heap).
declare module "@echogarden/pffft-wasm/simd" {
  export interface PffftModule {
    /** Float view of the heap; replaced when the heap grows, so read it after allocating. */
    readonly HEAPF32: Float32Array;
    /** `pffft_new_setup(N, transform)`: transform 0 = PFFFT_REAL, 1 = PFFFT_COMPLEX. */
    _pffft_new_setup(size: number, transform: number): number;
    /** SIMD-aligned allocation (pffft requires 16-byte alignment of input, output and work). */
    _pffft_aligned_malloc(bytes: number): number;
    /** `pffft_transform_ordered(setup, input, output, work, direction)`: direction 0 = PFFFT_FORWARD. */
    _pffft_transform_ordered(setup: number, input: number, output: number, work: number, direction: number): void;
  }
  export default function PFFFT(): Promise<PffftModule>;
}
