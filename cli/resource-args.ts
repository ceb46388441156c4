// The resource arguments kubectl takes: `TYPE`, `TYPE NAME...`, `TYPE/NAME...` and
// `TYPE1,TYPE2`, where TYPE is a plural, singular, short name or Kind (case-insensitive).
import { kinds, resolveResource } from "../crds/scheme.ts";
import type { KindInfo } from "../crds/scheme-types.ts";
import { UsageError } from "./command.ts";
import { suggestions } from "./suggest.ts";

/** A kind and the object names asked for (none: every object, or those a selector picks). */
export interface ResourceRef {
  info: KindInfo;
  names: string[];
}

/** The kind a user means by `word`; a usage error naming api-resources when there is none. */
export function kindOf(word: string): KindInfo {
  const info = resolveResource(word);
  if (!info) {
    const near = suggestions(word, [...new Set(kinds.flatMap((k) => [k.plural, k.singular]))]);
    const hint = near.length
      ? `; did you mean ${near.slice(0, 2).join(" or ")}?`
      : ' ("stella api-resources" lists them)';
    throw new UsageError(`the server doesn't have a resource type "${word}"${hint}`);
  }
  return info;
}

/** Parses resource arguments; an empty list is a usage error naming `what` the command needs. */
export function parseResourceArgs(args: string[], what = "the type of resource"): ResourceRef[] {
  if (args.length === 0)
    throw new UsageError(
      `you must specify ${what}, e.g. "environments" or "environment/dev" ("stella api-resources" lists the types)`,
    );
  if (args.some((a) => a.includes("/"))) {
    const bad = args.find((a) => !a.includes("/"));
    if (bad) throw new UsageError(`"${bad}": when one argument is TYPE/NAME, all must be (or give TYPE NAME...)`);
    const refs: ResourceRef[] = [];
    for (const arg of args) {
      const [type, name, ...extra] = arg.split("/");
      if (!type || !name || extra.length) throw new UsageError(`"${arg}" is not TYPE/NAME`);
      const info = kindOf(type);
      const ref = refs.find((r) => r.info === info);
      if (ref) ref.names.push(name);
      else refs.push({ info, names: [name] });
    }
    return refs;
  }
  const [types, ...names] = args;
  const infos = [...new Set(types.split(",").filter(Boolean).map(kindOf))];
  if (infos.length > 1 && names.length > 0)
    throw new UsageError(
      `names with several resource types: write TYPE/NAME for each, e.g. ${infos[0].singular}/${names[0]}`,
    );
  return infos.map((info) => ({ info, names: [...names] }));
}

/**
 * The name in `NAME` or `TYPE/NAME` (e.g. `deployment.release.stella.io/x`, as `-o name` prints) where TYPE must mean
 * `info`.
 */
export function objectNameArg(word: string, info: KindInfo): string {
  const slash = word.indexOf("/");
  if (slash < 0) return word;
  const name = word.slice(slash + 1);
  if (!name || name.includes("/")) throw new UsageError(`"${word}" is not NAME or TYPE/NAME`);
  if (kindOf(word.slice(0, slash)) !== info)
    throw new UsageError(`"${word}" is not a ${info.singular}: give a ${info.singular} name`);
  return name;
}
