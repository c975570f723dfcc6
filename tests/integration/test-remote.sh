#!/bin/sh
# A repository's index on another machine: served by the real
# xapian-tcpsrv on 127.0.0.1, searched with a local one as one database;
# when it stops answering, the others still do and the answer says which
# part is missing; once it is back, so are its documents.
. "$(dirname "$0")/lib.sh"

command -v xapian-tcpsrv >/dev/null || { echo "xapian-tcpsrv missing (xapian-tools)" >&2; exit 1; }
cd "$TMP"
repository local anonymous
# The remote repository: its index is made where it lives and served there.
"$VIGIE" init-repo --bare "$TMP/loin.git" >/dev/null
git clone -q "$TMP/loin.git" "$TMP/w"
printf -- '---\ntitre: Note lointaine\ndate: 2026-11-20\ndomaine: veille-juridique\ntype: note\nacademie: amiens\n---\nLe zéphyr budgétaire d’Amiens.\n' \
	>"$TMP/w/veille-juridique/lointaine.md"
commit_all "$TMP/w" 2026-11-20 "Note lointaine"
git -C "$TMP/w" push -q origin HEAD
"$VIGIE" update --repo "$TMP/loin.git" --db "$TMP/index-loin" --quiet >/dev/null

# A free port of 127.0.0.1 for xapian-tcpsrv.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
# xapian-tcpsrv forks a process per connection: it runs in a group of its
# own, stopped whole.
serve() {
	setsid xapian-tcpsrv --quiet --interface 127.0.0.1 --port "$port" "$TMP/index-loin/current" >"$TMP/tcpsrv.log" 2>&1 &
	TCPSRV_PID=$!
}
unserve() {
	kill -- "-$TCPSRV_PID" 2>/dev/null
	deadline=$(($(date +%s) + 30))
	while kill -0 "$TCPSRV_PID" 2>/dev/null && [ "$(date +%s)" -lt "$deadline" ]; do sleep 0.1; done
}
serve
printf '[repository loin]\npath = %s\nindex = tcp://127.0.0.1:%s\nread = anonymous\ntitle = Dépôt lointain\n' \
	"$TMP/loin.git" "$port" >>"$TMP/vigie.conf"
launch_server --config "$TMP/vigie.conf"
trap 'unserve; stop_server; rm -rf "$TMP"' EXIT

eventually "a remote index is searched with the local one as one" sh -c "curl -s '$URL/api/search?q=z%C3%A9phyr' | jq -e '.hits[0].repo == \"loin\" and .hits[0].path == \"veille-juridique/lointaine.md\"' && curl -s '$URL/api/search?q=&limit=100' | jq -e '.facets.repo.local > 0 and .facets.repo.loin > 0'"
check "as of a date, a remote index is searched alone, said in French (not a 500)" sh -c "[ \$(curl -s -o '$TMP/b' -w '%{http_code}' '$URL/api/search?q=&as_of=2030-01-01') = 400 ] && grep -q 'distant' '$TMP/b' && curl -s '$URL/api/search?q=z%C3%A9phyr&as_of=2030-01-01&repo=loin' | jq -e '.hits[0].repo == \"loin\"'"
check "…its documents read, with their history" sh -c "curl -s '$URL/api/doc?repo=loin&path=veille-juridique/lointaine.md' | jq -e '.title == \"Note lointaine\"' && curl -s '$URL/api/history?repo=loin&path=veille-juridique/lointaine.md' | jq -e '.versions | length == 1'"
unserve
check "when it stops answering, the local one still does at once, and says which part is missing" sh -c "curl -s -o '$TMP/r' -w '%{http_code}' '$URL/api/search?q=&limit=100' | grep -q 200 && jq -e '.unavailable == [\"loin\"] and .total > 0 and ([.hits[].repo] | all(. == \"local\"))' '$TMP/r'"
check "…/healthz is a 503 that names it" sh -c "[ \$(curl -s -o '$TMP/h' -w '%{http_code}' '$URL/healthz') = 503 ] && jq -e '.repositories[] | select(.repo == \"loin\") | .status == \"unreachable\"' '$TMP/h'"
check "…and a search of it alone is a 503 in French, not a 500" sh -c "[ \$(curl -s -o '$TMP/b' -w '%{http_code}' '$URL/api/search?q=z%C3%A9phyr&repo=loin') = 503 ] && grep -q 'injoignable' '$TMP/b'"
serve
eventually "once it is back, so are its documents" sh -c "curl -s '$URL/api/search?q=z%C3%A9phyr' | jq -e '.hits[0].repo == \"loin\" and (has(\"unavailable\") | not)'"
finish
