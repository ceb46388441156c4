// The ssh driver plugin: binds to Target.spec.ssh. Reads the logins (target and jump host) from
// their Secrets and checks both pinned host keys parse, then leases the host's shared connection.
// Nothing connects until the first call.
import type { Target } from "../../../crds/target.ts";
import {
  DriverError,
  DriverReasons,
  type Driver,
  type DriverContext,
  type DriverPlugin,
} from "../../../sdk/plugins/driver.ts";
import type { SshEndpoint } from "./connection.ts";
import { readLogin } from "./credentials.ts";
import { SshDriver } from "./driver.ts";
import { remoteEngine } from "./engine.ts";
import { parseHostKey } from "./host-key.ts";
import { sshSettings, type SshSpec } from "./settings.ts";
import { leaseConnection } from "./shared-connections.ts";

/** The ssh driver plugin. */
export const sshDriver: DriverPlugin = {
  name: "ssh",
  async create(target: Target, ctx: DriverContext): Promise<Driver> {
    const spec = target.spec.ssh;
    if (!spec) throw new DriverError(DriverReasons.InvalidTarget, "spec.ssh is required for the ssh driver", false);
    const name = target.metadata.name;
    if (!name) throw new DriverError(DriverReasons.InvalidTarget, "the target has no name", false);
    const settings = sshSettings(name, spec);
    const endpoint: SshEndpoint = {
      host: settings.host,
      port: settings.port,
      user: settings.user,
      hostKey: parseHostKey(spec.hostKey, "spec.ssh.hostKey"),
      login: await readLogin(spec, ctx),
    };
    const lease = leaseConnection({
      target: endpoint,
      jump: spec.jumpHost && (await jumpEndpoint(spec, endpoint, ctx)),
      timeoutMs: settings.timeoutMs,
      concurrency: settings.concurrency,
    });
    return new SshDriver(name, settings, lease, remoteEngine(lease.connection, settings.socket, settings.timeoutMs));
  },
};

/** The jump host: its own pinned key; the target's user and login unless it names its own. */
async function jumpEndpoint(spec: SshSpec, target: SshEndpoint, ctx: DriverContext): Promise<SshEndpoint> {
  const jump = spec.jumpHost!;
  return {
    host: jump.host,
    port: jump.port ?? 22,
    user: jump.user ?? target.user,
    hostKey: parseHostKey(jump.hostKey, "spec.ssh.jumpHost.hostKey"),
    login: jump.privateKeySecretRef
      ? await readLogin(
          { privateKeySecretRef: jump.privateKeySecretRef, passphraseSecretRef: jump.passphraseSecretRef },
          ctx,
        )
      : target.login,
  };
}
