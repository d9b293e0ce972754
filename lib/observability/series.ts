import type { Registry } from "prom-client";

/**
 * Counters and histograms for the /v1 hot path, exposed through a prom-client registry. prom-client's
 * own children hash their label object on every `inc`/`observe` (~0.3–0.5 µs each, several per
 * request); these keep one plain object per label set, resolved once by the caller, so recording is a
 * field increment. The registry formats them at scrape time like its own metrics.
 */
export interface CounterChild {
  value: number;
}

export interface HistogramChild {
  /** Observations per bucket (not cumulative); the last slot is +Inf. */
  readonly counts: number[];
  sum: number;
  count: number;
}

type Labels = Record<string, string | number>;

/** What prom-client's registry reads from a metric at each scrape. */
interface Exported {
  name: string;
  help: string;
  type: "counter" | "histogram";
  aggregator: "sum";
  values: Array<{ labels: Labels; value: number; metricName?: string }>;
}

abstract class Family<Child> {
  private readonly children = new Map<string, { labels: Labels; child: Child }>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly string[],
  ) {}

  /** The child for these label values (in labelNames order), created on first use. */
  child(...values: string[]): Child {
    const key = values.join("\u0000");
    let entry = this.children.get(key);
    if (!entry) {
      const labels: Labels = {};
      this.labelNames.forEach((name, i) => (labels[name] = values[i] ?? ""));
      entry = { labels, child: this.create() };
      this.children.set(key, entry);
    }
    return entry.child;
  }

  protected entries() {
    return this.children.values();
  }

  protected abstract create(): Child;

  /** Adds the family to a registry (which calls get() at each scrape). */
  registerIn(registry: Registry): this {
    registry.registerMetric(this as unknown as Parameters<Registry["registerMetric"]>[0]);
    return this;
  }
}

export class CounterFamily extends Family<CounterChild> {
  readonly type = "counter";
  readonly aggregator = "sum";

  protected create(): CounterChild {
    return { value: 0 };
  }

  async get(): Promise<Exported> {
    const values = [...this.entries()].map(({ labels, child }) => ({ labels, value: child.value }));
    return { name: this.name, help: this.help, type: "counter", aggregator: "sum", values };
  }
}

export class HistogramFamily extends Family<HistogramChild> {
  readonly type = "histogram";
  readonly aggregator = "sum";

  constructor(name: string, help: string, labelNames: readonly string[], readonly buckets: readonly number[]) {
    super(name, help, labelNames);
  }

  protected create(): HistogramChild {
    return { counts: new Array<number>(this.buckets.length + 1).fill(0), sum: 0, count: 0 };
  }

  observe(child: HistogramChild, value: number): void {
    const { buckets } = this;
    let i = 0;
    while (i < buckets.length && value > buckets[i]!) i++;
    child.counts[i]!++;
    child.sum += value;
    child.count++;
  }

  async get(): Promise<Exported> {
    const values: Exported["values"] = [];
    for (const { labels, child } of this.entries()) {
      let cumulative = 0;
      this.buckets.forEach((bound, i) => {
        cumulative += child.counts[i]!;
        values.push({ metricName: `${this.name}_bucket`, labels: { ...labels, le: bound }, value: cumulative });
      });
      values.push({ metricName: `${this.name}_bucket`, labels: { ...labels, le: "+Inf" }, value: child.count });
      values.push({ metricName: `${this.name}_sum`, labels, value: child.sum });
      values.push({ metricName: `${this.name}_count`, labels, value: child.count });
    }
    return { name: this.name, help: this.help, type: "histogram", aggregator: "sum", values };
  }
}
