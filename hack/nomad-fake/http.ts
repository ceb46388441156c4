// The Nomad contract fake's HTTP API: exactly the calls Stella's nomad driver makes, with Nomad's
// paths, bodies, `X-Nomad-Index` headers, blocking queries (`?index=N&wait=D`), ACL tokens
// (`X-Nomad-Token`; a wrong one is `403 Permission denied`) and namespaces (`?namespace=`).
//   GET    /v1/agent/self                       https://developer.hashicorp.com/nomad/api-docs/agent
//   GET    /v1/jobs?prefix=&meta=true           https://developer.hashicorp.com/nomad/api-docs/jobs
//   POST   /v1/jobs                             (register)
//   GET    /v1/job/:id
//   GET    /v1/job/:id/versions
//   GET    /v1/job/:id/allocations
//   GET    /v1/job/:id/deployment
//   POST   /v1/job/:id/revert
//   DELETE /v1/job/:id?purge=true
//   GET    /v1/deployment/:id                   https://developer.hashicorp.com/nomad/api-docs/deployments
//   POST   /v1/deployment/promote/:id
//   POST   /v1/deployment/fail/:id
//   GET    /v1/allocation/:id                   https://developer.hashicorp.com/nomad/api-docs/allocations
//   GET    /v1/client/allocation/:id/exec
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { handleExec } from "./exec.ts";
import type { Faults } from "./faults.ts";
import type { Scheduler } from "./scheduler.ts";
import type { Store } from "./store.ts";
import type { Allocation, Job } from "./types.ts";

class HttpError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

interface Request {
  method: string;
  path: string[];
  url: URL;
  namespace: string;
  body: () => Promise<Record<string, unknown>>;
  signal: AbortSignal;
}

const WAIT_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000 };

/** `wait` of a blocking query (`5s`, `2m`); 5 minutes when omitted, at most 10 (Nomad's limits). */
function waitMillis(text: string | null): number {
  const m = /^(\d+)(ms|s|m)$/.exec(text ?? "");
  return Math.min(m ? Number(m[1]) * WAIT_UNITS[m[2]] : 300_000, 600_000);
}

/** Nomad's AllocListStub: what allocation lists return. */
const allocStub = (a: Allocation) => {
  const { AllocatedResources: _r, ...full } = allocView(a);
  return full;
};

/** Nomad's Allocation: what reading one allocation returns (with where its ports answer). */
const allocView = (a: Allocation) => {
  const { GroupHash: _h, startedAt: _s, passingSince: _p, container: _c, ...view } = a;
  return view;
};

const jobStub = (j: Job, meta: boolean) => ({
  ID: j.ID,
  Name: j.Name ?? j.ID,
  Namespace: j.Namespace,
  Type: j.Type ?? "service",
  Status: j.Stop ? "dead" : j.Status,
  Stop: j.Stop,
  Version: j.Version,
  Datacenters: j.Datacenters,
  CreateIndex: j.CreateIndex,
  ModifyIndex: j.ModifyIndex,
  JobModifyIndex: j.JobModifyIndex,
  SubmitTime: j.SubmitTime,
  ...(meta ? { Meta: j.Meta ?? {} } : {}),
});

