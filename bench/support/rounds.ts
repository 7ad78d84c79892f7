// The protocol every bench follows on a shared, noisy machine: ours and the anchor alternate in rounds (the order
// flips each round, so a burst of load lands on both alike), each round prints its figures with the load average
// and the CPU seconds beside the wall time (progress on long runs), and the headline is the median of the
// per-round ratios with their spread, not a ratio of two figures taken minutes apart.
import { execFileSync, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { createInterface } from "node:readline";

import { median } from "./stats.js";

/** One side's measurement in one round: `value` in the bench's unit; `wall` and `cpu` seconds of the timed work. */
export interface Sample {
  value: number;
  wall: number;
  cpu: number;
  /** Anything else the side wants in the table (a loss, a recall). */
  note?: string;
}

export interface Side {
  /** Short label for the table: "ours", "pytorch", "numpy/scipy". */
  label: string;
  run(round: number): Promise<Sample> | Sample;
}

export interface RoundsOptions {
  bench: string;
  /** The unit of `value`, e.g. "s/step", "clips/s". */
  unit: string;
  /** For the JSON line: what the anchor is, version included. */
  readonly anchorName: string;
  rounds: number;
  ours: Side;
  anchor: Side;
  /**
   * False where the CPU seconds of a round do not compare the two sides' work (a round of fixed duration, or work
   * done in other processes): then no CPU ratio is printed.
   */
  cpuComparable?: boolean;
}

export interface RoundResult {
  round: number;
  ours: Sample;
  anchor: Sample;
  /** ours.value / anchor.value. */
  ratio: number;
  /** 1-minute load average at the start and end of the round. */
  load: [number, number];
}

export interface Comparison {
  options: RoundsOptions;
  rounds: RoundResult[];
  ours: number;
  anchor: number;
  ratio: number;
  ratioMin: number;
  ratioMax: number;
  /** Median and spread of the per-round ratio of CPU seconds (ours/anchor): for the same work, what load moves least. */
  cpuRatio: number;
  cpuRatioMin: number;
  cpuRatioMax: number;
}

const CLOCK_TICKS = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }));

/**
 * CPU seconds used by this process (all threads) and its finished children (a Python anchor, ffmpeg): a cost that,
 * unlike wall time, does not depend on how many cores the machine's other work leaves free.
 */
export function cpuSeconds(): number {
  // /proc/self/stat after "pid (comm) ": field 3 (state) is index 0, so cutime (16) and cstime (17) are 13 and 14.
  const fields = readFileSync("/proc/self/stat", "utf8").split(") ")[1]!.split(" ");
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6 + (Number(fields[13]) + Number(fields[14])) / CLOCK_TICKS;
}

/** Wall and CPU seconds (this process and its children) of `work`. */
export async function timed<T>(work: () => Promise<T> | T): Promise<{ result: T; wall: number; cpu: number }> {
  const cpu = cpuSeconds();
  const started = performance.now();
  const result = await work();
  return { result, wall: (performance.now() - started) / 1000, cpu: cpuSeconds() - cpu };
}

export const load1 = (): number => loadavg()[0]!;

/** The machine in one line, for the top of a bench's output and docs/results.md. */
export function machineLine(): string {
  const cores = cpus();
  return `machine: ${cores.length} × ${cores[0]?.model.trim() ?? "?"}, load average ${loadavg().map((l) => l.toFixed(2)).join(" ")}`;
}

