// The controllers as a process of their own, for tests that kill them: connects with the
// kubeconfig in STELLA_KUBECONFIG and the controller token in STELLA_TOKEN, assigns host ports from
// STELLA_PORTS (`from-to`), logs JSON lines to stderr, and stops on SIGTERM.
import { startControllers } from "../../controllers/index.ts";
import { Client, loadClientConfig } from "../../sdk/index.ts";

const config = await loadClientConfig({ path: process.env.STELLA_KUBECONFIG });
const client = Client.fromConfig({ ...config, token: process.env.STELLA_TOKEN });
const [from, to] = (process.env.STELLA_PORTS ?? "24000-24999").split("-").map(Number);
const running = await startControllers({
  client,
  target: { probeInterval: 1000 },
  deployment: { ports: { from, to } },
});
process.stderr.write(JSON.stringify({ msg: "controllers started", pid: process.pid }) + "\n");
process.on("SIGTERM", () => void running.stop().then(() => process.exit(0)));
