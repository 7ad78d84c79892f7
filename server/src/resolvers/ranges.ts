import { badUserInput } from "../errors.js";

/** The longest list a similarity field returns (neighbours, recommendations, path steps). */
export const MAX_RESULTS = 200;

export function checkCount(value: number, name: string, min = 1): number {
  if (!Number.isInteger(value) || value < min || value > MAX_RESULTS) {
    throw badUserInput(`${name} must be between ${min} and ${MAX_RESULTS}, got ${value}`);
  }
  return value;
}

export function checkUnitInterval(value: number, name: string): number {
  if (!(value >= 0 && value <= 1)) throw badUserInput(`${name} must be between 0 and 1, got ${value}`);
  return value;
}

export function checkDurationRange(min: number | undefined, max: number | undefined): void {
  if ((min !== undefined && min < 0) || (max !== undefined && max < 0)) throw badUserInput("durations must not be negative");
  if (min !== undefined && max !== undefined && min > max) throw badUserInput(`minDurationSec ${min} exceeds maxDurationSec ${max}`);
}
