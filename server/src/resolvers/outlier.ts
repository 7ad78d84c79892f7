import { Arg, Authorized, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { FlagStatus, OutlierKind } from "@curator/db/client.js";
import { Track, type TrackRow } from "../schema/catalog.js";
import { FlagDecision, FlagOrder, OutlierFlag, OutlierFlagConnection, Verdict } from "../schema/outlier.js";
import { afterId, toConnection } from "../schema/connection.js";
import type { Context } from "../context.js";
import { badUserInput, notFound } from "../errors.js";
import { pageSize } from "./limits.js";
import { PRESENT_TRACK } from "../index/missing-tracks.js";
import { curatedLabels, roleEvidence } from "../services/flag-roles.js";

const MAX_NOTE = 2000;

@Resolver(() => OutlierFlag)
export class OutlierFlagResolver {
  @Query(() => OutlierFlagConnection, { description: "Flags, optionally one status and kind, in the order the outlier stage raised them or most suspicious first." })
  async flags(
    @Ctx() { db }: Context,
    @Arg("status", () => FlagStatus, { nullable: true }) status: FlagStatus | null | undefined,
    @Arg("kind", () => OutlierKind, { nullable: true }) kind: OutlierKind | null | undefined,
    @Arg("orderBy", () => FlagOrder, { defaultValue: FlagOrder.RAISED }) orderBy: FlagOrder,
    @Arg("first", () => Int, { defaultValue: 50 }) first: number,
    @Arg("after", () => String, { nullable: true }) after: string | null | undefined,
  ): Promise<OutlierFlagConnection> {
    const take = pageSize(first);
    const start = afterId(after);
    // A missing track's flags are kept (with their verdicts) for when its file returns, but not listed.
    const where = { track: PRESENT_TRACK, ...(status ? { status } : {}), ...(kind ? { kind } : {}) };
    let page = {};
    if (start && orderBy === FlagOrder.SCORE) {
      // Keyset on (score desc, id asc), resumed from the cursor's row: pages stay consistent while verdicts change.
      const from = await db.outlierFlag.findUnique({ where: { id: start }, select: { score: true } });
      if (!from) throw badUserInput(`cursor "${after}" names flag ${start}, which no longer exists`);
      page = { OR: [{ score: { lt: from.score } }, { score: from.score, id: { gt: start } }] };
    } else if (start) page = { id: { gt: start } };
    const [rows, totalCount] = await Promise.all([
      db.outlierFlag.findMany({
        where: { ...where, ...page },
        orderBy: orderBy === FlagOrder.SCORE ? [{ score: "desc" }, { id: "asc" }] : { id: "asc" },
        take: take + 1,
      }),
      db.outlierFlag.count({ where }),
    ]);
    return toConnection(rows, take, totalCount);
  }

  @Authorized("EDITOR")
  @Mutation(() => OutlierFlag, { description: "Records an editor's verdict; a later outlier run never overwrites it." })
  async reviewFlag(
    @Ctx() context: Context,
    @Arg("id", () => Int) id: number,
    @Arg("verdict", () => Verdict) verdict: Verdict,
    @Arg("note", () => String, { nullable: true }) note: string | null | undefined,
  ): Promise<OutlierFlag> {
    return (await setFlagStatus(context, [id], verdict as unknown as FlagStatus, note ?? null))[0]!;
  }

  @Authorized("EDITOR")
  @Mutation(() => [OutlierFlag], {
    description:
      "Sets several flags' status at once, all or none (the review queue's bulk actions and its undo). OPEN reopens a flag and clears its verdict; `note` replaces the note when given, and is kept when left out.",
  })
  setFlagStatus(
    @Ctx() context: Context,
    @Arg("ids", () => [Int]) ids: number[],
    @Arg("status", () => FlagStatus) status: FlagStatus,
    @Arg("note", () => String, { nullable: true }) note: string | null | undefined,
  ): Promise<OutlierFlag[]> {
    return setFlagStatus(context, ids, status, note);
  }

  @Authorized("EDITOR")
  @Mutation(() => OutlierFlag, { description: "Writes (or, with an empty text, removes) an editor's note on a flag without changing its status." })
  async noteFlag(@Ctx() { db, viewer }: Context, @Arg("id", () => Int) id: number, @Arg("note", () => String) note: string): Promise<OutlierFlag> {
    checkNote(note);
    return db.$transaction(async (tx) => {
      const [row] = await tx.outlierFlag.updateManyAndReturn({ where: { id }, data: { verdictNote: note.trim() || null } });
      if (!row) throw notFound(`flag ${id} not found`);
      await tx.flagDecision.create({ data: { flagId: id, status: row.status, note: row.verdictNote, by: viewer!.name } });
      return row;
    });
  }

  @FieldResolver(() => [FlagDecision], { description: "Every verdict, reopening and note change on this flag, newest first: who decided what, when." })
  history(@Root() flag: OutlierFlag, @Ctx() { loaders }: Context): Promise<FlagDecision[]> {
    return loaders.flagDecisions.load(flag.id);
  }

  @FieldResolver(() => Track)
  track(@Root() flag: OutlierFlag, @Ctx() { loaders }: Context): Promise<Track> {
    return loaders.track.load(flag.trackId);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      "For intro, outro and interlude flags: where the track sits on its album, the curated label's evidence if an editor labelled it, and why the kind differs from what its place suggests (album order in the corpus is file order). Null for other kinds.",
  })
  async roleEvidence(@Root() flag: OutlierFlag, @Ctx() { loaders }: Context): Promise<string | null> {
    if (flag.kind !== OutlierKind.INTRO && flag.kind !== OutlierKind.OUTRO && flag.kind !== OutlierKind.INTERLUDE) return null;
    const track = (await loaders.track.load(flag.trackId)) as Track & { albumId: number | null };
    const [albumPositions, labels] = await Promise.all([track.albumId === null ? [] : loaders.albumPositions.load(track.albumId), curatedLabels()]);
    return roleEvidence({ kind: flag.kind, position: track.position, albumPositions, isShort: track.isShort, curated: labels.get(track.externalId) });
  }
}

