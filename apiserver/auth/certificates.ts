// Issuing and inspecting the apiserver's X.509 certificates: a CA and a server certificate it
// signs, both ECDSA P-256 with SHA-256 (accepted by Node's TLS and by Go's crypto/x509, so by
// kubectl). Pure crypto, no files: pki.ts decides when to issue and where to keep the results.

import "reflect-metadata"; // @peculiar/x509 (through tsyringe) needs the Reflect metadata API
import * as x509 from "@peculiar/x509";
import { X509Certificate as NodeX509, createPrivateKey, randomBytes, webcrypto } from "node:crypto";

const crypto = webcrypto as unknown as Crypto;
const KEY_ALGORITHM = { name: "ECDSA", namedCurve: "P-256" };
const SIGNING_ALGORITHM = { name: "ECDSA", hash: "SHA-256" };
const DAY_MS = 24 * 60 * 60 * 1000;
/** Backdating notBefore tolerates clients whose clocks run a little slow. */
const BACKDATE_MS = 5 * 60 * 1000;

/** How long a new CA is valid. */
export const CA_VALIDITY_DAYS = 3650;
/** How long a new server certificate is valid. */
export const SERVER_VALIDITY_DAYS = 365;

/** A certificate and its private key, both PEM (the key PKCS#8). */
export interface KeyedCertificate {
  certPem: string;
  keyPem: string;
}

/** The subject alternative names of a server certificate, normalized and sorted. */
export interface AltNames {
  dnsNames: string[];
  ips: string[];
}

/** What pki.ts needs to know about an existing certificate. */
export interface CertificateFacts {
  notAfter: Date;
  altNames: AltNames;
}

/** Creates a self-signed CA, valid from `now` (minus a few minutes) for CA_VALIDITY_DAYS. */
export async function createCa(now: Date): Promise<KeyedCertificate> {
  const keys = await generateKeys();
  const cert = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: randomSerial(),
      name: `CN=Stella CA ${randomBytes(4).toString("hex")}, O=Stella`,
      notBefore: new Date(now.getTime() - BACKDATE_MS),
      notAfter: new Date(now.getTime() + CA_VALIDITY_DAYS * DAY_MS),
      signingAlgorithm: SIGNING_ALGORITHM,
      keys,
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(
          x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature,
          true,
        ),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, crypto),
      ],
    },
    crypto,
  );
  return { certPem: cert.toString("pem"), keyPem: await exportKey(keys.privateKey) };
}

/**
 * Creates a TLS server certificate for `altNames`, signed by `ca`, valid for SERVER_VALIDITY_DAYS (never past the CA).
 */
export async function createServerCertificate(
  ca: KeyedCertificate,
  altNames: AltNames,
  now: Date,
): Promise<KeyedCertificate> {
  const keys = await generateKeys();
  const caCert = new x509.X509Certificate(ca.certPem);
  const caKey = await crypto.subtle.importKey("pkcs8", pemBody(ca.keyPem), KEY_ALGORITHM, false, ["sign"]);
  const names: x509.JsonGeneralName[] = [
    ...altNames.dnsNames.map((value) => ({ type: "dns" as const, value })),
    ...altNames.ips.map((value) => ({ type: "ip" as const, value })),
  ];
  const cert = await x509.X509CertificateGenerator.create(
    {
      serialNumber: randomSerial(),
      subject: "CN=stella-apiserver, O=Stella",
      issuer: caCert.subject,
      notBefore: new Date(now.getTime() - BACKDATE_MS),
      notAfter: new Date(Math.min(now.getTime() + SERVER_VALIDITY_DAYS * DAY_MS, caCert.notAfter.getTime())),
      signingAlgorithm: SIGNING_ALGORITHM,
      publicKey: keys.publicKey,
      signingKey: caKey,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth], false),
        new x509.SubjectAlternativeNameExtension(names, false),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, crypto),
        await x509.AuthorityKeyIdentifierExtension.create(caCert.publicKey, false, crypto),
      ],
    },
    crypto,
  );
  return { certPem: cert.toString("pem"), keyPem: await exportKey(keys.privateKey) };
}

/** Expiry and SANs of a PEM certificate; throws if it does not parse. */
export function inspectCertificate(certPem: string): CertificateFacts {
  const cert = new x509.X509Certificate(certPem);
  const san = cert.getExtension(x509.SubjectAlternativeNameExtension);
  const dnsNames: string[] = [];
  const ips: string[] = [];
  for (const { type, value } of san?.names.toJSON() ?? []) {
    if (type === "dns") dnsNames.push(value);
    if (type === "ip") ips.push(value);
  }
  return { notAfter: cert.notAfter, altNames: normalizeAltNames({ dnsNames, ips }) };
}

/** Whether `keyPem` is the private key of `certPem`. False when either does not parse. */
export function keyMatchesCertificate(keyPem: string, certPem: string): boolean {
  try {
    return new NodeX509(certPem).checkPrivateKey(createPrivateKey(keyPem));
  } catch {
    return false;
  }
}

/** Whether `certPem` carries a valid signature by the CA in `caCertPem`. False when either does not parse. */
export function isSignedBy(certPem: string, caCertPem: string): boolean {
  try {
    return new NodeX509(certPem).verify(new NodeX509(caCertPem).publicKey);
  } catch {
    return false;
  }
}

/** Lower-cases DNS names, canonicalizes IPs (e.g. `0:0::1` -> `::1`), removes duplicates, sorts. */
export function normalizeAltNames(names: AltNames): AltNames {
  const dnsNames = new Set(names.dnsNames.map((n) => n.toLowerCase()));
  const ips = new Set(names.ips.map(canonicalIp));
  return { dnsNames: [...dnsNames].sort(), ips: [...ips].sort() };
}

function canonicalIp(ip: string): string {
  const bare = ip.replace(/^\[|\]$/g, "");
  if (!bare.includes(":")) return bare;
  return new URL(`http://[${bare}]/`).hostname.slice(1, -1);
}

async function generateKeys(): Promise<CryptoKeyPair> {
  return (await crypto.subtle.generateKey(KEY_ALGORITHM, true, ["sign", "verify"])) as CryptoKeyPair;
}

async function exportKey(key: CryptoKey): Promise<string> {
  return x509.PemConverter.encode(await crypto.subtle.exportKey("pkcs8", key), "PRIVATE KEY");
}

function pemBody(pem: string): ArrayBuffer {
  return x509.PemConverter.decodeFirst(pem);
}

/** 16 random bytes, high bit cleared so the DER INTEGER is positive (Go rejects negative serials). */
function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] & 0x7f) | 0x01;
  return bytes.toString("hex");
}
