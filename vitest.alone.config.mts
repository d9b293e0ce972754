import { defineConfig } from "vitest/config";
import path from "node:path";

/**
 * Tests that measure latency under load, or time how several servers recover from outages
 * (test/alone): run after the rest, one file at a time, so another test's servers do not share the
 * two cores they measure on.
 */
export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: { include: ["test/alone/**/*.test.ts"], environment: "node", testTimeout: 120_000, hookTimeout: 120_000, maxWorkers: 1, fileParallelism: false },
});
