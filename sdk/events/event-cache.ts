// The recorder's memory of the events it wrote, by aggregation key, bounded: the least recently
// seen entry goes first (a forgotten repeat creates a new Event, which is harmless).

/** What the recorder remembers of one Event. */
export interface Recorded {
  name: string;
  count: number;
}

/** A bounded LRU map of aggregation key -> recorded Event. */
export class EventCache {
  private readonly entries = new Map<string, Recorded>();

  constructor(private readonly capacity: number) {}

  get(key: string): Recorded | undefined {
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }

  set(key: string, value: Recorded): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}
