//! The accessibility crawl of a running pcplan demo (issue 7, "Accessibility, proven").
//!
//! Starts the real binary (`pcplan demo`) on a free local port with its own data
//! directory, drives Debian's Chromium headless through puppeteer-core, and crawls every
//! same-origin page reachable by GET links from `/` and `/staff`, first as the public and
//! then signed in as the demo administrator. On each page it runs axe-core with the
//! WCAG 2.0/2.1/2.2 A and AA rules, and on each page with a form it walks the page with
//! the Tab key, checking that every focused element shows a visible focus indicator and
//! that the keyboard reaches each form's submit button. A few representative forms are
//! also submitted empty, and their error pages checked the same way. The first public
//! page of each route shape is also looked at as printed (print.css).
//!
//! It deliberately does not: follow sign-out or anything else that changes state (it
//! only follows links, and only submits the forms listed in `ERROR_FORMS`, which are
//! refused when empty), open downloads (PDF, calendar and Atom feeds, CSV and a table's
//! `?csv=` link, XLSX, ZIP, JSON, meeting papers), visit the JSON API, or download a
//! browser (puppeteer-core never does). Pages of one route shape (ids normalised) are
//! capped, so a thousand near-identical pages cost a few visits, but every distinct
//! shape is checked at least once. Exits 1 on any violation or failure, 2 when
//! the crawl itself could not run.
//!
//! Usage: node crawl.mjs --bin <path to pcplan> [--chromium /usr/bin/chromium]
//!        [--per-shape 3] [--report report.json]

import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import puppeteer from "puppeteer-core";
import { AXE_TAGS, AXE_VERSION, axeViolations, keyboardFailures, printFailures, shapeOf } from "./checks.mjs";

/** Links whose targets are files, not pages. */
const DOWNLOAD = /\.(pdf|ics|atom|csv|xlsx|zip|json|docx|xml|md|txt)$/i;

/** Paths never followed: the JSON API, files, and anything that signs out. */
const NEVER = [/^\/api(\/|$)/, /^\/assets\//, /^\/sign-out/, /^\/papers\//, /^\/staff\/papers\//, /^\/feeds\//];

/**
 * Forms submitted empty to check their error state: each is refused when empty, so
 * submitting it stores nothing. Matched against the route shape of a crawled page's
 * path (its query left out); the first page of each shape is used.
 */
const ERROR_FORMS = [
  "/sign-in",
  "/account/password",
  "/staff/decisions/new",
  "/staff/reports/new",
  "/staff/plans/{id}/items/new",
  "/staff/consultations/{id}/questions/new",
  "/staff/consultations/{id}/events/new",
];

function parseArgs(argv) {
  const args = { bin: null, chromium: "/usr/bin/chromium", perShape: 3, report: null };
  for (let i = 2; i < argv.length; i++) {
    const next = () => {
      if (i + 1 >= argv.length) fail(`${argv[i]} needs a value`);
      return argv[++i];
    };
    switch (argv[i]) {
      case "--bin": args.bin = next(); break;
      case "--chromium": args.chromium = next(); break;
      case "--per-shape": args.perShape = Number.parseInt(next(), 10); break;
      case "--report": args.report = next(); break;
      default: fail(`unknown argument ${argv[i]}; see the usage at the top of crawl.mjs`);
    }
  }
  if (!args.bin) fail("--bin <path to the pcplan binary> is required; tests/a11y/run.sh builds it and passes it");
  if (!Number.isInteger(args.perShape) || args.perShape < 1) fail("--per-shape must be a whole number of 1 or more");
  return args;
}

function fail(message) {
  console.error(`a11y: ${message}`);
  process.exit(2);
}

/** A port nobody listens on now. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Starts `pcplan demo` and waits for the line with the administrator's one-time password. */
function startDemo(bin, dataDir, port) {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, ["demo", "--data-dir", dataDir, "--listen", `127.0.0.1:${port}`], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, RUST_LOG: "warn" },
    });
    let output = "";
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`pcplan demo printed no sign-in line within 120 s; its output:\n${output}`));
    }, 120_000);
    const read = (chunk) => {
      // Only the tail is kept: it is shown if the demo fails to start.
      output = (output + chunk.toString()).slice(-20_000);
      const match = output.match(/Demo sign-in: username `([^`]+)`, one-time password `([^`]+)`/);
      if (match) {
        clearTimeout(timer);
        resolve({ child, username: match[1], password: match[2] });
      }
    };
    child.stdout.on("data", read);
    child.stderr.on("data", read);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`pcplan demo exited with ${code} before it was ready; its output:\n${output}`));
    });
  });
}

/** The URL to visit for a link on `base`, or null when it is not a page to crawl. */
function crawlable(href, base, origin) {
  let url;
  try {
    url = new URL(href, base);
  } catch {
    return null;
  }
  if (url.origin !== origin) return null;
  url.hash = "";
  if (DOWNLOAD.test(url.pathname)) return null;
  // A table's CSV download is the page's own URL with `csv=<table id>`.
  if (url.searchParams.has("csv")) return null;
  if (NEVER.some((re) => re.test(url.pathname))) return null;
  return url;
}

