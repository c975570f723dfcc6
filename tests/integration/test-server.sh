#!/bin/sh
# vigie-server over real HTTP on 127.0.0.1: every route, bad inputs, headers,
# feeds, a new index revision picked up without restart, SIGHUP, 64
# concurrent clients, and a clean stop on SIGTERM.
. "$(dirname "$0")/lib.sh"

"$ROOT/repo-template/demo.sh" "$TMP/docs" >/dev/null
"$VIGIE" update --repo "$TMP/docs" --db "$TMP/index" --quiet >/dev/null
cat >"$TMP/vigie.conf" <<CONF
# vigie.conf for the test
repo = $TMP/docs
index = $TMP/index
web = $ROOT/web
max_per_ip = 128
CONF
check "the server starts and prints its address" start_server "$TMP/docs" "$TMP/index" --config "$TMP/vigie.conf"
trap 'stop_server; rm -rf "$TMP"' EXIT

check "--help describes the options" sh -c "'$VIGIE_SERVER' --help | grep -q -- '--tls-cert'"
check "a bad option is refused" sh -c "! '$VIGIE_SERVER' --bogus 2>/dev/null"

curl -s -D "$TMP/h" "$URL/api/search?q=r%C3%A9gie+d%E2%80%99avances&limit=2" >"$TMP/b"
check "search answers the JSON shape" jq -e '.hits[0].path == "comptabilite/regies/regie-avances.md" and (.facets | has("domaine"))' "$TMP/b"
check "JSON has a charset, nosniff and a strict CSP" sh -c "grep -qi 'content-type: application/json; charset=utf-8' '$TMP/h' && grep -qi 'x-content-type-options: nosniff' '$TMP/h' && grep -qi \"content-security-policy: default-src 'none'; script-src 'self'\" '$TMP/h'"
check "facet filters and sort" sh -c "curl -s '$URL/api/search?domaine=paye&sort=date' | jq -e '.total == 1'"
# The watch note cites R. 421-58 since 2026 (the repository's guides, which
# cite it too, are left out of searches).
check "as_of searches the past" sh -c "curl -s '$URL/api/search?q=R.+421-58&as_of=2025-12-31' | jq -e '.total == 0' && curl -s '$URL/api/search?q=R.+421-58' | jq -e '.total == 1 and (.hits[0].path | endswith(\"mutualisation-veille.md\"))'"
check "a malformed query is a 400" test "$(status "$URL/api/search?q=ref:rien")" = 400
check "…with a code and a French message" sh -c "curl -s '$URL/api/search?q=ref:rien' | jq -e '.error.code == \"bad_query\" and (.error.message | startswith(\"ref:rien : « rien » n\u0027est pas une référence\"))'"
check "invalid UTF-8 is a 400" test "$(status "$URL/api/search?q=%FF")" = 400
check "an over-long request is a 414" test "$(status "$URL/api/search?q=$(head -c 5000 /dev/zero | tr '\0' a)")" = 414
check "a bad number is a 400" test "$(status "$URL/api/search?q=x&limit=abc")" = 400
check "suggestions complete the last word" sh -c "curl -s '$URL/api/suggest?q=r%C3%A9gie+d%27ava' | jq -e '.completions[0] == \"avances\"'"

