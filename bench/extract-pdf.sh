#!/usr/bin/env bash
# Extraction and indexing of a folder of PDFs: vigie-index update (a git
# repository of the PDFs, text extracted by vigie-extract with poppler)
# versus omindex (a plain folder of the same files, text extracted by
# pdftotext), fresh databases each run, runs interleaved. The PDFs are made
# here with cairo from the Code de l'éducation: BENCH_PDFS of them (200),
# of 1 to 6 pages, one article a page. Then vigie-index rebuild of the same
# repository, which must take every text from the extraction cache
# (INDEX/extracts/), against the first index. No target for vigie/omindex.
# Checks: both tools indexed every PDF, a word of page 3 of a PDF is found
# by Vigie with "page": 3, the rebuild extracted nothing again.
# Installs poppler-utils (pdftotext), xapian-tools (xapian-delve),
# xapian-omega (omindex) and libcairo2-dev when missing.
# Usage: bench/extract-pdf.sh [BUILD_DIR]   (BENCH_RUNS=3, BENCH_PDFS=200, VIGIE_CORPUS=...)
set -euo pipefail
# Three runs unless told otherwise: each one extracts every page again.
: "${BENCH_RUNS:=3}"
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
bench_init "$@"
npdfs=${BENCH_PDFS:-200}
if ! [[ $npdfs =~ ^[1-9][0-9]*$ ]] || ((npdfs < 6)); then
	die "BENCH_PDFS must be an integer >= 6"
fi

need omindex xapian-omega
need pdftotext poppler-utils
need xapian-delve xapian-tools
need cc gcc
need_pc cairo libcairo2-dev

# ---- The PDF maker: a small C program on cairo's PDF surface.
cat >"$TMP/mkpdf.c" <<'EOF'
/* mkpdf: makes PDFs of legal-code articles with cairo, one article per A4
 * page. Reads lines "OUT.pdf<TAB>ARTICLE.md[<TAB>ARTICLE.md...]" on standard
 * input. An article's first line ("# Article L312-15") is its title, each
 * other line one paragraph, word-wrapped at WRAP characters; what does not
 * fit on its page is left out, so that page N is always article N. */
#include <cairo-pdf.h>
#include <cairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE_W 595.0 /* A4, in points */
#define PAGE_H 842.0
#define MARGIN 56.0
#define WRAP 90 /* characters per line */
#define FONT "Liberation Serif"

/* Characters (not bytes) in the UTF-8 text S[0..N). */
static size_t chars(const char *s, size_t n)
{
	size_t c = 0;
	for (size_t i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xC0) != 0x80;
	return c;
}

static void font(cairo_t *cr, cairo_font_weight_t weight, double size)
{
	cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL, weight);
	cairo_set_font_size(cr, size);
}

/* Draws the text S[0..N) at *Y, then moves *Y down by LEAD; 0 when the page
 * is full. */
static int show(cairo_t *cr, double *y, double lead, char *s, size_t n)
{
	if (*y > PAGE_H - MARGIN)
		return 0;
	char keep = s[n];
	s[n] = '\0';
	cairo_move_to(cr, MARGIN, *y);
	cairo_show_text(cr, s);
	s[n] = keep;
	*y += lead;
	return 1;
}

/* Draws the paragraph P, word-wrapped; 0 when the page is full. */
static int paragraph(cairo_t *cr, double *y, char *p)
{
	while (*p == ' ')
		p++;
	while (*p) {
		char *end = p;
		size_t n = 0;
		for (;;) { /* one word more while the line stays within WRAP */
			char *w = end;
			while (*w == ' ')
				w++;
			char *we = w;
			while (*we && *we != ' ')
				we++;
			size_t add = chars(end, (size_t)(we - end));
			if (w == we || (end > p && n + add > WRAP))
				break;
			n += add;
			end = we;
		}
		if (!show(cr, y, 13.0, p, (size_t)(end - p)))
			return 0;
		for (p = end; *p == ' ';)
			p++;
	}
	*y += 5.0; /* space between paragraphs */
	return 1;
}

/* Draws the article file PATH on a page of its own. */
static void article(cairo_t *cr, const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		perror(path);
		exit(1);
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	double y = MARGIN + 16.0;
	int first = 1, room = 1;
	while (room && (len = getline(&line, &cap, f)) >= 0) {
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (first && strncmp(line, "# ", 2) == 0) {
			font(cr, CAIRO_FONT_WEIGHT_BOLD, 14.0);
			show(cr, &y, 24.0, line + 2, (size_t)len - 2);
			font(cr, CAIRO_FONT_WEIGHT_NORMAL, 10.5);
		} else if (len > 0) {
			room = paragraph(cr, &y, line);
		}
		first = 0;
	}
	free(line);
	fclose(f);
	cairo_show_page(cr);
}

