// Writing a slot's Run work: the units a set brings replace those of the same components, the
// others stay. Conflicts (the agent's status writes do not touch spec, but another controller
// might) are retried on a fresh read.
import { isConflict } from "../../../crds/errors.ts";
import { agentWorkKind, type AgentWork, type AgentWorkUnit } from "../../../crds/agent-work.ts";
import type { ObservedUnit, UnitSet } from "../../../sdk/plugins/driver.ts";
import { getWork, type WorkPlace } from "./work.ts";

/** The units of a set as a work holds them (with their release and deployment). */
export function workUnits(set: UnitSet): AgentWorkUnit[] {
  return set.units.map((u) => ({ release: set.release, deployment: set.deployment, ...u }) as AgentWorkUnit);
}

/** `units` without those of the components in `gone`. */
export function unitsWithout(units: readonly AgentWorkUnit[], gone: readonly ObservedUnit[]): AgentWorkUnit[] {
  const components = new Set(gone.map((u) => u.component));
  return units.filter((u) => !components.has(u.component));
}

/**
 * Writes work `name`: with `units`, exactly those; otherwise the set's units merged into what is
 * there. Returns the generation written and the units there before (undefined when it was new).
 */
export async function writeRunWork(
  place: WorkPlace,
  name: string,
  set: UnitSet | undefined,
  units?: AgentWorkUnit[],
): Promise<{ written: number; previous?: AgentWorkUnit[] }> {
  const works = place.client.resource<AgentWork>(agentWorkKind);
  for (;;) {
    const existing = await getWork(place, name);
    const previous = existing?.spec.units;
    const incoming = set ? workUnits(set) : [];
    const next = units ?? [
      ...(previous ?? []).filter((u) => !incoming.some((i) => i.component === u.component)),
      ...incoming,
    ];
    try {
      if (!existing) {
        if (!set) return { written: 0 };
        const created = await works.create(
          {
            apiVersion: "release.stella.io/v1alpha1",
            kind: "AgentWork",
            metadata: { name, namespace: place.namespace, labels: { "stella.io/target": place.target } },
            spec: {
              agent: place.agent,
              target: place.target,
              operation: "Run",
              scope: { namespace: set.namespace, environment: set.environment, slot: set.slot },
              ...runtimeOf(place),
              units: next,
            },
          } as AgentWork,
          { fieldManager: "stella-agent-driver" },
        );
        return { written: created.metadata.generation ?? 1 };
      }
      const spec = { ...existing.spec, agent: place.agent, ...runtimeOf(place), units: next };
      const updated = await works.update({ ...existing, spec });
      return { written: updated.metadata.generation ?? 1, previous };
    } catch (err) {
      if (!isConflict(err)) throw err;
    }
  }
}

/** The runtime fields of a work: absent for docker, the runtime and project for compose. */
function runtimeOf(place: WorkPlace): Pick<AgentWork["spec"], "runtime" | "project"> {
  return place.runtime === "compose" ? { runtime: "compose", project: place.project } : {};
}
