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
}

@ObjectType()
export class FilterTrack {
  @Field(() => Int) rank!: number;
  @Field(() => Float) value!: number;
  @Field(() => Track) track!: Track;
}

@ObjectType()
export class FilterConnection extends ConnectionType(Filter) {}
