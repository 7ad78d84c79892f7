import "reflect-metadata";
import { buildSchema } from "type-graphql";
import type { GraphQLSchema } from "graphql";
import { HealthResolver } from "./resolvers/health.js";
import { JobResolver } from "./resolvers/job.js";
import { TrackResolver } from "./resolvers/track.js";

export function buildCuratorSchema(): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: [HealthResolver, TrackResolver, JobResolver],
    // class-validator checks every input: bad values become BAD_USER_INPUT errors naming the field.
    validate: { forbidUnknownValues: false },
  });
}
