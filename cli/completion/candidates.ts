// What to offer when the shell asks to complete a `stella` command line: command names, flags,
// subcommands, flag values (namespaces, contexts, formats), resource types from the scheme and
// object names from the server. Pure, given where names come from.
import { kinds, resolveResource } from "../../crds/scheme.ts";
import type { KindInfo } from "../../crds/scheme-types.ts";
import type { Command, FlagOptions } from "../command.ts";
import { commandEntries, findCommand } from "../registry.ts";

/** Where dynamic candidates come from (each may fail; failures offer nothing). */
export interface CompletionSources {
  namespaces(): Promise<string[]>;
  contexts(): Promise<string[]>;
  objectNames(info: KindInfo): Promise<string[]>;
}

/** Commands whose first argument is a resource type and the next ones object names. */
const RESOURCE_COMMANDS = new Set(["get", "describe", "delete", "wait"]);

const FLAG_VALUES: Record<string, string[]> = {
  "--output": ["wide", "yaml", "json", "name", "jsonpath="],
  "--for": ["condition=", "delete", "create", "jsonpath="],
  "--cascade": ["background", "foreground", "orphan"],
  "--dry-run": ["none", "server", "client"],
};

/** Connection flags that may precede the command and take a value. */
const LEADING_WITH_VALUE = new Set(["--kubeconfig", "--context", "--namespace", "-n"]);

/** Every name a resource type answers to, from the scheme. */
export const resourceTypeWords = (): string[] =>
  [...new Set(kinds.flatMap((k) => [k.plural, k.singular, ...k.shortNames]))].sort();

/** `--name` and `-x` spellings of a command's flags. */
function flagWords(options: FlagOptions | undefined): string[] {
  const out = ["--help"];
  for (const [name, o] of Object.entries(options ?? {})) {
    out.push(`--${name}`);
    if (o.short) out.push(`-${o.short}`);
  }
  return out.sort();
}

/** The long name of a flag word (`-o` -> `--output`), given the command's options. */
function longName(word: string, options: FlagOptions | undefined): string {
  if (word.startsWith("--")) return word.split("=")[0];
  const entry = Object.entries(options ?? {}).find(([, o]) => `-${o.short}` === word);
  return entry ? `--${entry[0]}` : word;
}

/** The positional words of `words` (flags and their values skipped). */
function positionalsOf(words: string[], options: FlagOptions | undefined): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (!w.startsWith("-") || w === "-") out.push(w);
    else if (!w.includes("=") && options?.[longName(w, options).slice(2)]?.type === "string") i++;
  }
  return out;
}

/** The candidates for the last word of `words` (the words after `stella`), filtered by its prefix. */
export async function candidates(
  words: string[],
  sources: CompletionSources,
  load: (name: string) => Promise<Command | undefined> = loadCommand,
): Promise<string[]> {
  const cur = words[words.length - 1] ?? "";
  const keep = (list: string[]) => list.filter((c) => c.startsWith(cur));
  const last = words[words.length - 2];
  if (last === "-n" || last === "--namespace") return keep(await quietly(sources.namespaces));
  if (last === "--context") return keep(await quietly(sources.contexts));
  // Connection flags may come before the command (`stella -n shop get ...`).
  let start = 0;
  while (start < words.length - 1 && words[start].startsWith("-"))
    start += LEADING_WITH_VALUE.has(words[start]) ? 2 : 1;
  const done = words.slice(Math.min(start, words.length - 1), -1);
  if (done.length === 0)
    return cur.startsWith("-")
      ? keep([...LEADING_WITH_VALUE, "-A", "--all-namespaces"])
      : keep(commandEntries.filter((c) => c.group).map((c) => c.name));
  const command = await load(done[0]);
  if (!command) return [];
  const options = command.options;
  const prev = done.length > 1 ? longName(done[done.length - 1], options) : "";
  if (prev === "--namespace") return keep(await quietly(sources.namespaces));
  if (prev === "--context") return keep(await quietly(sources.contexts));
  const hints = command.completion;
  const flagKind = hints?.flagKinds?.[prev.slice(2)];
  if (flagKind) return keep(await quietly(() => sources.objectNames(flagKind)));
  const ownValues = hints?.flagValues?.[prev.slice(2)];
  if (ownValues) return keep([...ownValues]);
  if (prev in FLAG_VALUES && options?.[prev.slice(2)]?.type === "string") return keep(FLAG_VALUES[prev]);
  if (prev && options?.[prev.slice(2)]?.type === "string") return []; // a file or free text: the shell's own completion
  if (cur.startsWith("-")) return keep(flagWords(options));

  const positionals = positionalsOf(done.slice(1), options);
  const argumentKind = hints?.argument?.(positionals);
  if (argumentKind) return keep(await quietly(() => sources.objectNames(argumentKind)));
  if (command.subcommands) {
    if (positionals.length === 0) return keep([...command.subcommands]);
    if (command.name === "config" && positionals[0] === "use-context" && positionals.length === 1)
      return keep(await quietly(sources.contexts));
    return [];
  }
  if (command.name === "completion") return positionals.length === 0 ? keep(["bash", "zsh"]) : [];
  if (!RESOURCE_COMMANDS.has(command.name)) return [];
  if (positionals.length === 0) {
    const slash = cur.indexOf("/");
    if (slash < 0) return keep(resourceTypeWords());
    const info = resolveResource(cur.slice(0, slash));
    return info ? keep((await quietly(() => sources.objectNames(info))).map((n) => `${cur.slice(0, slash)}/${n}`)) : [];
  }
  const info = resolveResource(positionals[0]);
  if (!info || positionals[0].includes("/")) return [];
  const taken = new Set(positionals.slice(1));
  return keep((await quietly(() => sources.objectNames(info))).filter((n) => !taken.has(n)));
}

async function loadCommand(name: string): Promise<Command | undefined> {
  const entry = findCommand(name);
  return entry?.group ? entry.load() : undefined;
}

async function quietly(f: () => Promise<string[]>): Promise<string[]> {
  try {
    return await f();
  } catch {
    return [];
  }
}
