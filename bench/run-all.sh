#!/usr/bin/env bash
# Runs every Vigie benchmark in sequence. Skips (exit 0) without the corpus;
# installs omindex (xapian-omega) and GNU time (time) when they are missing
# (extract-pdf.sh installs poppler-utils, xapian-tools and libcairo2-dev,
# search-http.sh wrk, lighttpd and nginx, search-log.sh wrk and lighttpd,
# search-remote.sh xapian-tools itself).
# Usage: bench/run-all.sh [BUILD_DIR]   (BENCH_RUNS=5, BENCH_PDFS=200, BENCH_SECONDS=10, VIGIE_CORPUS=...)
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
if ! corpus_present; then
	echo "run-all.sh: skipped: corpus not found in $CORPUS (set VIGIE_CORPUS)"
	exit 0
fi

need omindex xapian-omega
need /usr/bin/time time

build=${1:-$REPO_ROOT/build}
runs="$RUNS run(s) each"
# extract-pdf.sh does 3 runs unless BENCH_RUNS is set.
[[ -n ${BENCH_RUNS:-} ]] || runs+=" (extract-pdf: 3)"
echo "Vigie benchmarks: $build/vigie-index, corpus $CORPUS, $runs"
echo "$(omindex --version | head -n 1); $(git --version); $(nproc) CPU(s)"
failed=()
for b in index-head index-history update-one-commit extract-pdf search-http search-log search-remote scale relevance typos; do
	"$(dirname "$0")/$b.sh" "$build" || failed+=("$b")
done
# Searches again, every one computed: no answer cache.
VIGIE_SERVER_OPTS="--cache 0" "$(dirname "$0")/search-http.sh" "$build" || failed+=("search-http (no cache)")
if ((${#failed[@]})); then
	echo "run-all.sh: failed: ${failed[*]}" >&2
	exit 1
fi
