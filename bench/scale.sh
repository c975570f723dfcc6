#!/usr/bin/env bash
# Vigie on the 75 codes of codes-juridiques-francais.bundle: full index at
# HEAD against omindex on a checkout of the same tree, the whole history
# against HEAD only, peak memory of each (the history's bounded by
# --batch, whatever its length), index size per version, a one-commit
# update on the whole history, and search p50/p99 of the same queries
# (the first BENCH_QUERIES of bench/query-log.pl's log of the Code de
# l'éducation, run once through in one process, bench-search-inproc) over
# the 75 codes against the Code de l'éducation alone. One run each: the
# whole history takes minutes.
# Targets: HEAD <= 0.5 x omindex; history <= 3 x HEAD with peak memory no
# higher than omindex's; one-commit update < 100 ms; search p50 on the 75
# codes <= 2 x its value on one code.
# Usage: bench/scale.sh [BUILD_DIR]   (BENCH_QUERIES=2000, VIGIE_CORPUS=...;
#        SCALE_BUNDLE=code-du-travail: another bundle in place of the 75 codes)
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
bench_init "$@"
inproc=$(built bench-search-inproc)
queries=$(positive_int BENCH_QUERIES 2000)
need omindex xapian-omega
bundle=${SCALE_BUNDLE:-codes-juridiques-francais}
[[ -f $CORPUS/$bundle.bundle ]] || {
	echo "scale.sh: skipped: $CORPUS/$bundle.bundle not found"
	exit 0
}

codes=$TMP/codes edu=$TMP/edu
clone_corpus "$bundle" "$codes"
clone_corpus code-de-l-education "$edu"
header "scale: $bundle, $(git -C "$codes" ls-files | wc -l) files at HEAD, $(git -C "$codes" rev-list --first-parent --count HEAD) commits" \
	"one run each"

measure "$VIGIE" update --repo "$codes" --db "$TMP/head" --head-only --quiet
head_ms=$MS head_cpu=$CPU head_kb=$KB
measure omindex --db "$TMP/omega" --url / --stemmer=french --mime-type=md:text/plain "$codes"
om_ms=$MS om_cpu=$CPU om_kb=$KB
measure "$VIGIE" update --repo "$codes" --db "$TMP/history" --quiet
hist_ms=$MS hist_cpu=$CPU hist_kb=$KB
versions=$(status_field "$TMP/history" versions)
bytes=$(du -sb "$TMP/history" | cut -f1)

fmt='   %-28s %12s %12s %12s\n'
# shellcheck disable=SC2059 # the format is ours
{
	printf "$fmt" "" "wall" "CPU" "peak RSS"
	printf "$fmt" "vigie-index, HEAD only" "$(secs "$head_ms")" "$(secs "$head_cpu")" "$(mib "$head_kb")"
	printf "$fmt" "omindex, HEAD" "$(secs "$om_ms")" "$(secs "$om_cpu")" "$(mib "$om_kb")"
	printf "$fmt" "vigie-index, whole history" "$(secs "$hist_ms")" "$(secs "$hist_cpu")" "$(mib "$hist_kb")"
}
echo "   documents at HEAD: vigie-index $(status_field "$TMP/head" documents), omindex $(delve_docs "$TMP/omega")"
echo "   whole history: $versions versions, index $(awk -v b="$bytes" 'BEGIN { printf "%.1f MiB", b / 1048576 }'), $(awk -v b="$bytes" -v n="$versions" 'BEGIN { printf "%.0f", b / n }') bytes per version"

# One new commit on top of the whole history.
mkdir -p "$codes/veille-juridique"
printf -- '---\ntitre: Note de veille\ndate: %s\ntype: note\nreferences: [R421-58]\n---\nLe fonds de roulement après le prélèvement.\n' \
	"$(date +%F)" >"$codes/veille-juridique/note-bench.md"
git -C "$codes" add veille-juridique
bench_commit "$codes" "Note de veille"
measure "$VIGIE" update --repo "$codes" --db "$TMP/history" --quiet
one_ms=$MS

# The same queries over one code and over the 75.
"$VIGIE" update --repo "$edu" --db "$TMP/edu-history" --quiet >/dev/null
"$REPO_ROOT/bench/query-log.pl" "$edu" "$REPO_ROOT"/bench/relevance/*.tsv >"$TMP/log.txt"
head -n "$queries" "$TMP/log.txt" >"$TMP/queries.txt"
declare -A p50 p99
for db in edu-history history; do
	line=$("$inproc" "$TMP/$db" "$TMP/queries.txt" 1 0) || die "bench-search-inproc failed on $db"
	read -r "p50[$db]" "p99[$db]" < <(awk '{ printf "%.2f %.2f\n", $4 / 1000, $5 / 1000 }' <<<"$line")
done
echo "   search, $(wc -l <"$TMP/queries.txt") queries once each, one thread: Code de l'éducation p50 ${p50[edu-history]} ms p99 ${p99[edu-history]} ms;" \
	"$bundle p50 ${p50[history]} ms p99 ${p99[history]} ms"

r_head=$(ratio "$head_ms" "$om_ms")
r_hist=$(ratio "$hist_ms" "$head_ms")
r_mem=$(ratio "$hist_kb" "$om_kb")
r_search=$(ratio "${p50[history]}" "${p50[edu-history]}")
echo "   HEAD: vigie/omindex wall $r_head: $(verdict "$r_head" '<=' 0.5)"
echo "   whole history/HEAD wall $r_hist: $(verdict "$r_hist" '<=' 3)"
echo "   whole history peak RSS/omindex's $r_mem: $(verdict "$r_mem" '<=' 1)"
echo "   one-commit update on the whole history ${one_ms} ms: $(verdict "$one_ms" '<' 100 ms)"
echo "   search p50, $bundle/one code $r_search: $(verdict "$r_search" '<=' 2)"
