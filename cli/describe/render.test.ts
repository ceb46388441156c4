import { test } from "node:test";
import assert from "node:assert/strict";
import { environmentKind } from "../../crds/environment.ts";
import type { StellaObject } from "../../crds/meta.ts";
import { releaseKind } from "../../crds/release.ts";
import { renderDescription } from "./render.ts";

const now = Date.parse("2026-01-01T12:00:00Z");

test("identity, spec, status, conditions with age, history and related objects", () => {
  const obj = {
    apiVersion: "release.stella.io/v1alpha1",
    kind: "Environment",
    metadata: {
      name: "staging",
      namespace: "shop",
      uid: "u1",
      generation: 2,
      creationTimestamp: "2026-01-01T11:00:00Z",
      labels: { tier: "2" },
      annotations: { "kubectl.kubernetes.io/last-applied-configuration": "{}" },
    },
    spec: { displayName: "Staging", upstream: ["dev"] },
    status: {
      phase: "Ready",
      observedGeneration: 2,
      conditions: [
        {
          type: "Ready",
          status: "True",
          reason: "AllTargetsReady",
          message: "1/1",
          lastTransitionTime: "2026-01-01T11:55:00Z",
        },
      ],
    },
  } as unknown as StellaObject;
  const text = renderDescription({
    info: environmentKind,
    obj,
    now,
    related: {
      ownedBy: [],
      owns: [],
      references: [{ kind: "Environment", name: "dev", via: "spec.upstream[0]" }],
      selects: [],
      referencedBy: [{ kind: "Promotion", name: "p1", via: "spec.environment" }],
    },
  });
  assert.equal(
    text,
    `Name:         staging
Namespace:    shop
Kind:         Environment (release.stella.io/v1alpha1)
Labels:       tier=2
Annotations:  <none>
Created:      2026-01-01T11:00:00Z (60m ago)
Generation:   2 (status observes 2)

Spec:
  Display Name:  Staging
  Upstream:      dev

Status:
  Phase:  Ready

Conditions:
  TYPE    STATUS   REASON            AGE   MESSAGE
  Ready   True     AllTargetsReady   5m    1/1

History:
  AGE   TIME                   EVENT
  60m   2026-01-01T11:00:00Z   created
  5m    2026-01-01T11:55:00Z   condition Ready became True (AllTargetsReady)

Related:
  Owned by:       <none>
  Owns:           <none>
  References:     Environment/dev (spec.upstream[0])
  Referenced by:  Promotion/p1 (spec.environment)
`,
  );
});

test("a release shows each component's tag and the digest it resolved to", () => {
  const obj = {
    apiVersion: "release.stella.io/v1alpha1",
    kind: "Release",
    metadata: { name: "r", namespace: "shop" },
    spec: {
      version: "1",
      components: [
        { name: "web", image: "reg/web:1.4.0" },
        { name: "worker", image: "reg/worker:1.4.0" },
      ],
    },
    status: {
      components: [{ name: "web", image: "reg/web:1.4.0", digest: "sha256:ab", imageRef: "reg/web@sha256:ab" }],
    },
  } as unknown as StellaObject;
  const text = renderDescription({ info: releaseKind, obj, now });
  assert.match(
    text,
    /Images:\n {2}web {6}reg\/web:1\.4\.0 {6}-> {4}reg\/web@sha256:ab\n {2}worker {3}reg\/worker:1\.4\.0 {3}-> {4}\(not resolved yet\)\n/,
  );
  assert.match(text, /Conditions: {4}<none>/);
});
