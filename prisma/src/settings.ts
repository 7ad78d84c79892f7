// Every environment variable Curator Workbench reads, declared once: its type (a zod schema), its default, and a
// line of help. `.env.example` and the table in docs/configuration.md are generated from these declarations
// (scripts/env-docs.mjs; a test checks both), and every module reads its setting through `setting()` instead of
// process.env, so a bad value fails with the variable's name. It lives in @curator/db because every other
// package (worker, server, scripts) already depends on this one.
import { resolve } from "node:path";
import { z } from "zod";
import { repoRoot } from "./repo-root.js";

/** TensorFlow.js backends `TF_BACKEND` may name (`auto` picks the fastest that loads). */
export const TF_BACKENDS = ["node-gpu", "node", "wasm", "cpu"] as const;

const flag = z
  .enum(["1", "0", "true", "false", "yes", "no"], { error: "is not a flag: use 1 or 0" })
  .transform((v) => v === "1" || v === "true" || v === "yes");

/** The Fetch standard's "bad ports" (https://fetch.spec.whatwg.org/#port-blocking): the web server's fetch and browsers refuse them. */
const FETCH_BLOCKED_PORTS = new Set([
  1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104, 109, 110, 111, 113, 115, 117,
  119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636,
  989, 990, 993, 995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
]);

const port = z
  .string()
  .regex(/^\d+$/, { error: "is not a port: use a whole number 1-65535" })
  .transform(Number)
  .pipe(
    z
      .number()
      .min(1, { error: "is not a port: use a whole number 1-65535" })
      .max(65535, { error: "is not a port: use a whole number 1-65535" })
      .refine((n) => !FETCH_BLOCKED_PORTS.has(n), { error: "is a port browsers and fetch() refuse (the Fetch standard's bad ports): pick another" }),
  );

const positiveInt = z
  .string()
  .regex(/^[1-9]\d*$/, { error: "is not a positive whole number" })
  .transform(Number);

/** A folder; a relative path resolves against the repository root, so every workspace and script agrees. */
const folder = z
  .string()
  .min(1)
  .transform((p) => resolve(repoRoot, p));

const httpUrl = z.string().regex(/^https?:\/\/[^/\s]+/, { error: "is not an http(s) URL such as http://127.0.0.1:4000" });

const databaseUrl = z
  .string()
  .regex(/^(file:.+|postgres(ql)?:\/\/.+)$/, {
    error: "is not supported: use file:<path> (SQLite; relative to the repository root) or postgresql://user:pass@host/db (PostgreSQL)",
  });

interface Declaration {
  schema: z.ZodType;
  /** In the variable's own text form; absent: unset means "not given" (the value is undefined). */
  default?: string;
  /** What the default means when it is computed (shown instead of `default` in the docs). */
  defaultNote?: string;
  /** Who reads it: the docs group variables by this. */
  group: "server" | "web" | "database" | "data" | "pipeline" | "logs" | "tests";
  help: string;
}

const declarations = {
  NODE_ENV: {
    schema: z.enum(["development", "production", "test"], { error: "is not a mode: use development, production or test" }),
    default: "development",
    group: "server",
    help: "production turns off GraphQL introspection and field suggestions and masks unexpected errors as \"internal error\"",
  },
  CURATOR_DEBUG_ERRORS: {
    schema: flag,
    default: "0",
    group: "server",
    help: "1 adds stack traces to GraphQL error responses (development only; never in production)",
  },
  API_HOST: { schema: z.string().min(1), default: "127.0.0.1", group: "server", help: "address the GraphQL API listens on (0.0.0.0 for every interface)" },
  API_PORT: { schema: port, default: "4000", group: "server", help: "port of the GraphQL API (/graphql, /media, /healthz, /readyz, /metrics)" },
  CURATOR_REQUIRE_KEYS: {
    schema: flag,
    default: "0",
    group: "server",
    help: "1 refuses requests without an API key (401) and serves /media only on signed URLs",
  },
  CURATOR_MEDIA_SECRET: {
    schema: z.string().min(16, { error: "is too short: use at least 16 characters (e.g. `openssl rand -hex 32`)" }).optional(),
    defaultNote: "random per process",
    group: "server",
    help: "key that signs /media URLs; set the same value on every API process that must accept the others' URLs",
  },
  CURATOR_METRICS: { schema: flag, default: "1", group: "server", help: "0 turns off the Prometheus endpoint /metrics" },
  WEB_HOST: { schema: z.string().min(1), default: "127.0.0.1", group: "web", help: "address the web workbench listens on (npm start, npm run dev)" },
  WEB_PORT: { schema: port, default: "3000", group: "web", help: "port of the web workbench (npm start, npm run dev)" },
  API_URL: {
    schema: httpUrl.optional(),
    defaultNote: "http://127.0.0.1:$API_PORT",
    group: "web",
    help: "where the web server reaches the GraphQL API (web/lib/api-origin.ts reads it; npm start sets it from API_PORT)",
  },
  DATABASE_URL: {
    schema: databaseUrl.optional(),
    defaultNote: "file:$DATA_DIR/curator.db",
    group: "database",
    help: "file:<path> is SQLite (the embedded default; relative paths from the repository root), postgresql://… is PostgreSQL",
  },
  DATABASE_POOL_SIZE: { schema: positiveInt, default: "10", group: "database", help: "PostgreSQL connections per process" },
  CURATOR_MIGRATE_DEBUG: { schema: flag, default: "0", group: "database", help: "1 prints the schema engine's log lines during `curator migrate`" },
  DATA_DIR: {
    schema: folder,
    default: "data",
    group: "data",
    help: "folder of the corpus, feature cache, models, indexes and other files the stages write (relative to the repository root)",
  },
  INDEX_DIR: { schema: folder.optional(), defaultNote: "$DATA_DIR/indexes", group: "data", help: "folder of the FAISS index files the API caches" },
  TF_BACKEND: {
    schema: z.enum([...TF_BACKENDS, "auto"], { error: `is not a TensorFlow.js backend: use one of ${TF_BACKENDS.join(", ")}, auto` }),
    default: "auto",
    group: "pipeline",
    help: "TensorFlow.js backend for train/predict/activations (auto: native GPU, then native CPU)",
  },
  TF_CPP_MIN_LOG_LEVEL: {
    schema: z.enum(["0", "1", "2", "3"], { error: "is not a TensorFlow log level: use 0-3" }),
    default: "1",
    group: "pipeline",
    help: "libtensorflow's own log filter (1 drops its INFO banner)",
  },
  OMP_NUM_THREADS: { schema: positiveInt, default: "1", group: "pipeline", help: "OpenMP threads per FAISS search (1: the API serves concurrent queries on its own)" },
  LOG_LEVEL: {
    schema: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], { error: "is not a log level: use fatal, error, warn, info, debug, trace or silent" }),
    default: "info",
    group: "logs",
    help: "lowest level logged (pino): the API logs to stdout, the CLI's job events go to stderr",
  },
  LOG_FORMAT: {
    schema: z.enum(["auto", "json", "pretty"], { error: "is not a log format: use auto, json or pretty" }),
    default: "auto",
    group: "logs",
    help: "json: one JSON object per line (for log collectors); pretty: one readable line per event; auto: pretty on a terminal, else json",
  },
  CI: { schema: z.string().optional(), group: "logs", help: "any value: progress bars print plain lines even on a terminal" },
  CURATOR_TEST_DB: {
    schema: z.enum(["sqlite", "postgres"], { error: "is not a test backend: use sqlite or postgres" }).optional(),
    defaultNote: "both passes",
    group: "tests",
    help: "scripts/run-tests.js: run only this backend's pass",
  },
  TEST_POSTGRES_URL: { schema: databaseUrl.optional(), group: "tests", help: "set by scripts/run-tests.js: the throwaway PostgreSQL cluster's admin URL" },
} satisfies Record<string, Declaration>;

