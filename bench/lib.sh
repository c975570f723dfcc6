# Shared helpers for the Vigie benchmarks; sourced, not run.
#
# bench_init BUILD_DIR sets:
#   REPO_ROOT  the source tree          VIGIE   the vigie-index binary
#   CORPUS     the corpus folder        RUNS    runs per measure (BENCH_RUNS, 5)
#   TMP        a scratch folder, removed on exit
# It exits 0 with "skipped: corpus not found" when the corpus is absent.
# Servers started with start_bg are stopped (by PID) on exit, before TMP goes.
# shellcheck shell=bash

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CORPUS=${VIGIE_CORPUS:-$REPO_ROOT/../shared/corpus}
RUNS=${BENCH_RUNS:-5}

die() {
	echo "$(basename "$0"): error: $*" >&2
	exit 1
}

# apt_install PACKAGE: installs a Debian package (with sudo unless root),
# updating the package lists first if the first try fails.
apt_install() {
	local sudo=
	[[ $(id -u) == 0 ]] || sudo=sudo
	$sudo apt-get install -y "$1" || { $sudo apt-get update && $sudo apt-get install -y "$1"; }
}

# need COMMAND PACKAGE: installs the Debian PACKAGE when COMMAND (a name or a
# full path) is missing.
need() {
	command -v "$1" >/dev/null && return
	echo "$(basename "$0"): $1 not found, installing the Debian package $2"
	apt_install "$2"
	command -v "$1" >/dev/null || die "$1 still not found after installing $2"
}

