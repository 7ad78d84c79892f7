import { graphql, type ResultOf } from "@/lib/gql";

const ApiKeyFields = graphql(`
  fragment ApiKeyFields on ApiKeyInfo { id name role createdAt lastUsedAt revokedAt }
`);
export type ApiKeyInfo = ResultOf<typeof ApiKeyFields>;

export const ApiKeysQuery = graphql(
  `
  query ApiKeys { apiKeys { ...ApiKeyFields } }
`,
  [ApiKeyFields],
);

export const CreateApiKey = graphql(
  `
  mutation CreateApiKey($name: String!, $role: Role!) {
    createApiKey(name: $name, role: $role) { key info { ...ApiKeyFields } }
  }
`,
  [ApiKeyFields],
);

export const RevokeApiKey = graphql(
  `
  mutation RevokeApiKey($id: Int!) { revokeApiKey(id: $id) { ...ApiKeyFields } }
`,
  [ApiKeyFields],
);

/** A link that signs a browser in with `key` (the fragment never reaches a server). */
export function signInLink(origin: string, key: string): string {
  return `${origin}/signin#key=${encodeURIComponent(key)}`;
}
