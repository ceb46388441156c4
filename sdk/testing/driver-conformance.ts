// The driver conformance suite: one function every driver's test calls against its REAL backend
// (docker: the local engine; compose: docker-compose on it; ...). The cases run in order and build
// on each other: apply, re-apply, replace, a second slot beside the first, health checks, failures,
// and removal. A fixture gives the driver, pinned images, a unique scope and free host ports.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import {
  DriverReasons,
  isDriverError,
  MANAGED_BY,
  UnitLabels,
  type Driver,
  type ObservedUnit,
  type RegistryCredential,
  type UnitSet,
} from "../plugins/driver.ts";
import {
  applyContext,
  checkUntil,
  declaring,
  envChecks,
  expectedArtifact,
  only,
  SECRET_REF,
  shellCheck,
  sorted,
  webAndWorker,
  type ConformanceImages,
  type SetScope,
} from "./driver-conformance-units.ts";

export { pinnedImage, registryDigest } from "./registry-digest.ts";
export type { ConformanceImages } from "./driver-conformance-units.ts";

/** What a driver's test gives the suite. */
export interface ConformanceFixture {
  /** The driver under test, bound to `target`. */
  driver: Driver;
  /** The Target name the driver is bound to; units carry it as a label. */
  target: string;
  images: ConformanceImages;
  /** A namespace no one else uses; the suite also uses `<namespace>-other`. */
  namespace: string;
  environment: string;
  /** The first of 40 consecutive host ports that are free on the target. */
  portBase: number;
  /** Credentials for the images' registry, if it needs any. */
  pullCredential?(registry: string): Promise<RegistryCredential | undefined>;
  /**
   * Starts something on the backend that Stella did not start, carrying exactly `labels` (and
   * running the worker image); the suite checks observe ignores it. cleanup() must remove it.
   */
  startForeign?(name: string, labels: Record<string, string>): Promise<void>;
  /** Removes whatever the suite left on the backend in both namespaces and closes the driver. */
  cleanup(): Promise<void>;
}

/** Options of driverConformance. */
export interface DriverConformanceOptions {
  name: string;
  /** Set to skip the whole suite (the backend is not available here). */
  skip?: string;
  setup(): Promise<ConformanceFixture>;
}

