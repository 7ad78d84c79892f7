"use client";

import { useEffect, useRef, useState, useTransition, type FormEvent } from "react";
import { usePathname, useRouter } from "next/navigation";
import styles from "./Catalog.module.css";

const DEBOUNCE_MS = 250;

/**
 * Search text lives in the URL (?q=, next to the table's filters and sort) so a search can be linked and reloaded; the server page
 * re-renders with it.
 * Typing searches after a short pause, Enter searches at once, "/" anywhere focuses the box, Escape clears it.
 */
export function SearchBox({ initial }: { initial: string }) {
  const router = useRouter();
  const pathname = usePathname();
  const [value, setValue] = useState(initial);
  const [pending, startTransition] = useTransition();
  const input = useRef<HTMLInputElement>(null);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);

  function search(text: string): void {
    clearTimeout(timer.current);
    const q = text.trim();
    // A new search is a new question: it starts from the whole catalogue in its default order (the table remounts
    // with no filters), so filters set for the last list cannot hide this one's matches.
    const query = q ? new URLSearchParams({ q }).toString() : "";
    startTransition(() => router.replace(query ? `${pathname}?${query}` : pathname, { scroll: false }));
  }

  function onChange(text: string): void {
    setValue(text);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => search(text), DEBOUNCE_MS);
  }

  function onSubmit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    search(value);
  }

  // Navigation that changes ?q= (the Catalog link, Back) must show in the box, but never while someone types:
  // a slower response for an earlier prefix would overwrite the newer text.
  useEffect(() => {
    if (document.activeElement !== input.current) setValue(initial);
  }, [initial]);

  useEffect(() => {
    function focusOnSlash(event: KeyboardEvent): void {
      const target = event.target as HTMLElement | null;
      const typing = target?.closest("input, textarea, select, [contenteditable='true']");
      if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
        event.preventDefault();
        input.current?.focus();
      }
    }
    window.addEventListener("keydown", focusOnSlash);
    return () => {
      window.removeEventListener("keydown", focusOnSlash);
      clearTimeout(timer.current);
    };
  }, []);

  return (
    <form role="search" className={styles.search} onSubmit={onSubmit}>
      <label htmlFor="catalog-search" className={styles.searchLabel}>
        Search
      </label>
      <input
        ref={input}
        id="catalog-search"
        name="q"
        type="search"
        value={value}
        placeholder="Title, artist or album  ( / )"
        autoComplete="off"
        onChange={(event) => onChange(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === "Escape" && value) {
            event.preventDefault();
            onChange("");
          }
        }}
      />
      <span className={styles.searchStatus} aria-live="polite">
        {pending ? "Searching…" : ""}
      </span>
    </form>
  );
}
