import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import { EXIT_OK } from "@curator/worker/cli/exit-codes.js";

/** The compiled `curator` entry point, as `npx curator` runs it. */
export const CURATOR = fileURLToPath(new URL("../../../gpu-worker/bin/curator.js", import.meta.url));

export interface RunningCli {
  child: ChildProcess;
  /** Parsed JSON lines the process printed on stdout so far (worker events). */
  events: Record<string, unknown>[];
  stderr(): string;
  /** Resolves with the exit code, or the signal's name when killed. */
  exited: Promise<number | string>;
}

/** The compiled index worker (`node server/dist/index-worker.js`). */
export const INDEX_WORKER = fileURLToPath(new URL("../../../server/dist/index-worker.js", import.meta.url));

/** Starts `curator <args>` against the database at `databaseUrl`, collecting its output. */
export function startCli(args: string[], databaseUrl: string, extraEnv: Record<string, string> = {}): RunningCli {
  return startScript(CURATOR, args, databaseUrl, extraEnv);
}

/** Starts `node <script> <args>` against the database at `databaseUrl`, collecting its output. */
export function startScript(script: string, args: string[], databaseUrl: string, extraEnv: Record<string, string> = {}): RunningCli {
  const child = spawn(process.execPath, [script, ...args], {
    env: { ...process.env, DATABASE_URL: databaseUrl, NODE_ENV: "test", ...extraEnv },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const events: Record<string, unknown>[] = [];
  let err = "";
  let pending = "";
  child.stdout!.setEncoding("utf8").on("data", (text: string) => {
    pending += text;
    let nl: number;
    while ((nl = pending.indexOf("\n")) >= 0) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      if (line.startsWith("{")) events.push(JSON.parse(line) as Record<string, unknown>);
    }
  });
  child.stderr!.setEncoding("utf8").on("data", (text: string) => (err += text));
  const exited = new Promise<number | string>((resolve) => child.on("exit", (code, signal) => resolve(code ?? signal ?? "unknown")));
  return { child, events, stderr: () => err, exited };
}

/**
 * Runs `curator <args>` to completion; rejects with its stderr when it exits with another code than `exitCode`
 * (EXIT_PARTIAL where the run must skip and list items).
 */
export async function runCli(
  args: string[],
  databaseUrl: string,
  extraEnv: Record<string, string> = {},
  exitCode = EXIT_OK,
): Promise<{ stderr: string; events: Record<string, unknown>[] }> {
  const run = startCli(args, databaseUrl, extraEnv);
  const code = await run.exited;
  if (code !== exitCode) throw new Error(`curator ${args.join(" ")} exited ${code}, expected ${exitCode}:\n${run.stderr()}`);
  return { stderr: run.stderr(), events: run.events };
}

/** Polls `check` every `everyMs` until it returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 60_000, everyMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** A generated tone (ffmpeg's lavfi sine), distinct per frequency, so every file has its own content hash. */
export function tone(path: string, seconds: number, frequency: number, sampleRate = 22050): void {
  execFileSync("ffmpeg", ["-v", "error", "-y", "-f", "lavfi", "-i", `sine=frequency=${frequency}:duration=${seconds}:sample_rate=${sampleRate}`, "-ac", "1", path]);
}
