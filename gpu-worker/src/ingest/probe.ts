import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { execFile } from "./exec.js";
import { parseFfprobe, parseMaxVolumeDb, type AudioInfo } from "./audio-info.js";

export async function probeAudio(path: string): Promise<AudioInfo> {
  const { stdout } = await execFile("ffprobe", ["-v", "error", "-print_format", "json", "-show_format", "-show_streams", path]);
  return parseFfprobe(stdout);
}

/**
 * Decodes the whole file once to find its peak: a file can probe fine yet render silence (a tracker module whose
 * samples libopenmpt cannot play), and only the decoded level shows it.
 */
export async function peakLevelDb(path: string): Promise<number> {
  const { stderr } = await execFile("ffmpeg", ["-hide_banner", "-nostats", "-v", "info", "-i", path, "-map", "0:a:0", "-af", "volumedetect", "-f", "null", "-"]);
  return parseMaxVolumeDb(stderr);
}

export function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash("sha256");
    createReadStream(path)
      .on("data", (b) => hash.update(b))
      .on("error", reject)
      .on("end", () => resolve(hash.digest("hex")));
  });
}

export interface AudioFacts extends AudioInfo {
  peakDb: number;
  contentHash: string;
}

export async function describeAudio(path: string): Promise<AudioFacts> {
  const info = await probeAudio(path);
  const [peakDb, contentHash] = await Promise.all([peakLevelDb(path), sha256File(path)]);
  return { ...info, peakDb, contentHash };
}
