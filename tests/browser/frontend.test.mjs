// The front end as an accountant uses it, in Debian's Chromium driven by
// playwright-core: type a query, pick a facet, open a document, its history
// and a comparison, on a wide and a narrow screen. Screenshots are kept
// under build/browser/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertAccessible, launchBrowser, startServer } from './harness.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.resolve(root, process.env.VIGIE_BIN || 'build');
const shots = path.join(root, 'build', 'browser');
const work = mkdtempSync(path.join(tmpdir(), 'vigie-browser-'));
let server;
let base;
let context;

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

before(async () => {
  mkdirSync(shots, { recursive: true });
  const docs = path.join(work, 'docs');
  run(path.join(root, 'repo-template', 'demo.sh'), [docs]);
  // A note whose title would run if it were not escaped.
  writeFileSync(path.join(docs, 'veille-juridique', '2026', 'piege.md'),
    '---\ntitre: "<img src=x onerror=alert(1)> Note piégée"\ndate: 2026-02-01\ndomaine: veille-juridique\n' +
    'type: note\nacademie: lille\n---\nTexte de la note <script>alert(2)</script> sur la trésorerie.\n');
  run('git', ['-C', docs, 'add', '-A']);
  run('git', ['-C', docs, '-c', 'user.name=Test', '-c', 'user.email=t@ac-lille.fr', 'commit', '-q', '-m', 'Note piégée']);
  run(path.join(bin, 'vigie-index'), ['update', '--repo', docs, '--db', path.join(work, 'index'), '--quiet']);
  ({ server, base } = await startServer(path.join(bin, 'vigie-server'), ['--repo', docs, '--index', path.join(work, 'index'), '--web', path.join(root, 'web')]));
  context = await launchBrowser(path.join(work, 'profile'));
});

after(async () => {
  if (context) await context.close();
  if (server) server.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
});

async function newPage() {
  const page = await context.newPage();
  page.on('dialog', (d) => { throw new Error(`a script ran: ${d.message()}`); });
  // Nothing may be loaded from outside the server.
  page.on('request', (req) => assert.ok(req.url().startsWith(base), `outside request: ${req.url()}`));
  return page;
}

