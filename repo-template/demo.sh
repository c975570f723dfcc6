#!/bin/sh
# Creates a demo documentation repository from this template, with a short
# history (a note rewritten, a note added), for `make run` and the tests;
# with ACADEMIE (lille or amiens), that académie's own repository instead:
# the template and a note that only its accounts may read.
# Usage: repo-template/demo.sh DIR [ACADEMIE]
set -eu
dest=${1:?usage: demo.sh DIR [ACADEMIE]}
academie=${2:-}
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
if [ -n "$academie" ]; then
	rm -rf comptabilite/regies comptabilite/budget veille-juridique/2026 paye/*.md
	mkdir -p comptabilite/regies
	case $academie in
	lille) cat > comptabilite/regies/controle-regies-lille.md <<'NOTE'
---
titre: Calendrier des contrôles de régies des lycées de l'académie de Lille
date: 2012-06-15
domaine: comptabilite
type: procedure
academie: lille
auteur: Service de l'agence comptable, rectorat de Lille
references: ["article R. 421-58", "décret n° 2012-1246"]
mots-cles: [régie, contrôle, calendrier]
statut: publié
---
# Calendrier des contrôles de régies

Pour l'année 2012-2013, l'agent comptable contrôle sur place chaque régie
d'avances et de recettes des lycées du bassin de Lille au moins une fois par
trimestre. Le procès-verbal de contrôle est transmis au chef d'établissement
dans les quinze jours (décret n° 2012-1246 du 7 novembre 2012, article 18).
NOTE
		;;
	amiens) cat > comptabilite/regies/regie-restauration-amiens.md <<'NOTE'
---
titre: Régie de recettes de la restauration scolaire dans l'académie d'Amiens
date: 2026-10-05
domaine: comptabilite
type: fiche
academie: amiens
auteur: Cellule d'appui aux EPLE, rectorat d'Amiens
references: ["article R. 421-58"]
mots-cles: [régie, restauration, recettes]
statut: publié
---
# Régie de recettes de la restauration

Dans les collèges de la Somme, de l'Oise et de l'Aisne, le régisseur de
recettes encaisse les paiements des familles pour la demi-pension et les
reverse à l'agent comptable au moins une fois par semaine ; le plafond
d'encaisse est fixé par l'acte constitutif de la régie.
NOTE
		;;
	*) echo "demo.sh : académie inconnue « $academie » (lille ou amiens)" >&2; exit 2 ;;
	esac
	git add -A
	# Lille's note is older than the last amendment of the article it
	# cites (R. 421-58, 2013): the legal watch lists it to review.
	[ "$academie" = lille ] && day=2012-06-15 || day=2026-10-05
	commit "$day" "Note réservée à l'académie de $academie"
	exit 0
fi
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
