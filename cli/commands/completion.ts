// `stella completion bash|zsh`: prints a completion script for the shell.
import { parseFlags } from "../args.ts";
import { EXIT, UsageError, type Command } from "../command.ts";
import { BASH_SCRIPT, ZSH_SCRIPT } from "../completion/scripts.ts";

/** `stella completion`. */
export const completionCommand: Command = {
  name: "completion",
  summary: "Print a bash or zsh completion script",
  help: `Print a shell completion script. It completes commands, flags, resource types (from the
scheme: environments, env, releases, ...), namespaces, contexts and object names (asked of the
server, briefly, when you press TAB).

Usage: stella completion bash|zsh

Examples:
  source <(stella completion bash)
  stella completion zsh > "\${fpath[1]}/_stella"`,
  async run(argv) {
    // Global flags (`stella -n shop completion bash`) are accepted and ignored, as on every command.
    const { positionals } = parseFlags(argv, {}, true);
    const [shell] = positionals;
    if (positionals.length !== 1 || (shell !== "bash" && shell !== "zsh"))
      throw new UsageError("give the shell: bash or zsh");
    process.stdout.write(shell === "bash" ? BASH_SCRIPT : ZSH_SCRIPT);
    return EXIT.ok;
  },
};
