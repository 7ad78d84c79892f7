import type { CatalogRow } from "../types.js";

/**
 * The text columns of a catalogue row, checked once for every source (a user's CSV, the Debian corpus, a library
 * scan) before anything is stored, so SQLite and PostgreSQL take and refuse the same rows: PostgreSQL rejects a NUL
 * in text (22021) and took the whole batch down with it; SQLite stored NULs and 1 MB titles as they were.
 */
export const CATALOGUE_TEXT_COLUMNS = ["externalId", "title", "artist", "album"] as const satisfies readonly (keyof CatalogRow)[];

/** The most characters a title, artist, album or track id may have: the longest real one is far shorter. */
export const MAX_CATALOGUE_TEXT = 1000;

/** The longest physical line of a catalogue CSV read: a row of five short columns never comes near it. */
export const MAX_CATALOGUE_LINE = 65_536;

/** Tabs and line breaks inside a quoted field (spreadsheet exports) read as one space. */
const WHITESPACE_CONTROLS = /[\t\n\r]+/g;
/** Any other C0 control or DEL: never part of a name. */
const CONTROL = /[\u0000-\u001f\u007f]/;

/** The row with tabs and line breaks in its text columns turned into spaces, and the ends trimmed. */
export function cleanCatalogueText<R extends Pick<CatalogRow, (typeof CATALOGUE_TEXT_COLUMNS)[number]>>(row: R): R {
  const cleaned = { ...row };
  for (const column of CATALOGUE_TEXT_COLUMNS) cleaned[column] = row[column].replace(WHITESPACE_CONTROLS, " ").trim();
  return cleaned;
}

/** Why a (cleaned) row's text cannot be stored, or undefined: a control character or a column over the cap. */
export function catalogueTextProblem(row: Pick<CatalogRow, (typeof CATALOGUE_TEXT_COLUMNS)[number]>): string | undefined {
  for (const column of CATALOGUE_TEXT_COLUMNS) {
    const value = row[column];
    const control = CONTROL.exec(value);
    if (control) return `${column} has control character U+${control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}: remove it`;
    if (value.length > MAX_CATALOGUE_TEXT) return `${column} is ${value.length.toLocaleString("en")} characters long, at most ${MAX_CATALOGUE_TEXT.toLocaleString("en")}`;
  }
  return undefined;
}
