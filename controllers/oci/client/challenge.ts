// WWW-Authenticate challenges (RFC 9110 section 11.6.1) as registries send them:
//   Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull"
//   Basic realm="registry"
// One header may carry several challenges, and quoted values may contain commas.

/** One challenge: the scheme (lowercase) and its parameters (names lowercase). */
export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+/;

/** Parses every challenge of one or more WWW-Authenticate header values; skips what it cannot read. */
export function parseChallenges(headers: string | readonly string[] | undefined): Challenge[] {
  const values = headers === undefined ? [] : typeof headers === "string" ? [headers] : headers;
  return values.flatMap(parseOne);
}

function parseOne(header: string): Challenge[] {
  const challenges: Challenge[] = [];
  let rest = header.trim();
  let current: Challenge | undefined;
  while (rest.length > 0) {
    rest = rest.replace(/^[\s,]+/, "");
    const name = TOKEN.exec(rest)?.[0];
    if (!name) break;
    rest = rest.slice(name.length);
    const afterName = rest.replace(/^\s+/, "");
    if (!afterName.startsWith("=") || !current) {
      // A token not followed by "=" starts a new challenge (token68 forms are ignored).
      current = { scheme: name.toLowerCase(), params: {} };
      challenges.push(current);
      continue;
    }
    rest = afterName.slice(1).replace(/^\s+/, "");
    let value: string;
    if (rest.startsWith('"')) {
      let i = 1;
      value = "";
      while (i < rest.length && rest[i] !== '"') {
        if (rest[i] === "\\" && i + 1 < rest.length) i++;
        value += rest[i++];
      }
      rest = rest.slice(i + 1);
    } else {
      value = /^[^,\s]*/.exec(rest)?.[0] ?? "";
      rest = rest.slice(value.length);
    }
    current.params[name.toLowerCase()] = value;
  }
  return challenges;
}
