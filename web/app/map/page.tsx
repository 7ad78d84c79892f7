import { MapWorkbench } from "@/features/map/MapWorkbench";
import { mapStateFrom } from "@/features/map/url-state";

export const metadata = { title: "Map · Curator Workbench" };

export default async function MapPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  return (
    <>
      <h1>Latent map</h1>
      <MapWorkbench initial={mapStateFrom(await searchParams)} />
    </>
  );
}
