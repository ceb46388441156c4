import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DriverError, DriverReasons, isDriverError, type DriverContext } from "../../sdk/plugins/driver.ts";
import { connectEngine } from "./connection.ts";

const tls: Record<string, string> = { "ca.crt": "CA PEM", "tls.crt": "CERT PEM", "tls.key": "KEY PEM" };
const ctx: DriverContext = {
  async secretValue(ref) {
    if (ref.name === "engine-tls" && tls[ref.key]) return tls[ref.key];
    throw new DriverError(DriverReasons.SecretNotFound, `secret ${ref.name} has no key ${ref.key}`, false);
  },
};
const modem = (engine: { docker: { modem: unknown } }) => engine.docker.modem as Record<string, unknown>;

describe("engine connection", () => {
  it("uses /var/run/docker.sock by default, a given socket, or a unix:// host; probes go to 127.0.0.1", async () => {
    for (const [settings, path] of [
      [{}, "/var/run/docker.sock"],
      [{ socket: "/run/other.sock" }, "/run/other.sock"],
      [{ host: "unix:///run/third.sock" }, "/run/third.sock"],
    ] as const) {
      const engine = await connectEngine(settings, ctx);
      assert.equal(modem(engine).socketPath, path);
      assert.deepEqual([engine.address, engine.endpoint], ["127.0.0.1", `unix://${path}`]);
    }
  });

  it("speaks plain HTTP to a tcp:// host without TLS, on 2375 by default", async () => {
    const engine = await connectEngine({ host: "tcp://127.0.0.7" }, ctx);
    assert.deepEqual([modem(engine).host, modem(engine).port, modem(engine).protocol], ["127.0.0.7", 2375, "http"]);
    assert.equal(engine.address, "127.0.0.7");
  });

  it("reads ca.crt, tls.crt and tls.key from the TLS Secret for HTTPS, on 2376 by default", async () => {
    const engine = await connectEngine({ host: "tcp://engine.example", tlsSecretRef: { name: "engine-tls" } }, ctx);
    const m = modem(engine);
    assert.deepEqual(
      [m.host, m.port, m.protocol, m.ca, m.cert, m.key],
      ["engine.example", 2376, "https", "CA PEM", "CERT PEM", "KEY PEM"],
    );
    assert.equal(engine.endpoint, "tcp://engine.example");
  });

  it("passes a missing TLS Secret on as SecretNotFound", async () => {
    await assert.rejects(
      connectEngine({ host: "tcp://h:2376", tlsSecretRef: { name: "nope" } }, ctx),
      (err) => isDriverError(err) && err.reason === DriverReasons.SecretNotFound,
    );
  });

  it("refuses addresses it cannot use as InvalidTarget", async () => {
    for (const settings of [
      { host: "ssh://root@h" },
      { socket: "/s.sock", tlsSecretRef: { name: "engine-tls" } },
      { host: "tcp://" },
    ]) {
      await assert.rejects(
        connectEngine(settings, ctx),
        (err) => isDriverError(err) && err.reason === DriverReasons.InvalidTarget && !err.transient,
        JSON.stringify(settings),
      );
    }
  });
});
