/**
 * The whole test suite (`npm test`): production build → unit, database and integration tests
 * (vitest; SQLite always, PostgreSQL when reachable — required in CI) → browser e2e (Playwright in
 * Debian's Chromium). Ends with one summary line "N passed, N failed, N skipped".
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";

const root = path.resolve(__dirname, "..");
const reports = path.join(root, "test-results");
const ci = process.env.CI === "true" || process.env.CI === "1";
const chromium = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const args = new Set(process.argv.slice(2));

function run(title: string, command: string, commandArgs: string[], env: Record<string, string | undefined> = {}): number {
  console.log(`\n=== ${title}: ${[command, ...commandArgs].join(" ")}`);
  const result = spawnSync(command, commandArgs, { cwd: root, stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...env } });
  return result.status ?? 1;
}

interface Counts {
  passed: number;
  failed: number;
  skipped: number;
  /** "file › test: first line of the error", so the end of a long CI log says what broke. */
  failures: string[];
}

const firstLine = (message: string | undefined) => (message ?? "").replace(/\u001b\[[0-9;]*m/g, "").trim().split("\n")[0].slice(0, 300);

interface VitestReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  testResults: { name: string; message?: string; assertionResults: { status: string; fullName: string; failureMessages?: string[] }[] }[];
}

function vitestCounts(file: string): Counts {
  if (!existsSync(file)) return { passed: 0, failed: 1, skipped: 0, failures: [`${path.relative(root, file)}: no report (vitest did not finish)`] };
  const report = JSON.parse(readFileSync(file, "utf8")) as VitestReport;
  const failures: string[] = [];
  for (const suite of report.testResults) {
    const name = path.relative(root, suite.name);
    const failed = suite.assertionResults.filter((t) => t.status === "failed");
    for (const t of failed) failures.push(`${name} › ${t.fullName}: ${firstLine(t.failureMessages?.[0])}`);
    // A file that fails to load (or whose hooks fail) has no failed test, only a message.
    if (failed.length === 0 && suite.message) failures.push(`${name}: ${firstLine(suite.message)}`);
  }
  return { passed: report.numPassedTests, failed: report.numFailedTests, skipped: report.numPendingTests + report.numTodoTests, failures };
}

interface PlaywrightSuite {
  title: string;
  file?: string;
  specs?: { title: string; file: string; tests: { status: string; results: { error?: { message?: string } }[] }[] }[];
  suites?: PlaywrightSuite[];
}

function playwrightFailures(suites: PlaywrightSuite[] = []): string[] {
  return suites.flatMap((suite) => [
    ...(suite.specs ?? []).flatMap((spec) =>
      spec.tests.filter((t) => t.status === "unexpected").map((t) => `${spec.file} › ${spec.title}: ${firstLine(t.results.at(-1)?.error?.message)}`),
    ),
    ...playwrightFailures(suite.suites),
  ]);
}

function playwrightCounts(file: string): Counts {
  if (!existsSync(file)) return { passed: 0, failed: 1, skipped: 0, failures: [`${path.relative(root, file)}: no report (Playwright did not finish)`] };
  const { stats, suites } = JSON.parse(readFileSync(file, "utf8")) as { stats: { expected: number; unexpected: number; flaky: number; skipped: number }; suites: PlaywrightSuite[] };
  return { passed: stats.expected + stats.flaky, failed: stats.unexpected, skipped: stats.skipped, failures: playwrightFailures(suites) };
}

function main(): number {
  rmSync(reports, { recursive: true, force: true });
  mkdirSync(reports, { recursive: true });
  const total: Counts = { passed: 0, failed: 0, skipped: 0, failures: [] };
  const add = (c: Counts) => ((total.passed += c.passed), (total.failed += c.failed), (total.skipped += c.skipped), total.failures.push(...c.failures));
  let broken = false;

  if (!args.has("--no-build") && run("build", "npx", ["next", "build"]) !== 0) {
    console.error("\nThe production build failed; tests need it.");
    console.log("\n0 passed, 1 failed");
    return 1;
  }

  const vitestReport = path.join(reports, "vitest.json");
  const vitestStatus = run("unit + database + integration", "npx", ["vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${vitestReport}`]);
  const vitest = vitestCounts(vitestReport);
  add(vitest);
  if (vitestStatus !== 0 && vitest.failed === 0) broken = true;

  const aloneReport = path.join(reports, "vitest-alone.json");
  const aloneStatus = run("latency under load (alone)", "npx", ["vitest", "run", "--config", "vitest.alone.config.mts", "--reporter=default", "--reporter=json", `--outputFile.json=${aloneReport}`]);
  const alone = vitestCounts(aloneReport);
  add(alone);
  if (aloneStatus !== 0 && alone.failed === 0) broken = true;

  if (existsSync(chromium)) {
    const e2eReport = path.join(reports, "playwright.json");
    const e2eStatus = run("e2e (Chromium)", "npx", ["playwright", "test", "-c", "e2e/playwright.config.ts"], { PLAYWRIGHT_JSON_OUTPUT_NAME: e2eReport, CHROMIUM_PATH: chromium });
    const e2e = playwrightCounts(e2eReport);
    add(e2e);
    if (e2eStatus !== 0 && e2e.failed === 0) broken = true;
  } else if (ci) {
    console.error(`\nChromium not found at ${chromium}; CI must run the browser tests (apt-get install -y chromium).`);
    total.failed += 1;
  } else {
    console.warn(`\nSkipping browser tests: no Chromium at ${chromium} (apt-get install -y chromium, or set CHROMIUM_PATH).`);
  }

  if (total.failures.length) console.log(`\nFailed:\n${total.failures.map((f) => `  ✗ ${f}`).join("\n")}`);
  console.log(`\n${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
  return total.failed > 0 || broken ? 1 : 0;
}

process.exit(main());
