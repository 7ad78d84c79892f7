"use client";

import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useState } from "react";
import { Badge } from "@/components/Badge";
import { ChoiceSelect } from "@/components/ChoiceSelect";
import { ErrorBanner } from "@/components/ErrorBanner";
import { formatDuration, formatTimestamp } from "@/lib/format";
import { runMutation, runQuery } from "@/lib/graphql";
import { SignInToEdit } from "@/features/session/SignInToEdit";
import { useCanEdit } from "@/lib/use-session";
import { FLAG_KINDS, FLAG_STATUSES, FlagQueueQuery, NoteFlag, QUEUE_PAGE, SetFlagStatus, type FlagKind, type FlagSort, type FlagDecision, type FlagStatus, type QueueFlag } from "./queries";
import styles from "./FlagQueue.module.css";

export interface QueueFilters {
  kind: FlagKind | null;
  status: FlagStatus | null;
  sort: FlagSort;
}

interface Page {
  flags: QueueFlag[];
  totalCount: number;
  endCursor: string | null;
  hasNextPage: boolean;
}

/** What an action changed, so Undo can put it back: each flag's status and note before. */
interface Undoable {
  said: string;
  before: QueueFlag[];
}

const statusTone = { OPEN: "warning", CONFIRMED: "danger", REJECTED: "neutral" } as const;
const lower = (s: string) => s.toLowerCase();

/** The query string of a filter state: the queue's filters live in the URL, so reload and Back keep them. */
export function queueHref(pathname: string, f: QueueFilters): string {
  const params = new URLSearchParams();
  if (f.kind) params.set("kind", f.kind);
  if (f.status) params.set("status", f.status);
  if (f.sort !== "SCORE") params.set("sort", f.sort.toLowerCase());
  const query = params.toString();
  return query ? `${pathname}?${query}` : pathname;
}

/**
 * Every outlier flag, filtered by kind and status and sorted by score, with its reason in plain sight; editors
 * confirm, reject, reopen and note flags one at a time or in bulk, and undo the last action. The first page comes
 * from the server render; actions replace rows with what the API answered.
 */
