// The apiserver's TLS material in the data directory: a CA, created once and then kept (clients
// trust it through their kubeconfig), and a server certificate it signs, reissued whenever it no
// longer fits (other hosts, expiring soon, another CA, a lost key).

import { isIP } from "node:net";
import { join } from "node:path";
import {
  createCa,
  createServerCertificate,
  inspectCertificate,
  isSignedBy,
  keyMatchesCertificate,
  normalizeAltNames,
} from "./certificates.ts";
import type { AltNames, KeyedCertificate } from "./certificates.ts";
import { PRIVATE_MODE, PUBLIC_MODE, readDataFile, writeDataFile } from "./data-dir.ts";
import { KeyMaterialError } from "./errors.ts";

/** File names of the TLS material inside the data directory. */
export const PKI_FILES = {
  caCert: "ca.crt",
  caKey: "ca.key",
  serverCert: "server.crt",
  serverKey: "server.key",
} as const;

/** A server certificate with less than this left is reissued. */
export const SERVER_RENEW_BEFORE_DAYS = 30;

/** Names the server certificate always carries, whatever the caller adds. */
export const DEFAULT_HOSTS = ["localhost", "127.0.0.1", "::1"] as const;

/** Options of ensurePki. */
export interface PkiOptions {
  /** Extra host names and IPs (e.g. the --bind address); the unspecified 0.0.0.0 and :: are ignored. */
  hosts: string[];
  /** The current time; tests pass another. */
  now?: Date;
}

/** What the HTTPS server and the admin kubeconfig need. */
export interface Pki {
  caCertPem: string;
  serverCertPem: string;
  serverKeyPem: string;
}

/**
 * Loads the CA and server certificate from `dataDir`, creating what is missing. The CA is never
 * replaced: a half-present, mismatched or expired CA is a KeyMaterialError for the operator to
 * resolve. The server certificate is reissued (new key too) when its SANs differ from
 * DEFAULT_HOSTS + `hosts`, it expires within SERVER_RENEW_BEFORE_DAYS, or it does not match the CA.
 */
export async function ensurePki(dataDir: string, options: PkiOptions): Promise<Pki> {
  const now = options.now ?? new Date();
  const ca = await ensureCa(dataDir, now);
  const wanted = altNamesFor(options.hosts);
  const certPath = join(dataDir, PKI_FILES.serverCert);
  const keyPath = join(dataDir, PKI_FILES.serverKey);
  let server: KeyedCertificate | undefined = await readPair(certPath, keyPath);
  if (!server || !serverCertificateFits(server, ca.certPem, wanted, now)) {
    server = await createServerCertificate(ca, wanted, now);
    await writeDataFile(keyPath, server.keyPem, PRIVATE_MODE);
    await writeDataFile(certPath, server.certPem, PUBLIC_MODE);
  }
  return { caCertPem: ca.certPem, serverCertPem: server.certPem, serverKeyPem: server.keyPem };
}

/** The SANs for DEFAULT_HOSTS plus `hosts`, each sorted into DNS names or IPs. */
export function altNamesFor(hosts: readonly string[]): AltNames {
  const dnsNames: string[] = [];
  const ips: string[] = [];
  for (const raw of [...DEFAULT_HOSTS, ...hosts]) {
    const host = raw.trim().replace(/^\[|\]$/g, "");
    if (host === "") continue;
    if (isIP(host) === 0) dnsNames.push(host);
    else if (host !== "0.0.0.0" && host !== "::") ips.push(host);
  }
  return normalizeAltNames({ dnsNames, ips });
}

async function ensureCa(dataDir: string, now: Date): Promise<KeyedCertificate> {
  const certPath = join(dataDir, PKI_FILES.caCert);
  const keyPath = join(dataDir, PKI_FILES.caKey);
  const [certPem, keyPem] = [await readDataFile(certPath), await readDataFile(keyPath)];
  if (certPem === undefined && keyPem === undefined) {
    const ca = await createCa(now);
    await writeDataFile(keyPath, ca.keyPem, PRIVATE_MODE);
    await writeDataFile(certPath, ca.certPem, PUBLIC_MODE);
    return ca;
  }
  const fix = `restore it, or remove both ${PKI_FILES.caCert} and ${PKI_FILES.caKey} to create a new CA (clients then need the new ${PKI_FILES.caCert})`;
  if (certPem === undefined) throw new KeyMaterialError(certPath, `missing while ${PKI_FILES.caKey} exists; ${fix}`);
  if (keyPem === undefined) throw new KeyMaterialError(keyPath, `missing while ${PKI_FILES.caCert} exists; ${fix}`);
  let notAfter: Date;
  try {
    notAfter = inspectCertificate(certPem).notAfter;
  } catch {
    throw new KeyMaterialError(certPath, "is not a PEM certificate");
  }
  if (!keyMatchesCertificate(keyPem, certPem)) {
    throw new KeyMaterialError(keyPath, `is not the private key of ${PKI_FILES.caCert}`);
  }
  if (notAfter <= now) {
    throw new KeyMaterialError(certPath, `CA expired at ${notAfter.toISOString()}; ${fix}`);
  }
  return { certPem, keyPem };
}

async function readPair(certPath: string, keyPath: string): Promise<KeyedCertificate | undefined> {
  const [certPem, keyPem] = [await readDataFile(certPath), await readDataFile(keyPath)];
  return certPem === undefined || keyPem === undefined ? undefined : { certPem, keyPem };
}

function serverCertificateFits(server: KeyedCertificate, caCertPem: string, wanted: AltNames, now: Date): boolean {
  if (!keyMatchesCertificate(server.keyPem, server.certPem)) return false;
  if (!isSignedBy(server.certPem, caCertPem)) return false;
  let facts;
  try {
    facts = inspectCertificate(server.certPem);
  } catch {
    return false;
  }
  const renewAt = facts.notAfter.getTime() - SERVER_RENEW_BEFORE_DAYS * 24 * 60 * 60 * 1000;
  return now.getTime() < renewAt && sameNames(facts.altNames, wanted);
}

function sameNames(a: AltNames, b: AltNames): boolean {
  return a.dnsNames.join(",") === b.dnsNames.join(",") && a.ips.join(",") === b.ips.join(",");
}
