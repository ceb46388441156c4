import { test } from "node:test";
import assert from "node:assert/strict";
import { FakeApiServer, until } from "../../sdk/testing/fake-apiserver.ts";
import { Transport } from "../../sdk/transport.ts";
import { resumingWatch, WatchEndedError, type RawEvent } from "./resuming-watch.ts";

const names = (events: RawEvent[]) =>
  events.map((e) => `${e.type} ${(e.object as { metadata: { name: string } }).metadata.name}`);

test("a cut watch resumes from the last resourceVersion, saying so; 410 lists again", async () => {
  const fake = await FakeApiServer.start();
  const transport = new Transport({ server: fake.url });
  const notes: string[] = [];
  let relists = 0;
  const controller = new AbortController();
  fake.put("a");
  const events: RawEvent[] = [];
  const done = (async () => {
    for await (const e of resumingWatch({
      transport,
      path: "/apis/release.stella.io/v1alpha1/namespaces/default/widgets",
      query: {},
      resourceVersion: "1",
      relist: async () => {
        relists++;
        return "6";
      },
      note: (m) => notes.push(m),
      reconnectWindowMs: 60_000,
      signal: controller.signal,
    }))
      events.push(e);
  })();
  await until(() => fake.openWatches === 1);
  fake.put("b");
  await until(() => events.length === 1);
  fake.cutWatches();
  fake.put("c");
  await until(() => events.length === 2);
  assert.deepEqual(names(events), ["ADDED b", "ADDED c"], "nothing missed, nothing repeated");
  assert.match(notes[0], /^the watch was interrupted \(.*\); resuming from resourceVersion 2$/);
  assert.equal(notes[1], "watch resumed from resourceVersion 2");
  assert.equal(fake.watchRequests().at(-1)!.query.get("resourceVersion"), "2");

  fake.put("d");
  fake.put("e");
  await until(() => events.length === 4);
  // Cut, and forget the history before the watch comes back: resuming from 5 is no longer possible.
  fake.cutWatches();
  fake.advance();
  fake.compact();
  await until(() => relists === 1);
  assert.match(notes.at(-1)!, /resourceVersion 5 is too old/);
  fake.put("g");
  await until(() => events.length === 5);
  assert.equal(
    fake.watchRequests().at(-1)!.query.get("resourceVersion"),
    "6",
    "after the relist, the watch starts at the list's version",
  );
  controller.abort();
  await done;
  transport.close();
  await fake.stop();
});

test("a server that stays away ends the watch with WatchEndedError after the window; 401 ends it at once", async () => {
  const fake = await FakeApiServer.start();
  const transport = new Transport({ server: fake.url });
  fake.put("a");
  const notes: string[] = [];
  const watch = (window: number) =>
    (async () => {
      for await (const _ of resumingWatch({
        transport,
        path: "/x/widgets",
        query: {},
        resourceVersion: "1",
        relist: async () => "1",
        note: (m) => notes.push(m),
        reconnectWindowMs: window,
      }));
    })();
  const denied = fake.intercept(
    () => true,
    (res) => {
      res.statusCode = 401;
      res.end(
        JSON.stringify({
          kind: "Status",
          apiVersion: "v1",
          metadata: {},
          status: "Failure",
          code: 401,
          reason: "Unauthorized",
          message: "token expired",
        }),
      );
    },
  );
  await assert.rejects(
    watch(60_000),
    (err: unknown) =>
      err instanceof WatchEndedError && /^the watch ended: the server rejected the credentials/.test(err.message),
  );
  denied();

  const ended = watch(300);
  await until(() => fake.openWatches === 1);
  await fake.stop();
  await assert.rejects(
    ended,
    (err: unknown) =>
      err instanceof WatchEndedError && /^the watch ended: cannot reach .*\(gave up after \d+s\)$/.test(err.message),
  );
  assert.match(notes.at(-1)!, /^the watch was interrupted/);
  transport.close();
});
