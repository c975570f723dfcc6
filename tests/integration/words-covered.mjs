// Compares the words of two extractions of one file. Reference: the
// unprefixed terms of one document of an omindex database (xapian-delve
// output on stdin). Candidate: Vigie's extraction (vigie-extract's JSON, in
// the file named by the first argument). Prints the coverage and the words
// Vigie missed; exits 1 when any reference word is missing, apart from the
// comma-separated words of the second argument (known, explained gaps).
import { readFileSync } from 'node:fs';

const fold = (s) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
const words = (s) => fold(s).split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 1);

const extracted = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const mine = new Set(words(`${extracted.title || ''} ${extracted.text || ''}`));

const reference = new Set();
for (const line of readFileSync(0, 'utf8').split('\n')) {
  const term = line.trim();
  // Prefixed terms (metadata, stems) start with an upper-case letter.
  if (!term || /^[A-Z]/.test(term)) continue;
  for (const w of words(term)) reference.add(w);
}
const known = new Set((process.argv[3] || '').split(',').filter(Boolean));
const missed = [...reference].filter((w) => !mine.has(w) && !known.has(w));
console.log(`${reference.size - missed.length}/${reference.size} words of omindex's extraction found` +
  (missed.length ? `; missed: ${missed.join(' ')}` : ''));
process.exit(missed.length || reference.size === 0 ? 1 : 0);
