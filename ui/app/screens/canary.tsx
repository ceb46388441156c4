// Canary: phase and facts, the manual controls (promote, abort, retry), the steps with the current
// one, the weight over time and each analysis metric's measurements as charts. The canary, its
// status and its evidence all follow watches.
import type { Canary } from "../../../crds/canary.ts";
import type { EvidencePacket } from "../../../crds/evidence-packet.ts";
import { TimeChart } from "../canary/chart.tsx";
import { isCanaryPacket, measurementSeries, weightSeries } from "../canary/history.ts";
import { CanarySteps } from "../canary/steps.tsx";
import { Badge } from "../parts/badge.tsx";
import { CanaryControls } from "../parts/canary-controls.tsx";
import { Link, pathTo } from "../router.tsx";
import { When } from "../time.tsx";
import { useObject, useWatchSelected } from "../use-watch.ts";
import { ObjectMissing } from "../parts/object-missing.tsx";

/** The canary `name` in `ns`. */
export function CanaryScreen({ ns, name }: { ns: string; name: string }) {
  const { object: c, loaded, error } = useObject<Canary>(ns, "canaries", name);
  const packets = useWatchSelected<EvidencePacket>(ns, "evidencepackets", `spec.subject.name=${name}`);
  if (!c) return <ObjectMissing kind="canary" ns={ns} name={name} loaded={loaded} error={error} />;
  const s = c.status ?? {};
  const measured = [...measurementSeries(c)];
  return (
    <section aria-labelledby="title" data-phase={s.phase}>
      <h1 id="title">
        Canary {name} <Badge value={s.phase ?? "Pending"} />
      </h1>
      {s.message && <p class="message">{s.message}</p>}
      <CanaryControls ns={ns} c={c} />
      <dl class="facts">
        <dt>Release</dt>
        <dd>
          <Link href={pathTo(ns, "releases", c.spec.release)}>{c.spec.release}</Link> (component {c.spec.component})
        </dd>
        <dt>Stable</dt>
        <dd>{s.stableRelease ?? c.spec.stableRelease ?? "the environment's current release"}</dd>
        <dt>Environment</dt>
        <dd>
          <Link href={pathTo(ns, "pipeline")}>{c.spec.environment}</Link>
        </dd>
        <dt>Router</dt>
        <dd>{c.spec.router.plugin}</dd>
        <dt>Weight</dt>
        <dd class="current-weight">{s.currentWeight === undefined ? "—" : `${s.currentWeight}%`}</dd>
        <dt>Started</dt>
        <dd>
          <When iso={s.startedAt} />
        </dd>
      </dl>
      <h2>Steps</h2>
      <CanarySteps c={c} />
      <h2>Charts</h2>
      <div class="charts">
        <TimeChart
          id="weight"
          label="Canary weight"
          unit="%"
          shape="steps"
          range={[0, 100]}
          points={weightSeries(
            c,
            packets.items.filter((p) => isCanaryPacket(p, name)),
          )}
        />
        {measured.map(([metric, points]) => (
          <TimeChart
            key={metric}
            id={`metric-${metric}`}
            label={`Analysis: ${metric}`}
            unit="value"
            shape="line"
            points={points}
          />
        ))}
      </div>
      {!measured.length && <p class="muted">No analysis measurements yet.</p>}
    </section>
  );
}
