// Preloaded into a server under test (NODE_OPTIONS=--require …): every 200 ms and at exit, writes
// the modules the process has loaded to $ROOTAPI_TEST_MODULES_DIR/<pid>.json, so a test can tell
// what was never loaded.
const fs = require("node:fs");
const path = require("node:path");

const dir = process.env.ROOTAPI_TEST_MODULES_DIR;
if (dir) {
  const report = () => {
    const file = path.join(dir, `${process.pid}.json`);
    fs.writeFileSync(`${file}.tmp`, JSON.stringify(Object.keys(require.cache)));
    fs.renameSync(`${file}.tmp`, file);
  };
  setInterval(report, 200).unref();
  process.on("exit", report);
}
