import { notFound } from "next/navigation";
import { Badge } from "@/components/Badge";
import { ErrorBanner } from "@/components/ErrorBanner";
import { FlagItem } from "@/features/flags/FlagItem";
import { AddToPlaylist } from "@/features/playlists/AddToPlaylist";
import { GenerateLinks } from "@/features/playlists/GenerateLinks";
import { SignInToEdit } from "@/features/session/SignInToEdit";
import { SIMILAR_K, SPACES, SimilarQuery, TrackQuery } from "@/features/track/queries";
import { AudioPlayer } from "@/features/track/AudioPlayer";
import { SimilarColumn } from "@/features/track/SimilarColumn";
import { TopFilters } from "@/features/track/TopFilters";
import { TrackFacts } from "@/features/track/TrackFacts";
import styles from "@/features/track/Track.module.css";
import { runQuery } from "@/lib/graphql";

export default async function TrackPage({ params }: { params: Promise<{ id: string }> }) {
  const id = Number((await params).id);
  if (!Number.isInteger(id) || id <= 0) notFound();
  const [result, ...similar] = await Promise.all([
    runQuery(TrackQuery, { id }),
    ...SPACES.map(({ space }) => runQuery(SimilarQuery, { id, space, k: SIMILAR_K })),
  ]);
  if (!result.ok) return <ErrorBanner title="Could not load the track." message={result.message} />;
  const track = result.data.track;
  if (!track) notFound();
  return (
    <>
      <title>{`${track.title} · Curator Workbench`}</title>
      <div className={styles.heading}>
        <h1>{track.title}</h1>
        <span className={styles.subtitle}>{track.artist.name}</span>
        {track.isShort && <Badge tone="warning">short</Badge>}
        {track.isSilent && <Badge tone="danger">silent</Badge>}
        <AddToPlaylist trackId={track.id} title={track.title} />
        <GenerateLinks trackId={track.id} />
        <SignInToEdit what="add it to a playlist or review its flags" />
      </div>
      <div className={styles.listen}>
        <AudioPlayer
          src={track.audioUrl}
          codec={track.audioCodec}
          durationSec={track.durationSec}
          excerptStartSec={track.excerptStartSec}
          excerptLengthSec={track.excerptLengthSec}
        />
        {track.spectrogramUrl && (
          <img className={styles.spectrogram} src={track.spectrogramUrl} alt={`Log-mel spectrogram of the analysed excerpt of ${track.title}`} />
        )}
      </div>
      <TrackFacts track={track} />
      <TopFilters activations={track.activations} />
      {track.outlierFlags.length > 0 && (
        <p className={styles.flags}>
          <strong>Flags: </strong>
          {track.outlierFlags.map((flag) => (
            <FlagItem key={flag.id} initial={flag} />
          ))}
        </p>
      )}
      <h2>Similar tracks</h2>
      <div className={styles.columns}>
        {SPACES.map(({ space, label, hint }, i) => (
          <SimilarColumn key={space} trackId={track.id} label={label} hint={hint} result={similar[i]!} />
        ))}
      </div>
    </>
  );
}
