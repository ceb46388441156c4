// `stella get -w` when the connection is cut: it resumes and says so, missing nothing; when the
// server stays away it ends with a one-line error and exit code 1.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { collection, environment } from "../fixtures.ts";
import { startEnv, type TestEnv } from "../env.ts";
import { TcpProxy } from "../sdk/tcp-proxy.ts";
import { withServer } from "./kubeconfigs.ts";
import { startStella } from "./run-stella.ts";

let env: TestEnv;
let proxy: TcpProxy;
let kubeconfig: string;

before(async () => {
  env = await startEnv({ listen: true });
  proxy = await TcpProxy.start(env.server.url);
  kubeconfig = await withServer(env.server.kubeconfigPath, "proxied", proxy.url);
  await env.request("POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: "shop" } });
  await env.request("POST", collection("environments", "shop"), environment("dev", "shop"));
});
after(async () => {
  await proxy.stop();
  await env.stop();
});

test("a watch cut in the middle resumes from where it was, says so, and misses nothing", async () => {
  const watch = startStella(["get", "env", "-n", "shop", "-w"], { kubeconfig });
  try {
    await watch.waitFor((l) => l.startsWith("dev "));
    await env.request("POST", collection("environments", "shop"), environment("before-cut", "shop"));
    await watch.waitFor((l) => l.startsWith("before-cut "));
    proxy.cut();
    // Written while the watch is down: it must still arrive, once.
    await env.request("POST", collection("environments", "shop"), environment("during-cut", "shop"));
    await watch.waitFor(
      (l) => /^stella get: the watch was interrupted \(.+\); resuming from resourceVersion \d+$/.test(l),
      "stderr",
    );
    await watch.waitFor((l) => l.startsWith("during-cut "));
    await watch.waitFor((l) => /^stella get: watch resumed from resourceVersion \d+$/.test(l), "stderr");
    await env.request("POST", collection("environments", "shop"), environment("after-cut", "shop"));
    await watch.waitFor((l) => l.startsWith("after-cut "));
    const names = watch.stdout.slice(1).map((l) => l.split(/\s+/)[0]);
    assert.deepEqual(names, ["dev", "before-cut", "during-cut", "after-cut"]);
  } finally {
    await watch.stop();
  }
});

test("--watch-only prints changes only; -o name streams names", async () => {
  const only = startStella(["get", "env", "-n", "shop", "--watch-only"], { kubeconfig: env.server.kubeconfigPath });
  const names = startStella(["get", "env", "-n", "shop", "-w", "-o", "name"], {
    kubeconfig: env.server.kubeconfigPath,
  });
  try {
    await names.waitFor((l) => l === "environment.release.stella.io/dev");
    // --watch-only shows nothing until a change, so there is no sign that its watch is open yet: a
    // create made before it is missed by design. Create until one shows (a loaded machine is slow to start it).
    let created = 0;
    while (!only.stdout.some((l) => l.startsWith("watched-only-")) && created < 30) {
      await env.request("POST", collection("environments", "shop"), environment(`watched-only-${created++}`, "shop"));
      await only.waitFor((l) => l.startsWith("watched-only-"), "stdout", 2000).catch(() => undefined);
    }
    await names.waitFor((l) => l === `environment.release.stella.io/watched-only-${created - 1}`);
    const shown = only.stdout.map((l) => l.split(/\s+/)[0]);
    assert.equal(shown[0], "NAME", "the header comes with the first change");
    assert.ok(
      shown.length >= 2 && shown.slice(1).every((n) => n.startsWith("watched-only-")),
      `no list first, only changes: ${shown.join(", ")}`,
    );
  } finally {
    await only.stop();
    await names.stop();
  }
});

test("a server that stays unreachable ends the watch: one line, exit 1", async () => {
  const watch = startStella(["get", "env", "-n", "shop", "-w"], {
    kubeconfig,
    env: { STELLA_WATCH_RECONNECT_SECONDS: "2" },
  });
  try {
    await watch.waitFor((l) => l.startsWith("dev "));
    proxy.blocked = true;
    proxy.cut();
    assert.equal(await watch.exited, 1);
    const last = watch.stderr.at(-1)!;
    assert.match(
      last,
      /^stella get: the watch ended: cannot reach https:\/\/127\.0\.0\.1:\d+: connection reset by the server \(gave up after \d+s\)$/,
    );
  } finally {
    proxy.blocked = false;
    await watch.stop();
  }
});
