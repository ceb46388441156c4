// Prometheus metrics of the apiserver (prom-client): requests by verb, resource and code with
// latency histograms, open watches, storage latency, lost audit records, and what the storage's
// caches hold against their bounds.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { CacheStats } from "../storage/types.ts";

/** The metrics the apiserver records. */
export class ApiMetrics {
  readonly registry = new Registry();
  private readonly requests = new Counter({
    name: "stella_apiserver_requests_total",
    help: "API requests by verb, resource and HTTP code.",
    labelNames: ["verb", "resource", "code"],
    registers: [this.registry],
  });
  private readonly latency = new Histogram({
    name: "stella_apiserver_request_duration_seconds",
    help: "API request latency by verb and resource (watches excluded).",
    labelNames: ["verb", "resource"],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  private readonly watches = new Gauge({
    name: "stella_apiserver_open_watches",
    help: "Watches open now, by resource.",
    labelNames: ["resource"],
    registers: [this.registry],
  });
  private readonly storage = new Histogram({
    name: "stella_storage_operation_duration_seconds",
    help: "Storage operation latency by operation.",
    labelNames: ["operation"],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });

  private readonly auditFailures = new Counter({
    name: "stella_audit_write_failures_total",
    help: "Requests whose audit record could not be written (an alarm: the audit log is missing them).",
    registers: [this.registry],
  });

  constructor(defaults = true) {
    if (defaults) collectDefaultMetrics({ register: this.registry, prefix: "stella_" });
  }

  /** Reports the storage's caches on every scrape: bytes and events held, and their bounds. */
  observeCaches(stats: () => CacheStats): void {
    const gauge = (name: string, help: string, value: (s: CacheStats) => number) =>
      new Gauge({
        name,
        help,
        registers: [this.registry],
        collect() {
          this.set(value(stats()));
        },
      });
    gauge("stella_storage_list_cache_bytes", "JSON bytes the list cache holds now.", (s) => s.listCacheBytes);
    gauge(
      "stella_storage_list_cache_limit_bytes",
      "The list cache's bound (--list-cache); 0 when it is off.",
      (s) => s.listCacheLimitBytes,
    );
    gauge("stella_storage_recent_events", "Events in the ring watches start from.", (s) => s.recentEvents);
    gauge(
      "stella_storage_recent_events_limit",
      "The ring's capacity (--watch-cache-events).",
      (s) => s.recentEventsLimit,
    );
  }

  /** Records a finished request. */
  observeRequest(verb: string, resource: string, code: number, seconds: number): void {
    this.requests.inc({ verb, resource, code: String(code) });
    if (verb !== "watch") this.latency.observe({ verb, resource }, seconds);
  }

  /** Counts a watch opening (+1) or closing (-1). */
  watchDelta(resource: string, delta: 1 | -1): void {
    this.watches.inc({ resource }, delta);
  }

  /** Records one storage operation. */
  observeStorage(operation: string, seconds: number): void {
    this.storage.observe({ operation }, seconds);
  }

  /** Counts a request whose audit record was lost. */
  auditWriteFailed(): void {
    this.auditFailures.inc();
  }

  /** The exposition text for /metrics. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
