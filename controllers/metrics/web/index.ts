// The web metric provider: GET a URL, take the value at a JSONPath of its JSON answer.
export { webMetricProvider, queryWeb, type WebProvider } from "./provider.ts";
export { parseJsonPath, selectJsonPath, type JsonPath } from "./json-path.ts";
export { InvalidJsonPath } from "./errors.ts";
