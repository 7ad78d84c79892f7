import { spawn } from "node:child_process";

export interface ToolRun {
  stdout: Buffer;
  stderr: string;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
}

/** Runs ffmpeg/ffprobe to completion, collecting stdout as bytes and stderr as text. Rejects only if it can't start. */
export function runTool(executable: string, args: readonly string[]): Promise<ToolRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(executable, args, { stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", (error) => reject(new Error(`cannot run ${executable}: ${error.message}`)));
    child.on("close", (exitCode, signal) =>
      resolve({ stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString("utf8"), exitCode, signal }),
    );
  });
}
