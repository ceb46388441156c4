// Connecting to a Docker Engine from a Target's settings: a Unix socket (default
// /var/run/docker.sock) or a tcp:// address, with TLS material from a Secret (ca.crt, tls.crt,
// tls.key) read through the DriverContext. Health probes go to the engine's host address.
import Docker from "dockerode";
import { DriverError, DriverReasons, type DriverContext } from "../../sdk/plugins/driver.ts";

/** The default engine socket. */
export const DEFAULT_SOCKET = "/var/run/docker.sock";

/** Where an engine is: Target.spec.docker (and the same fields of spec.compose). */
export interface EngineSettings {
  socket?: string;
  host?: string;
  tlsSecretRef?: { name: string };
}

/** A connected engine client and the address its containers' host ports are reached at. */
export interface Engine {
  docker: Docker;
  /** Host address for health probes: 127.0.0.1 for a local socket, the tcp:// host otherwise. */
  address: string;
  /** Where the engine is, for messages (`unix:///var/run/docker.sock`, `tcp://h:2376`). */
  endpoint: string;
}

/**
 * A client for the engine `settings` name. Opens no connection; throws DriverError(InvalidTarget)
 * for an address it cannot use, and whatever ctx.secretValue throws for missing TLS material.
 */
export async function connectEngine(settings: EngineSettings, ctx: DriverContext): Promise<Engine> {
  const host = settings.host;
  if (host === undefined || host.startsWith("unix://")) {
    const socketPath = host ? host.slice("unix://".length) : (settings.socket ?? DEFAULT_SOCKET);
    if (settings.tlsSecretRef) throw invalid("tlsSecretRef needs a tcp:// host");
    return { docker: new Docker({ socketPath }), address: "127.0.0.1", endpoint: `unix://${socketPath}` };
  }
  if (!host.startsWith("tcp://")) throw invalid(`${host}: only unix:// and tcp:// engine addresses are supported`);
  let url: URL;
  try {
    url = new URL(`http://${host.slice("tcp://".length)}`);
  } catch {
    throw invalid(`${host} is not a valid tcp:// address`);
  }
  const hostname = url.hostname.replace(/^\[(.*)\]$/, "$1");
  const tls = settings.tlsSecretRef && (await tlsMaterial(settings.tlsSecretRef.name, ctx));
  const port = url.port ? Number(url.port) : tls ? 2376 : 2375;
  const docker = new Docker({ host: hostname, port, protocol: tls ? "https" : "http", ...tls });
  return { docker, address: hostname, endpoint: `tcp://${url.host}` };
}

async function tlsMaterial(secret: string, ctx: DriverContext): Promise<{ ca: string; cert: string; key: string }> {
  const [ca, cert, key] = await Promise.all(
    ["ca.crt", "tls.crt", "tls.key"].map((key) => ctx.secretValue({ name: secret, key })),
  );
  return { ca, cert, key };
}

const invalid = (message: string) => new DriverError(DriverReasons.InvalidTarget, message, false);
