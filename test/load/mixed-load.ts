/**
 * Load under mixed traffic (issue 12): C clients hammer read queries for S seconds while one editor streams playlist
 * mutations; at the end every mutation the API acknowledged must be in the database. Exits non-zero on any error or
 * missing mutation. Run: `npx tsc -b && node test/dist/load/mixed-load.js [--seconds 60] [--connections 50]`.
 * Traffic goes to the loopback address only.
 */
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { issueApiKey } from "@curator/db/api-keys.js";
import { freshDb } from "../support/db.js";
import { seedCatalog } from "../support/seed.js";
import { startApi } from "../support/api.js";

const { values } = parseArgs({ options: { seconds: { type: "string", default: "60" }, connections: { type: "string", default: "50" } } });
const seconds = Number(values.seconds);
const connections = Number(values.connections);

const { db, close } = await freshDb();
const api = await startApi(db);
try {
  const tracks = await seedCatalog(db, 20, 25);
  const editor = await issueApiKey(db, "load-editor", "EDITOR");
  const reads = [
    `{ tracks(first: 50) { totalCount edges { node { id title artist { name } album { title } outlierFlags { kind } } } } }`,
    `{ tracks(first: 20, filter: { text: "Theme 3" }) { edges { node { id title durationSec } } } }`,
    `{ track(id: ${tracks[7]!.id}) { title audioUrl artist { name } album { title licence } } }`,
    `{ playlists(first: 10) { edges { node { id name itemCount } } } }`,
    `{ health { ok tracks } }`,
  ].map((query) => ({ method: "POST" as const, headers: { "content-type": "application/json" }, body: JSON.stringify({ query }) }));

  const mutate = async (query: string, variables: Record<string, unknown>) => {
    const res = await fetch(api.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${editor.key}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data?: Record<string, { id: number }>; errors?: { message: string }[] };
    if (body.errors) throw new Error(body.errors.map((e) => e.message).join("; "));
    return body.data!;
  };
  const playlist = (await mutate(`mutation($n: String!) { createPlaylist(name: $n) { id } }`, { n: "load" })).createPlaylist!.id;

  let acknowledged = 0;
  let mutationErrors = 0;
  let running = true;
  const mutations = (async () => {
    for (let i = 0; running; i++) {
      try {
        await mutate(`mutation($p: Int!, $t: [Int!]!) { addToPlaylist(playlistId: $p, trackIds: $t) { id } }`, { p: playlist, t: [tracks[i % tracks.length]!.id] });
        acknowledged++;
      } catch (err) {
        mutationErrors++;
        console.error(`mutation ${i}: ${(err as Error).message}`);
      }
    }
  })();

  const result = await autocannon({ url: api.url, connections, duration: seconds, requests: reads });
  running = false;
  await mutations;
  const stored = await db.playlistItem.count({ where: { playlistId: playlist } });
  const positions = (await db.playlistItem.findMany({ where: { playlistId: playlist }, select: { position: true }, orderBy: { position: "asc" } })).map((p) => p.position);
  const dense = positions.every((p, i) => p === i + 1);
  const readErrors = result.errors + result.timeouts + result.non2xx;
  console.log(`reads: ${result.requests.total} in ${seconds} s (${result.requests.average} req/s), p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, errors ${readErrors}`);
  console.log(`mutations: ${acknowledged} acknowledged, ${stored} stored, ${mutationErrors} errors, positions dense: ${dense}`);
  const ok = readErrors === 0 && mutationErrors === 0 && stored === acknowledged && dense;
  console.log(JSON.stringify({ load: "mixed", seconds, connections, reads: result.requests.total, p50_ms: result.latency.p50, p99_ms: result.latency.p99, read_errors: readErrors, mutations: acknowledged, stored, mutation_errors: mutationErrors, dense, ok }));
  process.exitCode = ok ? 0 : 1;
} finally {
  await api.close();
  await close();
}
