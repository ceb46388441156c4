// The docker driver and the engine pieces the compose driver shares with it.
export { dockerDriver, DockerDriver } from "./driver.ts";
export { connectEngine, DEFAULT_SOCKET, type Engine, type EngineSettings } from "./connection.ts";
export { observeUnits, toObservedUnit } from "./observe.ts";
export { removeUnits, removeContainer } from "./remove.ts";
export { checkUnit } from "./check.ts";
export { execProbe } from "./exec.ts";
export { probeEngine } from "./probe.ts";
export { ensureImage, registryHost } from "./pull.ts";
export { containerName, formatPorts, labelFilters, parsePorts, specLabels } from "./labels.ts";
export { CONTAINER_SPEC, CONTAINER_SPEC_MEDIA_TYPE, containerSpec, portEnv, renderContainerSpecs, secretReference, STOP_TIMEOUT_SECONDS } from "./render.ts";
export { engineStatus, isConnectionError, toDriverError } from "./errors.ts";
export { stableJson } from "./stable-json.ts";
