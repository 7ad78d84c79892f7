import Link from "next/link";

/** Where a playlist made away from the Playlists page went, with a link to open it. */
export function CreatedNotice({ playlist }: { playlist: { id: number; name: string; itemCount: number } }) {
  return (
    <p role="status">
      Created <Link href={`/playlists?id=${playlist.id}`}>{playlist.name}</Link> with {playlist.itemCount} tracks.
    </p>
  );
}
