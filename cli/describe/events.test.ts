import { test } from "node:test";
import assert from "node:assert/strict";
import type { Event } from "../../crds/event.ts";
import { eventLines } from "./events.ts";

const now = Date.parse("2025-01-01T00:10:00Z");
const ev = (
  reason: string,
  type: "Normal" | "Warning",
  first: string,
  last: string,
  count: number,
  message: string,
): Event => ({
  apiVersion: "v1",
  kind: "Event",
  metadata: { name: reason },
  involvedObject: {},
  reason,
  type,
  message,
  count,
  firstTimestamp: first,
  lastTimestamp: last,
  source: { component: "deployment-controller" },
});

test("events print oldest first, as kubectl prints them, with xN over AGE for repeats", () => {
  const lines = eventLines(
    [
      ev("RolledBack", "Warning", "2025-01-01T00:09:00Z", "2025-01-01T00:09:00Z", 1, "rolled back to shop-1-5-0"),
      ev("DeploymentStarted", "Normal", "2025-01-01T00:05:00Z", "2025-01-01T00:05:00Z", 1, "deploying shop-1-6-0"),
      ev(
        "TargetUnhealthy",
        "Warning",
        "2025-01-01T00:06:00Z",
        "2025-01-01T00:08:00Z",
        3,
        "target a: GET /healthz: 404",
      ),
    ],
    now,
  );
  assert.deepEqual(lines, [
    "Events:",
    "  TYPE      REASON              AGE               FROM                    MESSAGE",
    "  Normal    DeploymentStarted   5m                deployment-controller   deploying shop-1-6-0",
    "  Warning   TargetUnhealthy     2m (x3 over 4m)   deployment-controller   target a: GET /healthz: 404",
    "  Warning   RolledBack          60s               deployment-controller   rolled back to shop-1-5-0",
  ]);
  assert.deepEqual(eventLines([], now), ["Events:       <none>"]);
});
