#!/bin/sh
# Attachments made by LibreOffice from French text (odt, docx, pdf; ods and
# xlsx from a table), committed and searched; omindex's extraction of the
# same files is the reference for the words that must come out.
. "$(dirname "$0")/lib.sh"

for tool in soffice omindex xapian-delve unzip node; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "# $(basename "$0"): skipped, $tool is not installed (make deps installs it)"
		exit 0
	fi
done
SRC=$TMP/src
OUT=$TMP/docs/pieces-jointes
mkdir -p "$SRC" "$OUT"
cat >"$SRC/controle-regies.html" <<'HTML'
<html><head><meta charset="utf-8"><title>Contrôle des régies</title></head><body>
<h1>Contrôle des régies d'avances</h1>
<p>L'agent comptable de l'établissement vérifie la caisse du régisseur selon l'article R. 421-58 du code de l'éducation.</p>
<table><tr><th>Pièce</th><th>Montant</th></tr><tr><td>Quittance trimestrielle</td><td>1 250,00 €</td></tr></table>
<p>Mot témoin : ornithorynque. Le régisseur rend compte<a class="sdfootnoteanc" name="sdfootnote1anc" href="#sdfootnote1sym"><sup>1</sup></a> chaque trimestre.</p>
<div id="sdfootnote1"><p class="sdfootnote"><a class="sdfootnotesym" name="sdfootnote1sym" href="#sdfootnote1anc">1</a>Selon l'article R. 421-60, dromadaire.</p></div>
</body></html>
HTML
printf 'Compte;Libellé;Montant\n6068;Fournitures hippopotame;1250\n4111;Familles;300\n' >"$SRC/budget.csv"

# One profile for this test only, so that no user's LibreOffice is touched.
lo() { timeout 180 soffice "-env:UserInstallation=file://$TMP/lo-profile" --headless "$@" >>"$TMP/lo.log" 2>&1; }
lo --convert-to odt:writer8 --outdir "$OUT" "$SRC/controle-regies.html"
lo --convert-to "docx:MS Word 2007 XML" --outdir "$OUT" "$OUT/controle-regies.odt"
lo --convert-to pdf:writer_pdf_Export --outdir "$OUT" "$OUT/controle-regies.odt"
lo --infilter=CSV:59,34,76 --convert-to ods --outdir "$OUT" "$SRC/budget.csv"
lo --infilter=CSV:59,34,76 --convert-to xlsx --outdir "$OUT" "$SRC/budget.csv"
check "LibreOffice made the five files" sh -c "cd '$OUT' && test -s controle-regies.odt && test -s controle-regies.docx && test -s controle-regies.pdf && test -s budget.ods && test -s budget.xlsx"

git -C "$TMP/docs" init -q -b main
commit_all "$TMP/docs" 2026-03-02 "Pièces jointes faites avec LibreOffice"
"$VIGIE" update --repo "$TMP/docs" --db "$TMP/index" >"$TMP/update" 2>&1
check "all five are indexed without a problem" grep -q '5 version(s) ajoutée(s).* 0 fichier(s) signalé(s)' "$TMP/update"

# hits QUERY: "path format page" per hit.
hits() {
	"$VIGIE" search --db "$TMP/index" --json "$1" |
		node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{for(const h of JSON.parse(s).hits)console.log(h.path,h.format,h.page??"-")})'
}
hits ornithorynque >"$TMP/h1"
check "a word of the text finds the odt, the docx and the pdf" sh -c "grep -q 'controle-regies.odt opendocument' '$TMP/h1' && grep -q 'controle-regies.docx office' '$TMP/h1' && grep -q 'controle-regies.pdf pdf [0-9]' '$TMP/h1'"
hits "art. R421-58" >"$TMP/h2"
check "the reference in another spelling finds all three" test "$(grep -c controle-regies "$TMP/h2")" = 3
hits dromadaire >"$TMP/h5"
check "a word of a footnote finds the odt, the docx and the pdf" test "$(grep -c controle-regies "$TMP/h5")" = 3
hits '"rend compte chaque trimestre"' >"$TMP/h6"
check "a note does not cut the sentence it hangs on" sh -c "grep -q 'controle-regies.odt' '$TMP/h6' && grep -q 'controle-regies.docx' '$TMP/h6'"
hits hippopotame >"$TMP/h3"
check "a word of a spreadsheet cell finds the ods and the xlsx" sh -c "grep -q 'budget.ods' '$TMP/h3' && grep -q 'budget.xlsx' '$TMP/h3'"
hits 6068 >"$TMP/h4"
check "an account number in a numeric cell is found in both" sh -c "grep -q 'budget.ods' '$TMP/h4' && grep -q 'budget.xlsx' '$TMP/h4'"

# omindex as the reference extraction, document by document.
omindex --db "$TMP/odb" --url / "$OUT" >"$TMP/omindex.log" 2>&1
check "omindex indexed the same five files" sh -c "xapian-delve '$TMP/odb' | grep -q 'number of documents = 5'"
for file in controle-regies.odt controle-regies.docx controle-regies.pdf budget.ods budget.xlsx; do
	id=$(xapian-delve -1 -t "U/$file" "$TMP/odb" 2>/dev/null | sed -n '2p')
	case $file in
	*.pdf) format=pdf ;;
	*.odt | *.ods) format=odf ;;
	*) format=ooxml ;;
	esac
	# Known differences, on purpose: Calc's default footer ("Page 1")
	# lives in styles.xml, and headers and footers, which repeat, are not
	# indexed; omindex glues a note's number to the word it hangs on
	# ("compte1"), where Vigie leaves the number out.
	known=
	case $file in *.ods) known=page ;; *.odt) known=compte1 ;; esac
	"$(dirname "$VIGIE")/vigie-extract" --format "$format" <"$OUT/$file" >"$TMP/extract.json"
	check "every word omindex takes from $file, Vigie takes too" \
		sh -c "[ -n '$id' ] && xapian-delve -r '$id' -1 '$TMP/odb' | node '$ROOT/tests/integration/words-covered.mjs' '$TMP/extract.json' '$known'"
done
finish
