import { Field, ObjectType } from "type-graphql";

@ObjectType()
export class PageInfo {
  @Field() hasNextPage!: boolean;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}

/** Opaque cursors: base64 of the row id, so clients never depend on the key's form. */
export function encodeCursor(id: number): string {
  return Buffer.from(`id:${id}`).toString("base64url");
}

export function decodeCursor(cursor: string): number {
  const raw = Buffer.from(cursor, "base64url").toString();
  const id = raw.startsWith("id:") ? Number(raw.slice(3)) : NaN;
  if (!Number.isInteger(id)) throw new Error(`cursor "${cursor}" is not one this API issued`);
  return id;
}
