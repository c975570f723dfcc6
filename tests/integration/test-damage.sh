#!/bin/sh
# A damaged index is noticed and rebuilt from git while the server keeps
# answering: searches get a 503 that says so rather than a 500, /healthz
# says "damaged", and once the rebuild is swapped in all is well again.
. "$(dirname "$0")/lib.sh"

# libxapian's own table check deletes one of its objects with a smaller
# type than it allocated (Xapian 1.4.22): AddressSanitizer builds of Vigie
# are told to let that pass for verify alone.
verify() { ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}new_delete_type_mismatch=0" "$VIGIE" verify "$@"; }

cd "$TMP"
"$VIGIE" init-repo --bare "$TMP/docs.git" >/dev/null
"$VIGIE" update --repo "$TMP/docs.git" --db "$TMP/index" --quiet >/dev/null
start_server "$TMP/docs.git" "$TMP/index" --watch-ms 200 --cache 0
trap 'stop_server; rm -rf "$TMP"' EXIT
search() { curl -s -o "$TMP/s" -w '%{http_code}' "$URL/api/search?q=r%C3%A9gie+$1"; }
check "the index answers" sh -c "[ \$(curl -s -o /dev/null -w '%{http_code}' '$URL/api/search?q=r%C3%A9gie') = 200 ]"

check "vigie-index verify finds a sound index sound" verify --db "$TMP/index"

# Damage: the postings table cut short, as by a failing disk.
gen=$(readlink -f "$TMP/index/current")
truncate -s 9000 "$gen/postlist.glass"
verify --db "$TMP/index" >"$TMP/v" 2>&1; s=$?
check "vigie-index verify finds the damage and says how to repair it" sh -c "[ $s -eq 1 ] && grep -q 'index endommagé' '$TMP/v' && grep -q rebuild '$TMP/v'"
: >"$TMP/codes"
deadline=$(($(date +%s) + 60))
healed=
while [ "$(date +%s)" -lt "$deadline" ]; do
	c=$(search "$(date +%N)")
	echo "$c" >>"$TMP/codes"
	if [ "$c" = 503 ]; then cp "$TMP/s" "$TMP/refused"; fi
	if [ "$c" = 200 ] && grep -q 'regie-avances.md' "$TMP/s" && [ "$(readlink -f "$TMP/index/current")" != "$gen" ]; then
		healed=1
		break
	fi
	sleep 0.1
done
check "no search answers a 500 meanwhile" sh -c "! grep -qv '^\\(200\\|503\\)$' '$TMP/codes'"
check "a search that meets the damage is told so in French" grep -q 'endommagé' "$TMP/refused"
check "the index is rebuilt from git into a new generation" test -n "$healed"
eventually "/healthz is a 200 again once it is" sh -c "[ \$(curl -s -o '$TMP/h' -w '%{http_code}' '$URL/healthz') = 200 ]"
check "…and the log says what happened" grep -q 'index endommagé' "$TMP/server.log"
check "the rebuilt index verifies sound" verify --db "$TMP/index"
finish
