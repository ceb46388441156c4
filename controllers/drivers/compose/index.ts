// The compose driver: units as services of a compose project, over a generated compose file.
export { composeDriver, ComposeDriver, COMPOSE_FILE, COMPOSE_FILE_MEDIA_TYPE, type ComposeSettings } from "./driver.ts";
export { applyComposeSet, UP_TIMEOUT_MS, type ComposeProject, type ComposeUp } from "./apply.ts";
export { composeEnv, detectComposeCli, outputTail, runCompose, type ComposeCli, type ComposeRun } from "./command.ts";
export { observeProject, PROJECT_LABEL, SERVICE_LABEL, type ProjectUnit } from "./project.ts";
export {
  ARTIFACT_VARIABLE,
  COMPOSE_FILE_VERSION,
  DEPLOYMENT_VARIABLE,
  renderComposeFile,
  serviceName,
  STOP_GRACE_PERIOD,
  type ComposeFile,
  type SecretVariable,
} from "./render.ts";
