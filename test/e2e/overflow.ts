import assert from "node:assert/strict";
import type { Page } from "playwright-core";

/**
 * What reaches past the right edge of the screen, measured on the elements themselves: on an emulated phone
 * (isMobile) Chromium widens its layout viewport to fit a too-wide page, so `scrollWidth − innerWidth` reads 0
 * while a 740 px table overflows. Elements inside a container that scrolls or clips sideways (overflow-x other
 * than visible, e.g. a table's overflow-x:auto wrapper) are left out: the container's own box is what counts.
 */
export interface SidewaysOverflow {
  /** How far the widest element's right edge is past the viewport's width, in px (≤ 0: nothing overflows). */
  px: number;
  /** The outermost overflowing elements (an overflowing child of an overflowing element is left out), at most 8. */
  offenders: string[];
}

const MEASURE = `((width) => {
  const clipsSideways = (el) => getComputedStyle(el).overflowX !== "visible";
  const offenders = [];
  let max = document.documentElement.scrollWidth;
  const over = new Set();
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0 || getComputedStyle(el).visibility === "hidden") continue;
    let inside = false;
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) if (clipsSideways(p)) { inside = true; break; }
    if (inside) continue;
    const right = box.right + window.scrollX;
    if (right <= width + 1) continue;
    max = Math.max(max, right);
    over.add(el);
    if (el.parentElement && over.has(el.parentElement)) continue;
    if (offenders.length < 8) {
      const cls = typeof el.className === "string" && el.className ? "." + el.className.trim().split(/\\s+/).join(".") : "";
      offenders.push(el.tagName.toLowerCase() + cls + " right=" + Math.round(right) + " “" + (el.textContent || "").trim().slice(0, 40) + "”");
    }
  }
  return { px: Math.round(max - width), offenders };
})`;

/** Measures the page at the viewport's width (the context's, not innerWidth, which a phone widens). */
export async function sidewaysOverflow(page: Page): Promise<SidewaysOverflow> {
  const width = page.viewportSize()!.width;
  return page.evaluate<SidewaysOverflow>(`${MEASURE}(${width})`);
}

/** Fails, naming the overflowing elements, when anything on the page reaches past the screen's right edge. */
export async function assertNoSidewaysScroll(page: Page, label: string): Promise<void> {
  const { px, offenders } = await sidewaysOverflow(page);
  assert.ok(px <= 0, `${label}: reaches ${px} px past the ${page.viewportSize()!.width} px screen: ${offenders.join("; ")}`);
}
