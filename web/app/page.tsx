import { ErrorBanner } from "@/components/ErrorBanner";
import { CatalogTable } from "@/features/catalog/CatalogTable";
import { PAGE_SIZE, TracksQuery, textFilter } from "@/features/catalog/queries";
import { SearchBox } from "@/features/catalog/SearchBox";
import { runQuery } from "@/lib/graphql";

export const metadata = { title: "Catalog · Curator Workbench" };

export default async function CatalogPage({ searchParams }: { searchParams: Promise<{ q?: string | string[] }> }) {
  const { q } = await searchParams;
  const text = typeof q === "string" ? q.trim() : "";
  const result = await runQuery(TracksQuery, { first: PAGE_SIZE, filter: textFilter(text) });
  return (
    <>
      <h1>Catalog</h1>
      <SearchBox initial={text} />
      {result.ok ? (
        <CatalogTable key={text} text={text} firstPage={result.data.tracks} />
      ) : (
        <ErrorBanner title="Could not load the catalogue." message={result.message} />
      )}
    </>
  );
}
