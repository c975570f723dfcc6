// Vigie front end: search, document, history and comparison views over the
// JSON API. Text goes into the page as text nodes; only HTML the server has
// escaped and marked up itself (snippets, rendered notes, diffs) goes in as
// HTML.

const main = document.getElementById('contenu');
const filters = document.getElementById('filtres');
const announcer = document.getElementById('annonce');
const form = document.getElementById('recherche');
const qInput = document.getElementById('q');
const asOfInput = document.getElementById('as_of');
const sortInput = document.getElementById('sort');
const datalist = document.getElementById('suggestions');

// The facets, [name, label], as the server's table of fields says
// (GET /api/fields), loaded before the first view.
const FACETS = [];
// The repositories the reader may read: name → title (GET /api/fields).
const REPOS = new Map();
// What readers see of facet values: {field: {value: label}} (GET /api/fields).
let LABELS = {};
const PAGE = 10;

// Builds an element: h('a', {href: '#'}, 'texte', child...).
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

// HTML produced by the server (escaped text, <mark>, rendered Markdown).
function trusted(tag, attrs, html) {
  const el = h(tag, attrs);
  el.innerHTML = html || '';
  return el;
}

function hashFor(view, params) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (Array.isArray(v)) v.forEach((x) => p.append(k, x));
    else if (v !== '' && v !== null && v !== undefined) p.set(k, v);
  }
  const s = p.toString();
  return `#/${view}${s ? '?' + s : ''}`;
}

