// Applying one object, the two ways kubectl does: client-side (create with the last-applied
// annotation, or a three-way merge patch against the live object; nothing sent when nothing
// changed) and server-side (an apply patch owned by a field manager).
import { isAlreadyExists, isNotFound } from "../../crds/errors.ts";
import type { StellaObject } from "../../crds/meta.ts";
import type { Client } from "../../sdk/client.ts";
import type { DryRun } from "../dry-run.ts";
import type { Placed } from "../manifests/placement.ts";
import { withLastApplied, lastAppliedOf } from "./last-applied.ts";
import { applyMergePatch, threeWayMergePatch, type JsonObject } from "./merge-patch.ts";

/** What apply did to an object, as kubectl words it. */
export type ApplyOutcome = "created" | "configured" | "unchanged" | "serverside-applied";

/** How to apply. */
export interface ApplyOptions {
  serverSide: boolean;
  fieldManager: string;
  /** Server-side only: take over fields other managers own. */
  force: boolean;
  dryRun: DryRun;
}

/** The result of applying one object: the outcome and the object as the server (or a client dry run) has it. */
export interface Applied {
  outcome: ApplyOutcome;
  object: StellaObject;
}

/** Applies one placed manifest. API failures throw ApiError. */
export async function applyObject(client: Client, p: Placed, opts: ApplyOptions): Promise<Applied> {
  const rc = client.resource(p.info);
  const obj = p.object as unknown as StellaObject;
  if (opts.serverSide) {
    if (opts.dryRun === "client") return { outcome: "serverside-applied", object: obj };
    const object = await rc.apply(obj, {
      fieldManager: opts.fieldManager,
      force: opts.force,
      dryRun: opts.dryRun === "server",
      namespace: p.namespace,
    });
    return { outcome: "serverside-applied", object };
  }
  const write = { fieldManager: opts.fieldManager, dryRun: opts.dryRun === "server" };
  const modified = withLastApplied(p.object as unknown as JsonObject);
  for (let attempt = 0; ; attempt++) {
    let live: StellaObject;
    try {
      live = await rc.get(p.name, { namespace: p.namespace });
    } catch (err) {
      if (!isNotFound(err)) throw err;
      if (opts.dryRun === "client") return { outcome: "created", object: modified as unknown as StellaObject };
      try {
        return { outcome: "created", object: await rc.create(modified as unknown as StellaObject, write) };
      } catch (createErr) {
        // Someone created it between our get and create: patch it instead, once.
        if (!isAlreadyExists(createErr) || attempt > 0) throw createErr;
        continue;
      }
    }
    const current = live as unknown as JsonObject;
    const patch = threeWayMergePatch(lastAppliedOf(live), modified, current);
    if (Object.keys(patch).length === 0) return { outcome: "unchanged", object: live };
    if (opts.dryRun === "client")
      return { outcome: "configured", object: applyMergePatch(current, patch) as unknown as StellaObject };
    const object = await rc.patch(p.name, patch, { type: "merge", namespace: p.namespace, ...write });
    return { outcome: "configured", object };
  }
}
