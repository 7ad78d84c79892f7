import { copyFileSync, existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import type { NextConfig } from "next";

/**
 * next/font/local only resolves fonts inside the project and Google Fonts is unreachable offline, so the
 * Debian DejaVu files are copied next to app/fonts.ts. Doing it here (config load precedes every
 * `next dev`/`next build`) keeps the binaries out of git without a package.json prebuild hook.
 */
function copyDebianFonts(): void {
  const from = "/usr/share/fonts/truetype/dejavu";
  const to = join(import.meta.dirname, "app", "fonts");
  mkdirSync(to, { recursive: true });
  for (const file of ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf"]) {
    if (!existsSync(join(to, file))) copyFileSync(join(from, file), join(to, file));
  }
}

copyDebianFonts();

const config: NextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  // Writing Turbopack's persistent cache cost ~80 s per build and no build here reuses it.
  // proxyTimeout: the /media proxy (proxy.ts) waits for the API, which makes a tracker module's MP3 rendition on
  // its first request: Next's default 30 s cut that off on a loaded machine, and idle paused audio downloads too.
  experimental: { turbopackFileSystemCacheForBuild: false, proxyTimeout: 120_000 },
};

export default config;
