import { open } from "node:fs/promises";

// Largest possible Ogg page: 27-byte header + 255 lacing values + 255 × 255 bytes of data.
const MAX_PAGE = 27 + 255 + 255 * 255;

/**
 * Whether an Ogg file ends with a complete end-of-stream page. A cut-off Ogg file decodes without any ffmpeg
 * error (ffprobe even reports the shortened duration), so this is the only sign that it was truncated.
 * Scans back from the end for a page header whose length reaches exactly the end of the file.
 */
export async function oggEndsCleanly(path: string): Promise<boolean> {
  const handle = await open(path, "r");
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, MAX_PAGE);
    const tail = Buffer.alloc(length);
    await handle.read(tail, 0, length, size - length);
    for (let at = tail.lastIndexOf("OggS"); at >= 0; at = at > 0 ? tail.lastIndexOf("OggS", at - 1) : -1) {
      if (at + 27 > length || tail[at + 4] !== 0) continue;
      const segments = tail[at + 26]!;
      if (at + 27 + segments > length) continue;
      let pageLength = 27 + segments;
      for (let i = 0; i < segments; i++) pageLength += tail[at + 27 + i]!;
      if (at + pageLength === length) return (tail[at + 5]! & 0x04) !== 0;
    }
    return false;
  } finally {
    await handle.close();
  }
}
