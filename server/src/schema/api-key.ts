import { Field, Int, ObjectType } from "type-graphql";
import { Role } from "./viewer.js";

@ObjectType({ description: "An API key as an ADMIN manages it: never the key itself, only its hash is stored.", simpleResolvers: true })
export class ApiKeyInfo {
  @Field(() => Int) id!: number;
  @Field({ description: "Who or what uses the key (shown as verdictBy on reviews)." }) name!: string;
  @Field(() => Role) role!: Role;
  @Field() createdAt!: Date;
  @Field(() => Date, { nullable: true, description: "When a request last came with it (to the minute); null if never." }) lastUsedAt!: Date | null;
  @Field(() => Date, { nullable: true, description: "Set once revoked: requests with it are refused from then on." }) revokedAt!: Date | null;
}

@ObjectType({ description: "A newly created key: `key` is shown this once and cannot be read again." })
export class IssuedApiKey {
  @Field(() => ApiKeyInfo) info!: ApiKeyInfo;
  @Field({ description: "Send it as `Authorization: Bearer <key>`, or paste it into the workbench's Sign in." }) key!: string;
}
