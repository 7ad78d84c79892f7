import { FiltersView } from "@/features/filters/FiltersView";

export const metadata = { title: "Filters · Curator Workbench" };

type Params = Record<string, string | string[] | undefined>;

export default async function FiltersPage({ searchParams }: { searchParams: Promise<Params> }) {
  const { layer, mode, page } = await searchParams;
  return (
    <>
      <h1>Filters</h1>
      <FiltersView
        initialLayer={layer === "dense" ? "DENSE" : "CONV1"}
        initialMode={mode === "mean" && layer !== "dense" ? "MEAN" : "MAX"}
        initialPage={typeof page === "string" && /^\d+$/.test(page) && Number(page) > 0 ? Number(page) : 1}
      />
    </>
  );
}
