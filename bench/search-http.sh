#!/usr/bin/env bash
# Search over HTTP on the Code de l'éducation (whole history indexed):
# vigie-server's GET /api/search versus Xapian's Omega CGI (under lighttpd,
# on an omindex index of a checkout of the same tree), and, as the ceiling,
# one saved /api/search answer served as a static file by nginx. wrk drives
# each server with 2 threads at 2 and at 64 connections for BENCH_SECONDS
# each, every connection taking a list of French queries in turn.
# Targets: Vigie/Omega throughput >= 50 and Vigie/static >= 0.30 (both at 64
# connections), Vigie p99 < 10 ms at 64 connections, Vigie peak RSS < 64 MiB,
# no error (non-2xx answer, socket error or timeout) from any server.
# Every server listens on 127.0.0.1 only and is stopped, by its PID, on exit.
# Installs wrk, lighttpd, nginx and xapian-omega (Debian) when missing.
# Usage: bench/search-http.sh [BUILD_DIR]   (BENCH_SECONDS=10, VIGIE_CORPUS=...)
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
bench_init "$@"
built vigie-server >/dev/null
duration=$(positive_int BENCH_SECONDS 10)

need wrk wrk
need_omega
need /usr/sbin/nginx nginx

QUERIES=("${SEARCH_QUERIES[@]}")
CONNS=(2 64)

repo=$TMP/edu
clone_corpus code-de-l-education "$repo"

# ---- Vigie: the whole history indexed, the server on a port of its choice.
"$VIGIE" update --repo "$repo" --db "$TMP/vdb" --quiet >/dev/null
# VIGIE_SERVER_OPTS adds options, e.g. "--cache 0" to measure every search
# computed (the 8 rotating queries are otherwise answered from the cache).
read -ra server_opts <<<"${VIGIE_SERVER_OPTS:-}"
echo "   vigie-server options: ${VIGIE_SERVER_OPTS:-(defaults: answer cache on)}"
start_vigie vigie-server --repo "$repo" --index "$TMP/vdb" --web "$REPO_ROOT/web" "${server_opts[@]}"
vigie_pid=$BG_PID vigie_url=$VIGIE_URL

# ---- Omega: omindex on a checkout, the CGI under our own lighttpd.
start_omega "$repo"
omega_pid=$OMEGA_PID omega_url=$OMEGA_URL

# ---- The ceiling: nginx serving a saved answer of /api/search.
ng=$TMP/nginx
mkdir -p "$ng/html" "$ng/temp"
curl -sf --max-time 10 -o "$ng/html/search.json" \
	"$vigie_url/api/search?q=$(urlencode "${QUERIES[0]}")" || die "no answer from vigie-server"
# nginx workers run as nobody when started by root: let them reach the file.
chmod 711 "$TMP" "$ng"
chmod 755 "$ng/html"
chmod 644 "$ng/html/search.json"
port=$(free_port)
cat >"$ng/nginx.conf" <<EOF
daemon off;
worker_processes auto;
pid $ng/nginx.pid;
error_log stderr warn;
events { worker_connections 1024; }
http {
	access_log off;
	client_body_temp_path $ng/temp/body;
	proxy_temp_path $ng/temp/proxy;
	fastcgi_temp_path $ng/temp/fastcgi;
	uwsgi_temp_path $ng/temp/uwsgi;
	scgi_temp_path $ng/temp/scgi;
	types { application/json json; }
	sendfile on;
	keepalive_requests 1000000;
	server {
		listen 127.0.0.1:$port;
		root $ng/html;
	}
}
EOF
start_bg nginx /usr/sbin/nginx -p "$ng" -c "$ng/nginx.conf" -e stderr
static_pid=$BG_PID
static_url=http://127.0.0.1:$port
wait_http "$static_pid" nginx "$static_url/search.json"
curl -sf --max-time 10 "$static_url/search.json" | cmp -s - "$ng/html/search.json" ||
	die "nginx on $static_url does not serve the saved answer"

# ---- The same queries for all three, URL-encoded.
vigie_paths=() omega_paths=() static_paths=()
for q in "${QUERIES[@]}"; do
	e=$(urlencode "$q")
	vigie_paths+=("/api/search?q=$e")
	omega_paths+=("/omega?DB=default&P=$e")
	static_paths+=("/search.json?q=$e")
done

header "search-http: GET /api/search on the Code de l'éducation, $(status_field "$TMP/vdb" versions) versions indexed" \
	"wrk, 2 threads, ${CONNS[0]} and ${CONNS[1]} connections, ${duration} s each, ${#QUERIES[@]} queries in turn"