export function FlagQueue({ filters, initial, initialError }: { filters: QueueFilters; initial: Page | null; initialError: string | null }) {
  const router = useRouter();
  const pathname = usePathname();
  const canEdit = useCanEdit();
  const [page, setPage] = useState<Page | null>(initial);
  const [error, setError] = useState<string | null>(initialError);
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [undo, setUndo] = useState<Undoable | null>(null);
  const [busy, setBusy] = useState(false);

  const setFilters = (next: Partial<QueueFilters>) => router.replace(queueHref(pathname, { ...filters, ...next }), { scroll: false });

  function replaceRows(rows: QueueFlag[]): void {
    const byId = new Map(rows.map((r) => [r.id, r]));
    setPage((p) => p && { ...p, flags: p.flags.map((f) => byId.get(f.id) ?? f) });
  }

  async function setStatus(ids: number[], status: FlagStatus, note?: string | null): Promise<QueueFlag[] | null> {
    const result = await runMutation(SetFlagStatus, { ids, status, ...(note === undefined ? {} : { note }) });
    if (!result.ok) {
      setError(result.message);
      return null;
    }
    setError(null);
    replaceRows(result.data.setFlagStatus);
    return result.data.setFlagStatus;
  }

  async function decide(ids: number[], status: FlagStatus): Promise<void> {
    const before = page?.flags.filter((f) => ids.includes(f.id)) ?? [];
    setBusy(true);
    const done = await setStatus(ids, status);
    setBusy(false);
    if (!done) return;
    const verb = status === "OPEN" ? "Reopened" : status === "CONFIRMED" ? "Confirmed" : "Rejected";
    setUndo({ said: `${verb} ${ids.length === 1 ? `the ${lower(before[0]!.kind)} flag on ${before[0]!.track.title}` : `${ids.length} flags`}.`, before });
    setSelected(new Set());
  }

  async function saveNote(flag: QueueFlag, note: string): Promise<boolean> {
    const result = await runMutation(NoteFlag, { id: flag.id, note });
    if (!result.ok) {
      setError(result.message);
      return false;
    }
    setError(null);
    replaceRows([result.data.noteFlag]);
    setUndo({ said: `Saved the note on ${flag.track.title}.`, before: [flag] });
    return true;
  }

  /** Puts back each flag's status (grouped, one call per status) and note as they were before the last action. */
  async function undoLast(): Promise<void> {
    if (!undo) return;
    setBusy(true);
    const byStatus = new Map<FlagStatus, QueueFlag[]>();
    for (const f of undo.before) byStatus.set(f.status, [...(byStatus.get(f.status) ?? []), f]);
    let ok = true;
    for (const [status, flags] of byStatus) {
      const notes = new Set(flags.map((f) => f.verdictNote));
      if (notes.size === 1) ok = (await setStatus(flags.map((f) => f.id), status, [...notes][0] ?? "")) !== null && ok;
      else for (const f of flags) ok = (await setStatus([f.id], status, f.verdictNote ?? "")) !== null && ok;
    }
    setBusy(false);
    if (ok) setUndo(null);
  }

  async function showMore(): Promise<void> {
    if (!page?.endCursor) return;
    const result = await runQuery(FlagQueueQuery, { kind: filters.kind, status: filters.status, orderBy: filters.sort, first: QUEUE_PAGE, after: page.endCursor });
    if (!result.ok) return setError(result.message);
    const more = result.data.flags;
    setPage({ flags: [...page.flags, ...more.edges.map((e) => e.node)], totalCount: more.totalCount, endCursor: more.pageInfo.endCursor, hasNextPage: more.pageInfo.hasNextPage });
  }

  const flags = page?.flags ?? [];
  const allSelected = flags.length > 0 && flags.every((f) => selected.has(f.id));
  const toggle = (id: number) =>
    setSelected((s) => {
      const next = new Set(s);
      if (!next.delete(id)) next.add(id);
      return next;
    });

  return (
    <>
      <div className={styles.controls}>
        <ChoiceSelect
          label="Kind"
          value={filters.kind ?? "ALL"}
          choices={[{ value: "ALL", label: "all kinds" }, ...FLAG_KINDS.map((k) => ({ value: k, label: lower(k) }))]}
          onChange={(v) => setFilters({ kind: v === "ALL" ? null : v })}
        />
        <ChoiceSelect
          label="Status"
          value={filters.status ?? "ALL"}
          choices={[{ value: "ALL", label: "any status" }, ...FLAG_STATUSES.map((s) => ({ value: s, label: lower(s) }))]}
          onChange={(v) => setFilters({ status: v === "ALL" ? null : v })}
        />
        <ChoiceSelect
          label="Sort"
          value={filters.sort}
          choices={[
            { value: "SCORE", label: "most suspicious first" },
            { value: "RAISED", label: "as raised" },
          ]}
          onChange={(v) => setFilters({ sort: v })}
        />
        {page && (
          <span className={styles.count} role="status">
            {page.totalCount} flag{page.totalCount === 1 ? "" : "s"}
          </span>
        )}
      </div>
      <p className={styles.hint}>
        <SignInToEdit what="confirming, rejecting and noting flags" />
      </p>
      {error && <ErrorBanner title="Could not load or change the flags." message={error} />}
      {undo && (
        <div className={styles.undo} role="status" aria-label="Last action">
          <span>{undo.said}</span>
          <button type="button" className={styles.button} disabled={busy} onClick={() => void undoLast()}>
            Undo
          </button>
        </div>
      )}
      {canEdit && flags.length > 0 && (
        <div className={styles.bulk} aria-label="Bulk actions">
          <label>
            <input type="checkbox" checked={allSelected} onChange={() => setSelected(allSelected ? new Set() : new Set(flags.map((f) => f.id)))} /> select all shown
          </label>
          <span>{selected.size} selected</span>
          <button type="button" className={styles.button} disabled={busy || selected.size === 0} onClick={() => void decide([...selected], "CONFIRMED")}>
            Confirm selected
          </button>
          <button type="button" className={styles.button} disabled={busy || selected.size === 0} onClick={() => void decide([...selected], "REJECTED")}>
            Reject selected
          </button>
          <button type="button" className={styles.button} disabled={busy || selected.size === 0} onClick={() => void decide([...selected], "OPEN")}>
            Reopen selected
          </button>
        </div>
      )}
      {page && flags.length === 0 && (
        <p className={styles.empty}>No flags{filters.kind || filters.status ? " match these filters" : " yet: `curator outliers` raises them"}.</p>
      )}
      <ol className={styles.list} aria-label="Flags">
        {flags.map((flag) => (
          <FlagRow
            key={flag.id}
            flag={flag}
            canEdit={canEdit}
            busy={busy}
            checked={selected.has(flag.id)}
            onCheck={() => toggle(flag.id)}
            onDecide={(status) => void decide([flag.id], status)}
            onNote={(note) => saveNote(flag, note)}
          />
        ))}
      </ol>
      {page?.hasNextPage && (
        <button type="button" className={styles.button} onClick={() => void showMore()}>
          Show more
        </button>
      )}
    </>
  );
}

interface RowProps {
  flag: QueueFlag;
  canEdit: boolean;
  busy: boolean;
  checked: boolean;
  onCheck(): void;
  onDecide(status: FlagStatus): void;
  onNote(note: string): Promise<boolean>;
}

