// Deployments, environments and releases for the deployment-command tests, written straight
// through the API as admin — status included, through the status subresource — so the CLI is
// tested without a running deployment controller.
import assert from "node:assert/strict";
import type { DeploymentSpec, DeploymentStatus } from "../../crds/deployment.ts";
import type { EnvironmentStatus } from "../../crds/environment.ts";
import type { TestEnv } from "../env.ts";
import { collection, environment } from "../fixtures.ts";

/** Creates a namespace. */
export async function createNamespace(env: TestEnv, name: string): Promise<void> {
  const r = await env.request("POST", "/api/v1/namespaces", {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name },
  });
  assert.equal(r.status, 201, r.text);
}

/** Creates an object of `plural` and returns it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function create(env: TestEnv, plural: string, namespace: string, obj: object): Promise<any> {
  const r = await env.request("POST", collection(plural, namespace), obj);
  assert.equal(r.status, 201, r.text);
  return r.body;
}

/** Replaces the status of an object through its status subresource. */
export async function setStatus(
  env: TestEnv,
  plural: string,
  namespace: string,
  name: string,
  status: object,
): Promise<void> {
  const url = `${collection(plural, namespace)}/${name}`;
  const live = (await env.request("GET", url)).body;
  const r = await env.request("PUT", `${url}/status`, { ...live, status });
  assert.equal(r.status, 200, r.text);
}

/** Reads an object. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function read(env: TestEnv, plural: string, namespace: string, name: string): Promise<any> {
  const r = await env.request("GET", `${collection(plural, namespace)}/${name}`);
  assert.equal(r.status, 200, r.text);
  return r.body;
}

/** Creates Deployment `name` (release/environment defaulted) and, if given, its status. */
export async function deployment(
  env: TestEnv,
  namespace: string,
  name: string,
  spec: Partial<DeploymentSpec> = {},
  status?: DeploymentStatus,
): Promise<void> {
  await create(env, "deployments", namespace, {
    apiVersion: "release.stella.io/v1alpha1",
    kind: "Deployment",
    metadata: { name, namespace },
    spec: { release: "shop-1-4-0", environment: "dev", ...spec },
  });
  if (status) await setStatus(env, "deployments", namespace, name, status);
}

/** Creates Environment `name` and, if given, its status. */
export async function environmentWith(
  env: TestEnv,
  namespace: string,
  name: string,
  status?: EnvironmentStatus,
): Promise<void> {
  await create(env, "environments", namespace, environment(name, namespace));
  if (status) await setStatus(env, "environments", namespace, name, status);
}

/** Creates a Release pinned by digest (no registry needed). */
export async function release(env: TestEnv, namespace: string, name: string): Promise<void> {
  await create(env, "releases", namespace, {
    apiVersion: "release.stella.io/v1alpha1",
    kind: "Release",
    metadata: { name, namespace },
    spec: {
      version: "1.0.0",
      components: [{ name: "web", image: `127.0.0.1:5000/shop/web@sha256:${"a".repeat(64)}` }],
    },
  });
}
