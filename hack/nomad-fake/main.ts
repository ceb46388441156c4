// The Nomad CONTRACT FAKE: a small server that answers the Nomad HTTP API calls Stella's nomad driver
// makes, with Nomad's semantics, and runs every allocation as a real container on the local Docker
// Engine. No Nomad binary can be installed here; this stands in for one in tests and the estate.
//   npx tsx hack/nomad-fake/main.ts      (NOMAD_FAKE_ADDR=127.0.0.1:4646, NOMAD_FAKE_TOKEN=<acl token>)
// Listens on loopback only. Containers carry the label stella.fake=nomad.
import { Faults } from "./faults.ts";
import { nomadServer } from "./http.ts";
import { Scheduler } from "./scheduler.ts";
import { Store } from "./store.ts";

const [host, port] = (process.env.NOMAD_FAKE_ADDR ?? "127.0.0.1:4646").split(":");
if (!host.startsWith("127.")) throw new Error("the Nomad contract fake listens on 127.0.0.0/8 only");
const store = new Store();
const scheduler = new Scheduler(store);
const server = nomadServer(store, scheduler, new Faults(), process.env.NOMAD_FAKE_TOKEN || undefined);
scheduler.start();
server.listen(Number(port), host, () => console.error(`nomad contract fake listening on http://${host}:${port}`));
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    scheduler.stop();
    server.close();
    process.exit(0);
  });
}
