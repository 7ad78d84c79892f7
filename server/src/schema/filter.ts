import { Field, Float, Int, ObjectType, registerEnumType } from "type-graphql";
import { ActivationMode, FilterLayer } from "@curator/db/client.js";
import { ConnectionType } from "./connection.js";
import { Track } from "./catalog.js";

export { ActivationMode, FilterLayer };

registerEnumType(FilterLayer, { name: "FilterLayer", description: "First convolutional layer, or the dense layer's hidden units." });
registerEnumType(ActivationMode, { name: "ActivationMode", description: "Rank tracks by a filter's peak (MAX) or average (MEAN) activation over time." });

@ObjectType({ description: "One learned filter of the active model run: what it responds to is heard in its top tracks." })
export class Filter {
  @Field(() => Int) id!: number;
  @Field(() => FilterLayer) layer!: FilterLayer;
  @Field(() => Int) index!: number;
  @Field(() => String, { nullable: true, description: 'Editor-given name ("gospel", "chiptune").' }) name!: string | null;
  weightImage!: string | null;
  modelRunId!: number;
}

@ObjectType({ description: "A mel band position of a frequency, for the weight picture's frequency axis." })
export class MelTick {
  @Field(() => Float) hz!: number;
  @Field(() => Float, { description: "Band position, 0 = the lowest band's centre, melBands − 1 = the highest's (fractional between)." }) band!: number;
}

@ObjectType({ description: "What the weight picture's axes and colours mean: time frames along x, mel bands along y (low at the bottom), colour the weight divided by the filter's largest |weight| (blue −1, white 0, red +1)." })
export class WeightAxes {
  @Field(() => Int, { description: "Frames the kernel spans (the picture's columns)." }) frames!: number;
  @Field(() => Float, { description: "Seconds between frames (hop length ÷ sample rate)." }) frameSec!: number;
  @Field(() => Int, { description: "Mel bands (the picture's rows)." }) melBands!: number;
  @Field(() => Float) lowHz!: number;
  @Field(() => Float) highHz!: number;
  @Field(() => [MelTick], { description: "Round frequencies within the range and where they fall on the band axis." }) ticks!: MelTick[];
}

@ObjectType()
export class FilterTrack {
  @Field(() => Int) rank!: number;
  @Field(() => Float) value!: number;
  @Field(() => Track) track!: Track;
}

@ObjectType()
export class FilterConnection extends ConnectionType(Filter) {}

@ObjectType({ description: "How strongly one filter responds to a track." })
export class TrackActivation {
  @Field(() => Filter) filter!: Filter;
  @Field(() => Float) value!: number;
}

@ObjectType({ description: "A dense-layer unit both tracks activate: its share of what makes them sound alike." })
export class SharedUnit {
  @Field(() => Filter) filter!: Filter;
  @Field({ description: "The editor-given name, or \"unit N\"." }) name!: string;
  @Field(() => Float, { description: "This track's activation." }) a!: number;
  @Field(() => Float, { description: "The other track's activation." }) b!: number;
  @Field(() => Float, { description: "a·b: the unit's term of the activations' inner product." }) contribution!: number;
  @Field(() => Float, { description: "contribution / sum of positive terms." }) share!: number;
}
