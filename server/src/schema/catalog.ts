import { Field, Float, Int, ObjectType } from "type-graphql";

@ObjectType({ description: "A composer, or a soundtrack when no composer is credited." })
export class Artist {
  @Field(() => Int) id!: number;
  @Field() name!: string;
}

@ObjectType({ description: "An album: for the Debian corpus, one package's soundtrack." })
export class Album {
  @Field(() => Int) id!: number;
  @Field() title!: string;
  @Field({ description: 'Where it came from: "debian:<package>", "csv:<file>", "derived".' }) source!: string;
  @Field(() => String, { nullable: true }) licence!: string | null;
}

@ObjectType()
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
}

/**
 * A track row as a Track instance. type-graphql copies a root that is not an instance of the field's class into
 * a new one before every field resolver call (twice when the resolver takes @Root), so rows that reach field
 * resolvers are made instances once, where they are read: a 50-track page would otherwise make 300 copies.
 */
export function asTrack<T extends Track>(row: T): T {
  return Object.assign(new Track(), row);
}
