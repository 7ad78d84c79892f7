import { spawn } from "node:child_process";

export interface ExecResult {
  stdout: string;
  stderr: string;
}

/**
 * Runs a program without a shell (paths with spaces or quotes stay intact) and rejects with its stderr tail when
 * it exits non-zero, so callers can put the tool's own words into the bad-item reason.
 */
export function execFile(cmd: string, args: readonly string[], opts: { cwd?: string; input?: string } = {}): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, stdio: ["pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    child.on("error", (e) => reject(new Error(`${cmd}: ${e.message}`)));
    child.on("close", (code, signal) => {
      const stdout = Buffer.concat(out).toString("utf8");
      const stderr = Buffer.concat(err).toString("utf8");
      if (code === 0) resolve({ stdout, stderr });
      else {
        const tail = stderr.trim().split("\n").slice(-3).join(" | ");
        reject(new Error(`${cmd} exited with ${code ?? signal}: ${tail}`));
      }
    });
    child.stdin.on("error", () => undefined); // the tool may exit before reading its input; the exit code tells
    child.stdin.end(opts.input ?? "");
  });
}
