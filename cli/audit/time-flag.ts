// The --since and --until flags of `stella audit`: a duration back from now (90s, 15m, 1h, 7d) or
// an RFC 3339 timestamp, turned into the RFC 3339 time the server filters by.
import { timestamp } from "../../crds/meta.ts";
import { parseDurationSeconds } from "../args.ts";
import { UsageError } from "../command.ts";

/** The RFC 3339 time `value` means at `now`; a usage error naming the flag when it means none. */
export function parseTimeFlag(value: string, flagName: string, now: Date): string {
  const v = value.trim();
  if (timestamp.safeParse(v).success) return v;
  if (/^[0-9]+[smhd]$/.test(v)) return new Date(now.getTime() - parseDurationSeconds(v, flagName) * 1000).toISOString();
  throw new UsageError(
    `--${flagName} must be a duration back from now (90s, 15m, 1h, 7d) or an RFC 3339 time (2024-05-01T12:00:00Z), not "${value}"`,
  );
}
