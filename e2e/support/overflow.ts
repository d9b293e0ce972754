import type { Page } from "@playwright/test";

export interface Overflow {
  /** A readable path to the element: up to three ancestors, tag#id.class. */
  selector: string;
  /** How many CSS pixels of content do not fit. */
  by: number;
  /** The start of the element's text, to find it on the screenshot. */
  text: string;
  /** "clipped" (overflow hidden/clip: content the user cannot see) or "spills" (content drawn outside its box). */
  kind: "clipped" | "spills";
}

/**
 * Elements whose content is wider than they are and that do not scroll: overflow-x visible (the
 * content is drawn over its neighbours or past the screen) or hidden/clip (the content is cut off).
 * Scroll containers (auto/scroll) are fine: their content is reachable.
 *
 * An element is reported only when one of its own children (element or text) sticks out of it, not
 * when a descendant's overflow merely propagates up through every visible-overflow ancestor, so
 * each finding names the box that is too narrow. Ellipsis truncation is reported too (the text is
 * cut off) unless the full text is available as a tooltip (title on the element or an ancestor).
 * Screen-reader-only and invisible elements are skipped.
 */
export function findOverflows(page: Page): Promise<Overflow[]> {
  return page.evaluate(() => {
    const SLACK = 1;
    const describe = (el: Element): string => {
      const parts: string[] = [];
      for (let node: Element | null = el; node && node !== document.body && parts.length < 4; node = node.parentElement) {
        const classes = [...node.classList].filter((c) => !c.includes(":") && !c.includes("[")).slice(0, 3);
        parts.unshift(node.tagName.toLowerCase() + (node.id ? `#${node.id}` : "") + classes.map((c) => `.${c}`).join(""));
      }
      return parts.join(" > ");
    };
    const hiddenFromEveryone = (el: HTMLElement, style: CSSStyleDeclaration) =>
      style.visibility === "hidden" || style.display === "contents" || (el.clientWidth <= 1 && el.clientHeight <= 1) || el.closest("[hidden]") !== null;
    /** The horizontal extent of a child: its border box, or for text, the union of its line boxes. */
    const extent = (child: ChildNode): { left: number; right: number } | null => {
      if (child.nodeType === Node.TEXT_NODE) {
        if (!child.textContent?.trim()) return null;
        const range = document.createRange();
        range.selectNodeContents(child);
        const rects = [...range.getClientRects()].filter((r) => r.width > 0);
        if (!rects.length) return null;
        return { left: Math.min(...rects.map((r) => r.left)), right: Math.max(...rects.map((r) => r.right)) };
      }
      if (!(child instanceof Element)) return null;
      const style = getComputedStyle(child);
      if (style.display === "none" || style.visibility === "hidden" || style.position === "fixed") return null;
      const rect = child.getBoundingClientRect();
      if (rect.width === 0 && rect.height === 0) return null;
      // Screen-reader-only text: a 1px box clipped to nothing is meant to be invisible.
      if (rect.width <= 1 && rect.height <= 1) return null;
      return { left: rect.left, right: rect.right };
    };

    const found: Array<{ selector: string; by: number; text: string; kind: "clipped" | "spills" }> = [];
    for (const el of document.body.querySelectorAll<HTMLElement>("*")) {
      if (!(el instanceof HTMLElement)) continue;
      if (el.scrollWidth <= el.clientWidth + SLACK) continue;
      const style = getComputedStyle(el);
      const overflowX = style.overflowX;
      if (overflowX === "auto" || overflowX === "scroll") continue;
      if (style.display === "inline" || hiddenFromEveryone(el, style)) continue;
      const box = el.getBoundingClientRect();
      // The padding box: where children may go without overflowing.
      const inner = { left: box.left + el.clientLeft, right: box.left + el.clientLeft + el.clientWidth };
      let by = 0;
      for (const child of el.childNodes) {
        const e = extent(child);
        if (e) by = Math.max(by, e.right - inner.right, inner.left - e.left);
      }
      if (by <= SLACK) continue;
      const clipped = overflowX === "hidden" || overflowX === "clip";
      if (clipped && style.textOverflow === "ellipsis") {
        const full = (el.textContent ?? "").trim();
        const tooltip = el.closest("[title]")?.getAttribute("title") ?? "";
        if (full && tooltip.includes(full)) continue;
      }
      found.push({
        selector: describe(el),
        by: Math.round(by),
        text: (el.textContent ?? "").replace(/\s+/g, " ").trim().slice(0, 60),
        kind: clipped ? "clipped" : "spills",
      });
    }
    return found;
  });
}
