import { Field, Float, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { ArrayMaxSize, ArrayMinSize, Length, Max, Min, ValidateNested } from "class-validator";
import { DEFAULT_PLAYLIST_RULES } from "../playlists/rules.js";
import { ConnectionType } from "./connection.js";
import { ActivationMode } from "./filter.js";
import { PathSpace, PredictedMode, Space } from "./similarity.js";

/** The most tracks one playlist holds: keeps exports and reorders bounded. */
export const MAX_PLAYLIST_LENGTH = 2000;

export enum PlaylistFormat {
  M3U = "M3U",
  XSPF = "XSPF",
  JSPF = "JSPF",
}
registerEnumType(PlaylistFormat, {
  name: "PlaylistFormat",
  description: "Extended M3U in UTF-8 (.m3u8), XSPF (XML Shareable Playlist Format), or JSPF (XSPF as JSON, ListenBrainz's playlist format).",
});

export enum PlaylistLocations {
  URL = "URL",
  PATH = "PATH",
}
registerEnumType(PlaylistLocations, {
  name: "PlaylistLocations",
  description: "What an exported entry points at: the API's audio URL (any player, anywhere), or the audio file's path on the server's disk (desktop players and music servers on the same machine or share).",
});

@ObjectType({ description: "An editor's ordered list of tracks; positions are dense, 1..itemCount." })
export class Playlist {
  @Field(() => Int) id!: number;
  @Field() name!: string;
  @Field({ description: 'How it was made: "manual", "filter:CONV1:14:MAX", "seed:123", "path:12-34", "selection".' }) source!: string;
  @Field() createdAt!: Date;
  @Field() updatedAt!: Date;
}

@ObjectType()
export class PlaylistItem {
  @Field(() => Int, { description: "Stable id of this entry: the same track may appear twice." }) id!: number;
  @Field(() => Int) position!: number;
  trackId!: number;
  playlistId!: number;
}

@ObjectType()
export class PlaylistConnection extends ConnectionType(Playlist) {}

@InputType({ description: "A sonic path between two tracks, as the sonicPath query gives it." })
export class PathPlaylistInput {
  @Field(() => Int) from!: number;
  @Field(() => Int) to!: number;
  @Field(() => Int, { defaultValue: 10, description: "Tracks on the path, both ends included." }) length!: number;
  @Field(() => PathSpace, { defaultValue: PathSpace.CF }) space!: PathSpace;
  @Field(() => PredictedMode, { defaultValue: PredictedMode.MIDDLE, description: "The predicted set an AUDIO path runs through." })
  audioMode!: PredictedMode;
}

const RULE_HELP = {
  skipFlagged: "Leave out tracks with an outlier flag no editor has rejected (OPEN or CONFIRMED).",
  minDurationSec: "Leave out tracks shorter than this many seconds (stingers, jingles); 0 keeps every length.",
  spreadArtists: "Reorder so no two tracks in a row share an artist where another order allows it.",
} as const;

@ObjectType({ description: "What a generated playlist leaves out and how it orders the rest; the playlistRules query gives the defaults. A seed and a path's ends are always kept." })
export class PlaylistRulesView {
  @Field({ description: RULE_HELP.skipFlagged }) skipFlagged!: boolean;
  @Field(() => Float, { description: RULE_HELP.minDurationSec }) minDurationSec!: number;
  @Field({ description: RULE_HELP.spreadArtists }) spreadArtists!: boolean;
}

@InputType({ description: "What a generated playlist leaves out and how it orders the rest; an omitted field takes its default (the playlistRules query)." })
export class PlaylistRulesInput {
  @Field({ defaultValue: DEFAULT_PLAYLIST_RULES.skipFlagged, description: RULE_HELP.skipFlagged }) skipFlagged!: boolean;
  @Field(() => Float, { defaultValue: DEFAULT_PLAYLIST_RULES.minDurationSec, description: RULE_HELP.minDurationSec })
  @Min(0)
  @Max(3600)
  minDurationSec!: number;
  @Field({ defaultValue: DEFAULT_PLAYLIST_RULES.spreadArtists, description: RULE_HELP.spreadArtists }) spreadArtists!: boolean;
}

@InputType({ description: "Where a generated playlist's tracks come from: exactly one of filterId, seedTrackId, path, trackIds." })
export class GeneratePlaylistInput {
  @Field(() => String, { nullable: true, description: "Default: named after the source." })
  @Length(1, 200)
  name?: string;

  @Field(() => Int, { nullable: true, description: "A convnet filter: its top tracks by activation." })
  filterId?: number;

  @Field(() => ActivationMode, { defaultValue: ActivationMode.MAX, description: "Which ranking of the filter's activations." })
  mode!: ActivationMode;

  @Field(() => Int, { nullable: true, description: "A seed track, followed by its nearest tracks." })
  seedTrackId?: number;

  @Field(() => Space, { defaultValue: Space.AUDIO, description: "The space the seed's neighbours come from." })
  space!: Space;

  @Field(() => PathPlaylistInput, { nullable: true, description: "The tracks of a sonic path, in order." })
  path?: PathPlaylistInput;

  @Field(() => [Int], { nullable: true, description: "Exactly these tracks, in this order." })
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_PLAYLIST_LENGTH)
  trackIds?: number[];

  @Field(() => Int, { defaultValue: 30, description: "How many tracks from a filter or a seed (the seed included)." })
  @Min(1)
  @Max(200)
  count!: number;

  @Field(() => PlaylistRulesInput, { nullable: true, description: "For a filter, a seed or a path (not trackIds); default: the playlistRules defaults." })
  @ValidateNested()
  rules?: PlaylistRulesInput;
}
