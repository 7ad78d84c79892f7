"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import styles from "./Nav.module.css";

/** Only pages whose data the API serves are listed. */
const sections = [
  { href: "/", label: "Catalog" },
  { href: "/map", label: "Map" },
  { href: "/review", label: "Review" },
  { href: "/flags", label: "Flags" },
  { href: "/playlists", label: "Playlists" },
  { href: "/filters", label: "Filters" },
  { href: "/evaluations", label: "Evaluations" },
  { href: "/jobs", label: "Jobs" },
] as const;

function isCurrent(pathname: string, href: string): boolean {
  return href === "/" ? pathname === "/" : pathname === href || pathname.startsWith(`${href}/`);
}

export function Nav() {
  const pathname = usePathname();
  return (
    <nav aria-label="Sections" className={styles.nav}>
      {sections.map(({ href, label }) => (
        <Link key={href} href={href} className={styles.link} aria-current={isCurrent(pathname, href) ? "page" : undefined}>
          {label}
        </Link>
      ))}
    </nav>
  );
}
