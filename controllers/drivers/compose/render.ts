// The compose file of one unit set: one file per (environment, release, slot), one service per
// component named `<component>-<slot>.<environment>.<namespace>`, so the two slots of an
// environment (and other environments, or namespaces, whose targets share the project) live side
// by side in one project. Containers get the docker driver's deterministic names.
//
// Two label values cannot be literals in the file. The artifact digest is the sha256 of these
// exact bytes, so the file cannot hold its own digest; and the deployment that applies the file
// must not change its bytes (another deployment of the same release in the same slot finds the
// same artifact and leaves the running units alone). Both labels therefore hold interpolation
// variables, `${STELLA_ARTIFACT}` and `${STELLA_DEPLOYMENT}`, which apply sets in the compose
// process's environment: the stored artifact is byte for byte what compose ran, and every
// container carries the digest of the file it came from. Secret values take the same road:
// `${STELLA_SECRET_<n>}` in the file, the value only in the compose process's environment. All use
// the `:?` form, so compose refuses to run (instead of substituting an empty string) when one is
// missing. Every other string is escaped (`$` -> `$$`), so nothing else is interpolated.
import { Document } from "yaml";
import { UnitLabels, type DesiredUnit, type UnitSet } from "../../../sdk/plugins/driver.ts";
import { containerName, portEnv, specLabels, STOP_TIMEOUT_SECONDS } from "../../engine/index.ts";

/** The compose file format written: understood by docker-compose 1.29 (Debian) and `docker compose` v2. */
export const COMPOSE_FILE_VERSION = "2.4";

/** The interpolation variable apply sets to the file's digest (`sha256:<hex>`). */
export const ARTIFACT_VARIABLE = "STELLA_ARTIFACT";

/** The interpolation variable apply sets to the name of the deployment that creates the units. */
export const DEPLOYMENT_VARIABLE = "STELLA_DEPLOYMENT";

/** How long compose waits after SIGTERM before SIGKILL: the docker driver's stop timeout. */
export const STOP_GRACE_PERIOD = `${STOP_TIMEOUT_SECONDS}s`;

/** A Secret key the file refers to through an interpolation variable. */
export interface SecretVariable {
  /** `STELLA_SECRET_<n>`. */
  variable: string;
  ref: { name: string; key: string };
}

/** A rendered compose file and what apply needs to run it. */
export interface ComposeFile {
  /** The file's bytes (UTF-8 YAML); the artifact content. */
  content: string;
  /** Its services, sorted: the arguments of `up`. */
  services: string[];
  /** The variables apply must set to Secret values, in order of first use. */
  secrets: SecretVariable[];
}

/**
 * The compose service of a component of a set: `<component>-<slot>.<environment>.<namespace>`.
 * Unambiguous: component and namespace are DNS labels (no dots), the slot is blue or green.
 */
export const serviceName = (set: Pick<UnitSet, "namespace" | "environment" | "slot">, component: string): string =>
  `${component}-${set.slot}.${set.environment}.${set.namespace}`;

const escape = (value: string): string => value.replaceAll("$", () => "$$");
const required = (variable: string): string => `\${${variable}:?set by Stella at apply}`;

/** Builds a mapping with its keys in sorted order (so YAML output is stable whatever the input order). */
function sortedMap<T>(entries: Iterable<[string, T]>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [key, value] of [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) out[key] = value;
  return out;
}

/** Renders the compose file of `set` for compose project `project`. Pure and deterministic. */
export function renderComposeFile(set: UnitSet, project: string): ComposeFile {
  const secrets = new Map<string, SecretVariable>();
  const secretVariable = (ref: { name: string; key: string }): string => {
    const id = `${ref.name}/${ref.key}`;
    let entry = secrets.get(id);
    if (!entry) {
      entry = { variable: `STELLA_SECRET_${secrets.size}`, ref: { name: ref.name, key: ref.key } };
      secrets.set(id, entry);
    }
    return required(entry.variable);
  };

  const units = [...set.units].sort((a, b) => (a.component < b.component ? -1 : a.component > b.component ? 1 : 0));
  const services: [string, Record<string, unknown>][] = units.map((unit) => {
    return [serviceName(set, unit.component), renderService(set, unit, secretVariable)];
  });

  const doc = new Document({ version: COMPOSE_FILE_VERSION, services: sortedMap(services) });
  doc.commentBefore = header(set, project, [...secrets.values()]);
  return {
    content: doc.toString({ lineWidth: 0 }),
    services: services.map(([name]) => name).sort(),
    secrets: [...secrets.values()],
  };
}

function renderService(
  set: UnitSet,
  unit: DesiredUnit,
  secretVariable: (ref: { name: string; key: string }) => string,
): Record<string, unknown> {
  // PORT and PORT_<NAME> first, then the unit's own variables, later ones winning: the order and
  // outcome of the docker driver's Env list, so a release behaves the same on both drivers.
  const environment = new Map<string, string>();
  for (const entry of portEnv(unit)) {
    const eq = entry.indexOf("=");
    environment.set(entry.slice(0, eq), entry.slice(eq + 1));
  }
  for (const env of unit.env) {
    environment.set(env.name, env.secretKeyRef ? secretVariable(env.secretKeyRef) : escape(env.value ?? ""));
  }
  // The docker driver's labels; artifact and deployment as variables (see the top of this file).
  const labels = Object.entries(specLabels(set, unit.component, unit.ports)).map(([k, v]): [string, string] => [
    k,
    escape(v),
  ]);
  const service: [string, unknown][] = [
    ["container_name", escape(containerName(set, unit.component))],
    ["environment", sortedMap(environment)],
    ["image", escape(unit.imageRef)],
    ["init", true],
    [
      "labels",
      sortedMap([
        ...labels,
        [UnitLabels.artifact, required(ARTIFACT_VARIABLE)],
        [UnitLabels.deployment, required(DEPLOYMENT_VARIABLE)],
      ]),
    ],
    ["network_mode", "host"],
    ["restart", "unless-stopped"],
    ["stop_grace_period", STOP_GRACE_PERIOD],
  ];
  // Kubernetes semantics, as the docker driver: command replaces the image's entrypoint (and with
  // it the image's default command), args replace the command.
  if (unit.command) service.push(["entrypoint", unit.command.map(escape)]);
  if (unit.args) service.push(["command", unit.args.map(escape)]);
  if (unit.workingDir !== undefined) service.push(["working_dir", escape(unit.workingDir)]);
  if (unit.user !== undefined) service.push(["user", escape(unit.user)]);
  return sortedMap(service);
}

function header(set: UnitSet, project: string, secrets: SecretVariable[]): string {
  const lines = [
    ` Generated by Stella: namespace ${set.namespace}, environment ${set.environment}, release ${set.release},`,
    ` slot ${set.slot}, target ${set.target}, compose project ${project}.`,
    ` Run with ${ARTIFACT_VARIABLE}=sha256:<sha256 of this file>, ${DEPLOYMENT_VARIABLE}=<deployment name>` +
      (secrets.length > 0 ? " and the Secret values:" : "."),
    ...secrets.map((s) => `   ${s.variable}: Secret ${s.ref.name}, key ${s.ref.key}`),
  ];
  return lines.join("\n");
}
