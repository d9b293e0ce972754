import { defineConfig } from "vitest/config";
import path from "node:path";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["test/**/*.test.ts"],
    // Latency measurements run by themselves afterwards (vitest.alone.config.mts).
    exclude: ["test/alone/**", "**/node_modules/**"],
    environment: "node",
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Integration files start real servers; two cores do not gain from more workers.
    maxWorkers: 2,
  },
});
