// The estate's SSH hosts as the ssh driver suites see them (hack/estate/sshd.sh): addresses, pinned
// host keys, the deploy key, Targets for them, keys of every type authorized for a test only, and
// stopping and restarting one host's sshd. Skipped locally when they are not running; under CI=true
// never skipped, so a missing sshd fails.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFile, readdir, writeFile } from "node:fs/promises";
import { connect } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { Target } from "../../crds/target.ts";
import { DriverError, DriverReasons, type DriverContext } from "../../sdk/plugins/driver.ts";
import { ESTATE_DIR, estateSkipReason } from "../estate/estate-env.ts";

const exec = promisify(execFile);
const HACK = fileURLToPath(new URL("../../hack/", import.meta.url));

/**
 * The estate's SSH hosts, port 2222. 127.0.0.4 is the one tests stop and start (FAULT_HOST): only
 * test/deploy/ssh.test.ts uses it, one test at a time, so no other test loses its host meanwhile.
 */
export const SSH_HOSTS = ["127.0.0.2", "127.0.0.3", "127.0.0.4"] as const;
/** The host tests may stop. */
export const FAULT_HOST = "127.0.0.4";
export type SshHost = (typeof SSH_HOSTS)[number];
export const SSH_PORT = 2222;
/** The deploy key the estate authorizes for root on both hosts. */
export const DEPLOY_KEY = path.join(ESTATE_DIR, "sshd/deploy/id_ed25519");
/** Extra authorized keys; tests add their own lines and take them out again. */
const TEST_AUTHORIZED_KEYS = path.join(ESTATE_DIR, "sshd/authorized_keys.test");

/** The host key of `host` (`ssh-ed25519 AAAA...`) as the estate installed it (the examples' keys for .2 and .3). */
export async function hostKey(host: SshHost): Promise<string> {
  const line = await readFile(path.join(ESTATE_DIR, `sshd/${host}/ssh_host_ed25519_key.pub`), "utf8");
  return line.trim().split(/\s+/).slice(0, 2).join(" ");
}

/** Secrets by `name/key`, as a DriverContext. */
export function secrets(values: Record<string, string>): DriverContext {
  return {
    async secretValue(ref) {
      const value = values[`${ref.name}/${ref.key}`];
      if (value === undefined) throw new DriverError(DriverReasons.SecretNotFound, `no ${ref.name}/${ref.key}`, false);
      return value;
    },
  };
}

/** An ssh Target named `name` for `host` with the deploy key (Secret deploy-ssh-key/id_ed25519). */
export async function sshTarget(
  name: string,
  host: SshHost,
  extra: Partial<NonNullable<Target["spec"]["ssh"]>> = {},
  labels: Record<string, string> = {},
  namespace = "shop",
): Promise<Target> {
  return {
    apiVersion: "release.stella.io/v1alpha1",
    kind: "Target",
    metadata: { name, namespace, labels },
    spec: {
      driver: "ssh",
      ssh: {
        host,
        port: SSH_PORT,
        user: "root",
        hostKey: await hostKey(host),
        privateKeySecretRef: { name: "deploy-ssh-key", key: "id_ed25519" },
        ...extra,
      },
    },
  };
}

/** Why ssh suites cannot run here (undefined: run them). Under CI=true this is never set. */
export async function sshSkipReason(): Promise<string | undefined> {
  const estate = await estateSkipReason();
  if (estate) return estate;
  if (process.env.CI === "true") return undefined;
  for (const host of SSH_HOSTS) {
    if (!(await answers(host, SSH_PORT))) return `no sshd on ${host}:${SSH_PORT}; run hack/estate.sh up`;
  }
  return undefined;
}

function answers(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.setTimeout(2000, () => (socket.destroy(), resolve(false)));
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });
}

/** A new key pair (ssh-keygen -t `type`), optionally with a passphrase. */
export async function keyPair(
  dir: string,
  type: "ed25519" | "rsa" | "ecdsa",
  passphrase = "",
): Promise<{ privateKey: string; publicKey: string }> {
  const file = path.join(dir, `id_${type}_${randomBytes(3).toString("hex")}`);
  await exec("ssh-keygen", ["-q", "-t", type, "-N", passphrase, "-C", "stella-test", "-f", file]);
  return { privateKey: await readFile(file, "utf8"), publicKey: (await readFile(`${file}.pub`, "utf8")).trim() };
}

/** Authorizes public keys for root on both hosts, each line marked `marker`; revoke(marker) takes them out. */
export async function authorize(publicKeys: string[], marker: string): Promise<void> {
  const current = await readFile(TEST_AUTHORIZED_KEYS, "utf8").catch(() => "");
  const lines = publicKeys.map((k) => `${k.split(/\s+/).slice(0, 2).join(" ")} ${marker}\n`);
  await writeFile(TEST_AUTHORIZED_KEYS, current + lines.join(""), { mode: 0o600 });
}

/** Removes the lines authorize() added with `marker`. */
export async function revoke(marker: string): Promise<void> {
  const current = await readFile(TEST_AUTHORIZED_KEYS, "utf8").catch(() => "");
  const kept = current.split("\n").filter((l) => l && !l.endsWith(` ${marker}`));
  await writeFile(TEST_AUTHORIZED_KEYS, kept.map((l) => `${l}\n`).join(""), { mode: 0o600 });
}

const pidFile = (host: SshHost) => path.join(ESTATE_DIR, `run/sshd-${host}.pid`);

/**
 * Stops `host`'s sshd as a host going down would: its listener and every process of every session
 * under it (so open connections drop too). Only the estate's sshd for that host and its descendants
 * are signalled.
 */
export async function stopSshd(host: SshHost): Promise<void> {
  const listener = Number((await readFile(pidFile(host), "utf8")).trim());
  const parents = new Map<number, number>();
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, "utf8").catch(() => "");
    if (stat) parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
  }
  // every session: the monitor the listener forked and the unprivileged process under it
  const tree = [listener];
  for (let i = 0; i < tree.length; i++) for (const [pid, ppid] of parents) if (ppid === tree[i]) tree.push(pid);
  for (const pid of tree) process.kill(pid, "SIGTERM");
  for (let i = 0; i < 100 && tree.some(alive); i++) await new Promise((r) => setTimeout(r, 50));
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Starts whichever estate sshd is not running (hack/estate/sshd.sh's sshd_up; idempotent). */
export async function startSshd(): Promise<void> {
  const script = [
    "set -euo pipefail",
    `HACK=${JSON.stringify(HACK.replace(/\/$/, ""))}`,
    '. "$HACK/estate/lib.sh"',
    "SECRETS_DIR=$ESTATE_DIR/secrets",
    '. "$HACK/estate/sshd.sh"',
    "sshd_up",
  ].join("\n");
  await exec("bash", ["-c", script], { env: { ...process.env, STELLA_ESTATE_DIR: ESTATE_DIR } });
}
