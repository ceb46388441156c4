// The ECS contract fake's HTTP edge: the AWS JSON 1.1 protocol — `POST /` with
// `Content-Type: application/x-amz-json-1.1` and `X-Amz-Target: AmazonEC2ContainerServiceV20141113.<Action>`,
// errors as `{"__type": ..., "message": ...}` — behind a SigV4 check of the fake's credentials, and
// failure injection (ThrottlingException as 400, ServerException as 500) before any action runs.
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/CommonErrors.html
import { createServer, type Server } from "node:http";
import type { Faults } from "../nomad-fake/faults.ts";
import { verifySignature, type FakeCredentials } from "./sigv4.ts";
import { EcsFault } from "./errors.ts";
import type { Store } from "./store.ts";

const TARGET_PREFIX = "AmazonEC2ContainerServiceV20141113.";

/** The actions the fake implements: exactly the calls of Stella's ecs driver. */
export const ACTIONS = [
  "DescribeClusters",
  "RegisterTaskDefinition",
  "DescribeTaskDefinition",
  "CreateService",
  "UpdateService",
  "DeleteService",
  "DescribeServices",
  "ListServices",
  "ListTasks",
  "DescribeTasks",
  "StopTask",
  "ListServiceDeployments",
  "DescribeServiceDeployments",
  "ContinueServiceDeployment",
  "StopServiceDeployment",
] as const;

type Handler = (store: Store, body: Record<string, unknown>) => Record<string, unknown>;
const handlers: Record<(typeof ACTIONS)[number], Handler> = {
  DescribeClusters: (s, b) => s.describeClusters(b),
  RegisterTaskDefinition: (s, b) => s.registerTaskDefinition(b),
  DescribeTaskDefinition: (s, b) => s.describeTaskDefinition(b),
  CreateService: (s, b) => s.createService(b),
  UpdateService: (s, b) => s.updateService(b),
  DeleteService: (s, b) => s.deleteService(b),
  DescribeServices: (s, b) => s.describeServices(b),
  ListServices: (s, b) => s.listServices(b),
  ListTasks: (s, b) => s.listTasks(b),
  DescribeTasks: (s, b) => s.describeTasks(b),
  StopTask: (s, b) => s.stopTask(b),
  ListServiceDeployments: (s, b) => s.listServiceDeployments(b),
  DescribeServiceDeployments: (s, b) => s.describeServiceDeployments(b),
  ContinueServiceDeployment: (s, b) => s.continueServiceDeployment(b),
  StopServiceDeployment: (s, b) => s.stopServiceDeployment(b),
};

/** The fake's server; `denied` lists actions the credentials may not call (AccessDeniedException). */
export function ecsServer(store: Store, faults: Faults, creds: FakeCredentials, denied: Set<string>): Server {
  return createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const send = (status: number, body: unknown) => {
        const text = JSON.stringify(body);
        setTimeout(() => {
          res.writeHead(status, {
            "Content-Type": "application/x-amz-json-1.1",
            "x-amzn-RequestId": crypto.randomUUID(),
          });
          res.end(text);
        }, faults.delayMs);
      };
      const fail = (f: EcsFault) => send(f.status, { __type: f.type, message: f.message });
      const body = Buffer.concat(chunks);
      const target = String(req.headers["x-amz-target"] ?? "");
      const action = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : "";
      faults.count(action || "unknown");
      if (req.method !== "POST" || !(action in handlers))
        return fail(new EcsFault("UnknownOperationException", `${target}`));
      const refused = verifySignature(req.method, req.url ?? "/", req.headers, body, creds);
      if (refused) return fail(new EcsFault(refused.type, refused.message, 400));
      if (denied.has(action)) {
        return fail(new EcsFault("AccessDeniedException", `User is not authorized to perform: ecs:${action}`, 400));
      }
      const injected = faults.take();
      if (injected === 429) return fail(new EcsFault("ThrottlingException", "Rate exceeded", 400));
      if (injected === 500) return fail(new EcsFault("ServerException", "Service unavailable", 500));
      try {
        send(
          200,
          handlers[action as keyof typeof handlers](store, body.length ? JSON.parse(body.toString("utf8")) : {}),
        );
      } catch (err) {
        if (err instanceof EcsFault) return fail(err);
        fail(new EcsFault("ServerException", (err as Error).message, 500));
      }
    });
  });
}
