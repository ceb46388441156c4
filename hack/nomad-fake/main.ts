// The Nomad CONTRACT FAKE as a process: answers the Nomad HTTP API calls Stella's nomad driver
// makes, with Nomad's semantics, and runs every allocation as a real container on the local Docker
// Engine (label stella.fake=nomad). No Nomad binary can be installed here; this stands in for one.
//   NOMAD_FAKE_ADDR=127.0.0.1:4646 NOMAD_FAKE_TOKEN=<acl token> npx tsx hack/nomad-fake/main.ts
import { startNomadFake } from "./index.ts";

const [host, port] = (process.env.NOMAD_FAKE_ADDR ?? "127.0.0.1:4646").split(":");
const fake = await startNomadFake({ host, port: Number(port), token: process.env.NOMAD_FAKE_TOKEN || undefined });
console.error(`nomad contract fake listening on ${fake.address}`);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => void fake.close().then(() => process.exit(0)));
}