# need_pc MODULE PACKAGE: installs the Debian PACKAGE (a -dev package) when
# pkg-config does not know the library MODULE.
need_pc() {
	need pkg-config pkg-config
	pkg-config --exists "$1" && return
	echo "$(basename "$0"): pkg-config module $1 not found, installing the Debian package $2"
	apt_install "$2"
	pkg-config --exists "$1" || die "pkg-config module $1 still not found after installing $2"
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
	BUILD=$(cd "$build" && pwd)
	VIGIE=$BUILD/vigie-index
	VIGIE_SERVER=$BUILD/vigie-server
	[[ -x /usr/bin/time ]] || die "/usr/bin/time not found: install the Debian package 'time'"
	[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "BENCH_RUNS must be a positive integer"
	TMP=$(mktemp -d "${TMPDIR:-/tmp}/vigie-bench.XXXXXX")
	trap bench_cleanup EXIT
	trap 'exit 130' INT TERM
}

# built NAME: the path of program NAME in the build folder (BUILD, set by
# bench_init); dies when it is not built.
built() {
	[[ -x $BUILD/$1 ]] || die "$BUILD/$1 not found: run make first"
	echo "$BUILD/$1"
}

# positive_int VAR DEFAULT: the value of the environment variable VAR, or
# DEFAULT when it is unset; dies unless it is a positive integer.
positive_int() {
	local v=${!1:-$2}
	[[ $v =~ ^[1-9][0-9]*$ ]] || die "$1 must be a positive integer"
	echo "$v"
}

# PIDs of the background servers started by start_bg.
BG_PIDS=()

# bench_cleanup: the EXIT trap of bench_init; stops our servers, removes TMP.
bench_cleanup() {
	local pid
	for pid in "${BG_PIDS[@]}"; do
		stop_bg "$pid"
	done
	rm -rf "$TMP"
}

# clone_corpus NAME DEST: clones NAME.bundle (code-du-travail, ...) to DEST.
clone_corpus() {
	git clone -q "$CORPUS/$1.bundle" "$2"
}

# bench_commit REPO MESSAGE: commits what is staged in REPO as the bench's
# own author, whatever the git configuration says.
bench_commit() {
	git -C "$1" -c user.name="Vigie Bench" -c user.email=bench@vigie.invalid \
		commit -q -m "$2"
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
# (OP is <=, <, >= or >).
verdict() {
	local ok unit=${4:+ $4}
	ok=$(awk -v v="$1" -v l="$3" -v op="$2" 'BEGIN {
		print (op == "<" ? v < l : op == "<=" ? v <= l : op == ">" ? v > l : v >= l) }')
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

# delve_docs DB: the number of documents in the Xapian database DB (an
# omindex one), or "?" without xapian-delve (Debian package xapian-tools).
delve_docs() {
	if command -v xapian-delve >/dev/null; then
		xapian-delve "$1" | sed -n 's/^number of documents = //p'
	else
		echo "?"
	fi
}

# Checks of what a benchmark did (every document indexed, ...): check prints
# one line each, checks_done makes the script fail if any failed.
CHECKS_FAILED=0

# check LABEL CMD...: runs CMD (e.g. test "$a" = "$b"); prints
# "check LABEL: ok" or "check LABEL: FAILED".
check() {
	local label=$1
	shift
	if "$@"; then
		echo "   check $label: ok"
	else
		echo "   check $label: FAILED"
		CHECKS_FAILED=$((CHECKS_FAILED + 1))
	fi
}

# checks_done: dies if a check failed.
checks_done() {
	((CHECKS_FAILED == 0)) || die "$CHECKS_FAILED check(s) failed"
}

# A table of timings, one row per tool: table_head prints the column titles,
# table_row LABEL P a tool's figures from the arrays P_ms, P_cpu and P_kb
# (filled from measure's MS, CPU and KB, one element per run), table_ratio
# LABEL P Q the ratios of P's figures to Q's.
TABLE_FMT='   %-20s %10s %12s %12s %12s\n'
table_head() {
	# shellcheck disable=SC2059 # the format is ours
	printf "$TABLE_FMT" "" "wall min" "wall median" "CPU median" "peak RSS"
}
table_row() {
	local -n ms=$2_ms cpu=$2_cpu kb=$2_kb
	# shellcheck disable=SC2059
	printf "$TABLE_FMT" "$1" "$(secs "$(min "${ms[@]}")")" "$(secs "$(median "${ms[@]}")")" \
		"$(secs "$(median "${cpu[@]}")")" "$(mib "$(max "${kb[@]}")")"
}
# table_ratio also sets R_MED, the ratio of the median wall times.
# shellcheck disable=SC2034 # R_MED is for the caller
table_ratio() {
	local -n ms=$2_ms cpu=$2_cpu kb=$2_kb ms2=$3_ms cpu2=$3_cpu kb2=$3_kb
	R_MED=$(ratio "$(median "${ms[@]}")" "$(median "${ms2[@]}")")
	# shellcheck disable=SC2059
	printf "$TABLE_FMT" "$1" "$(ratio "$(min "${ms[@]}")" "$(min "${ms2[@]}")")" "$R_MED" \
		"$(ratio "$(median "${cpu[@]}")" "$(median "${cpu2[@]}")")" \
		"$(ratio "$(max "${kb[@]}")" "$(max "${kb2[@]}")")"
}

# header TITLE [CONDITIONS]: a section title with the conditions of the run
# (by default, the number of runs, interleaved).
header() {
	echo
	echo "== $1"
	echo "   ${2:-$RUNS run(s), interleaved}; $(nproc) CPU(s); $(date -u '+%Y-%m-%d %H:%M UTC')"
}

# ---- HTTP benchmarks: servers on 127.0.0.1 only, driven by wrk ----

# start_bg NAME CMD...: starts CMD in the background, stdout and stderr to
# $TMP/NAME.log; sets BG_PID and records it for bench_cleanup. CMD must stay
# in the foreground (no daemonising), so that BG_PID is its own PID.
start_bg() {
	local name=$1
	shift
	"$@" >"$TMP/$name.log" 2>&1 &
	BG_PID=$!
	BG_PIDS+=("$BG_PID")
}

# bg_running PID: true when PID is one of this shell's running jobs.
bg_running() {
	local running
	running=$(jobs -pr)
	[[ $'\n'$running$'\n' == *$'\n'$1$'\n'* ]]
}

# stop_bg PID: SIGTERM, SIGKILL after 5 s, for a PID from start_bg that is
# still one of our running jobs (a PID that ended may belong to someone else
# by now); then forgets it.
stop_bg() {
	local pid=$1 i p keep=()
	if bg_running "$pid"; then
		kill -TERM "$pid" 2>/dev/null || true
		for ((i = 0; i < 50; i++)); do
			bg_running "$pid" || break
			sleep 0.1
		done
		if bg_running "$pid"; then
			kill -KILL "$pid" 2>/dev/null || true
		fi
	fi
	wait "$pid" 2>/dev/null || true
	for p in "${BG_PIDS[@]}"; do
		[[ $p == "$pid" ]] || keep+=("$p")
	done
	BG_PIDS=("${keep[@]}")
}

# free_port: prints a TCP port on which nothing listens on 127.0.0.1 now.
free_port() {
	local port i
	for ((i = 0; i < 100; i++)); do
		port=$((20000 + RANDOM % 40000))
		if ! (: <"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
			echo "$port"
			return
		fi
	done
	die "no free port found on 127.0.0.1"
}

# wait_log PID NAME REGEX: waits (10 s at most) until $TMP/NAME.log, the log
# of PID, has a line matching the extended REGEX, and prints that line.
# Dies with the log if PID ends or time is up first.
wait_log() {
	local pid=$1 name=$2 line i
	for ((i = 0; i < 100; i++)); do
		line=$(grep -E -m 1 -- "$3" "$TMP/$name.log" || true)
		if [[ -n $line ]]; then
			echo "$line"
			return
		fi
		bg_running "$pid" || break
		sleep 0.1
	done
	cat "$TMP/$name.log" >&2
	die "$name did not start"
}

# wait_http PID NAME URL: waits (10 s at most) until URL answers; dies with
# $TMP/NAME.log, the log of PID, if PID ends or time is up first.
wait_http() {
	local i
	for ((i = 0; i < 100; i++)); do
		curl -s -o /dev/null --max-time 2 "$3" && return
		bg_running "$1" || break
		sleep 0.1
	done
	cat "$TMP/$2.log" >&2
	die "$2 does not answer on $3"
}

# What agents comptables and jurists type: the queries the search
# benchmarks ask in turn, one per request.
# shellcheck disable=SC2034 # for the scripts that source this file
SEARCH_QUERIES=(
	"établissement public local"
	"enseignement moral et civique"
	"R. 421-58"
	"conseil d'administration"
	"budget"
	"élèves handicapés"
	"collectivité territoriale"
	"diplôme national"
)

# start_vigie NAME ARGS...: vigie-server with ARGS on a port of its own
# (start_bg NAME); waits until it listens; sets BG_PID and VIGIE_URL.
# shellcheck disable=SC2034 # VIGIE_URL is for the caller
start_vigie() {
	local name=$1 line
	shift
	start_bg "$name" "$VIGIE_SERVER" "$@" --port 0
	line=$(wait_log "$BG_PID" "$name" 'http://127\.0\.0\.1:[0-9]+/')
	VIGIE_URL=$(sed -E 's#.*(http://127\.0\.0\.1:[0-9]+)/.*#\1#' <<<"$line")
}

# vm_hwm_kb PID: peak resident set size of a running process, KiB.
vm_hwm_kb() {
	awk '/^VmHWM:/ { print $2 }' "/proc/$1/status"
}

# urlencode STRING: percent-encodes every byte but [A-Za-z0-9.~_-].
urlencode() {
	local LC_ALL=C s=$1 out='' c i
	for ((i = 0; i < ${#s}; i++)); do
		c=${s:i:1}
		case $c in
		[A-Za-z0-9.~_-]) out+=$c ;;
		*) printf -v c '%%%02X' "'$c" && out+=$c ;;
		esac
	done
	echo "$out"
}

# wrk_run NAME URL CONNECTIONS SECONDS PATH...: runs wrk (2 threads, 5 s
# timeout per request) against URL (http://127.0.0.1:PORT) for SECONDS with
# wrk-rotate.lua, each connection asking for the PATHs in turn; the whole
# output of wrk goes to $TMP/wrk-NAME.log. Sets REQS (requests done), RPS
# (requests/s), P50 and P99 (latency, ms) and ERRS (non-2xx answers plus
# connect, read, write and timeout errors).
# shellcheck disable=SC2034 # REQS, RPS, P50, P99 and ERRS are for the caller
wrk_run() {
	local name=$1 url=$2 conns=$3 seconds=$4 log=$TMP/wrk-$1.log line
	shift 4
	[[ $url =~ ^http://127\.0\.0\.1:[0-9]+$ ]] || die "wrk_run: only http://127.0.0.1:PORT, not $url"
	if ! timeout -k 5 $((seconds + 30)) wrk -t 2 -c "$conns" -d "${seconds}s" --timeout 5s \
		--latency -s "$REPO_ROOT/bench/wrk-rotate.lua" "$url" -- "$@" >"$log" 2>&1; then
		cat "$log" >&2
		die "wrk failed against $url"
	fi
	line=$(grep '^WRK_RESULT ' "$log") || die "no result from wrk in $log"
	read -r REQS RPS P50 P99 ERRS < <(awk '{ printf "%d %.1f %.2f %.2f %d\n", $2, $2 / ($3 / 1e6),
		$4 / 1000, $5 / 1000, $6 + $7 + $8 + $9 + $10 }' <<<"$line")
}

OMEGA_CGI=/usr/lib/cgi-bin/omega/omega

# need_omega: omindex, Omega's CGI and lighttpd to serve it, installed
# from Debian when missing.
need_omega() {
	need omindex xapian-omega
	need "$OMEGA_CGI" xapian-omega
	need /usr/sbin/lighttpd lighttpd
}

# start_omega REPO: omindex on the checkout REPO (French stemmer), and
# Omega's CGI under a lighttpd of our own on 127.0.0.1, its query template
# parsing with the French stemmer too; waits until it answers; sets
# OMEGA_PID and OMEGA_URL (http://127.0.0.1:PORT; search at
# /omega?DB=default&P=QUERY).
# shellcheck disable=SC2034 # OMEGA_PID and OMEGA_URL are for the caller
start_omega() {
	local om=$TMP/omega port
	mkdir -p "$om/data" "$om/log" "$om/cdb" "$om/www"
	omindex --db "$om/data/default" --url / --stemmer=french --mime-type=md:text/plain \
		"$1" >"$TMP/omindex.log" 2>&1 || {
		tail -n 20 "$TMP/omindex.log" >&2
		die "omindex failed"
	}
	# Omega's query template parses queries with the English stemmer
	# unless it says otherwise: a copy that asks for the French one.
	cp -r /usr/share/xapian-omega/templates "$om/templates"
	# shellcheck disable=SC2016 # an OmegaScript command, not a shell expansion
	{
		echo '$set{stemmer,french}'
		cat /usr/share/xapian-omega/templates/query
	} >"$om/templates/query"
	cat >"$om/omega.conf" <<EOC
database_dir $om/data
template_dir $om/templates
log_dir $om/log
cdb_dir $om/cdb
EOC
	port=$(free_port)
	cat >"$TMP/lighttpd.conf" <<EOC
server.modules = ("mod_alias", "mod_cgi", "mod_setenv")
server.bind = "127.0.0.1"
server.port = $port
server.document-root = "$om/www"
server.max-connections = 1024
alias.url = ("/omega" => "$OMEGA_CGI")
\$HTTP["url"] =~ "^/omega" { cgi.assign = ("" => "") }
setenv.add-environment = ("OMEGA_CONFIG_FILE" => "$om/omega.conf")
EOC
	start_bg lighttpd /usr/sbin/lighttpd -D -f "$TMP/lighttpd.conf"
	OMEGA_PID=$BG_PID
	OMEGA_URL=http://127.0.0.1:$port
	wait_http "$OMEGA_PID" lighttpd "$OMEGA_URL/omega?DB=default&P=budget"
}
