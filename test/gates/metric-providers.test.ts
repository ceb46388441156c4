// Both built-in metric providers through the metric-provider conformance suite: Prometheus against
// the estate's real Prometheus 2.42, the web provider against a JSON endpoint on 127.0.0.1.
import { after, before } from "node:test";
import { startFixtureServer, type FixtureServer } from "../../controllers/gates/testing/fixture.ts";
import { prometheusMetricProvider, webMetricProvider } from "../../controllers/metrics/index.ts";
import { metricProviderConformance } from "../../sdk/testing/metric-provider-conformance.ts";
import { PROMETHEUS_URL, prometheusSkipReason, waitForSample } from "./prometheus-env.ts";

const TOKEN = "conformance-bearer-5d1e";
const skip = await prometheusSkipReason();
if (!skip) before(() => waitForSample('up{job="prometheus"}'));

metricProviderConformance({
  provider: prometheusMetricProvider,
  skip,
  secrets: { "prom-token/token": TOKEN },
  scenarios: [
    {
      name: "one sample is a number",
      settings: () => ({ address: PROMETHEUS_URL, query: 'up{job="prometheus"}' }),
      value: 1,
    },
    {
      name: "no sample is an empty list",
      settings: () => ({ address: PROMETHEUS_URL, query: 'up{job="none"}' }),
      value: [],
    },
    {
      name: "with a bearer token from a Secret",
      settings: () => ({
        address: PROMETHEUS_URL,
        query: "vector(2)",
        authSecretRef: { name: "prom-token", key: "token" },
      }),
      value: 2,
    },
    { name: "a query Prometheus refuses", settings: () => ({ address: PROMETHEUS_URL, query: "sum(" }), fails: true },
    { name: "a range vector", settings: () => ({ address: PROMETHEUS_URL, query: "up[1m]" }), fails: true },
    { name: "nothing listening", settings: () => ({ address: "http://127.0.0.1:1", query: "up" }), fails: true },
  ],
});

let server: FixtureServer;
before(async () => {
  server = await startFixtureServer((req, res) => {
    const json = (body: unknown) =>
      res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify(body));
    if (req.url === "/rate") json({ data: { errorRate: 0.002, samples: [1, 2] } });
    else if (req.url === "/slow") setTimeout(() => json({ data: { errorRate: 0 } }), 2000);
    else if (req.url === "/html") res.writeHead(200, { "Content-Type": "text/html" }).end("<p>maintenance</p>");
    else res.writeHead(503).end("backend down");
  });
});
after(() => server?.close());

metricProviderConformance({
  provider: webMetricProvider,
  scenarios: [
    {
      name: "a value at a path",
      settings: () => ({ url: `${server.url}/rate`, jsonPath: "{$.data.errorRate}" }),
      value: 0.002,
    },
    {
      name: "a list at a wildcard path",
      settings: () => ({ url: `${server.url}/rate`, jsonPath: "$.data.samples[*]" }),
      value: [1, 2],
    },
    {
      name: "no value at the path",
      settings: () => ({ url: `${server.url}/rate`, jsonPath: "$.data.p99" }),
      fails: true,
    },
    {
      name: "a path outside the subset",
      settings: () => ({ url: `${server.url}/rate`, jsonPath: "$..errorRate[?(@>1)]" }),
      fails: true,
    },
    { name: "an error answer", settings: () => ({ url: `${server.url}/down`, jsonPath: "$.x" }), fails: true },
    {
      name: "an answer that is not JSON",
      settings: () => ({ url: `${server.url}/html`, jsonPath: "$.x" }),
      fails: true,
    },
  ],
  slow: () => ({ url: `${server.url}/slow`, jsonPath: "$.data.errorRate" }),
});
