import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Task } from "@aws-sdk/client-ecs";
import { taskHost } from "./observe.ts";

// Shapes of DescribeTasks (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Task.html).
const fargate: Task = {
  taskArn: "arn:aws:ecs:eu-west-1:000000000000:task/shop-prod/0f1e",
  lastStatus: "RUNNING",
  attachments: [
    {
      id: "a1b2",
      type: "ElasticNetworkInterface",
      status: "ATTACHED",
      details: [
        { name: "subnetId", value: "subnet-0abc" },
        { name: "networkInterfaceId", value: "eni-0abc" },
        { name: "macAddress", value: "0a:1b:2c:3d:4e:5f" },
        { name: "privateDnsName", value: "ip-10-0-3-41.eu-west-1.compute.internal" },
        { name: "privateIPv4Address", value: "10.0.3.41" },
      ],
    },
  ],
  containers: [{ name: "web", networkInterfaces: [{ attachmentId: "a1b2", privateIpv4Address: "10.0.3.41" }] }],
};

describe("taskHost: where ECS says a task's port answers", () => {
  it("an awsvpc task: the ENI attachment's privateIPv4Address detail", () => {
    assert.equal(taskHost(fargate, 28000), "10.0.3.41");
  });

  it("an awsvpc task whose attachment lacks the detail: the container's network interface", () => {
    const task: Task = {
      ...fargate,
      attachments: [{ ...fargate.attachments![0], details: [] }],
      containers: [{ networkInterfaces: [{ privateIpv4Address: "10.0.3.42" }] }],
    };
    assert.equal(taskHost(task, 28000), "10.0.3.42");
  });

  it("host mode: the binding of that port when it is bound to one address", () => {
    const task: Task = {
      containers: [
        {
          networkBindings: [
            { bindIP: "10.0.9.1", containerPort: 28001, hostPort: 28001, protocol: "tcp" },
            { bindIP: "10.0.9.2", containerPort: 28000, hostPort: 28000, protocol: "tcp" },
          ],
        },
      ],
    };
    assert.equal(taskHost(task, 28000), "10.0.9.2");
  });

  it("says nothing for 0.0.0.0 bindings (bridge and host mode on EC2) or a task not yet placed", () => {
    const bound: Task = {
      containers: [{ networkBindings: [{ bindIP: "0.0.0.0", containerPort: 80, hostPort: 28000 }] }],
    };
    assert.equal(taskHost(bound, 28000), undefined);
    assert.equal(taskHost({ lastStatus: "PROVISIONING", containers: [{}] }, 28000), undefined);
  });
});
