import pino, { type DestinationStream, type Logger } from "pino";
import { logConfig, REDACTED_PATHS } from "./log-config";
import { prettyLine } from "./pretty";

export type { Logger };

/**
 * The process's one logger: JSON lines on stdout (or a readable rendering with LOG_FORMAT=pretty),
 * one child per component (`component` field). Kept on globalThis because the custom server and
 * Next's bundled route handlers load this module separately in one process; both must write through
 * the same buffered destination so lines never interleave mid-line and all are flushed on exit.
 */
interface LogState {
  root: Logger;
  children: Map<string, Logger>;
}

const holder = globalThis as typeof globalThis & { __rootapiLog?: LogState };

function createRoot(): LogState {
  const config = logConfig(process.env, process.argv);
  const destination: DestinationStream =
    config.format === "pretty"
      ? { write: (line: string) => void process.stdout.write(prettyLine(line)) }
      : // Asynchronous writes: a request's line never waits for the pipe. pino flushes what is
        // still buffered synchronously when the process exits.
        pino.destination({ dest: 1, sync: false });
  const root = pino(
    {
      level: config.level,
      redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
      base: { pid: process.pid },
    },
    destination,
  );
  for (const problem of config.problems) root.warn({ event: "config.invalid" }, problem);
  return { root, children: new Map() };
}

function state(): LogState {
  return (holder.__rootapiLog ??= createRoot());
}

/** The logger of one part of the server, e.g. `logger("gateway")`; lines carry `component`. */
export function logger(component: string): Logger {
  const { root, children } = state();
  let child = children.get(component);
  if (!child) children.set(component, (child = root.child({ component })));
  return child;
}

/** Writes what is buffered (before a deliberate exit that does not run exit handlers). */
export function flushLogs(): void {
  holder.__rootapiLog?.root.flush();
}
