// Times and durations as the screens show them.
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds in a duration such as 90s or 1h30m (0 when it cannot be read). */
export function durationMs(text: string | undefined): number {
  let total = 0;
  for (const [, amount, unit] of (text ?? "").matchAll(/([0-9.]+)(ms|s|m|h)/g)) total += Number(amount) * UNIT_MS[unit];
  return total;
}

/** A span of milliseconds in words: 45s, 12m, 3h 5m, 2d 4h. */
export function span(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
  return `${Math.floor(s / 86400)}d ${Math.floor((s % 86400) / 3600)}h`;
}

/** How long ago `iso` was, in words. */
export const ago = (iso: string | undefined) => (iso ? `${span(Date.now() - Date.parse(iso))} ago` : "never");

/** A timestamp for a person (local time), with the exact value on hover. */
export const When = ({ iso }: { iso: string | undefined }) =>
  iso ? (
    <time datetime={iso} title={iso}>
      {new Date(iso).toLocaleString()}
    </time>
  ) : (
    <span>—</span>
  );
