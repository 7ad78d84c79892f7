"use client";

import { usePathname, useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { ErrorBanner } from "@/components/ErrorBanner";
import type { Flag } from "@/features/flags/queries";
import { runQuery } from "@/lib/graphql";
import { AudioModelNote } from "@/features/audio-model/AudioModelNote";
import { AudioModelQuery, type AudioModelSummary } from "@/features/audio-model/queries";
import { ListenerById, REVIEW_K, ReviewQuery, type Listener, type Recommendation, type ReviewUser } from "./queries";
import { ListenerPicker } from "./ListenerPicker";
import { RecommendationList } from "./RecommendationList";
import styles from "./Review.module.css";

function withFlag(list: Recommendation[], trackId: number, flag: Flag): Recommendation[] {
  return list.map((rec) =>
    rec.track.id === trackId ? { ...rec, track: { ...rec.track, outlierFlags: rec.track.outlierFlags.map((f) => (f.id === flag.id ? flag : f)) } } : rec,
  );
}

/**
 * A listener's recommendations beside the cold tracks the audio model would add, for an editor to check. The user
 * id lives in the URL (?user=) so a review can be linked; the lists load in the browser so they carry the key.
 */
export function ReviewWorkbench({ userId }: { userId: number | null }) {
  const router = useRouter();
  const pathname = usePathname();
  const [listener, setListener] = useState<Listener | null>(null);
  const [includeCold, setIncludeCold] = useState(true);
  // The discovery dial: REVIEW_K means no cap (cold tracks enter on their calibrated score alone).
  const [maxCold, setMaxCold] = useState(REVIEW_K);
  const [hideFlagged, setHideFlagged] = useState(false);
  const [user, setUser] = useState<ReviewUser | null>(null);
  const [audioModel, setAudioModel] = useState<AudioModelSummary | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    void runQuery(AudioModelQuery, {}).then((result) => setAudioModel(result.ok ? result.data.audioModel : null));
  }, []);

  useEffect(() => {
    if (userId === null) return;
    let current = true;
    void runQuery(ListenerById, { id: userId }).then((result) => {
      if (current && result.ok) setListener(result.data.user);
    });
    return () => {
      current = false;
    };
  }, [userId]);

  useEffect(() => {
    if (userId === null) return;
    let current = true;
    const cap = includeCold && maxCold < REVIEW_K ? maxCold : null;
    void runQuery(ReviewQuery, { id: userId, k: REVIEW_K, includeCold, maxCold: cap }).then((result) => {
      if (!current) return;
      setUser(result.ok ? result.data.user : null);
      setError(result.ok ? null : result.message);
    });
    return () => {
      current = false;
    };
  }, [userId, includeCold, maxCold]);

  function onReviewed(trackId: number, flag: Flag): void {
    setUser((u) => u && { ...u, ranked: withFlag(u.ranked, trackId, flag), coldOnly: withFlag(u.coldOnly, trackId, flag) });
  }

  return (
    <>
      <div className={styles.controls}>
        <div className={styles.pick}>
          <ListenerPicker value={listener} onPick={(picked) => router.replace(`${pathname}?user=${picked.id}`)} />
        </div>
        <label>
          <input type="checkbox" checked={includeCold} onChange={(event) => setIncludeCold(event.target.checked)} /> Cold tracks in the ranking
        </label>
        <label className={styles.dial}>
          <span>
            Cold tracks at most: <output className={styles.dialValue}>{maxCold < REVIEW_K ? maxCold : "no cap"}</output>
          </span>
          <input
            type="range"
            min={0}
            max={REVIEW_K}
            step={1}
            value={maxCold}
            disabled={!includeCold}
            aria-valuetext={maxCold < REVIEW_K ? `${maxCold} cold tracks at most` : "no cap"}
            onChange={(event) => setMaxCold(Number(event.target.value))}
          />
        </label>
        <label>
          <input type="checkbox" checked={hideFlagged} onChange={(event) => setHideFlagged(event.target.checked)} /> Hide flagged
        </label>
      </div>
      <AudioModelNote model={audioModel} lead="Cold tracks are scored by the" calibrated />
      {error && <ErrorBanner title="Could not load the recommendations." message={error} />}
      {userId === null && !error && <p className={styles.muted}>Pick a listener to see their recommendations.</p>}
      {user && (
        <>
          <p className={styles.muted}>Listener {user.externalId} (#{user.id})</p>
          <div className={styles.columns}>
            <RecommendationList label="Recommended" recommendations={user.ranked} hideFlagged={hideFlagged} onReviewed={onReviewed} />
            <RecommendationList label="New from audio (cold only)" recommendations={user.coldOnly} hideFlagged={hideFlagged} onReviewed={onReviewed} />
          </div>
        </>
      )}
    </>
  );
}
