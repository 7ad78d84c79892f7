// Cover-song matching on chroma (after Serrà et al. 2008 and Ellis & Poliner 2007, reduced to what two excerpts
// allow): a cover or remix plays the same chord sequence, perhaps transposed (a rotation of the 12 pitch classes)
// and faster or slower (a stretch of the time axis), in another timbre (which chroma mostly ignores). Two tracks
// are compared by the best mean correlation of their chroma sequences over the 12 rotations, a grid of tempo ratios
// and small offsets; candidates are first narrowed by a key-invariant comparison of their pitch-class profiles.

export interface ChromaSummary {
  /** blocks × nChroma: block-averaged chroma, each block centred over its pitch classes and unit length (or 0). */
  blocks: Float32Array;
  nBlocks: number;
  nChroma: number;
  /** 1 for a block with pitched energy, 0 for a silent (all-zero) one, which says nothing about the music. */
  voiced: Uint8Array;
  /** How many blocks are voiced. */
  voicedCount: number;
  /** Mean chroma over the excerpt, unit length (or 0): the pitch-class profile, which a transposition rotates. */
  profile: Float32Array;
}

/** Frames per chroma block: 12 hops of 1024 at 22,050 Hz are 0.56 s, about a beat, so chord changes survive. */
export const CHROMA_BLOCK_FRAMES = 12;

/** Chroma frames averaged over `blockFrames` at a time (a short tail block is dropped), centred and normalised. */
export function chromaSummary(chroma: Float32Array, nChroma: number, blockFrames: number): ChromaSummary {
  if (nChroma < 1 || chroma.length % nChroma !== 0) throw new RangeError(`${chroma.length} values are not frames of ${nChroma} pitch classes`);
  if (!(Number.isInteger(blockFrames) && blockFrames >= 1)) throw new RangeError(`blockFrames must be a positive integer, got ${blockFrames}`);
  const nFrames = chroma.length / nChroma;
  const nBlocks = Math.floor(nFrames / blockFrames);
  const blocks = new Float32Array(nBlocks * nChroma);
  const profile = new Float32Array(nChroma);
  const voiced = new Uint8Array(nBlocks);
  for (let b = 0; b < nBlocks; b++) {
    const mean = new Float64Array(nChroma);
    for (let f = b * blockFrames; f < (b + 1) * blockFrames; f++) for (let c = 0; c < nChroma; c++) mean[c]! += chroma[f * nChroma + c]! / blockFrames;
    for (let c = 0; c < nChroma; c++) profile[c]! += mean[c]!;
    // Centring makes unrelated blocks correlate around 0 instead of the ~0.6 two non-negative vectors share.
    const centre = mean.reduce((s, v) => s + v, 0) / nChroma;
    const block = unit(mean.map((v) => v - centre));
    blocks.set(block, b * nChroma);
    voiced[b] = block.some((v) => v !== 0) ? 1 : 0;
  }
  const voicedCount = voiced.reduce((s, v) => s + v, 0);
  return { blocks, nBlocks, nChroma, voiced, voicedCount, profile: unit(profile) };
}

function unit(v: ArrayLike<number>): Float32Array {
  let norm = 0;
  for (let i = 0; i < v.length; i++) norm += v[i]! ** 2;
  norm = Math.sqrt(norm);
  return Float32Array.from(v, (x) => (norm > 1e-12 ? x / norm : 0));
}

/** Σ_c a[aOff + c] · b[bOff + (c + shift) mod n]: a against b rotated down by `shift` pitch classes. */
function rotatedDot(a: Float32Array, aOff: number, b: Float32Array, bOff: number, n: number, shift: number): number {
  let s = 0;
  for (let c = 0; c < n; c++) s += a[aOff + c]! * b[bOff + ((c + shift) % n)]!;
  return s;
}

/** The rotations of b's profile that best match a's, best first (ties by smaller shift). */
export function profileShifts(a: ChromaSummary, b: ChromaSummary): { shift: number; cosine: number }[] {
  return Array.from({ length: a.nChroma }, (_, shift) => ({ shift, cosine: rotatedDot(a.profile, 0, b.profile, 0, a.nChroma, shift) })).sort(
    (x, y) => y.cosine - x.cosine || x.shift - y.shift,
  );
}

export interface AlignOptions {
  /** Rotations of b tried: the best `shifts` by profile (12: all). */
  shifts: number;
  /** Tempo ratios tried: block i of a meets block centre_b + (i − centre_a) · ratio + offset of b. */
  ratios: readonly number[];
  /** Offsets tried, in blocks, either way. */
  maxOffset: number;
  /** Least share of a's voiced blocks that must meet a voiced block of b for a path to count. */
  minOverlap: number;
}

