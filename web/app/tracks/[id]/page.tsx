import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Badge } from "@/components/Badge";
import { ErrorBanner } from "@/components/ErrorBanner";
import { FlagItem } from "@/features/flags/FlagItem";
import { AddToPlaylist } from "@/features/playlists/AddToPlaylist";
import { GenerateLinks } from "@/features/playlists/GenerateLinks";
import { SIMILAR_K, SPACES, SimilarQuery, TrackQuery, TrackTitleQuery, similarOptionsFrom } from "@/features/track/queries";
import { SimilarFilters } from "@/features/track/SimilarFilters";
import { SignInToEdit } from "@/features/session/SignInToEdit";
import { AudioPlayer } from "@/features/track/AudioPlayer";
import { SimilarColumn } from "@/features/track/SimilarColumn";
import { TopFilters } from "@/features/track/TopFilters";
import { TrackFacts } from "@/features/track/TrackFacts";
import styles from "@/features/track/Track.module.css";
import { runQuery } from "@/lib/graphql";
import { AudioModelNote } from "@/features/audio-model/AudioModelNote";
import { AudioModelQuery } from "@/features/audio-model/queries";

/** The tab says which track: one small query, since metadata renders apart from the page. */
export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const id = Number((await params).id);
  const result = Number.isInteger(id) && id > 0 ? await runQuery(TrackTitleQuery, { id }) : null;
  const track = result?.ok ? result.data.track : null;
  return { title: track ? `${track.title} · ${track.artist.name} · Curator Workbench` : "Track · Curator Workbench" };
}

type SearchParams = Record<string, string | string[] | undefined>;

export default async function TrackPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<SearchParams> }) {
  const id = Number((await params).id);
  if (!Number.isInteger(id) || id <= 0) notFound();
  const options = similarOptionsFrom(await searchParams);
  const [result, audioModel, ...similar] = await Promise.all([
    runQuery(TrackQuery, { id }),
    runQuery(AudioModelQuery, {}),
    ...SPACES.map(({ space }) => runQuery(SimilarQuery, { id, space, k: SIMILAR_K, ...options })),
  ]);
  if (!result.ok) return <ErrorBanner title="Could not load the track." message={result.message} />;
  const track = result.data.track;
  if (!track) notFound();
  const model = audioModel.ok ? audioModel.data.audioModel : null;
  return (
    <>
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
      <TrackFacts track={track} {...(model?.backing === "MFCC_BASELINE" ? { noSpread: "none (the MFCC baseline gives none)" } : {})} />
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
      <AudioModelNote model={model} lead="The Audio column is from the" />
      <SimilarFilters options={options} />
      <div className={styles.columns}>
        {SPACES.map(({ space, label, hint }, i) => (
          <SimilarColumn key={space} trackId={track.id} label={label} hint={hint} result={similar[i]!} />
        ))}
      </div>
    </>
  );
}
