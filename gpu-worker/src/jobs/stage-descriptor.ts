/**
 * One declaration per pipeline stage: its name, its options (type, default, help, validation) and how it runs. The
 * CLI's sub-command (cli/stage-command.ts), the queue's parameter parsing (queue/stage-jobs.ts) and the API's
 * startJob all read it, so an option is declared once (benfred/implicit's hyperparameters-in-one-signature, done
 * as data because three front ends read it). A descriptor module imports no stage code: `run` loads it when
 * called, so the API can check parameters without loading decoders or TensorFlow.
 */
import type { Db } from "@curator/db/client.js";
import type { JobHandle } from "./job.js";

interface OptionBase {
  help: string;
  /** The value's name in the CLI's help (`--factors <n>`). */
  arg: string;
  /** CLI only: a path or count of the machine that runs it, never taken from a queued job's params. */
  local?: true;
}

export interface IntegerOption extends OptionBase {
  type: "integer";
  default?: number;
  min?: number;
}

export interface NumberOption extends OptionBase {
  type: "number";
  default?: number;
  min?: number;
}

export interface ChoiceOption<T extends string = string> extends OptionBase {
  type: "choice";
  choices: readonly T[];
  default?: T;
}

/** A non-empty list drawn from `choices` (on the CLI: comma-separated). */
export interface ListOption<T extends string = string> extends OptionBase {
  type: "list";
  choices: readonly T[];
}

export interface PathOption extends OptionBase {
  type: "path";
}

/** Free text, such as a user name. */
export interface TextOption extends OptionBase {
  type: "text";
}

/** On or off (on the CLI: a bare `--flag`); absent means off. */
export interface FlagOption extends Omit<OptionBase, "arg"> {
  type: "flag";
}

export type StageOption = IntegerOption | NumberOption | ChoiceOption | ListOption | PathOption | TextOption | FlagOption;

type ValueOf<O> = O extends IntegerOption | NumberOption
  ? number
  : O extends ChoiceOption<infer T>
    ? T
    : O extends ListOption<infer T>
      ? T[]
      : O extends PathOption | TextOption
        ? string
        : O extends FlagOption
          ? boolean
          : never;

/** Parsed params: options with a default are always present, the others when given. */
export type StageParams<Opts extends Record<string, StageOption>> = {
  [K in keyof Opts as Opts[K] extends { default: unknown } ? K : never]: ValueOf<Opts[K]>;
} & {
  [K in keyof Opts as Opts[K] extends { default: unknown } ? never : K]?: ValueOf<Opts[K]>;
};

export interface StageDescriptor<Opts extends Record<string, StageOption> = Record<string, StageOption>, R = unknown> {
  /** The sub-command and the Job row's stage. */
  name: string;
  summary: string;
  description: string;
  /** Keyed by camelCase name; the CLI flag is its kebab-case (`cgSteps` → `--cg-steps <cg-steps>`). */
  options: Opts;
  /** Help of the CLI's --resume (what a resumed run continues from); none: the stage has no --resume. */
  resume?: string;
  /** Whether a worker runs it from an API-queued Job row. */
  queued: boolean;
  /** Checks that span options (`--listens` needs `--format`): the reason the params are refused, or undefined. */
  check?(params: StageParams<Opts>): string | undefined;
  /** Runs the stage (loaded on call); a resumed job continues from its last checkpoint. */
  run(db: Db, job: JobHandle<unknown>, params: StageParams<Opts>): Promise<R>;
}

/** `cgSteps` → `cg-steps`: the CLI flag of an option (commander turns it back into the key). */
export function flagName(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** The params a queued job (and the API's startJob) accepts: every option not marked local. */
export function jobOptionNames(stage: StageDescriptor): string[] {
  return Object.entries(stage.options)
    .filter(([, o]) => !o.local)
    .map(([k]) => k);
}

/** Checks one value against its declaration; returns the reason it is refused, or undefined. */
export function refusal(key: string, option: StageOption, value: unknown): string | undefined {
  const shown = JSON.stringify(value);
  switch (option.type) {
    case "integer":
    case "number": {
      const kind = option.type === "integer" ? "an integer" : "a number";
      if (typeof value !== "number" || !Number.isFinite(value) || (option.type === "integer" && !Number.isInteger(value))) return `${key} must be ${kind}, got ${shown}`;
      if (option.min !== undefined && value < option.min) return `${key} must be ${kind} ≥ ${option.min}, got ${shown}`;
      return undefined;
    }
    case "choice":
      return option.choices.includes(value as string) ? undefined : `${key} must be one of ${option.choices.join(", ")}, got ${shown}`;
    case "list":
      return Array.isArray(value) && value.length > 0 && value.every((v) => option.choices.includes(v))
        ? undefined
        : `${key} must list one or more of ${option.choices.join(", ")}, got ${shown}`;
    case "path":
      return typeof value === "string" && value.length > 0 ? undefined : `${key} must be a path, got ${shown}`;
    case "text":
      return typeof value === "string" ? undefined : `${key} must be text, got ${shown}`;
    case "flag":
      return typeof value === "boolean" ? undefined : `${key} must be true or false, got ${shown}`;
  }
}

/**
 * A queued job's JSON params checked against the stage's options, defaults filled in; throws with the offending
 * key and the reason (the API's startJob and the queue give the same message).
 */
export function parseJobParams<Opts extends Record<string, StageOption>>(stage: StageDescriptor<Opts>, raw: unknown): StageParams<Opts> {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new Error("params must be a JSON object");
  const given = raw as Record<string, unknown>;
  const known = jobOptionNames(stage as unknown as StageDescriptor);
  const extra = Object.keys(given).filter((k) => !known.includes(k));
  if (extra.length) throw new Error(`unknown option(s) ${extra.join(", ")} for ${stage.name} (known: ${known.join(", ")})`);
  const out: Record<string, unknown> = {};
  for (const key of known) {
    const option = stage.options[key]!;
    const value = given[key];
    if (value === undefined) {
      if ("default" in option && option.default !== undefined) out[key] = option.default;
      continue;
    }
    const reason = refusal(key, option, value);
    if (reason) throw new Error(reason);
    out[key] = value;
  }
  const reason = stage.check?.(out as StageParams<Opts>);
  if (reason) throw new Error(reason);
  return out as StageParams<Opts>;
}