export const ALIGN_DEFAULTS: Readonly<AlignOptions> = Object.freeze({
  shifts: 2,
  // 3 % steps from ×0.79 to ×1.27: derived remixes change tempo by up to 20 %, covers by 5 %.
  ratios: Object.freeze(Array.from({ length: 17 }, (_, k) => 1.03 ** (k - 8))),
  maxOffset: 8,
  minOverlap: 0.5,
});

export interface ChromaMatch {
  /** Mean correlation of the aligned voiced blocks, in [−1, 1]; −Infinity when no path overlapped enough. */
  similarity: number;
  /** b's pitch classes were rotated by this many steps (b is `shift` semitones above a, mod 12). */
  shift: number;
  ratio: number;
  offset: number;
}

/**
 * The best alignment of b to a over rotations, tempo ratios and offsets, scored by the mean correlation of a's
 * voiced blocks with the voiced blocks of b they meet (silence matches nothing and dilutes nothing). Centred on the excerpts' middles because both excerpts are cut from the
 * middle of their tracks, so a uniformly stretched copy meets its source there.
 */
export function alignChroma(a: ChromaSummary, b: ChromaSummary, options: AlignOptions = ALIGN_DEFAULTS): ChromaMatch {
  if (a.nChroma !== b.nChroma) throw new RangeError(`alignChroma: ${a.nChroma} and ${b.nChroma} pitch classes`);
  const n = a.nChroma;
  let best: ChromaMatch = { similarity: -Infinity, shift: 0, ratio: 1, offset: 0 };
  const centreA = (a.nBlocks - 1) / 2;
  const centreB = (b.nBlocks - 1) / 2;
  const needed = Math.max(1, Math.ceil(options.minOverlap * a.voicedCount));
  for (const { shift } of profileShifts(a, b).slice(0, options.shifts)) {
    for (const ratio of options.ratios) {
      for (let offset = -options.maxOffset; offset <= options.maxOffset; offset++) {
        let sum = 0;
        let met = 0;
        for (let i = 0; i < a.nBlocks; i++) {
          const j = Math.round(centreB + (i - centreA) * ratio) + offset;
          if (j < 0 || j >= b.nBlocks || !a.voiced[i] || !b.voiced[j]) continue;
          sum += rotatedDot(a.blocks, i * n, b.blocks, j * n, n, shift);
          met++;
        }
        if (met >= needed && sum / met > best.similarity) best = { similarity: sum / met, shift, ratio, offset };
      }
    }
  }
  return best;
}

/** Fewer voiced blocks than this (about 4.5 s) is too little music to match: such a track gets no chroma signal. */
export const MIN_VOICED_BLOCKS = 8;

export interface ChromaNeighbour extends ChromaMatch {
  /** Index of the best-matching earlier item, or −1 (similarity NaN) when none is eligible. */
  partner: number;
}

/**
 * The earlier item (lower `order`) among those `eligible` allows whose chroma best aligns with item's: the
 * `candidates` earlier items with the most similar pitch-class profiles (key-invariant) are aligned in full.
 * Items with fewer than MIN_VOICED_BLOCKS voiced blocks neither get a partner nor are one.
 * As in nearestEarlier, only earlier items count: of a source and its copy, only the copy scores.
 */
export function nearestEarlierChroma(
  items: readonly (ChromaSummary | undefined)[],
  item: number,
  order: ArrayLike<number>,
  eligible: (other: number) => boolean,
  candidates: number,
  options: AlignOptions = ALIGN_DEFAULTS,
): ChromaNeighbour {
  const none: ChromaNeighbour = { similarity: NaN, shift: 0, ratio: 1, offset: 0, partner: -1 };
  const a = items[item];
  const enough = (s: ChromaSummary | undefined): s is ChromaSummary => s !== undefined && s.voicedCount >= MIN_VOICED_BLOCKS;
  if (!enough(a)) return none;
  const shortlist = items
    .flatMap((b, other) => (enough(b) && other !== item && order[other]! < order[item]! && eligible(other) ? [{ other, cosine: profileShifts(a, b)[0]!.cosine }] : []))
    .sort((x, y) => y.cosine - x.cosine || x.other - y.other)
    .slice(0, candidates);
  let best = none;
  for (const { other } of shortlist) {
    const match = alignChroma(a, items[other]!, options);
    if (Number.isFinite(match.similarity) && (best.partner < 0 || match.similarity > best.similarity)) best = { ...match, partner: other };
  }
  return best;
}
