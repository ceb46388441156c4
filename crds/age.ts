// Human ages and durations as kubectl prints them (45s, 5m10s, 3h, 2d, 3y), and instants as messages
// show them (RFC 3339, to the second): how a kind's Table
// prints time, shared by the apiserver (Table output) and the CLI.

/** kubectl's HumanDuration of `ms` milliseconds. */
export function humanDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return `${m}m${s % 60 ? `${s % 60}s` : ""}`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h`;
  const d = Math.floor(h / 24);
  return d < 365 * 2 ? `${d}d` : `${Math.floor(d / 365)}y`;
}

/** The age of an RFC 3339 timestamp, "<unknown>" when absent or unreadable. */
export function humanAge(timestamp: string | undefined, now = Date.now()): string {
  const t = timestamp ? Date.parse(timestamp) : NaN;
  return Number.isNaN(t) ? "<unknown>" : humanDuration(now - t);
}

/** An instant as RFC 3339 in UTC, to the second (what messages show). */
export function rfc3339(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, "Z");
}
