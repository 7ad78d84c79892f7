import type { Readable } from "node:stream";
import StreamArray from "stream-json/streamers/StreamArray.js";

/**
 * The elements of a top-level JSON array, streamed (stream-json): a year of Spotify history or a legacy
 * ListenBrainz export is read one element at a time. A syntax error ends the file with an error naming the
 * element it followed; the elements before it are kept.
 */
export async function* jsonArrayItems(stream: Readable): AsyncGenerator<{ index: number; value: unknown } | { error: string }> {
  const items = stream.pipe(StreamArray.withParser());
  stream.on("error", (e) => items.destroy(e));
  let index = -1;
  try {
    for await (const item of items as AsyncIterable<{ key: number; value: unknown }>) {
      index = item.key;
      yield { index, value: item.value };
    }
  } catch (e) {
    yield { error: `not a JSON array of objects (after item ${index + 1}): ${(e as Error).message}` };
  }
}
