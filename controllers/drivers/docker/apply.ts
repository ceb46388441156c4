// Making a unit set run, idempotently: per component, a container of the deterministic name that
// was created from the same artifact is kept (started when stopped); anything else of that
// component in the slot is removed and the container created again. Secrets are resolved and
// images pulled before anything is touched, so a missing Secret or image changes nothing.
import type Docker from "dockerode";
import {
  MANAGED_BY,
  DriverError,
  DriverReasons,
  UnitLabels,
  type ApplyContext,
  type DesiredUnit,
  type ObservedUnit,
  type UnitEnv,
  type UnitSet,
} from "../../../sdk/plugins/driver.ts";
import { artifactDigest } from "../../../crds/artifact.ts";
import {
  engineStatus,
  toDriverError,
  containerName,
  observeUnits,
  ensureImage,
  removeContainer,
  removeUnits,
  stableJson,
} from "../../engine/index.ts";
import { containerSpec, referenceValue } from "./render.ts";

interface Plan {
  unit: DesiredUnit;
  name: string;
  artifact: string;
  keep?: ObservedUnit;
  stale: ObservedUnit[];
}

/** Makes every unit of `set` run on the engine; resolves with the set's units as observed. */
export async function applyUnits(docker: Docker, set: UnitSet, ctx: ApplyContext): Promise<ObservedUnit[]> {
  const secrets = await resolveSecrets(set.units, ctx);
  const scope = { namespace: set.namespace, environment: set.environment, target: set.target, slot: set.slot };
  const existing = await observeUnits(docker, scope, ctx.signal);
  const plans = set.units.map((unit) => plan(set, unit, existing));
  const pulls = new Set(plans.filter((p) => !p.keep).map((p) => p.unit.imageRef));
  await settleAll([...pulls].map((ref) => ensureImage(docker, ref, ctx)));
  await settleAll(plans.map((p) => converge(docker, set, p, secrets, ctx.signal)));
  const components = new Set(set.units.map((u) => u.component));
  return (await observeUnits(docker, scope, ctx.signal)).filter((u) => components.has(u.component));
}

function plan(set: UnitSet, unit: DesiredUnit, existing: ObservedUnit[]): Plan {
  const name = containerName(set, unit.component);
  const artifact = artifactDigest(stableJson(containerSpec(set, unit, referenceValue)));
  const current = existing.filter((u) => u.component === unit.component);
  const keep = current.find(
    (u) => u.name === name && u.artifact === artifact && u.state !== "dead" && u.state !== "removing",
  );
  return { unit, name, artifact, keep, stale: current.filter((u) => u !== keep) };
}

async function converge(
  docker: Docker,
  set: UnitSet,
  p: Plan,
  secrets: Map<string, string>,
  signal?: AbortSignal,
): Promise<void> {
  if (p.keep) {
    if (p.keep.running) return;
    try {
      await docker.getContainer(p.keep.id).start({ abortSignal: signal });
      return;
    } catch (err) {
      if (engineStatus(err) === 304) return; // started meanwhile
      p.stale.push(p.keep); // cannot start it: make it again
    }
  }
  await removeUnits(docker, p.stale, signal);
  const spec = containerSpec(set, p.unit, (env) => envValue(env, secrets));
  const body = {
    name: p.name,
    ...spec,
    Labels: { ...spec.Labels, [UnitLabels.artifact]: p.artifact, [UnitLabels.deployment]: set.deployment },
    abortSignal: signal,
  };
  let container: Docker.Container;
  try {
    container = await docker.createContainer(body);
  } catch (err) {
    if (engineStatus(err) !== 409) throw toDriverError(err, DriverReasons.ApplyFailed, `create ${p.name}`);
    await removeNamesake(docker, p.name, signal);
    container = await docker.createContainer(body).catch((again: unknown) => {
      throw toDriverError(again, DriverReasons.ApplyFailed, `create ${p.name}`);
    });
  }
  try {
    await container.start({ abortSignal: signal });
  } catch (err) {
    if (engineStatus(err) !== 304) throw toDriverError(err, DriverReasons.ApplyFailed, `start ${p.name}`);
  }
}

/** Clears a name held by a container of Stella's that observe did not place; refuses anyone else's. */
async function removeNamesake(docker: Docker, name: string, signal?: AbortSignal): Promise<void> {
  let labels: Record<string, string> | undefined;
  try {
    labels = (await docker.getContainer(name).inspect({ abortSignal: signal })).Config.Labels ?? {};
  } catch (err) {
    if (engineStatus(err) === 404) return;
    throw toDriverError(err, DriverReasons.ApplyFailed, `inspect ${name}`);
  }
  if (labels[UnitLabels.managedBy] !== MANAGED_BY) {
    throw new DriverError(
      DriverReasons.ApplyFailed,
      `container name ${name} is taken by a container Stella does not manage`,
      false,
    );
  }
  await removeContainer(docker, name, signal);
}

/** Every Secret value the units name, read before anything changes on the engine. */
async function resolveSecrets(units: readonly DesiredUnit[], ctx: ApplyContext): Promise<Map<string, string>> {
  const values = new Map<string, string>();
  for (const env of units.flatMap((u) => u.env)) {
    if (!env.secretKeyRef) continue;
    const key = secretKey(env.secretKeyRef);
    if (!values.has(key)) values.set(key, await ctx.secretValue(env.secretKeyRef));
  }
  return values;
}

const secretKey = (ref: { name: string; key: string }) => `${ref.name}/${ref.key}`;
const envValue = (env: UnitEnv, secrets: Map<string, string>): string =>
  env.secretKeyRef ? secrets.get(secretKey(env.secretKeyRef))! : (env.value ?? "");

/** Waits for all; then throws the first failure, so one bad unit does not abandon the others midway. */
async function settleAll(work: Promise<unknown>[]): Promise<void> {
  const failed = (await Promise.allSettled(work)).find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) throw failed.reason;
}
