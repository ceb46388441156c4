// Which gates a promotion must pass, decided once when it starts and kept in status.gates (every
// planned gate starts Pending): upstream and soak when the environment has upstream environments
// and a soak time, freeze when it has freeze windows, signature when the release asks for
// verification, then the environment's own gates in their order, and approval last.
import { BUILTIN_GATES, type GateStatus } from "../../crds/promotion.ts";
import type { Environment, EnvironmentGate } from "../../crds/environment.ts";
import type { Release } from "../../crds/release.ts";

/** The approval gate's name; its step is the workflow's `approval` step. */
export const APPROVAL_GATE = "approval";

/** The plugin type an environment gate is evaluated by: webhook, metric, or the plugin's name. */
export function gateType(g: EnvironmentGate): string {
  return g.webhook ? "webhook" : g.metric ? "metric" : (g.plugin?.name ?? "plugin");
}

/** The name an environment gate has in status.gates: its own, or `<name>-<type>` when a built-in has that name. */
export function customGateName(g: EnvironmentGate): string {
  return (BUILTIN_GATES as readonly string[]).includes(g.name) ? `${g.name}-${gateType(g)}` : g.name;
}

/** The environment gate shown as `name` in status.gates, if the environment still has it. */
export function gateConfig(env: Environment, name: string): EnvironmentGate | undefined {
  return env.spec.gates?.find((g) => customGateName(g) === name);
}

/** The gates a promotion of `release` into `env` must pass, in order, each Pending. */
export function planGates(env: Environment, release: Release): GateStatus[] {
  const planned: { name: string; type: string }[] = [];
  if (env.spec.upstream?.length) planned.push({ name: "upstream", type: "upstream" });
  if (env.spec.upstream?.length && env.spec.requiredSoak) planned.push({ name: "soak", type: "soak" });
  if (env.spec.freezeWindows?.length) planned.push({ name: "freeze", type: "freeze" });
  if (release.spec.verification) planned.push({ name: "signature", type: "signature" });
  for (const g of env.spec.gates ?? []) planned.push({ name: customGateName(g), type: gateType(g) });
  planned.push({ name: APPROVAL_GATE, type: "approval" });
  return planned.map((g) => ({ ...g, verdict: "Pending", message: "not evaluated yet" }));
}

/** Whether a verdict is final (no longer asked again). */
export const isFinalVerdict = (v: GateStatus["verdict"]): boolean =>
  v === "Passed" || v === "Failed" || v === "Skipped";
