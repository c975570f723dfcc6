// Sends a bounded, reproducible stream of odd requests to a running
// vigie-server and checks that every answer is a clean success or a clean
// client error with a French message, never a crash or a 500.
// Usage: node fuzz-api.mjs BASE_URL COUNT SEED
const [base, countArg, seedArg] = process.argv.slice(2);
const count = Number(countArg || 1000);
let seed = Number(seedArg || 1) >>> 0;

// xorshift32: the same seed gives the same requests, so a failure replays.
function rand(n) {
  seed ^= seed << 13; seed >>>= 0;
  seed ^= seed >>> 17;
  seed ^= seed << 5; seed >>>= 0;
  return seed % n;
}
const pick = (list) => list[rand(list.length)];

const tokens = [
  'régie', 'établissement', "l'établissement", 'l’EPLE', 'EPLE', 'DBM', 'budget', 'comptable',
  'R421-58', 'R. 421-58', 'article', 'art.', 'L.', '421-', 'décret', 'n°', '2012-1246',
  'AND', 'OR', 'NOT', 'ET', 'OU', 'SAUF', 'NEAR', 'ADJ', 'XOR', '(', ')', '((', '))', '"', '""',
  '*', 'ré*', '*gie', '+', '-', '-régie', '+budget', ':', '::', '..', '...', '\\', '/', '%', '&', '=',
  'titre:', 'titre:régie', 'domaine:', 'domaine:paye', 'type:note', 'academie:lille', 'auteur:"x"',
  'ref:', 'ref:R421-58', 'ref:rien', 'ref:décret-2012-1246', 'motcle:', 'chemin:', 'chemin:../..',
  'date:', 'date:2023-01-01..2023-12-31', 'date:..', 'date:2023-13-45..', 'date:..2024',
  'date:x..y', 'annee:', 'inconnu:valeur', 'Œuvre', 'cœur', 'ça', 'ÉTÉ', 'ﬁnances', 'e\u0301te\u0301',
  '🙂', '漢字', '\u200b', '\u00a0', '\u2028', 'x'.repeat(300), 'é'.repeat(200), '0', '-1', '1e9',
];
const rawBytes = ['%FF', '%C3', '%C3%28', '%E2%82', '%00', '%0A', '%0D', '%1B', '%7F', '%ED%A0%80',
  '%F4%90%80%80', '%C0%AF', '%25', '%26', '%3D', '%2B', '%23'];

function query() {
  const parts = [];
  const n = 1 + rand(8);
  for (let i = 0; i < n; i++) {
    if (rand(10) === 0) parts.push(pick(rawBytes));
    else parts.push(encodeURIComponent(pick(tokens)));
  }
  return parts.join(pick(['+', '%20', '', '+%2B']));
}

function value() {
  return pick([query(), '', '0', '1', '10', '100', '101', '99999', '100001', '-1', 'abc', '1.5',
    '18446744073709551617', '2012-06-01', '2099-01-01', '0000-00-00', 'HEAD', 'HEAD~1', '0'.repeat(40),
    'f'.repeat(40), 'abc123', '..', '%FF']);
}

const paths = ['comptabilite/regies/regie-avances.md', 'veille-juridique/2026/mutualisation-veille.md',
  '../etc/passwd', '/etc/passwd', 'a/../b.md', './a.md', 'a//b.md', 'inconnu.md', '', '%00',
  'a%00b.md', 'é.md', 'x'.repeat(3000), '.git/config', 'comptabilite', 'comptabilite/'];

function request() {
  const kind = rand(7);
  if (kind === 0 || kind === 1) {
    let u = `/api/search?q=${query()}`;
    for (const name of ['as_of', 'sort', 'offset', 'limit', 'domaine', 'academie', 'type', 'annee', 'bogus'])
      if (rand(4) === 0) u += `&${name}=${value()}`;
    return u;
  }
  if (kind === 2) return `/api/suggest?q=${query()}`;
  if (kind === 3) return `/api/${pick(['doc', 'raw', 'history'])}?path=${encodeURIComponent(pick(paths))}` +
    (rand(2) ? `&rev=${value()}` : '') + (rand(3) === 0 ? `&format=${value()}` : '');
  if (kind === 4) return `/api/diff?path=${encodeURIComponent(pick(paths))}&from=${value()}&to=${value()}`;
  if (kind === 5) return `/feed.atom?q=${query()}` + (rand(2) ? `&domaine=${value()}` : '');
  return pick(['/api/search', '/api/search?', '/api/search?q', '/api/search?q=&q=x', '/api/doc',
    '/api/diff?path=a.md', '/feed.atom', '/opensearch.xml', '/healthz', '/%2e%2e/x', '/web/../../x',
    '/api/search?%FF=1', '/api/search?q=x&&&', '/api/search?=x']);
}

let failures = 0;
const counts = {};
async function one(u) {
  let res;
  try {
    res = await fetch(base + u, { redirect: 'manual' });
  } catch (e) {
    failures++;
    console.log(`not ok - no answer to ${u}: ${e.cause?.code || e.message}`);
    return;
  }
  const body = await res.text();
  counts[res.status] = (counts[res.status] || 0) + 1;
  const allowed = [200, 400, 404, 414];
  let bad = !allowed.includes(res.status) ? `status ${res.status}` : '';
  const type = res.headers.get('content-type') || '';
  if (!bad && u.startsWith('/api/') && type.startsWith('application/json')) {
    try {
      const j = JSON.parse(body);
      if (res.status >= 400 && !(j.error && j.error.code && j.error.message))
        bad = 'error without code and message';
    } catch {
      bad = 'body is not JSON';
    }
  }
  if (bad) {
    failures++;
    console.log(`not ok - ${u}: ${bad}: ${body.slice(0, 200)}`);
  }
}

// Two clients at once, as a browser would.
const list = Array.from({ length: count }, request);
let next = 0;
async function worker() {
  while (next < list.length) await one(list[next++]);
}
await Promise.all([worker(), worker()]);
const health = await fetch(base + '/healthz').then((r) => r.status).catch(() => 0);
if (health !== 200) {
  failures++;
  console.log('not ok - the server no longer answers /healthz');
}
console.log(`# fuzz: ${count} requests, statuses ${JSON.stringify(counts)}, ${failures} bad`);
process.exit(failures ? 1 : 0);
