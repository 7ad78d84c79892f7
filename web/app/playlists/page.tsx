import { PlaylistsView } from "@/features/playlists/PlaylistsView";

export const metadata = { title: "Playlists · Curator Workbench" };

type Params = Record<"id" | "seed" | "from", string | string[] | undefined>;

const idParam = (value: string | string[] | undefined): number | null => (typeof value === "string" && /^\d+$/.test(value) ? Number(value) : null);

export default async function PlaylistsPage({ searchParams }: { searchParams: Promise<Partial<Params>> }) {
  const { id, seed, from } = await searchParams;
  return (
    <>
      <h1>Playlists</h1>
      <PlaylistsView openId={idParam(id)} seedId={idParam(seed)} fromId={idParam(from)} />
    </>
  );
}
