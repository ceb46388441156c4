// The text of `stella describe` for one object: identity, spec and status as nested fields,
// kind-specific sections, conditions with their age, recent history and related objects.
import type { Event } from "../../crds/event.ts";
import type { Condition, StellaObject } from "../../crds/meta.ts";
import { apiVersionOf } from "../../crds/scheme.ts";
import type { KindInfo } from "../../crds/scheme-types.ts";
import { LAST_APPLIED } from "../apply/last-applied.ts";
import { humanAge } from "../../crds/age.ts";
import type { Palette } from "../output/color.ts";
import { palette } from "../output/color.ts";
import { alignColumns } from "../output/columns.ts";
import { eventLines } from "./events.ts";
import { fieldLines } from "./fields.ts";
import { historyOf } from "./history.ts";
import { kindSections } from "./kind-sections.ts";
import type { Related, Relation } from "./related.ts";

/** What to describe. */
export interface DescribeInput {
  info: KindInfo;
  obj: StellaObject;
  related?: Related;
  /** The object's events; the Events section is left out when undefined. */
  events?: readonly Event[];
  now?: number;
  paint?: Palette;
}

const WIDTH = 14;
const head = (label: string, value: string, width = WIDTH) => `${`${label}:`.padEnd(width)}${value}`;

/** `Labels:` style lines: the first beside the label, the rest aligned under it. */
function listed(label: string, values: string[], width = WIDTH): string[] {
  if (values.length === 0) return [head(label, "<none>", width)];
  return values.map((v, i) => (i === 0 ? head(label, v, width) : " ".repeat(width) + v));
}

const relations = (rs: Relation[]) => rs.map((r) => `${r.kind}/${r.name} (${r.via})`);

/** The full description. */
export function renderDescription({
  info,
  obj,
  related,
  events,
  now = Date.now(),
  paint = palette(false),
}: DescribeInput): string {
  const meta = obj.metadata;
  const status = (obj.status ?? {}) as Record<string, unknown> & {
    conditions?: Condition[];
    observedGeneration?: number;
  };
  const annotations = Object.entries(meta.annotations ?? {}).filter(([k]) => k !== LAST_APPLIED);
  const lines = [head("Name", meta.name ?? "")];
  if (info.namespaced) lines.push(head("Namespace", meta.namespace ?? ""));
  lines.push(
    head("Kind", `${info.kind} (${apiVersionOf(info)})`),
    ...listed(
      "Labels",
      Object.entries(meta.labels ?? {}).map(([k, v]) => `${k}=${v}`),
    ),
    ...listed(
      "Annotations",
      annotations.map(([k, v]) => `${k}=${v.length > 80 ? v.slice(0, 77) + "..." : v}`),
    ),
    head(
      "Created",
      meta.creationTimestamp ? `${meta.creationTimestamp} (${humanAge(meta.creationTimestamp, now)} ago)` : "<unknown>",
    ),
  );
  if (meta.generation !== undefined)
    lines.push(
      head(
        "Generation",
        `${meta.generation}${status.observedGeneration !== undefined ? ` (status observes ${status.observedGeneration})` : ""}`,
      ),
    );
  if (meta.finalizers?.length) lines.push(...listed("Finalizers", meta.finalizers));
  if (meta.deletionTimestamp)
    lines.push(
      head("Deleting", paint.yellow(`since ${meta.deletionTimestamp} (${humanAge(meta.deletionTimestamp, now)})`)),
    );

  const section = (title: string, body: string[]) => lines.push("", `${paint.bold(title)}:`, ...body);
  if (obj.spec && typeof obj.spec === "object") section("Spec", fieldLines(obj.spec as Record<string, unknown>));
  const { conditions = [], observedGeneration: _og, ...restStatus } = status;
  if (Object.keys(restStatus).length > 0) section("Status", fieldLines(restStatus));
  const extra = kindSections[info.kind]?.(obj) ?? [];
  if (extra.length) lines.push("", paint.bold(extra[0]), ...extra.slice(1));

  if (conditions.length === 0) lines.push("", `${paint.bold("Conditions")}:    <none>`);
  else {
    const colour = (s: string) => (s === "True" ? paint.green(s) : s === "False" ? paint.red(s) : paint.yellow(s));
    const rows = alignColumns([
      ["TYPE", "STATUS", "REASON", "AGE", "MESSAGE"],
      ...conditions.map((c) => [
        c.type,
        c.status,
        c.reason ?? "",
        humanAge(c.lastTransitionTime, now),
        c.message ?? "",
      ]),
    ]);
    // Colour after aligning, so escape codes do not skew the columns.
    section(
      "Conditions",
      rows.map((l, i) => "  " + (i === 0 ? l : l.replace(conditions[i - 1].status, colour(conditions[i - 1].status)))),
    );
  }
  const history = historyOf(obj);
  if (history.length > 0)
    section(
      "History",
      alignColumns([["AGE", "TIME", "EVENT"], ...history.map((h) => [humanAge(h.time, now), h.time, h.what])]).map(
        (l) => "  " + l,
      ),
    );
  if (related) {
    lines.push("", `${paint.bold("Related")}:`);
    const rel = (label: string, rs: Relation[]) => listed(`  ${label}`, relations(rs), 18);
    lines.push(
      ...rel("Owned by", related.ownedBy),
      ...rel("Owns", related.owns),
      ...rel("References", related.references),
    );
    if (related.selects.length) lines.push(...rel("Selects", related.selects));
    lines.push(...rel("Referenced by", related.referencedBy));
  }
  if (events) {
    const [title, ...rest] = eventLines(events, now);
    lines.push("", title.replace("Events:", `${paint.bold("Events")}:`), ...rest);
  }
  return lines.join("\n") + "\n";
}
