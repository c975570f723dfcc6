#!/bin/sh
# Relevance of search on the legal codes: judged questions (bench/relevance/
# *.tsv, see the README there) asked of Vigie, through its real HTTP API on
# the whole history indexed, and of Xapian's Omega, on an omindex index of
# the same tree at HEAD, both with French stemming. Prints success@1, @3 and
# @10, MRR@10 and the share of questions with no result, per question file
# and half, per file and pooled; success@3 per kind of question; Vigie's
# search latency (p50, p99). It reports; it does not fail on scores.
#
# Usage: bench/relevance.sh [--verbose] [--half A|B] [--only FILE.tsv] [BUILD_DIR]
#   --verbose       every question Vigie misses in its top 3, with its top 3
#   --half A|B      only the questions of one half (A: tuning, B: held out)
#   --only FILE.tsv only one question file (a name in bench/relevance/, or a path)
# Environment: VIGIE_CORPUS (the folder of the bundles, ../shared/corpus),
# VIGIE_QUESTIONS (the folder of the question files, bench/relevance).
# Exits 1 with a message when a bundle is missing, a question file is not
# valid or a tool fails. Installs
# jq, xapian-omega and xapian-tools (Debian) when they are missing.
set -eu

PROG=relevance.sh
HERE=$(cd "$(dirname "$0")" && pwd)
REPO_ROOT=$(dirname "$HERE")
CORPUS=${VIGIE_CORPUS:-$REPO_ROOT/../shared/corpus}
QDIR=${VIGIE_QUESTIONS:-$HERE/relevance}
OMEGA_CGI=/usr/lib/cgi-bin/omega/omega
KINDS="mots question synonyme jargon faute reference"
SYSTEMS="vigie omega omega-or"
HEADER="id	half	kind	query	answers"
TAB=$(printf '\t')
# curl prints its timings, awk its figures, with a decimal point.
export LC_NUMERIC=C

# bundle_of FILE.tsv: the corpus (a bundle in $CORPUS, without .bundle) its
# questions are judged on. A new corpus is one line here.
bundle_of() {
	case $1 in
	education.tsv) echo code-de-l-education ;;
	travail.tsv) echo code-du-travail ;;
	*) return 1 ;;
	esac
}

die() {
	echo "$PROG: error: $*" >&2
	exit 1
}

warn() {
	echo "$PROG: warning: $*" >&2
}

usage() {
	sed -n 's/^# \{0,1\}//; /^Usage:/,/^Exits/p' "$0" | sed '$d'
	exit "${1:-2}"
}

# need COMMAND PACKAGE: installs the Debian PACKAGE when COMMAND (a name or
# a full path) is missing, with sudo unless root, as bench/lib.sh does.
need() {
	have "$1" && return
	echo "$PROG: $1 not found, installing the Debian package $2"
	sudo=
	[ "$(id -u)" = 0 ] || sudo=sudo
	$sudo apt-get install -y "$2" || { $sudo apt-get update && $sudo apt-get install -y "$2"; }
	have "$1" || die "$1 still not found after installing $2"
}

