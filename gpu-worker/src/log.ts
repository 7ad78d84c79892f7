// The structured logger (pino) every process uses: the API's access and lifecycle lines, the stages' job events.
// One JSON object per line with an ISO time and a level, or readable lines on a terminal (LOG_FORMAT).
import { pino, type Logger } from "pino";
import pretty from "pino-pretty";
import { setting } from "@curator/db/settings.js";

export type { Logger };

/**
 * A logger named for its process ("api", "curator", "index-worker") writing to `fd` (1: the API's stdout, where a
 * service manager collects it; 2: the CLI's stderr, so its stdout stays the command's output).
 */
export function createLogger(name: string, fd: 1 | 2 = 1): Logger {
  const format = setting("LOG_FORMAT");
  const stream = format === "pretty" || (format === "auto" && (fd === 1 ? process.stdout : process.stderr).isTTY)
    ? pretty({ destination: fd, sync: true, ignore: "pid,hostname", translateTime: "SYS:HH:MM:ss.l" })
    : pino.destination({ dest: fd, sync: true });
  return pino({ name, level: setting("LOG_LEVEL"), timestamp: pino.stdTimeFunctions.isoTime }, stream);
}

let cli: Logger | undefined;

/** The CLI's logger (stderr), made on first use. */
export function cliLogger(): Logger {
  return (cli ??= createLogger("curator", 2));
}
