/**
 * Everything a run starts or creates registers its undoing here; it runs (last in, first out) at
 * the end, on failure and on Ctrl-C, each step on its own so one failing step skips no other.
 */
import { redact } from "./processes";

type Step = { name: string; undo: () => Promise<void> | void };

const steps: Step[] = [];
let running: Promise<void> | null = null;

export function onCleanup(name: string, undo: () => Promise<void> | void): () => void {
  const step = { name, undo };
  steps.push(step);
  // Deregister (the thing was already undone normally).
  return () => {
    const at = steps.indexOf(step);
    if (at !== -1) steps.splice(at, 1);
  };
}

export function cleanUp(): Promise<void> {
  running ??= (async () => {
    while (steps.length) {
      const step = steps.pop()!;
      try {
        await step.undo();
      } catch (error) {
        console.error(`cleanup: ${step.name} failed: ${redact(error instanceof Error ? error.message : String(error))}`);
      }
    }
  })();
  return running;
}

let exiting = false;

/** True once a signal or crash has started the exit (later errors are its echoes). */
export function isExiting(): boolean {
  return exiting;
}

/** Ctrl-C, kill, crashes: clean up, then exit non-zero. */
export function cleanUpOnExitSignals(): void {
  const bail = (code: number, why: string) => {
    if (exiting) return;
    exiting = true;
    console.error(`\n${why}: cleaning up…`);
    const force = setTimeout(() => process.exit(code), 45_000);
    force.unref();
    void cleanUp().finally(() => process.exit(code));
  };
  process.on("SIGINT", () => bail(130, "Interrupted"));
  process.on("SIGTERM", () => bail(143, "Terminated"));
  process.on("SIGHUP", () => bail(129, "Hung up"));
  const crashed = (error: unknown) => {
    console.error(redact(error instanceof Error ? `${error.name}: ${error.message}` : String(error)));
    bail(1, "Crashed");
  };
  process.on("uncaughtException", crashed);
  process.on("unhandledRejection", crashed);
}
