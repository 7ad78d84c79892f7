import { ErrorBanner } from "@/components/ErrorBanner";
import { CatalogTable } from "@/features/catalog/CatalogTable";
import { toFilter } from "@/features/catalog/CatalogFilters";
import { PAGE_SIZE, TracksQuery, textFilter } from "@/features/catalog/queries";
import { SearchBox } from "@/features/catalog/SearchBox";
import { catalogStateFrom } from "@/features/catalog/url-state";
import { runQuery } from "@/lib/graphql";

export const metadata = { title: "Catalog · Curator Workbench" };

export default async function CatalogPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const state = catalogStateFrom(await searchParams);
  const { text, form, order } = state;
  const formed = toFilter(text, form);
  const filter = typeof formed === "string" ? textFilter(text) : Object.keys(formed).length ? formed : null;
  const result = await runQuery(TracksQuery, { first: PAGE_SIZE, filter, orderBy: order });
  return (
    <>
      <h1>Catalog</h1>
      <SearchBox initial={text} />
      {result.ok ? (
        <CatalogTable key={text} initial={state} initialFilter={filter} firstPage={result.data.tracks} />
      ) : (
        <ErrorBanner title="Could not load the catalogue." message={result.message} />
      )}
    </>
  );
}
