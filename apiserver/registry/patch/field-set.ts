// A set of field paths, stored as a tree of fieldsV1 steps: the shape of managedFields[].fieldsV1.
// A node is a "member" when its own path is in the set; in fieldsV1 JSON a member leaf is `{}` and a
// member with children carries `".": {}`. Set operations return new sets; only insert mutates.
import { ManagedFieldsError } from "./errors.ts";
import { isStep } from "./field-path.ts";
import type { FieldPath } from "./field-path.ts";
import { isPlainObject } from "./json-value.ts";

const KIND_ORDER = ["f:", "k:", "v:", "i:"];

/** Orders steps as Kubernetes serializes them: fields, then keys, values, indexes; each lexically. */
export function compareSteps(a: string, b: string): number {
  const byKind = KIND_ORDER.indexOf(a.slice(0, 2)) - KIND_ORDER.indexOf(b.slice(0, 2));
  return byKind !== 0 ? byKind : a < b ? -1 : a > b ? 1 : 0;
}

/** A set of field paths (the fields a manager owns, or the fields a change touched). */
export class FieldSet {
  #member = false;
  readonly #children = new Map<string, FieldSet>();

  /** The set holding exactly these paths. */
  static of(paths: Iterable<FieldPath>): FieldSet {
    const set = new FieldSet();
    for (const path of paths) set.insert(path);
    return set;
  }

  /** Decodes fieldsV1 JSON; throws ManagedFieldsError when it is not well formed. */
  static fromFieldsV1(json: unknown): FieldSet {
    if (!isPlainObject(json)) throw new ManagedFieldsError(undefined, "fieldsV1 must be an object");
    const set = new FieldSet();
    for (const [step, sub] of Object.entries(json)) {
      if (!isPlainObject(sub))
        throw new ManagedFieldsError(undefined, `fieldsV1 entry ${JSON.stringify(step)} must be an object`);
      if (step === ".") {
        if (Object.keys(sub).length > 0) throw new ManagedFieldsError(undefined, 'fieldsV1 "." must be {}');
        set.#member = true;
        continue;
      }
      if (!isStep(step)) throw new ManagedFieldsError(undefined, `invalid fieldsV1 step ${JSON.stringify(step)}`);
      const child = FieldSet.fromFieldsV1(sub);
      if (Object.keys(sub).length === 0) child.#member = true;
      set.#children.set(step, child);
    }
    return set;
  }

  /** Adds a path (and mutates this set); the empty path is ignored. */
  insert(path: FieldPath): this {
    if (path.length === 0) return this;
    const [step, ...rest] = path;
    let next = this.#children.get(step);
    if (!next) this.#children.set(step, (next = new FieldSet()));
    if (rest.length === 0) next.#member = true;
    else next.insert(rest);
    return this;
  }

  /** True when this node's own path is in the set. */
  get member(): boolean {
    return this.#member;
  }

  /** The subtree under one step, if any path goes through it. */
  child(step: string): FieldSet | undefined {
    return this.#children.get(step);
  }

  /** The steps with paths beneath them, in serialization order. */
  steps(): string[] {
    return [...this.#children.keys()].sort(compareSteps);
  }

  /** True when the set contains exactly this path. */
  has(path: FieldPath): boolean {
    if (path.length === 0) return this.#member;
    const [step, ...rest] = path;
    return this.#children.get(step)?.has(rest) ?? false;
  }

  /** True when the set holds no path. */
  isEmpty(): boolean {
    return !this.#member && this.#children.size === 0;
  }

  /** Paths in either set. */
  union(other: FieldSet): FieldSet {
    return this.#combine(
      other,
      (a, b) => a || b,
      (a, b) => (a ? (b ? a.union(b) : a.#copy()) : b!.#copy()),
    );
  }

  /** Paths in this set and not in `other` (exact paths: a member of `other` does not remove what lies beneath it). */
  difference(other: FieldSet): FieldSet {
    return this.#combine(
      other,
      (a, b) => a && !b,
      (a, b) => (a ? (b ? a.difference(b) : a.#copy()) : undefined),
    );
  }

  /** Paths in both sets. */
  intersection(other: FieldSet): FieldSet {
    return this.#combine(
      other,
      (a, b) => a && b,
      (a, b) => (a && b ? a.intersection(b) : undefined),
    );
  }

  /** Paths of this set that neither are nor lie beneath a member of `prefixes`. */
  withoutPrefixes(prefixes: FieldSet): FieldSet {
    const out = new FieldSet();
    out.#member = this.#member && !prefixes.#member;
    if (prefixes.#member) return out;
    for (const [step, child] of this.#children) {
      const p = prefixes.#children.get(step);
      const kept = p ? child.withoutPrefixes(p) : child.#copy();
      if (!kept.isEmpty()) out.#children.set(step, kept);
    }
    return out;
  }

  /** Every path in the set, in serialization order. */
  paths(): FieldPath[] {
    const out: FieldPath[] = this.#member ? [[]] : [];
    for (const step of this.steps()) for (const rest of this.#children.get(step)!.paths()) out.push([step, ...rest]);
    return out;
  }

  /** True when both sets hold the same paths. */
  equals(other: FieldSet): boolean {
    if (this.#member !== other.#member || this.#children.size !== other.#children.size) return false;
    for (const [step, child] of this.#children) {
      const theirs = other.#children.get(step);
      if (!theirs || !child.equals(theirs)) return false;
    }
    return true;
  }

  /** The fieldsV1 JSON of this set, members as `{}` or `".": {}`, steps in Kubernetes order. */
  toFieldsV1(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    if (this.#member && this.#children.size > 0) out["."] = {};
    for (const step of this.steps()) out[step] = this.#children.get(step)!.toFieldsV1();
    return out;
  }

  #copy(): FieldSet {
    return this.union(new FieldSet());
  }

  #combine(
    other: FieldSet,
    member: (a: boolean, b: boolean) => boolean,
    child: (a: FieldSet | undefined, b: FieldSet | undefined) => FieldSet | undefined,
  ): FieldSet {
    const out = new FieldSet();
    out.#member = member(this.#member, other.#member);
    for (const step of new Set([...this.#children.keys(), ...other.#children.keys()])) {
      const a = this.#children.get(step);
      const b = other.#children.get(step);
      const c = a === undefined && b === undefined ? undefined : child(a, b);
      if (c && !c.isEmpty()) out.#children.set(step, c);
    }
    return out;
  }
}
