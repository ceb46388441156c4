// How Stella decides a running component is healthy: one probe (HTTP, TCP or a command) plus
// timing and thresholds, in the shape operators know from Kubernetes probes and Nomad checks.
import { z } from "zod";
import { durationMillis, positiveDuration } from "./duration.ts";
import { invalidValue, requireExactlyOne } from "./refinements.ts";

/** IANA service name rules, as Kubernetes uses for named ports: up to 15 of a-z, 0-9 and '-'. */
export const PORT_NAME = /^(?=.{1,15}$)(?=.*[a-z])[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/** A port name of a component (`http`). */
export const portName = z
  .string()
  .regex(
    PORT_NAME,
    "must be an IANA service name: up to 15 lowercase letters, digits and '-', with at least one letter",
  );

/** A port number 1-65535. */
export const portNumber = z.number().int().min(1).max(65535);

/** A port given by number or by the name of one of the component's ports. */
export const portReference = z.union([portNumber, portName]).meta({
  "x-kubernetes-int-or-string": true,
  description: "A port number, or the name of one of the component's ports.",
});

/** An HTTP GET probe; 2xx and 3xx answers are healthy. */
export const httpProbe = z.strictObject({
  path: z
    .string()
    .startsWith("/", "must start with '/'")
    .optional()
    .meta({ description: "Request path; `/` when omitted." }),
  port: portReference,
  scheme: z.enum(["HTTP", "HTTPS"]).optional().meta({ description: "HTTP (default) or HTTPS." }),
  host: z.string().optional().meta({ description: "Host header to send; the target address when omitted." }),
  headers: z
    .array(z.strictObject({ name: z.string().min(1), value: z.string() }))
    .optional()
    .meta({ description: "Extra request headers." }),
});

/** A TCP connect probe. */
export const tcpProbe = z.strictObject({ port: portReference });

/** A command run inside the component; exit status 0 is healthy. */
export const execProbe = z.strictObject({
  command: z.array(z.string()).min(1).meta({ description: "Command and arguments, run without a shell." }),
});

/** Field names of the probe kinds, exactly one of which a health check sets. */
export const PROBE_KINDS = ["http", "tcp", "exec"] as const;

/** A health check: exactly one probe plus timing; `timeout` may not exceed `interval`. */
export const healthCheck = z
  .strictObject({
    http: httpProbe.optional().meta({ description: "Probe with an HTTP GET." }),
    tcp: tcpProbe.optional().meta({ description: "Probe by opening a TCP connection." }),
    exec: execProbe.optional().meta({ description: "Probe by running a command in the component." }),
    interval: positiveDuration.optional().meta({ description: "Time between probes; 10s when omitted." }),
    timeout: positiveDuration
      .optional()
      .meta({ description: "Time one probe may take; 1s when omitted. At most interval." }),
    startPeriod: positiveDuration
      .optional()
      .meta({ description: "Grace time after start during which failures do not count." }),
    healthyThreshold: z
      .number()
      .int()
      .min(1)
      .optional()
      .meta({ description: "Consecutive successes before the component counts as healthy; 1 when omitted." }),
    unhealthyThreshold: z
      .number()
      .int()
      .min(1)
      .optional()
      .meta({ description: "Consecutive failures before the component counts as unhealthy; 3 when omitted." }),
  })
  .superRefine((check, ctx) => {
    requireExactlyOne(ctx, check, PROBE_KINDS, []);
    const timeout = check.timeout && durationMillis(check.timeout);
    const interval = check.interval && durationMillis(check.interval);
    if (timeout && interval && timeout > interval) {
      invalidValue(ctx, ["timeout"], check.timeout, `must not be longer than interval (${check.interval})`);
    }
  })
  .meta({
    description: "How to tell that a running component is healthy: exactly one of http, tcp or exec, plus timing.",
  });
export type HealthCheck = z.infer<typeof healthCheck>;

/** The named port a health check refers to, if it refers to one by name. */
export function probePortName(check: HealthCheck): string | undefined {
  const port = check.http?.port ?? check.tcp?.port;
  return typeof port === "string" ? port : undefined;
}