have() {
	case $1 in
	/*) [ -x "$1" ] ;;
	*) command -v "$1" >/dev/null ;;
	esac
}

# now_ms: wall clock, milliseconds.
now_ms() {
	echo $(($(date +%s%N) / 1000000))
}

# secs MS: "1.23 s".
secs() {
	awk -v v="$1" 'BEGIN { printf "%.2f s", v / 1000 }'
}

# ---- The server we start: stopped by its PID on exit, also on Ctrl-C.

SERVER_PID=
TMP=

cleanup() {
	stop_server
	[ -z "$TMP" ] || rm -rf "$TMP"
}

# start_server REPO INDEX LOG: vigie-server on 127.0.0.1, on a port of its
# choice, with the answer cache off so that every question is searched and
# timed; sets SERVER_PID and SERVER_URL (http://127.0.0.1:PORT).
start_server() {
	# The log exists before the server opens it, for the loop below to read.
	: >"$3"
	"$VIGIE_SERVER" --repo "$1" --index "$2" --web "$REPO_ROOT/web" \
		--listen 127.0.0.1 --port 0 --cache 0 >"$3" 2>&1 &
	SERVER_PID=$!
	i=0
	while [ $i -lt 100 ]; do
		SERVER_URL=$(sed -n 's#.*\(http://127\.0\.0\.1:[0-9]*\)/.*#\1#p' "$3" | head -n 1)
		[ -z "$SERVER_URL" ] || return 0
		kill -0 "$SERVER_PID" 2>/dev/null || break
		sleep 0.1
		i=$((i + 1))
	done
	cat "$3" >&2
	die "vigie-server did not start"
}

# stop_server: SIGTERM (it lets requests finish), SIGKILL after 5 s.
stop_server() {
	[ -n "$SERVER_PID" ] || return 0
	kill -TERM "$SERVER_PID" 2>/dev/null || true
	i=0
	while kill -0 "$SERVER_PID" 2>/dev/null && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	kill -KILL "$SERVER_PID" 2>/dev/null || true
	wait "$SERVER_PID" 2>/dev/null || true
	SERVER_PID=
}

# ---- Questions

# load_questions FILE.tsv FILES OUT: checks FILE (header, five fields, half,
# kind, unique ids, answers that are files at HEAD, listed in FILES) and
# writes to OUT the questions of the half asked for, one per line: id, half,
# kind, query, answers, and the query URL-encoded (by jq: UTF-8, apostrophes
# and question marks included). Dies naming the line of the first error.
load_questions() {
	awk -F '\t' -v f="${1##*/}" -v header="$HEADER" -v kinds=" $KINDS " -v want="$HALF" '
		function bad(msg) { printf "%s:%d: %s\n", f, FNR, msg > "/dev/stderr"; err = 1; exit 1 }
		NR == FNR { file[$0] = 1; next }
		{ sub(/\r$/, "") }
		FNR == 1 {
			sub(/^\357\273\277/, "")
			if ($0 != header) bad("the header must be: " header)
			headed = 1
			next
		}
		/^[ \t]*$/ { next }
		NF != 5 { bad(NF " fields, not 5 (id, half, kind, query, answers, separated by tabs)") }
		$2 != "A" && $2 != "B" { bad("half \"" $2 "\" is neither A nor B") }
		index(kinds, " " $3 " ") == 0 { bad("kind \"" $3 "\" is not one of" kinds) }
		$1 in seen { bad("id " $1 " already on line " seen[$1]) }
		{
			seen[$1] = FNR
			gsub(/^ +| +$/, "", $4)
			if ($4 == "") bad("empty query")
			n = split($5, a, " ")
			if (n == 0) bad("no answers")
			ans = ""
			for (i = 1; i <= n; i++) {
				if (!(a[i] in file)) bad("answer " a[i] " is not a file at HEAD")
				ans = ans (i > 1 ? " " : "") a[i]
			}
			if (want == "" || $2 == want) print $1 "\t" $2 "\t" $3 "\t" $4 "\t" ans
		}
		END { if (!err && !headed) bad("empty file: no header") }
	' "$2" "$1" >"$3.checked" || die "${1##*/} is not a valid question file (see above)"
	jq -Rr 'split("\t") | . + [(.[3] | @uri)] | join("\t")' <"$3.checked" >"$3" ||
		die "jq failed on ${1##*/}"
}

# ---- The systems. Each ask_* reads the questions on stdin and appends one
# line per question to $TMP/results: system, file, half, kind, id, query,
# answers, and the paths found, best first, at most 10, space-separated.

# ask_vigie NAME: GET /api/search on $SERVER_URL; each request's time
# (curl's time_total, ms) goes to $TMP/latency.
ask_vigie() {
	# The first search opens the index and brings it into memory: not timed.
	curl -s -o /dev/null --max-time 30 "$SERVER_URL/api/search?q=article&limit=10" </dev/null ||
		die "vigie-server does not answer on $SERVER_URL"
	while IFS=$TAB read -r id half kind query answers enc; do
		out=$(curl -s -o "$TMP/answer.json" -w '%{http_code} %{time_total}' --max-time 30 \
			"$SERVER_URL/api/search?q=$enc&limit=10" </dev/null) ||
			die "vigie-server does not answer on $SERVER_URL (question $id)"
		case ${out% *} in
		200) hits=$(jq -r '[.hits[].path] | join(" ")' "$TMP/answer.json") ||
			die "no JSON from vigie-server for question $id" ;;
		# A query Vigie refuses is a question it does not answer, not a failure of the run.
		400)
			warn "vigie-server refuses question $id «$query»: $(jq -r '.error.message' "$TMP/answer.json" 2>/dev/null)"
			hits= ;;
		*) die "vigie-server answered ${out% *} to question $id «$query»: $(head -c 300 "$TMP/answer.json")" ;;
		esac
		awk -v s="${out#* }" 'BEGIN { printf "%.3f\n", s * 1000 }' >>"$TMP/latency"
		printf 'vigie\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$half" "$kind" "$id" "$query" "$answers" "$hits" \
			>>"$TMP/results"
	done
}

