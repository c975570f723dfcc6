#!/bin/sh
# vigie-server under a reproducible stream of odd requests (broken UTF-8,
# NUL bytes, unbalanced syntax, bad ranges, bad paths and revisions, absurd
# numbers) from two clients on 127.0.0.1: every answer is a 200 or a clean
# 4xx with a code and a message, and the server stays up.
. "$(dirname "$0")/lib.sh"

if ! command -v node >/dev/null 2>&1; then
	echo "# $(basename "$0"): skipped, node is not installed (make deps installs it)"
	exit 0
fi
"$ROOT/repo-template/demo.sh" "$TMP/docs" >/dev/null
"$VIGIE" update --repo "$TMP/docs" --db "$TMP/index" --quiet >/dev/null
check "the server starts" start_server "$TMP/docs" "$TMP/index" --max-per-ip 128
trap 'stop_server; rm -rf "$TMP"' EXIT
for seed in 7 1789; do
	check "1000 odd requests (seed $seed) get clean answers" \
		timeout 300 node "$ROOT/tests/integration/fuzz-api.mjs" "$URL" 1000 "$seed"
done
check "the server still searches" sh -c "curl -s '$URL/api/search?q=r%C3%A9gie' | jq -e '.total > 0'"
kill "$SERVER_PID"
check "…and stops cleanly" wait "$SERVER_PID"
SERVER_PID=
finish
