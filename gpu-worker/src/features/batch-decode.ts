import { assertReadableFile } from "./file-check.js";
import { decodeFile, formatOf, planFile, runDecoder, type DecodePart, type DecodedAudio, type FileDecodeOptions, type FilePlan } from "./decode.js";

/** One file of a batch: its path, the container duration ingest stored (Track.durationSec), the parts wanted. */
export interface BatchFile<P extends DecodePart = DecodePart> {
  path: string;
  durationSeconds: number;
  parts: readonly P[];
}

export type BatchDecodeOptions = Omit<FileDecodeOptions, "probe" | "ffprobePath">;

function settle<T>(promise: Promise<T>): Promise<PromiseSettledResult<T>> {
  return promise.then(
    (value) => ({ status: "fulfilled", value }),
    (reason: unknown) => ({ status: "rejected", reason }),
  );
}

/**
 * Several files decoded by one ffmpeg process, every part of every file an input and a pipe of its own. Debian's
 * ffmpeg takes ≈ 90 ms to start (dynamic linking of ~200 libraries), more than it takes to decode a 28 s excerpt,
 * so one start per batch instead of one per file is most of the decode pipeline's speed.
 *
 * Each file's result is exactly what decodeFile gives it: the same jobs, and the same checks on its own outputs
 * (a truncated file fails alone). A run with any error-level message can't be pinned on one input (decoder lines
 * name the codec, not the input, and a failed open stops every input), so then each readable file of the batch is
 * decoded again on its own and every bad one is reported with its own ffmpeg reason. Results are in `files`' order.
 */
export async function decodeBatch<P extends DecodePart>(files: readonly BatchFile<P>[], options: BatchDecodeOptions = {}): Promise<PromiseSettledResult<Record<P, DecodedAudio>>[]> {
  const checks = await Promise.all(files.map((file) => settle(assertReadableFile(file.path))));
  const decoded = new Array<PromiseSettledResult<Record<P, DecodedAudio>>>(files.length);
  const readable: number[] = [];
  checks.forEach((check, i) => (check.status === "rejected" ? (decoded[i] = check) : readable.push(i)));
  if (readable.length > 1) {
    let input = 0;
    const plans = new Map<number, { plan: FilePlan<P>; firstInput: number }>();
    for (const i of readable) {
      const plan = planFile(files[i]!.path, files[i]!.durationSeconds, files[i]!.parts, input, options);
      plans.set(i, { plan, firstInput: input });
      input += plan.jobs.length;
    }
    // A run that can't even start falls back too: each file's own run then reports why.
    const run = await runDecoder(options.ffmpegPath ?? "ffmpeg", [...plans.values()].flatMap(({ plan }) => plan.jobs)).catch(() => null);
    if (run !== null && run.failure === null) {
      for (const [i, { plan, firstInput }] of plans) {
        // Every job is one input and one output, so a file's outputs start at its first input's index.
        const outputs = run.outputs.slice(firstInput, firstInput + plan.jobs.length);
        decoded[i] = await settle(plan.finish(outputs, formatOf(run.log, firstInput)));
      }
      return decoded;
    }
  }
  for (const i of readable) {
    const { path, durationSeconds, parts } = files[i]!;
    decoded[i] = await settle(decodeFile(path, parts, { ...options, probe: { durationSeconds } }));
  }
  return decoded;
}
