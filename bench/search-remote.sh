#!/usr/bin/env bash
# One local index against the same documents split over remote shards: the
# Code de l'éducation at HEAD searched by one vigie-server from its own
# index, and by another from two indexes (the legislative and the
# regulatory part, each a repository of its own) served by Xapian's
# xapian-tcpsrv on 127.0.0.1, searched as one. Every search computed
# (--cache 0); wrk drives both with the same queries at 8 and 64
# connections for BENCH_SECONDS each. Prints throughput, p50 and p99 and
# the ratios remote/local; checks that both find the same number of
# documents for each query and that no request failed. It reports; the
# ratios have no target.
# Every server listens on 127.0.0.1 only and is stopped, by its PID, on exit.
# Installs wrk and xapian-tools (Debian) when missing.
# Usage: bench/search-remote.sh [BUILD_DIR]   (BENCH_SECONDS=10, VIGIE_CORPUS=...)
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
bench_init "$@"
built vigie-server >/dev/null
duration=$(positive_int BENCH_SECONDS 10)
need wrk wrk
need xapian-tcpsrv xapian-tools

QUERIES=("${SEARCH_QUERIES[@]}")
CONNS=(8 64)
PARTS=(partie-legislative partie-reglementaire)

# ---- The documents: HEAD of the code, whole and in its two parts, each a
# repository of one commit.
clone_corpus code-de-l-education "$TMP/code"
for dest in whole "${PARTS[@]}"; do
	git init -q -b main "$TMP/$dest"
done
git -C "$TMP/code" archive HEAD "${PARTS[@]}" | tar -x -C "$TMP/whole"
for part in "${PARTS[@]}"; do
	git -C "$TMP/code" archive HEAD "$part" | tar -x -C "$TMP/$part"
done
for dest in whole "${PARTS[@]}"; do
	git -C "$TMP/$dest" add -A
	bench_commit "$TMP/$dest" "HEAD du Code de l'éducation ($dest)"
	"$VIGIE" update --repo "$TMP/$dest" --db "$TMP/index-$dest" --quiet >/dev/null
done

# ---- The remote shards: one xapian-tcpsrv per part.
remote_conf=$TMP/remote.conf
: >"$remote_conf"
for part in "${PARTS[@]}"; do
	port=$(free_port)
	# In a process group of its own: on SIGTERM, xapian-tcpsrv signals
	# its whole group (its forked children), which must not include us.
	start_bg "tcpsrv-$part" setsid xapian-tcpsrv --interface 127.0.0.1 --port "$port" \
		"$(readlink -f "$TMP/index-$part/current")"
	wait_log "$BG_PID" "tcpsrv-$part" 'Listening' >/dev/null
	printf '[repository %s]\npath = %s\nindex = tcp://127.0.0.1:%s\nread = anonymous\n\n' \
		"$part" "$TMP/$part" "$port" >>"$remote_conf"
done
printf '[repository whole]\npath = %s\nindex = %s\nread = anonymous\n' "$TMP/whole" "$TMP/index-whole" >"$TMP/local.conf"

start_vigie vigie-local --config "$TMP/local.conf" --web "$REPO_ROOT/web" --cache 0 --watch-ms 0
local_pid=$BG_PID local_url=$VIGIE_URL
start_vigie vigie-remote --config "$remote_conf" --web "$REPO_ROOT/web" --cache 0 --watch-ms 0
remote_pid=$BG_PID remote_url=$VIGIE_URL

# ---- The same documents: the same totals for every query.
paths=()
for q in "${QUERIES[@]}"; do
	p="/api/search?q=$(urlencode "$q")"
	paths+=("$p")
	a=$(curl -sf --max-time 30 "$local_url$p" | sed -n 's/.*"total":\([0-9]*\),.*/\1/p')
	b=$(curl -sf --max-time 30 "$remote_url$p" | sed -n 's/.*"total":\([0-9]*\),.*/\1/p')
	check "« $q »: $a document(s) locally, $b over the remote shards" test -n "$a" -a "$a" = "$b"
done

header "search, one local index vs two remote shards (xapian-tcpsrv), every search computed" \
	"$(git -C "$TMP/whole" ls-files | wc -l) files of HEAD, parts ${PARTS[*]}; $duration s per run"
row='   %-12s %12s %12s %8s %18s %18s\n'
# shellcheck disable=SC2059 # the format is ours
printf "$row" connections "local req/s" "remote req/s" ratio "local p50/p99 ms" "remote p50/p99 ms"
for c in "${CONNS[@]}"; do
	wrk_run "local-$c" "$local_url" "$c" "$duration" "${paths[@]}"
	l_rps=$RPS l_p50=$P50 l_p99=$P99 l_errs=$ERRS
	wrk_run "remote-$c" "$remote_url" "$c" "$duration" "${paths[@]}"
	# shellcheck disable=SC2059
	printf "$row" "$c" "$l_rps" "$RPS" "$(ratio "$RPS" "$l_rps")" "$l_p50 / $l_p99" "$P50 / $P99"
	check "no failed request at $c connections (local $l_errs, remote $ERRS)" test "$l_errs" -eq 0 -a "$ERRS" -eq 0
done
echo "   peak memory: local server $(mib "$(vm_hwm_kb "$local_pid")"), remote server $(mib "$(vm_hwm_kb "$remote_pid")")"
checks_done
