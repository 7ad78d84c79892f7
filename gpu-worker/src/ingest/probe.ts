import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { probeAudio, type AudioProbe } from "../features/probe.js";
import { execFile } from "../util/run-tool.js";
import { parseMaxVolumeDb } from "./peak-level.js";

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

export interface AudioFacts extends AudioProbe {
  peakDb: number;
  contentHash: string;
}

/** ffprobe first (its DecodeError names missing, empty and non-audio files), then the decode and the hash. */
export async function describeAudio(path: string): Promise<AudioFacts> {
  const probe = await probeAudio(path);
  if (probe.channels <= 0 || probe.sampleRate <= 0) throw new Error(`${path}: ffprobe reports no channel count or sample rate`);
  const [peakDb, contentHash] = await Promise.all([peakLevelDb(path), sha256File(path)]);
  return { ...probe, peakDb, contentHash };
}