export type SettingName = keyof typeof declarations;
export type Settings = { [K in SettingName]: z.output<(typeof declarations)[K]["schema"]> };

/** The declarations, for the generated docs. */
export const SETTINGS: Readonly<Record<SettingName, Declaration>> = declarations;

/** A bad value: the message names every bad variable, its value and what to use instead. */
export class SettingsError extends Error {
  constructor(readonly problems: readonly { name: SettingName; message: string }[]) {
    super(problems.map((p) => p.message).join("; "));
    this.name = "SettingsError";
  }
}

type Env = Readonly<Record<string, string | undefined>>;

function parseOne<K extends SettingName>(name: K, env: Env): { ok: true; value: Settings[K] } | { ok: false; message: string } {
  const declaration: Declaration = declarations[name];
  const raw = env[name];
  const given = raw !== undefined && raw !== "";
  const result = declaration.schema.safeParse(given ? raw : declaration.default);
  if (result.success) return { ok: true, value: result.data as Settings[K] };
  const reason = result.error.issues[0]?.message ?? "is invalid";
  return { ok: false, message: `${name}="${raw ?? declaration.default}" ${reason}` };
}

/** One setting, read from the environment now (so a test or a launcher may change it between calls). */
export function setting<K extends SettingName>(name: K, env: Env = process.env): Settings[K] {
  const parsed = parseOne(name, env);
  if (!parsed.ok) throw new SettingsError([{ name, message: parsed.message }]);
  return parsed.value;
}

/** Every setting at once: processes call this at start-up so any bad value stops them before they do work. */
export function loadSettings(env: Env = process.env): Settings {
  const values: Partial<Record<SettingName, unknown>> = {};
  const problems: { name: SettingName; message: string }[] = [];
  for (const name of Object.keys(declarations) as SettingName[]) {
    const parsed = parseOne(name, env);
    if (parsed.ok) values[name] = parsed.value;
    else problems.push({ name, message: parsed.message });
  }
  if (problems.length) throw new SettingsError(problems);
  return values as Settings;
}

/** `.env.example`: every variable with its help and default, commented out (the defaults apply when unset). */
export function renderEnvExample(): string {
  const lines = [
    "# Curator Workbench settings. Generated from prisma/src/settings.ts by `node scripts/env-docs.mjs`; do not edit.",
    "# Every line is commented out: unset variables take the default shown. Copy to .env; `npm start` and `npm run dev` read it.",
  ];
  let group = "";
  for (const [name, d] of Object.entries(SETTINGS) as [SettingName, Declaration][]) {
    if (d.group !== group) lines.push("", `## ${(group = d.group)}`);
    lines.push(`# ${d.help}${d.defaultNote ? ` (default: ${d.defaultNote})` : ""}`, `# ${name}=${d.default ?? ""}`);
  }
  return `${lines.join("\n")}\n`;
}

/** The Markdown table of docs/configuration.md. */
export function renderSettingsTable(): string {
  const rows = ["| variable | group | default | what |", "| --- | --- | --- | --- |"];
  for (const [name, d] of Object.entries(SETTINGS) as [SettingName, Declaration][]) {
    const fallback = d.defaultNote ?? (d.default === undefined ? "unset" : `\`${d.default}\``);
    rows.push(`| \`${name}\` | ${d.group} | ${fallback} | ${d.help.replaceAll("|", "\\|")} |`);
  }
  return `${rows.join("\n")}\n`;
}