/** One crawl in one browser context: breadth first from the start paths. */
async function crawl(context, origin, starts, label, perShape, results) {
  const page = await context.newPage();
  page.setDefaultNavigationTimeout(60_000);
  const queue = starts.map((path) => new URL(path, origin));
  const queued = new Set(queue.map((u) => u.href));
  const perShapeCount = new Map();
  while (queue.length) {
    const url = queue.shift();
    const shape = shapeOf(url);
    const count = perShapeCount.get(shape) ?? 0;
    if (count >= perShape) {
      results.capped++;
      continue;
    }
    perShapeCount.set(shape, count + 1);
    let response;
    try {
      response = await page.goto(url.href, { waitUntil: "load" });
    } catch (error) {
      if (String(error).includes("ERR_ABORTED")) {
        results.skipped.push(`${url.pathname}${url.search} (a download)`);
        continue;
      }
      throw new Error(`${label}: could not open ${url.href}: ${error}`);
    }
    const type = response?.headers()["content-type"] ?? "";
    if (!type.startsWith("text/html")) {
      results.skipped.push(`${url.pathname}${url.search} (${type || "no content type"})`);
      continue;
    }
    const landed = new URL(page.url());
    // The print style sheet is checked on the first public page of each shape.
    const print = label === "public" && count === 0;
    await checkPage(page, `${label} ${landed.pathname}${landed.search}`, shapeOf(landed), response.status(), results, print);
    const links = await page.$$eval("a[href]", (as) => as.map((a) => a.getAttribute("href")));
    for (const href of links) {
      const next = crawlable(href, landed.href, origin);
      if (next && !queued.has(next.href)) {
        queued.add(next.href);
        queue.push(next);
      }
    }
    const formShape = shapeOf(new URL(landed.pathname, origin));
    if (ERROR_FORMS.includes(formShape) && !results.errorForms.has(formShape)) {
      results.errorForms.add(formShape);
      await checkErrorState(page, label, landed, results);
      await page.goto(landed.href, { waitUntil: "load" });
    }
  }
  await page.close();
}

/** Runs the checks on the page now open (print too when asked) and records what they found. */
async function checkPage(page, where, shape, status, results, print = false) {
  const violations = await axeViolations(page);
  const printed = print ? await printFailures(page) : [];
  if (print) results.printed++;
  const keyboard = await keyboardFailures(page);
  const failures = [...keyboard.failures, ...printed];
  const forms = keyboard.forms;
  results.pages.push({ where, shape, status, violations: violations.length, failures: failures.length, forms });
  results.shapes.add(shape);
  for (const v of violations) results.violations.push({ where, ...v });
  for (const f of failures) results.failures.push({ where, ...f });
  const mark = violations.length || failures.length ? "FAIL" : "ok  ";
  console.log(`${mark} ${status} ${where}${violations.length ? ` axe:${violations.length}` : ""}${failures.length ? ` keyboard/print:${failures.length}` : ""}`);
}

/** Submits the page's main form empty and checks the error page it gets back. */
async function checkErrorState(page, label, url, results) {
  const submitted = await page.evaluate(() => {
    const form = [...document.querySelectorAll("main form")].find(
      (f) => (f.getAttribute("method") ?? "get").toLowerCase() === "post" && f.querySelector('button:not([type]), button[type="submit"], input[type="submit"]'),
    );
    if (!form) return false;
    for (const field of form.querySelectorAll("input, textarea, select")) {
      if (["hidden", "submit", "button"].includes(field.type)) continue;
      if (field.type === "checkbox" || field.type === "radio") field.checked = false;
      else if (field.tagName === "SELECT") field.selectedIndex = -1;
      else field.value = "";
    }
    form.setAttribute("data-a11y-submit", "");
    return true;
  });
  const where = `${label} ${url.pathname} (submitted empty)`;
  if (!submitted) {
    results.failures.push({ where, rule: "error-state", impact: "n/a", target: "main form", help: "no form with a submit button to submit", helpUrl: "", summary: "" });
    return;
  }
  const [response] = await Promise.all([
    page.waitForNavigation({ waitUntil: "load" }),
    page.$eval("form[data-a11y-submit]", (form) => form.requestSubmit()),
  ]);
  const hasSummary = await page.$(".govuk-error-summary");
  if (!hasSummary) {
    results.failures.push({ where, rule: "error-state", impact: "n/a", target: "body", help: `expected an error summary after an empty submission; got ${response?.status()} at ${page.url()}`, helpUrl: "", summary: "" });
  }
  await checkPage(page, where, `${shapeOf(url)} (error)`, response?.status() ?? 0, results);
}

