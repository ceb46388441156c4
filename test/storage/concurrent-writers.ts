// The concurrent-writer scenario: writer processes (each with its own storage, writers and a
// watcher), a watcher-only process, and watchers in this process — one from the start, one
// joining late (it backfills from the database while events keep flowing).
import { openStorage, type StorageEvent } from "../../apiserver/storage/index.ts";
import { spawnChild, type StorageChild } from "./child-process.ts";
import { collect, type Collector } from "./watch-collector.ts";
import type { EventTuple, FromChild } from "./writer-process.ts";

/** The shape of a run. */
export interface ConcurrentRunOptions {
  url: string;
  resource: string;
  processes: number;
  writersPerProcess: number;
  writesPerWriter: number;
  keys?: number;
}

/** What a run observed. */
export interface ConcurrentRun {
  startRV: number;
  writers: number;
  /** Every acknowledged write's rv, from every writer. */
  acked: number[];
  conflicts: number;
  /** The slowest writer process's wall time. */
  elapsedMs: number;
  /** Each watcher's events as [rv, type, namespace, name], and a name saying where it ran. */
  watchers: EventTuple[][];
  watcherNames: string[];
  /** The full events of this process's first watcher. */
  parentEvents: StorageEvent[];
}

const done = (m: FromChild): m is Extract<FromChild, { done: true }> => "done" in m;
const ready = (m: FromChild): m is Extract<FromChild, { ready: true }> => "ready" in m;
const watched = (m: FromChild): m is Extract<FromChild, { watched: EventTuple[][] }> => "watched" in m;
const tuple = (e: StorageEvent): EventTuple => [e.rv, e.type, e.key.namespace, e.key.name];

/** Runs the scenario to completion and returns what every writer and watcher saw. */
export async function runConcurrentWriters(opts: ConcurrentRunOptions): Promise<ConcurrentRun> {
  const storage = await openStorage(
    { backend: "postgres", url: opts.url },
    { compactIntervalMs: 0, recentEvents: 500, eventWindow: 1e9 },
  );
  const children: StorageChild[] = [];
  try {
    const startRV = await storage.currentRV();
    const early = await collect(storage, { resource: opts.resource, sinceRV: startRV });
    const common = {
      storage: { backend: "postgres" as const, url: opts.url, poolSize: opts.writersPerProcess + 2 },
      resource: opts.resource,
      startRV,
    };
    const writers = Array.from({ length: opts.processes }, (_, p) =>
      spawnChild("writer", {
        ...common,
        writers: opts.writersPerProcess,
        writesPerWriter: opts.writesPerWriter,
        keys: opts.keys ?? 60,
        namespaces: ["blue", "green"],
        watchers: 1,
        seed: p + 1,
      }),
    );
    const watcher = spawnChild("watcher", { ...common, watchers: 2 });
    children.push(...writers, watcher);
    await Promise.all(children.map((c) => c.next(ready)));
    for (const w of writers) w.send({ go: true });
    // A late watcher in this process, from the start: it must backfill past the in-memory window.
    const total = opts.processes * opts.writersPerProcess * opts.writesPerWriter;
    await early.until(() => early.events.length >= Math.min(total / 3, 2000), 300_000);
    const late: Collector = await collect(storage, { resource: opts.resource, sinceRV: startRV });
    const results = await Promise.all(writers.map((w) => w.next(done)));
    const acked = results.flatMap((r) => r.acked);
    const last = Math.max(...acked);
    for (const c of children) c.send({ stopAt: last });
    const fromChildren = await Promise.all(children.map((c) => c.next(watched)));
    for (const c of [early, late])
      await c.until(() => c.events.length > 0 && c.events[c.events.length - 1].rv >= last, 300_000);
    early.watch.close();
    late.watch.close();
    const childWatchers = fromChildren.flatMap((m) => m.watched);
    await Promise.all(children.map((c) => c.exited));
    return {
      startRV,
      writers: opts.processes * opts.writersPerProcess,
      acked,
      conflicts: results.reduce((a, r) => a + r.conflicts, 0),
      elapsedMs: Math.max(...results.map((r) => r.elapsedMs)),
      watchers: [early.events.map(tuple), late.events.map(tuple), ...childWatchers],
      watcherNames: [
        "test process",
        "test process, joined late",
        ...fromChildren.flatMap((m, i) => m.watched.map((_, j) => `child ${i} watcher ${j}`)),
      ],
      parentEvents: early.events,
    };
  } finally {
    for (const c of children) if (c.proc.exitCode === null) c.proc.kill("SIGKILL");
    await storage.close();
  }
}
