// kubectl v1.32 against Stella's events: api-resources, get events (and -w), kubectl events --for,
// and kubectl describe of a Stella object ending with its Events.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { startEnv, type TestEnv } from "../env.ts";
import { collection, environment } from "../fixtures.ts";
import { kubectl, kubectlStream } from "../kubectl.ts";
import { Recorder, clientSink } from "../../sdk/events/index.ts";
import { Client } from "../../sdk/client.ts";
import type { StellaObject } from "../../crds/meta.ts";

let env: TestEnv;
let kubeconfig: string;
let client: Client;
let prod: StellaObject;

before(async () => {
  env = await startEnv({ listen: true });
  kubeconfig = env.server.kubeconfigPath;
  prod = (await env.request("POST", collection("environments"), environment("prod"))).body;
  client = await Client.fromKubeconfig({ path: kubeconfig });
  let now = Date.now() - 120_000;
  const recorder = new Recorder(clientSink(client), {
    component: "environment-controller",
    host: "test",
    now: () => now,
  });
  recorder.event(prod, "Normal", "ReleaseChanged", "now running shop-1-5-0");
  now += 30_000;
  for (let i = 0; i < 3; i++, now += 20_000)
    recorder.event(prod, "Warning", "AllTargetsCordoned", "every target of prod is cordoned");
  await recorder.flush();
});
after(async () => {
  client?.close();
  await env.stop();
});

test("kubectl api-resources lists events (ev) and events.events.k8s.io", async () => {
  const res = await kubectl(kubeconfig, ["api-resources"]);
  assert.equal(res.code, 0, res.stderr);
  const rows = res.stdout.split("\n").map((l) => l.trim().split(/\s+/));
  assert.ok(
    rows.some((r) => r.join(" ") === "events v1 true Event"),
    res.stdout,
  );
  assert.ok(
    rows.some((r) => r.join(" ") === "events events.k8s.io/v1 true Event"),
    res.stdout,
  );
});

test("kubectl get events prints kubectl's columns; field selectors and the events.k8s.io version work", async () => {
  const res = await kubectl(kubeconfig, ["get", "events"]);
  assert.equal(res.code, 0, res.stderr);
  assert.match(res.stdout.split("\n")[0], /^NAME\s+LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE/);
  assert.match(res.stdout, /Warning\s+AllTargetsCordoned\s+environment\/prod\s+every target of prod is cordoned/);
  const warnings = await kubectl(kubeconfig, ["get", "events", "--field-selector", "type=Warning", "-o", "name"]);
  assert.equal(warnings.stdout.trim().split("\n").length, 1, warnings.stdout);
  const v1 = await kubectl(kubeconfig, ["get", "events.events.k8s.io", "-o", "jsonpath={.items[*].note}"]);
  assert.equal(v1.code, 0, v1.stderr);
  assert.match(v1.stdout, /now running shop-1-5-0/);
  const count = await kubectl(kubeconfig, [
    "get",
    "events",
    "--field-selector",
    "reason=AllTargetsCordoned",
    "-o",
    "jsonpath={.items[0].count}",
  ]);
  assert.equal(count.stdout, "3");
});

test("kubectl events --for kind/name lists the object's events in time order", async () => {
  const res = await kubectl(kubeconfig, ["events", "--for", "environment/prod"]);
  assert.equal(res.code, 0, res.stderr);
  const lines = res.stdout.trim().split("\n");
  assert.match(lines[0], /^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE/);
  assert.match(lines[1], /Normal\s+ReleaseChanged\s+Environment\/prod/i);
  assert.match(lines[2], /Warning\s+AllTargetsCordoned\s+Environment\/prod/i);
  const none = await kubectl(kubeconfig, ["events", "--for", "environment/staging"]);
  assert.equal(none.code, 0, none.stderr);
  assert.doesNotMatch(none.stdout, /prod/);
});

test("kubectl describe of a Stella object ends with its events", async () => {
  const res = await kubectl(kubeconfig, ["describe", "environment.release.stella.io", "prod"]);
  assert.equal(res.code, 0, res.stderr);
  const events = res.stdout.slice(res.stdout.indexOf("Events:"));
  assert.match(events, /Type\s+Reason\s+Age\s+From\s+Message/);
  assert.match(events, /Normal\s+ReleaseChanged\s+\S+\s+environment-controller\s+now running shop-1-5-0/);
  assert.match(
    events,
    /Warning\s+AllTargetsCordoned\s+\S+ \(x3 over \S+\)\s+environment-controller\s+every target of prod is cordoned/,
  );
  assert.ok(events.indexOf("ReleaseChanged") < events.indexOf("AllTargetsCordoned"), "oldest first");
});

test("kubectl get events -w prints an event as it is recorded", async () => {
  const w = kubectlStream(kubeconfig, ["get", "events", "-w"]);
  try {
    await w.waitFor((l) => l.includes("AllTargetsCordoned"));
    const recorder = new Recorder(clientSink(client), { component: "environment-controller" });
    recorder.event(prod, "Warning", "Degraded", "one target of prod is not ready");
    await recorder.flush();
    await w.waitFor((l) => /Warning\s+Degraded\s+environment\/prod/.test(l));
  } finally {
    w.child.kill();
  }
});
