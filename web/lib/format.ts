/** Track length as m:ss; minutes are not split into hours because album tracks rarely pass an hour. */
export function formatDuration(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  const minutes = Math.floor(whole / 60);
  return `${minutes}:${String(whole % 60).padStart(2, "0")}`;
}

/**
 * A fixed UTC rendering: server and browser may sit in different time zones and locales, and a locale string
 * would differ between the server render and hydration.
 */
export function formatTimestamp(value: string): string {
  const date = new Date(/^\d+$/.test(value) ? Number(value) : value);
  if (Number.isNaN(date.getTime())) return value;
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
