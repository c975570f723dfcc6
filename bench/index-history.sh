#!/usr/bin/env bash
# Full first-parent history versus HEAD only, for the Code de l'éducation
# (target: history/HEAD <= 3) and the Code du travail, runs interleaved,
# fresh databases each run; then peak memory of both corpora side by side,
# to show it stays bounded whatever the length of the history.
# Usage: bench/index-history.sh [BUILD_DIR]   (BENCH_RUNS=5, VIGIE_CORPUS=...)
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
bench_init "$@"

# Figures per corpus, for the summary.
declare -A commits versions hist_kb head_kb

# run_corpus NAME LABEL: measures and prints one corpus.
run_corpus() {
	local name=$1 repo=$TMP/$1 h_ms=() h_cpu=() h_kb=() o_ms=() o_cpu=() o_kb=() i
	clone_corpus "$name" "$repo"
	commits[$name]=$(git -C "$repo" rev-list --first-parent --count HEAD)
	header "index-history: $2, ${commits[$name]} commits, whole history vs HEAD only"
	for ((i = 1; i <= RUNS; i++)); do
		rm -rf "$TMP/hdb" "$TMP/odb"
		measure "$VIGIE" update --repo "$repo" --db "$TMP/hdb" --quiet
		h_ms+=("$MS") h_cpu+=("$CPU") h_kb+=("$KB")
		measure "$VIGIE" update --repo "$repo" --db "$TMP/odb" --head-only --quiet
		o_ms+=("$MS") o_cpu+=("$CPU") o_kb+=("$KB")
	done
	versions[$name]=$(status_field "$TMP/hdb" versions)
	hist_kb[$name]=$(max "${h_kb[@]}") head_kb[$name]=$(max "${o_kb[@]}")
	echo "   versions indexed: history ${versions[$name]}, HEAD only $(status_field "$TMP/odb" versions)"
	local fmt='   %-20s %10s %12s %12s %12s\n'
	# shellcheck disable=SC2059 # the format is ours
	{
		printf "$fmt" "" "wall min" "wall median" "CPU median" "peak RSS"
		printf "$fmt" "whole history" "$(secs "$(min "${h_ms[@]}")")" "$(secs "$(median "${h_ms[@]}")")" "$(secs "$(median "${h_cpu[@]}")")" "$(mib "${hist_kb[$name]}")"
		printf "$fmt" "HEAD only" "$(secs "$(min "${o_ms[@]}")")" "$(secs "$(median "${o_ms[@]}")")" "$(secs "$(median "${o_cpu[@]}")")" "$(mib "${head_kb[$name]}")"
		printf "$fmt" "history/HEAD" "$(ratio "$(min "${h_ms[@]}")" "$(min "${o_ms[@]}")")" \
			"$(ratio "$(median "${h_ms[@]}")" "$(median "${o_ms[@]}")")" \
			"$(ratio "$(median "${h_cpu[@]}")" "$(median "${o_cpu[@]}")")" "$(ratio "${hist_kb[$name]}" "${head_kb[$name]}")"
	}
	RATIO=$(ratio "$(median "${h_ms[@]}")" "$(median "${o_ms[@]}")")
	rm -rf "$repo" "$TMP/hdb" "$TMP/odb"
}

run_corpus code-de-l-education "Code de l'éducation"
echo "   wall time ratio (median) $RATIO: $(verdict "$RATIO" '<=' 3)"
run_corpus code-du-travail "Code du travail"
echo "   wall time ratio (median) $RATIO (no target for this corpus)"

e=code-de-l-education t=code-du-travail
echo
echo "== index-history: both corpora side by side (peak RSS: max over runs)"
fmt='   %-20s %12s %12s %14s\n'
# shellcheck disable=SC2059 # the format is ours
{
	printf "$fmt" "" "education" "travail" "travail/educ"
	printf "$fmt" "commits" "${commits[$e]}" "${commits[$t]}" "$(ratio "${commits[$t]}" "${commits[$e]}")"
	printf "$fmt" "versions" "${versions[$e]}" "${versions[$t]}" "$(ratio "${versions[$t]}" "${versions[$e]}")"
	printf "$fmt" "peak RSS, history" "$(mib "${hist_kb[$e]}")" "$(mib "${hist_kb[$t]}")" "$(ratio "${hist_kb[$t]}" "${hist_kb[$e]}")"
	printf "$fmt" "peak RSS, HEAD only" "$(mib "${head_kb[$e]}")" "$(mib "${head_kb[$t]}")" "$(ratio "${head_kb[$t]}" "${head_kb[$e]}")"
}
