// Wall-clock time in an IANA time zone, with Intl (no time zone database of our own). A wall-clock
// time is carried as a "floating" Date whose UTC fields are the local fields, the form rrule
// computes in. Local times that do not exist (the spring-forward gap) or exist twice (fall back)
// follow RFC 5545 3.3.5: a gap time takes the offset from before the gap; a repeated time is the
// first of the two instants.

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    // Throws RangeError for a zone Intl does not know.
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Whether `timeZone` is a zone Intl knows (IANA names such as Europe/Berlin, and UTC). */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock time in `timeZone` at `instant`, as a floating Date. Throws RangeError for an unknown zone. */
export function wallClock(instant: Date, timeZone: string): Date {
  if (timeZone === "UTC") return new Date(instant.getTime());
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(instant)) if (p.type !== "literal") parts[p.type] = Number(p.value);
  const wall = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  return new Date(wall + instant.getUTCMilliseconds());
}

/** Local time minus UTC at `instant`, in milliseconds. */
function offsetAt(instant: number, timeZone: string): number {
  return wallClock(new Date(instant), timeZone).getTime() - instant;
}

/** The instant at which clocks in `timeZone` show the floating `wall` (RFC 5545 rules for gaps and repeats). */
export function fromWallClock(wall: Date, timeZone: string): Date {
  const t = wall.getTime();
  if (timeZone === "UTC") return new Date(t);
  const day = 86_400_000;
  // Zone offsets change at most once a day; the offsets a day either side bracket the answer.
  const before = offsetAt(t - day, timeZone);
  const after = offsetAt(t + day, timeZone);
  const candidates = [t - before, t - after].filter((c) => offsetAt(c, timeZone) === t - c).sort((a, b) => a - b);
  if (candidates.length > 0) return new Date(candidates[0]);
  return new Date(t - before); // in a gap: the offset from before it
}

/** The zone's offset (local minus UTC, ms) when it is the same from a day before `from` to a day
 * after `to`, a span of at most 60 days (zones change offset months apart); undefined otherwise. */
export function steadyOffset(from: Date, to: Date, timeZone: string): number | undefined {
  const day = 86_400_000;
  if (timeZone === "UTC") return 0;
  if (to.getTime() - from.getTime() > 60 * day) return undefined;
  const before = offsetAt(from.getTime() - day, timeZone);
  return before === offsetAt(to.getTime() + day, timeZone) ? before : undefined;
}
