import type { StageDescriptor } from "../jobs/stage-descriptor.js";
import { EXPORT_FORMATS } from "./listens/formats/registry.js";
import { LISTEN_FORMATS } from "./listens/import.js";
import { SIMULATOR_DEFAULTS } from "./listens/simulate.js";
import { SPOTIFY_MIN_PLAY_MS } from "./listens/formats/spotify.js";
import type { IngestResult } from "./stage.js";

const FORMATS = [...(Object.keys(EXPORT_FORMATS) as (keyof typeof EXPORT_FORMATS)[]), ...LISTEN_FORMATS];

const options = {
  subset: { type: "choice", arg: "subset", choices: ["default", "full"], default: "default", help: "corpus subset to ingest when no --catalog is given" },
  dir: { type: "path", arg: "dir", help: "corpus folder (default data/corpus)" },
  library: { type: "path", arg: "dir", help: "your music folder: tags read, new/changed/moved files followed, deleted ones marked missing (see docs/own-music.md)" },
  catalog: { type: "path", arg: "csv", help: "your own catalogue: CSV with track_id,artist,album,title,path" },
  audioDir: { type: "path", arg: "dir", help: "folder the catalogue's paths are relative to (default: the CSV's folder)" },
  described: {
    type: "path",
    arg: "csv",
    help: "a catalogue already described elsewhere, in the columns of data/corpus/catalog.csv (audio facts included): stored as is, its audio is not probed",
  },
  listens: { type: "path", arg: "file", help: "listening data to import" },
  format: {
    type: "choice",
    arg: "format",
    choices: FORMATS,
    help: `format of --listens: ${Object.entries(EXPORT_FORMATS)
      .map(([name, f]) => `${name} (${f.help})`)
      .join(", ")} — matched by MBID, ISRC, artist + title; or taste-profile (user\\tsong\\tplays), jsonl, csv (user_id,track_id,plays) keyed by track id`,
  },
  replace: { type: "flag", help: "drop the stored listens of every user in --listens before storing theirs (default: append: a stored user × track pair's plays grow by the file's)" },
  user: { type: "text", arg: "name", help: "the user of a Last.fm or Spotify export (default: the file name / the export's username)" },
  minPlayMs: { type: "integer", arg: "ms", min: 0, default: SPOTIFY_MIN_PLAY_MS, help: "Spotify: shortest stream that counts as a play" },
  dryRun: { type: "flag", help: "match an export against the catalogue and print the report; store no listens" },
  simulate: { type: "flag", help: "simulate listening data from the stored catalogue's metadata (see --help-simulator)" },
  users: { type: "integer", arg: "n", min: 1, default: SIMULATOR_DEFAULTS.users, help: "simulated users" },
  seed: { type: "integer", arg: "n", default: SIMULATOR_DEFAULTS.seed, help: "simulator seed" },
} as const;

/** `curator ingest`: a catalogue (corpus, your CSV or your music folder) and listening data (stage.ts). */
export const ingestStage: StageDescriptor<typeof options, IngestResult> = {
  name: "ingest",
  summary: "store a catalogue and listening data",
  description: "store a catalogue (the fetched corpus, or your CSV + audio folder) and listening data",
  queued: false,
  options,
  check: (p) => (p.listens && !p.format ? `--listens needs --format ${FORMATS.join("|")}` : undefined),
  async run(db, job, params) {
    const { runIngest } = await import("./stage.js");
    return runIngest(db, job, params);
  },
};
