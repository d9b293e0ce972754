/**
 * A small reader of Prometheus' text exposition format (version 0.0.4), written for the tests so
 * they check what a scraper would read, not what the library meant to write.
 */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Exposition {
  samples: Sample[];
  /** Metric family name → its `# TYPE`. */
  types: Map<string, string>;
}

export function parseExposition(text: string): Exposition {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    if (line.startsWith("#")) {
      const type = /^# TYPE (\S+) (\S+)$/.exec(line);
      if (type) types.set(type[1]!, type[2]!);
      continue;
    }
    samples.push(parseSample(line));
  }
  return { samples, types };
}

function parseSample(line: string): Sample {
  const name = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line)?.[0];
  if (!name) throw new Error(`Not a sample line: ${line}`);
  let i = name.length;
  const labels: Record<string, string> = {};
  if (line[i] === "{") {
    i++;
    while (line[i] !== "}") {
      const label = /^([a-zA-Z_][a-zA-Z0-9_]*)="/.exec(line.slice(i));
      if (!label) throw new Error(`Bad label at ${i}: ${line}`);
      i += label[0].length;
      let value = "";
      for (; line[i] !== '"'; i++) {
        if (i >= line.length) throw new Error(`Unterminated label value: ${line}`);
        if (line[i] === "\\") {
          const escaped = line[++i];
          value += escaped === "n" ? "\n" : escaped;
        } else value += line[i];
      }
      labels[label[1]!] = value;
      i++;
      if (line[i] === ",") i++;
    }
    i++;
  }
  const [raw, timestamp, ...rest] = line.slice(i).trim().split(/\s+/);
  if (raw === undefined || rest.length || (timestamp !== undefined && !/^-?\d+$/.test(timestamp))) throw new Error(`Bad value: ${line}`);
  // Like Prometheus' own parser (Go's ParseFloat): NaN and Inf in any case.
  const special = raw.toLowerCase();
  const value = special === "+inf" || special === "inf" ? Infinity : special === "-inf" ? -Infinity : special === "nan" ? NaN : Number(raw);
  if (Number.isNaN(value) && special !== "nan") throw new Error(`Bad value: ${line}`);
  return { name, labels, value };
}

const matches = (sample: Sample, labels: Record<string, string>) => Object.entries(labels).every(([k, v]) => sample.labels[k] === v);

/** Samples of `name` whose labels include `labels`. */
export function series(exposition: Exposition, name: string, labels: Record<string, string> = {}): Sample[] {
  return exposition.samples.filter((s) => s.name === name && matches(s, labels));
}

/** The sum over the samples of `name` whose labels include `labels` (0 when there are none). */
export function total(exposition: Exposition, name: string, labels: Record<string, string> = {}): number {
  return series(exposition, name, labels).reduce((sum, s) => sum + s.value, 0);
}
