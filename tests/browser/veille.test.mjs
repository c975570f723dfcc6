// The legal watch in the browser: notes of two repositories cite articles
// of a mirrored code that changed after them; the reader narrows the list
// by académie, domaine and period, the feed follows the same choice, and a
// search offers its notes to review as a facet. In Debian's Chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertAccessible, launchBrowser, startServer } from './harness.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.resolve(root, process.env.VIGIE_BIN || 'build');
const work = mkdtempSync(path.join(tmpdir(), 'vigie-browser-veille-'));
let server;
let base;
let context;

function run(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

function commit(dir, day, message) {
  run('git', ['-C', dir, 'add', '-A']);
  spawnSync('git', ['-C', dir, '-c', 'user.name=Test', '-c', 'user.email=t@ac-lille.fr', 'commit', '-q', '-m', message],
    { env: { ...process.env, GIT_AUTHOR_DATE: `${day}T12:00:00Z`, GIT_COMMITTER_DATE: `${day}T12:00:00Z` } });
}

before(async () => {
  // The code: R. 421-58 amended in 2013 (after the Lille note of 2012),
  // L. 421-11 in 2026 (after the shared note's last version).
  const code = path.join(work, 'code');
  run('git', ['init', '-q', '-b', 'main', code]);
  mkdirSync(path.join(code, 'code'));
  const article = (name, text) => writeFileSync(path.join(code, 'code', `article-${name}.md`), `# Article ${name.toUpperCase()}\n\n${text}\n`);
  article('r421-58', 'Le budget est préparé.');
  article('l421-11', 'Le budget est adopté.');
  article('l421-12', 'Le budget est exécutoire.');
  commit(code, '2010-01-01', 'Texte initial');
  article('r421-58', 'Le budget est préparé et voté.');
  commit(code, '2013-01-01', 'Décret n° 2012-1193');
  article('l421-11', 'Le budget est adopté en équilibre.');
  commit(code, '2026-06-01', 'Loi n° 2026-1');
  const conf = path.join(work, 'vigie.conf');
  writeFileSync(conf, '');
  for (const [name, academie] of [['commun', ''], ['lille', 'lille'], ['code', null]]) {
    const dir = name === 'code' ? code : path.join(work, name);
    if (academie !== null) run(path.join(root, 'repo-template', 'demo.sh'), academie ? [dir, academie] : [dir]);
    run(path.join(bin, 'vigie-index'), ['update', '--repo', dir, '--db', path.join(work, `index-${name}`), '--quiet']);
    appendFileSync(conf, `[repository ${name}]\npath = ${dir}\nindex = ${path.join(work, `index-${name}`)}\nread = anonymous\n\n`);
  }
  ({ server, base } = await startServer(path.join(bin, 'vigie-server'), ['--config', conf, '--web', path.join(root, 'web')]));
  context = await launchBrowser(path.join(work, 'profile'));
});

after(async () => {
  if (context) await context.close();
  if (server) server.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
});

test('the notes to review are narrowed by académie, domaine and period', async () => {
  const page = await context.newPage();
  await page.goto(`${base}/#/veille`);
  await page.getByRole('heading', { level: 1, name: 'Veille : 2 notes à revoir' }).waitFor();
  await page.getByLabel('Académie').selectOption('lille');
  await page.getByRole('button', { name: 'Filtrer' }).click();
  await page.getByRole('heading', { level: 1, name: 'Veille : 1 note à revoir' }).waitFor();
  assert.match(await page.evaluate(() => location.hash), /academie=lille/);
  await page.getByRole('link', { name: 'Calendrier des contrôles de régies des lycées de l\'académie de Lille' }).waitFor();
  assert.equal(await page.getByLabel('Académie').inputValue(), 'lille', 'the choice stays shown');
  await assertAccessible(page, 'legal watch');
  const feed = page.getByRole('link', { name: 'Suivre ces notes à revoir (flux Atom)' });
  assert.equal(await feed.getAttribute('href'), '/veille.atom?academie=lille');
  const atom = await page.evaluate(async (href) => (await fetch(href)).text(), await feed.getAttribute('href'));
  assert.match(atom, /controle-regies-lille/);
  assert.doesNotMatch(atom, /mutualisation-veille/);
  // The Lille note's article changed in 2013: nothing from 2014 on.
  await page.getByLabel('Changements du').fill('2014-01-01');
  await page.getByRole('button', { name: 'Filtrer' }).click();
  await page.getByRole('heading', { level: 1, name: 'Veille : aucune note à revoir' }).waitFor();
  await page.goto(`${base}/#/veille?domaine=veille-juridique`);
  await page.getByRole('heading', { level: 1, name: 'Veille : 1 note à revoir' }).waitFor();
  await page.getByRole('link', { name: 'Mutualisation de la veille juridique entre Lille et Amiens' }).waitFor();
  await page.close();
});

test('a search offers the notes to review among its results', async () => {
  const page = await context.newPage();
  await page.goto(`${base}/#/recherche?q=contr%C3%B4les`);
  const facet = page.getByRole('group', { name: 'Veille' });
  await facet.getByLabel('Notes à revoir (1)').check();
  await page.getByRole('heading', { level: 1, name: '1 résultat pour « contrôles »' }).waitFor();
  assert.match(await page.evaluate(() => location.hash), /a_revoir=oui/);
  await page.getByRole('link', { name: 'Calendrier des contrôles de régies des lycées de l\'académie de Lille' }).waitFor();
  await assertAccessible(page, 'results of the notes to review');
  await page.close();
});
