// Every role × every served kind (and the status and approval subresources) × every verb — get,
// list, watch, create, update, patch (merge, JSON, apply), delete, deletecollection, each write also
// with dryRun=All — answers as the README documents (role-policy.ts): a refused request is a 403
// naming the verb, an allowed one succeeds (or meets a rule of the kind, such as write-once evidence).
// And no response to a role that may not read Secrets carries a Secret's value or its base64.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import type { KindInfo } from "../../crds/scheme-types.ts";
import { groupOf, kinds, versionOf } from "../../crds/scheme.ts";
import { startEnv, type TestEnv } from "../env.ts";
import { collection, loadExample } from "../fixtures.ts";
import { objectOf } from "./matrix-fixtures.ts";
import { documentedAllows, MATRIX_ROLES, policyAnswer, SECRET_READERS, type MatrixRole } from "./role-policy.ts";

const SECRET = `matrix-${randomBytes(8).toString("hex")}`;
const LEAKS = [SECRET, Buffer.from(SECRET).toString("base64")];
const JSON_TYPE = "application/json";
const MERGE = "application/merge-patch+json";
const JSON_PATCH = "application/json-patch+json";
const APPLY = "application/apply-patch+yaml";

/** One request of the matrix and what it is, for the report. */
interface Probe {
  verb: string;
  subresource?: string;
  what: string;
  method: string;
  path: string;
  /** The body, or how to make it when sent (an update carries the object as it is then). */
  body?: unknown;
  type?: string;
}

const base = (info: KindInfo) =>
  groupOf(info) === "" ? `/api/${versionOf(info)}` : `/apis/${groupOf(info)}/${versionOf(info)}`;
const collectionOf = (info: KindInfo) => `${base(info)}${info.namespaced ? "/namespaces/default" : ""}/${info.plural}`;

/** The requests of one role on one kind, in an order that leaves each one something to act on. */
function probes(info: KindInfo, name: string, selector: string, newBody: unknown, current: () => unknown): Probe[] {
  const one = `${collectionOf(info)}/${name}`;
  const applied = {
    apiVersion: (newBody as { apiVersion: string }).apiVersion,
    kind: info.kind,
    metadata: { name, labels: { applied: "yes" } },
  };
  const writes = (dry: boolean): Probe[] => {
    const q = dry ? "?dryRun=All" : "";
    const and = dry ? "&dryRun=All" : "";
    const tag = dry ? " dryRun" : "";
    const status: Probe[] = info.hasStatus
      ? [
          {
            verb: "update",
            subresource: "status",
            what: `update status${tag}`,
            method: "PUT",
            path: `${one}/status${q}`,
            body: current,
          },
          {
            verb: "patch",
            subresource: "status",
            what: `merge patch status${tag}`,
            method: "PATCH",
            path: `${one}/status${q}`,
            body: {},
            type: MERGE,
          },
          {
            verb: "patch",
            subresource: "status",
            what: `JSON patch status${tag}`,
            method: "PATCH",
            path: `${one}/status${q}`,
            body: [{ op: "test", path: "/metadata/name", value: name }],
            type: JSON_PATCH,
          },
          {
            verb: "patch",
            subresource: "status",
            what: `apply status${tag}`,
            method: "PATCH",
            path: `${one}/status?fieldManager=matrix${and}`,
            body: JSON.stringify(applied),
            type: APPLY,
          },
        ]
      : [];
    const approval: Probe[] =
      info.plural === "promotions"
        ? [
            {
              verb: "create",
              subresource: "approval",
              what: `approve${tag}`,
              method: "POST",
              path: `${one}/approval${q}`,
              body: { decision: "Approved" },
            },
          ]
        : [];
    return [
      { verb: "create", what: `create${tag}`, method: "POST", path: `${collectionOf(info)}${q}`, body: newBody },
      { verb: "update", what: `update${tag}`, method: "PUT", path: `${one}${q}`, body: current },
      {
        verb: "patch",
        what: `merge patch${tag}`,
        method: "PATCH",
        path: `${one}${q}`,
        body: { metadata: { labels: { merged: "yes" } } },
        type: MERGE,
      },
      {
        verb: "patch",
        what: `JSON patch${tag}`,
        method: "PATCH",
        path: `${one}${q}`,
        body: [{ op: "add", path: "/metadata/labels/json", value: "yes" }],
        type: JSON_PATCH,
      },
      {
        verb: "patch",
        what: `apply${tag}`,
        method: "PATCH",
        path: `${one}?fieldManager=matrix${and}`,
        body: JSON.stringify(applied),
        type: APPLY,
      },
      ...status,
      ...approval,
    ];
  };
  const reads: Probe[] = [
    { verb: "get", what: "get", method: "GET", path: one },
    { verb: "list", what: "list", method: "GET", path: collectionOf(info) },
    { verb: "watch", what: "watch", method: "GET", path: `${collectionOf(info)}?watch=true&timeoutSeconds=1` },
    ...(info.hasStatus
      ? [{ verb: "get", subresource: "status", what: "get status", method: "GET", path: `${one}/status` }]
      : []),
  ];
  const deletes = (dry: boolean): Probe[] => {
    const q = dry ? "?dryRun=All" : "";
    const tag = dry ? " dryRun" : "";
    return [
      { verb: "delete", what: `delete${tag}`, method: "DELETE", path: `${one}${q}` },
      {
        verb: "deletecollection",
        what: `deletecollection${tag}`,
        method: "DELETE",
        path: `${collectionOf(info)}?labelSelector=${encodeURIComponent(selector)}${dry ? "&dryRun=All" : ""}`,
      },
    ];
  };
  return [...reads, ...writes(true), ...writes(false), ...deletes(true), ...deletes(false)];
}

