// Field paths in the notation of managedFields (fieldsV1): each step is a string,
//   f:<name>            a member of an object            f:spec, f:replicas
//   k:<json object>     an associative-list item by key  k:{"name":"web"}
//   v:<json value>      a set item by value              v:"finalizer.example.com"
//   i:<index>           an atomic-list item by position  i:0
// Stella's walkers produce f: and k: steps; v: and i: are understood when read back.

/** A path from the object root, one fieldsV1 step per element. */
export type FieldPath = readonly string[];

/** The step selecting object member `name`. */
export function fieldStep(name: string): string {
  return `f:${name}`;
}

/** The step selecting the list item whose key fields have these values (keys sorted, as Kubernetes writes them). */
export function keyStep(key: Record<string, unknown>): string {
  const sorted = Object.fromEntries(
    Object.keys(key)
      .sort()
      .map((k) => [k, key[k]]),
  );
  return `k:${JSON.stringify(sorted)}`;
}

/** True when `step` is a well-formed fieldsV1 step. */
export function isStep(step: string): boolean {
  const body = step.slice(2);
  switch (step.slice(0, 2)) {
    case "f:":
      return true;
    case "i:":
      return /^(0|[1-9][0-9]*)$/.test(body);
    case "k:":
      return parses(body, (v) => v !== null && typeof v === "object" && !Array.isArray(v));
    case "v:":
      return parses(body, () => true);
    default:
      return false;
  }
}

function parses(json: string, ok: (v: unknown) => boolean): boolean {
  try {
    return ok(JSON.parse(json));
  } catch {
    return false;
  }
}

/** The object member a f: step names, or undefined for other steps. */
export function stepField(step: string): string | undefined {
  return step.startsWith("f:") ? step.slice(2) : undefined;
}

/** A path as Kubernetes prints it in conflicts: `.spec.components[name="web"].image`. */
export function describePath(path: FieldPath): string {
  return path
    .map((step) => {
      const body = step.slice(2);
      switch (step.slice(0, 2)) {
        case "f:":
          return `.${body}`;
        case "k:": {
          const key = JSON.parse(body) as Record<string, unknown>;
          return `[${Object.keys(key)
            .sort()
            .map((k) => `${k}=${JSON.stringify(key[k])}`)
            .join(",")}]`;
        }
        case "v:":
          return `[=${body}]`;
        default:
          return `[${body}]`;
      }
    })
    .join("");
}
