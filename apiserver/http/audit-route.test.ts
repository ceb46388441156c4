import { test } from "node:test";
import assert from "node:assert/strict";
import { AUDIT_DEFAULT_LIMIT, AUDIT_MAX_LIMIT } from "../../crds/audit-event.ts";
import { isBadRequest } from "../../crds/errors.ts";
import { parseAuditQuery } from "./audit-route.ts";

test("every filter is passed on; empty ones are left out; the limit is defaulted and capped", () => {
  assert.deepEqual(
    parseAuditQuery({
      user: "alice",
      namespace: "shop",
      resource: "promotions",
      name: "p",
      verb: "create",
      since: "2024-05-01T12:00:00Z",
      until: "2024-05-02T00:00:00.5+02:00",
      limit: "5",
      continue: "abc",
    }),
    {
      user: "alice",
      namespace: "shop",
      resource: "promotions",
      name: "p",
      verb: "create",
      since: "2024-05-01T12:00:00Z",
      until: "2024-05-02T00:00:00.5+02:00",
      limit: 5,
      continue: "abc",
    },
  );
  assert.deepEqual(parseAuditQuery({ user: "", namespace: "" }), { limit: AUDIT_DEFAULT_LIMIT });
  assert.deepEqual(parseAuditQuery({ limit: "0" }), { limit: AUDIT_DEFAULT_LIMIT });
  assert.deepEqual(parseAuditQuery({ limit: "100000" }), { limit: AUDIT_MAX_LIMIT });
});

test("resource/subresource selects one subresource", () => {
  assert.deepEqual(parseAuditQuery({ resource: "promotions/approval" }), {
    resource: "promotions",
    subresource: "approval",
    limit: AUDIT_DEFAULT_LIMIT,
  });
});

test("bad times, limits, resources and unknown parameters are 400 naming the parameter", () => {
  const cases: [Record<string, string>, string][] = [
    [{ since: "1h" }, "since"],
    [{ until: "yesterday" }, "until"],
    [{ limit: "-1" }, "limit"],
    [{ resource: "a/b/c" }, "resource"],
    [{ resource: "/approval" }, "resource"],
    [{ usr: "alice" }, "usr"],
  ];
  for (const [q, field] of cases)
    assert.throws(
      () => parseAuditQuery(q),
      (err: { details: { causes: { field: string }[] } }) => isBadRequest(err) && err.details.causes[0].field === field,
      JSON.stringify(q),
    );
});
