import type { AudioModelSummary } from "./queries";
import { AUDIO_MODEL_NAMES } from "./queries";
import styles from "./AudioModel.module.css";

/**
 * Which model the audio scores come from, in plain words, and the API's caveat (its validation AUC against the other
 * model's, and how far to trust it). `lead` says what the model drives on this page; `calibrated` where the page
 * shows scores that went through the model's calibration (recommendations; not the cosines of similar tracks).
 */
export function AudioModelNote({ model, lead, calibrated = false }: { model: AudioModelSummary | null; lead: string; calibrated?: boolean }) {
  if (!model) return null;
  return (
    <p className={styles.note} data-testid="audio-model-note">
      <strong>
        {lead} {AUDIO_MODEL_NAMES[model.backing]}
      </strong>
      {calibrated && model.calibration ? ", its scores mapped onto the listening-data scale" : ""}. {model.caveat}
    </p>
  );
}
