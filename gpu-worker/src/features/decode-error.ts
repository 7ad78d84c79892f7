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

/**
 * A file nothing could be decoded from (random bytes, a text file named .mp3): the reason says so in words a person
 * can act on, with the first thing ffmpeg or ffprobe said about it, instead of an exit status and "Conversion failed!".
 */
export function notAnAudioFile(path: string, found: string, stderr = ""): DecodeError {
  const first = stderr
    .split("\n")
    .map((line) => line.replace(/^\[[^\]]*\] /, "").trim())
    .find((line) => line.length > 0);
  return new DecodeError(path, "not-audio", `not an audio file: ${found}${first === undefined ? "" : ` (${first})`}`, stderr);
}
