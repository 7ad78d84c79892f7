/** The API server as this Next.js server reaches it, read per call so one build serves any API address. */
export function apiOrigin(): string {
  return (process.env.API_URL ?? "http://127.0.0.1:4000").replace(/\/+$/, "");
}
