import { test } from "node:test";
import assert from "node:assert/strict";
import { eventKind, lastSeen, objectOf, type Event } from "./event.ts";
import { eventFromV1, eventToV1, eventV1Kind } from "./events-v1.ts";
import { kindForObject, resolveResource } from "./scheme.ts";
import { validateObject } from "./validate.ts";

const core: Event = {
  apiVersion: "v1",
  kind: "Event",
  metadata: { name: "web.1", namespace: "shop" },
  involvedObject: { kind: "Deployment", name: "web", namespace: "shop", uid: "u" },
  reason: "RolledBack",
  message: "rolled back",
  type: "Warning",
  source: { component: "deployment-controller" },
  firstTimestamp: "2025-01-01T00:00:00Z",
  lastTimestamp: "2025-01-01T00:05:00Z",
  count: 3,
  reportingComponent: "deployment-controller",
  reportingInstance: "stella",
  action: "Rollback",
};

test("core -> events.k8s.io/v1 renames the fields Kubernetes renamed and back again", () => {
  const v1 = eventToV1(core) as Record<string, unknown>;
  assert.equal(v1.apiVersion, "events.k8s.io/v1");
  assert.deepEqual(v1.regarding, core.involvedObject);
  assert.equal(v1.note, "rolled back");
  assert.equal(v1.reportingController, "deployment-controller");
  assert.deepEqual(v1.deprecatedSource, core.source);
  assert.equal(v1.deprecatedFirstTimestamp, core.firstTimestamp);
  assert.equal(v1.deprecatedLastTimestamp, core.lastTimestamp);
  assert.equal(v1.deprecatedCount, 3);
  for (const gone of ["involvedObject", "message", "source", "count", "reportingComponent"])
    assert.equal(v1[gone], undefined, gone);
  assert.equal(validateObject(eventV1Kind, v1).ok, true);
  assert.deepEqual(eventFromV1(v1), core);
});

test("an events.k8s.io/v1 event without regarding still has an involvedObject once stored", () => {
  const stored = eventFromV1({ apiVersion: "events.k8s.io/v1", kind: "Event", metadata: {}, note: "x" }) as Event;
  assert.deepEqual(stored.involvedObject, {});
  assert.equal(stored.message, "x");
  assert.equal(validateObject(eventKind, stored).ok, true);
});

test("the scheme tells the two Event kinds apart by apiVersion; events means core", () => {
  assert.equal(kindForObject("v1", "Event"), eventKind);
  assert.equal(kindForObject("events.k8s.io/v1", "Event"), eventV1Kind);
  assert.equal(resolveResource("events"), eventKind);
  // `ev` stays EvidencePacket's in the stella CLI (kinds order); kubectl reads it as core events.
  assert.equal(resolveResource("ev")?.kind, "EvidencePacket");
  assert.equal(resolveResource("events.events.k8s.io"), eventV1Kind);
});

test("columns read both versions alike", () => {
  assert.equal(objectOf(core.involvedObject), "deployment/web");
  assert.equal(lastSeen(core), "2025-01-01T00:05:00Z");
  assert.equal(
    lastSeen({ ...core, lastTimestamp: null, eventTime: "2025-01-02T00:00:00.000001Z" }),
    "2025-01-02T00:00:00.000001Z",
  );
  const object = (k: typeof eventKind, o: unknown) => k.printerColumns.find((c) => c.name === "Object")!.cell!(o);
  assert.equal(object(eventKind, core), "deployment/web");
  assert.equal(object(eventV1Kind, eventToV1(core)), "deployment/web");
});
