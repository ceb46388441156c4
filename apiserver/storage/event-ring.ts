// The most recent settled events, in memory, so most watches start without a database read.
import type { StorageEvent } from "./types.ts";

/** Holds every event with floor < rv <= top (at most `capacity` of them). */
export class EventRing {
  private events: StorageEvent[] = [];
  private head = 0;
  /** Events at or below floor are not held. */
  floor: number;
  /** The settled rv the ring is complete up to. */
  top: number;

  constructor(
    private readonly capacity: number,
    settled: number,
  ) {
    this.floor = settled;
    this.top = settled;
  }

  /** Adds a settled batch (ascending rvs above top); the ring is now complete up to `settled`. */
  append(events: readonly StorageEvent[], settled: number): void {
    for (const e of events) this.events.push(e);
    this.top = settled;
    const excess = this.events.length - this.head - this.capacity;
    if (excess > 0) {
      this.head += excess;
      this.floor = this.events[this.head - 1].rv;
    }
    if (this.head > this.capacity) {
      this.events = this.events.slice(this.head);
      this.head = 0;
    }
  }

  /** Events held now (at most the capacity). */
  get size(): number {
    return this.events.length - this.head;
  }

  /** The events with after < rv <= upTo, or undefined when some of them are no longer held. */
  slice(after: number, upTo: number): StorageEvent[] | undefined {
    if (after < this.floor || upTo > this.top) return undefined;
    let lo = this.head;
    let hi = this.events.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.events[mid].rv <= after) lo = mid + 1;
      else hi = mid;
    }
    const out: StorageEvent[] = [];
    for (let i = lo; i < this.events.length && this.events[i].rv <= upTo; i++) out.push(this.events[i]);
    return out;
  }
}
