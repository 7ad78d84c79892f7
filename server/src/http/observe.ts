// What an operator sees of the API: one access-log line per request (route, GraphQL operation, status, duration,
// error codes) and Prometheus metrics at /metrics (latency per operation, errors, job progress and queue depths,
// index sizes and load times, Node's process metrics).
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ApolloServerPlugin } from "@apollo/server";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { Db } from "@curator/db/client.js";
import type { Logger } from "@curator/worker/log.js";
import type { IndexRegistry } from "../index/registry.js";

/** What the GraphQL layer learns about one request, for its log line and metrics. */
export interface RequestTrace {
  route: string;
  /** The operation's name once Apollo resolved it; "anonymous" for an unnamed one, unset when it never parsed. */
  operation?: string;
  operationType?: string;
  errorCodes: string[];
}

/** Routes are labels, never raw paths: a path label per media file would grow without bound. */
function routeOf(pathname: string): string {
  if (pathname === "/graphql") return "graphql";
  if (pathname.startsWith("/media/")) return "media";
  if (pathname === "/healthz" || pathname === "/readyz" || pathname === "/metrics") return pathname.slice(1);
  return "other";
}

/** Probes and scrapes come every few seconds: logged at debug so they do not bury the requests. */
const QUIET_ROUTES = new Set(["healthz", "readyz", "metrics"]);

/** Where a GraphQL context carries its trace: a symbol key survives Apollo's per-operation copy of the context. */
const TRACE = Symbol("curator.requestTrace");

