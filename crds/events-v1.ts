// events.k8s.io/v1 Event: the newer shape of an event (regarding, note, reportingController,
// series). It is not stored on its own: the apiserver keeps core v1 Events and converts at the edge,
// as kube-apiserver does, so both APIs list, watch and patch the same objects.
import { z } from "zod";
import { objectMeta } from "./meta.ts";
import { EVENT_NOTE_MAX_BYTES, EVENT_TYPES, eventKind, eventSeries, eventSource, eventTime } from "./event.ts";
import { objectReference, type Event } from "./event.ts";
import type { KindInfo } from "./scheme-types.ts";

/** The events API group. */
export const EVENTS_GROUP = "events.k8s.io";
/** Its one version. */
export const EVENTS_VERSION = "v1";

/** A full events.k8s.io/v1 Event. */
export const eventV1Schema = z.strictObject({
  apiVersion: z.literal(`${EVENTS_GROUP}/${EVENTS_VERSION}`),
  kind: z.literal("Event"),
  metadata: objectMeta,
  eventTime: eventTime.optional().meta({ description: "When the event was first observed (MicroTime)." }),
  series: eventSeries.optional(),
  reportingController: z.string().optional(),
  reportingInstance: z.string().optional(),
  action: z.string().max(128).optional(),
  reason: z.string().max(128).optional(),
  regarding: objectReference.optional().meta({ description: "The object this event is about." }),
  related: objectReference.optional(),
  note: z
    .string()
    .refine((s) => new TextEncoder().encode(s).length <= EVENT_NOTE_MAX_BYTES, `at most ${EVENT_NOTE_MAX_BYTES} bytes`)
    .optional(),
  type: z.enum(EVENT_TYPES).optional(),
  deprecatedSource: eventSource.optional(),
  deprecatedFirstTimestamp: eventTime.optional(),
  deprecatedLastTimestamp: eventTime.optional(),
  deprecatedCount: z.number().int().min(0).optional(),
});
export type EventV1 = z.infer<typeof eventV1Schema>;

/** The fields that differ in name: events.k8s.io/v1 name -> core v1 name. The rest are shared. */
const RENAMED = {
  regarding: "involvedObject",
  note: "message",
  reportingController: "reportingComponent",
  deprecatedSource: "source",
  deprecatedFirstTimestamp: "firstTimestamp",
  deprecatedLastTimestamp: "lastTimestamp",
  deprecatedCount: "count",
} as const;

const CORE_TO_V1 = Object.fromEntries(Object.entries(RENAMED).map(([v1, core]) => [core, v1]));
const V1_TO_CORE: Record<string, string> = RENAMED;

function rename(obj: Record<string, unknown>, names: Record<string, string>, apiVersion: string) {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(obj)) out[names[key] ?? key] = value;
  out.apiVersion = apiVersion;
  return out;
}

/** A core v1 field path (`.involvedObject.name`) as events.k8s.io/v1 names it (`.regarding.name`). */
function v1Path(path: string): string {
  const [, first, rest] = /^\.([A-Za-z]+)(.*)$/.exec(path) ?? [];
  return first && CORE_TO_V1[first] ? `.${CORE_TO_V1[first]}${rest}` : path;
}

/** A core v1 Event as events.k8s.io/v1 shows it. Anything not an object passes through. */
export function eventToV1(e: unknown): unknown {
  if (!e || typeof e !== "object" || Array.isArray(e)) return e;
  return rename(e as Record<string, unknown>, CORE_TO_V1, eventV1Kind.group + "/" + EVENTS_VERSION);
}

/** An events.k8s.io/v1 Event as core v1 stores it (involvedObject is always present there). */
export function eventFromV1(e: unknown): unknown {
  if (!e || typeof e !== "object" || Array.isArray(e)) return e;
  const core = rename(e as Record<string, unknown>, V1_TO_CORE, "v1") as Partial<Event>;
  core.involvedObject ??= {};
  return core;
}

/** Registration of events.k8s.io/v1 Event: core v1 Event's storage, converted at the edge. */
export const eventV1Kind: KindInfo = {
  kind: "Event",
  plural: "events",
  singular: "event",
  // No short name: `ev` is core v1 events for kubectl (and EvidencePacket's for the stella CLI).
  shortNames: [],
  namespaced: true,
  group: EVENTS_GROUP,
  version: EVENTS_VERSION,
  schema: eventV1Schema,
  hasStatus: false,
  printerColumns: eventKind.printerColumns.map((c) => ({
    ...c,
    jsonPath: v1Path(c.jsonPath),
    cell: (o: unknown) => c.cell?.(eventFromV1(o)),
  })),
  selectableFields: [
    ...["apiVersion", "kind", "name", "namespace", "uid"].map((f) => `regarding.${f}`),
    "reason",
    "reportingController",
    "type",
  ],
  storedAs: { info: eventKind, toStorage: eventFromV1, fromStorage: eventToV1 },
  description: eventKind.description,
};