test('search, facet, document, history and comparison', async () => {
  const page = await newPage();
  await page.goto(`${base}/`);
  await page.getByLabel('Rechercher dans la documentation').fill('régie');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: /résultats? pour « régie »/ }).waitFor();
  assert.ok(await page.locator('.snippet mark').count() > 0, 'snippets highlight the words');
  assert.match(await page.title(), /résultats? pour « régie » — Vigie$/, 'the tab is named after the view');
  const icon = await page.evaluate(async () => (await fetch(document.querySelector('link[rel=icon]').href)).status);
  assert.equal(icon, 200, 'the favicon is served');

  await page.getByRole('checkbox', { name: /Comptabilité/ }).check();
  await page.getByRole('heading', { level: 1, name: '1 résultat pour « régie »' }).waitFor();
  // The other domains stay offered with what ticking them would add; two
  // values of one facet are either one (disjunctive facets).
  const domains = page.getByRole('group', { name: 'Domaine' });
  const otherItem = domains.locator('li:has(input[type=checkbox]:not(:checked))').first();
  const otherCount = Number((await otherItem.innerText()).match(/\((\d+)\)/)[1]);
  // Named by its value: the list is drawn again at each change.
  const other = domains.locator(`input[value="${await otherItem.locator('input').getAttribute('value')}"]`);
  assert.ok(otherCount > 0, 'another domain is still offered');
  await page.screenshot({ path: path.join(shots, 'results.png'), fullPage: true });
  await assertAccessible(page, 'result list');
  const exported = page.getByRole('link', { name: 'Exporter la liste (tableur CSV)' });
  assert.equal(await exported.getAttribute('href'), '/export.csv?q=r%C3%A9gie&domaine=comptabilite');
  const csv = await page.evaluate(async (href) => (await fetch(href)).text(), await exported.getAttribute('href'));
  assert.match(csv, /"Régies d'avances dans les EPLE";"comptabilite\/regies\/regie-avances\.md"/);
  await other.check();
  await page.getByRole('heading', { level: 1, name: `${1 + otherCount} résultats pour « régie »` }).waitFor();
  await other.uncheck();
  await page.getByRole('heading', { level: 1, name: '1 résultat pour « régie »' }).waitFor();
  // A period applies at once and stays in the address.
  await page.getByLabel('Du', { exact: true }).fill('2099-01-01');
  await page.getByRole('heading', { level: 1, name: /Aucun résultat|0 résultat/ }).waitFor();
  assert.match(await page.evaluate(() => location.hash), /du=2099-01-01/);
  await page.getByLabel('Du', { exact: true }).fill('');
  await page.getByRole('heading', { level: 1, name: '1 résultat pour « régie »' }).waitFor();

  await page.getByRole('link', { name: 'Régies d\'avances dans les EPLE' }).click();
  await page.getByRole('heading', { level: 1, name: 'Régies d\'avances dans les EPLE' }).waitFor();
  assert.equal(await page.title(), 'Régies d\'avances dans les EPLE — Vigie');
  assert.ok(await page.locator('.document table').count() === 1, 'the note\'s table is rendered');
  const download = page.getByRole('link', { name: 'Télécharger l\'original' });
  assert.match(await download.getAttribute('href'), /^\/api\/raw\?repo=docs&path=comptabilite%2Fregies%2Fregie-avances\.md&rev=/);
  await page.screenshot({ path: path.join(shots, 'document.png'), fullPage: true });
  await assertAccessible(page, 'document page');
  const permanent = page.getByRole('link', { name: 'Lien permanent vers cette version' });
  assert.match(await permanent.getAttribute('href'), /^#\/doc\?repo=docs&path=comptabilite%2Fregies%2Fregie-avances\.md&rev=[0-9a-f]{40}$/);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
  await page.getByRole('button', { name: 'Copier' }).click();
  await page.getByRole('button', { name: 'Copié' }).waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), `${base}/${await permanent.getAttribute('href')}`);
  await page.emulateMedia({ media: 'print' });
  assert.ok(await page.locator('.document table').isVisible(), 'the text is printed');
  assert.ok(!(await page.locator('#q').isVisible()), 'the search form is not printed');
  assert.ok(!(await download.isVisible()), 'the actions are not printed');
  await page.emulateMedia({ media: 'screen' });

  // A folder's page offers the feed of what changes under it.
  await page.goto(`${base}/#/doc?repo=docs&path=modeles%2FREADME.md`);
  const watch = page.getByRole('link', { name: 'Suivre cette section (flux Atom)' });
  assert.equal(await watch.getAttribute('href'), '/feed.atom?repo=docs&dossier=modeles');
  const feed = await page.evaluate(async (href) => (await fetch(href)).text(), await watch.getAttribute('href'));
  assert.match(feed, /<feed xmlns="http:\/\/www.w3.org\/2005\/Atom"/);
  assert.match(feed, /modeles%2F/);
  assert.doesNotMatch(feed, /regie-avances/);

  await page.goto(`${base}/#/historique?path=veille-juridique%2F2026%2Fmutualisation-veille.md`);
  await page.getByRole('table').waitFor();
  assert.equal(await page.locator('tbody tr').count(), 2);
  await assertAccessible(page, 'history');
  // Before its first version: when it came into force, and a link to it.
  await page.goto(`${base}/#/doc?path=veille-juridique%2F2026%2Fmutualisation-veille.md&rev=2025-01-15`);
  await page.getByRole('heading', { level: 1, name: 'Pas encore en vigueur le 15 janvier 2025' }).waitFor();
  assert.match(await page.locator('.alert').innerText(), /en vigueur depuis le 1er septembre 2025/);
  await page.getByRole('link', { name: 'Lire sa première version' }).click();
  await page.getByText(/^Version remplacée le /).waitFor();
  await page.goto(`${base}/#/doc?path=veille-juridique%2F2026%2Fmutualisation-veille.md&rev=2025-10-01`);
  await page.getByText(/^Version remplacée le /).waitFor();
  assert.match(await page.locator('.meta-list').innerText(), /En vigueur du 1er septembre 2025 au/);
  assert.match(await page.locator('.meta-list').innerText(), /Documentation initiale des deux académies/);
  // Its versions beside the text, the one read marked, the other a link.
  const versions = page.locator('.timeline');
  await versions.locator('li').nth(1).waitFor();
  assert.match(await versions.locator('[aria-current]').innerText(), /^du 1er septembre 2025 au .* — Documentation initiale des deux académies$/);
  assert.match(await versions.locator('li a').first().innerText(), /^depuis le .* — Veille : mutualisation/);
  await page.goto(`${base}/#/historique?path=veille-juridique%2F2026%2Fmutualisation-veille.md`);
  await page.getByRole('table').waitFor();
  await page.getByRole('button', { name: 'Comparer les deux versions choisies' }).click();
  await page.getByRole('heading', { level: 1, name: /^Comparaison/ }).waitFor();
  assert.match(await page.locator('main p').first().innerText(),
    /^De la version du 1er septembre 2025 \(Documentation initiale[^)]*\) à celle du .+ \(.+\) : 1 paragraphe modifié\.$/);
  assert.ok(await page.locator('.diff ins').count() > 0, 'added words are marked');
  assert.ok(await page.locator('.diff del').count() > 0, 'removed words are marked');
  await page.screenshot({ path: path.join(shots, 'diff.png'), fullPage: true });
  await assertAccessible(page, 'comparison');
  await page.close();
});

