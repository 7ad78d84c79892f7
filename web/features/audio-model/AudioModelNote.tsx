import type { AudioModelSummary } from "./queries";
import { AUDIO_MODEL_NAMES } from "./queries";
import styles from "./AudioModel.module.css";

/**
 * Which model the audio scores come from, in plain words, and the API's caveat (its validation AUC against the other
 * model's, and how far to trust it). `what` names what the model drives on this page.
 */
export function AudioModelNote({ model, what }: { model: AudioModelSummary | null; what: string }) {
  if (!model) return null;
  return (
    <p className={styles.note} data-testid="audio-model-note">
      <strong>
        {what} from the {AUDIO_MODEL_NAMES[model.backing]}
      </strong>
      {model.calibration ? ", its scores mapped onto the listening-data scale" : ""}. {model.caveat}
    </p>
  );
}
