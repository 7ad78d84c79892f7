// Catalogue facts about a track: title words, length, place on its album. Cheap and often right ("Intro",
// "(Remix)"), but titles lie and are missing as often, so each is one input of the model, never a verdict alone.

export type TitleCue = "intro" | "outro" | "interlude" | "remix" | "cover";

/**
 * Words that mark each kind in titles. Matched as substrings of the lower-cased title for the distinctive stems
 * (game and soundtrack files glue words: "raceintro", "gameover"), as whole words for the short, ambiguous ones.
 */
const CUES: Record<TitleCue, { stems: string[]; words: string[] }> = {
  intro: { stems: ["intro", "opening", "prelude", "menu", "overture"], words: ["start", "title", "theme"] },
  outro: { stems: ["outro", "ending", "credits", "finale", "gameover", "epilog"], words: ["end", "over", "won", "lost", "success", "victory", "win"] },
  interlude: { stems: ["interlude", "jingle", "stinger", "skit", "transition", "segue", "reprise"], words: ["bridge", "break"] },
  remix: { stems: ["remix", "rmx", "rework", "bootleg"], words: ["mix", "version", "edit", "dub", "extended", "remaster", "vip"] },
  cover: { stems: ["cover", "tribute", "karaoke"], words: ["covered", "rendition"] },
};

export const TITLE_CUES = Object.keys(CUES) as TitleCue[];

export interface TitleCueMatch {
  /** The distinctive stems found ("intro", "credits"): they name the role. */
  stems: string[];
  /** The ambiguous whole words found ("theme", "win"): as often in an ordinary title as in a role's. */
  words: string[];
}

/** The title words of `cue` found in `title`, stems and whole words apart, each in the order listed. */
export function titleCueMatch(title: string, cue: TitleCue): TitleCueMatch {
  const lower = title.toLowerCase();
  const words = new Set(lower.split(/[^a-z0-9]+/).filter(Boolean));
  const { stems, words: whole } = CUES[cue];
  return { stems: stems.filter((s) => lower.includes(s)), words: whole.filter((w) => words.has(w)) };
}

/** The title words of `cue` found in `title`, stems first, in the order listed; empty when none. */
export function titleCueWords(title: string, cue: TitleCue): string[] {
  const { stems, words } = titleCueMatch(title, cue);
  return [...stems, ...words];
}

export interface AlbumPlace {
  /** 1 on the album's first track. */
  first: number;
  /** 1 on its last. */
  last: number;
  /** 0 for the first track … 1 for the last; 0.5 for a lone track or one without a position. */
  relative: number;
}

/** Where a track sits on its album, from its 1-based position and the album's positions. */
export function albumPlace(position: number | null, albumPositions: readonly number[]): AlbumPlace {
  if (position === null || albumPositions.length < 2) return { first: 0, last: 0, relative: 0.5 };
  const lo = Math.min(...albumPositions);
  const hi = Math.max(...albumPositions);
  return { first: position === lo ? 1 : 0, last: position === hi ? 1 : 0, relative: hi > lo ? (position - lo) / (hi - lo) : 0.5 };
}

/** Length on a log scale: a 10 s stinger and a 30 s one differ as much as 3 min and 9 min. */
export function logDuration(seconds: number): number {
  return Math.log(Math.max(seconds, 1));
}
