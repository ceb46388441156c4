// A loopback TCP proxy for tests that need a connection to break the way networks break: cut()
// destroys every open connection mid-stream; while blocked, new connections are reset at once.
import { once } from "node:events";
import { createConnection, createServer } from "node:net";
import type { AddressInfo, Server, Socket } from "node:net";

/** Forwards 127.0.0.1:port to a target URL's host and port. */
export class TcpProxy {
  /** While true, new connections are reset instead of forwarded. */
  blocked = false;
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    /** The target URL with the proxy's host and port. */
    readonly url: string,
  ) {}

  static async start(target: string): Promise<TcpProxy> {
    const t = new URL(target);
    const server = createServer();
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const url = new URL(target);
    url.port = String((server.address() as AddressInfo).port);
    const proxy = new TcpProxy(server, url.toString().replace(/\/$/, ""));
    server.on("connection", (client) => {
      if (proxy.blocked) return void client.resetAndDestroy();
      const upstream = createConnection({ host: t.hostname, port: Number(t.port) });
      for (const s of [client, upstream]) {
        proxy.sockets.add(s);
        s.on("close", () => proxy.sockets.delete(s));
        s.on("error", () => {});
      }
      client.pipe(upstream).pipe(client);
      client.on("close", () => upstream.destroy());
      upstream.on("close", () => client.destroy());
    });
    return proxy;
  }

  /** Breaks every open connection. */
  cut(): void {
    for (const s of this.sockets) s.resetAndDestroy();
    this.sockets.clear();
  }

  /** How many connections are open (client and upstream sides each count). */
  get connections(): number {
    return this.sockets.size;
  }

  async stop(): Promise<void> {
    this.cut();
    await new Promise((r) => this.server.close(r));
  }
}
