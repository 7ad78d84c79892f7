"use client";

import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useEffect, useState, type FormEvent } from "react";
import { SignInToEdit } from "@/features/session/SignInToEdit";
import { ErrorBanner } from "@/components/ErrorBanner";
import { runMutation, runQuery } from "@/lib/graphql";
import { useCanEdit } from "@/lib/use-session";
import { GeneratePanel } from "./GeneratePanel";
import { PlaylistEditor } from "./PlaylistEditor";
import { CreatePlaylist, PlaylistsQuery, type PlaylistSummary } from "./queries";
import styles from "./Playlists.module.css";

interface Props {
  openId: number | null;
  /** A track to generate from, named by a link from its page. */
  seedId: number | null;
  fromId: number | null;
}

/** The playlists down the side and the open one (?id=) beside them; editors create and generate new ones here. */
export function PlaylistsView({ openId, seedId, fromId }: Props) {
  const router = useRouter();
  const pathname = usePathname();
  const [playlists, setPlaylists] = useState<PlaylistSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [name, setName] = useState("");
  const canEdit = useCanEdit();

  useEffect(() => {
    void runQuery(PlaylistsQuery, {}).then((result) => {
      setPlaylists(result.ok ? result.data.playlists.edges.map((edge) => edge.node) : []);
      setError(result.ok ? null : result.message);
    });
  }, []);

  const open = (id: number | null) => router.replace(id === null ? pathname : `${pathname}?id=${id}`, { scroll: false });

  async function create(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    const result = await runMutation(CreatePlaylist, { name: name.trim() });
    if (!result.ok) return setError(result.message);
    setName("");
    added(result.data.createPlaylist);
  }

  function added(playlist: PlaylistSummary): void {
    setPlaylists((list) => [...(list ?? []), playlist]);
    open(playlist.id);
  }

  function onChanged(id: number, changed: PlaylistSummary | null): void {
    setPlaylists((list) => (list ?? []).flatMap((p) => (p.id !== id ? [p] : changed ? [{ ...p, name: changed.name, itemCount: changed.itemCount }] : [])));
    if (!changed) open(null);
  }

  return (
    <div className={styles.layout}>
      <nav aria-label="Playlists" className={styles.sidebar}>
        <SignInToEdit what="creating, generating and editing playlists" />
        {canEdit && (
          <form onSubmit={create} className={styles.create}>
            <input aria-label="New playlist name" placeholder="New playlist" value={name} onChange={(event) => setName(event.target.value)} />
            <button type="submit" disabled={!name.trim()}>
              Create
            </button>
          </form>
        )}
        <GeneratePanel key={`${seedId}:${fromId}`} seedId={seedId} fromId={fromId} onGenerated={added} />
        {error && <ErrorBanner title="Playlists:" message={error} />}
        {playlists?.length === 0 && <p className={styles.muted}>No playlists yet.</p>}
        <ul className={styles.names}>
          {playlists?.map((p) => (
            <li key={p.id}>
              <Link href={`${pathname}?id=${p.id}`} aria-current={p.id === openId ? "page" : undefined} scroll={false}>
                {p.name}
              </Link>
              <span className={styles.muted}>{p.itemCount}</span>
            </li>
          ))}
        </ul>
      </nav>
      {openId !== null ? (
        <PlaylistEditor key={openId} id={openId} onChanged={(changed) => onChanged(openId, changed)} />
      ) : (
        <p className={styles.muted}>Pick a playlist{canEdit ? " or create one" : ""}.</p>
      )}
    </div>
  );
}
