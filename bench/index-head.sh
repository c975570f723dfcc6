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

docs_o="?"
command -v xapian-delve >/dev/null &&
	docs_o=$(xapian-delve "$TMP/odb" | sed -n 's/^number of documents = //p')
echo "   documents indexed: vigie-index $(status_field "$TMP/vdb" documents), omindex $docs_o"

fmt='   %-20s %10s %12s %12s %12s\n'
# shellcheck disable=SC2059 # the format is ours
{
	printf "$fmt" "" "wall min" "wall median" "CPU median" "peak RSS"
	printf "$fmt" vigie-index "$(secs "$(min "${v_ms[@]}")")" "$(secs "$(median "${v_ms[@]}")")" "$(secs "$(median "${v_cpu[@]}")")" "$(mib "$(max "${v_kb[@]}")")"
	printf "$fmt" omindex "$(secs "$(min "${o_ms[@]}")")" "$(secs "$(median "${o_ms[@]}")")" "$(secs "$(median "${o_cpu[@]}")")" "$(mib "$(max "${o_kb[@]}")")"
	r_min=$(ratio "$(min "${v_ms[@]}")" "$(min "${o_ms[@]}")")
	r_med=$(ratio "$(median "${v_ms[@]}")" "$(median "${o_ms[@]}")")
	printf "$fmt" "vigie/omindex" "$r_min" "$r_med" "$(ratio "$(median "${v_cpu[@]}")" "$(median "${o_cpu[@]}")")" "$(ratio "$(max "${v_kb[@]}")" "$(max "${o_kb[@]}")")"
}
echo "   wall time ratio (median) $r_med: $(verdict "$r_med" '<=' 0.5)"
