// The Prometheus metric provider: an instant PromQL query through the HTTP API.
export { prometheusMetricProvider, queryPrometheus, sampleValue, type PrometheusProvider } from "./provider.ts";
