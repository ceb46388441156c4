// The sdk's watch and informer against a real apiserver, through a proxy that breaks connections:
// resume from the last resourceVersion after a cut, and relist after 410 Gone.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { environmentKind, type Environment } from "../../crds/environment.ts";
import { Client } from "../../sdk/client.ts";
import { Informer } from "../../sdk/informer.ts";
import type { WatchEvent } from "../../sdk/watch.ts";
import { startEnv, type TestEnv } from "../env.ts";
import { TcpProxy } from "./tcp-proxy.ts";

let env: TestEnv;
let proxy: TcpProxy;
let direct: Client;
let proxied: Client;

before(async () => {
  env = await startEnv({ listen: true, eventWindow: 100 });
  direct = await Client.fromKubeconfig({ path: env.server.kubeconfigPath });
  proxy = await TcpProxy.start(env.server.url);
  proxied = Client.fromConfig({ ...direct.transport.config, server: proxy.url });
});

after(async () => {
  direct.close();
  proxied.close();
  await proxy.stop();
  await env.stop();
});

const fast = { backoff: { initialMs: 10, maxMs: 50 } };
const environment = (namespace: string, name: string, displayName = name): Environment => ({
  apiVersion: "release.stella.io/v1alpha1",
  kind: "Environment",
  metadata: { name, namespace },
  spec: { displayName, targetSelector: { matchLabels: { env: name } } },
});

async function namespace(name: string): Promise<void> {
  await env.request("POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name } });
}

async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setTimeout(r, 10));
}

const show = (e: WatchEvent<Environment>) =>
  e.type === "RELIST"
    ? `RELIST ${e.items
        .map((o) => o.metadata.name)
        .sort()
        .join(",")}`
    : e.type === "BOOKMARK"
      ? "BOOKMARK"
      : `${e.type} ${e.object.metadata.name} ${e.object.spec.displayName}`;

async function next(it: AsyncIterator<WatchEvent<Environment>>, skipBookmarks = true): Promise<string> {
  for (;;) {
    const r = await it.next();
    assert.equal(r.done, false);
    if (skipBookmarks && r.value.type === "BOOKMARK") continue;
    return show(r.value);
  }
}

test("a watch cut by the network resumes from its last resourceVersion: nothing missed, nothing repeated", async () => {
  await namespace("cut");
  const envs = direct.resource<Environment>(environmentKind);
  await envs.create(environment("cut", "a"));
  const it = proxied.resource<Environment>(environmentKind).watch({ namespace: "cut", ...fast });
  assert.equal(await next(it), "RELIST a");
  const pending = next(it);
  await until(() => proxy.connections > 0);
  await envs.create(environment("cut", "b"));
  assert.equal(await pending, "ADDED b b");

  proxy.blocked = true;
  proxy.cut();
  for (const n of ["c", "d", "e"]) await envs.create(environment("cut", n));
  await envs.patch("b", { spec: { displayName: "b2" } }, { type: "merge", namespace: "cut" });
  proxy.blocked = false;
  assert.deepEqual(
    [await next(it), await next(it), await next(it), await next(it)],
    ["ADDED c c", "ADDED d d", "ADDED e e", "MODIFIED b b2"],
  );
  await envs.delete("a", { namespace: "cut" });
  assert.equal(await next(it), "DELETED a a");
  await it.return(undefined);
});

test("a watch whose resourceVersion was compacted away relists and reports the new state", async () => {
  await namespace("gone");
  const envs = direct.resource<Environment>(environmentKind);
  await envs.create(environment("gone", "keep"));
  await envs.create(environment("gone", "drop"));
  const it = proxied.resource<Environment>(environmentKind).watch({ namespace: "gone", ...fast });
  assert.equal(await next(it), "RELIST drop,keep");
  const pending = next(it);
  await until(() => proxy.connections > 0);

  proxy.blocked = true;
  proxy.cut();
  await envs.delete("drop", { namespace: "gone" });
  await envs.create(environment("gone", "new"));
  for (let i = 0; i < 30; i++)
    await envs.patch("keep", { spec: { displayName: `v${i}` } }, { type: "merge", namespace: "gone" });
  await env.server.storage.compact(5);
  proxy.blocked = false;
  assert.equal(await pending, "RELIST keep,new");
  await envs.create(environment("gone", "after"));
  assert.equal(await next(it), "ADDED after after");
  await it.return(undefined);
});

test("an informer rides through cuts and 410s and ends with the server's state", async () => {
  await namespace("inf");
  const envs = direct.resource<Environment>(environmentKind);
  for (const n of ["a", "b", "c"]) await envs.create(environment("inf", n));
  const informer = new Informer(proxied.resource<Environment>(environmentKind), { namespace: "inf", ...fast });
  const deleted: string[] = [];
  informer.addHandler({ onDelete: (o) => deleted.push(o.metadata.name!) });
  informer.start();
  await informer.waitForSync();
  assert.equal(informer.cache.size, 3);

  proxy.blocked = true;
  proxy.cut();
  await envs.delete("a", { namespace: "inf" });
  for (let i = 0; i < 20; i++)
    await envs.patch("b", { spec: { displayName: `b${i}` } }, { type: "merge", namespace: "inf" });
  await env.server.storage.compact(5);
  proxy.blocked = false;
  await until(() => informer.cache.getByName("inf", "b")?.spec.displayName === "b19");
  assert.deepEqual(informer.cache.keys().sort(), ["inf/b", "inf/c"]);
  assert.deepEqual(deleted, ["a"]);
  const server = await envs.get("b", { namespace: "inf" });
  assert.equal(informer.cache.getByName("inf", "b")?.metadata.resourceVersion, server.metadata.resourceVersion);
  await informer.stop();
});
