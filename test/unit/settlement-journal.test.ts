import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { decodeJournal, encodeJournal, journalFiles, keepInJournal, readJournal, replayJournals, writeJournal, type JournaledSettlement } from "@/lib/gateway/funds/settlement-journal";

const settlement = (id: string, cost: bigint): JournaledSettlement => ({
  record: {
    id, userId: "u1", apiKeyId: "k1", channelId: "c1", model: "gpt-x", upstreamModel: "gpt-x-2025", endpoint: "/v1/chat/completions", stream: true, status: 200,
    promptTokens: 10, completionTokens: 2, cachedTokens: 0, cacheWriteTokens: 0, cacheWrite1hTokens: 0, reasoningTokens: 0, cost, estimated: false,
    latencyMs: 12, ttfbMs: null, attempts: 1, errorCode: null, errorMessage: null, createdAt: new Date("2026-12-06T05:00:00.123Z"),
  },
  spends: [{ id: "inst:1", instanceId: "inst", subject: "user", subjectId: "u1", amount: cost }],
});

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "journal-"));
  dirs.push(dir);
  return dir;
};
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe("settlement journal", () => {
  it("keeps money exact and times to the millisecond through a round trip", () => {
    // Beyond 2^53: a float would round it.
    const items = [settlement("a", 9_007_199_254_740_993n), settlement("b", 12n)];
    const back = decodeJournal(encodeJournal(items));
    expect(back).toEqual(items);
    expect(back[0]!.record.cost).toBe(9_007_199_254_740_993n);
    expect(encodeJournal([])).toBe("");
  });

  it("writes a whole file only its owner reads, found oldest first, and rewrites or removes it after a replay", () => {
    const dir = tempDir();
    const older = writeJournal(dir, [settlement("a", 1n)], new Date("2026-12-06T05:00:00Z"));
    const newer = writeJournal(dir, [settlement("b", 2n), settlement("c", 3n)], new Date("2026-12-06T06:00:00Z"));
    writeFileSync(path.join(dir, "rootapi.db"), "");
    expect(journalFiles(dir)).toEqual([older, newer]);
    expect(statSync(newer).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir).filter((name) => name.endsWith(".partial"))).toEqual([]);
    keepInJournal(newer, [settlement("c", 3n)]);
    expect(readJournal(newer).map((s) => s.record.id)).toEqual(["c"]);
    keepInJournal(older, []);
    expect(journalFiles(dir)).toEqual([newer]);
    expect(journalFiles(path.join(dir, "absent"))).toEqual([]);
  });

  it("replays every journal, keeps what is refused, and keeps all of it while the database is down", async () => {
    const dir = tempDir();
    const first = writeJournal(dir, [settlement("a", 1n), settlement("b", 2n)], new Date("2026-12-06T05:00:00Z"));
    const second = writeJournal(dir, [settlement("c", 3n)], new Date("2026-12-06T06:00:00Z"));
    await replayJournals(dir, async () => {
      throw Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
    });
    expect(journalFiles(dir)).toEqual([first, second]);
    const seen: string[] = [];
    await replayJournals(dir, async (items) => {
      seen.push(...items.map((s) => s.record.id));
      return items.filter((s) => s.record.id === "b");
    });
    expect(seen).toEqual(["a", "b", "c"]);
    expect(journalFiles(dir)).toEqual([first]);
    expect(readJournal(first).map((s) => s.record.id)).toEqual(["b"]);
  });
});
