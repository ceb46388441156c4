// Waiting for several objects at once, each through its own watch (never by polling): a watch
// per object, narrowed by a metadata.name field selector, judged on every change, until every
// object meets the wait or the deadline passes. The progress line shows what is still pending.
import { ApiError, isNotFound } from "../../crds/errors.ts";
import type { StellaObject } from "../../crds/meta.ts";
import type { KindInfo } from "../../crds/scheme-types.ts";
import type { Client } from "../../sdk/client.ts";
import { qualifiedResource } from "../output/objects.ts";
import type { Progress } from "../output/progress.ts";
import { judge, type Verdict, type WaitFor } from "./wait-for.ts";

/** One object to wait for. `uid` pins the object a delete waits for (a new one of the same name does not count). */
export interface WaitTarget {
  info: KindInfo;
  namespace: string | undefined;
  name: string;
  uid?: string;
}

/** A target and where it stood when the wait ended. */
export interface Outcome {
  target: WaitTarget;
  verdict: Verdict;
}

/** How to wait. */
export interface WaitAllOptions {
  /** undefined: no limit; 0: look once, do not wait. */
  timeoutMs: number | undefined;
  progress: Progress;
  /** Called as each target meets the wait. */
  onMet(target: WaitTarget, verdict: Verdict): void;
}

const short = (t: WaitTarget) => `${t.info.singular}/${t.name}`;
const notFound = (t: WaitTarget) => new ApiError(404, "NotFound", `${qualifiedResource(t.info)} "${t.name}" not found`);

/** Waits for every target; resolves with those that did not meet the wait in time (empty: all met). */
export async function waitAll(
  client: Client,
  targets: WaitTarget[],
  w: WaitFor,
  opts: WaitAllOptions,
): Promise<Outcome[]> {
  const states = new Map<WaitTarget, Verdict>();
  const show = () => {
    const pending = targets.filter((t) => !states.get(t)?.met);
    if (pending.length === 0) return;
    const detail = pending
      .slice(0, 3)
      .map((t) => `${short(t)}: ${states.get(t)?.state ?? "checking"}`)
      .join("; ");
    const more = pending.length > 3 ? ` and ${pending.length - 3} more` : "";
    opts.progress.update(
      `waiting for ${pending.length === 1 && targets.length === 1 ? "" : `${pending.length} of ${targets.length}: `}${detail}${more}`,
    );
  };
  const settle = (t: WaitTarget, v: Verdict) => {
    const wasMet = states.get(t)?.met;
    states.set(t, v);
    if (v.met && !wasMet) opts.onMet(t, v);
  };
  const record = (t: WaitTarget, v: Verdict) => {
    settle(t, v);
    show();
  };
  const controller = new AbortController();
  const timer = opts.timeoutMs ? setTimeout(() => controller.abort(), opts.timeoutMs) : undefined;
  show();
  try {
    await Promise.all(
      targets.map((t) =>
        opts.timeoutMs === 0 ? lookOnce(client, t, w, record) : watchOne(client, t, w, controller.signal, record),
      ),
    );
  } finally {
    if (timer) clearTimeout(timer);
    controller.abort();
    opts.progress.stop();
  }
  // Say where each object stands now, even if its watch had not reported yet when time ran out.
  const late = targets.filter((t) => !states.get(t)?.met);
  await Promise.all(late.map((t) => lookOnce(client, t, w, settle).catch(() => undefined)));
  return targets
    .filter((t) => !states.get(t)?.met)
    .map((t) => ({ target: t, verdict: states.get(t) ?? { met: false, state: "unknown" } }));
}

async function lookOnce(
  client: Client,
  t: WaitTarget,
  w: WaitFor,
  record: (t: WaitTarget, v: Verdict) => void,
): Promise<void> {
  let obj: StellaObject | undefined;
  try {
    obj = await client.resource(t.info).get(t.name, { namespace: t.namespace });
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  if (!obj && (w.kind === "condition" || w.kind === "jsonpath")) throw notFound(t);
  record(t, judge(w, obj, t.uid));
}

async function watchOne(
  client: Client,
  t: WaitTarget,
  w: WaitFor,
  signal: AbortSignal,
  record: (t: WaitTarget, v: Verdict) => void,
): Promise<void> {
  const events = client
    .resource(t.info)
    .watch({ namespace: t.namespace, fieldSelector: `metadata.name=${t.name}`, signal });
  let first = true;
  for await (const ev of events) {
    let obj: StellaObject | undefined;
    if (ev.type === "BOOKMARK") continue;
    if (ev.type === "RELIST") {
      obj = ev.items.find((o) => o.metadata.name === t.name);
      // Like kubectl, waiting for a condition of an object that does not exist is an error.
      if (first && !obj && (w.kind === "condition" || w.kind === "jsonpath")) throw notFound(t);
      first = false;
    } else obj = ev.type === "DELETED" ? undefined : ev.object;
    const v = judge(w, obj, t.uid);
    record(t, v);
    if (v.met) return;
  }
}
