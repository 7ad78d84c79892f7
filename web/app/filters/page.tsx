import { FiltersView } from "@/features/filters/FiltersView";

export const metadata = { title: "Filters · Curator Workbench" };

export default function FiltersPage() {
  return (
    <>
      <h1>Filters</h1>
      <FiltersView />
    </>
  );
}
