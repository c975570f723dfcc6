#!/bin/sh
# Acceptance checks on the real legal codes of ../shared/corpus (or
# $VIGIE_CORPUS). Skipped, and said so, when the corpus is absent.
. "$(dirname "$0")/lib.sh"

CORPUS=${VIGIE_CORPUS:-$ROOT/../shared/corpus}
if [ ! -f "$CORPUS/code-de-l-education.bundle" ]; then
	echo "# skipped: corpus not found at $CORPUS (set VIGIE_CORPUS)"
	finish
	exit 0
fi

git clone -q "$CORPUS/code-de-l-education.bundle" "$TMP/edu"
"$VIGIE" update --repo "$TMP/edu" --db "$TMP/edu.idx" --quiet >/dev/null
paths() { "$VIGIE" search --db "$TMP/edu.idx" --json --limit 100 "$@" | jq -r '.hits[].path' | sed 's/.*\///'; }

paths "enseignement moral et civique" | head -3 >"$TMP/o"
check "L312-15 in the top 3 for « enseignement moral et civique »" contains "$TMP/o" "article-l312-15.md"
paths --as-of 2012-06-01 '"education civique"' >"$TMP/o"
check "« \"education civique\" » as of 2012-06-01 finds L312-15" contains "$TMP/o" "article-l312-15.md"
paths '"education civique"' >"$TMP/o"
check "…and not today" sh -c "! grep -q 'article-l312-15.md' '$TMP/o'"
paths "R421-58" | sort >"$TMP/a"
paths "R. 421-58" | sort >"$TMP/b"
paths "article R 421-58" | sort >"$TMP/c"
check "R421-58, R. 421-58 and article R 421-58 give the same set" sh -c "cmp -s '$TMP/a' '$TMP/b' && cmp -s '$TMP/a' '$TMP/c'"
check "…containing R421-57 and R421-58" sh -c "grep -q article-r421-57.md '$TMP/a' && grep -q article-r421-58.md '$TMP/a'"
"$VIGIE" search --db "$TMP/edu.idx" --json --limit 50 "etablissement public local" >"$TMP/o"
check "unaccented « etablissement public local » finds « établissements publics locaux »" contains "$TMP/o" "<mark>établissements</mark> <mark>publics</mark> <mark>locaux</mark>"

# Citations in an article's text link to the cited articles, at the same date.
"$VIGIE_SERVER" --repo "$TMP/edu" --index "$TMP/edu.idx" --web "$ROOT/web" --port 0 >"$TMP/edu.out" 2>/dev/null &
edu_pid=$!
deadline=$(($(date +%s) + 60))
until grep -q 'écoute sur' "$TMP/edu.out" 2>/dev/null || [ "$(date +%s)" -ge "$deadline" ]; do sleep 0.05; done
edu_url=$(sed -n 's/.*écoute sur \(http[^ ]*\)\/$/\1/p' "$TMP/edu.out")
R57=partie-reglementaire/livre-iv/titre-ii/chapitre-ier/section-3/article-r421-57.md
check "a citation in an article is a link to the cited article" sh -c "curl -s '$edu_url/api/doc?path=$R57' | grep -q 'href=\\\\\"#/doc?repo=edu&amp;path=partie-reglementaire%2Flivre-iv%2Ftitre-ii%2Fchapitre-ier%2Fsection-3%2Farticle-r421-58.md'"
check "…at the date being read" sh -c "curl -s '$edu_url/api/doc?path=$R57&rev=2015-01-01' | grep -q 'article-r421-58.md&amp;rev=2015-01-01'"
kill "$edu_pid"
wait "$edu_pid" 2>/dev/null

git clone -q "$CORPUS/code-du-travail.bundle" "$TMP/trav"
"$VIGIE" update --repo "$TMP/trav" --db "$TMP/trav.idx" --quiet >/dev/null
# Single-number articles are references like the others, and rank first.
first() { "$VIGIE" search --db "$TMP/trav.idx" --json --limit 1 "$1" | sed -n 's/.*"hits":\[{"path":"\([^"]*\)".*/\1/p'; }
check "« article L1 » finds the article L1 first" test "$(first 'article L1')" = partie-legislative/chapitre-preliminaire/article-l1.md
check "« ref:L2 » is a reference, and finds the article L2 first" test "$(first 'ref:L2')" = partie-legislative/chapitre-preliminaire/article-l2.md
check "« art L 3 » (no dot) finds the article L3 first" test "$(first 'art L 3')" = partie-legislative/chapitre-preliminaire/article-l3.md
mkdir -p "$TMP/trav/veille-juridique"
cat >"$TMP/trav/veille-juridique/note-r222-3-4.md" <<'NOTE'
---
titre: Veille mutualisée sur l'article R. 222-3-4
date: 2026-11-20
domaine: veille-juridique
type: note
academie: region
---
Note de veille commune aux académies de Lille et d'Amiens sur l'article R 222-3-4 du code de l'éducation.
NOTE
commit_all "$TMP/trav" 2026-11-20 "Note de veille"
"$VIGIE" update --repo "$TMP/trav" --db "$TMP/trav.idx" >"$TMP/o"
check "one new note in the Code du travail: one commit, one version" contains "$TMP/o" ": 1 commit(s), 1 version(s) ajoutée(s), 0 remplacée(s)"
check "the note is found" sh -c "'$VIGIE' search --db '$TMP/trav.idx' 'R222-3-4 mutualisée' | grep -q note-r222-3-4.md"
git -C "$TMP/trav" rm -q veille-juridique/note-r222-3-4.md
commit_all "$TMP/trav" 2026-11-21 "Retrait"
"$VIGIE" update --repo "$TMP/trav" --db "$TMP/trav.idx" --quiet >/dev/null
check "…and no more after its deletion" sh -c "! '$VIGIE' search --db '$TMP/trav.idx' 'R222-3-4 mutualisée' | grep -q note-r222-3-4.md"
check "…except as of before" sh -c "'$VIGIE' search --db '$TMP/trav.idx' --as-of 2026-11-20 'R222-3-4 mutualisée' | grep -q note-r222-3-4.md"
finish