function checkNote(note: string | null | undefined): void {
  if (note != null && note.length > MAX_NOTE) throw badUserInput(`note has at most ${MAX_NOTE} characters, got ${note.length}`);
}

const MAX_BATCH = 500;

/** One transaction: every flag changes, or none does (an unknown id fails the whole batch, naming it). */
async function setFlagStatus({ db, viewer }: Context, ids: number[], status: FlagStatus, note: string | null | undefined): Promise<OutlierFlag[]> {
  checkNote(note);
  const unique = [...new Set(ids)];
  if (unique.length === 0) throw badUserInput("ids is empty: name at least one flag");
  if (unique.length > MAX_BATCH) throw badUserInput(`at most ${MAX_BATCH} flags at once, got ${unique.length}`);
  // The authorization check guarantees a viewer here; reopening clears who decided, since nobody has.
  const verdict = status === FlagStatus.OPEN ? { verdictBy: null, verdictAt: null } : { verdictBy: viewer!.name, verdictAt: new Date() };
  const data = { status, ...verdict, ...(note === undefined ? {} : { verdictNote: note?.trim() || null }) };
  return db.$transaction(async (tx) => {
    const rows = await tx.outlierFlag.updateManyAndReturn({ where: { id: { in: unique } }, data });
    const missing = unique.filter((id) => !rows.some((r) => r.id === id));
    if (missing.length) throw notFound(`flag${missing.length > 1 ? "s" : ""} ${missing.join(", ")} not found; nothing was changed`);
    // The history keeps every decision, reopenings (undo) included, so who decided what survives the next change.
    await tx.flagDecision.createMany({ data: rows.map((r) => ({ flagId: r.id, status: r.status, note: r.verdictNote, by: viewer!.name })) });
    const order = new Map(unique.map((id, i) => [id, i]));
    return rows.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  });
}

@Resolver(() => Track)
export class TrackFlagsResolver {
  @FieldResolver(() => [OutlierFlag], { description: "What the outlier stage suspects this track is, most suspicious first." })
  outlierFlags(@Root() track: TrackRow, @Ctx() { loaders }: Context): OutlierFlag[] | Promise<OutlierFlag[]> {
    return track.flags ?? loaders.outlierFlags.load(track.id);
  }
}
