// Evidence: the namespace's chain in order, each packet's decision, actor, subjects and artifacts,
// and its verification in this browser against the server's public key (a broken link or a
// tampered packet is marked with what is wrong; the verdict comes right after the packet's name,
// so a phone shows it without scrolling the table). A link to one packet (evidence#NAME, as the
// promotion screen gives) marks its row as the current one and scrolls it into view.
import { useEffect, useState } from "preact/hooks";
import type { EvidencePacket } from "../../../crds/evidence-packet.ts";
import { authHeaders, failure } from "../api.ts";
import { verifyChain, type PacketCheck } from "../evidence-verify.ts";
import { Badge } from "../parts/badge.tsx";
import { Scroll } from "../parts/scroll.tsx";
import { When } from "../time.tsx";
import { useWatch } from "../use-watch.ts";

async function publicKey(): Promise<string> {
  const res = await fetch("/evidence/public-key", { headers: authHeaders() });
  if (!res.ok) throw await failure(res);
  return res.text();
}

/** The evidence chain of namespace `ns`. */
export function EvidenceScreen({ ns }: { ns: string }) {
  const live = useWatch<EvidencePacket>(ns, "evidencepackets");
  const [checks, setChecks] = useState<Map<string, PacketCheck>>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    if (!live.loaded) return;
    publicKey()
      .then((pem) => verifyChain(live.items, pem))
      .then(
        (c) => setChecks(new Map(c.map((x) => [x.name, x]))),
        (err: Error) => setError(err.message),
      );
  }, [live.items, live.loaded]);
  const packets = [...live.items].sort((a, b) => (a.spec.seal?.sequence ?? 0) - (b.spec.seal?.sequence ?? 0));
  const broken = checks ? [...checks.values()].filter((c) => !c.ok).length : 0;
  const chosen = decodeURIComponent(location.hash.slice(1));
  const shown = live.items.some((p) => p.metadata.name === chosen);
  useEffect(() => {
    if (shown) document.getElementById(chosen)?.scrollIntoView({ block: "center" });
  }, [chosen, shown]);
  return (
    <section aria-labelledby="title">
      <h1 id="title">Evidence · {ns}</h1>
      {(live.error || error) && (
        <p role="alert" class="error">
          {live.error ?? error}
        </p>
      )}
      <p class="chain-verdict" role="status">
        {!checks
          ? "Verifying…"
          : broken
            ? `${broken} of ${packets.length} packets are broken.`
            : `All ${packets.length} packets verify.`}
      </p>
      <Scroll label="Evidence packets">
        <table>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Packet</th>
              <th scope="col">Verified</th>
              <th scope="col">Decision</th>
              <th scope="col">Actor</th>
              <th scope="col">Subjects</th>
              <th scope="col">Sealed</th>
            </tr>
          </thead>
          <tbody>
            {packets.map((p) => {
              const c = checks?.get(p.metadata.name);
              return (
                <tr
                  key={p.metadata.name}
                  id={p.metadata.name}
                  data-packet={p.metadata.name}
                  data-ok={c ? String(c.ok) : undefined}
                  aria-current={p.metadata.name === chosen ? "true" : undefined}
                >
                  <td>{p.spec.seal?.sequence}</td>
                  <th scope="row">
                    {p.metadata.name}
                    <br />
                    <small>{p.spec.type}</small>
                  </th>
                  <td>
                    {!c ? (
                      "…"
                    ) : c.ok ? (
                      <Badge value="Verified" />
                    ) : (
                      <>
                        <Badge value="Broken" /> {c.problems.join("; ")}
                      </>
                    )}
                  </td>
                  <td>
                    <Badge value={p.spec.decision.outcome} /> {p.spec.decision.message}
                  </td>
                  <td>{p.spec.actor?.username}</td>
                  <td>
                    {(p.spec.subjects ?? []).map((s) => `${s.name}@sha256:${s.digest.sha256.slice(0, 12)}`).join(", ")}
                    {(p.spec.artifacts ?? []).length ? ` · ${p.spec.artifacts?.length} artifacts` : ""}
                  </td>
                  <td>
                    <When iso={p.spec.seal?.sealedAt} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </Scroll>
    </section>
  );
}
