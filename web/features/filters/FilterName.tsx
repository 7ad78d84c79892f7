"use client";

import { useState } from "react";
import { runMutation } from "@/lib/graphql";
import { RenameFilter } from "./queries";
import styles from "./Filters.module.css";

/** An editable name: saved on Enter or when focus leaves, Escape restores; an empty name clears it. */
export function FilterName({ id, index, initial }: { id: number; index: number; initial: string | null }) {
  const [saved, setSaved] = useState(initial ?? "");
  const [value, setValue] = useState(initial ?? "");
  const [error, setError] = useState<string | null>(null);

  async function save(): Promise<void> {
    if (value.trim() === saved) return;
    const result = await runMutation(RenameFilter, { id, name: value.trim() || null });
    if (result.ok) {
      setSaved(result.data.renameFilter.name ?? "");
      setValue(result.data.renameFilter.name ?? "");
    }
    setError(result.ok ? null : result.message);
  }

  return (
    <>
      <input
        className={styles.nameInput}
        aria-label={`Name of filter ${index}`}
        placeholder="unnamed"
        value={value}
        onChange={(event) => setValue(event.target.value)}
        onBlur={save}
        onKeyDown={(event) => {
          if (event.key === "Enter") event.currentTarget.blur();
          if (event.key === "Escape") setValue(saved);
        }}
      />
      {error && <span role="alert" className={styles.error}>{error}</span>}
    </>
  );
}
