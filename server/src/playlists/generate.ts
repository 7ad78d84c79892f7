// The tracks of a generated playlist, from one of four sources: a convnet filter's top tracks (the blog post's
// "playlists of filter #14"), a seed track and its nearest neighbours, a sonic path between two tracks, or an explicit
// selection.
import type { Db } from "@curator/db/client.js";
import type { IndexRegistry } from "../index/registry.js";
import { similarTracks } from "../services/similar.js";
import { sonicPath } from "../services/sonic-path.js";
import { checkCount } from "../resolvers/ranges.js";
import { badUserInput, failedPrecondition, notFound } from "../errors.js";
import { PRESENT_TRACK } from "../index/missing-tracks.js";
import type { GeneratePlaylistInput, PathPlaylistInput } from "../schema/playlist.js";
import { applyPlaylistRules, DEFAULT_PLAYLIST_RULES, type PlaylistRules } from "./rules.js";

/** A filter or seed playlist ranks this many times `count` candidates, so the rules' skips still leave `count`. */
const CANDIDATES_PER_PLACE = 3;

export interface Generated {
  name: string;
  source: string;
  trackIds: number[];
}

export async function generatePlaylistTracks(db: Db, indexes: IndexRegistry, input: GeneratePlaylistInput): Promise<Generated> {
  const given = [input.filterId, input.seedTrackId, input.path, input.trackIds].filter((v) => v !== undefined && v !== null).length;
  if (given !== 1) throw badUserInput("give exactly one of filterId, seedTrackId, path, trackIds");
  const rules: PlaylistRules = { ...DEFAULT_PLAYLIST_RULES, ...input.rules };
  const generated =
    input.filterId != null
      ? await fromFilter(db, input.filterId, input, rules)
      : input.seedTrackId != null
        ? await fromSeed(db, indexes, input.seedTrackId, input, rules)
        : input.path != null
          ? await fromPath(db, indexes, input.path, rules)
          : { name: "Selection", source: "selection", trackIds: input.trackIds! };
  return input.name ? { ...generated, name: input.name } : generated;
}

async function fromFilter(db: Db, filterId: number, { mode, count }: GeneratePlaylistInput, rules: PlaylistRules): Promise<Generated> {
  const filter = await db.filter.findUnique({ where: { id: filterId } });
  if (!filter) throw notFound(`filter ${filterId} not found`);
  const hits = await db.filterActivation.findMany({
    where: { filterId, mode, rank: { lte: count * CANDIDATES_PER_PLACE }, track: PRESENT_TRACK },
    orderBy: { rank: "asc" },
    select: { trackId: true },
  });
  if (hits.length === 0) throw failedPrecondition(`filter ${filterId} has no ${mode} ranking: run \`curator activations\` first`);
  const label = filter.name ?? `${filter.layer} #${filter.index}`;
  const trackIds = await applyPlaylistRules(db, hits.map((h) => h.trackId), rules, { first: false, last: false }, count);
  return { name: `Filter ${label} (${mode.toLowerCase()})`, source: `filter:${filter.layer}:${filter.index}:${mode}`, trackIds };
}

async function fromSeed(db: Db, indexes: IndexRegistry, seedTrackId: number, { space, count }: GeneratePlaylistInput, rules: PlaylistRules): Promise<Generated> {
  // similarTracks puts the seed first and answers NOT_FOUND / FAILED_PRECONDITION for a missing or unplaced seed.
  const scored = await similarTracks(db, indexes, seedTrackId, { k: Math.max(count * CANDIDATES_PER_PLACE - 1, 1), space });
  const seed = await db.track.findUniqueOrThrow({ where: { id: seedTrackId }, select: { title: true } });
  const trackIds = await applyPlaylistRules(db, scored.map((s) => s.trackId), rules, { first: true, last: false }, count);
  return { name: `Like “${seed.title}”`, source: `seed:${seedTrackId}`, trackIds };
}

async function fromPath(db: Db, indexes: IndexRegistry, { from, to, length, space, audioMode }: PathPlaylistInput, rules: PlaylistRules): Promise<Generated> {
  // The same steps the sonicPath query shows for these arguments: the path is recomputed, not taken on trust.
  const { steps, endTitles } = await sonicPath(db, indexes, from, to, checkCount(length, "length", 2), space, audioMode);
  const trackIds = await applyPlaylistRules(db, steps.map((s) => s.trackId), rules, { first: true, last: true });
  return { name: `Path: ${endTitles[0]} → ${endTitles[1]}`, source: `path:${from}-${to}`, trackIds };
}
