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
