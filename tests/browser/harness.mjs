// What the browser tests share: a vigie-server on a free port of
// 127.0.0.1, and Debian's Chromium with a fresh profile.
import { spawn } from 'node:child_process';
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
