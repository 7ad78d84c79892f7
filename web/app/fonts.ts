import localFont from "next/font/local";

// Files copied from Debian's fonts-dejavu-core by next.config.ts.
export const sans = localFont({
  src: [
    { path: "./fonts/DejaVuSans.ttf", weight: "400", style: "normal" },
    { path: "./fonts/DejaVuSans-Bold.ttf", weight: "700", style: "normal" },
  ],
  variable: "--font-sans",
  display: "swap",
});
