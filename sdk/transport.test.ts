import { test } from "node:test";
import assert from "node:assert/strict";
import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ApiError, isConflict, isInvalid, isNotFound } from "../crds/errors.ts";
import { ConnectionError, ResponseDecodeError } from "./errors.ts";
import { Transport } from "./transport.ts";

async function serve(
  handler: (req: IncomingMessage, res: ServerResponse, body: string) => void,
  fn: (url: string) => Promise<void>,
): Promise<void> {
  const server = createServer(async (req, res) => {
    let body = "";
    for await (const chunk of req) body += chunk;
    handler(req, res, body);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  try {
    await fn(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  } finally {
    server.closeAllConnections();
    server.close();
  }
}

const status = (code: number, reason: string, message: string, details?: unknown) =>
  JSON.stringify({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", code, reason, message, details });

test("requests carry the token, query and body; JSON answers are decoded", async () => {
  let seen: { auth?: string; url?: string; type?: string; body?: string } = {};
  await serve(
    (req, res, body) => {
      seen = { auth: req.headers.authorization, url: req.url, type: req.headers["content-type"], body };
      res.setHeader("content-type", "application/json");
      res.end('{"ok":true}');
    },
    async (url) => {
      const t = new Transport({ server: url, token: "secret" });
      const out = await t.request<{ ok: boolean }>({
        method: "PATCH",
        path: "/apis/x",
        query: { a: "1 2", b: undefined, c: true },
        body: { x: 1 },
        contentType: "application/merge-patch+json",
      });
      assert.deepEqual(out, { ok: true });
      assert.deepEqual(seen, {
        auth: "Bearer secret",
        url: "/apis/x?a=1+2&c=true",
        type: "application/merge-patch+json",
        body: '{"x":1}',
      });
      t.close();
    },
  );
});

test("the accept option replaces the default Accept header", async () => {
  const accepts: (string | undefined)[] = [];
  await serve(
    (req, res) => {
      accepts.push(req.headers.accept);
      res.end("{}");
    },
    async (url) => {
      const t = new Transport({ server: url });
      await t.request({ method: "GET", path: "/a" });
      await t.request({ method: "GET", path: "/a", accept: "application/json;as=Table;v=v1;g=meta.k8s.io" });
      assert.deepEqual(accepts, ["application/json", "application/json;as=Table;v=v1;g=meta.k8s.io"]);
      t.close();
    },
  );
});

test("a Status body becomes an ApiError with its reason and field causes", async () => {
  const answers: Record<string, [number, string]> = {
    "/nf": [404, status(404, "NotFound", 'releases.release.stella.io "x" not found', { name: "x", kind: "releases" })],
    "/cf": [409, status(409, "Conflict", "Operation cannot be fulfilled")],
    "/iv": [
      422,
      status(422, "Invalid", "Release is invalid", {
        causes: [{ reason: "FieldValueInvalid", field: "spec.components[0].image", message: "bad" }],
      }),
    ],
  };
  await serve(
    (req, res) => {
      const [code, body] = answers[req.url!];
      res.writeHead(code, { "content-type": "application/json" }).end(body);
    },
    async (url) => {
      const t = new Transport({ server: url });
      await assert.rejects(
        t.request({ method: "GET", path: "/nf" }),
        (e) => isNotFound(e) && (e as ApiError).details.name === "x",
      );
      await assert.rejects(t.request({ method: "GET", path: "/cf" }), (e) => isConflict(e));
      await assert.rejects(
        t.request({ method: "GET", path: "/iv" }),
        (e) => isInvalid(e) && (e as ApiError).details.causes?.[0].field === "spec.components[0].image",
      );
      t.close();
    },
  );
});

test("a non-Status error body still becomes an ApiError from the HTTP code", async () => {
  await serve(
    (_req, res) => res.writeHead(502, { "content-type": "text/html" }).end("<html>Bad Gateway</html>"),
    async (url) => {
      const t = new Transport({ server: url });
      await assert.rejects(
        t.request({ method: "GET", path: "/" }),
        (e) =>
          e instanceof ApiError && e.code === 502 && e.reason === "InternalError" && e.message.includes("Bad Gateway"),
      );
      t.close();
    },
  );
});

test("a 2xx answer that is not JSON is a ResponseDecodeError", async () => {
  await serve(
    (_req, res) => res.end("hello"),
    async (url) => {
      const t = new Transport({ server: url });
      await assert.rejects(
        t.request({ method: "GET", path: "/p" }),
        (e) => e instanceof ResponseDecodeError && e.path === "/p",
      );
      t.close();
    },
  );
});

test("an unreachable server is a ConnectionError naming it", async () => {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await new Promise((r) => server.close(r));
  const t = new Transport({ server: url });
  await assert.rejects(
    t.request({ method: "GET", path: "/" }),
    (e) =>
      e instanceof ConnectionError &&
      e.failure === "refused" &&
      e.message === `cannot reach ${url}: connection refused`,
  );
});

test("a server that never answers times out as a ConnectionError", async () => {
  await serve(
    () => {},
    async (url) => {
      const t = new Transport({ server: url }, { timeoutMs: 50 });
      await assert.rejects(
        t.request({ method: "GET", path: "/" }),
        (e) => e instanceof ConnectionError && e.failure === "timeout",
      );
      t.close();
    },
  );
});

test("an aborted request rejects with the abort reason, not a ConnectionError", async () => {
  await serve(
    () => {},
    async (url) => {
      const t = new Transport({ server: url });
      const ac = new AbortController();
      const p = t.request({ method: "GET", path: "/", signal: ac.signal });
      ac.abort(new Error("stop"));
      await assert.rejects(p, (e) => !(e instanceof ConnectionError) && (e as Error).message === "stop");
      t.close();
    },
  );
});
