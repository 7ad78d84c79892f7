import "reflect-metadata";
import { buildSchema } from "type-graphql";
import type { GraphQLSchema } from "graphql";
import { HealthResolver } from "./resolvers/health.js";
import { JobResolver } from "./resolvers/job.js";
import { TrackResolver } from "./resolvers/track.js";
import { TrackSimilarityResolver } from "./resolvers/track-similarity.js";
import { UserResolver } from "./resolvers/user.js";
import { SonicPathResolver } from "./resolvers/sonic-path.js";
import { LatentMapResolver } from "./resolvers/latent-map.js";
import { PlaylistItemResolver, PlaylistResolver } from "./resolvers/playlist.js";
import { PlaylistEditResolver } from "./resolvers/playlist-edit.js";
import { OutlierFlagResolver, TrackFlagsResolver } from "./resolvers/outlier.js";
import { FilterResolver } from "./resolvers/filter.js";
import { EvaluationResolver } from "./resolvers/evaluation.js";
import { TrackMediaResolver } from "./resolvers/track-media.js";
import { TrackActivationsResolver } from "./resolvers/track-activations.js";
import { ViewerResolver } from "./resolvers/viewer.js";
import { AudioModelResolver } from "./resolvers/audio-model.js";
import { ApiKeyResolver } from "./resolvers/api-key.js";
import { authChecker } from "./auth/auth-checker.js";

export function buildCuratorSchema(): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: [
      HealthResolver, TrackResolver, JobResolver, TrackSimilarityResolver, UserResolver, SonicPathResolver, LatentMapResolver,
      PlaylistResolver, PlaylistItemResolver, PlaylistEditResolver, OutlierFlagResolver, TrackFlagsResolver, FilterResolver, EvaluationResolver,
      TrackMediaResolver, TrackActivationsResolver, ViewerResolver, AudioModelResolver, ApiKeyResolver,
    ],
    // Roles come from the request's API key; every mutation names the least role it needs with @Authorized.
    authChecker,
    // class-validator checks every input: bad values become BAD_USER_INPUT errors naming the field.
    validate: { forbidUnknownValues: false },
  });
}
