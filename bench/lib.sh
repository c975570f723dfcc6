# Shared helpers for the Vigie benchmarks; sourced, not run.
#
# bench_init BUILD_DIR sets:
#   REPO_ROOT  the source tree          VIGIE   the vigie-index binary
#   CORPUS     the corpus folder        RUNS    runs per measure (BENCH_RUNS, 5)
#   TMP        a scratch folder, removed on exit
# It exits 0 with "skipped: corpus not found" when the corpus is absent.
# shellcheck shell=bash

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CORPUS=${VIGIE_CORPUS:-$REPO_ROOT/../shared/corpus}
RUNS=${BENCH_RUNS:-5}

die() {
	echo "$(basename "$0"): error: $*" >&2
	exit 1
}

# corpus_present: true when both bundles are there.
corpus_present() {
	[[ -f $CORPUS/code-de-l-education.bundle && -f $CORPUS/code-du-travail.bundle ]]
}

bench_init() {
	local build=${1:-$REPO_ROOT/build}
	if ! corpus_present; then
		echo "$(basename "$0"): skipped: corpus not found in $CORPUS (set VIGIE_CORPUS)"
		exit 0
	fi
	[[ -x $build/vigie-index ]] || die "$build/vigie-index not found: run make first"
	VIGIE=$(cd "$build" && pwd)/vigie-index
	[[ -x /usr/bin/time ]] || die "/usr/bin/time not found: install the Debian package 'time'"
	[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "BENCH_RUNS must be a positive integer"
	TMP=$(mktemp -d "${TMPDIR:-/tmp}/vigie-bench.XXXXXX")
	trap 'rm -rf "$TMP"' EXIT
	trap 'exit 130' INT TERM
}

# clone_corpus NAME DEST: clones NAME.bundle (code-du-travail, ...) to DEST.
clone_corpus() {
	git clone -q "$CORPUS/$1.bundle" "$2"
}

# measure CMD...: runs CMD with stdout discarded; sets MS (wall time, ms), CPU
# (user + system time, ms) and KB (peak resident set size, KiB), the last two
# from GNU time. Dies if CMD fails.
# shellcheck disable=SC2034 # MS, CPU and KB are for the caller
measure() {
	local t0 t1 out="$TMP/.time"
	t0=$(date +%s%N)
	if ! /usr/bin/time -f '%M %U %S' -o "$out" "$@" >/dev/null; then
		cat "$out" >&2
		die "command failed: $*"
	fi
	t1=$(date +%s%N)
	MS=$(((t1 - t0) / 1000000))
	read -r KB CPU < <(tail -n 1 "$out" | awk '{ printf "%d %d\n", $1, ($2 + $3) * 1000 }')
}

# min, median, max VALUES...: integer statistics (median of an even count is
# the mean of the two middle values, rounded down).
min() { printf '%s\n' "$@" | sort -n | head -n 1; }
max() { printf '%s\n' "$@" | sort -n | tail -n 1; }
median() {
	printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 }
		END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}

# ratio A B: A/B with two decimals.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0) ? a / b : 0 }'; }

# secs MS: "1.23 s"; mib KB: "45.6 MiB".
secs() { awk -v v="$1" 'BEGIN { printf "%.2f s", v / 1000 }'; }
mib() { awk -v v="$1" 'BEGIN { printf "%.1f MiB", v / 1024 }'; }

# verdict VALUE OP LIMIT [UNIT]: "target OP LIMIT: met" or "... MISSED"
# (OP is <= or <).
verdict() {
	local ok unit=${4:+ $4}
	ok=$(awk -v v="$1" -v l="$3" -v op="$2" 'BEGIN { print (op == "<" ? v < l : v <= l) }')
	if [[ $ok == 1 ]]; then
		echo "target $2 $3$unit: met"
	else
		echo "target $2 $3$unit: MISSED"
	fi
}

# status_field DB FIELD: an integer field of `vigie-index status --json`.
status_field() {
	"$VIGIE" status --db "$1" --json | sed -n "s/^ *\"$2\": \([0-9]*\).*/\1/p"
}

# header TITLE: a section title with the conditions of the run.
header() {
	echo
	echo "== $1"
	echo "   $RUNS run(s), interleaved; $(nproc) CPU(s); $(date -u '+%Y-%m-%d %H:%M UTC')"
}