/** Operation names come from clients: only a plain identifier becomes a label, so a client cannot flood them. */
const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** Seconds: from a 5 ms cached read to a 10 s map query. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class Observer {
  readonly registry = new Registry();
  private readonly requestSeconds: Histogram<"route" | "status">;
  private readonly operationSeconds: Histogram<"operation" | "type">;
  private readonly graphqlErrors: Counter<"operation" | "code">;

  constructor(
    private readonly log: Logger,
    db: Db,
    indexes: IndexRegistry,
  ) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.requestSeconds = new Histogram({
      name: "curator_http_request_duration_seconds",
      help: "HTTP requests by route (graphql, media, healthz, readyz, metrics, other) and status",
      labelNames: ["route", "status"],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.operationSeconds = new Histogram({
      name: "curator_graphql_operation_duration_seconds",
      help: "GraphQL requests by operation name and type (query, mutation)",
      labelNames: ["operation", "type"],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.graphqlErrors = new Counter({
      name: "curator_graphql_errors_total",
      help: "GraphQL errors by operation and code (BAD_USER_INPUT, UNAUTHENTICATED, INTERNAL_SERVER_ERROR, ...)",
      labelNames: ["operation", "code"],
      registers,
    });
    new Gauge({
      name: "curator_index_vectors",
      help: "Vectors in the loaded FAISS index of each factor kind",
      labelNames: ["kind"],
      registers,
      collect() {
        this.reset();
        for (const l of indexes.loadedIndexes()) this.set({ kind: l.kind }, l.vectors);
      },
    });
    new Gauge({
      name: "curator_index_file_bytes",
      help: "Size of the loaded FAISS index file of each factor kind",
      labelNames: ["kind"],
      registers,
      collect() {
        this.reset();
        for (const l of indexes.loadedIndexes()) this.set({ kind: l.kind }, l.fileBytes);
      },
    });
    new Gauge({
      name: "curator_index_load_seconds",
      help: "How long the last load of each kind's index took (factor rows read, index read or built)",
      labelNames: ["kind"],
      registers,
      collect() {
        this.reset();
        for (const l of indexes.loadedIndexes()) this.set({ kind: l.kind }, l.loadSeconds);
      },
    });
    // Jobs live in the database (any process may run them), so they are read at scrape time: one read shared by
    // the three gauges, whose collect functions prom-client calls side by side.
    let reading: Promise<JobSnapshot> | undefined;
    const snapshot = () =>
      (reading ??= readJobs(db).finally(() => {
        setImmediate(() => (reading = undefined));
      }));
    new Gauge({
      name: "curator_jobs",
      help: "Job records by stage and status",
      labelNames: ["stage", "status"],
      registers,
      async collect() {
        const { counts } = await snapshot();
        this.reset();
        for (const c of counts) this.set({ stage: c.stage, status: c.status }, c._count._all);
      },
    });
    new Gauge({
      name: "curator_job_progress_ratio",
      help: "done/total of each running job",
      labelNames: ["job", "stage"],
      registers,
      async collect() {
        const { running } = await snapshot();
        this.reset();
        for (const j of running) this.set({ job: String(j.id), stage: j.stage }, j.total > 0 ? j.done / j.total : 0);
      },
    });
    new Gauge({
      name: "curator_job_queue_depth",
      help: "Jobs waiting for a worker (QUEUED), by stage",
      labelNames: ["stage"],
      registers,
      async collect() {
        const { counts } = await snapshot();
        this.reset();
        for (const c of counts) if (c.status === "QUEUED") this.set({ stage: c.stage }, c._count._all);
      },
    });
  }

  /** Call when a request arrives: its line is logged and its metrics counted when the response finishes. */
  start(req: IncomingMessage, res: ServerResponse, pathname: string): RequestTrace {
    const started = performance.now();
    const trace: RequestTrace = { route: routeOf(pathname), errorCodes: [] };
    res.on("finish", () => {
      const seconds = (performance.now() - started) / 1000;
      const status = res.statusCode;
      this.requestSeconds.observe({ route: trace.route, status: String(status) }, seconds);
      if (trace.route === "graphql") {
        const operation = trace.operation ?? "(unparsed)";
        this.operationSeconds.observe({ operation, type: trace.operationType ?? "unknown" }, seconds);
        for (const code of trace.errorCodes) this.graphqlErrors.inc({ operation, code });
      }
      const line = {
        method: req.method,
        path: pathname,
        route: trace.route,
        ...(trace.route === "graphql" ? { operation: trace.operation ?? null, type: trace.operationType ?? null } : {}),
        status,
        durationMs: Math.round(seconds * 10_000) / 10,
        ...(trace.errorCodes.length ? { errors: trace.errorCodes } : {}),
      };
      const level = status >= 500 ? "error" : status >= 400 ? "warn" : QUIET_ROUTES.has(trace.route) ? "debug" : "info";
      this.log[level](line, "request");
    });
    return trace;
  }

  /** Ties a GraphQL context to its request's trace, so the plugin below can fill it in. */
  bind<C extends object>(context: C, trace: RequestTrace): C {
    return Object.assign(context, { [TRACE]: trace });
  }

  /** Records each GraphQL request's operation and error codes on its trace. */
  plugin(): ApolloServerPlugin<object> {
    return {
      async requestDidStart({ contextValue, request }) {
        const trace = (contextValue as { [TRACE]?: RequestTrace })[TRACE];
        if (!trace) return;
        if (request.operationName && OPERATION_NAME.test(request.operationName)) trace.operation = request.operationName;
        return {
          async didResolveOperation({ operation, operationName }) {
            trace.operation = operationName && OPERATION_NAME.test(operationName) ? operationName : "anonymous";
            if (operation) trace.operationType = operation.operation;
          },
          async didEncounterErrors({ errors }) {
            for (const e of errors) trace.errorCodes.push(String(e.extensions?.code ?? "INTERNAL_SERVER_ERROR"));
          },
        };
      },
    };
  }

  /** The Prometheus text exposition. */
  async metrics(res: ServerResponse): Promise<void> {
    const body = await this.registry.metrics();
    res.statusCode = 200;
    res.setHeader("content-type", this.registry.contentType);
    res.end(body);
  }
}

type JobSnapshot = Awaited<ReturnType<typeof readJobs>>;

async function readJobs(db: Db) {
  const [counts, running] = await Promise.all([
    db.job.groupBy({ by: ["stage", "status"], _count: { _all: true } }),
    db.job.findMany({ where: { status: "RUNNING" }, select: { id: true, stage: true, done: true, total: true } }),
  ]);
  return { counts, running };
}
