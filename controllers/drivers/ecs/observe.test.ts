// How observe reads a cluster: a ListTasks per Stella service (every page), or one listing of the
// whole cluster when it runs few other tasks, and the tasks described together, at most 100 a
// DescribeTasks, as the API reference allows
// (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeTasks.html). The client
// is a stub that answers by command and counts the calls; the driver against the contract fake is
// test/drivers/ecs.test.ts.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ECSClient, Service, Task } from "@aws-sdk/client-ecs";
import { MANAGED_BY, UnitLabels } from "../../../sdk/plugins/driver.ts";
import { observeServices } from "./observe.ts";

const CLUSTER = "arn:aws:ecs:eu-west-1:000000000000:cluster/shop";
const TASKS: Record<string, number> = { "shop-web": 1, "shop-api": 105, "shop-worker": 2 };

const service = (name: string): Service => ({
  serviceName: name,
  desiredCount: TASKS[name],
  serviceArn: `arn:aws:ecs:eu-west-1:000000000000:service/shop/${name}`,
  status: "ACTIVE",
  tags: [
    { key: UnitLabels.managedBy, value: MANAGED_BY },
    { key: UnitLabels.namespace, value: "shop" },
    { key: UnitLabels.environment, value: "prod" },
    { key: UnitLabels.target, value: "prod-ecs" },
    { key: UnitLabels.component, value: name.slice("shop-".length) },
  ],
});
const taskArn = (svc: string, i: number) => `arn:aws:ecs:eu-west-1:000000000000:task/shop/${svc}-${i}`;

/**
 * An ECS client answering from TASKS, in a cluster running `others` tasks besides them, 100 task
 * ARNs a ListTasks page; counts calls by command.
 */
function stubClient(others: number) {
  const calls: Record<string, number> = {};
  const described: number[] = [];
  const send = async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
    const name = command.constructor.name.replace(/Command$/, "");
    calls[name] = (calls[name] ?? 0) + 1;
    const input = command.input;
    switch (name) {
      case "ListServices":
        return { serviceArns: Object.keys(TASKS).map((s) => service(s).serviceArn) };
      case "DescribeServices":
        return { services: (input.services as string[]).map((arn) => service(arn.split("/").at(-1)!)) };
      case "DescribeClusters":
        return { clusters: [{ clusterArn: CLUSTER, runningTasksCount: 108 + others, pendingTasksCount: 0 }] };
      case "ListTasks": {
        const svc = input.serviceName as string | undefined;
        const start = Number(input.nextToken ?? 0);
        const of = (s: string) => Array.from({ length: TASKS[s] }, (_, i) => taskArn(s, i));
        const all = svc
          ? of(svc)
          : [...Object.keys(TASKS).flatMap(of), ...Array.from({ length: others }, (_, i) => taskArn("other", i))];
        const next = start + 100 < all.length ? String(start + 100) : undefined;
        return { taskArns: all.slice(start, start + 100), ...(next ? { nextToken: next } : {}) };
      }
      case "DescribeTasks": {
        const arns = input.tasks as string[];
        if (arns.length > 100) throw new Error("tasks can have at most 100 items");
        described.push(arns.length);
        return {
          tasks: arns.map((arn): Task => ({
            taskArn: arn,
            group: `service:${arn.split("/").at(-1)!.replace(/-\d+$/, "")}`,
            taskDefinitionArn: "def:1",
            lastStatus: "RUNNING",
            containers: [],
          })),
        };
      }
      case "DescribeTaskDefinition":
        return { taskDefinition: { taskDefinitionArn: "def:1", containerDefinitions: [{ dockerLabels: {} }] } };
      default:
        throw new Error(`unexpected ${name}`);
    }
  };
  return { ecs: { send } as unknown as ECSClient, calls, described };
}

describe("observe on ECS", () => {
  it("in a cluster of many other tasks, lists each service's tasks (every page) and describes them together", async () => {
    const { ecs, calls, described } = stubClient(5000);
    const units = await observeServices({ ecs, cluster: CLUSTER, defs: new Map() });
    assert.equal(units.length, 108, "every task of every service");
    for (const [svc, n] of Object.entries(TASKS))
      assert.equal(units.filter((u) => u.name.startsWith(`${svc}/`)).length, n, svc);
    assert.equal(calls.DescribeClusters, 1);
    assert.equal(calls.ListTasks, 4, "one per service, two pages for the 105 tasks of shop-api");
    assert.deepEqual(described, [100, 8], "108 tasks in two DescribeTasks, not one per service");
    assert.equal(calls.DescribeTaskDefinition, 1, "a task definition is read once");
  });

  it("in a cluster of few other tasks, lists the whole cluster once and keeps only its services' tasks", async () => {
    const { ecs, calls, described } = stubClient(30);
    const units = await observeServices({ ecs, cluster: CLUSTER, defs: new Map() });
    assert.equal(units.length, 108, "every task of every service, none of the others");
    for (const [svc, n] of Object.entries(TASKS))
      assert.equal(units.filter((u) => u.name.startsWith(`${svc}/`)).length, n, svc);
    assert.equal(calls.ListTasks, 2, "138 tasks in two pages, not four calls");
    assert.deepEqual(described, [100, 38]);
  });
});
