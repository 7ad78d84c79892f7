import { existsSync } from "node:fs";
import { Ctx, FieldResolver, Float, Resolver, Root } from "type-graphql";
import { LOG_MEL_DEFAULTS, WINDOW_SAMPLES } from "@curator/worker/features/logmel.js";
import { spectrogramPicturePath } from "@curator/worker/features/stage.js";
import { Track } from "../schema/catalog.js";
import { audioMediaPath, playbackOf } from "../media/playable.js";
import type { Context } from "../context.js";

/** Seconds of audio the convnet hears: the 599-frame excerpt (27.86 s at 22 050 Hz). */
const EXCERPT_SEC = WINDOW_SAMPLES / LOG_MEL_DEFAULTS.sampleRate;

@Resolver(() => Track)
export class TrackMediaResolver {
  @FieldResolver(() => String, {
    description: "The track's audio as a browser plays it (range requests supported, for seeking): the file itself, or an MP3 rendition of one no browser decodes (tracker modules), made on first request and kept.",
  })
  audioUrl(@Root() track: Track & { audioPath: string }, @Ctx() { mediaUrl }: Context): string {
    return mediaUrl(audioMediaPath(track));
  }

  @FieldResolver(() => String, { description: 'What the listener hears at audioUrl: "Vorbis", or "MP3 (rendition of the IT module)".' })
  audioCodec(@Root() track: Track & { audioPath: string }): string {
    return playbackOf(track.audioPath, track.codec).heard;
  }

  @FieldResolver(() => String, { description: 'What the catalogue\'s file is, e.g. "Vorbis" or "IT module" (ffprobe reports a module\'s rendered pcm_f32le as its codec).' })
  fileFormat(@Root() track: Track & { audioPath: string }): string {
    return playbackOf(track.audioPath, track.codec).source;
  }

  @FieldResolver(() => String, { description: 'The Content-Type audioUrl is served with, e.g. "audio/ogg".' })
  audioMimeType(@Root() track: Track & { audioPath: string }): string {
    return playbackOf(track.audioPath, track.codec).mimeType;
  }

  @FieldResolver(() => String, { nullable: true, description: "PNG of the analysed excerpt's log-mel spectrogram, once `curator features` ran." })
  spectrogramUrl(@Root() track: Track & { contentHash: string }, @Ctx() { mediaUrl }: Context): string | null {
    return existsSync(spectrogramPicturePath(track.contentHash)) ? mediaUrl(`/media/spectrograms/${track.id}.png`) : null;
  }

  @FieldResolver(() => Float, { description: "Where the analysed excerpt starts, in seconds: the model hears the middle of the track." })
  excerptStartSec(@Root() track: Track): number {
    return Math.max(0, (track.durationSec - EXCERPT_SEC) / 2);
  }

  @FieldResolver(() => Float, { description: "Length of the analysed excerpt in seconds (shorter tracks are padded)." })
  excerptLengthSec(@Root() track: Track): number {
    return Math.min(EXCERPT_SEC, track.durationSec);
  }
}
