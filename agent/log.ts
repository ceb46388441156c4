// The agent's log: one JSON line per event on stderr. Never given a token, key or Secret value.

/** Where the agent logs. */
export interface AgentLog {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/** JSON lines on stderr, naming the agent. */
export function jsonLog(agent: string): AgentLog {
  const line =
    (level: string) =>
    (msg: string, fields: Record<string, unknown> = {}) =>
      process.stderr.write(JSON.stringify({ time: new Date().toISOString(), level, agent, msg, ...fields }) + "\n");
  return { info: line("info"), warn: line("warn"), error: line("error") };
}
