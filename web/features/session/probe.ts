import { gql } from "@urql/core";
import { runMutation } from "@/lib/graphql";
import { saveSession, type Access } from "@/lib/session";

/**
 * The API has no "who am I" query, so a key's access is learnt from a mutation that changes nothing: renaming
 * filter 0 (ids start at 1). The role check runs before the resolver, so an analyst's key is refused (FORBIDDEN)
 * and an editor's reaches the resolver and gets NOT_FOUND. Replace with a viewer query once the API has one.
 */
const Probe = gql<{ renameFilter: { id: number } }, Record<string, never>>`
  mutation ProbeAccess { renameFilter(id: 0, name: null) { id } }
`;

export type SignInResult = { ok: true; access: Access } | { ok: false; message: string };

export async function signIn(key: string): Promise<SignInResult> {
  const result = await runMutation(Probe, {}, key);
  const access = result.ok ? null : result.code === "FORBIDDEN" ? "ANALYST" : result.code === "NOT_FOUND" ? "EDITOR" : null;
  if (!access) return { ok: false, message: result.ok ? "Unexpected answer from the API." : result.message };
  saveSession({ key, access });
  return { ok: true, access };
}
