// A child process for the storage invariant tests: a second (third, ...) apiserver's storage.
//   node --import tsx test/storage/writer-process.ts <mode> '<json config>'
// Modes:
//   writer   concurrent writers on overlapping keys, plus one watcher; talks to the parent over IPC
//   watcher  watchers only; talks over IPC
//   acker    concurrent creates, printing "ack <rv> <name>" per acknowledged write, until killed
import {
  openStorage,
  isStorageError,
  type Storage,
  type StorageConfig,
  type StorageEvent,
} from "../../apiserver/storage/index.ts";

/** What the parent tells a child. */
export interface ChildConfig {
  storage: StorageConfig;
  resource: string;
  startRV?: number;
  writers?: number;
  writesPerWriter?: number;
  keys?: number;
  namespaces?: string[];
  watchers?: number;
  seed?: number;
}

/** A watched event, compactly: [rv, type, namespace, name]. */
export type EventTuple = [number, string, string, string];

/** Messages from parent to child. */
export type ToChild = { go: true } | { stopAt: number };

/** Messages from child to parent. */
export type FromChild =
  { ready: true } | { done: true; acked: number[]; conflicts: number; elapsedMs: number } | { watched: EventTuple[][] };

const [mode, rawConfig] = process.argv.slice(2);
const config = JSON.parse(rawConfig ?? "{}") as ChildConfig;

// mulberry32: a small seeded PRNG, so runs are reproducible per seed.
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Resolves once the message is handed to the IPC channel, so exiting afterwards loses nothing.
function send(msg: FromChild): Promise<void> {
  return new Promise((resolve, reject) =>
    process.send!(msg, undefined, undefined, (err) => (err ? reject(err) : resolve())),
  );
}

function nextMessage<T extends ToChild>(pred: (m: ToChild) => m is T): Promise<T> {
  return new Promise((resolve) => {
    const on = (m: ToChild) => {
      if (!pred(m)) return;
      process.off("message", on);
      resolve(m);
    };
    process.on("message", on);
  });
}

async function startWatchers(storage: Storage, count: number): Promise<EventTuple[][]> {
  const all: EventTuple[][] = [];
  for (let i = 0; i < count; i++) {
    const got: EventTuple[] = [];
    all.push(got);
    await storage.watch(
      { resource: config.resource, sinceRV: config.startRV ?? 0 },
      {
        onEvent: (e: StorageEvent) => void got.push([e.rv, e.type, e.key.namespace, e.key.name]),
        onError: (err) => {
          if (err.code === "Closed") return;
          console.error(`watcher ${i} failed: ${err.code} ${err.message}`);
          process.exit(3);
        },
      },
    );
  }
  return all;
}

async function finishWatching(watched: EventTuple[][]): Promise<void> {
  const { stopAt } = await nextMessage((m): m is { stopAt: number } => "stopAt" in m);
  const caughtUp = () => watched.every((w) => w.length > 0 && w[w.length - 1][0] >= stopAt);
  while (!caughtUp()) await new Promise((r) => setTimeout(r, 5));
  await send({ watched });
}

async function writeLoop(storage: Storage, writer: number, acked: number[]): Promise<number> {
  const rnd = random((config.seed ?? 1) * 1000 + writer);
  const namespaces = config.namespaces ?? ["default"];
  let conflicts = 0;
  for (let done = 0; done < (config.writesPerWriter ?? 100);) {
    const key = {
      resource: config.resource,
      namespace: namespaces[Math.floor(rnd() * namespaces.length)],
      name: `k${Math.floor(rnd() * (config.keys ?? 50))}`,
    };
    const obj = {
      apiVersion: "test.stella.io/v1",
      kind: "Item",
      metadata: { name: key.name, namespace: key.namespace },
      spec: { writer, n: done },
    };
    try {
      const cur = await storage.get(key);
      const rv = Number(cur?.metadata.resourceVersion);
      const out = !cur
        ? await storage.create(key, obj)
        : rnd() < 0.75
          ? await storage.update(key, obj, rv)
          : await storage.delete(key, rv);
      acked.push(Number(out.metadata.resourceVersion));
      done++;
    } catch (err) {
      if (!isStorageError(err, "Conflict") && !isStorageError(err, "KeyExists") && !isStorageError(err, "NotFound"))
        throw err;
      conflicts++;
    }
  }
  return conflicts;
}

async function writer(): Promise<void> {
  const storage = await openStorage(config.storage, { compactIntervalMs: 0, eventWindow: 1e9 });
  const watched = await startWatchers(storage, config.watchers ?? 1);
  await send({ ready: true });
  await nextMessage((m): m is { go: true } => "go" in m);
  const acked: number[] = [];
  const started = Date.now();
  const conflicts = await Promise.all(
    Array.from({ length: config.writers ?? 2 }, (_, w) => writeLoop(storage, w, acked)),
  );
  await send({ done: true, acked, conflicts: conflicts.reduce((a, b) => a + b, 0), elapsedMs: Date.now() - started });
  await finishWatching(watched);
  await storage.close();
}

async function watcher(): Promise<void> {
  const storage = await openStorage(config.storage, { compactIntervalMs: 0, eventWindow: 1e9 });
  const watched = await startWatchers(storage, config.watchers ?? 2);
  await send({ ready: true });
  await finishWatching(watched);
  await storage.close();
}

// Creates unique keys from several concurrent writers and prints each acknowledged one, forever.
async function acker(): Promise<void> {
  const storage = await openStorage(config.storage, { compactIntervalMs: 0 });
  console.log("open");
  await Promise.all(
    Array.from({ length: config.writers ?? 4 }, async (_, w) => {
      for (let i = 0; ; i++) {
        const key = { resource: config.resource, namespace: "default", name: `s${config.seed ?? 0}-w${w}-${i}` };
        const out = await storage.create(key, {
          apiVersion: "test.stella.io/v1",
          kind: "Item",
          metadata: { name: key.name },
          spec: { i },
        });
        process.stdout.write(`ack ${out.metadata.resourceVersion as string} ${key.name}\n`);
      }
    }),
  );
}

const modes: Record<string, () => Promise<void>> = { writer, watcher, acker };
const run = modes[mode ?? ""];
if (!run) {
  console.error(`unknown mode ${mode}`);
  process.exit(2);
}
run().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
