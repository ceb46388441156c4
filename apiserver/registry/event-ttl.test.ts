import { test } from "node:test";
import assert from "node:assert/strict";
import type { Event } from "../../crds/event.ts";
import { expired } from "./event-ttl.ts";
import { fieldMatcher, parseFieldSelector } from "./field-selector.ts";
import { eventKind } from "../../crds/event.ts";
import { eventToV1, eventV1Kind } from "../../crds/events-v1.ts";

const at = (iso: string) => Date.parse(iso);
const ev = (over: Partial<Event>): Event => ({
  apiVersion: "v1",
  kind: "Event",
  metadata: { name: "e", creationTimestamp: "2025-01-01T00:00:00Z" },
  involvedObject: {},
  ...over,
});

test("an event expires a TTL after it was last seen, whichever field says when", () => {
  const hour = 3_600_000;
  assert.equal(expired(ev({}), hour, at("2025-01-01T00:59:59Z")), false);
  assert.equal(expired(ev({}), hour, at("2025-01-01T01:00:00Z")), true);
  // A repeat renews it: lastTimestamp wins over creation.
  assert.equal(expired(ev({ lastTimestamp: "2025-01-01T00:30:00Z" }), hour, at("2025-01-01T01:10:00Z")), false);
  assert.equal(
    expired(
      ev({ lastTimestamp: null, series: { count: 4, lastObservedTime: "2025-01-01T00:45:00Z" } }),
      hour,
      at("2025-01-01T01:30:00Z"),
    ),
    false,
  );
  assert.equal(
    expired(ev({ metadata: { name: "x" } }), hour, at("2030-01-01T00:00:00Z")),
    false,
    "no time at all: never swept",
  );
});

test("field selectors: core `source` reads source.component; events.k8s.io reads its own names", () => {
  const e = ev({
    source: { component: "deployment-controller" },
    involvedObject: { kind: "Deployment", name: "web", uid: "u" },
    type: "Warning",
    reportingComponent: "deployment-controller",
  });
  const core = (s: string) => fieldMatcher(parseFieldSelector(s, eventKind))(e);
  assert.equal(core("source=deployment-controller"), true);
  assert.equal(core("source!=deployment-controller"), false);
  assert.equal(core("involvedObject.kind=Deployment,involvedObject.name=web,involvedObject.uid=u,type=Warning"), true);
  const v1 = (s: string) => fieldMatcher(parseFieldSelector(s, eventV1Kind))(eventToV1(e));
  assert.equal(v1("regarding.name=web,regarding.kind=Deployment,reportingController=deployment-controller"), true);
  assert.throws(() => parseFieldSelector("involvedObject.name=web", eventV1Kind));
});
