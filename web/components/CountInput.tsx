"use client";

import { useState } from "react";
import styles from "./CountInput.module.css";

interface Props {
  label: string;
  value: number;
  min: number;
  max: number;
  onChange(value: number): void;
}

/**
 * A whole number within the API's limits. What is typed stays as typed (so "12" can pass through "1" when the
 * minimum is 2); only in-range numbers reach onChange, and leaving the field shows the value in force again.
 */
export function CountInput({ label, value, min, max, onChange }: Props) {
  const [draft, setDraft] = useState<string | null>(null);
  return (
    <label className={styles.label}>
      {label}{" "}
      <input
        type="number"
        className={styles.input}
        min={min}
        max={max}
        step={1}
        value={draft ?? String(value)}
        onChange={(event) => {
          setDraft(event.target.value);
          const typed = Number(event.target.value);
          if (event.target.value !== "" && Number.isInteger(typed) && typed >= min && typed <= max) onChange(typed);
        }}
        onBlur={() => setDraft(null)}
      />
    </label>
  );
}
