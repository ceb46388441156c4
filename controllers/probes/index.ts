// Health probes that reach a unit over the network (HTTP GET, TCP connect), with their timeouts;
// any driver whose units listen on reachable ports checks them this way.
export { probeNetwork, type PortConnector } from "./network.ts";
export { probeTimeoutMillis } from "./timeout.ts";
