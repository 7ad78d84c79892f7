import { gql } from "@urql/core";
import type { Role } from "@/lib/session";

export interface ApiKeyInfo {
  id: number;
  name: string;
  role: Role;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const KEY_FIELDS = "id name role createdAt lastUsedAt revokedAt";

export const ApiKeysQuery = gql<{ apiKeys: ApiKeyInfo[] }, Record<string, never>>`
  query ApiKeys { apiKeys { ${KEY_FIELDS} } }
`;

export const CreateApiKey = gql<{ createApiKey: { key: string; info: ApiKeyInfo } }, { name: string; role: Role }>`
  mutation CreateApiKey($name: String!, $role: Role!) {
    createApiKey(name: $name, role: $role) { key info { ${KEY_FIELDS} } }
  }
`;

export const RevokeApiKey = gql<{ revokeApiKey: ApiKeyInfo }, { id: number }>`
  mutation RevokeApiKey($id: Int!) { revokeApiKey(id: $id) { ${KEY_FIELDS} } }
`;

/** A link that signs a browser in with `key` (the fragment never reaches a server). */
export function signInLink(origin: string, key: string): string {
  return `${origin}/signin#key=${encodeURIComponent(key)}`;
}
