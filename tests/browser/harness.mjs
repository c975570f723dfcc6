// What the browser tests share: a vigie-server on a free port of
// 127.0.0.1, Debian's Chromium with a fresh profile, and axe-core's check.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

// Starts vigie-server with args; resolves to { server, base }.
export function startServer(bin, args) {
  const server = spawn(bin, [...args, '--port', '0'], { stdio: ['ignore', 'pipe', 'ignore'] });
  return new Promise((resolve, reject) => {
    let out = '';
    server.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/écoute sur (http:\/\/[^ ]+?)\/?\n/);
      if (m) resolve({ server, base: m[1] });
    });
    server.on('exit', (code) => reject(new Error(`vigie-server exited (${code})`)));
    // The timer must not outlive the start: it would hold the test process.
    setTimeout(() => reject(new Error('vigie-server did not start')), 60000).unref();
  });
}

// A browser context on a fresh profile folder, in French, 1280×900.
export function launchBrowser(profile, options = {}) {
  return chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--no-first-run'],
    locale: 'fr-FR',
    viewport: { width: 1280, height: 900 },
    ...options,
  });
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

// axe-core's WCAG 2.1 A and AA rules on the view as it is: no violation.
export async function assertAccessible(page, view) {
  // Evaluated by the browser's debugger, under the page's CSP untouched.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] });
    // Visible words in the accessible name: an experimental rule, asked for by name.
    const named = await window.axe.run(document, { runOnly: { type: 'rule', values: ['label-content-name-mismatch'] } });
    return [...r.violations, ...named.violations].map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  });
  assert.deepEqual(violations, [], `accessibility of the ${view}`);
}
