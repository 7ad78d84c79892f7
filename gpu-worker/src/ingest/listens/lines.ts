import type { Readable } from "node:stream";

/**
 * Splits a byte stream into lines without ever holding more than maxLength characters of one line: a longer line
 * is cut to maxLength + 1 characters (the rest is skipped as it streams by), which the parsers then reject by its
 * length with its row number. A file without newlines cannot exhaust memory this way.
 */
export async function* readLines(stream: Readable, maxLength: number): AsyncGenerator<string> {
  const decoder = new TextDecoder("utf-8");
  let current = "";
  let overflowed = false;
  const append = (piece: string): void => {
    if (overflowed) return;
    current += piece;
    if (current.length > maxLength) {
      current = current.slice(0, maxLength + 1);
      overflowed = true;
    }
  };
  for await (const chunk of stream) {
    const text = typeof chunk === "string" ? chunk : decoder.decode(chunk as Uint8Array, { stream: true });
    let start = 0;
    for (let nl = text.indexOf("\n", start); nl >= 0; nl = text.indexOf("\n", start)) {
      append(text.slice(start, nl));
      yield current.endsWith("\r") ? current.slice(0, -1) : current;
      current = "";
      overflowed = false;
      start = nl + 1;
    }
    append(text.slice(start));
  }
  append(decoder.decode());
  if (current !== "") yield current.endsWith("\r") ? current.slice(0, -1) : current;
}
