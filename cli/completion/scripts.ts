// The shell scripts `stella completion bash|zsh` prints. Both ask `stella __complete WORDS...`
// for candidates, so the logic lives in one place (candidates.ts) for every shell.

/** bash: `source <(stella completion bash)`. When stella offers nothing, bash completes file names. */
export const BASH_SCRIPT = `# bash completion for stella. Load it with:
#   source <(stella completion bash)
# or install it: stella completion bash > /etc/bash_completion.d/stella
_stella_complete() {
  local IFS=$'\\n'
  COMPREPLY=($(stella __complete "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
  if [[ \${#COMPREPLY[@]} -eq 1 && \${COMPREPLY[0]} == *[=/] ]]; then
    compopt -o nospace 2>/dev/null
  fi
}
complete -o default -F _stella_complete stella
`;

/** zsh: `source <(stella completion zsh)`, or save as `_stella` in a directory of $fpath. */
export const ZSH_SCRIPT = `#compdef stella
# zsh completion for stella. Load it with:
#   source <(stella completion zsh)
# or save it as _stella in a directory of $fpath.
_stella() {
  local -a candidates
  candidates=("\${(@f)$(stella __complete "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
  candidates=(\${candidates:#})
  if (( \${#candidates} == 0 )); then
    _files
    return
  fi
  compadd -Q -- "\${candidates[@]}"
}
if [[ "$funcstack[1]" == "_stella" ]]; then
  _stella "$@"
else
  (( $+functions[compdef] )) || { autoload -Uz compinit && compinit; }
  compdef _stella stella
fi
`;
