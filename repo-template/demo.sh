#!/bin/sh
# Creates a demo documentation repository from this template, with a short
# history (a note rewritten, a note added), for `make run` and the tests.
# Usage: repo-template/demo.sh DIR
set -eu
dest=${1:?usage: demo.sh DIR}
template=$(cd "$(dirname "$0")" && pwd)
rm -rf "$dest"
mkdir -p "$dest"
cp -R "$template/." "$dest/"
rm -f "$dest/demo.sh"
cd "$dest"
git init -q -b main
git config user.name "Cellule de veille juridique"
git config user.email "veille@ac-lille.fr"
commit() {
	GIT_AUTHOR_DATE="$1T09:00:00Z" GIT_COMMITTER_DATE="$1T09:00:00Z" \
		git commit -q -m "$2"
}
# First version of the watch note: before it commented on the budget.
cat > veille-juridique/2026/mutualisation-veille.md <<'NOTE'
---
titre: Mutualisation de la veille juridique entre Lille et Amiens
date: 2025-09-01
domaine: veille-juridique
type: note
academie: region
auteur: Cellule de veille juridique
references: ["articles L. 421-11 et L. 421-12"]
statut: brouillon
---
# Mutualisation de la veille juridique

Les deux académies préparent un dépôt commun pour leurs notes de veille sur
le régime financier des EPLE (articles L. 421-11 et L. 421-12).
NOTE
git add -A
commit 2025-09-01 "Documentation initiale des deux académies"
cp "$template/veille-juridique/2026/mutualisation-veille.md" veille-juridique/2026/
git add -A
commit 2026-01-15 "Veille : mutualisation, budget des EPLE (R. 421-58)"
