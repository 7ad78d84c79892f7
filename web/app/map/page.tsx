import { MapWorkbench } from "@/features/map/MapWorkbench";

export const metadata = { title: "Map · Curator Workbench" };

export default async function MapPage({ searchParams }: { searchParams: Promise<{ track?: string | string[] }> }) {
  const { track } = await searchParams;
  const focus = typeof track === "string" && /^\d+$/.test(track) ? Number(track) : null;
  return (
    <>
      <h1>Latent map</h1>
      <MapWorkbench focusTrack={focus} />
    </>
  );
}
