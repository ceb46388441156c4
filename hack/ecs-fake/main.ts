// The ECS CONTRACT FAKE as a process: answers the ECS API calls Stella's ecs driver makes (AWS JSON
// 1.1, SigV4-checked), with ECS semantics, and runs every task as a real container on the local
// Docker Engine (label stella.fake=ecs). No ECS endpoint can be reached here; this stands in for one.
//   ECS_FAKE_ADDR=127.0.0.1:4600 ECS_FAKE_ACCESS_KEY_ID=... ECS_FAKE_SECRET_ACCESS_KEY=... \
//     npx tsx hack/ecs-fake/main.ts
import { startEcsFake } from "./index.ts";

const [host, port] = (process.env.ECS_FAKE_ADDR ?? "127.0.0.1:4600").split(":");
const credentials = {
  accessKeyId: process.env.ECS_FAKE_ACCESS_KEY_ID ?? "",
  secretAccessKey: process.env.ECS_FAKE_SECRET_ACCESS_KEY ?? "",
};
if (!credentials.accessKeyId || !credentials.secretAccessKey)
  throw new Error("ECS_FAKE_ACCESS_KEY_ID and ECS_FAKE_SECRET_ACCESS_KEY are required");
const fake = await startEcsFake({ host, port: Number(port), credentials, region: process.env.ECS_FAKE_REGION });
console.error(`ecs contract fake listening on ${fake.endpoint}`);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => void fake.close().then(() => process.exit(0)));
}
