import { PlaylistsView } from "@/features/playlists/PlaylistsView";

export const metadata = { title: "Playlists · Curator Workbench" };

export default async function PlaylistsPage({ searchParams }: { searchParams: Promise<{ id?: string | string[] }> }) {
  const { id } = await searchParams;
  return (
    <>
      <h1>Playlists</h1>
      <PlaylistsView openId={typeof id === "string" && /^\d+$/.test(id) ? Number(id) : null} />
    </>
  );
}
