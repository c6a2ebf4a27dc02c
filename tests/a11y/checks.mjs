//! The checks the accessibility crawl runs on a page, and the route shape it caps pages
//! by; shared by crawl.mjs and selftest.mjs.
//!
//! `axeViolations` runs axe-core's WCAG 2.0, 2.1 and 2.2 A and AA rules; `keyboardFailures`
//! walks the page with the Tab key; `printFailures` looks at the page as printed. None
//! navigates or changes anything a server stores: the keyboard walk only opens closed
//! <details> and marks elements with data attributes in the page it was given.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
export const AXE_VERSION = JSON.parse(readFileSync(require.resolve("axe-core/package.json"), "utf8")).version;

/** The axe-core rule tags the issue asks for: WCAG 2.0, 2.1 and 2.2 at levels A and AA. */
export const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

/**
 * The route shape of a URL: path segments and query values with a digit (ids, numbers,
 * years, area codes) become `{id}`; other query values (`kind=priority`) are kept,
 * because they choose a different form or view, not a different record; free text
 * (a search) becomes `{text}`, and the sign-in page's `next` is left out.
 */
export function shapeOf(url) {
  const id = (part) => (/\d/.test(part) ? "{id}" : part);
  const word = (value) => (/\d/.test(value) ? "{id}" : /^[a-z_-]{1,24}$/i.test(value) ? value : "{text}");
  const path = url.pathname.split("/").map(id).join("/");
  const query = [...url.searchParams.entries()]
    .filter(([key]) => key !== "next")
    .map(([key, value]) => `${key}=${word(value)}`)
    .sort();
  return query.length ? `${path}?${query.join("&")}` : path;
}

/** Runs axe-core on the page and returns its violations, one entry per element. */
export async function axeViolations(page) {
  const hasAxe = await page.evaluate(() => typeof window.axe !== "undefined");
  if (!hasAxe) await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] }),
    AXE_TAGS,
  );
  const found = [];
  for (const violation of result.violations) {
    for (const node of violation.nodes) {
      found.push({
        rule: violation.id,
        impact: node.impact ?? violation.impact ?? "unknown",
        target: node.target.join(" "),
        help: violation.help,
        helpUrl: violation.helpUrl,
        summary: node.failureSummary?.split("\n").slice(0, 3).join(" ") ?? "",
      });
    }
  }
  return found;
}

/**
 * Walks the page with the Tab key from the top. Returns failures: focused elements with
 * no visible focus indicator, and forms in the main content whose submit button the
 * keyboard never reached. Closed <details> are opened first, as a keyboard user would
 * open them with Enter, so the forms inside them are walked too.
 */