/** Builds the fake's server; `token` is the only ACL token it accepts (none: ACLs off). */
export function nomadServer(store: Store, scheduler: Scheduler, faults: Faults, token?: string): Server {
  const route = async (r: Request): Promise<unknown> => {
    const [v1, a, b, c] = r.path;
    if (v1 !== "v1") throw new HttpError(404, "Invalid URL");
    const jobOf = (id: string) => {
      const job = store.job(r.namespace, id);
      if (!job) throw new HttpError(404, "job not found");
      return job;
    };
    const deploymentOf = (id: string) => {
      const d = store.deployments.get(id);
      if (!d) throw new HttpError(404, "deployment not found");
      return d;
    };
    const get = r.method === "GET";
    if (get && a === "agent" && b === "self") {
      return {
        config: {
          Region: "global",
          Datacenter: "dc1",
          Version: { Version: "1.9.7", VersionMetadata: "stella-contract-fake" },
        },
        member: { Name: "nomad-contract-fake", Tags: { build: "1.9.7", region: "global", dc: "dc1" } },
      };
    }
    if (a === "jobs" && b === undefined) {
      if (get) {
        const prefix = r.url.searchParams.get("prefix") ?? "";
        const meta = r.url.searchParams.get("meta") === "true";
        return [...store.jobs.values()]
          .map((v) => v.at(-1)!)
          .filter((j) => j.Namespace === r.namespace && j.ID.startsWith(prefix))
          .map((j) => jobStub(j, meta));
      }
      if (r.method === "POST" || r.method === "PUT") {
        const body = (await r.body()) as { Job?: Job };
        if (!body.Job?.ID || !Array.isArray(body.Job.TaskGroups))
          throw new HttpError(400, "Job ID and TaskGroups are required");
        const { job, changed } = store.register(r.namespace, body.Job);
        if (changed) scheduler.onRegister(job);
        return {
          EvalID: store.newId(),
          EvalCreateIndex: store.index,
          JobModifyIndex: job.JobModifyIndex,
          Warnings: "",
          Index: store.index,
        };
      }
    }
    if (a === "job" && b !== undefined) {
      if (get && c === undefined) return jobOf(b);
      if (get && c === "versions") return { Versions: [...store.versions(r.namespace, b)].reverse(), Diffs: null };
      if (get && c === "allocations") return store.jobAllocs(r.namespace, jobOf(b).ID).map(allocStub);
      if (get && c === "deployment") return store.latestDeployment(r.namespace, jobOf(b).ID) ?? null;
      if (r.method === "POST" && c === "revert") {
        const body = (await r.body()) as { JobVersion?: number; EnforcePriorVersion?: number };
        const job = jobOf(b);
        if (body.EnforcePriorVersion !== undefined && body.EnforcePriorVersion !== job.Version)
          throw new HttpError(400, "enforcing version mismatch");
        const reverted = scheduler.revert(r.namespace, b, Number(body.JobVersion));
        return { EvalID: store.newId(), JobModifyIndex: reverted.JobModifyIndex, Index: store.index };
      }
      if (r.method === "DELETE" && c === undefined) {
        const job = jobOf(b);
        scheduler.stopJob(r.namespace, b, "alloc is being stopped because job is stopped");
        if (r.url.searchParams.get("purge") === "true") store.purge(r.namespace, b);
        else {
          job.Stop = true;
          job.Status = "dead";
          job.JobModifyIndex = job.ModifyIndex = store.bump();
        }
        return { EvalID: store.newId(), JobModifyIndex: store.index, Index: store.index };
      }
    }
    if (get && a === "allocation" && b !== undefined && c === undefined) {
      const alloc = store.allocs.get(b);
      if (!alloc) throw new HttpError(404, "alloc not found");
      const job = store.versions(alloc.Namespace, alloc.JobID).find((j) => j.Version === alloc.JobVersion);
      return { ...allocView(alloc), Job: job ?? null };
    }
    if (a === "deployment") {
      if (get && c === undefined) return deploymentOf(b);
      if (r.method === "POST" && (b === "promote" || b === "fail") && c) {
        const d = deploymentOf(c);
        try {
          if (b === "promote") scheduler.promote(d);
          else scheduler.fail(d, "Deployment marked as failed");
        } catch (err) {
          throw new HttpError(400, (err as Error).message);
        }
        return { EvalID: store.newId(), DeploymentModifyIndex: d.ModifyIndex, Index: store.index };
      }
    }
    throw new HttpError(404, "Invalid URL");
  };

  const server = createServer((req, res) => void serve(req, res));

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://fake");
    const controller = new AbortController();
    res.on("close", () => controller.abort());
    const send = (code: number, body: unknown) => {
      res.writeHead(code, {
        "Content-Type": typeof body === "string" ? "text/plain" : "application/json",
        "X-Nomad-Index": String(store.index),
        "X-Nomad-KnownLeader": "true",
        "X-Nomad-LastContact": "0",
      });
      res.end(typeof body === "string" ? body : JSON.stringify(body));
    };
    if (url.pathname.startsWith("/_fake/")) return fakeControl(req, url, send);
    faults.count(
      `${req.method} ${url.pathname.replace(/\/[0-9a-f-]{36}/g, "/:id").replace(/^\/v1\/job\/[^/]+/, "/v1/job/:id")}`,
    );
    if (faults.delayMs) await new Promise((r) => setTimeout(r, faults.delayMs));
    const injected = faults.take();
    if (injected) return send(injected, injected === 429 ? "Too many requests" : "injected server error");
    if (token && req.headers["x-nomad-token"] !== token) return send(403, "Permission denied");
    const index = url.searchParams.get("index");
    if (req.method === "GET" && index)
      await store.waitFor(Number(index), waitMillis(url.searchParams.get("wait")), controller.signal);
    try {
      const body = await route({
        method: req.method ?? "GET",
        url,
        path: url.pathname.split("/").filter(Boolean).map(decodeURIComponent),
        namespace: url.searchParams.get("namespace") ?? "default",
        signal: controller.signal,
        body: () => readJson(req),
      });
      send(200, body);
    } catch (err) {
      if (err instanceof HttpError) send(err.code, err.message);
      else send(500, (err as Error).message);
    }
  }

  async function fakeControl(
    req: IncomingMessage,
    url: URL,
    send: (code: number, body: unknown) => void,
  ): Promise<void> {
    if (url.pathname === "/_fake/faults" && req.method === "POST") {
      faults.set((await readJson(req)) as { throttle?: number; errors?: number; delayMs?: number });
      return send(200, { throttle: faults.throttle, errors: faults.errors, delayMs: faults.delayMs });
    }
    if (url.pathname === "/_fake/calls" && req.method === "GET") return send(200, Object.fromEntries(faults.calls));
    if (url.pathname === "/_fake/calls" && req.method === "DELETE") {
      faults.calls.clear();
      return send(200, {});
    }
    send(404, "unknown fake control");
  }

  server.on("upgrade", (req, socket, head) => {
    const url = new URL(req.url ?? "/", "http://fake");
    const m = /^\/v1\/client\/allocation\/([^/]+)\/exec$/.exec(url.pathname);
    faults.count("GET /v1/client/allocation/:id/exec");
    if (token && req.headers["x-nomad-token"] !== token)
      return void socket.end("HTTP/1.1 403 Forbidden\r\nContent-Length: 17\r\n\r\nPermission denied");
    if (!m) return void socket.end("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
    handleExec(store, req, socket, head, m[1], url);
  });
  return server;
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  if (!text) return {};
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new HttpError(400, "request body is not JSON");
  }
}
