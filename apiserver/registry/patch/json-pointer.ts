// JSON pointers (RFC 6901): "/a/b~1c" addresses member "b/c" of member "a". "~1" stands for "/"
// and "~0" for "~"; the empty pointer is the whole document.

/** The unescaped reference tokens of a pointer ([] for ""), or undefined when it is not a valid pointer. */
export function parsePointer(pointer: string): string[] | undefined {
  if (pointer === "") return [];
  if (!pointer.startsWith("/")) return undefined;
  const tokens = pointer.slice(1).split("/");
  if (tokens.some((t) => /~(?![01])/.test(t))) return undefined;
  // ~1 first, then ~0: "~01" is the literal "~1", not "/".
  return tokens.map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** The pointer for the given tokens, escaping "~" and "/". */
export function formatPointer(tokens: readonly string[]): string {
  return tokens.map((t) => "/" + t.replace(/~/g, "~0").replace(/\//g, "~1")).join("");
}

/** The array index a token names ("0", "17"; never "01" or "-1"), or undefined. */
export function arrayIndex(token: string): number | undefined {
  return /^(0|[1-9][0-9]*)$/.test(token) ? Number(token) : undefined;
}
