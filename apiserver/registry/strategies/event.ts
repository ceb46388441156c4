// Events, in either version (the strategy sees the request's form): an event belongs to its
// object's namespace, and events.k8s.io/v1 keeps Kubernetes' rules for its newer fields (required
// on create, fixed afterwards) while core v1 writes stay as loose as kube-apiserver keeps them.
import type { StatusCause } from "../../../crds/errors.ts";
import type { StellaObject } from "../../../crds/meta.ts";
import type { Strategy } from "../strategy.ts";
import { immutableFields, readPath } from "./immutable.ts";

const isV1 = (obj: StellaObject) => obj.apiVersion !== "v1";
const REQUIRED_V1 = ["eventTime", "reportingController", "reportingInstance", "action", "reason"];
const FIXED_V1 = [
  ...["regarding", "related", "reportingController", "reportingInstance"],
  ...["action", "reason", "type", "eventTime"],
];

function sameNamespace(obj: StellaObject): StatusCause[] {
  const field = isV1(obj) ? "regarding.namespace" : "involvedObject.namespace";
  const ns = readPath(obj, field);
  if (typeof ns !== "string" || ns === "" || ns === obj.metadata.namespace) return [];
  const message = `Invalid value: ${JSON.stringify(ns)}: does not match event.namespace`;
  return [{ reason: "FieldValueInvalid", field, message }];
}

/** Event (core v1 and events.k8s.io/v1). */
export const eventStrategy: Strategy = {
  validateCreate(obj) {
    const unset = (f: string) => [undefined, null, ""].includes(readPath(obj, f) as never);
    const missing = isV1(obj) ? REQUIRED_V1.filter(unset) : [];
    const required = missing.map((field) => ({ reason: "FieldValueRequired", field, message: "Required value" }));
    return [...sameNamespace(obj), ...required];
  },
  validateUpdate(next, old) {
    const fixed = isV1(next) ? immutableFields(next, old, FIXED_V1, "once the event is created") : [];
    return [...sameNamespace(next), ...fixed];
  },
};
