import type { Metadata } from "next";
import type { ReactNode } from "react";
import { Nav } from "@/components/Nav";
import { SignIn } from "@/features/session/SignIn";
import { sans } from "./fonts";
import styles from "./layout.module.css";
import "./globals.css";

export const metadata: Metadata = {
  title: "Curator Workbench",
  description: "Content-based music recommendation workbench",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en" className={sans.variable}>
      <body>
        <a href="#main" className={styles.skip}>
          Skip to content
        </a>
        <header className={styles.header}>
          <span className={styles.brand}>Curator Workbench</span>
          <Nav />
          <SignIn />
        </header>
        <main id="main" className={styles.main}>
          {children}
        </main>
      </body>
    </html>
  );
}
