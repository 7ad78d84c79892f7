import { spawn } from "node:child_process";
import type { Readable } from "node:stream";

export interface ToolRun {
  stdout: Buffer;
  /** What the tool wrote to file descriptors 3, 4, … (`pipe:3` for ffmpeg), one buffer per extra output. */
  extraOutputs: Buffer[];
  stderr: string;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
}

function collect(stream: Readable): () => Buffer {
  const chunks: Buffer[] = [];
  stream.on("data", (chunk: Buffer) => chunks.push(chunk));
  return () => Buffer.concat(chunks);
}

/**
 * This process's environment with OpenBLAS held to one thread. Debian's ffmpeg and ffprobe link OpenBLAS
 * (libavfilter → pocketsphinx), whose initialiser starts a worker thread per further core that spins on
 * sched_yield for its first ~0.1 s although no decode calls BLAS: ≈ 4 CPU-ms per clip of a 16-file batch on 2
 * cores, ≈ 0.1 CPU-s per volumedetect probe. The other tools run here (apt-get, dpkg-deb) do not care.
 */
function toolEnv(): NodeJS.ProcessEnv {
  return { ...process.env, OPENBLAS_NUM_THREADS: "1" };
}

/**
 * Runs a tool (ffmpeg, ffprobe, apt-get, dpkg-deb) to completion, collecting stdout (and `extraOutputs` more pipes, fds 3 onwards) as bytes and
 * stderr as text. Every pipe is drained as it fills, so a tool writing several outputs in turn never blocks.
 * Rejects only if it can't start.
 */
export function runTool(executable: string, args: readonly string[], extraOutputs = 0, cwd?: string): Promise<ToolRun> {
  return new Promise((resolve, reject) => {
    // No shell: paths with spaces or quotes stay intact.
    const child = spawn(executable, args, { cwd, env: toolEnv(), stdio: ["ignore", "pipe", "pipe", ...Array<"pipe">(extraOutputs).fill("pipe")] });
    // Every descriptor but stdin is a pipe, so none of these streams is null.
    const [stdout, stderr, ...extras] = (child.stdio.slice(1) as Readable[]).map(collect);
    child.on("error", (error) => reject(new Error(`cannot run ${executable}: ${error.message}`)));
    child.on("close", (exitCode, signal) =>
      resolve({ stdout: stdout!(), extraOutputs: extras.map((bytes) => bytes()), stderr: stderr!().toString("utf8"), exitCode, signal }),
    );
  });
}

/**
 * Runs a tool and rejects with the tail of its stderr when it exits non-zero, so callers can put the tool's own
 * words into the bad-item reason.
 */
export async function execFile(executable: string, args: readonly string[], options: { cwd?: string } = {}): Promise<{ stdout: string; stderr: string }> {
  const run = await runTool(executable, args, 0, options.cwd);
  if (run.exitCode !== 0) {
    const tail = run.stderr.trim().split("\n").slice(-3).join(" | ");
    throw new Error(`${executable} exited with ${run.exitCode ?? run.signal}: ${tail}`);
  }
  return { stdout: run.stdout.toString("utf8"), stderr: run.stderr };
}
