import { type Command, InvalidArgumentError, Option } from "commander";
import type { Db } from "@curator/db/client.js";
import { runJob } from "../jobs/job.js";
import { flagName, refusal, type StageDescriptor, type StageOption, type StageParams } from "../jobs/stage-descriptor.js";
import { withDb } from "./with-db.js";

/**
 * `curator <stage>` made from the stage's descriptor: one option per declared option (help, default and the
 * value check from the declaration), plus --resume where the stage resumes. The job records the options given. `report` prints the
 * outcome (and queues follow-up work).
 */
export function registerStageCommand<Opts extends Record<string, StageOption>, R>(
  program: Command,
  stage: StageDescriptor<Opts, R>,
  report: (db: Db, result: R) => void | Promise<void>,
): Command {
  const command = program.command(stage.name).summary(stage.summary).description(stage.description);
  for (const [key, option] of Object.entries(stage.options)) command.addOption(cliOption(key, option));
  if (stage.resume) command.option("--resume", stage.resume);
  return command.action(async (opts: Record<string, unknown>) => {
    const params = Object.fromEntries(Object.entries(opts).filter(([key]) => key in stage.options)) as StageParams<Opts>;
    const reason = stage.check?.(params);
    if (reason) throw new Error(reason);
    await withDb(async (db) => {
      const outcome = await runJob(db, { stage: stage.name, params, resume: opts.resume === true }, (job) => stage.run(db, job, params));
      await report(db, outcome.result);
    });
  });
}

function cliOption(key: string, option: StageOption): Option {
  if (option.type === "flag") return new Option(`--${flagName(key)}`, option.help);
  const cli = new Option(`--${flagName(key)} <${option.arg}>`, option.help).argParser((text: string) => {
    const value = fromText(option, text);
    const reason = refusal(key, option, value);
    if (reason) throw new InvalidArgumentError(`"${text}": ${reason}`);
    return value;
  });
  return "default" in option && option.default !== undefined ? cli.default(option.default) : cli;
}

function fromText(option: StageOption, text: string): unknown {
  if (option.type === "integer" || option.type === "number") {
    const n = Number(text);
    const integer = option.type === "integer";
    if (text.trim() === "" || !Number.isFinite(n) || (integer && !Number.isInteger(n))) throw new InvalidArgumentError(`"${text}" is not ${integer ? "an integer" : "a number"}`);
    return n;
  }
  if (option.type === "list") return text.split(",").map((part) => part.trim());
  return text;
}
