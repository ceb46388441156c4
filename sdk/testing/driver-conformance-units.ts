// The unit sets, apply context and small helpers the driver conformance suite works with. Ports
// are offsets from the fixture's port base; every set lives in the fixture's namespace.
import { createHash } from "node:crypto";
import type { HealthCheck } from "../../crds/health-check.ts";
import {
  DriverError,
  DriverReasons,
  type ApplyContext,
  type Driver,
  type ObservedUnit,
  type ProbeResult,
  type RegistryCredential,
  type RenderedArtifact,
  type Slot,
  type UnitSet,
} from "../plugins/driver.ts";

/** Pinned images the suite runs; each `repository@sha256:<hex>`. */
export interface ConformanceImages {
  /** Serves HTTP on 127.0.0.1:$PORT with a /healthz (busybox httpd). */
  web: string;
  /** The same server without /healthz. */
  broken: string;
  /** Binds no port and runs until stopped. */
  worker: string;
}

/** Where the suite's sets go: the fixture's scope plus the images. */
export interface SetScope {
  namespace: string;
  environment: string;
  target: string;
  portBase: number;
  images: ConformanceImages;
}

/** The Secret the suite's units read, and its value; the value must never leave the process. */
export const SECRET_REF = { name: "conformance-secret", key: "token" };

/** Builds a set of `web` (ports http, alt-port) and `worker` (port metrics, unbound) in a slot. */
export function webAndWorker(
  scope: SetScope,
  release: string,
  slot: Slot,
  portOffset: number,
  greeting = "hello",
): UnitSet {
  const base = scope.portBase + portOffset;
  return {
    namespace: scope.namespace,
    environment: scope.environment,
    release,
    deployment: `${release}-deploy`,
    target: scope.target,
    slot,
    units: [
      {
        component: "web",
        imageRef: scope.images.web,
        env: [
          { name: "GREETING", value: greeting },
          { name: "SECRET", secretKeyRef: SECRET_REF },
        ],
        ports: [
          { name: "http", containerPort: 8080, hostPort: base },
          { name: "alt-port", containerPort: 8081, hostPort: base + 1 },
        ],
      },
      {
        component: "worker",
        imageRef: scope.images.worker,
        env: [],
        ports: [{ name: "metrics", containerPort: 9090, hostPort: base + 2 }],
      },
    ],
  };
}

/** An apply context holding one Secret (SECRET_REF = `value`) and the fixture's pull credentials. */
export function applyContext(
  value: string,
  pullCredential?: (registry: string) => Promise<RegistryCredential | undefined>,
): ApplyContext {
  return {
    async secretValue(ref) {
      if (ref.name === SECRET_REF.name && ref.key === SECRET_REF.key) return value;
      throw new DriverError(DriverReasons.SecretNotFound, `secret ${ref.name} has no key ${ref.key}`, false);
    },
    pullCredential: pullCredential ?? (async () => undefined),
    progress: () => {},
  };
}

/** `sha256:<hex>` of an artifact's bytes, as drivers label units with it. */
export const artifactDigest = (artifact: RenderedArtifact): string =>
  `sha256:${createHash("sha256").update(artifact.content, "utf8").digest("hex")}`;

/** The digest a unit of `component` must carry: its own artifact's, else the set-wide one's. */
export function expectedArtifact(artifacts: RenderedArtifact[], component: string): string | undefined {
  const own = artifacts.find((a) => a.component === component) ?? artifacts.find((a) => a.component === undefined);
  return own && artifactDigest(own);
}

/** Units sorted by component then slot, so comparisons do not depend on backend order. */
export const sorted = (units: ObservedUnit[]): ObservedUnit[] =>
  [...units].sort((a, b) => a.component.localeCompare(b.component) || a.slot.localeCompare(b.slot));

/** The unit of `component` (and `slot`, when given); throws when there is not exactly one. */
export function only(units: ObservedUnit[], component: string, slot?: Slot): ObservedUnit {
  const found = units.filter((u) => u.component === component && (slot === undefined || u.slot === slot));
  if (found.length !== 1)
    throw new Error(`expected one ${component}${slot ? `/${slot}` : ""} unit, found ${found.length}`);
  return found[0];
}

/** Probes until the result is healthy (`want` true) or not, for up to a minute; returns the last result. */
export async function checkUntil(
  driver: Driver,
  unit: ObservedUnit,
  check: HealthCheck,
  want: boolean,
): Promise<ProbeResult> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const result = await driver.check(unit, check);
    if (result.healthy === want || Date.now() > deadline) return result;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** An exec check running `script` with sh -c. */
export const shellCheck = (script: string): HealthCheck => ({ exec: { command: ["sh", "-c", script] }, timeout: "5s" });

/**
 * Exec checks that pass only when a unit's env reached its process (PORT, PORT_<NAME>, the greeting
 * and the Secret, compared by its sha256 so the check never holds the value).
 */
export function envChecks(
  scope: SetScope,
  portOffset: number,
  greeting: string,
  secret: string,
): { web: HealthCheck; worker: HealthCheck } {
  const base = scope.portBase + portOffset;
  const digest = createHash("sha256").update(secret, "utf8").digest("hex");
  const web = [
    `test "$PORT" = ${base} && test "$PORT_HTTP" = ${base} && test "$PORT_ALT_PORT" = ${base + 1}`,
    `test "$GREETING" = ${greeting} && test "$(printf %s "$SECRET" | sha256sum | cut -c1-64)" = ${digest}`,
  ].join(" && ");
  const every5s = (script: string): HealthCheck => ({ ...shellCheck(script), interval: "5s" });
  return { web: every5s(web), worker: every5s(`test "$PORT_METRICS" = ${base + 2}`) };
}

/** `set` with its units declaring `checks` (by component) as their health checks. */
export const declaring = (set: UnitSet, checks: Record<string, HealthCheck>): UnitSet => ({
  ...set,
  units: set.units.map((u) => (checks[u.component] ? { ...u, healthCheck: checks[u.component] } : u)),
});
