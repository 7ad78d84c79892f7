// Library tracks whose file a rescan no longer found (Track.missingSince): kept with their listens and factors, but
// left out of every result. Index files hold every vector of their factor set, and searches leave these tracks out,
// so a file that comes back is found again at once, with no index rebuilt.
import type { Db } from "@curator/db/client.js";

export class MissingTracks {
  private ids: ReadonlySet<number> = new Set();
  /** The newest TrackFileEvent id when `ids` was read: only a library scan marks or restores tracks, with an event. */
  private eventId: number | null | undefined;
  private checkedAt = 0;
  private pending: Promise<ReadonlySet<number>> | undefined;

  constructor(
    private readonly db: Db,
    private readonly checkIntervalMs: number,
  ) {}

  /** The ids of the tracks missing now, read again when a scan has recorded an event since (checked at most every checkIntervalMs). */
  get(): Promise<ReadonlySet<number>> {
    if (this.checkedAt > 0 && Date.now() - this.checkedAt < this.checkIntervalMs) return Promise.resolve(this.ids);
    this.pending ??= this.check().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async check(): Promise<ReadonlySet<number>> {
    const newest = await this.db.trackFileEvent.findFirst({ orderBy: { id: "desc" }, select: { id: true } });
    const eventId = newest?.id ?? null;
    if (eventId !== this.eventId) {
      const rows = eventId === null ? [] : await this.db.track.findMany({ where: { missingSince: { not: null } }, select: { id: true } });
      this.ids = new Set(rows.map((r) => r.id));
      this.eventId = eventId;
    }
    this.checkedAt = Date.now();
    return this.ids;
  }
}

/** Prisma's where clause of a relation to a track that is not missing. */
export const PRESENT_TRACK = { missingSince: null } as const;