/** Signs in with the one-time password; the server then asks for a new password. */
async function signIn(context, origin, username, password) {
  const page = await context.newPage();
  await page.goto(`${origin}/sign-in`, { waitUntil: "load" });
  await page.type("#username", username);
  await page.type("#password", password);
  await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.click("main button[type=submit]")]);
  if (!new URL(page.url()).pathname.startsWith("/account/password")) {
    throw new Error(`signing in as ${username} led to ${page.url()}, not /account/password`);
  }
  return page;
}

/** Chooses a new password on the page the one-time sign-in led to. */
async function choosePassword(page, oneTime) {
  const chosen = "an accessible crawl of every page";
  await page.type("#current_password", oneTime);
  await page.type("#new_password", chosen);
  await page.type("#confirm_password", chosen);
  await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.click("main button[type=submit]")]);
  if (new URL(page.url()).pathname.startsWith("/account/password")) {
    throw new Error("the new password was refused; see the page at /account/password");
  }
}

function summarise(results, started, perShape) {
  const byRule = new Map();
  for (const v of [...results.violations, ...results.failures]) byRule.set(v.rule, (byRule.get(v.rule) ?? 0) + 1);
  console.log("");
  for (const v of results.violations) {
    console.log(`VIOLATION ${v.where}\n  rule ${v.rule} (${v.impact}): ${v.help}\n  target ${v.target}\n  ${v.helpUrl}\n  ${v.summary}`);
  }
  for (const f of results.failures) {
    const kind = { "print-style": "PRINT", "error-state": "ERROR STATE" }[f.rule] ?? "KEYBOARD";
    console.log(`${kind} ${f.where}\n  rule ${f.rule} (${f.impact}): ${f.help}\n  target ${f.target}\n  ${f.helpUrl}\n  ${f.summary}`);
  }
  const seconds = Math.round((Date.now() - started) / 1000);
  console.log("");
  console.log(`axe-core ${AXE_VERSION}, tags ${AXE_TAGS.join(", ")}; at most ${perShape} pages per route shape`);
  console.log(`pages checked: ${results.pages.length}; route shapes: ${results.shapes.size}; pages left out by the cap: ${results.capped}; downloads skipped: ${results.skipped.length}; empty forms submitted: ${results.errorForms.size}; public pages checked as printed: ${results.printed}`);
  console.log(`axe violations: ${results.violations.length}; keyboard, focus, error-state and print failures: ${results.failures.length}; ${seconds} s`);
  for (const [rule, n] of [...byRule].sort()) console.log(`  ${rule}: ${n}`);
}

async function main() {
  const args = parseArgs(process.argv);
  const started = Date.now();
  const dataDir = mkdtempSync(join(tmpdir(), "pcplan-a11y-"));
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  let demo;
  let browser;
  const results = { pages: [], shapes: new Set(), violations: [], failures: [], skipped: [], capped: 0, printed: 0, errorForms: new Set() };
  try {
    demo = await startDemo(args.bin, dataDir, port);
    browser = await puppeteer.launch({
      executablePath: args.chromium,
      headless: true,
      args: ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--no-first-run", "--window-size=1280,1024"],
      defaultViewport: { width: 1280, height: 1024 },
    });
    console.log(`pcplan demo on ${origin}; ${await browser.version()}; axe-core ${AXE_VERSION}`);

    const publicContext = await browser.createBrowserContext();
    await crawl(publicContext, origin, ["/", "/staff", "/accessibility"], "public", args.perShape, results);
    await publicContext.close();

    const staffContext = await browser.createBrowserContext();
    const page = await signIn(staffContext, origin, demo.username, demo.password);
    const landed = new URL(page.url());
    await checkPage(page, `admin ${landed.pathname} (one-time password)`, shapeOf(landed), 200, results);
    await checkErrorState(page, "admin", landed, results);
    results.errorForms.add(landed.pathname);
    await page.goto(landed.href, { waitUntil: "load" });
    await choosePassword(page, demo.password);
    await page.close();
    await crawl(staffContext, origin, ["/staff", "/"], "admin", args.perShape, results);
    await staffContext.close();
  } finally {
    if (browser) await browser.close();
    if (demo) demo.child.kill("SIGINT");
    rmSync(dataDir, { recursive: true, force: true });
  }
  // A listed form that was never reached means its error page went unchecked.
  for (const shape of ERROR_FORMS.filter((shape) => !results.errorForms.has(shape))) {
    results.failures.push({ where: shape, rule: "error-state", impact: "n/a", target: "main form", help: "no page of this shape was reached, so its empty submission was not checked; update ERROR_FORMS", helpUrl: "", summary: "" });
  }
  summarise(results, started, args.perShape);
  if (args.report) {
    const report = {
      axeCore: AXE_VERSION,
      tags: AXE_TAGS,
      perShape: args.perShape,
      pages: results.pages,
      shapes: [...results.shapes].sort(),
      skipped: results.skipped,
      violations: results.violations,
      failures: results.failures,
    };
    writeFileSync(args.report, JSON.stringify(report, null, 2));
  }
  process.exit(results.violations.length || results.failures.length ? 1 : 0);
}

main().catch((error) => fail(error.stack ?? String(error)));