P=comptabilite/regies/regie-avances.md
curl -s "$URL/api/doc?path=$P" >"$TMP/doc"
check "doc gives metadata, rendered HTML and related documents" jq -e '(.html | startswith("<h2>Régies")) and (.related | type == "array") and .references[0].ref == "R421-70"' "$TMP/doc"
W=veille-juridique/2026/mutualisation-veille.md
check "a past version says when it was in force and what amended it" sh -c "curl -s '$URL/api/doc?path=$W&rev=2025-10-01' | jq -e '(.version.until | startswith(\"20\")) and .version.amended_by == \"Documentation initiale des deux académies\"'"
check "…and the current one has no end" sh -c "curl -s '$URL/api/doc?path=$W' | jq -e '.version.current and .version.until == null'"
check "a path with .. is a 400" test "$(status "$URL/api/doc?path=../../etc/passwd")" = 400
check "a path with NUL is a 400" test "$(status "$URL/api/doc?path=a%00b.md")" = 400
check "an absolute path is a 400" test "$(status "$URL/api/raw?path=/etc/passwd")" = 400
check "an unknown document is a 404" test "$(status "$URL/api/doc?path=inconnu.md")" = 404
curl -s -D "$TMP/h" "$URL/api/raw?path=$P" >"$TMP/raw"
check "raw gives the original bytes for download" sh -c "cmp -s '$TMP/raw' '$TMP/docs/$P' && grep -qi 'content-type: text/markdown; charset=utf-8' '$TMP/h' && grep -qi 'content-disposition: attachment; filename=\"regie-avances.md\"' '$TMP/h'"
W=veille-juridique/2026/mutualisation-veille.md
curl -s "$URL/api/history?path=$W" >"$TMP/hist"
check "history lists versions with author and message" jq -e '([.versions[].author] | index("Cellule de veille juridique") != null) and ([.versions[].message | startswith("Documentation initiale")] | any)' "$TMP/hist"
# The two versions of the note: the commits that changed it.
old=$(git -C "$TMP/docs" log -n1 --skip=1 --format=%H -- "$W")
wnew=$(git -C "$TMP/docs" log -n1 --format=%H -- "$W")
new=$(git -C "$TMP/docs" rev-parse HEAD)
curl -s "$URL/api/diff?path=$W&from=$old&to=$wnew" >"$TMP/diff"
check "…and names both versions by their amending text" jq -e '(.from.amended_by | startswith("Documentation initiale")) and (.to.amended_by | type == "string")' "$TMP/diff"
check "diff marks words inside a paragraph" jq -e '[.paragraphs[] | select(.op == "changed") | .html | test("<ins>") and test("<del>")] | any' "$TMP/diff"
check "a raw file of the past version" sh -c "curl -s '$URL/api/raw?path=$W&rev=$old' | grep -q 'brouillon'"

curl -s -D "$TMP/h" "$URL/feed.atom?domaine=comptabilite" >"$TMP/feed"
check "the Atom feed is well-formed XML" xmllint --noout "$TMP/feed"
check "…with the Atom namespace, id, updated and entries" sh -c "grep -q 'xmlns=\"http://www.w3.org/2005/Atom\"' '$TMP/feed' && grep -q '<updated>20' '$TMP/feed' && grep -c '<entry>' '$TMP/feed' | grep -q 2 && grep -qi 'content-type: application/atom+xml; charset=utf-8' '$TMP/h'"
check "a feed of a folder lists what changed under it, and only that" sh -c "curl -s '$URL/feed.atom?dossier=comptabilite/regies' >'$TMP/f' && grep -q 'regie-avances.md' '$TMP/f' && ! grep -q 'mutualisation-veille.md' '$TMP/f' && xmllint --noout '$TMP/f'"
check "a saved-query feed" sh -c "curl -s '$URL/feed.atom?q=R.+421-58' | grep -q 'Mutualisation de la veille'"
check "…and as of a past day, of that day's version" sh -c "curl -s '$URL/feed.atom?q=mutualisation&as_of=2025-10-01' | grep -q 'Ajouté : Documentation initiale'"
check "a feed entry says what changed: amended, by which text, with the words marked" sh -c "curl -s '$URL/feed.atom?q=mutualisation' >'$TMP/f' && grep -q 'Modifié : Veille : mutualisation, budget des EPLE' '$TMP/f' && grep -q '&lt;ins&gt;' '$TMP/f' && xmllint --noout '$TMP/f'"
curl -s "$URL/opensearch.xml" >"$TMP/os"
check "the OpenSearch description is well-formed" sh -c "xmllint --noout '$TMP/os' && grep -q '/?q={searchTerms}' '$TMP/os'"
check "healthz gives the index commit and age" sh -c "curl -s '$URL/healthz' | jq -e --arg c '$new' '[.. | objects | select(has(\"commit\")) | .commit] | index(\$c) != null'"
check "metrics in the Prometheus format" sh -c "curl -s '$URL/metrics' | grep -q 'vigie_http_requests_total{route=\"/api/search\",status=\"200\"}' && curl -s '$URL/metrics' | grep -q 'vigie_index_commit_age_seconds'"
check "the front end is served" sh -c "curl -s '$URL/' | grep -q '<html lang=\"fr\">'"
check "…with its script" test "$(status "$URL/static/app.js")" = 200
check "static files never leave web/" test "$(status "$URL/static/%2e%2e/Makefile")" != 200
check "…even through ../" test "$(curl -s --path-as-is -o /dev/null -w '%{http_code}' "$URL/static/../../etc/passwd")" != 200
check "a wrong method is a 405 with Allow" sh -c "curl -si -X POST '$URL/api/search' | grep -q '^Allow: GET, HEAD'"
check "an unknown page is a 404 in French" sh -c "curl -s '$URL/nulle-part' | grep -q 'page introuvable'"

