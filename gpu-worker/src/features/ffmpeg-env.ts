/**
 * The environment ffmpeg and ffprobe run in. Debian's builds link OpenBLAS (libavfilter → pocketsphinx), whose
 * initialiser starts a worker thread per further core that spins on sched_yield for its first ~0.1 s although no
 * decode calls BLAS: ≈ 4 CPU-ms per clip of a 16-file batch on 2 cores, more on a machine with more idle cores.
 */
export function ffmpegEnv(): NodeJS.ProcessEnv {
  return { ...process.env, OPENBLAS_NUM_THREADS: "1" };
}
