/**
 * Reads a V8 .cpuprofile (from `node --cpu-prof`) and tells where the CPU went during a window:
 * self time by function, self time by area (GC, Node internals, each npm package, each repo file)
 * and the inclusive time of the repo's own functions (synchronous stacks only: time spent after
 * an `await` is attributed to whatever resumed it, not to the caller).
 */
import { readFileSync } from "node:fs";
import path from "node:path";

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface Share {
  name: string;
  where: string;
  ms: number;
  percent: number;
}

export interface ProfileSummary {
  windowMs: number;
  samples: number;
  busyPercent: number;
  selfByFunction: Share[];
  selfByArea: Share[];
  inclusiveRepo: Share[];
}

const SPECIAL = new Set(["(root)", "(program)", "(idle)", "(garbage collector)"]);

/** A frame's location without machine paths: repo-relative, package-relative, or node:… */
function shortUrl(url: string, root: string): string {
  if (!url) return "";
  let file = url.startsWith("file://") ? decodeURIComponent(url.slice("file://".length)) : url;
  if (file.startsWith("node:")) return file;
  if (file.startsWith("wasm://")) return "wasm";
  const nm = file.lastIndexOf("/node_modules/");
  if (nm !== -1) return file.slice(nm + "/node_modules/".length);
  if (file.startsWith(root + path.sep)) return path.relative(root, file);
  file = path.basename(file);
  return file;
}

function areaOf(frame: CallFrame, where: string): string {
  if (SPECIAL.has(frame.functionName) && !frame.url) return frame.functionName;
  if (frame.url.startsWith("wasm://")) return "WebAssembly";
  if (!where) return "(native / V8 builtins)";
  if (where.startsWith("node:")) return "node internals";
  if (frame.url.includes("/node_modules/")) {
    const parts = where.split("/");
    return `npm ${parts[0]!.startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0]}`;
  }
  if (where.startsWith(".next")) return "Next.js build output";
  return where;
}

const isRepoCode = (frame: CallFrame) => frame.url.startsWith("file://") && !frame.url.includes("/node_modules/") && !frame.url.includes("/.next/");

/**
 * `fromUs`/`toUs`: the window in the profile's clock (CLOCK_MONOTONIC µs, the same clock as
 * process.hrtime). Samples outside it (start-up, shutdown) are ignored.
 */
export function summarizeProfile(file: string, root: string, fromUs: number, toUs: number, top = 25): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const child of node.children ?? []) parent.set(child, node.id);
  }

  const self = new Map<string, Share>();
  const areas = new Map<string, Share>();
  const inclusive = new Map<string, Share>();
  const add = (map: Map<string, Share>, key: string, name: string, where: string, ms: number) => {
    const entry = map.get(key) ?? { name, where, ms: 0, percent: 0 };
    entry.ms += ms;
    map.set(key, entry);
  };

  let t = profile.startTime;
  let total = 0;
  let idle = 0;
  let samples = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i] ?? 0;
    if (t < fromUs || t > toUs) continue;
    // Each sample stands for the time until the next one.
    const ms = Math.max(0, (profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0) / 1000);
    const node = byId.get(profile.samples[i]!);
    if (!node) continue;
    samples++;
    total += ms;
    const frame = node.callFrame;
    const where = shortUrl(frame.url, root);
    const name = frame.functionName || "(anonymous)";
    if (frame.functionName === "(idle)") idle += ms;
    add(self, `${name}@${where}:${frame.lineNumber}`, name, where ? `${where}:${frame.lineNumber + 1}` : "", ms);
    let area = areaOf(frame, where);
    if (area === "WebAssembly") {
      // Named after the JavaScript that called into it (Prisma's query compiler, in the gateway).
      let id = parent.get(node.id);
      while (id !== undefined && !/^(file|node):/.test(byId.get(id)!.callFrame.url)) id = parent.get(id);
      const caller = id === undefined ? undefined : byId.get(id)!.callFrame;
      area = caller ? `${areaOf(caller, shortUrl(caller.url, root))} (WebAssembly)` : "WebAssembly";
    }
    add(areas, area, area, "", ms);

    const seen = new Set<string>();
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      const f = byId.get(id)!.callFrame;
      if (!isRepoCode(f)) continue;
      const w = shortUrl(f.url, root);
      const key = `${f.functionName || "(anonymous)"}@${w}`;
      if (seen.has(key)) continue;
      seen.add(key);
      add(inclusive, key, f.functionName || "(anonymous)", w, ms);
    }
  }
  const ranked = (map: Map<string, Share>, n: number) =>
    [...map.values()]
      .map((s) => ({ ...s, percent: total > 0 ? (s.ms / total) * 100 : 0 }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, n);
  return {
    windowMs: total,
    samples,
    busyPercent: total > 0 ? ((total - idle) / total) * 100 : 0,
    selfByFunction: ranked(self, top),
    selfByArea: ranked(areas, 15),
    inclusiveRepo: ranked(inclusive, 20),
  };
}

export function formatProfile(summary: ProfileSummary, requests: number, unit: "req" | "chunk" = "req"): string {
  const lines: string[] = [];
  const perReq = (ms: number) => (requests > 0 ? `${((ms / requests) * 1000).toFixed(1).padStart(6)} µs/${unit}` : "");
  const row = (s: Share) => `  ${s.percent.toFixed(1).padStart(5)}%  ${perReq(s.ms)}  ${s.name}${s.where ? `  ${s.where}` : ""}`;
  lines.push(
    `${summary.samples.toLocaleString("en-US")} samples over ${(summary.windowMs / 1000).toFixed(1)} s, ${summary.busyPercent.toFixed(0)}% busy, ` +
      `${requests.toLocaleString("en-US")} ${unit === "req" ? "requests" : "chunks relayed"} (percentages of the window; µs per ${unit === "req" ? "request" : "chunk"})`,
  );
  lines.push("self time by area:");
  for (const s of summary.selfByArea) lines.push(row(s));
  lines.push("self time by function (top):");
  for (const s of summary.selfByFunction) lines.push(row(s));
  lines.push("inclusive time of RootAPI's own functions (synchronous part only):");
  for (const s of summary.inclusiveRepo) lines.push(row(s));
  return lines.join("\n");
}
