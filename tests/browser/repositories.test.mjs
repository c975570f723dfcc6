// Several repositories in the browser: an anonymous reader sees the shared
// one and is offered to log in; once logged in, a Lille accountant also
// reads the Lille repository, filters by repository, and opens a Lille
// note whose links name their repository. In Debian's Chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser, startServer } from './harness.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.resolve(root, process.env.VIGIE_BIN || 'build');
const work = mkdtempSync(path.join(tmpdir(), 'vigie-browser-repos-'));
let server;
let base;
const contexts = [];

function run(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

before(async () => {
  const conf = path.join(work, 'vigie.conf');
  writeFileSync(conf, '');
  for (const [name, academie, read, title] of [['commun', '', 'anonymous', 'Documentation commune'],
    ['lille', 'lille', 'lille', 'Académie de Lille']]) {
    const dir = path.join(work, name);
    run(path.join(root, 'repo-template', 'demo.sh'), academie ? [dir, academie] : [dir]);
    run(path.join(bin, 'vigie-index'), ['update', '--repo', dir, '--db', path.join(work, `index-${name}`), '--quiet']);
    appendFileSync(conf, `[repository ${name}]\ntitle = ${title}\npath = ${dir}\nindex = ${path.join(work, `index-${name}`)}\nread = ${read}\n\n`);
  }
  run('htpasswd', ['-bcB', path.join(work, 'users'), 'comptable-lille', 'mdp-lille']);
  writeFileSync(path.join(work, 'groups'), 'lille: comptable-lille\n');
  ({ server, base } = await startServer(path.join(bin, 'vigie-server'), ['--config', conf, '--users', path.join(work, 'users'), '--groups', path.join(work, 'groups'),
      '--web', path.join(root, 'web')]));
});

after(async () => {
  for (const c of contexts) await c.close();
  if (server) server.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
});

async function browser(name, credentials) {
  const context = await launchBrowser(path.join(work, `profile-${name}`), { httpCredentials: credentials });
  contexts.push(context);
  return context.newPage();
}

test('anonymous readers see the shared repository and may log in', async () => {
  const page = await browser('anonyme');
  await page.goto(`${base}/#/recherche?q=r%C3%A9gie`);
  await page.waitForSelector('.hit');
  assert.equal(await page.locator('text=Calendrier des contrôles').count(), 0);
  const login = page.getByRole('link', { name: 'Se connecter' });
  assert.equal(await login.getAttribute('href'), '/connexion');
});

test('a Lille accountant logs in, filters by repository and opens a Lille note', async () => {
  const page = await browser('lille', { username: 'comptable-lille', password: 'mdp-lille' });
  await page.goto(`${base}/`);
  await page.getByRole('link', { name: 'Se connecter' }).click();
  await page.waitForSelector('text=Connecté : comptable-lille');
  await page.fill('#q', 'régie');
  await page.press('#q', 'Enter');
  await page.waitForSelector('.hit');
  const facet = page.getByRole('group', { name: 'Dépôt' });
  await facet.getByLabel(/Académie de Lille/).check();
  await page.waitForFunction(() => location.hash.includes('repo=lille'));
  await page.waitForFunction(() => [...document.querySelectorAll('.hit .meta')].every((m) => m.textContent.startsWith('Académie de Lille')));
  const link = page.getByRole('link', { name: /Calendrier des contrôles/ });
  assert.match(await link.getAttribute('href'), /^#\/doc\?repo=lille&path=/);
  await link.click();
  await page.waitForSelector('article h1');
  assert.match(await page.locator('.meta-list').innerText(), /Dépôt\s+Académie de Lille/);
  assert.match(await page.getByRole('link', { name: 'Historique des versions' }).getAttribute('href'), /repo=lille/);
  assert.match(await page.getByRole('link', { name: 'Télécharger l\'original' }).getAttribute('href'), /^\/api\/raw\?repo=lille&/);
});
