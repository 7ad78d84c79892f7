import { Field, Int, ObjectType } from "type-graphql";

@ObjectType()
export class Health {
  @Field() ok!: boolean;
  @Field({ description: '"sqlite" or "postgres".' }) database!: string;
  @Field(() => Int) tracks!: number;
}