# ask_omega NAME SYSTEM [OP]: Omega's CGI run as a program on the database
# NAME, with our template (French stemmer, one hit URL per line) and, when
# OP is given, DEFAULTOP=OP.
ask_omega() {
	while IFS=$TAB read -r id half kind query answers enc; do
		QUERY_STRING="DB=$1&FMT=hits&HITSPERPAGE=10&P=$enc${3:+&DEFAULTOP=$3}" \
			REQUEST_METHOD=GET OMEGA_CONFIG_FILE="$TMP/omega/omega.conf" \
			"$OMEGA_CGI" </dev/null >"$TMP/omega.out" 2>&1 || die "Omega failed on question $id «$query»"
		if grep -q '^error: ' "$TMP/omega.out" || ! grep -q '^omega-done$' "$TMP/omega.out"; then
			cat "$TMP/omega.out" >&2
			die "Omega failed on question $id «$query»"
		fi
		hits=$(sed -n 's#^hit /##p' "$TMP/omega.out" | head -n 10 | tr '\n' ' ' | sed 's/ $//')
		printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$2" "$1" "$half" "$kind" "$id" "$query" "$answers" "$hits" \
			>>"$TMP/results"
	done
}

# omega_setup: Omega's configuration and our template. Omega's own "query"
# template parses with the English stemmer; ours asks for the French one, as
# omindex indexed, and keeps the shipped template's fields for free text
# (body, title, path words), so the ranking is Omega's as shipped.
omega_setup() {
	mkdir -p "$TMP/omega/data" "$TMP/omega/templates" "$TMP/omega/log" "$TMP/omega/cdb"
	cat >"$TMP/omega/omega.conf" <<-EOF
		database_dir $TMP/omega/data
		template_dir $TMP/omega/templates
		log_dir $TMP/omega/log
		cdb_dir $TMP/omega/cdb
	EOF
	cat >"$TMP/omega/templates/hits" <<-'EOF'
		$httpheader{Content-Type,text/plain; charset=utf-8}$set{stemmer,french}$setmap{prefix,,$split{ S B F},title,S,author,A,topic,B}$if{$error,error: $error
		}$hitlist{hit $field{url}
		}omega-done
	EOF
}

# ---- One question file: its corpus cloned, indexed twice, asked.

run_file() {
	file=$1 name=${1##*/}
	base=${name%.tsv}
	work=$TMP/$base
	mkdir "$work"
	git clone -q --bare "$CORPUS/$(bundle_of "$name").bundle" "$work/repo.git" ||
		die "cannot clone $CORPUS/$(bundle_of "$name").bundle"
	git -C "$work/repo.git" ls-tree -r --name-only HEAD >"$work/files"
	load_questions "$file" "$work/files" "$work/questions"
	n=$(wc -l <"$work/questions")
	if [ "$n" -eq 0 ]; then
		echo "   $name: no question${HALF:+ in half $HALF}"
		return
	fi

	# Vigie: the whole history, as its periodic job indexes it.
	t0=$(now_ms)
	"$VIGIE_INDEX" update --repo "$work/repo.git" --db "$work/vigie" --quiet >"$work/index.log" 2>&1 || {
		tail -n 20 "$work/index.log" >&2
		die "vigie-index update failed on $(bundle_of "$name")"
	}
	t1=$(now_ms)

	# Omega: a checkout of HEAD (without .git), one document per file, whose
	# URL is "/" and the path; .md is not a type omindex knows: text.
	mkdir "$work/checkout"
	git -C "$work/repo.git" archive -o "$work/head.tar" HEAD || die "git archive failed on $(bundle_of "$name")"
	tar -xf "$work/head.tar" -C "$work/checkout" || die "cannot extract HEAD of $(bundle_of "$name")"
	omindex --db "$TMP/omega/data/$base" --url / --stemmer=french --mime-type=md:text/plain \
		"$work/checkout" >"$work/omindex.log" 2>&1 || {
		tail -n 20 "$work/omindex.log" >&2
		die "omindex failed on $(bundle_of "$name")"
	}
	t2=$(now_ms)
	files=$(wc -l <"$work/files")
	docs=$(xapian-delve "$TMP/omega/data/$base" | sed -n 's/^number of documents = //p')
	[ "$docs" = "$files" ] || warn "omindex indexed $docs documents of the $files files at HEAD"
	echo "   $name: $n question(s) on $(bundle_of "$name") ($files files at HEAD);" \
		"vigie-index update $(secs $((t1 - t0))), omindex $(secs $((t2 - t1)))"

	start_server "$work/repo.git" "$work/vigie" "$work/server.log"
	ask_vigie "$base" <"$work/questions"
	stop_server
	ask_omega "$base" omega <"$work/questions"
	ask_omega "$base" omega-or or <"$work/questions"
	FILES_RUN="$FILES_RUN $base"
}

# ---- Scores

# rank_results: $TMP/ranked, the lines of $TMP/results with one more field:
# the rank of the first right answer in the top 10 (0: none).
rank_results() {
	awk -F '\t' '{
		na = split($7, a, " "); for (x in want) delete want[x]; for (i = 1; i <= na; i++) want[a[i]] = 1
		nh = split($8, h, " "); r = 0
		for (i = 1; i <= nh && i <= 10; i++) if (h[i] in want) { r = i; break }
		print $0 "\t" r
	}' "$TMP/results" >"$TMP/ranked"
}

