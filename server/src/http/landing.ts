// The page a browser gets at GET /graphql. Apollo's own landing page loads its Sandbox from Apollo's CDN, which
// an offline or locked-down machine cannot reach; this one is self-contained (no external script, style or font).
import type { ServerResponse } from "node:http";

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Curator Workbench GraphQL API</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;max-width:56rem;margin:2rem auto;padding:0 1rem;color:#1d1d1f}
textarea,pre{width:100%;box-sizing:border-box;font:13px/1.4 ui-monospace,monospace;border:1px solid #ccc;border-radius:6px;padding:.6rem}
textarea{height:11rem}pre{background:#f6f6f6;min-height:6rem;white-space:pre-wrap;overflow:auto}
button{font:inherit;padding:.4rem 1rem;margin:.5rem 0;border-radius:6px;border:1px solid #888;background:#fff;cursor:pointer}
code{background:#f0f0f0;padding:0 .25rem;border-radius:3px}
</style></head><body>
<h1>Curator Workbench GraphQL API</h1>
<p>POST <code>{"query": "...", "variables": {...}}</code> as JSON to this URL. Send <code>Authorization: Bearer &lt;key&gt;</code>
(<code>npx curator keys create</code>) to mutate. The schema is <code>server/schema.graphql</code> in the repository.
Probes: <a href="/healthz">/healthz</a>, <a href="/readyz">/readyz</a>; metrics: <a href="/metrics">/metrics</a>.</p>
<label for="q">Query</label>
<textarea id="q" spellcheck="false">query FirstTracks {
  tracks(first: 5) { totalCount edges { node { id title artist { name } } } }
}</textarea>
<button id="run" type="button">Run</button>
<pre id="out" aria-live="polite"></pre>
<script>
document.getElementById("run").onclick = async () => {
  const out = document.getElementById("out");
  out.textContent = "…";
  try {
    const res = await fetch(location.pathname, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: document.getElementById("q").value }) });
    out.textContent = "HTTP " + res.status + "\\n" + JSON.stringify(await res.json(), null, 2);
  } catch (e) { out.textContent = String(e); }
};
</script></body></html>
`;

/** A browser's plain GET of /graphql (no query in the URL) gets the page; everything else goes to Apollo. */
export function wantsLandingPage(method: string | undefined, accept: string | undefined, search: URLSearchParams): boolean {
  return method === "GET" && !search.has("query") && (accept ?? "").includes("text/html");
}

export function sendLandingPage(res: ServerResponse): void {
  res.statusCode = 200;
  res.setHeader("content-type", "text/html; charset=utf-8");
  res.setHeader("content-security-policy", "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'");
  res.end(PAGE);
}