export async function keyboardFailures(page) {
  const formCount = await page.evaluate(() => {
    for (const details of document.querySelectorAll("details")) details.open = true;
    const forms = [...document.querySelectorAll("main form")].filter((form) => form.getClientRects().length > 0);
    forms.forEach((form, i) => form.setAttribute("data-a11y-form", String(i)));
    // The look of every focusable element before anything has focus.
    const look = (el) => {
      const s = getComputedStyle(el);
      return { outline: `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`, shadow: s.boxShadow };
    };
    window.__a11yBase = new Map();
    const focusable = "a[href], button, input, select, textarea, summary, [tabindex], iframe, [contenteditable]";
    for (const el of document.querySelectorAll(focusable)) window.__a11yBase.set(el, look(el));
    window.__a11yLook = look;
    if (document.activeElement && document.activeElement !== document.body) document.activeElement.blur();
    return forms.length;
  });
  const total = await page.evaluate(() => window.__a11yBase.size);
  const failures = [];
  const reachedForms = new Set();
  let first = null;
  for (let step = 0; step < total + 5 && step < 800; step++) {
    await page.keyboard.press("Tab");
    const seen = await page.evaluate((step) => {
      const el = document.activeElement;
      if (!el || el === document.body || el === document.documentElement) return { end: true };
      if (!el.hasAttribute("data-a11y-step")) el.setAttribute("data-a11y-step", String(step));
      const now = window.__a11yLook(el);
      const base = window.__a11yBase.get(el) ?? { outline: "none 0px rgba(0, 0, 0, 0)", shadow: "none" };
      const [style, width] = now.outline.split(" ");
      const colour = now.outline.slice(style.length + width.length + 2);
      const outlineVisible =
        style !== "none" && Number.parseFloat(width) > 0 && !/rgba\(.*,\s*0\)$/.test(colour) && colour !== "transparent";
      const outlineChanged = outlineVisible && now.outline !== base.outline;
      const shadowChanged = now.shadow !== "none" && now.shadow !== base.shadow;
      const isSubmit =
        (el.tagName === "BUTTON" && (el.getAttribute("type") ?? "submit").toLowerCase() === "submit") ||
        (el.tagName === "INPUT" && ["submit", "image"].includes(el.type));
      const form = isSubmit && el.form ? el.form.getAttribute("data-a11y-form") : null;
      const describe = () => {
        const text = (el.innerText || el.value || el.getAttribute("aria-label") || "").trim().slice(0, 40);
        const id = el.id ? `#${el.id}` : "";
        const cls = el.classList.length ? `.${[...el.classList].join(".")}` : "";
        return `${el.tagName.toLowerCase()}${id}${cls}${text ? ` "${text}"` : ""}`;
      };
      return {
        end: false,
        key: el.getAttribute("data-a11y-step"),
        visible: outlineChanged || shadowChanged,
        form,
        target: describe(),
        detail: `focused outline ${now.outline}, box-shadow ${now.shadow}; unfocused outline ${base.outline}, box-shadow ${base.shadow}`,
      };
    }, step);
    if (seen.end) break;
    if (first === null) first = seen.key;
    else if (seen.key === first) break; // wrapped round to the first element
    if (seen.form !== null) reachedForms.add(seen.form);
    if (!seen.visible) {
      failures.push({ rule: "focus-visible", impact: "serious", target: seen.target, help: "no visible focus indicator", helpUrl: "https://www.w3.org/WAI/WCAG22/Understanding/focus-visible.html", summary: seen.detail });
    }
  }
  const unreached = await page.evaluate((reached) => {
    const out = [];
    for (const form of document.querySelectorAll("main form[data-a11y-form]")) {
      if (reached.includes(form.getAttribute("data-a11y-form"))) continue;
      const hasSubmit = form.querySelector('button:not([type]), button[type="submit"], input[type="submit"], input[type="image"]');
      out.push(`form[action="${form.getAttribute("action") ?? ""}"]${hasSubmit ? "" : " (no submit button)"}`);
    }
    return out;
  }, [...reachedForms]);
  for (const target of unreached) {
    failures.push({ rule: "focus-order-submit", impact: "serious", target, help: "the Tab key never reached this form's submit button", helpUrl: "https://www.w3.org/WAI/WCAG22/Understanding/keyboard.html", summary: "" });
  }
  return { failures, forms: formCount };
}

/** What print.css must hide on paper, by the selectors the layout's parts carry. */
const HIDDEN_IN_PRINT = [
  ".govuk-skip-link",
  ".pcplan-header",
  ".govuk-service-navigation",
  ".govuk-phase-banner",
  ".govuk-cookie-banner",
  ".govuk-footer",
  "main .govuk-button",
  "[role=search]",
];

/**
 * Emulates print media and checks the page as it would print: the header, navigation,
 * banners, footer, buttons and search hidden, black text on a white page. Switches
 * back to screen media before it returns.
 */
export async function printFailures(page) {
  await page.emulateMediaType("print");
  try {
    const problems = await page.evaluate((selectors) => {
      const out = [];
      for (const selector of selectors) {
        for (const el of document.querySelectorAll(selector)) {
          if (getComputedStyle(el).display !== "none") out.push({ target: selector, summary: "shown in print" });
        }
      }
      const body = getComputedStyle(document.body);
      if (!["rgb(255, 255, 255)", "rgba(0, 0, 0, 0)"].includes(body.backgroundColor)) {
        out.push({ target: "body", summary: `background ${body.backgroundColor} in print, not white` });
      }
      // Black, or the GOV.UK near-black #0b0c0c a standalone document may keep: every
      // channel at most 0x20.
      const main = document.querySelector("main");
      const colour = main ? getComputedStyle(main).color : "rgb(0, 0, 0)";
      const channels = (colour.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map(Number);
      if (channels.length < 3 || channels.some((c) => c > 0x20)) {
        out.push({ target: "main", summary: `text colour ${colour} in print, not black` });
      }
      return out;
    }, HIDDEN_IN_PRINT);
    return problems.map((p) => ({
      rule: "print-style",
      impact: "minor",
      target: p.target,
      help: "the print style sheet should leave only the content, black on white",
      helpUrl: "",
      summary: p.summary,
    }));
  } finally {
    await page.emulateMediaType(null);
  }
}
