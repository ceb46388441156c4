// Docker Engine access shared by every driver that runs units as containers on a Docker Engine
// (docker and compose here; the ssh and agent drivers reach a remote engine the same way):
// connecting, pulling by digest, naming and labelling containers, observing units by label,
// health checks, removal, and Engine errors as DriverErrors. Public API listed by hand.
export { connectEngine, DEFAULT_SOCKET, type Engine, type EngineSettings } from "./connection.ts";
export { ensureImage, registryHost } from "./pull.ts";
export { containerName, formatPorts, labelFilters, parsePorts, specLabels } from "./labels.ts";
export { portEnv, secretReference, STOP_TIMEOUT_SECONDS } from "./container.ts";
export { observeUnits, toObservedUnit } from "./observe.ts";
export { checkUnit } from "./check.ts";
export { execProbe } from "./exec.ts";
export { probeEngine } from "./probe.ts";
export { removeContainer, removeUnits, settleRemoval } from "./remove.ts";
export { engineStatus, isConnectionError, toDriverError } from "./errors.ts";
export { stableJson } from "./stable-json.ts";