test('as-of date and suggestions', async () => {
  const page = await newPage();
  await page.goto(`${base}/`);
  await page.getByText('Écrire une recherche').click();
  await page.getByText('les documents datés de cette année').waitFor();
  await page.getByLabel('Rechercher dans la documentation').fill('date:2026-01');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: '1 résultat pour « date:2026-01 »' }).waitFor();
  await page.getByLabel('Rechercher dans la documentation').fill('date:hier..demain');
  await page.keyboard.press('Enter');
  await page.locator('.alert', { hasText: 'plage de dates illisible' }).waitFor();
  await page.getByLabel('Rechercher dans la documentation').fill('R. 421-58');
  await page.getByLabel('À la date du').fill('2025-12-31');
  await page.getByRole('button', { name: 'Rechercher' }).click();
  await page.getByRole('heading', { level: 1, name: /pour « R\. 421-58 »/ }).waitFor();
  const asOf = await page.locator('.hit h2').allTextContents();
  assert.ok(!asOf.includes('Mutualisation de la veille juridique entre Lille et Amiens'),
    'the watch note did not cite R. 421-58 yet');
  // While a date is chosen, the links stay at that date.
  await page.getByLabel('Rechercher dans la documentation').fill('régie');
  await page.getByRole('button', { name: 'Rechercher' }).click();
  await page.getByRole('heading', { level: 1, name: /pour « régie »/ }).waitFor();
  const dated = await page.locator('.hit h2 a').first().getAttribute('href');
  assert.match(dated, /rev=2025-12-31/, 'a result opens the version of that date');
  await page.locator('.hit h2 a').first().click();
  await page.locator('.meta-list').waitFor();
  assert.match(await page.locator('.meta-list').innerText(), /En vigueur (du|depuis le)/);
  await page.goBack();
  await page.getByLabel('Rechercher dans la documentation').fill('R. 421-58');
  await page.getByLabel('À la date du').fill('');
  await page.getByRole('button', { name: 'Rechercher' }).click();
  await page.getByRole('link', { name: 'Mutualisation de la veille juridique entre Lille et Amiens' }).waitFor();

  await page.getByLabel('Rechercher dans la documentation').fill('etablisement');
  await page.keyboard.press('Enter');
  // The corrected query is the one searched for, and the heading says so.
  await page.getByRole('heading', { level: 1, name: /^\d+ résultats? pour « établissement »$/ }).waitFor();
  await page.getByText('Résultats pour « établissement ». Rechercher plutôt').waitFor();
  assert.ok(await page.locator('.hit').count() > 0, 'the corrected query has results at once');
  await page.getByRole('link', { name: '« etablisement »' }).click();
  await page.getByText('Vouliez-vous dire').waitFor();
  await page.getByLabel('Rechercher dans la documentation').fill('budget xylophagie');
  await page.keyboard.press('Enter');
  await page.getByText('Aucun document ne contient tous les mots').waitFor();
  // A hit says where it sits: its folder's heading, not the repository's.
  await page.getByLabel('Rechercher dans la documentation').fill('guide voyages scolaires');
  await page.keyboard.press('Enter');
  const guide = page.locator('.hit', { hasText: 'Guide des voyages scolaires' });
  await guide.waitFor();
  assert.equal(await guide.locator('.crumbs').textContent(), 'Modèles');
  await page.getByLabel('Rechercher dans la documentation').fill('régie d\'ava');
  await page.waitForFunction(() => document.querySelectorAll('#suggestions option').length > 0);
  assert.equal(await page.locator('#suggestions option').first().getAttribute('value'), 'régie d\'avances');
  await page.close();
});

