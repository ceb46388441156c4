// The nomad-job artifact: one Nomad job per (namespace, environment, target) of Stella, one task
// group per component running the image by digest with the docker task driver on host networking,
// static ports as the deployment assigned them, service checks from the component's health check,
// and an `update` block from the deployment's strategy. Every group asks for one canary: a new
// release (Stella's other slot) starts beside the old allocations, and promotion (remove of the
// old units) or failure (remove of the new ones, or Nomad's auto_revert) ends the rollout.
// Secret-backed env values are `$(secret:NAME/KEY)` references here; apply registers the values.
import { durationMillis } from "../../../crds/duration.ts";
import type { HealthCheck } from "../../../crds/health-check.ts";
import {
  MANAGED_BY,
  UnitLabels,
  type DesiredUnit,
  type RenderedArtifact,
  type UnitEnv,
  type UnitSet,
} from "../../../sdk/plugins/driver.ts";
import { formatPorts, portEnv, secretReference, stableJson } from "../../engine/index.ts";
import type { NomadCheck, NomadGroup, NomadJob, NomadUpdate } from "./job.ts";

/** RenderedArtifact.type of a Nomad job. */
export const NOMAD_JOB = "nomad-job";
export const NOMAD_JOB_MEDIA_TYPE = "application/json";

const NS = 1e6; // nanoseconds per millisecond
const SECOND = 1000 * NS;

/** Stella's label keys as Nomad meta keys (`stella.io/release` -> `stella_io_release`). */
export const metaKey = (label: string): string => label.replace(/[^A-Za-z0-9]/g, "_");
/** The meta key of the fingerprint that drift detection compares (see drift.ts). */
export const FINGERPRINT = "stella_io_fingerprint";

/** Where the job goes: what the target's settings say. */
export interface JobPlacement {
  datacenters: string[];
  nodePool?: string;
}

/** The job's ID for a unit set's scope. */
export const jobId = (set: Pick<UnitSet, "namespace" | "environment" | "target">): string =>
  `stella-${set.namespace}-${set.environment}-${set.target}`;

/** The job of `set`; `value` gives each env entry's value (a reference, or the Secret's value). */
export function renderJob(set: UnitSet, placement: JobPlacement, value: (env: UnitEnv) => string): NomadJob {
  const units = [...set.units].sort((a, b) => (a.component < b.component ? -1 : a.component > b.component ? 1 : 0));
  const meta = (label: string, v: string) => [metaKey(label), v] as const;
  return {
    ID: jobId(set),
    Name: jobId(set),
    Type: "service",
    Datacenters: placement.datacenters,
    ...(placement.nodePool ? { NodePool: placement.nodePool } : {}),
    Meta: Object.fromEntries([
      meta(UnitLabels.managedBy, MANAGED_BY),
      meta(UnitLabels.namespace, set.namespace),
      meta(UnitLabels.environment, set.environment),
      meta(UnitLabels.target, set.target),
      meta(UnitLabels.release, set.release),
      meta(UnitLabels.slot, set.slot),
    ]),
    TaskGroups: units.map((unit) => renderGroup(set, unit, value)),
  };
}

function renderGroup(set: UnitSet, unit: DesiredUnit, value: (env: UnitEnv) => string): NomadGroup {
  const checks = unit.healthCheck ? serviceChecks(unit, unit.healthCheck) : [];
  return {
    Name: unit.component,
    Count: 1,
    Meta: { [metaKey(UnitLabels.component)]: unit.component, [metaKey(UnitLabels.ports)]: formatPorts(unit.ports) },
    Update: updateBlock(set, unit.healthCheck, checks.length > 0),
    RestartPolicy: { Attempts: 0, Mode: "fail" },
    Networks: [{ Mode: "host", ReservedPorts: unit.ports.map((p) => ({ Label: p.name, Value: p.hostPort })) }],
    Tasks: [
      {
        Name: unit.component,
        Driver: "docker",
        Config: {
          image: unit.imageRef,
          network_mode: "host",
          ...(unit.command ? { entrypoint: unit.command } : {}),
          ...(unit.args ? { args: unit.args } : {}),
          ...(unit.workingDir ? { work_dir: unit.workingDir } : {}),
        },
        ...(unit.user ? { User: unit.user } : {}),
        Env: Object.fromEntries([...portEnv(unit), ...unit.env.map((e) => `${e.name}=${value(e)}`)].map(splitEnv)),
        KillTimeout: 10 * SECOND,
        ...(checks.length
          ? {
              Services: [
                {
                  Name: `${set.namespace}-${set.environment}-${unit.component}`,
                  Provider: "nomad" as const,
                  PortLabel: checks[0].PortLabel,
                  Checks: checks,
                },
              ],
            }
          : {}),
      },
    ],
  };
}

/**
 * The update block: Rolling replaces maxParallel at a time and promotes itself once the canary is
 * healthy; AllAtOnce replaces everything at once; BlueGreen (and no strategy) waits for Stella to
 * promote. auto_revert always: a canary that fails its checks sends the job back to the last
 * stable version, which is the previous release still running beside it.
 */
function updateBlock(set: UnitSet, check: HealthCheck | undefined, hasChecks: boolean): NomadUpdate {
  const type = set.strategy?.type;
  const interval = (check?.interval && durationMillis(check.interval)) || 10_000;
  const start = (check?.startPeriod && durationMillis(check.startPeriod)) || 0;
  const healthy = start + interval * (check?.unhealthyThreshold ?? 3) + 5000;
  return {
    MaxParallel: type === "AllAtOnce" ? 0 : (set.strategy?.maxParallel ?? 1),
    Canary: 1,
    AutoPromote: type === "Rolling" || type === "AllAtOnce",
    AutoRevert: true,
    MinHealthyTime: Math.max(1000, interval * ((check?.healthyThreshold ?? 1) - 1)) * NS,
    HealthyDeadline: healthy * NS,
    ProgressDeadline: (healthy + 60_000) * NS,
    HealthCheck: hasChecks ? "checks" : "task_states",
  };
}

/** Service checks for http and tcp probes; exec probes stay Stella's (through alloc exec). */
function serviceChecks(unit: DesiredUnit, check: HealthCheck): NomadCheck[] {
  const probe = check.http ?? check.tcp;
  if (!probe) return [];
  const port = unit.ports.find((p) => p.name === probe.port || p.containerPort === probe.port);
  if (!port) return [];
  const interval = ((check.interval && durationMillis(check.interval)) || 10_000) * NS;
  const timeout = ((check.timeout && durationMillis(check.timeout)) || 1000) * NS;
  return [
    {
      Name: `${unit.component}-${check.http ? "http" : "tcp"}`,
      Type: check.http ? "http" : "tcp",
      ...(check.http ? { Path: check.http.path ?? "/" } : {}),
      PortLabel: port.name,
      Interval: interval,
      Timeout: timeout,
    },
  ];
}

const splitEnv = (entry: string): [string, string] => [
  entry.slice(0, entry.indexOf("=")),
  entry.slice(entry.indexOf("=") + 1),
];

/** An env entry's value as the artifact shows it. */
export const referenceValue = (env: UnitEnv): string =>
  env.secretKeyRef ? secretReference(env.secretKeyRef) : (env.value ?? "");

/** The artifact of `set`: the job as registered, but with Secret references and without Stella's bookkeeping meta. */
export function renderJobArtifact(set: UnitSet, placement: JobPlacement): RenderedArtifact {
  return {
    type: NOMAD_JOB,
    mediaType: NOMAD_JOB_MEDIA_TYPE,
    content: stableJson(renderJob(set, placement, referenceValue)),
  };
}
