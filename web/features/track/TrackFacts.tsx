import Link from "next/link";
import { formatDuration } from "@/lib/format";
import type { TrackDetail } from "./queries";
import styles from "./Track.module.css";

/**
 * The catalogue's facts about a track and where the CF map puts it. `noSpread` says why a predicted track has no
 * spread (the MFCC baseline has no dropout to sample).
 */
export function TrackFacts({ track, noSpread = "not predicted" }: { track: TrackDetail; noSpread?: string }) {
  const facts: [string, string][] = [
    ["Duration", formatDuration(track.durationSec)],
    ["Album", track.album ? `${track.album.title}${track.position ? ` · #${track.position}` : ""}` : "—"],
    ["Source", track.album?.source ?? "—"],
    ["Licence", track.album?.licence ?? "—"],
    ["File", `${track.fileFormat}, ${track.sampleRate / 1000} kHz, ${track.channels === 1 ? "mono" : `${track.channels} ch`}`],
    ["You hear", track.audioCodec],
    ["Origin", track.origin],
    ["Catalogue key", track.externalId],
    ["Prediction spread", track.confidence === null ? noSpread : track.confidence.toFixed(3)],
  ];
  return (
    <dl className={styles.facts}>
      {facts.map(([term, value]) => (
        <div key={term}>
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
      <div>
        <dt>Map position</dt>
        <dd>
          {track.mapPosition ? (
            <Link href={`/map?track=${track.id}`}>
              ({track.mapPosition.x.toFixed(2)}, {track.mapPosition.y.toFixed(2)}) · show on map
            </Link>
          ) : (
            "not on the CF map"
          )}
        </dd>
      </div>
    </dl>
  );
}
