// Deployment: phase and progress, each target's progress with its units' health, and the controls.
import type { Deployment } from "../../../crds/deployment.ts";
import { Badge } from "../parts/badge.tsx";
import { Scroll } from "../parts/scroll.tsx";
import { DeploymentControls } from "../parts/controls.tsx";
import { RollbackControl } from "../parts/rollback.tsx";
import { Link, pathTo } from "../router.tsx";
import { When } from "../time.tsx";
import { useObject } from "../use-watch.ts";
import { ObjectMissing } from "../parts/object-missing.tsx";

/** The deployment `name` in `ns`. */
export function DeploymentScreen({ ns, name }: { ns: string; name: string }) {
  const { object: d, loaded, error } = useObject<Deployment>(ns, "deployments", name);
  if (!d) return <ObjectMissing kind="deployment" ns={ns} name={name} loaded={loaded} error={error} />;
  const s = d.status ?? {};
  const total = s.totalTargets ?? s.targets?.length ?? 0;
  return (
    <section aria-labelledby="title" data-phase={s.phase}>
      <h1 id="title">
        Deployment {name} <Badge value={s.phase} />
        {d.spec.paused && s.phase !== "Paused" ? <Badge value="Paused" /> : null}
      </h1>
      {s.message && <p class="message">{s.message}</p>}
      <dl class="facts">
        <dt>Release</dt>
        <dd>
          <Link href={pathTo(ns, "releases", d.spec.release)}>{d.spec.release}</Link>
        </dd>
        <dt>Environment</dt>
        <dd>
          <Link href={pathTo(ns, "pipeline")}>{d.spec.environment}</Link>
        </dd>
        <dt>Strategy</dt>
        <dd>{s.strategy?.type ?? "—"}</dd>
        {s.canary && (
          <>
            <dt>Canary</dt>
            <dd>
              <Link href={pathTo(ns, "canaries", s.canary)}>{s.canary}</Link>
            </dd>
          </>
        )}
        <dt>Progress</dt>
        <dd class="progress">
          <progress max={total || 1} value={s.healthyTargets ?? 0} aria-label="healthy targets" />{" "}
          {s.healthyTargets ?? 0}/{total} healthy{s.failedTargets ? `, ${s.failedTargets} failed` : ""}
        </dd>
        <dt>Started</dt>
        <dd>
          <When iso={s.startedAt} />
        </dd>
        {s.rollback && (
          <>
            <dt>Rollback</dt>
            <dd>
              to {s.rollback.release}
              {s.rollback.reason ? `: ${s.rollback.reason}` : ""}
            </dd>
          </>
        )}
      </dl>
      <DeploymentControls ns={ns} d={d} />
      <RollbackControl ns={ns} envName={d.spec.environment} />
      <h2>Targets</h2>
      <Scroll label="Targets">
        <table>
          <thead>
            <tr>
              <th scope="col">Target</th>
              <th scope="col">Phase</th>
              <th scope="col">Units</th>
              <th scope="col">Message</th>
            </tr>
          </thead>
          <tbody>
            {(s.targets ?? []).map((t) => (
              <tr key={t.name} data-target={t.name}>
                <th scope="row">{t.name}</th>
                <td>
                  <Badge value={t.phase} />
                </td>
                <td>
                  <ul class="units">
                    {(t.units ?? []).map((u) => (
                      <li key={u.component}>
                        {u.component}:{" "}
                        <Badge value={u.healthy === undefined ? "Pending" : u.healthy ? "Healthy" : "Unhealthy"} />{" "}
                        {u.message}
                      </li>
                    ))}
                  </ul>
                </td>
                <td>{t.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Scroll>
    </section>
  );
}
