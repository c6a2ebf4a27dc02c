//! Proves the crawl's checks find what they are meant to find, on small pages made for
//! the purpose: a page that passes, a link whose focus indicator was taken away, a form
//! whose submit button the Tab key cannot reach, an image with no text alternative, a
//! header left on the printed page; and the route shapes the crawl caps pages by. Run before the crawl (run.sh does), so a
//! check that silently stopped working cannot report a clean site.
//!
//! It does not start pcplan or read its pages; crawl.mjs does that.
//!
//! Usage: node selftest.mjs [--chromium /usr/bin/chromium]

import assert from "node:assert/strict";
import puppeteer from "puppeteer-core";
import { axeViolations, keyboardFailures, printFailures, shapeOf } from "./checks.mjs";

const chromium = process.argv[2] === "--chromium" && process.argv[3] ? process.argv[3] : "/usr/bin/chromium";

/** A whole page around `body`, with a visible focus style on links, fields and buttons. */
function page(body, extraStyle = "") {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Fixture</title>
<style>
a:focus, input:focus, button:focus { outline: 3px solid #fd0; box-shadow: 0 4px #0b0c0c; }
${extraStyle}
</style></head><body><main><h1>Fixture</h1>${body}</main></body></html>`;
}

const FORM = `<p><a href="#here">A link</a></p>
<form method="post" action="/somewhere"><label for="name">Name</label><input id="name" name="name">
<button type="submit">Save</button></form>`;

const cases = [
  {
    name: "a page with visible focus and a reachable submit button passes both checks",
    html: page(FORM),
    expect: { axe: [], keyboard: [] },
  },
  {
    name: "a link whose focus outline is removed fails the focus check",
    html: page(FORM, "a:focus { outline: none; box-shadow: none; }"),
    expect: { axe: [], keyboard: ["focus-visible"] },
  },
  {
    name: "a submit button taken out of the tab order fails the focus order check",
    html: page(FORM.replace('<button type="submit">', '<button type="submit" tabindex="-1">')),
    expect: { axe: [], keyboard: ["focus-order-submit"] },
  },
  {
    name: "an image with no text alternative is an axe violation",
    html: page(`${FORM}<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="10" height="10">`),
    expect: { axe: ["image-alt"], keyboard: [] },
  },
  {
    name: "a form inside a closed details element is still walked",
    html: page(`<details><summary>More</summary>${FORM}</details>`),
    expect: { axe: [], keyboard: [] },
  },
  {
    name: "a header left visible in print fails the print check",
    html: page(`<header class="pcplan-header"><a href="/">Home</a></header>${FORM}`),
    print: true,
    expect: { axe: [], keyboard: ["print-style"] },
  },
  {
    name: "grey text on the printed page fails the print check",
    html: page(FORM, "@media print { main { color: #505a5f; } }"),
    print: true,
    expect: { axe: [], keyboard: ["print-style"] },
  },
  {
    name: "a print style sheet hiding the header and buttons passes the print check",
    html: page(
      `<header class="pcplan-header"><a href="/">Home</a></header>${FORM}`,
      "@media print { .pcplan-header, button { display: none; } }",
    ),
    print: true,
    expect: { axe: [], keyboard: [] },
  },
];

const shapes = [
  ["/staff/plans/5eed0000-0000-4000-8000-000000000002/items/new?kind=priority&parent=5eed0000-0000-4000-8000-000000000701", "/staff/plans/{id}/items/new?kind=priority&parent={id}"],
  ["/decisions/018-2013", "/decisions/{id}"],
  ["/sign-in?next=%2Fstaff%2Faudit", "/sign-in"],
  ["/search?q=knife%20crime", "/search?q={text}"],
  ["/staff/audit?page=2", "/staff/audit?page={id}"],
];

let failed = 0;
function report(name, check) {
  try {
    check();
    console.log(`ok   ${name}`);
  } catch (error) {
    failed++;
    console.log(`FAIL ${name}\n  ${error.message.split("\n").join("\n  ")}`);
  }
}

for (const [path, shape] of shapes) {
  report(`the route shape of ${path} is ${shape}`, () => assert.equal(shapeOf(new URL(path, "http://127.0.0.1")), shape));
}

const browser = await puppeteer.launch({
  executablePath: chromium,
  headless: true,
  args: ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--no-first-run"],
});
try {
  for (const c of cases) {
    const tab = await browser.newPage();
    await tab.setContent(c.html, { waitUntil: "load" });
    const axe = [...new Set((await axeViolations(tab)).map((v) => v.rule))].sort();
    const printed = c.print ? await printFailures(tab) : [];
    const failures = [...(await keyboardFailures(tab)).failures, ...printed];
    const keyboard = [...new Set(failures.map((f) => f.rule))].sort();
    report(c.name, () => assert.deepEqual({ axe, keyboard }, c.expect));
    await tab.close();
  }
} finally {
  await browser.close();
}
if (failed) {
  console.log(`${failed} self-test(s) failed`);
  process.exit(1);
}
console.log("the crawl's checks find what they are meant to find");
