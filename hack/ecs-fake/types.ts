// The ECS objects the contract fake keeps, with the fields the ECS API reference gives them (only
// those the driver reads or writes). https://docs.aws.amazon.com/AmazonECS/latest/APIReference/
export interface PortMapping {
  name?: string;
  containerPort: number;
  hostPort?: number;
  protocol?: string;
}
export interface KeyValue {
  name: string;
  value: string;
}
export interface HealthCheck {
  command: string[];
  interval?: number;
  timeout?: number;
  retries?: number;
  startPeriod?: number;
}
export interface ContainerDefinition {
  name: string;
  image: string;
  essential?: boolean;
  command?: string[];
  entryPoint?: string[];
  workingDirectory?: string;
  user?: string;
  environment?: KeyValue[];
  portMappings?: PortMapping[];
  healthCheck?: HealthCheck;
  dockerLabels?: Record<string, string>;
}
export interface Tag {
  key: string;
  value: string;
}
export interface TaskDefinition {
  taskDefinitionArn: string;
  family: string;
  revision: number;
  status: "ACTIVE" | "INACTIVE";
  containerDefinitions: ContainerDefinition[];
  networkMode?: string;
  requiresCompatibilities?: string[];
  cpu?: string;
  memory?: string;
  executionRoleArn?: string;
  taskRoleArn?: string;
  registeredAt: number;
}
/** A lifecycle hook (API_DeploymentLifecycleHook): AWS_LAMBDA (the default) or PAUSE. */
export interface LifecycleHook {
  targetType?: "AWS_LAMBDA" | "PAUSE";
  hookTargetArn?: string;
  roleArn?: string;
  lifecycleStages?: string[];
  timeoutConfiguration?: { timeoutInMinutes?: number; action?: "CONTINUE" | "ROLLBACK" };
}
export interface DeploymentConfiguration {
  minimumHealthyPercent?: number;
  maximumPercent?: number;
  deploymentCircuitBreaker?: { enable: boolean; rollback: boolean };
  /** ROLLING (the default) or BLUE_GREEN; LINEAR and CANARY are refused by the fake. */
  strategy?: "ROLLING" | "BLUE_GREEN";
  bakeTimeInMinutes?: number;
  lifecycleHooks?: LifecycleHook[];
}
/** API_ServiceRevisionSummary. */
export interface ServiceRevisionSummary {
  arn: string;
  requestedTaskCount: number;
  runningTaskCount: number;
  pendingTaskCount: number;
}
/** API_DeploymentLifecycleHookDetail: one hook's run in a service deployment. */
export interface LifecycleHookDetail {
  hookId: string;
  targetType: "PAUSE";
  status: "AWAITING_ACTION" | "IN_PROGRESS" | "SUCCEEDED" | "FAILED" | "TIMED_OUT";
  expiresAt: number;
  timeoutAction: "CONTINUE" | "ROLLBACK";
  /** Fake-only, never sent: the stage the hook ran at. */
  stage?: string;
}
/** API_ServiceDeployment, with the fake's bookkeeping (never sent) at the end. */
export interface ServiceDeployment {
  serviceDeploymentArn: string;
  serviceArn: string;
  clusterArn: string;
  createdAt: number;
  startedAt: number;
  updatedAt: number;
  finishedAt?: number;
  stoppedAt?: number;
  sourceServiceRevisions: ServiceRevisionSummary[];
  targetServiceRevision: ServiceRevisionSummary;
  status:
    | "PENDING"
    | "IN_PROGRESS"
    | "SUCCESSFUL"
    | "STOPPED"
    | "STOP_REQUESTED"
    | "ROLLBACK_REQUESTED"
    | "ROLLBACK_IN_PROGRESS"
    | "ROLLBACK_SUCCESSFUL"
    | "ROLLBACK_FAILED";
  statusReason?: string;
  lifecycleStage?: string;
  lifecycleHookDetails: LifecycleHookDetail[];
  deploymentConfiguration: DeploymentConfiguration;
  rollback?: { reason: string; startedAt: number; serviceRevisionArn: string };
  /** The Deployment (service.deployments[].id) rolled out, and the ones it replaces. */
  target: string;
  sources: string[];
  /** When the current lifecycle stage began. */
  stageAt: number;
}
export interface Deployment {
  id: string;
  status: "PRIMARY" | "ACTIVE";
  taskDefinition: string;
  desiredCount: number;
  pendingCount: number;
  runningCount: number;
  failedTasks: number;
  rolloutState: "IN_PROGRESS" | "COMPLETED" | "FAILED";
  rolloutStateReason: string;
  createdAt: number;
  updatedAt: number;
  launchType?: string;
}
export interface ServiceEvent {
  id: string;
  createdAt: number;
  message: string;
}
export interface Service {
  serviceArn: string;
  serviceName: string;
  clusterArn: string;
  status: "ACTIVE" | "DRAINING" | "INACTIVE";
  desiredCount: number;
  taskDefinition: string;
  launchType?: string;
  deploymentConfiguration: DeploymentConfiguration;
  deployments: Deployment[];
  events: ServiceEvent[];
  tags: Tag[];
  createdAt: number;
  /** The ARN of the service deployment under way or last finished (API_Service). */
  currentServiceDeployment?: string;
  /** The task definition of the last deployment that COMPLETED: what the circuit breaker rolls back to. */
  lastCompleted?: string;
}
export interface Task {
  taskArn: string;
  clusterArn: string;
  taskDefinitionArn: string;
  group: string;
  startedBy: string;
  lastStatus: "PROVISIONING" | "PENDING" | "RUNNING" | "STOPPED";
  desiredStatus: "RUNNING" | "STOPPED";
  healthStatus: "HEALTHY" | "UNHEALTHY" | "UNKNOWN";
  stoppedReason?: string;
  stopCode?: string;
  containers: {
    name: string;
    image: string;
    lastStatus: string;
    exitCode?: number;
    reason?: string;
    healthStatus: string;
    /** awsvpc: the task ENI's address (API_NetworkInterface). */
    networkInterfaces?: { attachmentId: string; privateIpv4Address: string }[];
    /** host and bridge mode: where each port is bound (API_NetworkBinding). */
    networkBindings?: { bindIP: string; containerPort: number; hostPort: number; protocol: string }[];
  }[];
  /** awsvpc: the task's ENI, its private IPv4 address a `privateIPv4Address` detail (API_Attachment). */
  attachments?: { id: string; type: string; status: string; details: { name: string; value: string }[] }[];
  createdAt: number;
  startedAt?: number;
  stoppedAt?: number;
  /** Fake-only bookkeeping, never sent: the container id. */
  container?: string;
}
