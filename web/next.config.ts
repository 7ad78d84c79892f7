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
  experimental: { turbopackFileSystemCacheForBuild: false },
};

export default config;
