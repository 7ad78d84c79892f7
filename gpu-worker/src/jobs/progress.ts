import cliProgress from "cli-progress";
import { setting } from "@curator/db/settings.js";

/** Shows a stage's progress: a bar on a TTY, a plain line at most every few seconds otherwise (CI logs, pipes). */
export interface ProgressView {
  update(done: number, total: number, item?: string): void;
  stop(): void;
}

export function createProgressView(label: string, stream: NodeJS.WriteStream = process.stderr): ProgressView {
  if (stream.isTTY && setting("CI") === undefined) {
    const bar = new cliProgress.SingleBar(
      { format: `${label.padEnd(12)} {bar} {percentage}% {value}/{total} {eta_formatted} {item}`, stream, hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update(done, total, item = "") {
        if (!started) {
          bar.start(total, done, { item });
          started = true;
        }
        bar.setTotal(total);
        bar.update(done, { item: item.length > 40 ? `…${item.slice(-39)}` : item });
      },
      stop: () => started && bar.stop(),
    };
  }
  let lastPrint = 0;
  let lastDone = -1;
  return {
    update(done, total) {
      const now = Date.now();
      if (done === lastDone || (now - lastPrint < 5000 && done < total)) return;
      lastPrint = now;
      lastDone = done;
      const pct = total > 0 ? ` (${((100 * done) / total).toFixed(0)}%)` : "";
      stream.write(`${label}: ${done}/${total}${pct}\n`);
    },
    stop() {},
  };
}
