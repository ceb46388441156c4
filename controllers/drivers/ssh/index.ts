// The ssh driver: units on a host reached over SSH (pinned host keys, one shared connection per
// host), through the host's Docker Engine or compose.
export { sshDriver } from "./plugin.ts";
export { SshDriver } from "./driver.ts";
export { KEPT_RELEASES, REMOTE_COMPOSE_DIR, remoteComposePath } from "./remote-compose.ts";
export { DEFAULT_COMMAND_TIMEOUT, DEFAULT_CONCURRENCY, sshSettings, type SshSettings } from "./settings.ts";
