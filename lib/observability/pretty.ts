/**
 * A terminal rendering of pino's JSON lines for development: time, level, component, message,
 * then the other fields as key=value, and an error's stack on the lines below. Small enough to
 * need no extra package, so it works in any install.
 */
const LEVEL_NAMES: Record<number, string> = { 10: "TRACE", 20: "DEBUG", 30: "INFO ", 40: "WARN ", 50: "ERROR", 60: "FATAL" };
const SKIPPED = new Set(["time", "level", "msg", "pid", "hostname", "component", "err"]);

export function prettyLine(json: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json.endsWith("\n") ? json : `${json}\n`;
  }
  const time = typeof entry.time === "number" ? new Date(entry.time).toISOString().slice(11, 23) : "";
  const level = LEVEL_NAMES[entry.level as number] ?? String(entry.level);
  const component = entry.component ? ` [${String(entry.component)}]` : "";
  const fields = Object.entries(entry)
    .filter(([name, value]) => !SKIPPED.has(name) && value !== null && value !== undefined)
    .map(([name, value]) => `${name}=${typeof value === "string" ? value : JSON.stringify(value)}`);
  let line = `${time} ${level}${component} ${String(entry.msg ?? "")}${fields.length ? `  ${fields.join(" ")}` : ""}\n`;
  const err = entry.err as { stack?: string; message?: string } | undefined;
  if (err) line += `${(err.stack ?? err.message ?? JSON.stringify(err)).replace(/^/gm, "    ")}\n`;
  return line;
}
