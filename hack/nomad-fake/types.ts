// The shapes of the Nomad contract fake: the subset of Nomad's JSON job, deployment and allocation
// objects that Stella's nomad driver reads and writes, with Nomad's field names.
//   Jobs:        https://developer.hashicorp.com/nomad/api-docs/jobs
//   Job spec:    https://developer.hashicorp.com/nomad/api-docs/json-jobs
//   Deployments: https://developer.hashicorp.com/nomad/api-docs/deployments
//   Allocations: https://developer.hashicorp.com/nomad/api-docs/allocations (#read-allocation)
// This is a CONTRACT FAKE for tests and the local estate, not Nomad.

/** The `update` block: how Nomad rolls a group to a new job version. Durations in nanoseconds. */
export interface UpdateStrategy {
  MaxParallel?: number;
  Canary?: number;
  AutoPromote?: boolean;
  AutoRevert?: boolean;
  MinHealthyTime?: number;
  HealthyDeadline?: number;
  ProgressDeadline?: number;
  HealthCheck?: "checks" | "task_states" | "manual";
}

export interface ServiceCheck {
  Name?: string;
  Type: "http" | "tcp";
  Path?: string;
  PortLabel?: string;
  Interval?: number;
  Timeout?: number;
}

export interface Service {
  Name: string;
  Provider?: string;
  PortLabel?: string;
  Checks?: ServiceCheck[];
}

export interface Task {
  Name: string;
  Driver: string;
  Config: { image: string; network_mode?: string; entrypoint?: string[]; args?: string[]; work_dir?: string };
  User?: string;
  Env?: Record<string, string>;
  Services?: Service[];
  KillTimeout?: number;
}

export interface TaskGroup {
  Name: string;
  Count: number;
  Meta?: Record<string, string>;
  Update?: UpdateStrategy;
  Networks?: { Mode?: string; ReservedPorts?: { Label: string; Value: number; HostNetwork?: string }[] }[];
  Tasks: Task[];
}

export interface Job {
  ID: string;
  Name?: string;
  Namespace?: string;
  Region?: string;
  Type?: string;
  Datacenters?: string[];
  Meta?: Record<string, string>;
  Update?: UpdateStrategy;
  TaskGroups: TaskGroup[];
  // Server-set fields.
  Version?: number;
  Stable?: boolean;
  Stop?: boolean;
  Status?: string;
  SubmitTime?: number;
  CreateIndex?: number;
  ModifyIndex?: number;
  JobModifyIndex?: number;
}

export interface DeploymentGroupState {
  AutoRevert: boolean;
  AutoPromote: boolean;
  Promoted: boolean;
  DesiredCanaries: number;
  DesiredTotal: number;
  PlacedCanaries: string[];
  PlacedAllocs: number;
  HealthyAllocs: number;
  UnhealthyAllocs: number;
  RequireProgressBy?: string;
}

export interface Deployment {
  ID: string;
  Namespace: string;
  JobID: string;
  JobVersion: number;
  JobModifyIndex: number;
  Status: "running" | "successful" | "failed" | "cancelled" | "paused";
  StatusDescription: string;
  TaskGroups: Record<string, DeploymentGroupState>;
  CreateIndex: number;
  ModifyIndex: number;
}

export interface TaskEvent {
  Type: string;
  Time: number;
  DisplayMessage: string;
}

export interface Allocation {
  ID: string;
  Name: string;
  Namespace: string;
  JobID: string;
  JobVersion: number;
  TaskGroup: string;
  /** sha256 of the group's spec: an alloc whose group is unchanged by a new version is kept in place. */
  GroupHash: string;
  DesiredStatus: "run" | "stop";
  DesiredDescription?: string;
  ClientStatus: "pending" | "running" | "complete" | "failed";
  ClientDescription?: string;
  DeploymentID?: string;
  DeploymentStatus?: { Healthy?: boolean; Canary: boolean; Timestamp?: string };
  TaskStates: Record<string, { State: "pending" | "running" | "dead"; Failed: boolean; Events: TaskEvent[] }>;
  NodeID: string;
  /**
   * Where its ports answer, as Nomad's full allocation (`GET /v1/allocation/:id`) shapes it; the
   * list stub leaves it out. The fake's allocations run host-network on the local engine: 127.0.0.1.
   */
  AllocatedResources: {
    Shared: {
      Ports: { Label: string; Value: number; To: number; HostIP: string }[];
      Networks: { Mode: string; Device: string; IP: string; ReservedPorts: { Label: string; Value: number }[] }[];
    };
  };
  CreateIndex: number;
  ModifyIndex: number;
  CreateTime: number;
  /** Fake-internal: when the task started running and when checks first passed (ms). */
  startedAt?: number;
  passingSince?: number;
  container?: string;
}