int main(void)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	while ((len = getline(&line, &cap, stdin)) > 0) {
		if (line[len - 1] == '\n')
			line[len - 1] = '\0';
		char *save = NULL, *out = strtok_r(line, "\t", &save);
		cairo_surface_t *pdf = cairo_pdf_surface_create(out, PAGE_W, PAGE_H);
		/* A fixed date, so that the same articles make the same file. */
		cairo_pdf_surface_set_metadata(pdf, CAIRO_PDF_METADATA_CREATE_DATE, "2020-09-01T00:00:00Z");
		cairo_pdf_surface_set_metadata(pdf, CAIRO_PDF_METADATA_CREATOR, "Vigie bench/extract-pdf.sh");
		cairo_t *cr = cairo_create(pdf);
		font(cr, CAIRO_FONT_WEIGHT_NORMAL, 10.5);
		for (char *path; (path = strtok_r(NULL, "\t", &save));)
			article(cr, path);
		cairo_destroy(cr);
		cairo_surface_finish(pdf);
		if (cairo_surface_status(pdf) != CAIRO_STATUS_SUCCESS) {
			fprintf(stderr, "mkpdf: %s: %s\n", out, cairo_status_to_string(cairo_surface_status(pdf)));
			return 1;
		}
		cairo_surface_destroy(pdf);
	}
	free(line);
	return 0;
}
EOF
read -ra cairo_flags < <(pkg-config --cflags --libs cairo)
cc -O2 -Wall -Wextra -o "$TMP/mkpdf" "$TMP/mkpdf.c" "${cairo_flags[@]}"

# rare_word ARTICLE FILE...: a word of ARTICLE's first paragraph that no
# other FILE has, compared in lower case; only words of a-z and à-ÿ. Rather
# one whose first 8 bytes (about its stem) no other FILE has either, so that
# stemming finds it nowhere else; the longest (then the first in byte order)
# of those. Empty if there is none.
rare_word() {
	local target=$1
	shift
	LC_ALL=C awk -v target="$target" '
		FNR == 1 { next } # the title
		{
			s = tolower($0)
			# No-break spaces, guillemets, typographic apostrophes and
			# dashes separate words, like ASCII punctuation.
			gsub(/\302[\200-\277]|\342\200[\200-\277]/, " ", s)
			n = split(s, w, /[^a-z\200-\277\303]+/)
			for (i = 1; i <= n; i++) {
				if (w[i] == "")
					continue
				if (!((FILENAME, w[i]) in seen)) {
					seen[FILENAME, w[i]] = 1
					df[w[i]]++
				}
				k = substr(w[i], 1, 8)
				if (!((FILENAME, "^" k) in seen)) {
					seen[FILENAME, "^" k] = 1
					dfk[k]++
				}
			}
			if (FILENAME == target && !got && NF) {
				for (i = 1; i <= n; i++)
					if (w[i] ~ /^([a-z]|\303[\240-\277])+$/)
						cand[w[i]] = 1
				got = 1
			}
		}
		function better(c, b) {
			return length(c) > length(b) || (length(c) == length(b) && c < b)
		}
		END {
			for (c in cand) {
				if (dfk[substr(c, 1, 8)] == 1 && better(c, stem))
					stem = c
				if (df[c] == 1 && better(c, word))
					word = c
			}
			print (stem != "") ? stem : word
		}' "$@"
}