/** Rounds from an environment variable (BENCH_ROUNDS overrides every bench's own default). */
export function roundsFrom(variable: string, fallback: number): number {
  const value = Number(process.env.BENCH_ROUNDS ?? process.env[variable] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${variable}/BENCH_ROUNDS must be a positive integer, got ${value}`);
  return value;
}

const fmt = (x: number): string => (Math.abs(x) >= 100 ? x.toFixed(1) : Math.abs(x) >= 1 ? x.toFixed(3) : x.toPrecision(3));

/** Runs the rounds, printing one line per side as it finishes, then the per-round table and the ratio's spread. */
export async function alternate(options: RoundsOptions): Promise<Comparison> {
  const { bench, unit, rounds, ours, anchor } = options;
  console.log(`${bench}: ${rounds} rounds, ours and ${anchor.label} alternating (odd rounds ours first, even rounds ${anchor.label}); ${machineLine()}`);
  const results: RoundResult[] = [];
  for (let round = 1; round <= rounds; round++) {
    const startLoad = load1();
    const order = round % 2 === 1 ? [ours, anchor] : [anchor, ours];
    const samples = new Map<Side, Sample>();
    for (const side of order) {
      const sample = await side.run(round);
      samples.set(side, sample);
      const note = sample.note ? `, ${sample.note}` : "";
      console.log(
        `  round ${round}/${rounds} ${side.label.padEnd(12)} ${fmt(sample.value)} ${unit}  (wall ${sample.wall.toFixed(2)} s, CPU ${sample.cpu.toFixed(2)} s${note}; load ${load1().toFixed(2)})`,
      );
    }
    const o = samples.get(ours)!;
    const a = samples.get(anchor)!;
    results.push({ round, ours: o, anchor: a, ratio: o.value / a.value, load: [startLoad, load1()] });
  }
  const ratios = results.map((r) => r.ratio);
  const cpuRatios = results.map((r) => r.ours.cpu / r.anchor.cpu);
  const comparison: Comparison = {
    options,
    rounds: results,
    ours: median(results.map((r) => r.ours.value)),
    anchor: median(results.map((r) => r.anchor.value)),
    ratio: median(ratios),
    ratioMin: Math.min(...ratios),
    ratioMax: Math.max(...ratios),
    cpuRatio: median(cpuRatios),
    cpuRatioMin: Math.min(...cpuRatios),
    cpuRatioMax: Math.max(...cpuRatios),
  };
  printTable(comparison);
  return comparison;
}

function printTable({ options, rounds, ours, anchor, ratio, ratioMin, ratioMax, cpuRatio, cpuRatioMin, cpuRatioMax }: Comparison): void {
  const { unit } = options;
  console.log(`\nround   ${"ours".padStart(10)} ${options.anchor.label.padStart(12)}   ratio   ours CPU-s  anchor CPU-s   load`);
  for (const r of rounds) {
    console.log(
      `${String(r.round).padEnd(6)} ${fmt(r.ours.value).padStart(11)} ${fmt(r.anchor.value).padStart(12)} ${r.ratio.toFixed(3).padStart(7)} ${r.ours.cpu.toFixed(2).padStart(12)} ${r.anchor.cpu.toFixed(2).padStart(13)}   ${r.load[0].toFixed(1)}–${r.load[1].toFixed(1)}`,
    );
  }
  console.log(
    `median ${fmt(ours).padStart(11)} ${fmt(anchor).padStart(12)} ${ratio.toFixed(3).padStart(7)}   (${unit}; ratio = ours/${options.anchor.label}, spread ${ratioMin.toFixed(3)}–${ratioMax.toFixed(3)} over ${rounds.length} rounds)`,
  );
  if (options.cpuComparable !== false) console.log(`CPU seconds, ours/${options.anchor.label}: median ${cpuRatio.toFixed(3)}, spread ${cpuRatioMin.toFixed(3)}–${cpuRatioMax.toFixed(3)}\n`);
}

const round4 = (x: number): number => Number(x.toPrecision(4));

/**
 * The bench's last line: the one JSON object every bench prints ({bench, unit, ours, anchor, anchor_name, ratio}),
 * with the spread, the rounds and the load beside it. `extra` adds the bench's own fields.
 */
export function jsonLine(c: Comparison, extra: Record<string, unknown> = {}): string {
  const loads = c.rounds.flatMap((r) => r.load);
  return JSON.stringify({
    bench: c.options.bench,
    unit: c.options.unit,
    ours: round4(c.ours),
    anchor: round4(c.anchor),
    anchor_name: c.options.anchorName,
    ratio: round4(c.ratio),
    ratio_min: round4(c.ratioMin),
    ratio_max: round4(c.ratioMax),
    rounds: c.rounds.length,
    ours_cpu_s: round4(median(c.rounds.map((r) => r.ours.cpu))),
    anchor_cpu_s: round4(median(c.rounds.map((r) => r.anchor.cpu))),
    ...(c.options.cpuComparable === false
      ? {}
      : { cpu_ratio: round4(c.cpuRatio), cpu_ratio_min: round4(c.cpuRatioMin), cpu_ratio_max: round4(c.cpuRatioMax) }),
    load: [round4(Math.min(...loads)), round4(Math.max(...loads))],
    ...extra,
  });
}

/** An anchor kept alive across rounds: it prints "ready", then answers each command line with one line. */
export interface LineAnchor {
  ask(command: string): Promise<string>;
  stop(): void;
}

/** Starts a long-lived anchor process (its stderr, progress included, goes to ours). */
export async function startLineAnchor(executable: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<LineAnchor> {
  const child = spawn(executable, args, { env, stdio: ["pipe", "pipe", "inherit"] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async (): Promise<string> => {
    const line = await lines.next();
    if (line.done === true) throw new Error(`anchor ${args[0] ?? executable} exited early`);
    return line.value;
  };
  if ((await next()) !== "ready") throw new Error(`anchor ${args[0] ?? executable} did not start`);
  return {
    ask: async (command) => {
      child.stdin.write(`${command}\n`);
      return next();
    },
    stop: () => child.stdin.end(),
  };
}
