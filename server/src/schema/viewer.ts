import { Field, ObjectType, registerEnumType } from "type-graphql";
import { Role } from "@curator/db/client.js";

export { Role };

registerEnumType(Role, { name: "Role", description: "What a key may do: ANALYST reads, EDITOR also edits, ADMIN also manages keys." });

@ObjectType({ description: "The holder of the request's API key." })
export class Viewer {
  @Field({ description: "The name the key was issued under." }) name!: string;
  @Field(() => Role) role!: Role;
}
