// The metric-provider plugin contract. Metric analysis (the metric gate, and canary analysis)
// asks a provider for one value per measurement and judges it by the metric's conditions itself:
// a provider only fetches. A metric names exactly one provider in `spec.provider`
// (`prometheus`, `web`, or `plugin`); the provider of that type answers.

/** A metric value as conditions see it: JSON. */
export type MetricValue = null | boolean | number | string | MetricValue[] | { [key: string]: MetricValue };

/** What a provider is asked. */
export interface MetricQuery {
  /** The provider's settings as the metric gives them (`spec.provider.<type>`), already validated by the schema. */
  settings: unknown;
  /** A Secret key's value in the metric's namespace (bearer tokens). */
  secretValue(ref: { name: string; key?: string }): Promise<string>;
  signal?: AbortSignal;
}

/** A metric provider plugin. */
export interface MetricProvider {
  /** prometheus, web, or a plugin's name: the key of `spec.provider` it answers for. */
  readonly type: string;
  /**
   * The value now. Throws MetricQueryError when no value can be had (unreachable, an error answer,
   * an unusable result): the measurement is then an Error, which counts towards the metric's
   * consecutiveErrorLimit and is never a pass. Rethrows the caller's abort.
   */
  query(query: MetricQuery): Promise<MetricValue>;
}

/** A provider could not produce a value: unreachable, an error answer, or an unusable result. */
export class MetricQueryError extends Error {
  override readonly name = "MetricQueryError";
  constructor(
    /** The provider's type. */
    readonly provider: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
