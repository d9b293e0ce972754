// Preloaded into a server under test (NODE_OPTIONS=--require …): at exit, writes the modules the
// process loaded to $ROOTAPI_TEST_MODULES_DIR/<pid>.json, so a test can tell what was never loaded.
const fs = require("node:fs");
const path = require("node:path");

process.on("exit", () => {
  const dir = process.env.ROOTAPI_TEST_MODULES_DIR;
  if (dir) fs.writeFileSync(path.join(dir, `${process.pid}.json`), JSON.stringify(Object.keys(require.cache)));
});
