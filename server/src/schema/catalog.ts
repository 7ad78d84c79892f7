import { Field, Float, Int, ObjectType } from "type-graphql";
import type { OutlierFlag } from "./outlier.js";

@ObjectType({ description: "A composer, or a soundtrack when no composer is credited.", simpleResolvers: true })
export class Artist {
  @Field(() => Int) id!: number;
  @Field() name!: string;
}

@ObjectType({ description: "An album: for the Debian corpus, one package's soundtrack.", simpleResolvers: true })
export class Album {
  @Field(() => Int) id!: number;
  @Field() title!: string;
  @Field({ description: 'Where it came from: "debian:<package>", "csv:<file>", "derived".' }) source!: string;
  @Field(() => String, { nullable: true }) licence!: string | null;
}

// simpleResolvers: plain fields of these types are read by graphql-js's default resolver rather than through
// type-graphql's per-field middleware wrapper; none of them has middlewares or roles.
@ObjectType({ simpleResolvers: true })
export class Track {
  @Field(() => Int) id!: number;
  @Field({ description: "Stable key from the catalogue." }) externalId!: string;
  @Field() title!: string;
  @Field(() => Float) durationSec!: number;
  @Field(() => Int, { nullable: true, description: "1-based position on the album." }) position!: number | null;
  @Field({ description: "Shorter than 45 s: an intro/outro/interlude candidate." }) isShort!: boolean;
  @Field({ description: "Decodes to (near) silence." }) isSilent!: boolean;
  @Field({ description: 'How the audio was made: "recording", "midi-render", "derived-remix", …' }) origin!: string;
  @Field() codec!: string;
  @Field(() => Int) sampleRate!: number;
  @Field(() => Int) channels!: number;
  artistId!: number;
  albumId!: number | null;
  /** When a library rescan found the file gone (null while it is there); PlaylistItem.missing answers from it. */
  missingSince?: Date | null;
}

/** A track row with the relations a listing read along with it: field resolvers answer from them, not a loader. */
export interface TrackRow extends Track {
  artist?: Artist;
  album?: Album | null;
  flags?: OutlierFlag[];
}

/**
 * Makes a track row (in place) an instance of Track. type-graphql copies a root that is not an instance of the
 * field's class into a new one before every field resolver call (twice when the resolver takes @Root), so rows
 * that reach field resolvers become instances once, where they are read: a 50-track page would otherwise make
 * 300 copies. Re-prototyping rather than copying: Prisma's rows with relations copy slowly.
 */
export function asTrack<T extends Track>(row: T): T {
  return Object.setPrototypeOf(row, Track.prototype) as T;
}
