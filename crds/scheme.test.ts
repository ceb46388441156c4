import { test } from "node:test";
import assert from "node:assert/strict";
import { kindJsonSchema, type JsonSchema } from "./json-schema.ts";
import { apiVersionOf, kindByKind, kindByPlural, kindForObject, kinds, resolveResource } from "./scheme.ts";

test("every kind of DESIGN.md and the later ones are registered", () => {
  const names = kinds.map((k) => k.kind).sort();
  assert.deepEqual(names, [
    "Agent",
    "AgentWork",
    "Artifact",
    "Canary",
    "Deployment",
    "Environment",
    "Event",
    "Event",
    "EvidencePacket",
    "Lease",
    "Namespace",
    "Promotion",
    "Release",
    "RoleBinding",
    "Secret",
    "Target",
  ]);
});

test("plurals, singulars and short names are unique across kinds", () => {
  // A kind stored as another (events.k8s.io Event) shares its names by design. `ev` is
  // EvidencePacket's alone (DESIGN.md), so core Event has no short name here.
  const all = kinds.filter((k) => !k.storedAs).flatMap((k) => [k.plural, k.singular, ...k.shortNames]);
  assert.deepEqual(
    all.filter((n, i) => all.indexOf(n) !== i),
    [],
  );
});

test("kindByPlural looks in the right group", () => {
  assert.equal(kindByPlural("release.stella.io", "releases")?.kind, "Release");
  assert.equal(kindByPlural("", "namespaces")?.kind, "Namespace");
  assert.equal(kindByPlural("release.stella.io", "namespaces"), undefined);
  assert.equal(kindByPlural("", "releases"), undefined);
});

test("kindByKind is exact and kindForObject checks the apiVersion", () => {
  assert.equal(kindByKind("EvidencePacket")?.plural, "evidencepackets");
  assert.equal(kindByKind("evidencepacket"), undefined);
  assert.equal(kindForObject("release.stella.io/v1alpha1", "Target")?.plural, "targets");
  assert.equal(kindForObject("v1", "Target"), undefined);
  assert.equal(kindForObject("v1", "Namespace")?.plural, "namespaces");
});

test("resolveResource takes plural, singular, short name, Kind or plural.group, any case", () => {
  const cases: [string, string | undefined][] = [
    ["env", "Environment"],
    ["Environments", "Environment"],
    ["ENVIRONMENT", "Environment"],
    ["tgt", "Target"],
    ["rel", "Release"],
    ["promo", "Promotion"],
    ["deploy", "Deployment"],
    ["ev", "EvidencePacket"],
    ["EvidencePacket", "EvidencePacket"],
    ["ns", "Namespace"],
    ["canaries", "Canary"],
    ["releases.release.stella.io", "Release"],
    ["releases.apps", undefined],
    ["pods", undefined],
  ];
  for (const [name, kind] of cases) assert.equal(resolveResource(name)?.kind, kind, name);
});

test("the main kinds are in the all and stella categories; every kind is in stella or core", () => {
  for (const kind of ["Environment", "Target", "Agent", "Release", "Promotion", "Deployment", "Canary"]) {
    assert.deepEqual(kindByKind(kind)?.categories, ["all", "stella"], kind);
  }
  for (const info of kinds)
    assert.ok(info.categories?.includes("stella") || apiVersionOf(info) === "v1" || info.storedAs, info.kind);
});

/** The schema a dotted path (with [..] steps skipped into array items) leads to, if any. */
function schemaAt(root: JsonSchema, path: string): JsonSchema | undefined {
  let node: JsonSchema | undefined = root;
  for (const step of path.match(/\.[A-Za-z0-9_]+|\[[^\]]*\]/g) ?? []) {
    if (!node) return undefined;
    if (step.startsWith("[")) node = node.items as JsonSchema | undefined;
    else node = (node.properties as Record<string, JsonSchema> | undefined)?.[step.slice(1)];
  }
  return node;
}

test("every printer column and selectable field points at a field the schema has", () => {
  for (const info of kinds) {
    const schema = kindJsonSchema(info, "draft-2020-12");
    for (const column of info.printerColumns) {
      assert.match(
        column.jsonPath,
        /^(\.[A-Za-z0-9_]+|\[\d+\]|\[\*\]|\[\?\(@\.[A-Za-z]+=="[^"]*"\)\])+$/,
        `${info.kind} ${column.name}`,
      );
      assert.ok(schemaAt(schema, column.jsonPath), `${info.kind} column ${column.name}: ${column.jsonPath}`);
    }
    for (const field of [...info.selectableFields, ...(info.immutableFields ?? [])]) {
      assert.ok(schemaAt(schema, `.${field}`), `${info.kind} field ${field}`);
    }
  }
});

test("the example columns of the brief are there", () => {
  const columns = (kind: string) =>
    kindByKind(kind)
      ?.printerColumns.filter((c) => !c.priority)
      .map((c) => c.name.toUpperCase());
  assert.deepEqual(columns("Environment"), ["CURRENT", "READY", "PHASE"]);
  assert.deepEqual(columns("Release"), ["VERSION", "RESOLVED", "COMPONENTS"]);
  assert.deepEqual(columns("Deployment"), ["RELEASE", "ENVIRONMENT", "STRATEGY", "PHASE", "PROGRESS"]);
  assert.deepEqual(columns("Promotion"), ["RELEASE", "ENVIRONMENT", "PHASE"]);
  assert.deepEqual(columns("Target"), ["DRIVER", "READY", "REASON", "LAST PROBE"]);
  assert.deepEqual(columns("Lease"), ["HOLDER"]);
});
