/**
 * Off by default, and a click rather than a hover turns it on: browsers refuse unmuted play() until the page has
 * had a user gesture, so the click both opts in to sound and unlocks playback for the hovers that follow.
 */
export function PreviewToggle({ enabled, onEnabled }: { enabled: boolean; onEnabled(enabled: boolean): void }) {
  return (
    <label>
      <input type="checkbox" checked={enabled} onChange={(event) => onEnabled(event.target.checked)} /> Enable hover previews
    </label>
  );
}