/** Registers the driver conformance cases (node:test describe/it) for one driver. */
export function driverConformance(opts: DriverConformanceOptions): void {
  describe(`driver conformance: ${opts.name}`, { skip: opts.skip }, () => {
    let fx: ConformanceFixture;
    let scope: SetScope;
    const secret = `s3cr3t-${randomBytes(6).toString("hex")}`;
    const ctx = () => applyContext(secret, fx.pullCredential?.bind(fx));
    const driver = (): Driver => fx.driver;
    const inScope = () => driver().observe({ namespace: fx.namespace, environment: fx.environment });
    const ids = (units: ObservedUnit[]) => sorted(units).map((u) => u.id);
    // A platform that runs only the exec probes a unit declares (ECS) gets them declared.
    const declared = () => driver().capabilities?.execProbes === "declared";
    const checksOf = (offset: number, greeting = "hello") => envChecks(scope, offset, greeting, secret);
    const set = (release: string, slot: "blue" | "green", offset: number, greeting?: string) => {
      const plain = webAndWorker(scope, release, slot, offset, greeting);
      return declared() ? declaring(plain, { ...checksOf(offset, greeting) }) : plain;
    };

    before(async () => {
      fx = await opts.setup();
      scope = {
        namespace: fx.namespace,
        environment: fx.environment,
        target: fx.target,
        portBase: fx.portBase,
        images: fx.images,
      };
    });
    after(async () => {
      if (!fx) return;
      try {
        for (const namespace of [fx.namespace, `${fx.namespace}-other`])
          await fx.driver.remove(await fx.driver.observe({ namespace }));
      } finally {
        await fx.cleanup();
      }
    });

    it("probe answers with platform info", async () => {
      const info = await driver().probe();
      assert.ok(info.name.length > 0, "platform name");
    });

    it("observe on an empty scope is empty", async () => {
      assert.deepEqual(await driver().observe({ namespace: fx.namespace }), []);
    });

    it("render is deterministic, holds secret references only, and follows the units", () => {
      const r1 = set("r1", "blue", 0);
      const first = driver().render(r1);
      assert.ok(first.length > 0);
      assert.deepEqual(driver().render(structuredClone(r1)), first);
      const text = JSON.stringify(first);
      assert.ok(!text.includes(secret), "an artifact holds a secret value");
      assert.ok(
        text.includes(SECRET_REF.name) && text.includes(SECRET_REF.key),
        "an artifact lacks the secret reference",
      );
      const changed = driver().render(set("r1", "blue", 0, "changed"));
      assert.notEqual(expectedArtifact(changed, "web"), expectedArtifact(first, "web"));
      for (const a of first) assert.ok(a.type.length > 0 && a.mediaType.length > 0 && a.content.length > 0);
    });

    let blue: ObservedUnit[] = [];
    it("apply starts every unit of a set; observe returns them with labels, ports, slot and artifact", async () => {
      const r1 = set("r1", "blue", 0);
      const applied = await driver().apply(r1, ctx());
      const observed = await inScope();
      assert.deepEqual(ids(applied), ids(observed));
      assertMatches(observed, r1, driver().render(r1));
      assert.ok(!JSON.stringify(observed).includes(secret), "observe shows a secret value");
      blue = observed;
    });

    it("apply again with the same set changes nothing", async () => {
      const r1 = set("r1", "blue", 0);
      await driver().apply(r1, ctx());
      assert.deepEqual(ids(await inScope()), ids(blue));
      await driver().apply({ ...r1, deployment: "another-deploy" }, ctx());
      assert.deepEqual(ids(await inScope()), ids(blue), "the same units applied by another deployment are kept");
    });

    it("http check: healthy on the good image", async () => {
      const result = await checkUntil(
        driver(),
        only(blue, "web"),
        { http: { path: "/healthz", port: "http" }, timeout: "2s" },
        true,
      );
      assert.equal(result.healthy, true, result.message);
      assert.ok(result.message.length > 0);
    });

    it("tcp check: healthy on a listening port, unhealthy on a closed one", async () => {
      const up = await driver().check(only(blue, "web"), { tcp: { port: "http" }, timeout: "2s" });
      assert.equal(up.healthy, true, up.message);
      const down = await driver().check(only(blue, "worker"), { tcp: { port: "metrics" }, timeout: "2s" });
      assert.equal(down.healthy, false, down.message);
      assert.ok(down.message.includes(String(fx.portBase + 2)), down.message);
    });

    it("env PORT, PORT_<NAME>, literals and secret values reach the process; exec reports exit status", async () => {
      const web = only(blue, "web");
      if (declared()) {
        // The platform runs the units' own exec checks and reports their verdict.
        const checks = checksOf(0);
        for (const [unit, check] of [
          [web, checks.web],
          [only(blue, "worker"), checks.worker],
        ] as const) {
          const result = await checkUntil(driver(), unit, check, true);
          assert.equal(result.healthy, true, result.message);
        }
        const other = await driver().check(web, shellCheck("exit 0"));
        assert.equal(other.healthy, false, "an exec probe the unit does not declare cannot be answered healthy");
        assert.ok(other.message.length > 0 && !other.message.includes(secret));
        return;
      }
      const script = `test "$PORT" = ${fx.portBase} && test "$PORT_HTTP" = ${fx.portBase} && test "$PORT_ALT_PORT" = ${fx.portBase + 1} && test "$GREETING" = hello && test "$SECRET" = ${secret}`;
      const ok = await driver().check(web, shellCheck(script));
      assert.equal(ok.healthy, true, ok.message);
      const bad = await driver().check(web, shellCheck("exit 3"));
      assert.equal(bad.healthy, false);
      assert.ok(!bad.message.includes(secret));
      const worker = await driver().check(
        only(blue, "worker"),
        shellCheck(`test "$PORT_METRICS" = ${fx.portBase + 2}`),
      );
      assert.equal(worker.healthy, true, worker.message);
    });

    it("apply of a changed set in the same slot replaces its units", async () => {
      const r2 = set("r2", "blue", 0, "changed");
      await driver().apply(r2, ctx());
      const observed = await inScope();
      assertMatches(observed, r2, driver().render(r2));
      for (const unit of blue) assert.ok(!observed.some((u) => u.id === unit.id), `old ${unit.component} still there`);
      const changed = declared() ? checksOf(0, "changed").web : shellCheck('test "$GREETING" = changed');
      const probe = await checkUntil(driver(), only(observed, "web"), changed, true);
      assert.equal(probe.healthy, true, probe.message);
      blue = observed;
    });

    it("two slots run side by side", async () => {
      const r3 = set("r3", "green", 10);
      await driver().apply(r3, ctx());
      const observed = await inScope();
      assert.equal(observed.length, 4);
      assert.deepEqual(ids(await driver().observe({ namespace: fx.namespace, slot: "blue" })), ids(blue));
      const green = await driver().observe({ namespace: fx.namespace, slot: "green" });
      assertMatches(green, r3, driver().render(r3));
      for (const web of [only(observed, "web", "blue"), only(observed, "web", "green")]) {
        const result = await checkUntil(driver(), web, { http: { path: "/healthz", port: "http" } }, true);
        assert.equal(result.healthy, true, `${web.slot}: ${result.message}`);
      }
    });

    it("promote() is there when the platform rolls out by itself, and leaves alone a release it does not hold back", async () => {
      const d = driver();
      if (d.capabilities?.nativeRollout)
        assert.equal(typeof d.promote, "function", "nativeRollout drivers implement promote()");
      const before = ids(await inScope());
      // blue's release runs and waits for nothing; green's, beside it, is what a platform may hold
      await d.promote?.({ namespace: fx.namespace, environment: fx.environment, release: blue[0].release });
      assert.deepEqual(ids(await inScope()), before, "both slots still run");
    });

    it("http check: unhealthy on the broken image, naming the URL and the status", async () => {
      const set: UnitSet = {
        ...webAndWorker({ ...scope, environment: `${fx.environment}-broken` }, "r1", "blue", 20),
        units: [
          {
            component: "web",
            imageRef: fx.images.broken,
            env: [],
            ports: [{ name: "http", containerPort: 8080, hostPort: fx.portBase + 20 }],
          },
        ],
      };
      const [web] = await driver().apply(set, ctx());
      const served = await checkUntil(driver(), web, { http: { path: "/", port: "http" } }, true);
      assert.equal(served.healthy, true, served.message);
      const result = await driver().check(web, { http: { path: "/healthz", port: "http" }, timeout: "2s" });
      assert.equal(result.healthy, false);
      assert.ok(
        result.message.includes(`:${fx.portBase + 20}/healthz`) && result.message.includes("404"),
        result.message,
      );
    });

    it("a missing secret fails with SecretNotFound and starts nothing", async () => {
      const environment = `${fx.environment}-nosecret`;
      const set = webAndWorker({ ...scope, environment }, "r1", "blue", 36);
      set.units[0].env.push({ name: "MISSING", secretKeyRef: { name: "no-such-secret", key: "token" } });
      await assert.rejects(
        driver().apply(set, ctx()),
        (err) => isDriverError(err) && err.reason === DriverReasons.SecretNotFound,
      );
      assert.deepEqual(await driver().observe({ namespace: fx.namespace, environment }), []);
    });

    it("an image digest the registry lacks fails with ImagePullFailed", async () => {
      const environment = `${fx.environment}-nopull`;
      const repository = fx.images.worker.slice(0, fx.images.worker.indexOf("@"));
      const set = webAndWorker({ ...scope, environment }, "r1", "blue", 36);
      set.units = [{ ...set.units[1], imageRef: `${repository}@sha256:${"0".repeat(64)}` }];
      await assert.rejects(
        driver().apply(set, ctx()),
        (err) => isDriverError(err) && err.reason === DriverReasons.ImagePullFailed,
      );
      assert.deepEqual(await driver().observe({ namespace: fx.namespace, environment }), []);
    });

    it("observe ignores other namespaces and whatever lacks Stella's labels", async () => {
      const other = `${fx.namespace}-other`;
      const set = webAndWorker({ ...scope, namespace: other }, "r1", "blue", 30);
      set.units = [set.units[1]];
      await driver().apply(set, ctx());
      const labels = foreignLabels(only(blue, "worker"), fx.target);
      await fx.startForeign?.(`${fx.namespace}-foreign`, labels);
      const mine = await driver().observe({ namespace: fx.namespace });
      assert.ok(mine.every((u) => u.namespace === fx.namespace));
      assert.equal(mine.length, 5, "blue (2) + green (2) + broken (1)");
      assert.equal((await driver().observe({ namespace: other })).length, 1);
      const everything = await driver().observe();
      assert.ok(everything.some((u) => u.namespace === other) && everything.some((u) => u.namespace === fx.namespace));
    });

    it("remove removes the units given and is idempotent", async () => {
      await driver().remove(blue);
      assert.deepEqual(
        await driver().observe({ namespace: fx.namespace, slot: "blue", environment: fx.environment }),
        [],
      );
      assert.equal((await driver().observe({ namespace: fx.namespace, slot: "green" })).length, 2);
      await driver().remove(blue);
      const rest = await driver().observe({ namespace: fx.namespace });
      await driver().remove(rest);
      await driver().remove(rest);
      assert.deepEqual(await driver().observe({ namespace: fx.namespace }), []);
    });
  });
}

