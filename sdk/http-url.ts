// URLs of webhooks and metric providers: what may be shown (no user info, no query), and user info
// turned into a Basic Authorization header, since fetch refuses URLs that carry credentials.

/** A URL safe to show in status and evidence: no user info, no query, no fragment. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return "(invalid URL)";
  }
}

/** The URL without user info, and a Basic Authorization header value for it when it had some. */
export function splitCredentials(url: string | URL): { url: URL; authorization?: string } {
  const u = new URL(url);
  if (!u.username && !u.password) return { url: u };
  const credentials = `${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`;
  u.username = "";
  u.password = "";
  return { url: u, authorization: `Basic ${Buffer.from(credentials, "utf8").toString("base64")}` };
}
