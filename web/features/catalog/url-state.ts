import { NO_FILTERS, type FilterForm } from "./CatalogFilters";
import type { OrderField, TrackOrder } from "./queries";

/**
 * The catalogue's search, filters and sort as the URL holds them (?q=&cold=1&flagged=1&min=&max=&sort=title&dir=desc),
 * so a reload, Back or a shared link shows the same list. One reader and one writer, used by the server page and
 * the table alike.
 */
export interface CatalogState {
  text: string;
  form: FilterForm;
  order: TrackOrder | null;
}

type Params = Record<string, string | string[] | undefined>;

const FIELDS: readonly OrderField[] = ["ID", "TITLE", "ARTIST", "DURATION"];

export function catalogStateFrom(params: Params | URLSearchParams): CatalogState {
  const get = (name: string): string => {
    const value = params instanceof URLSearchParams ? params.get(name) : params[name];
    return typeof value === "string" ? value.trim() : "";
  };
  const field = get("sort").toUpperCase() as OrderField;
  return {
    text: get("q"),
    form: { ...NO_FILTERS, cold: get("cold") === "1", flagged: get("flagged") === "1", minSec: get("min"), maxSec: get("max") },
    order: FIELDS.includes(field) ? { field, direction: get("dir") === "desc" ? "DESC" : "ASC" } : null,
  };
}

/** The query string for a state ("" for the plain catalogue); defaults are left out so URLs stay short. */
export function catalogSearch({ text, form, order }: CatalogState): string {
  const params = new URLSearchParams();
  if (text) params.set("q", text);
  if (form.cold) params.set("cold", "1");
  if (form.flagged) params.set("flagged", "1");
  if (form.minSec.trim()) params.set("min", form.minSec.trim());
  if (form.maxSec.trim()) params.set("max", form.maxSec.trim());
  if (order) {
    params.set("sort", order.field.toLowerCase());
    if (order.direction === "DESC") params.set("dir", "desc");
  }
  const query = params.toString();
  return query ? `?${query}` : "";
}
