/** Garbage collections of a process started with `--trace-gc`, from the lines it prints. */

export interface GcEvent {
  /** performance.now() of this process when the line arrived. */
  at: number;
  kind: string;
  /** Main-thread pause, ms. */
  pauseMs: number;
  heapAfterMb: number;
}

export interface GcSummary {
  kind: string;
  count: number;
  totalPauseMs: number;
  maxPauseMs: number;
}

// e.g. "[123:0x55d0]   5678 ms: Mark-Compact 250.0 (260.1) -> 200.3 (262.0) MB, 2.51 / 0.00 ms  (…"
const GC_LINE = /ms: ([A-Za-z -]+?) [\d.]+ \([\d.]+\) -> ([\d.]+) \([\d.]+\) MB, ([\d.]+) \/ [\d.]+ ms/;

export class GcLog {
  readonly events: GcEvent[] = [];

  /** Feed it every stdout line; returns true for GC lines. */
  accept(line: string): boolean {
    const match = GC_LINE.exec(line);
    if (!match) return false;
    this.events.push({ at: performance.now(), kind: match[1]!.trim(), heapAfterMb: Number(match[2]), pauseMs: Number(match[3]) });
    return true;
  }

  summary(from: number, to: number): GcSummary[] {
    const byKind = new Map<string, GcSummary>();
    for (const e of this.events) {
      if (e.at < from || e.at > to) continue;
      const s = byKind.get(e.kind) ?? { kind: e.kind, count: 0, totalPauseMs: 0, maxPauseMs: 0 };
      s.count++;
      s.totalPauseMs += e.pauseMs;
      s.maxPauseMs = Math.max(s.maxPauseMs, e.pauseMs);
      byKind.set(e.kind, s);
    }
    return [...byKind.values()].sort((a, b) => b.totalPauseMs - a.totalPauseMs);
  }

  heapAfterMb(from: number, to: number): { min: number; max: number } | null {
    const inWindow = this.events.filter((e) => e.at >= from && e.at <= to);
    if (!inWindow.length) return null;
    return { min: Math.min(...inWindow.map((e) => e.heapAfterMb)), max: Math.max(...inWindow.map((e) => e.heapAfterMb)) };
  }
}

export function formatGc(summary: GcSummary[], heap: { min: number; max: number } | null, windowMs: number, requests: number, unit = "request"): string {
  if (!summary.length) return "no garbage collection reported in the window";
  const parts = summary.map(
    (s) => `${s.count} × ${s.kind} (${s.totalPauseMs.toFixed(0)} ms paused in all, longest ${s.maxPauseMs.toFixed(1)} ms)`,
  );
  const paused = summary.reduce((n, s) => n + s.totalPauseMs, 0);
  return (
    `GC on the main thread: ${parts.join(", ")} — ${((paused / windowMs) * 100).toFixed(1)}% of the window, ` +
    `${requests > 0 ? ((paused / requests) * 1000).toFixed(1) : "?"} µs per ${unit}` +
    (heap ? `; heap after GC ${heap.min.toFixed(0)}–${heap.max.toFixed(0)} MB` : "")
  );
}
