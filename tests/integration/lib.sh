# Shared helpers for the integration tests (sourced, POSIX sh).
# VIGIE_BIN is the build folder holding vigie-index.
set -u
VIGIE=${VIGIE_BIN:-build}/vigie-index
case $VIGIE in /*) ;; *) VIGIE=$(pwd)/$VIGIE ;; esac
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/vigie-it-XXXXXX")
trap 'rm -rf "$TMP"' EXIT
FAILED=0
PASSED=0

ok() { PASSED=$((PASSED + 1)); echo "ok - $1"; }
not_ok() { FAILED=$((FAILED + 1)); echo "not ok - $1"; }

# check NAME COMMAND...: passes when the command succeeds.
check() {
	name=$1
	shift
	if "$@" >"$TMP/out" 2>&1; then ok "$name"; else not_ok "$name"; sed 's/^/    /' "$TMP/out"; fi
}

# contains FILE TEXT
contains() { grep -qF -- "$2" "$1"; }

# Commits everything in repo $1, dated $2 (YYYY-MM-DD), message $3.
commit_all() {
	git -C "$1" add -A
	GIT_AUTHOR_DATE="$2T12:00:00Z" GIT_COMMITTER_DATE="$2T12:00:00Z" \
		git -C "$1" -c user.name=Test -c user.email=test@ac-lille.fr commit -q -m "$3"
}

# Ends a test script with the summary line the runner reads.
finish() {
	echo "# $(basename "$0"): $PASSED passed, $FAILED failed"
	[ "$FAILED" -eq 0 ]
}

# Makes a repository of $2 commits, each adding $3 French notes and
# rewriting one, with git fast-import (fast, deterministic).
make_big_repo() {
	git init -q -b main "$1"
	LC_ALL=C awk -v commits="$2" -v per="$3" '
	function emit(path, text) {
		printf "M 100644 inline %s\ndata %d\n%s\n", path, length(text), text
	}
	BEGIN {
		for (c = 1; c <= commits; c++) {
			msg = "Lot de notes " c
			printf "commit refs/heads/main\nmark :%d\n", c
			printf "committer Test <test@ac-lille.fr> %d +0000\n", 1300000000 + c * 86400
			printf "data %d\n%s\n", length(msg), msg
			if (c > 1) printf "from :%d\n", c - 1
			for (f = 1; f <= per; f++) {
				n = (c - 1) * per + f
				text = "---\ntitre: Note " n "\ndomaine: veille-juridique\n---\n# Note " n \
				       "\n\nLa r\303\251gie num\303\251ro " n " de l\047\303\251tablissement rel\303\250ve de l\047article R. 421-" (n % 90) \
				       ". Mot" n " unique, budget " (n % 7) " et contr\303\264le " (n % 13) ".\n"
				emit("lot" c "/note-" f ".md", text)
			}
			if (c > 1) emit("lot" (c - 1) "/note-1.md", "# Note revue " c "\n\nVersion " c " du lot pr\303\251c\303\251dent.\n")
		}
	}' | git -C "$1" fast-import --quiet
	git -C "$1" checkout -q main
}

# Starts vigie-server on a free port of 127.0.0.1 for repo $1 and index $2
# (extra options after); sets SERVER_PID and URL. Stopped by stop_server.
VIGIE_SERVER=$(dirname "$VIGIE")/vigie-server
start_server() {
	repo=$1
	index=$2
	shift 2
	launch_server --repo "$repo" --index "$index" "$@"
}

# repository NAME READ [PUSH]: a bare repository $TMP/NAME.git made from the
# template, indexed into $TMP/index-NAME, and its section in $TMP/vigie.conf
# (read: anonymous, all or groups; push: groups).
repository() {
	"$VIGIE" init-repo --bare "$TMP/$1.git" >/dev/null
	"$VIGIE" update --repo "$TMP/$1.git" --db "$TMP/index-$1" --quiet >/dev/null
	printf '[repository %s]\npath = %s\nindex = %s\nread = %s\n' "$1" "$TMP/$1.git" "$TMP/index-$1" "$2" >>"$TMP/vigie.conf"
	[ -z "${3:-}" ] || printf 'push = %s\n' "$3" >>"$TMP/vigie.conf"
}

# Starts vigie-server with the options given (--config, --repo...).
launch_server() {
	"$VIGIE_SERVER" --web "$ROOT/web" --port 0 "$@" \
		>"$TMP/server.out" 2>"$TMP/server.log" &
	SERVER_PID=$!
	# A busy machine may take a while to open the index: wait for the
	# server's line, up to a deadline, unless it died.
	deadline=$(($(date +%s) + 60))
	while ! grep -q 'écoute sur' "$TMP/server.out" 2>/dev/null; do
		if [ "$(date +%s)" -ge "$deadline" ] || ! kill -0 "$SERVER_PID" 2>/dev/null; then
			echo "vigie-server did not start:" >&2
			sed 's/^/    /' "$TMP/server.log" >&2
			return 1
		fi
		sleep 0.05
	done
	URL=$(sed -n 's/.*écoute sur \(http[^ ]*\)\/$/\1/p' "$TMP/server.out")
	[ -n "$URL" ]
}

# eventually NAME COMMAND...: passes as soon as the command succeeds,
# retried until a deadline (what a watcher or a reload brings is not
# instantaneous on a busy machine).
eventually() {
	name=$1
	shift
	deadline=$(($(date +%s) + ${EVENTUALLY_SECONDS:-30}))
	until "$@" >"$TMP/out" 2>&1; do
		if [ "$(date +%s)" -ge "$deadline" ]; then
			not_ok "$name"
			sed 's/^/    /' "$TMP/out"
			return
		fi
		sleep 0.1
	done
	ok "$name"
}

stop_server() {
	[ -n "${SERVER_PID:-}" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
	SERVER_PID=
}

# status URL: prints the HTTP status of a GET.
status() { curl -s -o /dev/null -w '%{http_code}' "$1"; }
