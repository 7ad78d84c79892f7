import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { parseDecoderLog } from "../features/decode.js";
import { DecodeError, notAnAudioFile, stderrReason } from "../features/decode-error.js";
import { probeAudio, type AudioProbe } from "../features/probe.js";
import { runTool } from "../util/run-tool.js";
import { parseMaxVolumeDb } from "./peak-level.js";

/**
 * Decodes the whole file once to find its peak: a file can probe fine yet render silence (a tracker module whose
 * samples libopenmpt cannot play), and only the decoded level shows it.
 */
export async function peakLevelDb(path: string): Promise<number> {
  const run = await runTool("ffmpeg", ["-hide_banner", "-nostats", "-loglevel", "level+info", "-i", path, "-map", "0:a:0", "-af", "volumedetect", "-f", "null", "-"]);
  if (run.exitCode !== 0) {
    const { errors } = parseDecoderLog(run.stderr);
    if (/n_samples: 0\b/.test(run.stderr)) throw notAnAudioFile(path, "ffmpeg decoded no audio from it", errors);
    throw new DecodeError(path, "corrupt", `ffmpeg exit ${run.exitCode ?? run.signal}: ${stderrReason(errors)}`, run.stderr);
  }
  return parseMaxVolumeDb(run.stderr);
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
