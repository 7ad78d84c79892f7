import type { WeightAxes } from "./queries";
import styles from "./WeightPicture.module.css";

/** The picture's frame of gap colour around the kernel (filter-image.ts's gap), in its pixels. */
const BORDER_PX = 2;
/** Pixels per frame and per band in the stored PNG (filter-image.ts's defaults). */
const FRAME_PX = 4;
const BAND_PX = 1;
/** The colour scale's stops, as fractions of the filter's largest |weight|. */
const SCALE = [1, 0.5, 0, -0.5, -1];

function hzLabel(hz: number): string {
  return hz >= 1000 ? `${hz / 1000} kHz` : `${hz} Hz`;
}

/**
 * A first-layer filter's weights: mel bands up the side with their frequencies, the kernel's frames along the
 * bottom in milliseconds, and the diverging colour scale with its values. Scaled up without smoothing.
 */
export function WeightPicture({ url, axes, index }: { url: string; axes: WeightAxes | null; index: number }) {
  const alt = `Weights of filter ${index}: time along x, mel bands along y (low at the bottom), blue negative, red positive`;
  if (!axes) return <img className={styles.bare} src={url} alt={alt} />;
  const height = axes.melBands * BAND_PX + 2 * BORDER_PX;
  const width = axes.frames * FRAME_PX + 2 * BORDER_PX;
  // Percent of the picture's height from its top to band b's centre (band 0 is the bottom row).
  const top = (band: number) => (100 * (BORDER_PX + (axes.melBands - 1 - band + 0.5) * BAND_PX)) / height;
  const left = (frame: number) => (100 * (BORDER_PX + (frame + 0.5) * FRAME_PX)) / width;
  return (
    <figure className={styles.figure} aria-label={`Weights of filter ${index}`}>
      <div className={styles.yAxis} aria-label="Mel band frequency">
        {axes.ticks.map((t) => (
          <span key={t.hz} className={styles.yTick} style={{ top: `${top(t.band)}%` }}>
            {hzLabel(t.hz)}
          </span>
        ))}
      </div>
      <img className={styles.picture} src={url} alt={alt} />
      <div className={styles.scale} aria-label="Colour scale: weight ÷ the filter's largest |weight|">
        <span className={styles.bar} aria-hidden="true" />
        {SCALE.map((v, i) => (
          <span key={v} className={styles.scaleTick} style={{ top: `${(100 * i) / (SCALE.length - 1)}%` }}>
            {v > 0 ? `+${v}` : v === 0 ? "0" : `−${-v}`}
          </span>
        ))}
      </div>
      <div className={styles.xAxis} aria-label="Time">
        {Array.from({ length: axes.frames }, (_, f) => (
          <span key={f} className={styles.xTick} style={{ left: `${left(f)}%` }}>
            {Math.round(f * axes.frameSec * 1000)}
          </span>
        ))}
      </div>
      <figcaption className={styles.caption}>
        Time (ms) × mel band; colour: weight ÷ this filter&apos;s largest |weight| (blue −, red +)
      </figcaption>
    </figure>
  );
}
