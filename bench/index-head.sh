#!/usr/bin/env bash
# Full index of the Code de l'éducation at HEAD: vigie-index (reading git
# objects) versus omindex (reading a checkout of the same tree), fresh
# databases each run, runs interleaved. Target: vigie/omindex <= 0.5.
# Usage: bench/index-head.sh [BUILD_DIR]   (BENCH_RUNS=5, VIGIE_CORPUS=...)
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
bench_init "$@"
command -v omindex >/dev/null || die "omindex not found: install the Debian package xapian-omega"

repo=$TMP/edu
clone_corpus code-de-l-education "$repo"

header "index-head: Code de l'éducation at HEAD ($(git -C "$repo" ls-files | wc -l) files)"
v_ms=() v_cpu=() v_kb=() o_ms=() o_cpu=() o_kb=()
for ((i = 1; i <= RUNS; i++)); do
	rm -rf "$TMP/vdb" "$TMP/odb"
	measure "$VIGIE" update --repo "$repo" --db "$TMP/vdb" --head-only --quiet
	v_ms+=("$MS") v_cpu+=("$CPU") v_kb+=("$KB")
	measure omindex --db "$TMP/odb" --url / --stemmer=french --mime-type=md:text/plain "$repo"
	o_ms+=("$MS") o_cpu+=("$CPU") o_kb+=("$KB")
done

echo "   documents indexed: vigie-index $(status_field "$TMP/vdb" documents), omindex $(delve_docs "$TMP/odb")"

table_head
table_row vigie-index v
table_row omindex o
table_ratio vigie/omindex v o
echo "   wall time ratio (median) $R_MED: $(verdict "$R_MED" '<=' 0.5)"
