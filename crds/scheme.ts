// The scheme: every kind Stella serves, and lookups by the names clients use for them.
import { GROUP, VERSION } from "./meta.ts";
import { agentKind } from "./agent.ts";
import { agentWorkKind } from "./agent-work.ts";
import { artifactKind } from "./artifact.ts";
import { canaryKind } from "./canary.ts";
import { deploymentKind } from "./deployment.ts";
import { environmentKind } from "./environment.ts";
import { eventKind } from "./event.ts";
import { eventV1Kind } from "./events-v1.ts";
import { evidencePacketKind } from "./evidence-packet.ts";
import { leaseKind } from "./lease.ts";
import { namespaceKind } from "./namespace.ts";
import { promotionKind } from "./promotion.ts";
import { releaseKind } from "./release.ts";
import { roleBindingKind } from "./role-binding.ts";
import { secretKind } from "./secret.ts";
import { targetKind } from "./target.ts";
import type { KindInfo } from "./scheme-types.ts";

/** Every kind Stella serves: Stella's group, the core kinds, then events.k8s.io (core Event's other version). */
export const kinds: readonly KindInfo[] = [
  environmentKind,
  targetKind,
  agentKind,
  agentWorkKind,
  releaseKind,
  promotionKind,
  deploymentKind,
  canaryKind,
  evidencePacketKind,
  artifactKind,
  leaseKind,
  secretKind,
  roleBindingKind,
  namespaceKind,
  eventKind,
  eventV1Kind,
];

/** The API group of a kind (`""` for the core group). */
export const groupOf = (info: KindInfo): string => info.group ?? GROUP;

/** The API version of a kind within its group. */
export const versionOf = (info: KindInfo): string => info.version ?? VERSION;

/** The apiVersion objects of a kind carry: `group/version`, or just `version` for the core group. */
export const apiVersionOf = (info: KindInfo): string =>
  groupOf(info) ? `${groupOf(info)}/${versionOf(info)}` : versionOf(info);

/** The kind served at `/apis/{group}/{version}/{plural}` (or `/api/v1/{plural}` for group ""). */
export function kindByPlural(group: string, plural: string): KindInfo | undefined {
  return kinds.find((k) => groupOf(k) === group && k.plural === plural);
}

/** The kind with this exact Kind name (case-sensitive, as in manifests). */
export function kindByKind(kind: string): KindInfo | undefined {
  return kinds.find((k) => k.kind === kind);
}

/** The kind a manifest's apiVersion and kind name, or undefined when Stella does not serve it. */
export function kindForObject(apiVersion: string, kind: string): KindInfo | undefined {
  // Two versions may share a Kind name (core v1 and events.k8s.io/v1 Event): match both.
  return kinds.find((k) => k.kind === kind && apiVersionOf(k) === apiVersion);
}

/** The kind a user means by plural, singular, short name or Kind, case-insensitively; `plural.group` too. */
export function resolveResource(name: string): KindInfo | undefined {
  const wanted = name.toLowerCase();
  const dot = wanted.indexOf(".");
  if (dot > 0) {
    const [resource, group] = [wanted.slice(0, dot), wanted.slice(dot + 1)];
    return kinds.find((k) => groupOf(k) === group && names(k).includes(resource));
  }
  return kinds.find((k) => names(k).includes(wanted));
}

const names = (k: KindInfo): string[] =>
  [k.plural, k.singular, k.kind.toLowerCase(), ...k.shortNames].map((n) => n.toLowerCase());

/**
 * The file of a kind's JSON Schema in crds/generated: `<singular>.schema.json`, and for another
 * version of a kind already there (events.k8s.io Event) `<singular>.<group>.schema.json`.
 */
export const kindSchemaFile = (info: KindInfo): string =>
  info.storedAs ? `${info.singular}.${groupOf(info)}.schema.json` : `${info.singular}.schema.json`;
