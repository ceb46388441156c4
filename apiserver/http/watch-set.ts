// The open watches of this process, so shutdown can end each one cleanly (the client sees the
// stream end and re-watches elsewhere) instead of cutting connections.

/** One open watch that can be ended from outside. */
export interface OpenWatch {
  end(): void;
}

/** Tracks open watches. */
export class WatchSet {
  private readonly open = new Set<OpenWatch>();

  add(w: OpenWatch): void {
    this.open.add(w);
  }

  delete(w: OpenWatch): void {
    this.open.delete(w);
  }

  get size(): number {
    return this.open.size;
  }

  /** Ends every open watch. */
  endAll(): void {
    for (const w of [...this.open]) w.end();
    this.open.clear();
  }
}
