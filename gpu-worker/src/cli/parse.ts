import { InvalidArgumentError } from "commander";

/** Option parsers that reject bad values with the value named, instead of passing NaN on. */
export function integer(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError(`"${value}" is not an integer`);
  return n;
}

export function number(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n)) throw new InvalidArgumentError(`"${value}" is not a number`);
  return n;
}

export function oneOf<T extends string>(choices: readonly T[]): (value: string) => T {
  return (value) => {
    if (!(choices as readonly string[]).includes(value)) throw new InvalidArgumentError(`"${value}" is not one of ${choices.join(", ")}`);
    return value as T;
  };
}

/** Comma-separated integers, e.g. model run ids "4,5,6". */
export function integerList(value: string): number[] {
  return value.split(",").map((part) => integer(part.trim()));
}
