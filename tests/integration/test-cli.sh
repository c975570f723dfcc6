#!/bin/sh
# vigie-index as operators and jurists use it: help, errors in French, exit
# codes, JSON output, locks, oversized and odd files.
. "$(dirname "$0")/lib.sh"

"$ROOT/repo-template/demo.sh" "$TMP/docs" >/dev/null
check "demo.sh makes the demo from a relative folder too, attachments included" sh -c "cd '$TMP' && '$ROOT/repo-template/demo.sh' rel/docs >/dev/null && [ -s rel/docs/modeles/convention-hebergement.odt ] && [ -s rel/docs/modeles/voyages-scolaires.pdf ]"
DB=$TMP/index

check "help lists the commands" sh -c "'$VIGIE' --help | grep -q 'update' && '$VIGIE' search --help | grep -q 'as-of'"
"$VIGIE" update >"$TMP/o" 2>&1; s=$?
check "missing options exit 2 with a message" sh -c "[ $s -eq 2 ] && grep -q -- '--repo et --db sont requis' '$TMP/o'"
"$VIGIE" update --repo "$TMP/nowhere" --db "$DB" >"$TMP/o" 2>&1; s=$?
check "a folder that is not a repository is named" sh -c "[ $s -eq 1 ] && grep -q \"n'est pas un dépôt git\" '$TMP/o'"
"$VIGIE" search --db "$TMP/none" x >"$TMP/o" 2>&1; s=$?
check "searching a missing index says how to create it" sh -c "[ $s -eq 1 ] && grep -q 'vigie-index update' '$TMP/o'"

check "first update creates the index" sh -c "'$VIGIE' update --repo '$TMP/docs' --db '$DB' | grep -q 'index créé'"
check "second update has nothing to do" sh -c "'$VIGIE' update --repo '$TMP/docs' --db '$DB' | grep -q 'index à jour'"
"$VIGIE" search --db "$DB" --json "régie d'avances" >"$TMP/json"
check "search --json prints the result object" jq -e '.hits[0].path == "comptabilite/regies/regie-avances.md" and has("facets")' "$TMP/json"
"$VIGIE" search --db "$DB" --json 'ref:nimporte' >"$TMP/json" 2>"$TMP/err"; s=$?
check "a bad query gives a JSON error and exit 1" sh -c "[ $s -eq 1 ] && jq -e '.error.code == \"bad_query\"' '$TMP/json'"
git clone -q --bare "$TMP/docs" "$TMP/bare.git"
check "a bare repository indexes the same" sh -c "'$VIGIE' update --repo '$TMP/bare.git' --db '$TMP/bare.idx' --quiet && [ \"\$('$VIGIE' search --db '$TMP/bare.idx' --json régie)\" = \"\$('$VIGIE' search --db '$DB' --json régie)\" ]"
check "status reports the indexed commit" sh -c "'$VIGIE' status --db '$DB' | grep -q \"$(git -C "$TMP/docs" rev-parse HEAD)\""

# Colours only on a terminal, and never with NO_COLOR.
esc=$(printf '\033')
check "no colour codes go into a pipe" sh -c "! '$VIGIE' search --db '$DB' régie | grep -q '$esc'"
if command -v script >/dev/null; then
	check "bold marks on a terminal" sh -c "script -qec \"'$VIGIE' search --db '$DB' régie\" /dev/null | grep -q '$esc\\[1m'"
	check "…but not with NO_COLOR" sh -c "! NO_COLOR=1 script -qec \"'$VIGIE' search --db '$DB' régie\" /dev/null | grep -q '$esc\\[1m'"
fi

# Another writer holds the lock: fail fast with a message, or wait.
# The holder signals once it has the lock, then keeps it for 2 seconds.
rm -f "$TMP/locked"
flock "$DB/lock" sh -c "touch '$TMP/locked'; sleep 2" &
holder=$!
deadline=$(($(date +%s) + 30))
while [ ! -e "$TMP/locked" ] && [ "$(date +%s)" -lt "$deadline" ]; do sleep 0.02; done
"$VIGIE" update --repo "$TMP/docs" --db "$DB" >"$TMP/o" 2>&1; s=$?
check "a concurrent update exits 75 with a clear message" sh -c "[ $s -eq 75 ] && grep -q 'autre mise à jour' '$TMP/o'"
check "--wait waits for the other writer" "$VIGIE" update --repo "$TMP/docs" --db "$DB" --wait
wait $holder

# Odd files: oversized, binary, broken front matter, non-UTF-8 name.
head -c 3000000 /dev/zero | tr '\0' 'a' >"$TMP/docs/paye/enorme.md"
printf '\0\1\2binaire' >"$TMP/docs/modeles/image.md"
printf -- '---\ntitre: "non fermé\n---\nTexte de la note cassée.\n' >"$TMP/docs/veille-juridique/2026/cassee.md"
printf '# Nom\n\nfichier au nom latin-1\n' >"$TMP/docs/veille-juridique/2026/note-$(printf '\351')t$(printf '\351').md"
commit_all "$TMP/docs" 2026-02-01 "Fichiers difficiles"
"$VIGIE" update --repo "$TMP/docs" --db "$DB" --max-size 1M >"$TMP/o" 2>&1; s=$?
check "odd files are reported, the run succeeds" sh -c "[ $s -eq 0 ] && grep -q 'paye/enorme.md : fichier trop volumineux' '$TMP/o' && grep -q 'modeles/image.md : fichier binaire' '$TMP/o' && grep -q 'cassee.md : en-tête YAML invalide' '$TMP/o'"
check "the broken note is still searchable" sh -c "'$VIGIE' search --db '$DB' 'note cassée' | grep -q 'cassee.md'"
check "a non-UTF-8 file name is searchable" sh -c "'$VIGIE' search --db '$DB' --json 'latin' | grep -q 'note-été.md'"
check "status lists the problem files" sh -c "'$VIGIE' status --db '$DB' | grep -q 'enorme.md : fichier trop volumineux'"
check "rebuild gives the same documents" sh -c "a=\$('$VIGIE' search --db '$DB' --json --limit 100 'EPLE OR budget'); '$VIGIE' rebuild --repo '$TMP/docs' --db '$DB' --max-size 1M --quiet >/dev/null && b=\$('$VIGIE' search --db '$DB' --json --limit 100 'EPLE OR budget'); [ \"\$a\" = \"\$b\" ]"
finish
