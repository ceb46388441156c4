// The parts of Nomad's JSON job, allocation and deployment objects the driver writes and reads,
// with Nomad's field names. https://developer.hashicorp.com/nomad/api-docs/json-jobs
// Durations are nanoseconds, as in Nomad's JSON API.

export interface NomadUpdate {
  MaxParallel: number;
  Canary: number;
  AutoPromote: boolean;
  AutoRevert: boolean;
  MinHealthyTime: number;
  HealthyDeadline: number;
  ProgressDeadline: number;
  HealthCheck: "checks" | "task_states";
}

export interface NomadCheck {
  Name: string;
  Type: "http" | "tcp";
  Path?: string;
  PortLabel: string;
  Interval: number;
  Timeout: number;
}

export interface NomadTask {
  Name: string;
  Driver: "docker";
  Config: { image: string; network_mode: "host"; entrypoint?: string[]; args?: string[]; work_dir?: string };
  User?: string;
  Env: Record<string, string>;
  KillTimeout: number;
  Services?: { Name: string; Provider: "nomad"; PortLabel?: string; Checks?: NomadCheck[] }[];
}

export interface NomadGroup {
  Name: string;
  Count: number;
  Meta: Record<string, string>;
  Update: NomadUpdate;
  RestartPolicy: { Attempts: number; Mode: "fail" };
  Networks: { Mode: "host"; ReservedPorts: { Label: string; Value: number }[] }[];
  Tasks: NomadTask[];
}

export interface NomadJob {
  ID: string;
  Name: string;
  Type: "service";
  Datacenters: string[];
  NodePool?: string;
  Meta: Record<string, string>;
  TaskGroups: NomadGroup[];
  Version?: number;
  Stop?: boolean;
  Stable?: boolean;
  JobModifyIndex?: number;
}

export interface NomadJobStub {
  ID: string;
  Stop?: boolean;
  Status: string;
  Version?: number;
  Meta?: Record<string, string>;
}

export interface NomadAlloc {
  ID: string;
  Name: string;
  JobID: string;
  JobVersion: number;
  TaskGroup: string;
  DesiredStatus: string;
  ClientStatus: string;
  DeploymentID?: string;
  DeploymentStatus?: { Healthy?: boolean | null; Canary?: boolean };
  TaskStates?: Record<string, { State: string; Failed: boolean; Events?: { Type: string; DisplayMessage: string }[] }>;
}

/**
 * The part of a full allocation (`GET /v1/allocation/:id`, not the list stub) that says where its
 * ports answer: the node it was placed on and, per reserved port, the address Nomad bound it to.
 *   https://developer.hashicorp.com/nomad/api-docs/allocations#read-allocation
 * `Shared.Ports` (Nomad 1.0+: Label, Value, To, HostIP) is what group `network` ports allocate;
 * `Shared.Networks[].IP` is the same address in the older network-resource shape.
 */
export interface NomadAllocPlacement {
  ID: string;
  NodeID: string;
  AllocatedResources?: {
    Shared?: {
      Ports?: { Label: string; Value: number; To?: number; HostIP?: string }[] | null;
      Networks?: { IP?: string; ReservedPorts?: { Label: string; Value: number }[] | null }[] | null;
    };
  } | null;
}

export interface NomadDeployment {
  ID: string;
  JobID: string;
  JobVersion: number;
  Status: string;
  StatusDescription: string;
  TaskGroups: Record<
    string,
    {
      DesiredCanaries: number;
      DesiredTotal: number;
      PlacedCanaries?: string[] | null;
      Promoted: boolean;
      PlacedAllocs: number;
      HealthyAllocs: number;
      UnhealthyAllocs: number;
    }
  >;
}

/** Whether an allocation is meant to run (not stopped, evicted or replaced). */
export const isLive = (a: NomadAlloc): boolean =>
  a.DesiredStatus === "run" && a.ClientStatus !== "complete" && a.ClientStatus !== "lost";
