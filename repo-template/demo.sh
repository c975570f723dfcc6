#!/bin/sh
# Creates a demo documentation repository from this template, with a short
# history (a note rewritten, a note added, attachments: a PDF of several
# pages, an OpenDocument text and a spreadsheet), for `make run` and the
# tests;
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
dest=$(pwd) # absolute: git -C elsewhere writes files here
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

# Attachments, made here with git and qpdf alone: a PDF of several pages,
# an OpenDocument text and a spreadsheet, each with its sidecar of fields.
# make_pdf OUT TEXT...: one page per text (PDF strings, WinAnsi octal
# escapes); qpdf writes the cross-reference table.
make_pdf() {
	out=$1
	shift
	kids=""
	i=0
	for t in "$@"; do
		kids="$kids $((3 + 2 * i)) 0 R"
		i=$((i + 1))
	done
	{
		printf '%%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n'
		printf '2 0 obj << /Type /Pages /Kids [%s ] /Count %d >> endobj\n' "$kids" $#
		i=0
		for t in "$@"; do
			stream=$(printf 'BT /F1 12 Tf 56 780 Td (%s) Tj ET' "$t")
			printf '%d 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 99 0 R >> >> /Contents %d 0 R >> endobj\n' \
				$((3 + 2 * i)) $((4 + 2 * i))
			printf '%d 0 obj << /Length %d >> stream\n%s\nendstream endobj\n' $((4 + 2 * i)) "${#stream}" "$stream"
			i=$((i + 1))
		done
		printf '99 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >> endobj\n'
		printf 'trailer << /Size 100 /Root 1 0 R >>\n%%%%EOF\n'
	} >"$out.raw"
	# 3: written, with warnings (the table it had to rebuild).
	qpdf --object-streams=disable "$out.raw" "$out" 2>/dev/null || [ $? -eq 3 ]
	rm -f "$out.raw"
	[ -s "$out" ]
}
# make_odf OUT MEDIA-TYPE: an OpenDocument file whose content.xml comes
# on standard input, zipped by git archive.
make_odf() {
	d=$(mktemp -d)
	mkdir -p "$d/META-INF"
	printf '%s' "$2" >"$d/mimetype"
	cat >"$d/content.xml"
	printf '<?xml version="1.0" encoding="UTF-8"?>\n<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">\n <manifest:file-entry manifest:full-path="/" manifest:media-type="%s"/>\n <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>\n</manifest:manifest>\n' \
		"$2" >"$d/META-INF/manifest.xml"
	git -C "$d" init -q && git -C "$d" add -A &&
		GIT_AUTHOR_DATE=2026-02-01T09:00:00Z GIT_COMMITTER_DATE=2026-02-01T09:00:00Z \
			git -C "$d" -c user.name=Vigie -c user.email=vigie@localhost commit -q -m odf &&
		git -C "$d" archive --format=zip -o "$1" HEAD
	rc=$?
	rm -rf "$d"
	return $rc
}
sidecar() { # sidecar FILE TITLE
	printf 'titre: %s\ndate: 2026-02-01\ndomaine: modeles\ntype: modele\nacademie: region\n' "$2" >"$1.meta.yml"
}
ns='xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" office:version="1.2"'
make_pdf modeles/voyages-scolaires.pdf "Organisation d'un voyage scolaire : d\351lib\351ration du conseil d'administration." \
	"Participation des familles : aucun \351l\350ve n'est \351cart\351 pour des raisons financi\350res." \
	"Apr\350s le voyage, le bilan financier est pr\351sent\351 au conseil d'administration."
sidecar modeles/voyages-scolaires.pdf "Guide des voyages scolaires"
make_odf "$dest/modeles/convention-hebergement.odt" application/vnd.oasis.opendocument.text <<ODT
<?xml version="1.0" encoding="UTF-8"?>
<office:document-content $ns><office:body><office:text>
<text:h text:outline-level="1">Convention d'hébergement des élèves internes</text:h>
<text:p>Le lycée d'accueil héberge les internes d'un autre lycée ; la convention fixe le tarif de la nuitée et les modalités de reversement.</text:p>
</office:text></office:body></office:document-content>
ODT
sidecar modeles/convention-hebergement.odt "Modèle de convention d'hébergement des internes"
cell() { printf '<table:table-cell office:value-type="string"><text:p>%s</text:p></table:table-cell>' "$1"; }
num() { printf '<table:table-cell office:value-type="float" office:value="%s"><text:p>%s</text:p></table:table-cell>' "$1" "$1"; }
make_odf "$dest/modeles/tarifs-restauration.ods" application/vnd.oasis.opendocument.spreadsheet <<ODS
<?xml version="1.0" encoding="UTF-8"?>
<office:document-content $ns><office:body><office:spreadsheet><table:table table:name="Tarifs">
<table:table-row>$(cell "Formule")$(cell "Tarif annuel (euros)")</table:table-row>
<table:table-row>$(cell "Forfait demi-pension quatre jours")$(num 468)</table:table-row>
<table:table-row>$(cell "Forfait demi-pension cinq jours")$(num 585)</table:table-row>
<table:table-row>$(cell "Repas au ticket")$(num 4.10)</table:table-row>
</table:table></office:spreadsheet></office:body></office:document-content>
ODS
sidecar modeles/tarifs-restauration.ods "Tarifs de la demi-pension"
git add -A
commit 2026-02-01 "Modèles : voyages scolaires (PDF), convention d'hébergement (ODT), tarifs de la demi-pension (tableur)"
