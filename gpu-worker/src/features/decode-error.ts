/** Why a file could not be turned into samples. */
export type DecodeErrorKind = "missing" | "empty" | "not-audio" | "corrupt" | "truncated";

/** A rejected audio file: the path, a one-line reason and, where ffmpeg/ffprobe ran, its stderr. */
export class DecodeError extends Error {
  override readonly name = "DecodeError";
  constructor(
    readonly path: string,
    readonly kind: DecodeErrorKind,
    readonly reason: string,
    readonly stderr = "",
  ) {
    super(`${path}: ${kind}: ${reason}`);
  }
}

/** The last non-empty stderr lines, ffmpeg's own summary of what went wrong. */
export function stderrReason(stderr: string, lines = 3): string {
  const tail = stderr
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .slice(-lines);
  return tail.length > 0 ? tail.join(" | ") : "no message";
}