# Writes a note (its text on standard input), commits it and indexes it.
add_note() {
	cat >"$TMP/docs/$1"
	commit_all "$TMP/docs" "$2" "$3"
	"$VIGIE" update --repo "$TMP/docs" --db "$TMP/index" --quiet >/dev/null
}

# A new index revision is seen without a restart, even by a cached query.
check "before the new note, nothing is found" sh -c "curl -s '$URL/api/search?q=dotation+globale' | jq -e '.total == 0'"
check "…twice (from the cache)" sh -c "curl -s '$URL/api/search?q=dotation+globale' | jq -e '.total == 0' && curl -s '$URL/metrics' | grep -q '^vigie_cache_hits_total [1-9]'"
printf -- '---\ntitre: "<script>alert(1)</script> Note du jour"\ndate: 2026-03-01\ndomaine: veille-juridique\ntype: note\nacademie: lille\n---\nNote sur la dotation globale de fonctionnement.\n' |
  add_note veille-juridique/2026/du-jour.md 2026-03-01 "Note du jour"
check "a new index revision is searched without restart" sh -c "curl -s '$URL/api/search?q=dotation+globale' | grep -q 'du-jour.md'"
check "a title holding <script> is escaped in feeds" sh -c "curl -s '$URL/feed.atom' | grep -q '<title>&lt;script&gt;alert(1)&lt;/script&gt; Note du jour</title>'"
curl -s -D "$TMP/h" "$URL/export.csv?domaine=veille-juridique" >"$TMP/csv"
check "the CSV export is an attachment with a header row" sh -c "grep -qi 'content-disposition: attachment; filename=\"vigie-resultats.csv\"' '$TMP/h' && head -1 '$TMP/csv' | grep -q '\"Titre\";\"Chemin\";'"
check "…one row per result, the whole list, with the version's address" sh -c "[ \$(grep -c 'veille-juridique/' '$TMP/csv') -eq \$(curl -s '$URL/api/search?domaine=veille-juridique' | jq '.total') ] && grep -q '/#/doc?repo=docs&path=veille-juridique%2F2026%2Fdu-jour.md&rev=' '$TMP/csv'"
printf -- '---\ntitre: "=HYPERLINK(\\"http://example.invalid\\") \\"devis\\""\ndate: 2026-03-02\ndomaine: veille-juridique\ntype: note\n---\nNote sur les devis.\n' |
  add_note veille-juridique/2026/formule.md 2026-03-02 "Note au titre piégé"
check "a title that looks like a formula is exported as text, quotes doubled" sh -c "curl -s '$URL/export.csv?q=devis' | grep -q '^\"'\''=HYPERLINK(\"\"http://example.invalid\"\") \"\"devis\"\"\";'"
git -C "$TMP/docs" rm -q veille-juridique/2026/formule.md
commit_all "$TMP/docs" 2026-03-03 "Retrait de la note au titre piégé"
"$VIGIE" update --repo "$TMP/docs" --db "$TMP/index" --quiet >/dev/null
check "a feed says what was deleted, by which commit, newest first" sh -c "curl -s '$URL/feed.atom?domaine=veille-juridique' >'$TMP/f' && xmllint --noout '$TMP/f' && grep -q 'Supprimé : Retrait de la note au titre piégé' '$TMP/f' && grep -q 'formule.md&amp;rev=[0-9a-f]*#suppression</id>' '$TMP/f' && [ \"\$(grep -o '<updated>[^<]*' '$TMP/f' | sed -n 2p)\" = '<updated>2026-03-03T12:00:00Z' ]"
check "…and a deleted note is no longer searched" sh -c "curl -s '$URL/api/search?q=devis' | jq -e '.total == 0'"
check "a rebuild is picked up too" sh -c "'$VIGIE' rebuild --repo '$TMP/docs' --db '$TMP/index' --quiet >/dev/null && curl -s '$URL/api/search?q=dotation+globale' | grep -q 'du-jour.md'"