# report: the tables, from $TMP/ranked.
report() {
	awk -F '\t' -v files="$FILES_RUN" -v systems="$SYSTEMS" -v kinds="$KINDS" '
		function add(g, s) {
			k = g SUBSEP s
			n[k]++
			s1[k] += (r == 1); s3[k] += (r >= 1 && r <= 3); s10[k] += (r >= 1)
			rr[k] += (r ? 1 / r : 0); zero[k] += (nh == 0)
		}
		function row(label, g, s,   k) {
			k = g SUBSEP s
			if (!n[k]) return
			printf "   %-13s %-9s n=%-4d s@1 %.2f  s@3 %.2f  s@10 %.2f  mrr %.2f  zero %.2f\n", label, s, n[k],
				s1[k] / n[k], s3[k] / n[k], s10[k] / n[k], rr[k] / n[k], zero[k] / n[k]
		}
		function rows(label, g,   i) {
			if (!n[g SUBSEP sys[1]]) return
			for (i = 1; i <= ns; i++) row(label, g, sys[i])
			print ""
		}
		{
			r = $9; nh = ($8 != "")
			add($2 " " $3, $1); add($2, $1); add("", $1)
			kn[$4 SUBSEP $1]++; k3[$4 SUBSEP $1] += (r >= 1 && r <= 3)
		}
		END {
			ns = split(systems, sys, " "); nf = split(files, f, " "); nk = split(kinds, kind, " ")
			for (i = 1; i <= nf; i++) {
				rows(f[i] " A", f[i] " A"); rows(f[i] " B", f[i] " B"); rows(f[i], f[i])
			}
			rows("all", "")
			printf "   success@3 by kind (all files)\n   %-10s %5s", "kind", "n"
			for (j = 1; j <= ns; j++) printf " %9s", sys[j]
			print ""
			for (i = 1; i <= nk; i++) {
				if (!kn[kind[i] SUBSEP sys[1]]) continue
				printf "   %-10s %5d", kind[i], kn[kind[i] SUBSEP sys[1]]
				for (j = 1; j <= ns; j++) printf " %9.2f", k3[kind[i] SUBSEP sys[j]] / kn[kind[i] SUBSEP sys[j]]
				print ""
			}
		}
	' "$TMP/ranked"
	sort -n "$TMP/latency" | awk '
		{ v[NR] = $1 }
		function pct(p,   i) { i = int(p * NR); if (i < p * NR) i++; return v[i < 1 ? 1 : i] }
		END { printf "\n   vigie latency over %d searches (curl time_total, answer cache off): p50 %.1f ms, p99 %.1f ms\n",
			NR, pct(0.50), pct(0.99) }'
}

# misses: every question Vigie does not answer in its top 3, with its top 3.
misses() {
	echo
	echo "== questions Vigie misses at 3"
	awk -F '\t' '$1 == "vigie" && ($9 == 0 || $9 > 3) {
		r = $9; na = split($7, a, " "); nh = split($8, h, " ")
		printf "\n   %s/%s (%s, %s) «%s»: %s\n", $2, $5, $3, $4, $6, r ? "first right answer at " r : "no right answer in the top 10"
		for (i = 1; i <= na; i++) printf "     expected %s\n", a[i]
		if (nh == 0) print "     no result"
		for (i = 1; i <= nh && i <= 3; i++) printf "     %d. %s\n", i, h[i]
	}' "$TMP/ranked"
}

