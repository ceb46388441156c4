// Label selectors in the string syntax of the Kubernetes API (`?labelSelector=`):
// `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`, joined by commas.
import { badRequest } from "../../crds/errors.ts";
import type { LabelSelector } from "../../crds/meta.ts";

/** One parsed requirement of a selector. */
export interface Requirement {
  key: string;
  operator: "In" | "NotIn" | "Exists" | "DoesNotExist";
  values: string[];
}

/** Matches a set of labels. An empty selector matches everything. */
export type LabelMatcher = (labels: Record<string, string> | undefined) => boolean;

const KEY =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Splits on commas that are not inside parentheses. */
function splitTerms(input: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = "";
  for (const ch of input) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === "," && depth === 0) {
      terms.push(current.trim());
      current = "";
    } else current += ch;
  }
  if (current.trim() !== "") terms.push(current.trim());
  return terms;
}

function checkKey(key: string, param: string): string {
  if (!KEY.test(key))
    throw badRequest(`unable to parse requirement: invalid label key "${key}"`, [
      { reason: "FieldValueInvalid", message: `invalid label key "${key}"`, field: param },
    ]);
  return key;
}

function checkValue(value: string, param: string): string {
  if (!VALUE.test(value))
    throw badRequest(`unable to parse requirement: invalid label value "${value}"`, [
      { reason: "FieldValueInvalid", message: `invalid label value "${value}"`, field: param },
    ]);
  return value;
}

function parseTerm(term: string, param: string): Requirement {
  const setMatch = /^(\S+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term);
  if (setMatch) {
    const values = setMatch[3].split(",").map((v) => checkValue(v.trim(), param));
    return { key: checkKey(setMatch[1], param), operator: setMatch[2] === "in" ? "In" : "NotIn", values };
  }
  const eqMatch = /^([^!=\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(term);
  if (eqMatch) {
    const op = eqMatch[2] === "!=" ? "NotIn" : "In";
    return { key: checkKey(eqMatch[1], param), operator: op, values: [checkValue(eqMatch[3], param)] };
  }
  if (term.startsWith("!")) return { key: checkKey(term.slice(1).trim(), param), operator: "DoesNotExist", values: [] };
  return { key: checkKey(term, param), operator: "Exists", values: [] };
}

/** Parses `?labelSelector=`; throws a 400 Status naming the parameter on bad syntax. */
export function parseLabelSelector(input: string | undefined, param = "labelSelector"): Requirement[] {
  if (!input || input.trim() === "") return [];
  return splitTerms(input).map((t) => parseTerm(t, param));
}

/** Converts a structured LabelSelector (as in Environment.spec.targetSelector) to requirements. */
export function fromLabelSelector(selector: LabelSelector | undefined): Requirement[] {
  if (!selector) return [];
  const reqs: Requirement[] = Object.entries(selector.matchLabels ?? {}).map(([key, v]) => ({
    key,
    operator: "In",
    values: [v],
  }));
  for (const e of selector.matchExpressions ?? [])
    reqs.push({ key: e.key, operator: e.operator, values: e.values ?? [] });
  return reqs;
}

/** Builds a matcher from requirements: all must hold. */
export function labelMatcher(reqs: Requirement[]): LabelMatcher {
  return (labels) =>
    reqs.every((r) => {
      const has = labels !== undefined && Object.prototype.hasOwnProperty.call(labels, r.key);
      const value = has ? labels![r.key] : undefined;
      switch (r.operator) {
        case "In":
          return has && r.values.includes(value!);
        case "NotIn":
          return !has || !r.values.includes(value!);
        case "Exists":
          return has;
        case "DoesNotExist":
          return !has;
      }
    });
}
