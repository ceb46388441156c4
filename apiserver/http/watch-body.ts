// The body of a watch response. Lines pushed during one turn of the event loop go out together as
// one write at the end of the turn (one HTTP chunk, one TLS record, one syscall per watcher, however
// many events the turn produced), so the cost per event falls as the write rate climbs.
//
// Two ways out: as a web ReadableStream (the Response body, for `app.request()` and any fetch
// caller), or, once the listener adopts the body, straight to Node's response object. The second
// skips the adapter's web-streams read loop per chunk (profiled at ~8 us per watcher per event).

/** What a watch uses of Node's response (http.ServerResponse or http2.Http2ServerResponse). */
export interface NodeResponse {
  readonly writableLength: number;
  readonly writableFinished: boolean;
  writeHead(status: number, headers: Record<string, string>): unknown;
  /** Sends the status and headers now (typed on HTTP/1.1 only; HTTP/2 has it too). */
  flushHeaders?(): void;
  write(chunk: Uint8Array): boolean;
  end(): unknown;
  on(event: "error", listener: () => void): unknown;
  once(event: "close", listener: () => void): unknown;
}

// Watch responses and their bodies, so the listener can find the body of a response it serves.
const byResponse = new WeakMap<Response, WatchBody>();

// Bodies with lines waiting, flushed together once per turn of the event loop.
const dirty = new Set<WatchBody>();
let flushScheduled = false;

function flushAll(): void {
  flushScheduled = false;
  for (const body of dirty) body.flush();
  dirty.clear();
}

/** A streamed watch body; `onCancel` runs once if the client goes away first. */
export class WatchBody {
  /** The body as a web stream, read only if the listener does not adopt the body. */
  readonly stream: ReadableStream<Uint8Array>;
  private controller!: ReadableStreamDefaultController<Uint8Array>;
  private out?: NodeResponse;
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  /** A reader of `stream` waits for the next chunk. */
  private waiting = false;
  private ended = false;
  private streamClosed = false;

  constructor(private readonly onCancel: () => void) {
    // Pulled, not pushed: nothing enters the stream's queue unless someone reads it, so a body
    // adopted after lines were queued loses none of them.
    this.stream = new ReadableStream<Uint8Array>(
      {
        start: (controller) => void (this.controller = controller),
        pull: () => {
          if (this.pending.length > 0 || this.ended) this.deliver();
          else this.waiting = true;
        },
        cancel: () => this.cancelled(),
      },
      { highWaterMark: 0 },
    );
  }

  /** Bytes queued and not yet taken by the connection: how far the client lags. */
  get backlog(): number {
    return this.pendingBytes + (this.out?.writableLength ?? 0);
  }

  /** Queues one line; it goes out at the end of this turn of the event loop. */
  push(bytes: Uint8Array): void {
    if (this.ended) return;
    this.pending.push(bytes);
    this.pendingBytes += bytes.byteLength;
    dirty.add(this);
    if (!flushScheduled) {
      flushScheduled = true;
      setImmediate(flushAll);
    }
  }

  /** Writes what is queued as one chunk (to a web-stream reader only once it asks). */
  flush(): void {
    if (this.out) this.writeOut();
    else if (this.waiting) this.deliver();
  }

  /** Sends what is queued, then ends the response. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    dirty.delete(this);
    if (this.out) {
      this.writeOut();
      this.out.end();
    } else if (this.waiting) this.deliver();
  }

  /** Takes over `out`, whose status and headers are written: from now on lines go straight to it. */
  adopt(out: NodeResponse): void {
    this.out = out;
    out.on("error", () => this.cancelled());
    out.once("close", () => {
      if (!out.writableFinished) this.cancelled();
    });
    this.writeOut();
    if (this.ended) out.end();
  }

  private take(): Uint8Array {
    const chunk = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    return chunk;
  }

  private writeOut(): void {
    if (this.pending.length > 0) this.out!.write(this.take());
  }

  // A reader waits: hand it what is queued, and the end once everything is out.
  private deliver(): void {
    if (this.streamClosed) return;
    this.waiting = false;
    if (this.pending.length > 0) this.controller.enqueue(this.take());
    if (this.ended) {
      this.streamClosed = true;
      this.controller.close();
    }
  }

  private cancelled(): void {
    this.streamClosed = true;
    if (this.ended) return;
    this.ended = true;
    this.pending = [];
    this.pendingBytes = 0;
    dirty.delete(this);
    this.onCancel();
  }
}

/** A streaming response carrying `body`, which the listener may adopt (see `watchBodyOf`). */
export function watchBodyResponse(body: WatchBody, init: ResponseInit): Response {
  const response = new Response(body.stream, init);
  byResponse.set(response, body);
  return response;
}

/** The watch body of `response`, if it is a watch response. */
export function watchBodyOf(response: Response): WatchBody | undefined {
  return byResponse.get(response);
}
