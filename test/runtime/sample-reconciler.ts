// How a third party writes a controller for Stella, using only the sdk and the controller runtime:
// keep each Environment's status.targets and status.totalTargets equal to the Targets its
// selector's matchLabels pick (matchExpressions left out to stay short). Level-triggered: it reads
// the caches, never the event; a Target change wakes the Environments in its namespace.
import { generationChanged, type Manager, type Reconciler } from "../../controllers/runtime/index.ts";
import { environmentKind, type Environment } from "../../crds/environment.ts";
import { targetKind, type Target } from "../../crds/target.ts";
import { NAMESPACE_INDEX } from "../../sdk/index.ts";

/** Adds the environment-targets controller to `mgr`. */
export function addEnvironmentTargetsController(mgr: Manager): void {
  const environments = mgr.informer<Environment>(environmentKind).cache;
  const targets = mgr.informer<Target>(targetKind).cache;
  const api = mgr.client.resource<Environment>(environmentKind);

  const reconciler: Reconciler = {
    async reconcile({ namespace, name }) {
      const env = environments.getByName(namespace, name);
      if (!env) return; // deleted: nothing of ours to clean up
      const picked = targets.select({ namespace, labels: env.spec.targetSelector.matchLabels ?? {} });
      const names = picked.map((t) => t.metadata.name!).sort();
      if (JSON.stringify(env.status?.targets?.map((t) => t.name)) === JSON.stringify(names)) return;
      const targetStatus = names.map((n) => ({ name: n }));
      await api.updateStatus({ ...env, status: { ...env.status, targets: targetStatus, totalTargets: names.length } });
    },
  };

  mgr.addController({
    name: "environment-targets",
    for: environmentKind,
    predicates: [generationChanged()], // our own status writes do not wake us
    watches: [
      {
        kind: targetKind,
        map: (t) =>
          environments
            .byIndex(NAMESPACE_INDEX, t.metadata.namespace!)
            .map((e) => ({ namespace: e.metadata.namespace!, name: e.metadata.name! })),
      },
    ],
    reconciler,
    concurrency: 2,
  });
}