function currentRoute() {
  const raw = location.hash.replace(/^#\/?/, '');
  const [view, query] = raw.split('?');
  return { view: view || '', params: new URLSearchParams(query || '') };
}

function announce(text) {
  announcer.textContent = '';
  setTimeout(() => { announcer.textContent = text; }, 50);
}

function show(...nodes) {
  main.replaceChildren(...nodes);
  const heading = main.querySelector('h1');
  if (heading) {
    heading.setAttribute('tabindex', '-1');
    // Results that follow the typing leave the cursor in the search box.
    if (!routeFromTyping) heading.focus();
  }
  // Each view names the tab after its heading.
  document.title = heading ? `${heading.textContent} — Vigie` : 'Vigie';
}

function alertBox(message) {
  return h('div', { class: 'alert', role: 'alert' }, message);
}

async function api(path, params) {
  const url = `${path}?${params.toString()}`;
  const resp = await fetch(url, { headers: { Accept: 'application/json' } });
  let body = null;
  try { body = await resp.json(); } catch (e) { body = null; }
  if (!resp.ok) {
    const msg = body && body.error ? body.error.message : `erreur ${resp.status}`;
    throw new Error(msg);
  }
  return body;
}

function frenchDate(iso) {
  if (!iso) return '';
  const [y, m, d] = iso.split('-').map(Number);
  const text = new Date(Date.UTC(y, m - 1, d)).toLocaleDateString('fr-FR', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' });
  // French writes the first day of a month as an ordinal: « 1er janvier ».
  return d === 1 ? text.replace(/^1 /, '1er ') : text;
}

// A document is named by its repository and its path.
function docLink(path, rev, text, repo) {
  return h('a', { href: hashFor('doc', { repo, path, rev }) }, text || path);
}

function repoTitle(name) {
  return REPOS.get(name) || name;
}

function labelOf(field, value) {
  return (LABELS[field] && LABELS[field][value]) || value;
}

function withRepo(repo, params) {
  return new URLSearchParams(repo ? { repo, ...params } : params);
}

function plural(n, one, many) {
  return `${n.toLocaleString('fr-FR')} ${n > 1 ? many : one}`;
}

// ---- search -----------------------------------------------------------------

function searchParamsFromRoute(params) {
  const out = new URLSearchParams();
  for (const key of ['q', 'as_of', 'sort', 'offset', 'verbatim', 'du', 'au']) {
    if (params.get(key)) out.set(key, params.get(key));
  }
  for (const [key] of FACETS) params.getAll(key).forEach((v) => out.append(key, v));
  out.set('limit', String(PAGE));
  return out;
}

function routeParams(params, changes) {
  const o = {};
  for (const key of ['q', 'as_of', 'sort', 'offset', 'verbatim', 'du', 'au']) o[key] = params.get(key) || '';
  for (const [key] of FACETS) o[key] = params.getAll(key);
  return Object.assign(o, changes);
}

function renderFacets(result, params) {
  const groups = [];
  for (const [key, label] of FACETS) {
    const counts = (result.facets && result.facets[key]) || {};
    const chosen = params.getAll(key);
    const values = Object.keys(counts);
    chosen.forEach((v) => { if (!values.includes(v)) values.push(v); });
    if (!values.length) continue;
    values.sort((a, b) => (key === 'annee' ? b.localeCompare(a) : (counts[b] || 0) - (counts[a] || 0)));
    const items = values.map((v) => {
      const id = `f-${key}-${v}`.replace(/[^a-zA-Z0-9_-]/g, '_');
      const box = h('input', {
        type: 'checkbox', id, name: key, value: v, checked: chosen.includes(v),
        onchange: (ev) => {
          const next = new Set(params.getAll(key));
          if (ev.target.checked) next.add(v); else next.delete(v);
          location.hash = hashFor('recherche', routeParams(params, { [key]: [...next], offset: '' }));
        },
      });
      return h('li', {}, box, h('label', { for: id }, `${key === 'repo' ? repoTitle(v) : labelOf(key, v)} `, h('span', { class: 'count' }, `(${counts[v] || 0})`)));
    });
    groups.push(h('fieldset', {}, h('legend', {}, label), h('ul', {}, items)));
  }
  // A period of the documents' dates, applied as soon as a bound is set.
  const bound = (key, label) => {
    const id = `f-${key}`;
    return h('p', {}, h('label', { for: id }, label), ' ', h('input', {
      type: 'date', id, value: params.get(key) || '',
      onchange: (ev) => { location.hash = hashFor('recherche', routeParams(params, { [key]: ev.target.value, offset: '' })); },
    }));
  };
  groups.push(h('fieldset', { class: 'period' }, h('legend', {}, 'Période'), bound('du', 'Du'), bound('au', 'Au')));
  filters.replaceChildren(h('h2', {}, 'Affiner'), ...groups);
  filters.hidden = false;
}

function pagination(result, params) {
  const pages = Math.ceil(result.total / PAGE);
  if (pages <= 1) return null;
  const current = Math.floor(result.offset / PAGE);
  const link = (page, text, label) => h('li', {}, page === current
    ? h('span', { 'aria-current': 'page' }, text)
    : h('a', { href: hashFor('recherche', routeParams(params, { offset: page ? String(page * PAGE) : '' })), 'aria-label': label }, text));
  const items = [];
  // Each link's spoken name holds its visible words (WCAG 2.5.3).
  if (current > 0) items.push(link(current - 1, '‹ Précédent', `Précédent : page ${current}`));
  const first = Math.max(0, current - 3);
  const last = Math.min(pages - 1, current + 3);
  for (let p = first; p <= last; p++) items.push(link(p, String(p + 1), `Page ${p + 1}`));
  if (current < pages - 1) items.push(link(current + 1, 'Suivant ›', `Suivant : page ${current + 2}`));
  return h('nav', { class: 'pages', 'aria-label': 'Pages de résultats' }, h('ul', {}, items));
}

// The same search as another format: a feed keeps the words and filters,
// an export also the date and the order.
function searchHref(target, params, keep) {
  const p = new URLSearchParams();
  for (const key of ['q', ...keep]) if (params.get(key)) p.set(key, params.get(key));
  for (const [key] of FACETS) params.getAll(key).forEach((v) => p.append(key, v));
  const s = p.toString();
  return `${target}${s ? '?' + s : ''}`;
}

const FORMATS = { pdf: 'PDF', opendocument: 'OpenDocument', office: 'Office', html: 'HTML' };

function rawHref(repo, path, rev, page) {
  return `/api/raw?${new URLSearchParams(repo ? { repo, path, rev } : { path, rev })}${page ? `#page=${page}` : ''}`;
}

function renderHit(hit, asOf) {
  const meta = [REPOS.size > 1 ? repoTitle(hit.repo) : null, hit.path, labelOf('domaine', hit.domaine), labelOf('academie', hit.academie),
    labelOf('type', hit.type), hit.date ? frenchDate(hit.date) : null]
    .filter(Boolean).join(' · ');
  const format = hit.format ? h('span', { class: 'format' }, FORMATS[hit.format] || hit.format) : null;
  const page = hit.page
    ? h('a', { class: 'page', href: rawHref(hit.repo, hit.path, hit.commit, hit.page) }, `page ${hit.page}`)
    : null;
  // Where it sits: the headings of its folders, below the repository's own.
  const crumbs = (hit.breadcrumb || []).slice(1);
  return h('li', { class: 'hit' },
    h('h2', {}, format, ' ', docLink(hit.path, asOf || '', hit.title, hit.repo)),
    crumbs.length ? h('p', { class: 'crumbs' }, crumbs.join(' › ')) : null,
    h('p', { class: 'meta' }, meta, page ? ' · ' : null, page),
    trusted('p', { class: 'snippet' }, hit.snippet),
    hit.references && hit.references.length
      ? h('p', { class: 'refs' }, 'Références : ', hit.references.join(', '))
      : null);
}

// Each route is numbered: an answer that arrives after another route began
// is dropped. A route made by the typing keeps the box as typed.
let routeSeq = 0;
let routeFromTyping = false;

// On a phone the filters wait behind a button, so that results come first.
function filtersToggle(params) {
  const chosen = FACETS.reduce((n, [key]) => n + params.getAll(key).length, 0);
  const open = filters.classList.contains('open');
  return h('button', {
    type: 'button', class: 'filters-toggle', 'aria-controls': 'filtres', 'aria-expanded': String(open),
    onclick: (ev) => {
      const now = filters.classList.toggle('open');
      ev.currentTarget.setAttribute('aria-expanded', String(now));
      if (now) (filters.querySelector('input') || filters).focus();
    },
  }, chosen ? `Filtres (${chosen})` : 'Filtres');
}

async function searchView(params) {
  if (!routeFromTyping) qInput.value = params.get('q') || '';
  asOfInput.value = params.get('as_of') || '';
  sortInput.value = params.get('sort') || 'relevance';
  const seq = routeSeq;
  if (!main.querySelector('.hits')) show(h('h1', {}, 'Recherche en cours…'));
  let result;
  try {
    result = await api('/api/search', searchParamsFromRoute(params));
  } catch (e) {
    if (seq !== routeSeq) return;
    filters.hidden = true;
    show(h('h1', {}, 'Recherche impossible'), alertBox(e.message));
    return;
  }
  if (seq !== routeSeq) return; // another view is on its way
  renderFacets(result, params);
  const q = params.get('q') || '';
  // A corrected query is what was searched for.
  const searched = result.corrected || q;
  const title = q ? `${plural(result.total, 'résultat', 'résultats')} pour « ${searched} »` : plural(result.total, 'document', 'documents');
  const nodes = [h('h1', {}, title), filtersToggle(params)];
  if (result.as_of) nodes.push(h('p', { class: 'asof' }, `Dépôt tel qu'il était le ${frenchDate(result.as_of) || result.as_of}.`));
  if (result.corrected) {
    nodes.push(h('p', { class: 'suggestion' }, `Résultats pour « ${result.corrected} ». Rechercher plutôt `,
      h('a', { href: hashFor('recherche', routeParams(params, { verbatim: '1', offset: '' })) }, `« ${q} »`), '.'));
  }
  if (result.suggestion) {
    nodes.push(h('p', { class: 'suggestion' }, 'Vouliez-vous dire : ',
      h('a', { href: hashFor('recherche', routeParams(params, { q: result.suggestion, offset: '', verbatim: '' })) }, result.suggestion), ' ?'));
  }
  if (result.partial) {
    nodes.push(h('p', { class: 'closest' }, 'Recherche très large : le nombre de résultats et les filtres sont des estimations. Précisez la recherche.'));
  }
  if (result.all_words === false && result.hits.length) {
    const missing = result.missing_words || [];
    nodes.push(h('p', { class: 'closest' }, 'Aucun document ne contient tous les mots ; voici les plus proches.',
      missing.length ? ` Introuvables : ${missing.map((w) => `« ${w} »`).join(', ')}.` : ''));
  }
  if (result.unavailable && result.unavailable.length) {
    nodes.push(h('p', { class: 'alert', role: 'status' },
      `Injoignable pour l'instant : ${result.unavailable.map(repoTitle).join(', ')}. Les résultats viennent des autres dépôts.`));
  }
  if (!result.hits.length) nodes.push(h('p', {}, 'Aucun document ne correspond. Essayez moins de mots, ou sans filtre.'));
  nodes.push(h('ol', { class: 'hits', start: String(result.offset + 1) }, result.hits.map((x) => renderHit(x, result.as_of))));
  const pages = pagination(result, params);
  if (pages) nodes.push(pages);
  nodes.push(h('p', { class: 'feed' },
    h('a', { href: searchHref('/feed.atom', params, []) }, 'S\'abonner à cette recherche (flux Atom)'), ' · ',
    h('a', { href: searchHref('/export.csv', params, ['as_of', 'sort', 'du', 'au']), download: '' },
      'Exporter la liste (tableur CSV)')));
  show(...nodes);
  announce(title);
}

// ---- document -----------------------------------------------------------------

function metaList(doc) {
  const rows = [
    ['Dépôt', REPOS.size > 1 ? repoTitle(doc.repo) : null],
    ['Chemin', doc.path],
    ['Format', doc.format && FORMATS[doc.format] ? FORMATS[doc.format] : null],
    ['Domaine', labelOf('domaine', doc.domaine)],
    ['Type', labelOf('type', doc.type)],
    ['Académie', labelOf('academie', doc.academie)],
    ['Auteur', doc.auteur],
    ['Date', doc.date ? frenchDate(doc.date) : null],
    ['Statut', labelOf('statut', doc.statut)],
    ['Mots-clés', doc.mots_cles && doc.mots_cles.length ? doc.mots_cles.join(', ') : null],
    ['Remplace', doc.remplace],
    ['Version', inForce(doc.version)],
    ['Texte modificateur', doc.version.amended_by],
  ].filter((r) => r[1]);
  return h('dl', { class: 'meta-list' }, rows.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

// « Version en vigueur du 1er janvier 2013 au 10 juillet 2013 ».
function inForce(v) {
  if (!v.date) return null;
  return v.until ? `En vigueur du ${frenchDate(v.date)} au ${frenchDate(v.until)}` : `En vigueur depuis le ${frenchDate(v.date)}`;
}

function linkList(title, items, render) {
  if (!items || !items.length) return null;
  return h('section', { class: 'links' }, h('h2', {}, title), h('ul', {}, items.map((x) => h('li', {}, render(x)))));
}

// This very version, for good: its commit, not a date; a button copies it.
function permalink(doc) {
  const href = hashFor('doc', { repo: doc.repo, path: doc.path, rev: doc.version.commit });
  const link = h('a', { href, class: 'permalink' }, 'Lien permanent vers cette version');
  const copy = h('button', {
    type: 'button',
    onclick: async () => {
      const url = new URL(href, location.href).href;
      try {
        await navigator.clipboard.writeText(url);
        announce('Lien permanent copié.');
        copy.textContent = 'Copié';
      } catch (e) {
        // Without the clipboard, the address is shown to be copied by hand.
        copy.replaceWith(h('input', { type: 'text', readonly: '', value: url, 'aria-label': 'Lien permanent', class: 'permalink-text' }));
      }
    },
  }, 'Copier');
  return h('span', {}, link, ' ', copy);
}

// A document read at a date before it existed: its first version, if any.
async function firstVersionAfter(repo, path, date) {
  try {
    const { versions } = await api('/api/history', withRepo(repo, { path }));
    const first = versions[versions.length - 1];
    return first && first.date > date ? first : null;
  } catch (e) {
    return null;
  }
}

// An article is followed by its reference (its amendments and the notes
// that cite it), a folder's page by the folder (what changes under it).
function watchLink(doc) {
  const folder = doc.path.endsWith('/README.md') ? doc.path.slice(0, -'/README.md'.length) : '';
  if (!doc.is_ref && !folder) return null;
  const query = withRepo(doc.repo, doc.is_ref ? { ref: doc.is_ref } : { dossier: folder });
  return h('li', {}, h('a', { href: `/feed.atom?${query}` }, doc.is_ref ? 'Suivre cet article (flux Atom)' : 'Suivre cette section (flux Atom)'));
}

async function docView(params) {
  const path = params.get('path');
  const rev = params.get('rev') || '';
  const repo = params.get('repo') || '';
  filters.hidden = true;
  show(h('h1', {}, 'Chargement…'));
  let doc;
  try {
    doc = await api('/api/doc', withRepo(repo, rev ? { path, rev } : { path }));
  } catch (e) {
    const first = /^\d{4}-\d{2}-\d{2}$/.test(rev) ? await firstVersionAfter(repo, path, rev) : null;
    if (first) {
      show(h('h1', {}, `Pas encore en vigueur le ${frenchDate(rev)}`),
        h('p', { class: 'alert past' }, `Ce document n'existait pas encore à cette date : il est en vigueur depuis le ${frenchDate(first.date)}. `,
          docLink(first.path, first.commit, 'Lire sa première version', repo)));
      return;
    }
    show(h('h1', {}, 'Document introuvable'), alertBox(e.message));
    return;
  }
  const raw = rawHref(doc.repo, doc.path, doc.version.commit);
  const actions = h('ul', { class: 'actions' },
    h('li', {}, h('a', { href: hashFor('historique', { repo: doc.repo, path: doc.path }) }, 'Historique des versions')),
    h('li', {}, h('a', { href: raw, download: '' }, 'Télécharger l\'original')),
    h('li', {}, permalink(doc)),
    doc.version.current ? null : h('li', {}, docLink(doc.path, '', 'Voir la version actuelle', doc.repo)),
    watchLink(doc));
  const body = doc.html ? trusted('div', { class: 'document' }, doc.html) : h('pre', { class: 'document' }, doc.text);
  // While a date is chosen, every link stays at that date (the server
  // lists them as of that date too).
  // A commit names a version in its own repository only; a date holds in all.
  const revIn = (other) => (!other || other === doc.repo || /^\d{4}-\d{2}-\d{2}$/.test(rev) ? rev : '');
  const refs = linkList('Références citées', doc.references, (r) => (r.path ? docLink(r.path, revIn(r.repo), r.label || r.ref, r.repo) : (r.label || r.ref)));
  // A citing note older than the version in force was written against an
  // earlier one: marked, for the watch.
  const older = (d) => d.note && doc.is_ref && doc.version.date && (d.revu || d.date || '9999') < doc.version.date;
  const cited = linkList('Cité par', doc.cited_by, (d) => [docLink(d.path, revIn(d.repo), d.title, d.repo),
    older(d) ? h('span', { class: 'older' }, ` — note antérieure à la version en vigueur (${frenchDate(d.revu || d.date)})`) : null]);
  const related = linkList('Documents liés', doc.related, (d) => docLink(d.path, revIn(d.repo), d.title, d.repo));
  // A past version says so before anything else, with the way to today's.
  const past = doc.version.current ? null : h('p', { class: 'alert past' },
    `Version remplacée le ${frenchDate(doc.version.until)}. `, docLink(doc.path, '', 'Voir la version en vigueur', doc.repo), '.');
  const problems = doc.problems && doc.problems.length ? h('div', { class: 'alert' }, h('p', {}, 'Ce document a été indexé avec des réserves :'), h('ul', {}, doc.problems.map((p) => h('li', {}, p)))) : null;
  const timeline = h('section', { class: 'links timeline', hidden: '' });
  show(h('article', {}, h('h1', {}, doc.title), past, reviewBanner(doc), metaList(doc), actions, problems, body),
    h('aside', { class: 'around', 'aria-label': 'Autour de ce document' }, timeline, refs, cited, related));
  announce(doc.title);
  fillTimeline(timeline, doc);
}

// The versions of a document beside its text: each one's days in force and
// amending text, the one read marked. Filled once the history arrives.
async function fillTimeline(section, doc) {
  const seq = routeSeq;
  let hist;
  try {
    hist = await api('/api/history', withRepo(doc.repo, { path: doc.path }));
  } catch (e) {
    return;
  }
  if (seq !== routeSeq || hist.versions.length < 2) return;
  const items = hist.versions.map((v) => {
    const when = v.until ? `du ${frenchDate(v.date)} au ${frenchDate(v.until)}` : `depuis le ${frenchDate(v.date)}`;
    const label = [when, v.message].filter(Boolean).join(' — ');
    return h('li', v.commit === doc.version.commit ? { 'aria-current': 'true', class: 'shown' } : {},
      v.commit === doc.version.commit ? h('strong', {}, label) : docLink(v.path, v.commit, label, hist.repo));
  });
  section.replaceChildren(h('h2', {}, 'Versions'), h('ol', { class: 'versions' }, items));
  section.hidden = false;
}

// ---- legal watch ----------------------------------------------------------------

// « L'article R. 421-58 a été modifié le 1er janvier 2013 (Décret …) » for
// each change of an article a note cites, with the comparison.
function reviewItem(a) {
  const kinds = { abrogé: 'Abrogé', renuméroté: 'Renuméroté' };
  const changes = a.changes.map((c) => h('li', {},
    kinds[c.kind] || 'Modifié',
    c.renumbered_as ? [' en ', docLink(c.renumbered_as.path, '', c.renumbered_as.label, a.repo)] : '',
    ` le ${frenchDate(c.date)}`,
    c.text ? ` (${c.text})` : ''));
  return h('li', {},
    docLink(a.path, '', a.label || a.reference, a.repo),
    REPOS.size > 1 ? ` — ${repoTitle(a.repo)}` : '',
    h('ul', {}, changes),
    a.diff ? h('a', { href: a.diff }, 'Comparer la version citée et la version actuelle') : null);
}

function reviewBanner(doc) {
  if (!doc.to_review || !doc.to_review.length) return null;
  return h('section', { class: 'alert review', 'aria-label': 'Note à revoir' },
    h('h2', {}, 'À revoir : la loi citée a changé depuis cette note'),
    h('ul', {}, doc.to_review.map(reviewItem)),
    h('p', {}, 'Après vérification, indiquez-le par un champ ', h('code', {}, 'revu: AAAA-MM-JJ'), ' dans l\'en-tête de la note.'));
}

const WATCH_FILTERS = ['repo', 'domaine', 'academie', 'du', 'au'];

async function watchView(params) {
  filters.hidden = true;
  show(h('h1', {}, 'Chargement…'));
  const wanted = {};
  for (const k of WATCH_FILTERS) if (params.get(k)) wanted[k] = params.get(k);
  if (params.get('since') && !wanted.du) wanted.du = params.get('since');
  let res;
  try {
    res = await api('/api/veille', new URLSearchParams(wanted));
  } catch (e) {
    show(h('h1', {}, 'Veille indisponible'), alertBox(e.message));
    return;
  }
  // The values to choose from: those of the documents the reader may read.
  let facets = {};
  try {
    facets = (await api('/api/search', new URLSearchParams({ limit: 1 }))).facets || {};
  } catch (e) {
    facets = {};
  }
  const title = res.notes.length ? `Veille : ${plural(res.notes.length, 'note à revoir', 'notes à revoir')}` : 'Veille : aucune note à revoir';
  const choice = (name, label, values, labelFor) => [h('label', { for: `veille-${name}` }, label), ' ',
    h('select', { id: `veille-${name}`, name },
      h('option', { value: '' }, 'Tous'),
      values.map((v) => h('option', { value: v, selected: wanted[name] === v }, labelFor(v)))), ' '];
  const day = (name, label) => [h('label', { for: `veille-${name}` }, label), ' ',
    h('input', { type: 'date', id: `veille-${name}`, name, value: wanted[name] || '' }), ' '];
  const filter = h('form', {
    class: 'veille-filter',
    onsubmit: (ev) => {
      ev.preventDefault();
      const chosen = {};
      for (const k of WATCH_FILTERS) if (ev.target.elements[k]) chosen[k] = ev.target.elements[k].value;
      location.hash = hashFor('veille', chosen);
    },
  },
  REPOS.size > 1 ? choice('repo', 'Dépôt', [...REPOS.keys()], repoTitle) : null,
  choice('domaine', 'Domaine', Object.keys(facets.domaine || {}), (v) => labelOf('domaine', v)),
  choice('academie', 'Académie', Object.keys(facets.academie || {}), (v) => labelOf('academie', v)),
  day('du', 'Changements du'), day('au', 'au'),
  h('button', { type: 'submit' }, 'Filtrer'));
  const notes = res.notes.map((n) => h('li', { class: 'hit' },
    h('h2', {}, docLink(n.path, '', n.title, n.repo)),
    h('p', { class: 'meta' }, [REPOS.size > 1 ? repoTitle(n.repo) : null, n.path, `note du ${frenchDate(n.date)}`].filter(Boolean).join(' · ')),
    h('ul', { class: 'review' }, n.articles.map(reviewItem))));
  const query = new URLSearchParams(wanted).toString();
  show(h('h1', {}, title),
    h('p', {}, 'Les notes dont un article cité a été modifié ou abrogé après leur date (ou leur dernière revue), la plus récemment concernée d\'abord.'),
    filter, notes.length ? h('ol', { class: 'hits' }, notes) : null,
    h('p', { class: 'feed' }, h('a', { href: `/veille.atom${query ? '?' + query : ''}` }, 'Suivre ces notes à revoir (flux Atom)')));
  announce(title);
}

// ---- history and comparison ------------------------------------------------------

async function historyView(params) {
  const path = params.get('path');
  const repo = params.get('repo') || '';
  filters.hidden = true;
  show(h('h1', {}, 'Chargement…'));
  let hist;
  try {
    hist = await api('/api/history', withRepo(repo, { path }));
  } catch (e) {
    show(h('h1', {}, 'Historique indisponible'), alertBox(e.message));
    return;
  }
  const versions = hist.versions;
  const rows = versions.map((v, i) => {
    const older = versions[i + 1];
    return h('tr', {},
      h('td', {}, h('input', { type: 'radio', name: 'from', value: String(i), 'aria-label': `Comparer depuis la version du ${frenchDate(v.date)}`, checked: i === 1 })),
      h('td', {}, h('input', { type: 'radio', name: 'to', value: String(i), 'aria-label': `Comparer jusqu'à la version du ${frenchDate(v.date)}`, checked: i === 0 })),
      h('td', {}, docLink(v.path, v.commit, `Version ${versions.length - i}`, hist.repo)),
      h('td', {}, frenchDate(v.date)),
      h('td', {}, v.until ? frenchDate(v.until) : 'en vigueur'),
      h('td', {}, v.message || ''),
      h('td', {}, v.path !== path ? v.path : ''),
      h('td', {}, older ? h('a', { href: hashFor('comparer', { repo: hist.repo, path, from: older.commit, from_path: older.path, to: v.commit, to_path: v.path }) }, 'modifications') : 'création'));
  });
  const compare = (ev) => {
    ev.preventDefault();
    const data = new FormData(ev.target);
    const a = versions[Number(data.get('from'))];
    const b = versions[Number(data.get('to'))];
    if (!a || !b) return;
    location.hash = hashFor('comparer', { repo: hist.repo, path, from: a.commit, from_path: a.path, to: b.commit, to_path: b.path });
  };
  const table = h('table', {},
    h('caption', {}, `${plural(versions.length, 'version', 'versions')}, de la plus récente à la plus ancienne`),
    h('thead', {}, h('tr', {}, ['De', 'À', 'Version', 'En vigueur du', 'au', 'Texte modificateur', 'Ancien chemin', 'Comparer'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, rows));
  show(h('h1', {}, `Historique : ${path}`),
    h('form', { class: 'history', onsubmit: compare }, h('div', { class: 'scroll' }, table),
      versions.length > 1 ? h('button', { type: 'submit' }, 'Comparer les deux versions choisies') : null),
    h('p', {}, docLink(path, '', 'Retour au document', hist.repo)));
  announce(`Historique : ${plural(versions.length, 'version', 'versions')}`);
}

// A version as people name it: its date and the text that made it.
function versionName(v) {
  return v.amended_by ? `${frenchDate(v.date)} (${v.amended_by})` : frenchDate(v.date);
}

async function diffView(params) {
  filters.hidden = true;
  show(h('h1', {}, 'Chargement…'));
  let d;
  try {
    d = await api('/api/diff', params);
  } catch (e) {
    show(h('h1', {}, 'Comparaison impossible'), alertBox(e.message));
    return;
  }
  const labels = { same: null, changed: 'modifié', added: 'ajouté', removed: 'supprimé' };
  const paragraphs = d.paragraphs.map((p) => {
    const el = trusted('p', { class: `para ${p.op}` }, p.html);
    if (labels[p.op]) el.prepend(h('span', { class: 'visually-hidden' }, `Paragraphe ${labels[p.op]} : `));
    return el;
  });
  show(h('h1', {}, `Comparaison : ${d.to.title}`),
    h('p', {}, `De la version du ${versionName(d.from)} à celle du ${versionName(d.to)} : `,
      plural(d.changes, 'paragraphe modifié', 'paragraphes modifiés'), '.'),
    h('p', { class: 'legend' }, h('del', {}, 'texte supprimé'), ' ', h('ins', {}, 'texte ajouté')),
    h('div', { class: 'diff' }, paragraphs),
    h('p', {}, h('a', { href: hashFor('historique', { repo: d.repo, path: d.path }) }, 'Retour à l\'historique')));
  announce(`${plural(d.changes, 'paragraphe modifié', 'paragraphes modifiés')}`);
}

// ---- wiring ---------------------------------------------------------------------

function route(fromTyping = false) {
  routeSeq++;
  routeFromTyping = fromTyping;
  const { view, params } = currentRoute();
  if (view === 'recherche') searchView(params);
  else if (view === 'doc' && params.get('path')) docView(params);
  else if (view === 'historique' && params.get('path')) historyView(params);
  else if (view === 'comparer' && params.get('path')) diffView(params);
  else if (view === 'veille') watchView(params);
  else {
    filters.hidden = true;
    if (main.querySelector('.welcome') === null) location.reload();
  }
}

let instantTimer = null;

form.addEventListener('submit', (ev) => {
  ev.preventDefault();
  clearTimeout(instantTimer);
  const { view, params } = currentRoute();
  const keep = view === 'recherche' ? params : new URLSearchParams();
  location.hash = hashFor('recherche', routeParams(keep, {
    q: qInput.value.trim(), as_of: asOfInput.value, sort: sortInput.value === 'relevance' ? '' : sortInput.value, offset: '',
    verbatim: '',
  }));
});

// Results follow the typing: one history entry for the words typed in a
// row, so the back button leaves the search rather than each keystroke.
qInput.addEventListener('input', () => {
  clearTimeout(instantTimer);
  instantTimer = setTimeout(() => {
    const q = qInput.value.trim();
    if (q.length < 2) return;
    const { view, params } = currentRoute();
    const hash = hashFor('recherche', routeParams(view === 'recherche' ? params : new URLSearchParams(), {
      q, as_of: asOfInput.value, offset: '', verbatim: '',
    }));
    if (hash === location.hash) return;
    if (history.state && history.state.typed) history.replaceState({ typed: true }, '', hash);
    else history.pushState({ typed: true }, '', hash);
    route(true);
  }, 300);
});

// Order and date apply at once on a result list.
for (const input of [sortInput, asOfInput]) {
  input.addEventListener('change', () => {
    if (currentRoute().view === 'recherche') form.requestSubmit();
  });
}

// "/" goes to the search box, as on most search sites.
document.addEventListener('keydown', (ev) => {
  if (ev.key !== '/' || ev.ctrlKey || ev.metaKey || ev.altKey) return;
  if (ev.target.closest && ev.target.closest('input, textarea, select, [contenteditable]')) return;
  ev.preventDefault();
  qInput.focus();
  qInput.select();
});

let suggestTimer = null;
let suggestSeq = 0;
qInput.addEventListener('input', () => {
  clearTimeout(suggestTimer);
  const q = qInput.value;
  if (q.trim().length < 2) return;
  suggestTimer = setTimeout(async () => {
    const seq = ++suggestSeq;
    try {
      const res = await api('/api/suggest', new URLSearchParams({ q, format: 'opensearch' }));
      if (seq !== suggestSeq) return;
      datalist.replaceChildren(...res[1].map((s) => h('option', { value: s })));
    } catch (e) {
      // Suggestions are a convenience: a failure just shows none.
    }
  }, 150);
});

async function start() {
  try {
    const { fields, repositories, user, labels } = await api('/api/fields', new URLSearchParams());
    LABELS = labels || {};
    for (const r of repositories || []) REPOS.set(r.name, r.title);
    // Anonymous readers may log in to read their académie's repository.
    const account = document.getElementById('compte');
    if (user) account.replaceWith(h('span', { class: 'account' }, `Connecté : ${user}`));
    account.hidden = false;
    // Several repositories: one more facet, and a filter, by repository.
    if (REPOS.size > 1) FACETS.push(['repo', 'Dépôt']);
    for (const f of fields) if (f.facet) FACETS.push([f.name, f.label]);
  } catch (e) {
    // Without the table the page still searches, without facets.
  }
  window.addEventListener('hashchange', () => route());
  // The browser's search box (OpenSearch) and feeds link to /?q=...
  const initial = new URLSearchParams(location.search);
  if (!location.hash && (initial.get('q') || FACETS.some(([k]) => initial.get(k)))) {
    location.replace(`/${hashFor('recherche', routeParams(initial, {}))}`);
  } else {
    route();
  }
}

start();
