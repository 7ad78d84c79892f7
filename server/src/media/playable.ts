import { extname } from "node:path";

/** How a track reaches a browser: the file itself, or a rendition made from it (see rendition.ts). */
export interface Playback {
  /** Extension of the URL and of the served file, with its dot: ".ogg", ".mp3". */
  extension: string;
  /** The Content-Type it is served with. */
  mimeType: string;
  /** What the listener hears, e.g. "Vorbis" or "MP3 (rendition of the MOD module)". */
  heard: string;
  /** True when the browser gets a rendition rather than the catalogue's file. */
  rendition: boolean;
  /** What the catalogue's file is, e.g. "Vorbis" or "S3M module" (ffprobe's codec says pcm_f32le for modules). */
  source: string;
}

/**
 * Containers and the codecs in them that every current browser decodes (Chromium, Firefox, Safari 17+), by the
 * file's extension. ffprobe alone cannot tell: a tracker module probes as pcm_f32le (libopenmpt renders it), a
 * codec any browser plays in a .wav but that no browser can read out of a .it.
 */
const NATIVE: Record<string, { mimeType: string; codecs: Record<string, string> }> = {
  ".ogg": { mimeType: "audio/ogg", codecs: { vorbis: "Vorbis", opus: "Opus", flac: "FLAC" } },
  ".oga": { mimeType: "audio/ogg", codecs: { vorbis: "Vorbis", opus: "Opus", flac: "FLAC" } },
  ".opus": { mimeType: "audio/ogg", codecs: { opus: "Opus" } },
  ".mp3": { mimeType: "audio/mpeg", codecs: { mp3: "MP3" } },
  ".flac": { mimeType: "audio/flac", codecs: { flac: "FLAC" } },
  ".wav": { mimeType: "audio/wav", codecs: { pcm_s16le: "PCM 16-bit", pcm_u8: "PCM 8-bit", pcm_f32le: "PCM float" } },
};

/** The rendition made for everything else: MP3 is the one lossy format every browser, phones included, decodes. */
export const RENDITION = Object.freeze({ extension: ".mp3", mimeType: "audio/mpeg", codec: "libmp3lame", quality: 2, sampleRate: 44100, channels: 2 });

/** Names of the sources browsers cannot read, for the "rendition of …" label. */
const SOURCE_NAMES: Record<string, string> = { ".it": "IT module", ".s3m": "S3M module", ".mod": "MOD module", ".xm": "XM module", ".mid": "MIDI file", ".midi": "MIDI file" };

/**
 * How a track with this audio file and ffprobe codec is played in a browser.
 *
 * Examples: `playbackOf("a.ogg", "vorbis")` → served as is, heard "Vorbis";
 * `playbackOf("b.it", "pcm_f32le")` → an MP3 rendition, heard "MP3 (rendition of the IT module)".
 */
export function playbackOf(audioPath: string, codec: string): Playback {
  const extension = extname(audioPath).toLowerCase();
  const native = NATIVE[extension];
  const heard = native?.codecs[codec];
  if (native && heard) return { extension, mimeType: native.mimeType, heard, rendition: false, source: heard };
  const source = SOURCE_NAMES[extension] ?? `${codec} in ${extension ? `a ${extension.slice(1)} file` : "a file without extension"}`;
  return { extension: RENDITION.extension, mimeType: RENDITION.mimeType, heard: `MP3 (rendition of the ${source})`, rendition: true, source };
}

/** The media route's path for a track's audio, with the extension of what is served (before any signing). */
export function audioMediaPath(track: { id: number; audioPath: string; codec: string }): string {
  return `/media/audio/${track.id}${playbackOf(track.audioPath, track.codec).extension}`;
}
