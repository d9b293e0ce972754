import { expect, test } from "@playwright/test";
import { findOverflows } from "./support/overflow";

/** The page tour's overflow check (support/overflow.ts) on a page built to hold each case once. */
test("the overflow check names each box too narrow for its content, and only those", async ({ page }) => {
  await page.setViewportSize({ width: 400, height: 600 });
  await page.setContent(`<!doctype html><html><body style="margin:0;font:16px sans-serif">
    <div id="spills" style="width:200px"><div style="width:300px">a fixed-width child</div></div>
    <div id="outer" style="width:200px"><div id="inner" style="width:150px;white-space:nowrap">an unbreakable line of text that is far too long</div></div>
    <p id="cut" style="width:120px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap">truncated without any tooltip at all</p>
    <p id="titled" title="truncated but the tooltip has it all" style="width:120px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap">truncated but the tooltip has it all</p>
    <div id="scrolls" style="width:120px;overflow-x:auto"><div style="width:400px">a wide table in a scroller</div></div>
    <span id="sr" style="position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap">screen readers only, however long it is</span>
    <div id="fits" style="width:300px"><span>short</span></div>
    <div id="gone" style="display:none;width:10px"><div style="width:300px">hidden</div></div>
  </body></html>`);

  const found = await findOverflows(page);
  expect(found.map((f) => [f.selector, f.kind])).toEqual([
    ["div#spills", "spills"],
    // The line spills out of #inner; #outer only inherits that overflow, so it is not named.
    ["div#outer > div#inner", "spills"],
    ["p#cut", "clipped"],
  ]);
  expect(found[0]!.by).toBe(100);
  expect(found[1]!.text).toBe("an unbreakable line of text that is far too long");
});
