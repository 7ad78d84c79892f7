import { NextResponse, type NextRequest } from "next/server";
import { apiOrigin } from "./lib/api-origin";

/**
 * Same-origin proxy for the API's paths. next.config `rewrites()` would forward them too, but Next freezes
 * rewrite destinations into .next/routes-manifest.json at build time, so `next start` could never be pointed at
 * another API address; here API_URL is read per request (the e2e harness gives each run free ports).
 * Rewrites to another origin are streamed by Next's proxy, so POST bodies and Range requests pass unchanged.
 */
export function proxy(request: NextRequest): NextResponse {
  const { pathname, search } = request.nextUrl;
  return NextResponse.rewrite(new URL(pathname + search, apiOrigin()));
}

export const config = { matcher: ["/graphql", "/media/:path*"] };
