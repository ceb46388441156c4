// The ecs driver: each unit one task of a Stella-created ECS service; the task definition JSON the artifact.
export { ecsDriver, EcsDriver } from "./driver.ts";
export { ECS_TASK_DEFINITION, ECS_TASK_DEFINITION_MEDIA_TYPE, renderArtifacts, serviceName } from "./render.ts";
export { MAX_ATTEMPTS } from "./client.ts";
