import { DecodeError, notAnAudioFile, stderrReason } from "./decode-error.js";
import { assertReadableFile } from "./file-check.js";
import { runTool } from "../util/run-tool.js";

/** What ffprobe reports about a file's first audio stream and its container. */
export interface AudioProbe {
  path: string;
  /** Container format, e.g. "ogg", "mp3", "mov,mp4,m4a,3gp,3g2,mj2". */
  formatName: string;
  codec: string;
  durationSeconds: number;
  channels: number;
  sampleRate: number;
  /** Container and stream tags merged, keys lower-cased (stream tags win: Ogg keeps Vorbis comments there). */
  tags: Record<string, string>;
}

interface ProbeJson {
  streams?: Array<{
    codec_type?: string;
    codec_name?: string;
    channels?: number;
    sample_rate?: string;
    duration?: string;
    tags?: Record<string, string>;
  }>;
  format?: { format_name?: string; duration?: string; tags?: Record<string, string> };
}

function lowerKeys(tags: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(tags ?? {})) out[key.toLowerCase()] = value;
  return out;
}

/** Probes a file with ffprobe's JSON output; rejects with DecodeError if it's missing, empty or has no audio. */
export async function probeAudio(path: string, ffprobePath = "ffprobe"): Promise<AudioProbe> {
  await assertReadableFile(path);
  const run = await runTool(ffprobePath, [
    "-v", "error", "-print_format", "json", "-show_format", "-show_streams", path,
  ]);
  if (run.exitCode !== 0) throw new DecodeError(path, "not-audio", stderrReason(run.stderr), run.stderr);
  const json = JSON.parse(run.stdout.toString("utf8")) as ProbeJson;
  const stream = json.streams?.find((s) => s.codec_type === "audio");
  if (stream === undefined) {
    throw new DecodeError(path, "not-audio", `no audio stream (format ${json.format?.format_name ?? "unknown"})`);
  }
  // ffprobe "finds" an mp3 stream in any byte soup named .mp3, with no rate, no channels and no duration.
  if (!(Number(stream.sample_rate) > 0) || !((stream.channels ?? 0) > 0)) {
    throw notAnAudioFile(path, "ffprobe found no decodable audio stream (no sample rate or channel count)", run.stderr);
  }
  const durationSeconds = Number(json.format?.duration ?? stream.duration);
  if (!Number.isFinite(durationSeconds) || durationSeconds <= 0) {
    throw new DecodeError(path, "corrupt", "ffprobe reports no duration", run.stderr);
  }
  return {
    path,
    formatName: json.format?.format_name ?? "unknown",
    codec: stream.codec_name ?? "unknown",
    durationSeconds,
    channels: stream.channels ?? 0,
    sampleRate: Number(stream.sample_rate ?? 0),
    tags: { ...lowerKeys(json.format?.tags), ...lowerKeys(stream.tags) },
  };
}