describe("role matrix", () => {
  let env: TestEnv;
  const tokens = new Map<MatrixRole, string>();
  before(async () => {
    env = await startEnv();
    for (const role of MATRIX_ROLES) tokens.set(role, await env.token(`${role}-user`, role, "default"));
    // The environment the example promotion names, so an approval meets the promotion's phase (409), not a 404.
    const staging = loadExample("estate.yaml").find((d) => d.metadata.name === "staging")!;
    assert.equal(
      (
        await env.request("POST", collection("environments"), {
          ...staging,
          metadata: { name: "staging", namespace: "default" },
        })
      ).status,
      201,
    );
  });
  after(() => env.stop());

  /** Sends a probe as `role`; a watch is answered once its headers arrive, then cut. */
  async function send(role: MatrixRole, p: Probe): Promise<{ status: number; text: string }> {
    const headers: Record<string, string> = { authorization: `Bearer ${tokens.get(role)}` };
    let body: string | undefined;
    const payload = typeof p.body === "function" ? (p.body as () => unknown)() : p.body;
    if (payload !== undefined) {
      body = typeof payload === "string" ? payload : JSON.stringify(payload);
      headers["content-type"] = p.type ?? JSON_TYPE;
    }
    const res = await env.server.app.request(p.path, { method: p.method, headers, body });
    if (p.verb === "watch" && res.status === 200) {
      const reader = res.body!.getReader();
      const first = await reader.read(); // the initial events (the fixture), or nothing yet
      await reader.cancel();
      return { status: res.status, text: first.value ? new TextDecoder().decode(first.value) : "" };
    }
    return { status: res.status, text: await res.text() };
  }

  test("every subresource the server serves is one the matrix probes", () => {
    // A new action subresource must be added to probes() (and role-policy.ts) before it ships unprobed.
    const served = kinds.flatMap((k) => [
      ...(k.hasStatus ? [`${k.plural}/status`] : []),
      ...(k.subresources ?? []).map((s) => `${k.plural}/${s}`),
    ]);
    const probed = kinds.flatMap((k) =>
      probes(k, "n", "a=b", {}, () => ({}))
        .filter((p) => p.subresource)
        .map((p) => `${k.plural}/${p.subresource}`),
    );
    assert.deepEqual([...new Set(probed)].sort(), [...new Set(served)].sort());
  });

  for (const role of MATRIX_ROLES) {
    for (const info of kinds) {
      const resource = groupOf(info) ? `${info.plural}.${groupOf(info)}` : info.plural;
      test(`${role} on ${resource}`, async () => {
        // Two kinds may share one storage (core and events.k8s.io Events), so the name carries the group.
        const name = `${role}-${resource.replaceAll(".", "-")}`.slice(0, 60);
        const labels = { matrix: name };
        const fixture = objectOf(info, name, labels, SECRET);
        const created = await env.request("POST", collectionOf(info), fixture);
        assert.equal(created.status, 201, `fixture: ${created.text}`);
        const fixtureName = created.body.metadata.name as string;
        if (info.plural === "secrets")
          assert.ok(
            LEAKS.some((l) => created.text.includes(l)),
            "the fixture holds the value the checks look for",
          );
        const newBody = objectOf(info, `${name}-new`, { other: "yes" }, SECRET);
        const current = () => latest;
        let latest: unknown;
        const mismatches: string[] = [];
        for (const p of probes(info, fixtureName, `matrix=${name}`, newBody, current)) {
          latest = (await env.request("GET", `${collectionOf(info)}/${fixtureName}`)).body;
          const res = await send(role, p);
          const allowed = documentedAllows(role, info.plural, p.subresource, p.verb);
          const rbacRefusal = res.status === 403 && /cannot /.test(JSON.parse(res.text || "{}").message ?? "");
          const expected = allowed ? (policyAnswer(info.plural, p.verb, p.subresource) ?? "2xx") : "403 (role)";
          const got = rbacRefusal ? "403 (role)" : res.status < 300 ? "2xx" : res.status;
          if (got !== expected)
            mismatches.push(`${p.what}: expected ${expected}, got ${res.status} ${res.text.slice(0, 200)}`);
          if (!SECRET_READERS.includes(role) && LEAKS.some((l) => res.text.includes(l)))
            mismatches.push(`${p.what}: the response carries the secret value`);
        }
        assert.deepEqual(mismatches, []);
      });
    }
  }
});
