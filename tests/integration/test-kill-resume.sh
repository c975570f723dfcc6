#!/bin/sh
# kill -9 in the middle of a full index, then update again: the same
# documents and the same results as an uninterrupted run.
. "$(dirname "$0")/lib.sh"

make_big_repo "$TMP/docs" 120 50
check "an uninterrupted update indexes the whole history" "$VIGIE" update --repo "$TMP/docs" --db "$TMP/whole" --quiet

"$VIGIE" update --repo "$TMP/docs" --db "$TMP/killed" --quiet --batch 100 >/dev/null 2>&1 &
pid=$!
# Wait for some batches to be committed, then kill without warning.
deadline=$(($(date +%s) + 60))
while [ "$(date +%s)" -lt "$deadline" ]; do
	n=$("$VIGIE" status --db "$TMP/killed" --json 2>/dev/null | sed -n 's/.*"versions": \([0-9]*\).*/\1/p')
	[ "${n:-0}" -gt 0 ] && break
	sleep 0.02
done
if kill -9 "$pid" 2>/dev/null; then ok "update killed mid-run (after ${n:-0} versions)"; else not_ok "update ended before it could be killed"; fi
wait "$pid" 2>/dev/null
partial=$("$VIGIE" status --db "$TMP/killed" --json | sed -n 's/.*"commit": "\([0-9a-f]*\)".*/\1/p')
head=$(git -C "$TMP/docs" rev-parse HEAD)
check "the killed index stopped at a committed batch" test "$partial" != "$head"
check "update after the kill completes" "$VIGIE" update --repo "$TMP/docs" --db "$TMP/killed" --quiet
for db in whole killed; do
	"$VIGIE" status --db "$TMP/$db" --json | grep -E '"(versions|documents|commit)"' >"$TMP/$db.status"
	for q in "régie" "mot1234" "R421-7 budget" "note revue" "controle" "budgett"; do
		"$VIGIE" search --db "$TMP/$db" --json --limit 100 "$q" | sed 's/"score":[0-9]*//g'
	done >"$TMP/$db.results"
	"$VIGIE" search --db "$TMP/$db" --json --as-of 2011-06-01 "régie" >>"$TMP/$db.results"
done
check "same counts as an uninterrupted run" diff "$TMP/whole.status" "$TMP/killed.status"
check "same results as an uninterrupted run" cmp "$TMP/whole.results" "$TMP/killed.results"
finish
