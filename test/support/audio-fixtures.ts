// Audio files made by ffmpeg in the test run: good ones in several containers and every kind of broken file the
// decoder must name. Shared by the single-file and the batched decode tests, so both judge the same inputs.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export function ffmpeg(...args: string[]): void {
  execFileSync("ffmpeg", ["-v", "error", "-y", ...args]);
}

/**
 * Writes into dir: good.ogg (440 Hz, 40 s, 44.1 kHz stereo, titled "Good Song"), good.mp3 (550 Hz, 40 s, 48 kHz:
 * other content, rate and codec, so a batch that mixed up its outputs would show), stereo.wav (in-phase sines of
 * unequal amplitude, to check the true mono mean), short.ogg (10 s, padded), video-only.mp4, zero.ogg,
 * truncated-good.{ogg,mp3} (first half of the bytes), random.mp3 (byte soup) and notes.ogg (text).
 */
export function writeDecodeFixtures(dir: string): void {
  const path = (name: string) => join(dir, name);
  ffmpeg("-f", "lavfi", "-i", "sine=f=440:d=40:sample_rate=44100", "-ac", "2", "-metadata", "title=Good Song", "-c:a", "libvorbis", path("good.ogg"));
  ffmpeg("-f", "lavfi", "-i", "sine=f=550:d=40:sample_rate=48000", "-ac", "2", "-c:a", "libmp3lame", path("good.mp3"));
  ffmpeg("-f", "lavfi", "-i", "aevalsrc=0.5*sin(2*PI*440*t)|0.1*sin(2*PI*440*t):s=44100:d=30", "-c:a", "pcm_f32le", path("stereo.wav"));
  ffmpeg("-f", "lavfi", "-i", "sine=f=300:d=10", "-c:a", "libvorbis", path("short.ogg"));
  ffmpeg("-f", "lavfi", "-i", "color=c=red:s=64x64:d=2", "-c:v", "mpeg4", path("video-only.mp4"));
  writeFileSync(path("zero.ogg"), Buffer.alloc(0));
  for (const name of ["good.ogg", "good.mp3"]) {
    const bytes = readFileSync(path(name));
    writeFileSync(path(`truncated-${name}`), bytes.subarray(0, bytes.length >> 1));
  }
  // A deterministic byte soup: same bytes every run, no valid mp3 frame sync by construction of the LCG.
  const random = Buffer.alloc(100_000);
  for (let i = 0, s = 12345; i < random.length; i++) random[i] = (s = (s * 1103515245 + 12345) >>> 0) >>> 24;
  writeFileSync(path("random.mp3"), random);
  writeFileSync(path("notes.ogg"), "this is a text file, not audio\n");
}

/** Ogg's page checksum (CRC-32, polynomial 0x04c11db7, no reflection), over the page with its CRC field zeroed. */
function oggCrc(page: Uint8Array): number {
  let crc = 0;
  for (const byte of page) {
    crc ^= byte << 24;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x80000000 ? ((crc << 1) ^ 0x04c11db7) >>> 0 : (crc << 1) >>> 0;
  }
  return crc >>> 0;
}

/**
 * A copy of an Ogg file with 40 bytes of one packet in its middle page inverted: `fixCrc` recomputes the page's
 * checksum, so the page is read and the codec meets the bad packet; without it the demuxer drops the whole page
 * ("CRC mismatch!"). Either way ffmpeg logs errors and decodes on, as on the corpus's christmas_theme.ogg.
 */
export function corruptOggPacket(source: string, target: string, fixCrc: boolean): void {
  const bytes = Buffer.from(readFileSync(source));
  const pages: number[] = [];
  for (let at = bytes.indexOf("OggS"); at >= 0; at = bytes.indexOf("OggS", at + 4)) pages.push(at);
  const page = pages[pages.length >> 1]!;
  const segments = bytes[page + 26]!;
  let length = 27 + segments;
  for (let i = 0; i < segments; i++) length += bytes[page + 27 + i]!;
  const body = page + 27 + segments;
  for (let i = 0; i < 40; i++) bytes[body + 100 + i]! ^= 0xff;
  if (fixCrc) {
    bytes.writeUInt32LE(0, page + 22);
    bytes.writeUInt32LE(oggCrc(bytes.subarray(page, page + length)), page + 22);
  }
  writeFileSync(target, bytes);
}
