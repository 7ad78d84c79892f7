import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser } from "playwright-core";

/** Repository root: this file runs as test/dist/e2e/harness.js. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const webDir = join(repoRoot, "web");

export interface StackOptions {
  /** argv of the API server, run from the repository root; it must serve /graphql on API_PORT. */
  apiCommand?: readonly string[];
  /** Ports default to free ones, so a developer's own API and web servers keep theirs. */
  apiPort?: number;
  webPort?: number;
  /** Extra environment for both processes (DATABASE_URL above all). */
  env?: Record<string, string>;
  readyTimeoutMs?: number;
}

export interface Stack {
  apiUrl: string;
  webUrl: string;
  /** Stops the API alone, leaving the web server up (to check how pages report an unreachable API). */
  stopApi(): Promise<void>;
  /** The last lines both servers printed and how they exited, for a failing test's message. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts the API and `next start` (from the existing web/.next build) side by side, resolves once both answer,
 * and stops both on failure. Each runs in its own process group so stop() also ends the children they fork.
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  if (!existsSync(join(webDir, ".next", "BUILD_ID"))) {
    throw new Error("web/.next has no production build: run `cd web && NEXT_TELEMETRY_DISABLED=1 npx next build` first");
  }
  const apiPort = options.apiPort ?? (await freePort());
  const webPort = options.webPort ?? (await freePort());
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const webUrl = `http://127.0.0.1:${webPort}`;
  const env = { ...process.env, ...options.env };
  const [apiExe = process.execPath, ...apiArgs] = options.apiCommand ?? [process.execPath, "server/dist/main.js"];
  const nextBin = createRequire(join(webDir, "package.json")).resolve("next/dist/bin/next");

  const api = launch("api", apiExe, apiArgs, repoRoot, { ...env, API_PORT: String(apiPort), API_HOST: "127.0.0.1" });
  const web = launch("web", process.execPath, [nextBin, "start", "-p", String(webPort), "-H", "127.0.0.1"], webDir, {
    ...env,
    API_URL: apiUrl,
    NEXT_TELEMETRY_DISABLED: "1",
  });
  const stop = async () => {
    await Promise.all([api.stop(), web.stop()]);
  };
  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  try {
    await Promise.all([
      waitUntil(api, deadline, async () => {
        const res = await fetch(`${apiUrl}/graphql`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ query: "{ health { ok } }" }),
        });
        return res.ok;
      }),
      waitUntil(web, deadline, async () => (await fetch(`${webUrl}/favicon.ico`)).status < 500),
    ]);
  } catch (err) {
    await stop();
    throw err;
  }
  const output = () => [api, web].map((p) => `${p.name}${p.exited ? ` (${p.exited})` : ""}:\n${p.output()}`).join("\n");
  return { apiUrl, webUrl, stopApi: () => api.stop(), stop, output };
}

/** Headless Debian Chromium with the flags that keep it offline (see docs/dependencies.md). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--use-angle=swiftshader",
      "--enable-unsafe-swiftshader",
      // Without it Chromium still resolves Google hosts on start.
      "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
    ],
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolvePort(address.port) : reject(new Error("no port"))));
    });
  });
}

interface Managed {
  name: string;
  child: ChildProcess;
  /** Set once the process has exited; readiness checks fail fast on it. */
  exited: string | null;
  output(): string;
  stop(): Promise<void>;
}

const OUTPUT_KEPT = 8_000;

function launch(name: string, command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Managed {
  const child = spawn(command, args, { cwd, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-OUTPUT_KEPT);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exitedPromise = new Promise<void>((done) => child.once("exit", () => done()));
  const managed: Managed = {
    name,
    child,
    exited: null,
    output: () => output,
    async stop() {
      if (managed.exited !== null || child.pid === undefined) return;
      signalGroup(child.pid, "SIGTERM");
      const killed = setTimeout(() => signalGroup(child.pid!, "SIGKILL"), 5_000);
      await exitedPromise;
      clearTimeout(killed);
    },
  };
  child.once("error", (err) => {
    managed.exited = `could not start: ${err.message}`;
  });
  child.once("exit", (code, signal) => {
    managed.exited = `exited with ${signal ?? `code ${code}`}`;
  });
  return managed;
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}

async function waitUntil(proc: Managed, deadline: number, ready: () => Promise<boolean>): Promise<void> {
  for (;;) {
    if (proc.exited !== null) throw new Error(`${proc.name} ${proc.exited} before it was ready:\n${proc.output()}`);
    try {
      if (await ready()) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`${proc.name} was not ready in time:\n${proc.output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * GraphQL as a script sees it, with a key: the pages' effects are checked through the API, not the DOM. The stack
 * and the key are read at each call, since tests make them in `before`.
 */
export function graphqlAs(stack: () => Stack, key: () => string) {
  return async <T>(query: string, variables: Record<string, unknown> = {}): Promise<T> => {
    const res = await fetch(`${stack().apiUrl}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${key()}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data?: T; errors?: { message: string }[] };
    if (body.errors) throw new Error(body.errors.map((e) => e.message).join("; "));
    return body.data!;
  };
}
