import { test } from "node:test";
import assert from "node:assert/strict";
import type { StellaObject } from "../../crds/meta.ts";
import { deploymentKind } from "../../crds/deployment.ts";
import { namespaceKind } from "../../crds/namespace.ts";
import { enqueueObject, enqueueOwner } from "./handler.ts";

const child = (refs: { apiVersion: string; kind: string; name: string; controller?: boolean }[]): StellaObject => ({
  apiVersion: "release.stella.io/v1alpha1",
  kind: "Canary",
  metadata: { namespace: "shop", name: "c", ownerReferences: refs.map((r) => ({ uid: `uid-${r.name}`, ...r })) },
});

test("enqueueObject requests the object itself", () => {
  assert.deepEqual(enqueueObject()(child([])), [{ namespace: "shop", name: "c" }]);
});

test("enqueueOwner requests the controlling owner of the owner's kind and group only", () => {
  const obj = child([
    { apiVersion: "release.stella.io/v1alpha1", kind: "Deployment", name: "web", controller: true },
    { apiVersion: "release.stella.io/v1alpha1", kind: "Deployment", name: "also-owner" },
    { apiVersion: "apps/v1", kind: "Deployment", name: "other-group", controller: true },
    { apiVersion: "release.stella.io/v1alpha1", kind: "Release", name: "rel", controller: true },
  ]);
  assert.deepEqual(enqueueOwner(deploymentKind)(obj), [{ namespace: "shop", name: "web" }]);
  assert.deepEqual(enqueueOwner(deploymentKind, { onlyController: false })(obj), [
    { namespace: "shop", name: "web" },
    { namespace: "shop", name: "also-owner" },
  ]);
});

test("a cluster-scoped owner is requested without a namespace", () => {
  const obj = child([{ apiVersion: "v1", kind: "Namespace", name: "shop", controller: true }]);
  assert.deepEqual(enqueueOwner(namespaceKind)(obj), [{ namespace: "", name: "shop" }]);
});