# 64 concurrent clients, bounded: every answer is a 200.
seq 1 256 | xargs -P 64 -I{} curl -s -o /dev/null -w '%{http_code}\n' "$URL/api/search?q=r%C3%A9gie&offset={}" >"$TMP/codes"
check "64 concurrent clients all get answers" sh -c "[ \$(grep -c '^200$' '$TMP/codes') -eq 256 ]"

check "a period of the documents' dates narrows the results, bounds included" sh -c "all=\$(curl -s '$URL/api/search?q=&limit=100' | jq .total) && some=\$(curl -s '$URL/api/search?q=&du=2026-01-01&limit=100' | jq .total) && [ \$some -gt 0 ] && [ \$some -lt \$all ] && curl -s '$URL/api/search?q=&du=2026-01-01&limit=100' | jq -e '[.hits[].date] | all(. >= \"2026-01-01\")' && curl -s '$URL/api/search?q=&au=2025-12-31&limit=100' | jq -e '[.hits[].date] | all(. <= \"2025-12-31\")'"
check "…and a bad bound is a 400 in French" sh -c "[ \$(curl -s -o '$TMP/b' -w '%{http_code}' '$URL/api/search?q=&du=hier') = 400 ] && grep -q 'AAAA-MM-JJ' '$TMP/b'"
check "the demo's attachments are searched: a PDF of several pages at its page, an ODT, a spreadsheet" sh -c "curl -s '$URL/api/search?q=raisons+financi%C3%A8res' | jq -e '.hits[0].path == \"modeles/voyages-scolaires.pdf\" and .hits[0].page == 2 and .hits[0].format == \"pdf\"' && curl -s '$URL/api/search?q=nuit%C3%A9e' | jq -e '.hits[0].path == \"modeles/convention-hebergement.odt\"' && curl -s '$URL/api/search?q=demi-pension+cinq+jours' | jq -e '.hits[0].path == \"modeles/tarifs-restauration.ods\"'"
check "facet values carry the labels of the repository's schema" sh -c "curl -s '$URL/api/fields' | jq -e '.labels.domaine.comptabilite == \"Comptabilité\" and .labels.statut.publie == \"Publié\"'"
# SIGHUP rereads the configuration.
sed -i 's|^web = .*|web = '"$TMP"'/web2|' "$TMP/vigie.conf"
mkdir -p "$TMP/web2"
echo '<!doctype html><title>autre</title>' >"$TMP/web2/index.html"
kill -HUP "$SERVER_PID"
eventually "SIGHUP reloads the configuration" sh -c "curl -s '$URL/' | grep -q autre && grep -q 'configuration rechargée' '$TMP/server.log'"
check "one log line per request" grep -q 'GET /api/search 200' "$TMP/server.log"

# HTTPS with libmicrohttpd's TLS, for sites without a reverse proxy.
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$TMP/key.pem" -out "$TMP/cert.pem" -days 2 \
	-subj "/CN=127.0.0.1" 2>/dev/null
"$VIGIE_SERVER" --repo "$TMP/docs" --index "$TMP/index" --web "$ROOT/web" --port 0 \
	--tls-cert "$TMP/cert.pem" --tls-key "$TMP/key.pem" >"$TMP/tls.out" 2>/dev/null &
tls_pid=$!
deadline=$(($(date +%s) + 60))
while ! grep -q 'écoute sur' "$TMP/tls.out" && [ "$(date +%s)" -lt "$deadline" ] && kill -0 "$tls_pid" 2>/dev/null; do sleep 0.05; done
tls_url=$(sed -n 's/.*écoute sur \(https[^ ]*\)\/$/\1/p' "$TMP/tls.out")
check "HTTPS serves searches" sh -c "curl -sk '$tls_url/api/search?q=budget' | jq -e '.total > 0'"
kill "$tls_pid"
wait "$tls_pid" 2>/dev/null

# SIGTERM: the request in flight finishes, then the server exits 0.
curl -s -o "$TMP/last" "$URL/api/search?q=r%C3%A9gie&limit=100" &
kill -TERM "$SERVER_PID"
wait "$SERVER_PID"
code=$?
SERVER_PID=
check "SIGTERM stops cleanly" test "$code" -eq 0
finish
