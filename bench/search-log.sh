#!/usr/bin/env bash
# Search with a real query log on the Code de l'éducation (whole history
# indexed): over 5,000 distinct queries (word pairs and triples of its
# articles, their references in the spellings users type, the judged
# questions; bench/query-log.pl), replayed by wrk (2 threads, 8 and 64
# connections, BENCH_SECONDS each, each connection taking the log in turn)
# against vigie-server with its default settings, against it with the
# answer cache off (every search computed), against Xapian's Omega CGI
# (lighttpd), and, as the ceiling, the same searches done in one process
# without HTTP (build/bench-search-inproc: vg_search_run as the server
# calls it, one searcher per thread, 8 and 64 threads).
# Targets (issue "every search computed"): Vigie without cache at 64
# connections >= 20 x Omega and >= 0.60 x the in-process ceiling, p99 < 10 ms
# at 8 connections, peak RSS < 64 MiB; no error from any server.
# Every server listens on 127.0.0.1 only and is stopped, by its PID, on exit.
# Installs wrk, lighttpd and xapian-omega (Debian) when missing.
# Usage: bench/search-log.sh [BUILD_DIR]   (BENCH_SECONDS=10, VIGIE_CORPUS=...)
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
bench_init "$@"
inproc=$(built bench-search-inproc)
duration=$(positive_int BENCH_SECONDS 10)
need wrk wrk
need_omega
CONNS=(8 64)

repo=$TMP/edu
clone_corpus code-de-l-education "$repo"
"$VIGIE" update --repo "$repo" --db "$TMP/vdb" --quiet >/dev/null
"$REPO_ROOT/bench/query-log.pl" "$repo" "$REPO_ROOT"/bench/relevance/*.tsv >"$TMP/queries.txt"
n_queries=$(wc -l <"$TMP/queries.txt")
((n_queries >= 5000)) || die "only $n_queries queries in the log"
# The same log as paths of each server, URL-encoded byte by byte.
# shellcheck disable=SC2016 # Perl code, not a shell expansion
encode='chomp; s/([^A-Za-z0-9.~_-])/sprintf("%%%02X", ord $1)/ge;'
perl -ne "$encode print \"/api/search?q=\$_\\n\"" "$TMP/queries.txt" >"$TMP/vigie.paths"
perl -ne "$encode print \"/omega?DB=default&P=\$_\\n\"" "$TMP/queries.txt" >"$TMP/omega.paths"

header "search-log: $n_queries distinct queries on the Code de l'éducation, $(status_field "$TMP/vdb" versions) versions indexed" \
	"wrk, 2 threads, ${CONNS[0]} and ${CONNS[1]} connections, ${duration} s each; in-process: as many threads"
head -n 5 "$TMP/queries.txt" | sed 's/^/     e.g. /'

declare -A rps p50 p99 errs reqs kb
# run_target KEY URL PATHS: a 1 s warm-up, then wrk at each of CONNS.
run_target() {
	local key=$1 url=$2 c
	wrk_run "$key-warmup" "$url" 8 1 "@$3"
	for c in "${CONNS[@]}"; do
		wrk_run "$key-$c" "$url" "$c" "$duration" "@$3"
		rps[$key,$c]=$RPS p50[$key,$c]=$P50 p99[$key,$c]=$P99 errs[$key,$c]=$ERRS reqs[$key,$c]=$REQS
	done
}
for key in default nocache; do
	opts=()
	[[ $key == nocache ]] && opts=(--cache 0)
	start_vigie "vigie-$key" --repo "$repo" --index "$TMP/vdb" --web "$REPO_ROOT/web" "${opts[@]}"
	pid=$BG_PID
	run_target "$key" "$VIGIE_URL" "$TMP/vigie.paths"
	kb[$key]=$(vm_hwm_kb "$pid")
	stop_bg "$pid"
done
start_omega "$repo"
run_target omega "$OMEGA_URL" "$TMP/omega.paths"
stop_bg "$OMEGA_PID"
for c in "${CONNS[@]}"; do
	line=$("$inproc" "$TMP/vdb" "$TMP/queries.txt" "$c" "$duration") ||
		die "bench-search-inproc failed with $c threads"
	read -r "reqs[inproc,$c]" "rps[inproc,$c]" "p50[inproc,$c]" "p99[inproc,$c]" "errs[inproc,$c]" < <(awk '{
		printf "%d %.1f %.2f %.2f %d\n", $2, $2 / ($3 / 1e6), $4 / 1000, $5 / 1000, $6 }' <<<"$line")
done

fmt='   %-40s %9s %9s %10s %10s %7s\n'
# shellcheck disable=SC2059 # the format is ours
{
	printf "$fmt" "" "requests" "req/s" "p50" "p99" "errors"
	for key in default nocache omega inproc; do
		case $key in
		default) label="vigie-server, defaults" ;;
		nocache) label="vigie-server, --cache 0" ;;
		omega) label="Omega CGI (lighttpd)" ;;
		inproc) label="in-process vg_search_run" ;;
		esac
		for c in "${CONNS[@]}"; do
			unit="conn."
			[[ $key == inproc ]] && unit="threads"
			printf "$fmt" "$label, $c $unit" "${reqs[$key,$c]}" "${rps[$key,$c]}" \
				"${p50[$key,$c]} ms" "${p99[$key,$c]} ms" "${errs[$key,$c]}"
		done
	done
}
echo "   vigie-server peak RSS (VmHWM): defaults $(mib "${kb[default]}"), --cache 0 $(mib "${kb[nocache]}")"

lo=${CONNS[0]} hi=${CONNS[-1]}
for key in default nocache; do
	echo "   $key: Vigie/Omega $(ratio "${rps[$key,$lo]}" "${rps[omega,$lo]}") at $lo, $(ratio "${rps[$key,$hi]}" "${rps[omega,$hi]}") at $hi;" \
		"Vigie/in-process $(ratio "${rps[$key,$lo]}" "${rps[inproc,$lo]}") at $lo, $(ratio "${rps[$key,$hi]}" "${rps[inproc,$hi]}") at $hi"
done
r_omega=$(ratio "${rps[nocache,$hi]}" "${rps[omega,$hi]}")
r_ceiling=$(ratio "${rps[nocache,$hi]}" "${rps[inproc,$hi]}")
mib_nocache=$(awk -v k="${kb[nocache]}" 'BEGIN { printf "%.1f", k / 1024 }')
echo "   every search computed, Vigie/Omega at $hi connections $r_omega: $(verdict "$r_omega" '>=' 20)"
echo "   every search computed, Vigie/in-process at $hi $r_ceiling: $(verdict "$r_ceiling" '>=' 0.60)"
echo "   every search computed, Vigie p99 at $lo connections ${p99[nocache,$lo]} ms: $(verdict "${p99[nocache,$lo]}" '<' 10 ms)"
echo "   every search computed, Vigie peak RSS $mib_nocache MiB: $(verdict "$mib_nocache" '<' 64 MiB)"
n=0
for key in default nocache omega inproc; do
	for c in "${CONNS[@]}"; do
		n=$((n + ${errs[$key,$c]}))
	done
done
echo "   errors (non-2xx, socket, timeout, failed searches) $n: $( ((n == 0)) && echo "target 0: met" || echo "target 0: MISSED")"
