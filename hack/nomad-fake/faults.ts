// Failure injection of the contract fakes: the next N requests answer 429 (throttled) or 500, and
// every answer may be slowed down. Set through `POST /_fake/faults` with JSON
// `{"throttle": N, "errors": N, "delayMs": N}`; `GET /_fake/calls` counts calls by route (benchmarks).
export class Faults {
  throttle = 0;
  errors = 0;
  delayMs = 0;
  readonly calls = new Map<string, number>();

  set(body: { throttle?: number; errors?: number; delayMs?: number }): void {
    this.throttle = body.throttle ?? this.throttle;
    this.errors = body.errors ?? this.errors;
    this.delayMs = body.delayMs ?? this.delayMs;
  }

  count(route: string): void {
    this.calls.set(route, (this.calls.get(route) ?? 0) + 1);
  }

  /** The status the next request is failed with, if any. */
  take(): 429 | 500 | undefined {
    if (this.throttle > 0) {
      this.throttle--;
      return 429;
    }
    if (this.errors > 0) {
      this.errors--;
      return 500;
    }
    return undefined;
  }
}
