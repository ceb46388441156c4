// Event: core v1 Event, field for field as Kubernetes has it (no spec, no status), so `kubectl
// describe` finds an object's events and `kubectl get events` lists them. events.k8s.io/v1 Event
// (events-v1.ts) is the same stored object seen through another version.
import { z } from "zod";
import { objectMeta, timestamp } from "./meta.ts";
import { CORE_GROUP, CORE_VERSION } from "./namespace.ts";
import type { KindInfo } from "./scheme-types.ts";

/** The two event types Kubernetes knows. */
export const EVENT_TYPES = ["Normal", "Warning"] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** The longest message (note) the API keeps, as events.k8s.io validates the note: 1 kB. */
export const EVENT_NOTE_MAX_BYTES = 1024;

/** A time that Go clients send as null when unset (a zero metav1.Time). */
export const eventTime = timestamp.nullable();

/** core/v1 ObjectReference: what an event is about. */
export const objectReference = z.strictObject({
  apiVersion: z.string().optional(),
  kind: z.string().optional(),
  name: z.string().optional(),
  namespace: z.string().optional(),
  uid: z.string().optional(),
  resourceVersion: z.string().optional(),
  fieldPath: z.string().optional().meta({ description: "A part of the object, e.g. spec.targets[0]." }),
});
export type ObjectReference = z.infer<typeof objectReference>;

/** core/v1 EventSource: the component (and host) that reported an event. */
export const eventSource = z.strictObject({
  component: z.string().optional(),
  host: z.string().optional(),
});

/** core/v1 EventSeries: a run of the same event, counted by the reporter. */
export const eventSeries = z.strictObject({
  count: z.number().int().min(0).optional(),
  lastObservedTime: eventTime.optional(),
});

/** A full core v1 Event. */
export const eventSchema = z.strictObject({
  apiVersion: z.literal(CORE_VERSION),
  kind: z.literal("Event"),
  metadata: objectMeta,
  involvedObject: objectReference.meta({ description: "The object this event is about." }),
  reason: z.string().max(128).optional().meta({ description: "Why, in UpperCamelCase, e.g. RolledBack." }),
  message: z.string().optional().meta({ description: "What happened, for a person." }),
  source: eventSource.optional(),
  firstTimestamp: eventTime.optional(),
  lastTimestamp: eventTime.optional(),
  count: z.number().int().min(0).optional().meta({ description: "How many times this event was seen." }),
  type: z.enum(EVENT_TYPES).optional(),
  eventTime: eventTime.optional(),
  series: eventSeries.optional(),
  action: z.string().max(128).optional(),
  related: objectReference.optional(),
  reportingComponent: z.string().optional().meta({ description: "The controller that reported it." }),
  reportingInstance: z.string().optional(),
});
export type Event = z.infer<typeof eventSchema>;

/** Registration of the core v1 Event kind. */
export const eventKind: KindInfo = {
  kind: "Event",
  plural: "events",
  singular: "event",
  // `ev` is EvidencePacket's (DESIGN.md); kubectl would read an `ev` served twice as the first it finds.
  shortNames: [],
  namespaced: true,
  group: CORE_GROUP,
  version: CORE_VERSION,
  schema: eventSchema,
  hasStatus: false,
  // Kubernetes' event columns; each reads the object directly so events.k8s.io can reuse them after conversion.
  printerColumns: [
    { name: "Last Seen", type: "date", jsonPath: ".lastTimestamp", cell: (o) => lastSeen(o as Event) },
    { name: "Type", type: "string", jsonPath: ".type", cell: (o) => (o as Event).type },
    { name: "Reason", type: "string", jsonPath: ".reason", cell: (o) => (o as Event).reason },
    {
      name: "Object",
      type: "string",
      jsonPath: ".involvedObject.name",
      cell: (o) => objectOf((o as Event).involvedObject),
    },
    { name: "Message", type: "string", jsonPath: ".message", cell: (o) => (o as Event).message },
    {
      name: "Source",
      type: "string",
      jsonPath: ".source.component",
      priority: 1,
      cell: (o) => (o as Event).source?.component,
    },
    { name: "Count", type: "integer", jsonPath: ".count", priority: 1, cell: (o) => (o as Event).count },
  ],
  selectableFields: [
    "involvedObject.apiVersion",
    "involvedObject.kind",
    "involvedObject.name",
    "involvedObject.namespace",
    "involvedObject.uid",
    "involvedObject.resourceVersion",
    "involvedObject.fieldPath",
    "reason",
    "reportingComponent",
    "source",
    "type",
  ],
  fieldLabels: { source: "source.component" },
  description:
    "A report of something that happened to an object, for a person reading it in time order. Repeats are counted " +
    "into one event (count, lastTimestamp). Events are kept for a bounded time (stella server --event-ttl).",
};

/** When an event was last seen: lastTimestamp, else the series' last observation, else eventTime, else creation. */
export function lastSeen(e: Event): string | undefined {
  return e.lastTimestamp ?? e.series?.lastObservedTime ?? e.eventTime ?? e.metadata.creationTimestamp ?? undefined;
}

/** When an event was first seen: firstTimestamp, else eventTime, else creation. */
export function firstSeen(e: Event): string | undefined {
  return e.firstTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp ?? undefined;
}

/** How kubectl names an event's object: `kind/name`, the kind in lower case. */
export const objectOf = (ref: ObjectReference | undefined): string =>
  ref ? `${(ref.kind ?? "").toLowerCase()}/${ref.name ?? ""}` : "";
