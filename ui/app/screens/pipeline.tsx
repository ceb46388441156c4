// Pipeline: a namespace's environments as a graph (pipeline/graph.tsx), then as cards in columns by
// their distance from the first stage (an environment sits right of every upstream it names), each
// with its releases, targets, soak, freeze now/next, the promotions waiting on it and a Promote
// control (parts/promote.tsx). Everything follows watches.
import type { Environment } from "../../../crds/environment.ts";
import type { Promotion } from "../../../crds/promotion.ts";
import type { Release } from "../../../crds/release.ts";
import { Badge } from "../parts/badge.tsx";
import { FreezeNowNext } from "../parts/freeze.tsx";
import { PromoteControl } from "../parts/promote.tsx";
import { PipelineGraph } from "../pipeline/graph.tsx";
import { columns } from "../pipeline/layout.ts";
import { Link, pathTo } from "../router.tsx";
import { ago, durationMs, span } from "../time.tsx";
import { useWatch } from "../use-watch.ts";
import type { Stored } from "../watch.ts";

type Env = Stored<Environment>;

const TERMINAL = ["Succeeded", "Failed", "Errored", "Rejected", "Aborted", "Superseded"];

function Soak({ env, downstream }: { env: Env; downstream: Env[] }) {
  const since = env.status?.current?.deployedAt;
  const needs = downstream.filter((d) => d.spec.requiredSoak && d.spec.upstream?.includes(env.metadata.name));
  if (!since || !needs.length) return null;
  const ran = Date.now() - Date.parse(since);
  return (
    <>
      {needs.map((d) => {
        const need = durationMs(d.spec.requiredSoak);
        return (
          <div key={d.metadata.name} class="soak">
            Soak for {d.metadata.name}: {ran >= need ? "done" : `${span(ran)} of ${span(need)}`}
            <progress max={need} value={Math.min(ran, need)} aria-label={`soak for ${d.metadata.name}`} />
          </div>
        );
      })}
    </>
  );
}

interface CardProps {
  ns: string;
  env: Env;
  all: Env[];
  waiting: Stored<Promotion>[];
  releases: Stored<Release>[];
}

function EnvironmentCard(props: CardProps) {
  const { ns, env } = props;
  const s = env.status ?? {};
  const release = (name: string | undefined) =>
    name ? <Link href={pathTo(ns, "releases", name)}>{name}</Link> : "none";
  return (
    <article class="card env" data-env={env.metadata.name} aria-labelledby={`env-${env.metadata.name}`}>
      <h3 id={`env-${env.metadata.name}`}>
        {env.metadata.name} <Badge value={s.phase} />
      </h3>
      {env.spec.upstream?.length ? <div class="upstream">after {env.spec.upstream.join(", ")}</div> : null}
      <dl>
        <dt>Current</dt>
        <dd class="current">
          {release(s.current?.release)} {s.current?.deployedAt && <small>{ago(s.current.deployedAt)}</small>}
        </dd>
        <dt>Previous</dt>
        <dd>{release(s.previous?.release)}</dd>
        <dt>Targets</dt>
        <dd class="targets">
          {s.readyTargets ?? 0}/{(s.totalTargets ?? 0) - (s.cordonedTargets ?? 0)} ready
          {s.cordonedTargets ? `, ${s.cordonedTargets} cordoned` : ""}
        </dd>
        {s.activeDeployment && (
          <>
            <dt>Deploying</dt>
            <dd>
              <Link href={pathTo(ns, "deployments", s.activeDeployment)}>{s.activeDeployment}</Link>
            </dd>
          </>
        )}
      </dl>
      <Soak env={env} downstream={props.all} />
      <FreezeNowNext env={env} />
      {props.waiting.length > 0 && (
        <ul class="waiting" aria-label={`promotions into ${env.metadata.name}`}>
          {props.waiting.map((p) => (
            <li key={p.metadata.name}>
              <Link href={pathTo(ns, "promotions", p.metadata.name)}>{p.metadata.name}</Link>{" "}
              <Badge value={p.status?.phase} />
            </li>
          ))}
        </ul>
      )}
      <PromoteControl ns={ns} env={env} all={props.all} releases={props.releases} />
    </article>
  );
}

/** The pipeline of namespace `ns`. */
export function PipelineScreen({ ns }: { ns: string }) {
  const envs = useWatch<Environment>(ns, "environments");
  const promos = useWatch<Promotion>(ns, "promotions");
  const releases = useWatch<Release>(ns, "releases");
  const open = promos.items.filter((p) => !TERMINAL.includes(p.status?.phase ?? ""));
  const cols = columns(envs.items);
  return (
    <section aria-labelledby="title">
      <h1 id="title">Pipeline · {ns}</h1>
      {envs.error && (
        <p role="alert" class="error">
          {envs.error}
        </p>
      )}
      {envs.loaded && !envs.items.length && <p>No environments in {ns}.</p>}
      <PipelineGraph envs={envs.items} />
      <div class="pipeline">
        {cols.map((col, i) => (
          <div class="column" key={i}>
            {i > 0 && (
              <span class="edge" aria-hidden="true">
                →
              </span>
            )}
            {col.map((env) => (
              <EnvironmentCard
                key={env.metadata.name}
                ns={ns}
                env={env}
                all={envs.items}
                releases={releases.items}
                waiting={open.filter((p) => p.spec.environment === env.metadata.name)}
              />
            ))}
          </div>
        ))}
      </div>
    </section>
  );
}
