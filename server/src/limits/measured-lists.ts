import { BREAK, Kind, visit, type DocumentNode } from "graphql";
import type { Db } from "@curator/db/client.js";
import { largestMapSize } from "../services/latent-map.js";
import type { MeasuredLists } from "./query-cost.js";

/**
 * Points per cost unit of `LatentMap.packed`: a column is one typed array for the whole map, so a 100k-point
 * map costs 100 per column where `points` would cost 100k objects.
 */
export const PACKED_POINTS_PER_UNIT = 1000;

/**
 * The lengths of the lists in `document` that have no size argument and can be long, read from the database
 * before the query is costed. Only fields the document selects are measured: most queries cost no lookup.
 */
export async function measureLists(db: Db, document: DocumentNode): Promise<MeasuredLists> {
  if (!selectsField(document, "packed")) return {};
  return { "LatentMap.packed": Math.ceil((await largestMapSize(db)) / PACKED_POINTS_PER_UNIT) };
}

function selectsField(document: DocumentNode, name: string): boolean {
  let found = false;
  visit(document, {
    [Kind.FIELD](node) {
      if (node.name.value !== name) return undefined;
      found = true;
      return BREAK;
    },
  });
  return found;
}
