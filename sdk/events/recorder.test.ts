import { test } from "node:test";
import assert from "node:assert/strict";
import { ApiError } from "../../crds/errors.ts";
import type { Event } from "../../crds/event.ts";
import type { StellaObject } from "../../crds/meta.ts";
import { Recorder, type EventSink } from "./recorder.ts";
import { EventCache } from "./event-cache.ts";

const deployment: StellaObject = {
  apiVersion: "release.stella.io/v1alpha1",
  kind: "Deployment",
  metadata: { name: "web", namespace: "shop", uid: "u-1", resourceVersion: "7" },
};

/** A sink that keeps events in memory, like the API would. */
function memorySink() {
  const events = new Map<string, Event>();
  const calls: string[] = [];
  const sink: EventSink & { fail?: unknown } = {
    async create(e) {
      calls.push(`create ${e.reason}`);
      if (sink.fail) throw sink.fail;
      events.set(e.metadata.name!, structuredClone(e));
      return e;
    },
    async patch(_ns, name, patch) {
      calls.push(`patch ${name}`);
      const e = events.get(name);
      if (!e) throw new ApiError(404, "NotFound", `events "${name}" not found`);
      Object.assign(e, patch);
      return e;
    },
  };
  return { sink, events, calls };
}

test("a repeat bumps count and lastTimestamp of the one event with a patch", async () => {
  const { sink, events, calls } = memorySink();
  let now = Date.parse("2025-01-01T00:00:00Z");
  const r = new Recorder(sink, { component: "deployment-controller", host: "h", now: () => now });
  r.event(deployment, "Warning", "TargetUnhealthy", "target a: GET /healthz: 404");
  now += 10_000;
  r.event(deployment, "Warning", "TargetUnhealthy", "target a: GET /healthz: 404");
  now += 10_000;
  r.eventf(deployment, "Warning", "TargetUnhealthy", "target %s: GET /healthz: %d", "a", 404);
  await r.flush();
  assert.equal(events.size, 1);
  const [e] = events.values();
  assert.equal(e.count, 3);
  assert.equal(e.firstTimestamp, "2025-01-01T00:00:00.000Z");
  assert.equal(e.lastTimestamp, "2025-01-01T00:00:20.000Z");
  assert.deepEqual(e.involvedObject, {
    apiVersion: "release.stella.io/v1alpha1",
    kind: "Deployment",
    name: "web",
    namespace: "shop",
    uid: "u-1",
    resourceVersion: "7",
  });
  assert.deepEqual(e.source, { component: "deployment-controller", host: "h" });
  assert.equal(e.reportingComponent, "deployment-controller");
  assert.match(e.metadata.name!, /^web\.[0-9a-f]+$/);
  assert.deepEqual(
    calls.map((c) => c.split(" ")[0]),
    ["create", "patch", "patch"],
  );
});

test("another reason, type or message is another event", async () => {
  const { sink, events } = memorySink();
  const r = new Recorder(sink, { component: "c" });
  r.event(deployment, "Normal", "Started", "x");
  r.event(deployment, "Warning", "Started", "x");
  r.event(deployment, "Normal", "Succeeded", "x");
  r.event(deployment, "Normal", "Started", "y");
  await r.flush();
  assert.equal(events.size, 4);
});

test("an event deleted meanwhile (expired) is created again", async () => {
  const { sink, events } = memorySink();
  const r = new Recorder(sink, { component: "c" });
  r.event(deployment, "Normal", "Started", "x");
  await r.flush();
  events.clear();
  r.event(deployment, "Normal", "Started", "x");
  await r.flush();
  assert.equal(events.size, 1);
  assert.equal([...events.values()][0].count, 1);
});

test("a burst about one object is rate limited; other objects are not", async () => {
  const { sink, calls } = memorySink();
  let now = 0;
  const r = new Recorder(sink, { component: "c", burst: 3, refillMs: 1000, now: () => now });
  for (let i = 0; i < 10; i++) r.event(deployment, "Normal", "Tick", `tick ${i}`);
  r.event({ ...deployment, metadata: { ...deployment.metadata, name: "api", uid: "u-2" } }, "Normal", "Tick", "other");
  await r.flush();
  assert.equal(calls.length, 4);
  now += 1000;
  r.event(deployment, "Normal", "Tick", "later");
  await r.flush();
  assert.equal(calls.length, 5);
});

test("a failed write is reported and dropped, never thrown", async () => {
  const { sink } = memorySink();
  sink.fail = new Error("connection refused");
  const errors: string[] = [];
  const r = new Recorder(sink, {
    component: "c",
    onError: (err, e) => errors.push(`${e.reason}: ${(err as Error).message}`),
  });
  assert.doesNotThrow(() => r.event(deployment, "Warning", "Boom", "x"));
  assert.doesNotThrow(() => r.event(null as unknown as StellaObject, "Warning", "Bad", "x"));
  await r.flush();
  assert.equal(errors.length, 2);
  assert.equal(errors[1], "Boom: connection refused");
});

test("long messages are cut to 1 kB", async () => {
  const { sink, events } = memorySink();
  const r = new Recorder(sink, { component: "c" });
  r.event(deployment, "Normal", "Long", "é".repeat(2000));
  await r.flush();
  const [e] = events.values();
  assert.ok(new TextEncoder().encode(e.message!).length <= 1024);
  assert.ok(e.message!.endsWith("..."));
});

test("the cache forgets the least recently seen first", () => {
  const c = new EventCache(2);
  c.set("a", { name: "a", count: 1 });
  c.set("b", { name: "b", count: 1 });
  c.get("a");
  c.set("c", { name: "c", count: 1 });
  assert.equal(c.size, 2);
  assert.equal(c.get("b"), undefined);
  assert.ok(c.get("a"));
});