test('escaped titles, keyboard only, narrow screen', async () => {
  const page = await newPage();
  await page.setViewportSize({ width: 390, height: 800 });
  await page.goto(`${base}/`);
  // The login link shows once the page knows who reads.
  await page.waitForSelector('#compte:not([hidden])');
  // Keyboard only: the skip link, the login link, then the search box.
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Aller au contenu');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Se connecter');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Veille : notes à revoir');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'q');
  await page.keyboard.type('trésorerie');
  await page.keyboard.press('Enter');
  const title = page.locator('.hit h2 a').first();
  await title.waitFor();
  assert.equal(await title.textContent(), '<img src=x onerror=alert(1)> Note piégée');
  assert.equal(await page.locator('.hit img, .hit script').count(), 0);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no horizontal scrolling on a narrow screen (${overflow}px)`);
  // Results first: the first one starts on the first screen, the filters wait behind a button.
  const first = await page.locator('.hit').first().boundingBox();
  assert.ok(first.y < 800, `the first result starts at ${first.y}px`);
  assert.ok(!(await page.locator('#filtres').isVisible()), 'filters are closed');
  const toggle = page.getByRole('button', { name: 'Filtres' });
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
  await toggle.click();
  assert.ok(await page.locator('#filtres').isVisible(), 'the button opens the filters');
  assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
  await page.screenshot({ path: path.join(shots, 'narrow-filters.png'), fullPage: true });
  await assertAccessible(page, 'narrow result list');
  await page.screenshot({ path: path.join(shots, 'narrow.png'), fullPage: true });
  await page.close();
});

test('instant search, the back button, "/" and sort at once', async () => {
  const page = await newPage();
  await page.goto(`${base}/`);
  await page.locator('.welcome').waitFor();
  await assertAccessible(page, 'home page');
  await page.keyboard.press('/');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'q');
  await page.keyboard.type('régie', { delay: 40 });
  await page.getByRole('heading', { level: 1, name: /pour « régie »$/ }).waitFor();
  await page.keyboard.type(' avances', { delay: 40 });
  await page.getByRole('heading', { level: 1, name: /pour « régie avances »$/ }).waitFor();
  assert.equal(await page.locator('#q').inputValue(), 'régie avances', 'the box keeps what was typed');
  await page.locator('#sort').selectOption('date');
  await page.waitForFunction(() => location.hash.includes('sort=date'));
  await page.getByRole('heading', { level: 1, name: /pour « régie avances »$/ }).waitFor();
  // Back: before the sort, then out of the search (the typing made one entry).
  await page.goBack();
  await page.waitForFunction(() => !location.hash.includes('sort=date'));
  await page.goBack();
  await page.locator('.welcome').waitFor();
  await page.close();
});