function FlagRow({ flag, canEdit, busy, checked, onCheck, onDecide, onNote }: RowProps) {
  const [note, setNote] = useState(flag.verdictNote ?? "");
  const [editing, setEditing] = useState(false);
  const kind = lower(flag.kind);
  const { track } = flag;
  return (
    <li className={styles.item} data-flag-status={flag.status} aria-label={`${kind} flag on ${track.title}`}>
      <div className={styles.head}>
        {canEdit && <input type="checkbox" aria-label={`Select the ${kind} flag on ${track.title}`} checked={checked} onChange={onCheck} />}
        <Badge tone="warning">{kind}</Badge>
        <span className={styles.score} title="The model's probability for this kind">
          {flag.score.toFixed(2)}
        </span>
        <Link href={`/tracks/${track.id}`} className={styles.title}>
          {track.title}
        </Link>
        <span className={styles.muted}>
          {track.artist.name}
          {track.album ? ` · ${track.album.title}${track.position ? ` #${track.position}` : ""}` : ""} · {formatDuration(track.durationSec)}
        </span>
      </div>
      <p className={styles.reason}>
        <span className={styles.label}>Why: </span>
        {flag.reason}
      </p>
      {flag.roleEvidence && (
        <p className={styles.evidence}>
          <span className={styles.label}>Album role: </span>
          {flag.roleEvidence}
        </p>
      )}
      <div className={styles.verdict}>
        <Badge tone={statusTone[flag.status]}>{lower(flag.status)}</Badge>
        {flag.verdictBy && (
          <span className={styles.muted}>
            by {flag.verdictBy}
            {flag.verdictAt ? ` · ${formatTimestamp(flag.verdictAt)}` : ""}
          </span>
        )}
        {flag.verdictNote && !editing && <q className={styles.note}>{flag.verdictNote}</q>}
        {canEdit && (
          <span className={styles.actions}>
            {flag.status !== "CONFIRMED" && (
              <button type="button" className={styles.button} disabled={busy} onClick={() => onDecide("CONFIRMED")} aria-label={`Confirm the ${kind} flag on ${track.title}`}>
                Confirm
              </button>
            )}
            {flag.status !== "REJECTED" && (
              <button type="button" className={styles.button} disabled={busy} onClick={() => onDecide("REJECTED")} aria-label={`Reject the ${kind} flag on ${track.title}`}>
                Reject
              </button>
            )}
            {flag.status !== "OPEN" && (
              <button type="button" className={styles.button} disabled={busy} onClick={() => onDecide("OPEN")} aria-label={`Reopen the ${kind} flag on ${track.title}`}>
                Reopen
              </button>
            )}
            <button type="button" className={styles.button} onClick={() => setEditing((e) => !e)} aria-expanded={editing} aria-label={`Note on the ${kind} flag on ${track.title}`}>
              Note
            </button>
          </span>
        )}
      </div>
      {flag.history.length > 0 && <FlagHistory kind={kind} title={track.title} history={flag.history} />}
      {canEdit && editing && (
        <form
          className={styles.noteForm}
          onSubmit={(event) => {
            event.preventDefault();
            void onNote(note).then((ok) => ok && setEditing(false));
          }}
        >
          <label className={styles.noteLabel}>
            Note
            <textarea value={note} maxLength={2000} rows={2} onChange={(event) => setNote(event.target.value)} />
          </label>
          <button type="submit" className={styles.button}>
            Save note
          </button>
        </form>
      )}
    </li>
  );
}

const DECIDED = { OPEN: "reopened", CONFIRMED: "confirmed", REJECTED: "rejected" } as const;

/** Who decided what when, newest first; a note change shows the status it left in force. */
function FlagHistory({ kind, title, history }: { kind: string; title: string; history: FlagDecision[] }) {
  return (
    <details className={styles.history}>
      <summary>
        History: {history.length} decision{history.length === 1 ? "" : "s"}
      </summary>
      <ol aria-label={`History of the ${kind} flag on ${title}`}>
        {history.map((d, i) => {
          // A flag starts OPEN: an entry that leaves the status as it was changed the note alone.
          const noteOnly = (history[i + 1]?.status ?? "OPEN") === d.status;
          return (
            <li key={d.id}>
              <Badge tone={statusTone[d.status]}>{noteOnly ? "note" : DECIDED[d.status]}</Badge> <span className={styles.muted}>by {d.by} · {formatTimestamp(d.at)}</span>
              {d.note && <q className={styles.note}>{d.note}</q>}
            </li>
          );
        })}
      </ol>
    </details>
  );
}
