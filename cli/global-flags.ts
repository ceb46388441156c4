// The flags kubectl accepts on every command, before or after the verb: connection and namespace
// selection, and the request timeout. Every command parses them (parseFlags adds them where a
// command does not declare them) so `stella --kubeconfig F token create …` and
// `stella create --context c namespace shop` work as they do with kubectl; a command that has
// no use for one accepts and ignores it.

/** The global flags, as parseArgs options. */
export const globalFlags = {
  kubeconfig: { type: "string" },
  context: { type: "string" },
  namespace: { type: "string", short: "n" },
  "all-namespaces": { type: "boolean", short: "A" },
  "request-timeout": { type: "string" },
} as const;

/** Flags that may stand before the command or subcommand name: the global ones and -o/--output. */
const LEADING: Record<string, { takesValue: boolean }> = {
  "--kubeconfig": { takesValue: true },
  "--context": { takesValue: true },
  "--namespace": { takesValue: true },
  "-n": { takesValue: true },
  "--all-namespaces": { takesValue: false },
  "-A": { takesValue: false },
  "--request-timeout": { takesValue: true },
  "--output": { takesValue: true },
  "-o": { takesValue: true },
};

/**
 * Moves the flags written before the command (or subcommand) name — `stella -n shop get envs`,
 * `stella create --kubeconfig F namespace shop` — to after it, where the command parses them.
 * Anything else before the name is left for the dispatcher to reject.
 */
export function hoistLeadingFlags(argv: string[]): string[] {
  const leading: string[] = [];
  let i = 0;
  while (i < argv.length && argv[i].startsWith("-")) {
    const word = argv[i];
    const flag = LEADING[word.split("=")[0]];
    if (!flag) break;
    leading.push(word);
    if (flag.takesValue && !word.includes("=") && i + 1 < argv.length) leading.push(argv[++i]);
    i++;
  }
  if (i >= argv.length || leading.length === 0) return argv;
  return [argv[i], ...leading, ...argv.slice(i + 1)];
}
