import { writeFileSync } from "node:fs";

/**
 * A mono 16-bit 22.05 kHz sine as a WAV file, written directly: thousands of distinct small files in milliseconds,
 * where starting ffmpeg per file would take minutes on a loaded machine.
 */
export function writeWav(path: string, frequency: number, seconds: number, sampleRate = 22050): void {
  const n = Math.round(seconds * sampleRate);
  const b = Buffer.alloc(44 + 2 * n);
  b.write("RIFF", 0, "latin1");
  b.writeUInt32LE(36 + 2 * n, 4);
  b.write("WAVEfmt ", 8, "latin1");
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(1, 20); // PCM
  b.writeUInt16LE(1, 22); // mono
  b.writeUInt32LE(sampleRate, 24);
  b.writeUInt32LE(2 * sampleRate, 28);
  b.writeUInt16LE(2, 32);
  b.writeUInt16LE(16, 34);
  b.write("data", 36, "latin1");
  b.writeUInt32LE(2 * n, 40);
  for (let i = 0; i < n; i++) b.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * frequency * i) / sampleRate)), 44 + 2 * i);
  writeFileSync(path, b);
}