# source_rev: the source tree's commit, and whether files differ from it
# (the binaries may be newer than the commit). GIT_OPTIONAL_LOCKS=0: never
# write the index of a tree someone else may be committing in.
source_rev() {
	rev=$(git -C "$REPO_ROOT" rev-parse --short HEAD 2>/dev/null) || { echo "?"; return; }
	[ -z "$(GIT_OPTIONAL_LOCKS=0 git -C "$REPO_ROOT" status --porcelain --untracked-files=no)" ] ||
		rev="$rev, modified"
	echo "$rev"
}

# ---- Main

VERBOSE=0 HALF='' ONLY='' BUILD=''
while [ $# -gt 0 ]; do
	case $1 in
	--verbose | -v) VERBOSE=1 ;;
	--half) [ $# -ge 2 ] || usage; HALF=$2 && shift ;;
	--half=*) HALF=${1#--half=} ;;
	--only) [ $# -ge 2 ] || usage; ONLY=$2 && shift ;;
	--only=*) ONLY=${1#--only=} ;;
	-h | --help) usage 0 ;;
	-*) echo "$PROG: unknown option $1" >&2 && usage ;;
	*) [ -z "$BUILD" ] || usage; BUILD=$1 ;;
	esac
	shift
done
case $HALF in '' | A | B) ;; *) die "--half takes A or B, not $HALF" ;; esac

BUILD=${BUILD:-$REPO_ROOT/build}
[ -d "$BUILD" ] || die "build folder $BUILD not found: run make first"
BUILD=$(cd "$BUILD" && pwd)
[ -x "$BUILD/vigie-index" ] || die "$BUILD/vigie-index not found: run make first"
[ -x "$BUILD/vigie-server" ] || die "$BUILD/vigie-server not found: run make first"

# The question files, each with a known corpus, each corpus present.
case $ONLY in
*/*) QDIR=$(dirname "$ONLY") ONLY=${ONLY##*/} ;;
esac
if [ -n "$ONLY" ]; then
	[ -f "$QDIR/$ONLY" ] || die "no question file $QDIR/$ONLY"
	set -- "$QDIR/$ONLY"
else
	set -- "$QDIR"/*.tsv
	[ -f "$1" ] || die "no question file (*.tsv) in $QDIR"
fi
missing='' present=0
for f in "$@"; do
	b=$(bundle_of "${f##*/}") || die "no corpus known for ${f##*/}: add it to bundle_of in $0"
	if [ -f "$CORPUS/$b.bundle" ]; then
		present=$((present + 1))
	else
		missing="$missing $b.bundle (for ${f##*/})"
	fi
done
[ "$present" -gt 0 ] || die "bundle(s) not found in $CORPUS (set VIGIE_CORPUS):$missing"

need git git
need curl curl
need jq jq
need omindex xapian-omega
need "$OMEGA_CGI" xapian-omega
need xapian-delve xapian-tools

TMP=$(mktemp -d "${TMPDIR:-/tmp}/vigie-relevance.XXXXXX")
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
: >"$TMP/results"
: >"$TMP/latency"
# One run, one build: a copy of the programs (vigie-extract beside them, where
# vigie-index looks for it), so that a make during the run changes neither
# the programs halfway nor the build the figures are printed for.
mkdir "$TMP/bin"
for p in vigie-index vigie-server vigie-extract; do
	[ ! -x "$BUILD/$p" ] || cp -p "$BUILD/$p" "$TMP/bin/$p" || die "cannot copy $BUILD/$p"
done
VIGIE_INDEX=$TMP/bin/vigie-index
VIGIE_SERVER=$TMP/bin/vigie-server
omega_setup

echo
echo "== relevance: judged questions${HALF:+ (half $HALF)}, Vigie /api/search vs Omega (French stemmer)"
echo "   vigie: $BUILD, built $(date -u -r "$VIGIE_SERVER" '+%Y-%m-%d %H:%M UTC') (source $(source_rev))"
echo "   omega: $(omindex --version | head -n 1); run $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "   systems: vigie, GET /api/search?limit=10 on the whole history; omega, Omega's default" \
	"operator (AND); omega-or, DEFAULTOP=or"
FILES_RUN=
for f in "$@"; do
	if [ -f "$CORPUS/$(bundle_of "${f##*/}").bundle" ]; then
		run_file "$f"
	fi
done
echo
if [ -s "$TMP/results" ]; then
	rank_results
	report
	[ "$VERBOSE" = 0 ] || misses
fi
[ -z "$missing" ] || die "bundle(s) not found in $CORPUS (set VIGIE_CORPUS):$missing"