# Both search engines must find something for every query before being timed.
echo "   hits per query (Vigie: total matches; Omega: its estimate):"
for ((i = 0; i < ${#QUERIES[@]}; i++)); do
	json=$(curl -sf --max-time 10 "$vigie_url${vigie_paths[i]}") || die "vigie-server failed on «${QUERIES[i]}»"
	v=$(sed -n 's/^{.*"total": *\([0-9]*\).*/\1/p' <<<"$json")
	page=$(curl -sf --max-time 10 "$omega_url${omega_paths[i]}") || die "Omega failed on «${QUERIES[i]}»"
	o=$(sed -En '/(of (about |exactly )?|All )[0-9,]+ matches/ { s/.*(of (about |exactly )?|All )([0-9,]+) matches.*/\3/p; q }' <<<"$page")
	[[ $v =~ ^[1-9] ]] || die "Vigie finds nothing for «${QUERIES[i]}»"
	grep -q 'name=R value=[0-9]' <<<"$page" || die "Omega finds nothing for «${QUERIES[i]}»"
	# printf pads bytes, not characters: pad the accented query by hand.
	printf '     %s%*s %6s %6s\n' "${QUERIES[i]}" $((32 - ${#QUERIES[i]})) "" "$v" "${o:-?}"
done
echo "   static file: $(stat -c %s "$ng/html/search.json") bytes (the answer to «${QUERIES[0]}»)"

declare -A rps p50 p99 errs reqs
# run_target KEY URL PATH...: a 1 s warm-up, then wrk at each of CONNS.
run_target() {
	local key=$1 url=$2 c
	shift 2
	wrk_run "$key-warmup" "$url" 2 1 "$@"
	for c in "${CONNS[@]}"; do
		wrk_run "$key-$c" "$url" "$c" "$duration" "$@"
		rps[$key,$c]=$RPS p50[$key,$c]=$P50 p99[$key,$c]=$P99 errs[$key,$c]=$ERRS reqs[$key,$c]=$REQS
	done
}
run_target vigie "$vigie_url" "${vigie_paths[@]}"
vigie_kb=$(vm_hwm_kb "$vigie_pid")
stop_bg "$vigie_pid"
run_target omega "$omega_url" "${omega_paths[@]}"
stop_bg "$omega_pid"
run_target static "$static_url" "${static_paths[@]}"
stop_bg "$static_pid"

fmt='   %-36s %9s %9s %10s %10s %7s\n'
# shellcheck disable=SC2059 # the format is ours
{
	printf "$fmt" "" "requests" "req/s" "p50" "p99" "errors"
	for key in vigie omega static; do
		case $key in
		vigie) label="vigie-server /api/search" ;;
		omega) label="Omega CGI (lighttpd)" ;;
		static) label="static JSON (nginx)" ;;
		esac
		for c in "${CONNS[@]}"; do
			printf "$fmt" "$label, $c conn." "${reqs[$key,$c]}" "${rps[$key,$c]}" \
				"${p50[$key,$c]} ms" "${p99[$key,$c]} ms" "${errs[$key,$c]}"
		done
	done
}
echo "   vigie-server peak RSS (VmHWM): $(mib "$vigie_kb")"

lo=${CONNS[0]} hi=${CONNS[-1]}
r_omega=$(ratio "${rps[vigie,$hi]}" "${rps[omega,$hi]}")
r_static=$(ratio "${rps[vigie,$hi]}" "${rps[static,$hi]}")
vigie_mib=$(awk -v k="$vigie_kb" 'BEGIN { printf "%.1f", k / 1024 }')
echo "   Vigie/Omega throughput at $hi connections $r_omega ($lo: $(ratio "${rps[vigie,$lo]}" "${rps[omega,$lo]}")): $(verdict "$r_omega" '>=' 50)"
echo "   Vigie/static throughput at $hi connections $r_static ($lo: $(ratio "${rps[vigie,$lo]}" "${rps[static,$lo]}")): $(verdict "$r_static" '>=' 0.30)"
echo "   Vigie p99 at $hi connections ${p99[vigie,$hi]} ms: $(verdict "${p99[vigie,$hi]}" '<' 10 ms)"
echo "   Vigie peak RSS $vigie_mib MiB: $(verdict "$vigie_mib" '<' 64 MiB)"
for key in vigie omega static; do
	n=0
	for c in "${CONNS[@]}"; do
		n=$((n + ${errs[$key,$c]}))
	done
	if ((n == 0)); then
		echo "   $key errors (non-2xx, socket, timeout) 0: target 0: met"
	else
		echo "   $key errors (non-2xx, socket, timeout) $n: target 0: MISSED (see wrk's report below)"
		for c in "${CONNS[@]}"; do
			((${errs[$key,$c]} == 0)) || sed -n '/^Running/,/^Transfer/p' "$TMP/wrk-$key-$c.log" | sed 's/^/     /'
		done
	fi
done
