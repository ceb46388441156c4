// One multiplexed SSH connection to a host (through its jump host, if it has one): opened on first
// use, kept alive, re-opened by the next call after it dropped. Every Engine API call, remote
// command and SFTP session is a channel on it, and at most `concurrency` channels are open at once.
// Failures to connect are typed: HostKeyMismatch (nothing was sent), Unauthorized, Unreachable.
import type { Duplex } from "node:stream";
import PQueue from "p-queue";
import ssh2, { type Client, type ConnectConfig, type ServerHostKeyAlgorithm } from "ssh2"; // CommonJS: no named values
import { DriverError, DriverReasons } from "../../../sdk/plugins/driver.ts";
import type { Login } from "./credentials.ts";
import { fingerprint, hostKeyAlgorithms, type PinnedHostKey } from "./host-key.ts";

/** One SSH host and how to log in there. */
export interface SshEndpoint {
  host: string;
  port: number;
  user: string;
  hostKey: PinnedHostKey;
  login: Login;
}

/** A connection's settings: the host, its jump host, the handshake timeout and the channel limit. */
export interface SshConnectionOptions {
  target: SshEndpoint;
  jump?: SshEndpoint;
  timeoutMs: number;
  concurrency: number;
}

/** Seconds between keepalives; three unanswered ones close the connection. */
const KEEPALIVE_MS = 10_000;

/** `user@host:port`, as messages name a host. */
export const endpointName = (e: Pick<SshEndpoint, "host" | "port" | "user">): string => `${e.user}@${e.host}:${e.port}`;

/** The multiplexed connection to one host. */
export class SshConnection {
  /** Limits the channels open at once on this connection. */
  private readonly slots: PQueue;
  private current?: Promise<Client>;
  private closed = false;
  /** `user@host:port`, with ` via user@jump:port` when it goes through a jump host. */
  readonly name: string;

  constructor(readonly options: SshConnectionOptions) {
    this.slots = new PQueue({ concurrency: options.concurrency });
    const via = options.jump ? ` via ${endpointName(options.jump)}` : "";
    this.name = `${endpointName(options.target)}${via}`;
  }

  /** The open connection, opening it when there is none (first use, or after it dropped). */
  connect(): Promise<Client> {
    if (this.closed) return Promise.reject(new DriverError(DriverReasons.Unreachable, `${this.name}: closed`, true));
    if (!this.current) {
      const opening = this.open();
      this.current = opening;
      opening.catch(() => {
        if (this.current === opening) this.current = undefined;
      });
    }
    return this.current;
  }

  /**
   * Opens a channel with `open` once a slot is free; the slot is held until the channel closes.
   * Errors opening it are DriverErrors.
   */
  async channel<T extends NodeJS.EventEmitter>(what: string, open: (client: Client) => Promise<T>): Promise<T> {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    await new Promise<void>((granted) => void this.slots.add(() => (granted(), held)));
    try {
      const client = await this.connect();
      const stream = await open(client).catch((err: Error) => {
        throw new DriverError(DriverReasons.Unreachable, `${this.name}: ${what}: ${err.message}`, true, { cause: err });
      });
      stream.once("close", release);
      return stream;
    } catch (err) {
      release();
      throw err;
    }
  }

  /** Ends the connection; later calls fail. */
  async close(): Promise<void> {
    this.closed = true;
    const current = this.current;
    this.current = undefined;
    if (current) (await current.catch(() => undefined))?.end();
  }

  private async open(): Promise<Client> {
    const { target, jump, timeoutMs } = this.options;
    let sock: Duplex | undefined;
    let hop: Client | undefined;
    if (jump) {
      hop = await handshake(jump, timeoutMs, `jump host ${endpointName(jump)}`);
      sock = await new Promise<Duplex>((resolve, reject) =>
        hop!.forwardOut("127.0.0.1", 0, target.host, target.port, (err, stream) =>
          err ? reject(err) : resolve(stream),
        ),
      ).catch((err: Error) => {
        hop!.end();
        throw new DriverError(
          DriverReasons.Unreachable,
          `jump host ${endpointName(jump)} cannot reach ${target.host}:${target.port}: ${err.message}`,
          true,
          { cause: err },
        );
      });
    }
    const client = await handshake(target, timeoutMs, endpointName(target), sock).catch((err) => {
      hop?.end();
      throw err;
    });
    client.once("close", () => {
      hop?.end();
      // the next call opens a new connection
      void this.current?.then((c) => {
        if (c === client) this.current = undefined;
      });
    });
    return client;
  }
}

/** Connects and authenticates to `e`, over `sock` when given; rejects with a typed DriverError. */
function handshake(e: SshEndpoint, timeoutMs: number, name: string, sock?: Duplex): Promise<Client> {
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    let presented: Buffer | undefined;
    const config: ConnectConfig = {
      host: e.host,
      port: e.port,
      username: e.user,
      privateKey: e.login.privateKey,
      passphrase: e.login.passphrase,
      sock,
      readyTimeout: timeoutMs,
      keepaliveInterval: KEEPALIVE_MS,
      keepaliveCountMax: 3,
      algorithms: { serverHostKey: hostKeyAlgorithms(e.hostKey) as ServerHostKeyAlgorithm[] },
      hostVerifier: (key: Buffer) => {
        if (key.equals(e.hostKey.blob)) return true;
        presented = key;
        return false;
      },
    };
    client.once("ready", () => {
      client.removeAllListeners("error");
      client.on("error", () => {}); // a dropped connection shows as 'close'; calls on it fail on their own
      resolve(client);
    });
    client.once("error", (err: Error & { level?: string }) => {
      client.end();
      reject(connectError(e, name, timeoutMs, err, presented));
    });
    client.connect(config);
  });
}

function connectError(
  e: SshEndpoint,
  name: string,
  timeoutMs: number,
  err: Error & { level?: string },
  presented?: Buffer,
): DriverError {
  if (presented)
    return new DriverError(
      DriverReasons.HostKeyMismatch,
      `${name} presented host key ${fingerprint(presented)}, not the pinned ${e.hostKey.type} ${fingerprint(e.hostKey.blob)}; nothing was sent`,
      false,
    );
  if (err.level === "client-authentication")
    return new DriverError(
      DriverReasons.Unauthorized,
      `${name} refused the login: user ${e.user} does not exist there or the key is not authorized for it`,
      false,
    );
  const why = err.level === "client-timeout" ? `no SSH handshake within ${timeoutMs}ms` : err.message;
  return new DriverError(DriverReasons.Unreachable, `${name}: ${why}`, true, { cause: err });
}
