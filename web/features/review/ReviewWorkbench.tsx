"use client";

import { usePathname, useRouter } from "next/navigation";
import { useEffect, useState, type FormEvent } from "react";
import { ErrorBanner } from "@/components/ErrorBanner";
import type { Flag } from "@/features/flags/queries";
import { runQuery } from "@/lib/graphql";
import { REVIEW_K, ReviewQuery, type Recommendation, type ReviewUser } from "./queries";
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
  const [input, setInput] = useState(userId === null ? "" : String(userId));
  const [includeCold, setIncludeCold] = useState(true);
  const [hideFlagged, setHideFlagged] = useState(false);
  const [user, setUser] = useState<ReviewUser | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (userId === null) return;
    let current = true;
    void runQuery(ReviewQuery, { id: userId, k: REVIEW_K, includeCold }).then((result) => {
      if (!current) return;
      setUser(result.ok ? result.data.user : null);
      setError(result.ok ? null : result.message);
    });
    return () => {
      current = false;
    };
  }, [userId, includeCold]);

  function onSubmit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    const id = input.trim();
    if (/^\d+$/.test(id)) router.replace(`${pathname}?user=${id}`);
  }

  function onReviewed(trackId: number, flag: Flag): void {
    setUser((u) => u && { ...u, ranked: withFlag(u.ranked, trackId, flag), coldOnly: withFlag(u.coldOnly, trackId, flag) });
  }

  return (
    <>
      <div className={styles.controls}>
        <form onSubmit={onSubmit} className={styles.pick}>
          <label htmlFor="review-user">Listener id</label>
          <input id="review-user" inputMode="numeric" autoFocus value={input} onChange={(event) => setInput(event.target.value)} />
          <button type="submit">Show</button>
        </form>
        <label>
          <input type="checkbox" checked={includeCold} onChange={(event) => setIncludeCold(event.target.checked)} /> Cold tracks in the ranking
        </label>
        <label>
          <input type="checkbox" checked={hideFlagged} onChange={(event) => setHideFlagged(event.target.checked)} /> Hide flagged
        </label>
      </div>
      {error && <ErrorBanner title="Could not load the recommendations." message={error} />}
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
