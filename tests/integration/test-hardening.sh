#!/bin/sh
# The server against hostile clients: headers dribbled to hold a
# connection, cross-site POSTs, forged log lines, password guessing from
# several addresses or behind another account's success, and queries that
# would expand without bound.
. "$(dirname "$0")/lib.sh"

cd "$TMP"
"$VIGIE" init-repo --bare "$TMP/docs.git" >/dev/null
htpasswd -bcB "$TMP/users" alice 'mdp-alice' 2>/dev/null
htpasswd -bB "$TMP/users" bob 'mdp-bob' 2>/dev/null
htpasswd -bB "$TMP/users" carol 'mdp-carol' 2>/dev/null
printf 'contributors: alice bob\nadmins: carol\n' >"$TMP/groups"
"$VIGIE" update --repo "$TMP/docs.git" --db "$TMP/index" --quiet >/dev/null
start_server "$TMP/docs.git" "$TMP/index" --users "$TMP/users" --groups "$TMP/groups" --header-timeout 2 --timeout 60
trap 'stop_server; rm -rf "$TMP"' EXIT
host=${URL#http://}
port=${host##*:}

# A client that sends a byte of its headers every half second is cut off
# after the header deadline (2 s here), although it is never silent for
# the 60 s of the inactivity timeout.
cat >"$TMP/dribble.sh" <<'B'
trap '' PIPE
exec 3<>"/dev/tcp/127.0.0.1/$1"
start=$(date +%s)
for i in $(seq 1 60); do
	printf 'X' >&3 2>/dev/null || { echo "closed after $(( $(date +%s) - start )) s"; exit 0; }
	if read -r -t 0.5 -u 3 _; [ $? -eq 1 ]; then echo "closed after $(( $(date +%s) - start )) s"; exit 0; fi
done
echo "still open after 30 s"
exit 1
B
bash "$TMP/dribble.sh" "$port" >"$TMP/d" 2>&1
check "headers dribbled byte by byte are cut off at the header deadline ($(cat "$TMP/d"))" grep -q closed "$TMP/d"
check "…and the server still answers" sh -c "curl -s '$URL/healthz' | jq -e 'has(\"status\")'"

# Cross-site POSTs.
CAROL="http://carol:mdp-carol@$host"
check "a POST from another site's page is refused" sh -c "[ \$(curl -s -o '$TMP/body' -w '%{http_code}' -X POST -H 'Origin: http://evil.example' '$CAROL/api/reindex') = 403 ] && grep -q 'autre site' '$TMP/body'"
check "…and one its fetch metadata says is cross-site" sh -c "[ \$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Sec-Fetch-Site: cross-site' '$CAROL/api/reindex') = 403 ]"
check "a POST from Vigie's own page is served" sh -c "[ \$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Origin: $URL' -H 'Sec-Fetch-Site: same-origin' '$CAROL/api/reindex') = 200 ]"
check "a POST without Origin (git, curl) is served" sh -c "[ \$(curl -s -o /dev/null -w '%{http_code}' -X POST '$CAROL/api/reindex') = 200 ]"

# Log lines cannot be forged with encoded control characters.
curl -s -o /dev/null "$URL/api/doc%0a2030-01-01T00:00:00Z%20127.0.0.9%20admin%20GET%20/faux%20200?path=x"
curl -s -o /dev/null -u "$(printf 'eve\nforge'):x" "$URL/api/search?q=x"
eventually "an encoded newline stays inside its log line" grep -q 'api/doc\\x0a2030' "$TMP/server.log"
check "…and forges no line" sh -c "! grep -q '^2030-01-01' '$TMP/server.log'"

# Password guessing: slowed per account whatever the address, and per
# address whatever the account; another account's success resets nothing.
fail() { curl -s -o /dev/null --interface "$1" -u "$2:faux" "$URL/api/search?q=x"; }
elapsed() { s=$(date +%s%N); "$@"; echo $(( ($(date +%s%N) - s) / 1000000 )); }
fail 127.0.0.2 alice; fail 127.0.0.3 alice; fail 127.0.0.4 alice
ms=$(elapsed fail 127.0.0.5 alice)
check "guessing one account from a new address is slowed by its failures (${ms} ms)" test "$ms" -ge 1900
fail 127.0.0.6 zoe; fail 127.0.0.6 yann; fail 127.0.0.6 xavier
curl -s -o /dev/null --interface 127.0.0.6 -u bob:mdp-bob "$URL/api/search?q=x"
ms=$(elapsed fail 127.0.0.6 william)
check "another account's success from that address resets nothing (${ms} ms)" test "$ms" -ge 1900
check "the right password still works" sh -c "[ \$(curl -s -o /dev/null -w '%{http_code}' --interface 127.0.0.7 -u alice:mdp-alice '$URL/api/search?q=x') = 200 ]"

# A query's cost is bounded.
check "too many truncated words are refused in French" sh -c "[ \$(curl -s -o '$TMP/body' -w '%{http_code}' '$URL/api/search?q=a*+b*+c*+d*+e*+f*') = 400 ] && grep -q 'mots tronqu' '$TMP/body'"
finish
