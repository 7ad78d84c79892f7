import { KeysManager } from "@/features/session/KeysManager";

export const metadata = { title: "API keys · Curator Workbench" };

export default function KeysPage() {
  return (
    <>
      <h1>API keys</h1>
      <p>
        Each person or script gets its own key: verdicts record the key&apos;s name, and a key can be revoked alone. Editors edit playlists,
        flag verdicts and filter names; analysts read; admins also manage keys and jobs.
      </p>
      <KeysManager />
    </>
  );
}
