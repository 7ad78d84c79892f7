"use client";

import { useEffect, useRef } from "react";
import type uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import type { LossPoint } from "./series";
import styles from "./Jobs.module.css";

const WIDTH = 560;
const HEIGHT = 220;

/**
 * Training and validation loss per epoch, and the validation AUC on its own axis when the run recorded it; uPlot
 * loads in the browser only (it measures the DOM on import).
 */
export function LossChart({ title, points }: { title: string; points: readonly LossPoint[] }) {
  const host = useRef<HTMLDivElement>(null);

  useEffect(() => {
    let chart: { destroy(): void } | null = null;
    let cancelled = false;
    void import("uplot").then(({ default: UPlot }) => {
      if (cancelled || !host.current) return;
      const { axes, series, data } = lines(points);
      // Narrower than WIDTH where the page is (a phone): the chart must not make the page scroll sideways.
      const width = Math.min(WIDTH, host.current.parentElement?.clientWidth ?? WIDTH);
      chart = new UPlot({ width, height: HEIGHT, scales: { x: { time: false }, auc: { auto: true } }, axes, series }, data, host.current);
    });
    return () => {
      cancelled = true;
      chart?.destroy();
    };
  }, [points]);

  return (
    <figure className={styles.chart}>
      <figcaption>{title}</figcaption>
      <div ref={host} role="img" aria-label={`${title}: ${points.length} epochs, last validation loss ${points.at(-1)?.valLoss.toFixed(4) ?? "—"}${lastAuc(points)}`} />
    </figure>
  );
}

/** The loss lines on the left axis; the AUC line and its right-hand axis only when the run recorded AUC. */
function lines(points: readonly LossPoint[]): { axes: uPlot.Axis[]; series: uPlot.Series[]; data: [number[], ...(number | null)[][]] } {
  const axes: uPlot.Axis[] = [{ label: "epoch" }, { label: "loss (MSE)", size: 60 }];
  const series: uPlot.Series[] = [
    { label: "epoch" },
    { label: "training", stroke: "#2f6fde", width: 2 },
    { label: "validation", stroke: "#e15759", width: 2, dash: [6, 4] },
  ];
  const data: [number[], ...(number | null)[][]] = [points.map((p) => p.epoch), points.map((p) => p.trainLoss), points.map((p) => p.valLoss)];
  if (points.some((p) => p.valAuc !== undefined)) {
    axes.push({ label: "validation AUC", scale: "auc", side: 1, size: 60, grid: { show: false } });
    series.push({ label: "validation AUC", scale: "auc", stroke: "#59a14f", width: 2 });
    data.push(points.map((p) => p.valAuc ?? null));
  }
  return { axes, series, data };
}

function lastAuc(points: readonly LossPoint[]): string {
  const auc = points.at(-1)?.valAuc;
  return auc === undefined ? "" : `, validation AUC ${auc.toFixed(3)}`;
}
