// `Accept: application/json;as=Table;g=meta.k8s.io;v=v1`: the server renders the columns
// kubectl prints, as for a CustomResourceDefinition's additionalPrinterColumns.
import type { StellaObject } from "../../crds/meta.ts";
import type { KindInfo } from "../../crds/scheme-types.ts";
import { humanAge } from "../../crds/age.ts";
import { cellValue } from "./column-path.ts";

/** Whether the Accept header asks for a Table. */
export const wantsTable = (accept: string | null | undefined): boolean =>
  !!accept && /as=Table/.test(accept) && /g=meta\.k8s\.io/.test(accept);

function columns(info: KindInfo) {
  return [
    {
      name: "Name",
      type: "string",
      format: "name",
      description: "Name must be unique within a namespace.",
      priority: 0,
    },
    ...info.printerColumns.map((c) => ({
      name: c.name,
      type: c.type,
      format: "",
      description: c.description ?? c.jsonPath,
      priority: c.priority ?? 0,
    })),
    { name: "Age", type: "date", format: "", description: "Time since the object was created.", priority: 0 },
  ];
}

function row(info: KindInfo, obj: StellaObject, includeObject: string) {
  const cells = [
    obj.metadata.name,
    ...info.printerColumns.map((c) => {
      const v = c.cell ? (c.cell(obj) ?? null) : cellValue(obj, c.jsonPath);
      return c.type === "date" && typeof v === "string" ? humanAge(v) : v;
    }),
    humanAge(obj.metadata.creationTimestamp),
  ];
  const object =
    includeObject === "None"
      ? undefined
      : includeObject === "Object"
        ? obj
        : { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: obj.metadata };
  return { cells, object };
}

/** A Table of objects (list, get, or one watch event). */
export function toTable(
  info: KindInfo,
  objects: StellaObject[],
  opts: { resourceVersion?: string; continue?: string; includeObject?: string; withColumns?: boolean },
) {
  return {
    kind: "Table",
    apiVersion: "meta.k8s.io/v1",
    metadata: { resourceVersion: opts.resourceVersion, continue: opts.continue },
    columnDefinitions: opts.withColumns === false ? [] : columns(info),
    rows: objects.map((o) => row(info, o, opts.includeObject ?? "Metadata")),
  };
}
