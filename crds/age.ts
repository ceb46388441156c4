// Human ages and durations as kubectl prints them (45s, 5m10s, 3h, 2d, 3y): how a kind's Table
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
