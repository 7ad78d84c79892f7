import { Field, Int, ObjectType } from "type-graphql";

@ObjectType({ description: "One run of `npm run eval -- NAME`: its metrics and the table it printed." })
export class Evaluation {
  @Field(() => Int) id!: number;
  @Field() name!: string;
  @Field({ description: "JSON object: the metrics line the evaluation printed last." }) metrics!: string;
  @Field({ description: "The readable table, as printed (monospace)." }) tableText!: string;
  @Field() createdAt!: Date;
}
