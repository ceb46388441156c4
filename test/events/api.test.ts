// Events over the API: core v1 and events.k8s.io/v1 are two views of the same stored events;
// field selectors as kubectl describe and kubectl events send them; watch; roles; retention.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startEnv, type TestEnv } from "../env.ts";

const CORE = "/api/v1/namespaces/default/events";
const V1 = "/apis/events.k8s.io/v1/namespaces/default/events";
const q = (s: string) => encodeURIComponent(s);

const coreEvent = (name: string, over: Record<string, unknown> = {}) => ({
  apiVersion: "v1",
  kind: "Event",
  metadata: { name, namespace: "default" },
  involvedObject: {
    apiVersion: "release.stella.io/v1alpha1",
    kind: "Deployment",
    name: "web",
    namespace: "default",
    uid: "u-1",
  },
  reason: "TargetUnhealthy",
  message: "target a: GET /healthz: 404",
  type: "Warning",
  source: { component: "deployment-controller" },
  firstTimestamp: new Date().toISOString(),
  lastTimestamp: new Date().toISOString(),
  count: 1,
  ...over,
});

describe("events API", () => {
  let env: TestEnv;
  before(async () => {
    env = await startEnv();
  });
  after(() => env.stop());

  test("discovery lists core events and events.k8s.io/v1", async () => {
    const core = (await env.request("GET", "/api/v1")).body;
    const ev = core.resources.find((r: { name: string }) => r.name === "events");
    assert.equal(ev.kind, "Event");
    assert.equal(ev.shortNames, undefined, "`ev` stays EvidencePacket's");
    const groups = (await env.request("GET", "/apis")).body.groups.map((g: { name: string }) => g.name);
    assert.ok(groups.includes("events.k8s.io"));
    const v1 = (await env.request("GET", "/apis/events.k8s.io/v1")).body;
    assert.ok(v1.resources.some((r: { name: string }) => r.name === "events"));
  });

  test("a core event reads back through events.k8s.io/v1, and the other way", async () => {
    assert.equal((await env.request("POST", CORE, coreEvent("web.1"))).status, 201);
    const v1 = (await env.request("GET", `${V1}/web.1`)).body;
    assert.equal(v1.apiVersion, "events.k8s.io/v1");
    assert.equal(v1.regarding.name, "web");
    assert.equal(v1.note, "target a: GET /healthz: 404");
    assert.equal(v1.deprecatedSource.component, "deployment-controller");
    assert.equal(v1.deprecatedCount, 1);
    assert.equal(v1.involvedObject, undefined);

    const created = await env.request("POST", V1, {
      apiVersion: "events.k8s.io/v1",
      kind: "Event",
      metadata: { name: "web.2" },
      eventTime: "2025-01-01T00:00:00.123456Z",
      regarding: { kind: "Deployment", name: "web", namespace: "default", uid: "u-1" },
      reason: "RolledBack",
      note: "rolled back to shop-1-5-0",
      type: "Warning",
      action: "Rollback",
      reportingController: "deployment-controller",
      reportingInstance: "stella-1",
    });
    assert.equal(created.status, 201, created.text);
    const core = (await env.request("GET", `${CORE}/web.2`)).body;
    assert.equal(core.apiVersion, "v1");
    assert.equal(core.involvedObject.name, "web");
    assert.equal(core.message, "rolled back to shop-1-5-0");
    assert.equal(core.reportingComponent, "deployment-controller");
    assert.equal(core.eventTime, "2025-01-01T00:00:00.123456Z");
  });

  test("events.k8s.io/v1 requires its newer fields on create and keeps them fixed", async () => {
    const bad = await env.request("POST", V1, {
      apiVersion: "events.k8s.io/v1",
      kind: "Event",
      metadata: { name: "x.1" },
      note: "n",
    });
    assert.equal(bad.status, 422);
    const fields = bad.body.details.causes.map((c: { field: string }) => c.field);
    for (const f of ["eventTime", "reportingController", "reason"]) assert.ok(fields.includes(f), fields.join());
    const patch = await env.request(
      "PATCH",
      `${V1}/web.2`,
      { reason: "Other" },
      { "content-type": "application/merge-patch+json" },
    );
    assert.equal(patch.status, 422);
  });

  test("an event must be in its object's namespace", async () => {
    const res = await env.request(
      "POST",
      CORE,
      coreEvent("web.ns", { involvedObject: { kind: "Deployment", name: "web", namespace: "other" } }),
    );
    assert.equal(res.status, 422);
    assert.equal(res.body.details.causes[0].field, "involvedObject.namespace");
  });

  test("a merge patch bumps count and lastTimestamp in either version", async () => {
    const later = new Date(Date.now() + 5000).toISOString();
    const res = await env.request(
      "PATCH",
      `${CORE}/web.1`,
      { count: 2, lastTimestamp: later },
      { "content-type": "application/merge-patch+json" },
    );
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.count, 2);
    const v1 = await env.request(
      "PATCH",
      `${V1}/web.1`,
      { deprecatedCount: 3 },
      { "content-type": "application/merge-patch+json" },
    );
    assert.equal(v1.status, 200, v1.text);
    assert.equal(v1.body.deprecatedCount, 3);
    assert.equal((await env.request("GET", `${CORE}/web.1`)).body.count, 3);
  });

  test("field selectors kubectl describe and kubectl events send", async () => {
    await env.request(
      "POST",
      CORE,
      coreEvent("api.1", {
        involvedObject: { kind: "Release", name: "api", namespace: "default", uid: "u-2" },
        type: "Normal",
        reason: "Resolved",
        source: { component: "release-controller" },
      }),
    );
    const names = async (path: string, sel: string) =>
      (await env.request("GET", `${path}?fieldSelector=${q(sel)}`)).body.items
        .map((i: { metadata: { name: string } }) => i.metadata.name)
        .sort();
    assert.deepEqual(
      await names(
        CORE,
        "involvedObject.name=web,involvedObject.namespace=default,involvedObject.kind=Deployment,involvedObject.uid=u-1",
      ),
      ["web.1", "web.2"],
    );
    assert.deepEqual(await names(CORE, "involvedObject.kind=Release,involvedObject.name=api"), ["api.1"]);
    assert.deepEqual(await names(CORE, "type=Normal"), ["api.1"]);
    assert.deepEqual(await names(CORE, "reason=RolledBack"), ["web.2"]);
    assert.deepEqual(await names(CORE, "source=release-controller"), ["api.1"]);
    assert.deepEqual(await names(V1, "regarding.name=web,regarding.uid=u-1"), ["web.1", "web.2"]);
    assert.deepEqual(await names(V1, "reportingController=deployment-controller"), ["web.2"]);
    assert.deepEqual(await names(V1, "type=Warning,reason=TargetUnhealthy"), ["web.1"]);
    const bad = await env.request("GET", `${CORE}?fieldSelector=${q("spec.x=y")}`);
    assert.equal(bad.status, 400);
  });

  test("Table output has kubectl's event columns", async () => {
    const res = await env.request("GET", `${CORE}?fieldSelector=${q("metadata.name=web.1")}`, undefined, {
      accept: "application/json;as=Table;v=v1;g=meta.k8s.io",
    });
    const cols = res.body.columnDefinitions.map((c: { name: string }) => c.name);
    assert.deepEqual(cols.slice(0, 6), ["Name", "Last Seen", "Type", "Reason", "Object", "Message"]);
    assert.equal(res.body.rows[0].cells[4], "deployment/web");
    const v1 = await env.request("GET", `${V1}?fieldSelector=${q("metadata.name=web.1")}`, undefined, {
      accept: "application/json;as=Table;v=v1;g=meta.k8s.io",
    });
    assert.equal(v1.body.rows[0].cells[4], "deployment/web");
  });

  test("a watch on events.k8s.io sees core writes, converted", async () => {
    const list = await env.request("GET", V1);
    const rv = list.body.metadata.resourceVersion;
    const ac = new AbortController();
    const res = await env.server.app.request(`${V1}?watch=true&resourceVersion=${rv}`, {
      headers: { authorization: `Bearer ${env.adminToken}` },
      signal: ac.signal,
    });
    const reader = res.body!.getReader();
    await env.request("POST", CORE, coreEvent("web.w"));
    const { value } = await reader.read();
    const event = JSON.parse(new TextDecoder().decode(value).split("\n")[0]);
    assert.equal(event.type, "ADDED");
    assert.equal(event.object.apiVersion, "events.k8s.io/v1");
    assert.equal(event.object.metadata.name, "web.w");
    assert.equal(event.object.note, "target a: GET /healthz: 404");
    ac.abort();
    await reader.cancel().catch(() => {});
  });

  test("every role that reads a namespace lists its events; only machines write them", async () => {
    for (const role of ["viewer", "operator", "approver", "controller", "agent"] as const) {
      const token = await env.token(`u-${role}`, role, "default");
      const h = { authorization: `Bearer ${token}` };
      if (role !== "agent") assert.equal((await env.request("GET", CORE, undefined, h)).status, 200, role);
      const write = await env.request("POST", CORE, coreEvent(`by-${role}`), h);
      assert.equal(write.status, ["controller", "agent"].includes(role) ? 201 : 403, `${role}: ${write.text}`);
    }
    const viewer = { authorization: `Bearer ${await env.token("v", "viewer", "default")}` };
    assert.equal(
      (
        await env.request(
          "PATCH",
          `${CORE}/web.1`,
          { count: 9 },
          { ...viewer, "content-type": "application/merge-patch+json" },
        )
      ).status,
      403,
    );
    assert.equal((await env.request("DELETE", `${CORE}/web.1`, undefined, viewer)).status, 403);
  });

  test("delete", async () => {
    assert.equal((await env.request("DELETE", `${V1}/web.w`)).status, 200);
    assert.equal((await env.request("GET", `${CORE}/web.w`)).status, 404);
  });
});

describe("event retention", () => {
  test("the server sweeps events older than --event-ttl and keeps the rest", async () => {
    const env = await startEnv({ eventTtlMs: 1500 });
    try {
      const old = new Date(Date.now() - 60_000).toISOString();
      await env.request("POST", CORE, coreEvent("old.1", { firstTimestamp: old, lastTimestamp: old }));
      const fresh = new Date(Date.now() + 60_000).toISOString();
      await env.request("POST", CORE, coreEvent("fresh.1", { firstTimestamp: fresh, lastTimestamp: fresh }));
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline && (await env.request("GET", `${CORE}/old.1`)).status === 200)
        await new Promise((r) => setTimeout(r, 100));
      assert.equal((await env.request("GET", `${CORE}/old.1`)).status, 404);
      assert.equal((await env.request("GET", `${CORE}/fresh.1`)).status, 200);
    } finally {
      await env.stop();
    }
  });
});
