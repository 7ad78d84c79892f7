import { graphql } from "@/lib/gql";
import { runQuery } from "@/lib/graphql";
import { saveSession, type Role } from "@/lib/session";

const ViewerQuery = graphql(`
  query Viewer { viewer { name role } }
`);

export type SignInResult = { ok: true; role: Role } | { ok: false; message: string };

/** Asks the API whose key this is; a wrong or revoked key is refused (401) before the query runs. */
export async function signIn(key: string): Promise<SignInResult> {
  const result = await runQuery(ViewerQuery, {}, key);
  if (!result.ok) return { ok: false, message: result.message };
  const viewer = result.data.viewer;
  if (!viewer) return { ok: false, message: "The API did not recognise the key." };
  saveSession({ key, name: viewer.name, role: viewer.role });
  return { ok: true, role: viewer.role };
}
