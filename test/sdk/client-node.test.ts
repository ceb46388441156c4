// The real @kubernetes/client-node (v2) pointed at Stella: its kubeconfig loader reads Stella's
// admin kubeconfig, and its informer lists and watches Stella resources (adds, updates, deletes).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import "./node20-shim.ts";
import {
  CustomObjectsApi,
  KubeConfig,
  makeInformer,
  type KubernetesListObject,
  type KubernetesObject,
} from "@kubernetes/client-node";
import { startEnv, type TestEnv } from "../env.ts";

let env: TestEnv;

before(async () => {
  env = await startEnv({ listen: true });
  await env.request("POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: "k8s" } });
});

after(async () => {
  await env.stop();
});

const path = "/apis/release.stella.io/v1alpha1/namespaces/k8s/environments";
const environment = (name: string, displayName = name) => ({
  apiVersion: "release.stella.io/v1alpha1",
  kind: "Environment",
  metadata: { name, namespace: "k8s" },
  spec: { displayName, targetSelector: { matchLabels: { env: name } } },
});

async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setTimeout(r, 10));
}

test("a client-node informer lists and watches Stella environments", async () => {
  await env.request("POST", path, environment("listed"));
  const kc = new KubeConfig();
  kc.loadFromFile(env.server.kubeconfigPath);
  assert.equal(kc.getCurrentCluster()?.server, env.server.url);
  const api = kc.makeApiClient(CustomObjectsApi);
  const list = () =>
    api.listNamespacedCustomObject({
      group: "release.stella.io",
      version: "v1alpha1",
      namespace: "k8s",
      plural: "environments",
    }) as Promise<KubernetesListObject<KubernetesObject>>;
  const informer = makeInformer<KubernetesObject & { spec?: { displayName?: string } }>(kc, path, list);
  const seen: string[] = [];
  const errors: unknown[] = [];
  informer.on("add", (o) => seen.push(`add ${o.metadata?.name}`));
  informer.on("update", (o) => seen.push(`update ${o.metadata?.name} ${o.spec?.displayName}`));
  informer.on("delete", (o) => seen.push(`delete ${o.metadata?.name}`));
  informer.on("error", (e) => errors.push(e));
  await informer.start();
  try {
    await until(() => seen.includes("add listed"));
    assert.ok(informer.get("listed", "k8s"));

    await env.request("POST", path, environment("watched"));
    await until(() => seen.includes("add watched"));
    await env.request(
      "PATCH",
      `${path}/watched`,
      { spec: { displayName: "renamed" } },
      { "content-type": "application/merge-patch+json" },
    );
    await until(() => seen.includes("update watched renamed"));
    await env.request("DELETE", `${path}/listed`);
    await until(() => seen.includes("delete listed"));

    assert.deepEqual(
      informer.list("k8s").map((o) => o.metadata?.name),
      ["watched"],
    );
    assert.equal(
      informer.get("watched", "k8s")?.metadata?.resourceVersion,
      (await env.request("GET", `${path}/watched`)).body.metadata.resourceVersion,
    );
    assert.deepEqual(errors, []);
  } finally {
    await informer.stop();
  }
});
