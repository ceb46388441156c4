// The HTTPS listener: HTTP/2 over TLS (ALPN h2) with HTTP/1.1 accepted on the same port. A browser
// opens at most 6 HTTP/1.1 connections per origin, and the dashboard holds a streamed watch per
// list it follows, so a second tab would starve; over HTTP/2 every request and watch of every tab
// is a stream on one connection. kubectl, the sdk and other HTTP/1.1 clients keep working as before.
// Node's HTTP/2 server neither times out idle sessions nor ends them on close(): this file does both.
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  constants as h2,
  createSecureServer,
  Http2ServerRequest,
  type Http2SecureServer,
  type Http2Session,
} from "node:http2";
import type { TLSSocket } from "node:tls";
import { serve } from "@hono/node-server";
import { RESPONSE_ALREADY_SENT } from "@hono/node-server/utils/response";
import type { Hono } from "hono";
import { watchBodyOf, type NodeResponse } from "./http/watch-body.ts";

/** How long an idle connection (HTTP/1.1 keep-alive, or an HTTP/2 session with no stream) stays open, ms. */
export const KEEP_ALIVE_MS = 65_000;

/**
 * Headers of one HTTP/1.1 connection, which HTTP/2 forbids (RFC 9113 section 8.2.2): a handler's
 * `connection: close` (after a refused body) or a watch's `transfer-encoding: chunked` is dropped
 * from an HTTP/2 response. A stream needs neither: each is framed on its own, and a refused body's
 * stream is reset without touching the connection.
 */
const CONNECTION_HEADERS = ["connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade"];

/**
 * Streams one HTTP/2 connection may have open at once (Go's default, which kube-apiserver keeps):
 * enough for many tabs' watches, and a bound on what one connection asks of the server (Node's
 * own default is unbounded).
 */
export const MAX_STREAMS_PER_CONNECTION = 250;

/**
 * How long a response other than a watch may make no progress (the client reads nothing) before its
 * HTTP/2 stream is reset or its HTTP/1.1 connection is closed, ms. Without it a client that opens
 * streams and never reads holds every answer (a large LIST, say) in the server's memory for as long
 * as it keeps the connection, up to 250 per connection. Watches are exempt: a quiet watch is not a
 * stalled one, and a watch's reader falling behind is cut by its own bound (watch-body.ts).
 */
export const DEFAULT_SEND_STALL_MS = 60_000;

/** What the listener serves, where, with which certificate. */
export interface ListenerOptions {
  app: Hono;
  port: number;
  hostname: string;
  keyPem: string;
  certPem: string;
  /** See DEFAULT_SEND_STALL_MS. */
  sendStallMs?: number;
  /** How long an idle connection stays open; KEEP_ALIVE_MS when absent. */
  keepAliveMs?: number;
}

/** A listening server and how to stop it gracefully. */
export interface Listener {
  port: number;
  /**
   * Stops accepting, lets requests in flight finish, and after `graceMs` cuts every connection left;
   * resolves to how many it had to cut.
   */
  close(graceMs: number): Promise<number>;
}

/** Listens; resolves once the server accepts connections. */
export async function listen(opts: ListenerOptions): Promise<Listener> {
  let port = opts.port;
  const server = await new Promise<Http2SecureServer>((resolve, reject) => {
    const s = serve(
      {
        fetch: async (req, env: { incoming: unknown; outgoing: NodeResponse }) => {
          const res = await opts.app.fetch(req, env);
          if (env.incoming instanceof Http2ServerRequest) for (const h of CONNECTION_HEADERS) res.headers.delete(h);
          const watch = watchBodyOf(res);
          if (!watch) {
            cutWhenStalled(env.incoming, env.outgoing, opts.sendStallMs ?? DEFAULT_SEND_STALL_MS);
            return res;
          }
          // A watch writes its lines to Node's response itself (watch-body.ts says why).
          env.outgoing.writeHead(res.status, Object.fromEntries(res.headers));
          env.outgoing.flushHeaders?.();
          watch.adopt(env.outgoing);
          return RESPONSE_ALREADY_SENT;
        },
        port: opts.port,
        hostname: opts.hostname,
        createServer: createSecureServer,
        serverOptions: {
          key: opts.keyPem,
          cert: opts.certPem,
          allowHTTP1: true,
          settings: { maxConcurrentStreams: MAX_STREAMS_PER_CONNECTION },
        },
      },
      (info) => {
        port = info.port;
        resolve(s as Http2SecureServer);
      },
    );
    s.once("error", reject);
  });
  // HTTP/1.1 connections (handed to Node's HTTP/1 server code) read these: Node closes idle
  // keep-alive sockets after 5 s, and a client reusing one at that instant gets ECONNRESET. Keep
  // them longer than clients (kubectl, the sdk, controllers) leave them idle.
  const keepAlive = opts.keepAliveMs ?? KEEP_ALIVE_MS;
  Object.assign(server, { keepAliveTimeout: keepAlive, headersTimeout: keepAlive + 1000 });
  const sockets = new Set<TLSSocket>();
  server.on("secureConnection", (socket: TLSSocket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  const sessions = new Set<Http2Session>();
  server.on("session", (session: Http2Session) => {
    sessions.add(session);
    session.once("close", () => sessions.delete(session));
    closeWhenIdle(session, keepAlive);
  });
  return {
    port,
    async close(graceMs) {
      // Sessions whose streams keep going would keep close() waiting forever: after the grace
      // period every connection left is cut.
      let cutCount = 0;
      const cut = setTimeout(() => {
        cutCount = sockets.size;
        for (const s of sessions) s.destroy();
        for (const s of sockets) s.destroy();
      }, graceMs);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as unknown as { closeIdleConnections(): void }).closeIdleConnections();
        // GOAWAY: no new streams; the session ends once its open streams have.
        for (const s of sessions) s.close();
      });
      clearTimeout(cut);
      return cutCount;
    },
  };
}

/**
 * From now until the response is sent, cuts the request's stream (HTTP/2: RST_STREAM CANCEL) or
 * connection (HTTP/1.1) once `ms` pass with no progress on it.
 */
function cutWhenStalled(incoming: unknown, outgoing: NodeResponse, ms: number): void {
  if (incoming instanceof Http2ServerRequest) {
    const stream = incoming.stream;
    stream.setTimeout(ms, () => stream.close(h2.NGHTTP2_CANCEL));
    return;
  }
  const socket = (incoming as IncomingMessage).socket;
  const cut = () => socket.destroy();
  // Only the listener goes once the response is sent: Node's HTTP server has re-armed the socket's
  // timeout with keepAliveTimeout by then, and clearing it would keep idle connections open forever.
  const done = () => socket.removeListener("timeout", cut);
  socket.setTimeout(ms);
  socket.on("timeout", cut);
  (outgoing as unknown as ServerResponse).once("finish", done).once("close", done);
}

/** Closes `session` gracefully once it has had no open stream for `ms` (HTTP/2's keep-alive timeout). */
function closeWhenIdle(session: Http2Session, ms: number): void {
  let open = 0;
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    timer = setTimeout(() => session.close(), ms);
    timer.unref();
  };
  session.on("stream", (stream) => {
    open++;
    clearTimeout(timer);
    stream.once("close", () => {
      if (--open === 0 && !session.closed) arm();
    });
  });
  session.once("close", () => clearTimeout(timer));
  arm();
}
