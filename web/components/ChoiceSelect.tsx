export interface Choice<V extends string> {
  value: V;
  label: string;
}

interface Props<V extends string> {
  label: string;
  value: V;
  choices: readonly Choice<V>[];
  onChange(value: NoInfer<V>): void;
  className?: string;
}

/** A labelled drop-down over a fixed set of values; onChange gets the typed value, never a stray string. */
export function ChoiceSelect<V extends string>({ label, value, choices, onChange, className }: Props<V>) {
  return (
    <label className={className}>
      {label}{" "}
      <select
        value={value}
        onChange={(event) => {
          const choice = choices.find((c) => c.value === event.target.value);
          if (choice) onChange(choice.value);
        }}
      >
        {choices.map((choice) => (
          <option key={choice.value} value={choice.value}>
            {choice.label}
          </option>
        ))}
      </select>
    </label>
  );
}
