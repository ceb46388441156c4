// A controller process for the leader-election test: a manager on the lease named in argv, with a
// no-op controller. Prints "LEADING" when elected; the test kills it with SIGKILL.
//   node --import tsx test/runtime/leader-child.ts <kubeconfig> <lease> <identity>
import { Manager, silentLogger } from "../../controllers/runtime/index.ts";
import { environmentKind } from "../../crds/environment.ts";
import { Client } from "../../sdk/index.ts";

const [kubeconfig, leaseName, identity] = process.argv.slice(2);
const mgr = new Manager({
  client: await Client.fromKubeconfig({ path: kubeconfig }),
  leaderElection: { leaseName, identity },
  log: silentLogger,
});
mgr.addController({ name: "noop", for: environmentKind, reconciler: { reconcile: async () => {} } });
void mgr.elected().then(() => process.stdout.write("LEADING\n"));
await mgr.start();
