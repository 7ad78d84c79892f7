// The tracks of a generated playlist, from one of three sources: a convnet filter's top tracks (the blog post's
// "playlists of filter #14"), a seed track and its nearest neighbours, or an explicit selection.
import type { Db } from "@curator/db/client.js";
import type { IndexRegistry } from "../index/registry.js";
import { similarTracks } from "../services/similar.js";
import { badUserInput, failedPrecondition, notFound } from "../errors.js";
import type { GeneratePlaylistInput } from "../schema/playlist.js";

export interface Generated {
  name: string;
  source: string;
  trackIds: number[];
}

export async function generatePlaylistTracks(db: Db, indexes: IndexRegistry, input: GeneratePlaylistInput): Promise<Generated> {
  const given = [input.filterId, input.seedTrackId, input.trackIds].filter((v) => v !== undefined && v !== null).length;
  if (given !== 1) throw badUserInput("give exactly one of filterId, seedTrackId, trackIds");
  const generated =
    input.filterId != null
      ? await fromFilter(db, input.filterId, input)
      : input.seedTrackId != null
        ? await fromSeed(db, indexes, input.seedTrackId, input)
        : { name: "Selection", source: "selection", trackIds: input.trackIds! };
  return input.name ? { ...generated, name: input.name } : generated;
}

async function fromFilter(db: Db, filterId: number, { mode, count }: GeneratePlaylistInput): Promise<Generated> {
  const filter = await db.filter.findUnique({ where: { id: filterId } });
  if (!filter) throw notFound(`filter ${filterId} not found`);
  const hits = await db.filterActivation.findMany({ where: { filterId, mode, rank: { lte: count } }, orderBy: { rank: "asc" }, select: { trackId: true } });
  if (hits.length === 0) throw failedPrecondition(`filter ${filterId} has no ${mode} ranking: run \`curator activations\` first`);
  const label = filter.name ?? `${filter.layer} #${filter.index}`;
  return { name: `Filter ${label} (${mode.toLowerCase()})`, source: `filter:${filter.layer}:${filter.index}:${mode}`, trackIds: hits.map((h) => h.trackId) };
}

async function fromSeed(db: Db, indexes: IndexRegistry, seedTrackId: number, { space, count }: GeneratePlaylistInput): Promise<Generated> {
  // similarTracks puts the seed first and answers NOT_FOUND / FAILED_PRECONDITION for a missing or unplaced seed.
  const scored = (await similarTracks(db, indexes, seedTrackId, { k: Math.max(count - 1, 1), space })).slice(0, count);
  const seed = await db.track.findUniqueOrThrow({ where: { id: seedTrackId }, select: { title: true } });
  return { name: `Like “${seed.title}”`, source: `seed:${seedTrackId}`, trackIds: scored.map((s) => s.trackId) };
}
