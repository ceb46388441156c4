// A tiny in-memory apiserver over plain HTTP for unit tests of the client's transport, watch and
// informer: one resource, list and watch with resourceVersions, a bounded event window (410 Gone),
// and knobs to cut or end watch connections. Not a conformance fake: just enough protocol.
import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { z } from "zod";
import type { StellaObject } from "../../crds/meta.ts";
import type { KindInfo } from "../../crds/scheme-types.ts";

/** The one kind the fake serves: namespaced `widgets` in release.stella.io/v1alpha1. */
export const widgetKind: KindInfo = {
  kind: "Widget",
  plural: "widgets",
  singular: "widget",
  shortNames: [],
  namespaced: true,
  schema: z.any(),
  hasStatus: true,
  printerColumns: [],
  selectableFields: [],
  description: "A test kind.",
};

/** Resolves once `cond` holds, checking every few milliseconds. */
export async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setTimeout(r, 2));
}

type EventType = "ADDED" | "MODIFIED" | "DELETED";

/** A request the fake received. */
export interface SeenRequest {
  method: string;
  path: string;
  query: URLSearchParams;
}

/** An HTTP server holding the objects of one collection path. */
export class FakeApiServer {
  readonly requests: SeenRequest[] = [];
  private readonly objects = new Map<string, StellaObject>();
  private readonly log: { rv: number; type: EventType; object: StellaObject }[] = [];
  private readonly watchers = new Set<ServerResponse>();
  private rv = 0;
  private compacted = 0;
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  /** Starts a fake serving `/{...}/{plural}` lists and watches on a free loopback port. */
  static async start(): Promise<FakeApiServer> {
    const server = createServer();
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const fake = new FakeApiServer(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    server.on("request", (req, res) => fake.handle(req, res));
    return fake;
  }

  /** Overrides the answer to requests for which `match` returns true (until the returned function is called). */
  intercept(match: (r: SeenRequest) => boolean, answer: (res: ServerResponse) => void): () => void {
    const entry = { match, answer };
    this.interceptors.push(entry);
    return () => void this.interceptors.splice(this.interceptors.indexOf(entry), 1);
  }
  private readonly interceptors: { match: (r: SeenRequest) => boolean; answer: (res: ServerResponse) => void }[] = [];

  /** Creates or replaces an object (by name) and tells the watchers; generation moves when spec changes. */
  put(name: string, spec: unknown = {}, status?: unknown): StellaObject {
    const old = this.objects.get(name);
    const type: EventType = old ? "MODIFIED" : "ADDED";
    const generation = !old
      ? 1
      : JSON.stringify(old.spec) === JSON.stringify(spec)
        ? old.metadata.generation!
        : old.metadata.generation! + 1;
    const obj: StellaObject = {
      apiVersion: "release.stella.io/v1alpha1",
      kind: "Widget",
      metadata: { name, namespace: "default", resourceVersion: String(++this.rv), generation },
      spec,
      ...(status === undefined ? {} : { status }),
    };
    this.objects.set(name, obj);
    this.emit(type, obj);
    return obj;
  }

  /** Deletes an object and tells the watchers. */
  remove(name: string): void {
    const obj = this.objects.get(name);
    if (!obj) return;
    this.objects.delete(name);
    this.emit("DELETED", { ...obj, metadata: { ...obj.metadata, resourceVersion: String(++this.rv) } });
  }

  /** Moves the resourceVersion on without an event here, as a write to another resource would. */
  advance(): void {
    this.rv++;
  }

  /** Forgets every event at or below the current resourceVersion: older watches get 410. */
  compact(): void {
    this.compacted = this.rv;
    this.log.length = 0;
  }

  /** Sends a BOOKMARK at the current resourceVersion to every watcher. */
  bookmark(): void {
    for (const w of this.watchers)
      this.send(w, "BOOKMARK", {
        kind: "Widget",
        apiVersion: "release.stella.io/v1alpha1",
        metadata: { resourceVersion: String(this.rv) },
      });
  }

  /** Cuts every open watch connection mid-stream (no clean end). */
  cutWatches(): void {
    for (const w of this.watchers) w.socket?.destroy();
    this.watchers.clear();
  }

  /** Number of open watch connections. */
  get openWatches(): number {
    return this.watchers.size;
  }

  /** The watch requests received so far. */
  watchRequests(): SeenRequest[] {
    return this.requests.filter((r) => r.query.get("watch") === "true");
  }

  async stop(): Promise<void> {
    this.cutWatches();
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }

  private emit(type: EventType, object: StellaObject): void {
    this.log.push({ rv: this.rv, type, object });
    for (const w of this.watchers) this.send(w, type, object);
  }

  private send(res: ServerResponse, type: string, object: unknown): void {
    res.write(JSON.stringify({ type, object }) + "\n");
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? "/", "http://fake");
    const seen = { method: req.method ?? "GET", path: url.pathname, query: url.searchParams };
    this.requests.push(seen);
    const hit = this.interceptors.find((i) => i.match(seen));
    if (hit) return hit.answer(res);
    if (url.searchParams.get("watch") === "true")
      return this.watch(res, Number(url.searchParams.get("resourceVersion") ?? "0"));
    res.setHeader("content-type", "application/json");
    res.end(
      JSON.stringify({
        apiVersion: "release.stella.io/v1alpha1",
        kind: "WidgetList",
        metadata: { resourceVersion: String(this.rv) },
        items: [...this.objects.values()],
      }),
    );
  }

  private watch(res: ServerResponse, since: number): void {
    res.writeHead(200, { "content-type": "application/json" });
    if (since < this.compacted) {
      this.send(res, "ERROR", {
        kind: "Status",
        apiVersion: "v1",
        metadata: {},
        status: "Failure",
        reason: "Expired",
        code: 410,
        message: `too old resource version: ${since}`,
      });
      return void res.end();
    }
    for (const e of this.log) if (e.rv > since) this.send(res, e.type, e.object);
    this.watchers.add(res);
    res.on("close", () => this.watchers.delete(res));
  }
}
