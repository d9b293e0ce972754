/** The JSON log lines a server wrote (other output, e.g. Next's own, is skipped). */
export type LogLine = Record<string, unknown> & { level: number; msg: string; event?: string };

export function logLines(output: string): LogLine[] {
  const lines: LogLine[] = [];
  for (const line of output.split("\n")) {
    if (!line.startsWith("{")) continue;
    try {
      lines.push(JSON.parse(line) as LogLine);
    } catch {
      // a line cut by the end of the captured output
    }
  }
  return lines;
}