/** Asserts `observed` is exactly the units of `set`, running, with everything observe must rebuild. */
function assertMatches(observed: ObservedUnit[], set: UnitSet, artifacts: ReturnType<Driver["render"]>): void {
  const mine = observed.filter((u) => u.slot === set.slot);
  assert.deepEqual(
    mine.map((u) => u.component).sort(),
    set.units.map((u) => u.component).sort(),
    "one unit per component",
  );
  for (const want of set.units) {
    const unit = only(mine, want.component);
    assert.equal(unit.running, true, `${unit.component}: ${unit.state} ${unit.message ?? ""}`);
    assert.ok(unit.id && unit.name, "id and name");
    assert.deepEqual(
      [unit.namespace, unit.environment, unit.release, unit.target, unit.slot, unit.imageRef],
      [set.namespace, set.environment, set.release, set.target, set.slot, want.imageRef],
    );
    assert.ok(unit.deployment.length > 0);
    assert.equal(unit.artifact, expectedArtifact(artifacts, want.component), `${unit.component}: artifact digest`);
    assert.deepEqual(
      unit.ports.map((p) => [p.name, p.hostPort]),
      want.ports.map((p) => [p.name, p.hostPort]),
    );
  }
}

/** The labels of `unit` without the managed-by label: look like Stella's, but are not. */
function foreignLabels(unit: ObservedUnit, target: string): Record<string, string> {
  const labels: Record<string, string> = {
    [UnitLabels.namespace]: unit.namespace,
    [UnitLabels.environment]: unit.environment,
    [UnitLabels.release]: unit.release,
    [UnitLabels.deployment]: unit.deployment,
    [UnitLabels.component]: unit.component,
    [UnitLabels.slot]: unit.slot,
    [UnitLabels.target]: target,
  };
  assert.notEqual(labels[UnitLabels.managedBy], MANAGED_BY);
  return labels;
}