# ---- The PDFs: PDF i has ((i - 1) % 6) + 1 pages; the articles, in path
# order, are taken at a fixed stride so that the selection spans the code.
edu=$TMP/edu
clone_corpus code-de-l-education "$edu"
mapfile -t articles < <(git -C "$edu" ls-files -- '*article-*.md' | LC_ALL=C sort)
((${#articles[@]})) || die "no article-*.md file in the Code de l'éducation"
npages=0
for ((i = 0; i < npdfs; i++)); do
	npages=$((npages + i % 6 + 1))
done
stride=$((${#articles[@]} / npages))
((stride >= 1)) || stride=1

pdfs=$TMP/pdfs
mkdir "$pdfs"
selected=()    # the articles, one per page of every PDF
check_pdf=''   # PDF 6, of 6 pages ...
check_art=''   # ... and the article on its page 3
page=0
for ((i = 1; i <= npdfs; i++)); do
	printf -v name 'doc-%0*d.pdf' "${#npdfs}" "$i"
	line=$pdfs/$name
	for ((p = 1; p <= (i - 1) % 6 + 1; p++)); do
		art=$edu/${articles[page * stride % ${#articles[@]}]}
		selected+=("$art")
		line+=$'\t'$art
		if ((i == 6 && p == 3)); then
			check_pdf=$name check_art=$art
		fi
		page=$((page + 1))
	done
	printf '%s\n' "$line"
done >"$TMP/manifest"
"$TMP/mkpdf" <"$TMP/manifest"
[[ $(find "$pdfs" -name '*.pdf' | wc -l) == "$npdfs" ]] || die "mkpdf did not make $npdfs PDFs"

# The same files in a git repository, for Vigie.
repo=$TMP/repo
mkdir "$repo"
cp "$pdfs"/*.pdf "$repo"/
git -C "$repo" init -q
git -C "$repo" add .
bench_commit "$repo" "$npdfs PDF du code de l'éducation"

header "extract-pdf: $npdfs PDFs, $npages pages, $(mib "$(du -sk "$pdfs" | cut -f 1)"), made with cairo from the Code de l'éducation"
v_ms=() v_cpu=() v_kb=() o_ms=() o_cpu=() o_kb=()
for ((i = 1; i <= RUNS; i++)); do
	rm -rf "$TMP/vdb" "$TMP/odb"
	measure "$VIGIE" update --repo "$repo" --db "$TMP/vdb" --quiet
	v_ms+=("$MS") v_cpu+=("$CPU") v_kb+=("$KB")
	measure omindex --db "$TMP/odb" --url / --stemmer=french "$pdfs"
	o_ms+=("$MS") o_cpu+=("$CPU") o_kb+=("$KB")
done
docs_v=$(status_field "$TMP/vdb" documents)
docs_o=$(delve_docs "$TMP/odb")
echo "   documents indexed: vigie-index $docs_v, omindex $docs_o (of $npdfs PDFs)"

# A word of page 3, searched for: Vigie's hit on that PDF must say page 3.
word=$(rare_word "$check_art" "${selected[@]}")
[[ -n $word ]] || die "no word of ${check_art#"$edu"/} is found in no other article"
hit_page=$("$VIGIE" search --db "$TMP/vdb" --json --limit 100 "$word" |
	grep -o "\"path\":\"${check_pdf//./\\.}\"[^}]*\"page\":[0-9]*" | sed 's/.*"page"://') || true
echo "   search \"$word\" (page 3 of $check_pdf, ${check_art##*/}): hit on page ${hit_page:-(none)}"

# ---- The rebuild of the last index: every text from INDEX/extracts/.
touch "$TMP/before-rebuild"
r_ms=() r_cpu=() r_kb=()
for ((i = 1; i <= RUNS; i++)); do
	measure "$VIGIE" rebuild --repo "$repo" --db "$TMP/vdb" --quiet
	r_ms+=("$MS") r_cpu+=("$CPU") r_kb+=("$KB")
done
extracts=$(find "$TMP/vdb/extracts" -type f -name '*.json' | wc -l)
rewritten=$(find "$TMP/vdb/extracts" -type f -newer "$TMP/before-rebuild" | wc -l)
docs_r=$(status_field "$TMP/vdb" documents)
echo "   rebuild: $docs_r documents, $extracts texts in INDEX/extracts/, $rewritten written again"

table_head
table_row vigie-index v
table_row omindex o
table_ratio vigie/omindex v o
r_vo=$R_MED
table_row "vigie-index rebuild" r
table_ratio "rebuild/first index" r v
r_rebuild=$R_MED
echo "   peak RSS: the largest process of each tree (vigie-index or a vigie-extract; omindex or a pdftotext)"
echo "   wall time ratio vigie/omindex (median): $r_vo (no target)"
echo "   wall time ratio rebuild/first index (median): $r_rebuild: $(verdict "$r_rebuild" '<' 1)"
check "vigie-index indexed every PDF" test "$docs_v" = "$npdfs"
check "omindex indexed every PDF" test "$docs_o" = "$npdfs"
check "a word of page 3 is found on page 3" test "$hit_page" = 3
check "the rebuild indexed every PDF" test "$docs_r" = "$npdfs"
check "the rebuild extracted nothing again" test "$extracts" = "$npdfs" -a "$rewritten" = 0
checks_done
