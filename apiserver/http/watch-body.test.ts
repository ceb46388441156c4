import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { WatchBody } from "./watch-body.ts";

const line = (n: number) => Buffer.from(`{"n":${n}}\n`);

/** A real HTTP server on loopback whose one route hands its response to `handle`. */
async function serve(handle: (res: ServerResponse) => void): Promise<{ server: Server; url: string }> {
  const server = createServer((_req, res) => handle(res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}

function get(url: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => request(url, resolve).once("error", reject).end());
}

const readAll = async (res: IncomingMessage) => {
  let text = "";
  for await (const chunk of res) text += String(chunk);
  return text;
};

test("lines pushed in one turn reach a stream reader as one chunk, in order", async () => {
  const body = new WatchBody(() => assert.fail("not cancelled"));
  const reader = body.stream.getReader();
  for (let n = 1; n <= 3; n++) body.push(line(n));
  const first = await reader.read();
  assert.equal(Buffer.from(first.value!).toString(), '{"n":1}\n{"n":2}\n{"n":3}\n');
  body.push(line(4));
  body.end();
  assert.equal(Buffer.from((await reader.read()).value!).toString(), '{"n":4}\n');
  assert.equal((await reader.read()).done, true);
});

test("a body adopted after lines were queued sends every one of them, then the later ones", async () => {
  const { server, url } = await serve((res) => {
    const body = new WatchBody(() => assert.fail("not cancelled"));
    body.push(line(1));
    body.push(line(2));
    setImmediate(() => {
      // A turn passed with nobody reading: the lines wait for the adopter.
      res.writeHead(200, { "content-type": "application/json" });
      body.adopt(res);
      body.push(line(3));
      body.end();
      body.push(line(4)); // after the end: dropped
    });
  });
  try {
    assert.equal(await readAll(await get(url)), '{"n":1}\n{"n":2}\n{"n":3}\n');
  } finally {
    server.close();
  }
});

test("a client that goes away cancels the body once; nothing is written after", async () => {
  let cancels = 0;
  let body!: WatchBody;
  const cancelled = new Promise<void>((resolve) => {
    body = new WatchBody(() => {
      cancels++;
      resolve();
    });
  });
  const { server, url } = await serve((res) => {
    res.writeHead(200);
    res.flushHeaders();
    body.adopt(res);
    body.push(line(1));
  });
  try {
    const res = await get(url);
    await new Promise((resolve) => res.once("data", resolve));
    res.destroy();
    await cancelled;
    body.push(line(2));
    body.end();
    assert.equal(cancels, 1);
    assert.equal(body.backlog, 0);
  } finally {
    server.close();
  }
});

test("a stream reader that cancels cancels the body", async () => {
  let cancels = 0;
  const body = new WatchBody(() => cancels++);
  body.push(line(1));
  await body.stream.cancel();
  body.end();
  assert.equal(cancels, 1);
});

test("backlog counts the bytes queued and not yet taken", async () => {
  const body = new WatchBody(() => {});
  body.push(line(1));
  body.push(line(22));
  assert.equal(body.backlog, line(1).byteLength + line(22).byteLength);
  const reader = body.stream.getReader();
  await reader.read();
  assert.equal(body.backlog, 0);
  body.end();
});
