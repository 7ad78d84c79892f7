// Keyset pagination of the track list under any TrackOrder. A cursor carries the order it was issued for, the
// row's sort key and its id: the next page starts strictly after (key, id), so inserts and deletes between
// requests never shift rows across pages the way OFFSET would, and ties on the key are broken by id.
import type { TrackOrderByWithRelationInput, TrackWhereInput } from "@curator/db/client.js";
import type { Connection } from "../schema/connection.js";
import { SortDirection, TrackOrderField, type TrackOrder } from "../schema/track-connection.js";
import { badUserInput } from "../errors.js";

type Key = string | number | null;

/** What a page row must carry for its cursor: the artist only matters under the ARTIST order. */
export interface KeyedTrack {
  id: number;
  title: string;
  durationSec: number;
  artist?: { name: string };
}

export interface Keyset {
  orderBy: TrackOrderByWithRelationInput[];
  /** Rows strictly after the cursor, or undefined on the first page. */
  after: TrackWhereInput | undefined;
  /** Whether the page query must fetch each row's artist to key it. */
  needsArtist: boolean;
}

export const DEFAULT_ORDER: TrackOrder = { field: TrackOrderField.ID, direction: SortDirection.ASC };

export function keyset(order: TrackOrder, cursor: string | null | undefined): Keyset {
  const dir = order.direction === SortDirection.ASC ? "asc" : "desc";
  const byId = { id: dir } as const;
  const orderBy: TrackOrderByWithRelationInput[] =
    order.field === TrackOrderField.TITLE ? [{ title: dir }, byId]
    : order.field === TrackOrderField.ARTIST ? [{ artist: { name: dir } }, byId]
    : order.field === TrackOrderField.DURATION ? [{ durationSec: dir }, byId]
    : [byId];
  return { orderBy, after: cursor ? afterWhere(order, decode(order, cursor)) : undefined, needsArtist: order.field === TrackOrderField.ARTIST };
}

function afterWhere(order: TrackOrder, [key, id]: [Key, number]): TrackWhereInput {
  const op = order.direction === SortDirection.ASC ? "gt" : "lt";
  const pastId = { id: { [op]: id } };
  if (order.field === TrackOrderField.ID) return pastId;
  return { OR: [keyWhere(order.field, op, key), { AND: [keyWhere(order.field, "equals", key), pastId] }] };
}

function keyWhere(field: TrackOrderField, op: "gt" | "lt" | "equals", key: Key): TrackWhereInput {
  switch (field) {
    case TrackOrderField.TITLE:
      return { title: { [op]: key as string } };
    case TrackOrderField.ARTIST:
      return { artist: { is: { name: { [op]: key as string } } } };
    default:
      return { durationSec: { [op]: key as number } };
  }
}

function keyOf(field: TrackOrderField, track: KeyedTrack): Key {
  switch (field) {
    case TrackOrderField.TITLE:
      return track.title;
    case TrackOrderField.ARTIST:
      if (!track.artist) throw new Error("ARTIST order needs each row's artist");
      return track.artist.name;
    case TrackOrderField.DURATION:
      return track.durationSec;
    default:
      return null;
  }
}

export function encode(order: TrackOrder, track: KeyedTrack): string {
  return Buffer.from(JSON.stringify([order.field, order.direction, keyOf(order.field, track), track.id])).toString("base64url");
}

/** A cursor is only meaningful under the order that issued it: any other is refused, not reinterpreted. */
function decode(order: TrackOrder, cursor: string): [Key, number] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString());
  } catch {
    parsed = null;
  }
  if (!Array.isArray(parsed) || parsed.length !== 4) throw badUserInput(`cursor "${cursor}" is not one this API issued`);
  const [field, direction, key, id] = parsed as unknown[];
  if (field !== order.field || direction !== order.direction) {
    throw badUserInput(`cursor "${cursor}" was issued for another order (${String(field)} ${String(direction)})`);
  }
  const keyType = order.field === TrackOrderField.DURATION ? "number" : order.field === TrackOrderField.ID ? "object" : "string";
  if (!Number.isInteger(id) || typeof key !== keyType || (keyType === "object" && key !== null)) {
    throw badUserInput(`cursor "${cursor}" is not one this API issued`);
  }
  return [key as Key, id as number];
}

/** `take + 1` rows in the order's sequence (the extra one says whether a next page exists) as a connection page. */
export function toKeysetConnection<T extends KeyedTrack>(order: TrackOrder, rows: T[], take: number, totalCount: number): Connection<T> {
  const page = rows.slice(0, take);
  // Encoded when a query asks for it: a catalogue page usually reads only pageInfo.endCursor.
  const edges = page.map((node) => ({
    node,
    get cursor() {
      return encode(order, node);
    },
  }));
  const last = page.at(-1);
  return { edges, pageInfo: { hasNextPage: rows.length > take, endCursor: last ? encode(order, last) : null }, totalCount };
}
