import { Field, Int, ObjectType, type ClassType } from "type-graphql";
import { badUserInput } from "../errors.js";

@ObjectType({ simpleResolvers: true })
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

export interface Connection<T> {
  edges: { node: T; cursor: string }[];
  pageInfo: PageInfo;
  totalCount: number;
}

/**
 * The Relay connection type of an item class: `class FlagConnection extends ConnectionType(OutlierFlag) {}` gives
 * FlagConnection with edges of `OutlierFlagEdge`.
 */
export function ConnectionType<T extends object>(item: ClassType<T>) {
  @ObjectType(`${item.name}Edge`, { simpleResolvers: true })
  class Edge {
    @Field(() => item) node!: T;
    @Field() cursor!: string;
  }

  @ObjectType({ simpleResolvers: true })
  abstract class ConnectionClass implements Connection<T> {
    @Field(() => [Edge]) edges!: Edge[];
    @Field(() => PageInfo) pageInfo!: PageInfo;
    @Field(() => Int) totalCount!: number;
  }
  return ConnectionClass;
}

/** `take + 1` rows in id order (the extra one says whether a next page exists) as a connection page. */
export function toConnection<T extends { id: number }>(rows: T[], take: number, totalCount: number): Connection<T> {
  const page = rows.slice(0, take);
  return {
    edges: page.map((node) => ({ node, cursor: encodeCursor(node.id) })),
    pageInfo: { hasNextPage: rows.length > take, endCursor: page.length ? encodeCursor(page[page.length - 1]!.id) : null },
    totalCount,
  };
}

/** The id after which a page starts, from a client's `after` cursor; a cursor this API never issued is bad input. */
export function afterId(after: string | null | undefined): number | undefined {
  if (!after) return undefined;
  try {
    return decodeCursor(after);
  } catch (err) {
    throw badUserInput((err as Error).message);
  }
}
