// The one owner of the data folder's layout (DATA_DIR, default data/ under the repository root): every stage and
// the server ask here for their folder, so moving the data moves it for all of them.
import { join } from "node:path";
import { setting } from "@curator/db/settings.js";

/** DATA_DIR, absolute. */
export function dataDir(): string {
  return setting("DATA_DIR");
}

/** The folders under DATA_DIR, by what they hold. */
export const dataPaths = {
  /** `curator corpus fetch` output and its catalog.csv. */
  corpus: () => join(dataDir(), "corpus"),
  /** log-mel and chroma caches (features stage). */
  features: () => join(dataDir(), "features"),
  /** PNG pictures of the middle excerpts' spectrograms. */
  spectrograms: () => join(dataDir(), "spectrograms"),
  /** ALS checkpoints for `curator factorize --resume`. */
  checkpoints: () => join(dataDir(), "checkpoints"),
  /** convnet runs' weights and checkpoints. */
  models: () => join(dataDir(), "models"),
  /** filter weight pictures (activations stage). */
  filters: () => join(dataDir(), "filters"),
  /** derived audio the outlier stage writes (intros/outros cut from tracks). */
  derived: () => join(dataDir(), "derived"),
  /** `curator pretrain` runs' checkpoints and exported encoders. */
  pretrain: () => join(dataDir(), "pretrain"),
  /** browser-playable renditions of audio no browser decodes (the API makes them). */
  renditions: () => join(dataDir(), "renditions"),
  /** FAISS index files the API caches by factor set (INDEX_DIR overrides). */
  indexes: () => setting("INDEX_DIR") ?? join(dataDir(), "indexes"),
} as const;
