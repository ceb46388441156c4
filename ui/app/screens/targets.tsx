// Targets and agents: readiness with its reason, the last probe or heartbeat.
import type { Agent } from "../../../crds/agent.ts";
import type { Target } from "../../../crds/target.ts";
import { Badge } from "../parts/badge.tsx";
import { Scroll } from "../parts/scroll.tsx";
import { ago } from "../time.tsx";
import { useWatch } from "../use-watch.ts";

type Conditions = { type: string; status: string; reason?: string; message?: string }[] | undefined;
const ready = (conditions: Conditions) => conditions?.find((c) => c.type === "Ready");

/** Targets and agents of namespace `ns`. */
export function TargetsScreen({ ns }: { ns: string }) {
  const targets = useWatch<Target>(ns, "targets");
  const agents = useWatch<Agent>(ns, "agents");
  return (
    <section aria-labelledby="title">
      <h1 id="title">Targets and agents · {ns}</h1>
      {targets.error && (
        <p role="alert" class="error">
          {targets.error}
        </p>
      )}
      <h2>Targets</h2>
      <Scroll label="Targets">
        <table>
          <thead>
            <tr>
              <th scope="col">Target</th>
              <th scope="col">Driver</th>
              <th scope="col">Ready</th>
              <th scope="col">Reason</th>
              <th scope="col">Last probe</th>
            </tr>
          </thead>
          <tbody>
            {targets.items.map((t) => {
              const c = ready(t.status?.conditions);
              return (
                <tr key={t.metadata.name} data-target={t.metadata.name}>
                  <th scope="row">
                    {t.metadata.name}
                    {t.spec.unschedulable ? " (cordoned)" : ""}
                  </th>
                  <td>{t.spec.driver}</td>
                  <td>
                    <Badge value={c?.status} />
                  </td>
                  <td>
                    {c?.reason}
                    {c?.message ? `: ${c.message}` : ""}
                  </td>
                  <td>{ago(t.status?.lastProbeTime)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </Scroll>
      <h2>Agents</h2>
      {agents.error && (
        <p role="alert" class="error">
          {agents.error}
        </p>
      )}
      <Scroll label="Agents">
        <table>
          <thead>
            <tr>
              <th scope="col">Agent</th>
              <th scope="col">Phase</th>
              <th scope="col">Version</th>
              <th scope="col">Last heartbeat</th>
            </tr>
          </thead>
          <tbody>
            {agents.items.map((a) => (
              <tr key={a.metadata.name}>
                <th scope="row">{a.metadata.name}</th>
                <td>
                  <Badge value={a.status?.phase} />
                </td>
                <td>{a.status?.version}</td>
                <td>{ago(a.status?.lastHeartbeatTime)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Scroll>
    </section>
  );
}
