import { test } from "node:test";
import assert from "node:assert/strict";
import { auditTable } from "./event-table.ts";

test("rows align under TIME USER VERB RESOURCE NAMESPACE NAME CODE", () => {
  const lines = auditTable([
    {
      time: "2030-01-01T12:00:01.250Z",
      user: "bob",
      verb: "create",
      resource: "promotions",
      subresource: "approval",
      namespace: "shop",
      name: "to-prod",
      code: 200,
      outcome: "success",
    },
    {
      time: "2030-01-01T12:00:00.000Z",
      user: "admin",
      verb: "create",
      resource: "namespaces",
      namespace: "",
      name: "shop",
      code: 201,
      outcome: "success",
      dryRun: true,
    },
  ]);
  assert.deepEqual(lines, [
    "TIME                   USER    VERB               RESOURCE              NAMESPACE   NAME      CODE",
    "2030-01-01T12:00:01Z   bob     create             promotions/approval   shop        to-prod   200",
    "2030-01-01T12:00:00Z   admin   create (dry run)   namespaces            <none>      shop      201",
  ]);
});
