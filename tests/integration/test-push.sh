#!/bin/sh
# Jurists push with the real git client to the real server: accounts,
# roles, push-time checks in French, reindex on push, concurrent pushes, a
# push during a rebuild, and the per-file visibility that is refused.
. "$(dirname "$0")/lib.sh"

cd "$TMP"
check "init-repo makes a bare documentation repository" "$VIGIE" init-repo --bare "$TMP/docs.git"
htpasswd -bcB "$TMP/users" alice 'mot-de-passe-a' 2>/dev/null
htpasswd -bB "$TMP/users" bob 'mot-de-passe-b' 2>/dev/null
htpasswd -bB "$TMP/users" carol 'mot-de-passe-c' 2>/dev/null
htpasswd -bB "$TMP/users" dave 'mot-de-passe-d' 2>/dev/null
cat >"$TMP/groups" <<'G'
contributors: alice bob
admins: carol
lille: alice carol
amiens: bob
G
"$VIGIE" update --repo "$TMP/docs.git" --db "$TMP/index" --quiet >/dev/null
start_server "$TMP/docs.git" "$TMP/index" --users "$TMP/users" --groups "$TMP/groups" --watch-ms 200
trap 'stop_server; rm -rf "$TMP"' EXIT
host=${URL#http://}
as() { echo "http://$1@$host"; }

check "anonymous clone" git clone -q "$URL/git/docs.git" "$TMP/a"
# The repository's own guides are left out of searches unless asked for.
check "CONTRIBUTING.md is not among the results" sh -c "curl -s '$URL/api/search?q=codificatrice' | jq -e '.total == 0'"
check "…unless its type is chosen" sh -c "curl -s '$URL/api/search?q=codificatrice&type=guide' | grep -q 'CONTRIBUTING.md'"
for c in a; do git -C "$TMP/$c" config user.name "Alice Juriste"; git -C "$TMP/$c" config user.email alice@ac-lille.fr; done
head0=$(git --git-dir="$TMP/docs.git" rev-parse HEAD)

note() { # note FILE TITLE [extra front matter line]
	printf -- '---\ntitre: %s\ndate: 2026-11-20\ndomaine: veille-juridique\ntype: note\nacademie: region\n%s---\n%s\n' \
		"$2" "${3:-}" "${4:-Veille mutualisée entre Lille et Amiens sur l’article R 222-3-4 du code de l’éducation.}" >"$1"
}
note "$TMP/a/veille-juridique/2026/r222-3-4.md" "Veille sur l'article R. 222-3-4"
git -C "$TMP/a" add -A && git -C "$TMP/a" commit -q -m "Veille R. 222-3-4"
GIT_TERMINAL_PROMPT=0 git -C "$TMP/a" push -q "$URL/git/docs.git" main >"$TMP/o" 2>&1
check "a push without a password is refused" sh -c "! GIT_TERMINAL_PROMPT=0 git -C '$TMP/a' push -q '$URL/git/docs.git' main 2>/dev/null"
check "a push with a wrong password is refused" sh -c "! git -C '$TMP/a' push -q '$(as alice:faux)/git/docs.git' main 2>'$TMP/o' && grep -q 'Authentication failed' '$TMP/o'"
check "a reader account cannot push" sh -c "! git -C '$TMP/a' push -q '$(as dave:mot-de-passe-d)/git/docs.git' main 2>'$TMP/o'"
check "…and the repository is unchanged" test "$(git --git-dir="$TMP/docs.git" rev-parse HEAD)" = "$head0"

start=$(date +%s%N)
check "a contributor's push lands" git -C "$TMP/a" push -q "$(as alice:mot-de-passe-a)/git/docs.git" main
found=
for i in $(seq 1 40); do
	if curl -s "$URL/api/search?q=R222-3-4" | grep -q 'r222-3-4.md'; then found=$(( ($(date +%s%N) - start) / 1000000 )); break; fi
	sleep 0.05
done
check "the note is searchable within 2 seconds (${found:-never} ms)" test -n "$found"

# A note with a missing date: refused whole, the message says which file and field.
note "$TMP/a/veille-juridique/2026/sans-date.md" "Sans date"
sed -i '/^date:/d' "$TMP/a/veille-juridique/2026/sans-date.md"
note "$TMP/a/veille-juridique/2026/bonne.md" "Une bonne note"
git -C "$TMP/a" add -A && git -C "$TMP/a" commit -q -m "Deux notes"
before=$(git --git-dir="$TMP/docs.git" rev-parse HEAD)
git -C "$TMP/a" push "$(as alice:mot-de-passe-a)/git/docs.git" main >"$TMP/o" 2>&1
check "a bad note is refused with its file and field, in French" sh -c "grep -q 'remote:   - veille-juridique/2026/sans-date.md : champ « date » manquant' '$TMP/o' && grep -q 'Envoi refusé' '$TMP/o'"
check "nothing of the refused push landed" test "$(git --git-dir="$TMP/docs.git" rev-parse HEAD)" = "$before"
check "vigie-index check says the same on the jurist's machine" sh -c "! '$VIGIE' check --repo '$TMP/a' veille-juridique/2026/sans-date.md 2>'$TMP/o' && grep -q 'champ « date » manquant' '$TMP/o'"
git -C "$TMP/a" reset -q --soft HEAD~1
git -C "$TMP/a" rm -q --cached veille-juridique/2026/sans-date.md && rm "$TMP/a/veille-juridique/2026/sans-date.md"
git -C "$TMP/a" commit -q -m "Une bonne note"
check "the corrected push lands" git -C "$TMP/a" push -q "$(as alice:mot-de-passe-a)/git/docs.git" main

# Two clones push at once: one wins, the other rebases and lands too.
git clone -q "$(as bob:mot-de-passe-b)/git/docs.git" "$TMP/b"
git -C "$TMP/b" config user.name "Bob"; git -C "$TMP/b" config user.email bob@ac-amiens.fr
note "$TMP/a/veille-juridique/2026/lille.md" "Note de Lille" "" "Dotation de fonctionnement, note écrite à Lille."
note "$TMP/b/veille-juridique/2026/amiens.md" "Note d'Amiens" "" "Dotation de fonctionnement, note écrite à Amiens."
git -C "$TMP/a" add -A && git -C "$TMP/a" commit -q -m "Lille"
git -C "$TMP/b" add -A && git -C "$TMP/b" commit -q -m "Amiens"
git -C "$TMP/a" push -q "$(as alice:mot-de-passe-a)/git/docs.git" main 2>/dev/null & pa=$!
git -C "$TMP/b" push -q "$(as bob:mot-de-passe-b)/git/docs.git" main 2>/dev/null & pb=$!
wait $pa; ra=$?; wait $pb; rb=$?
check "concurrent pushes: exactly one wins" test $((ra + rb)) -ne 0 -a $((ra * rb)) -eq 0
loser=b; [ $rb -eq 0 ] && loser=a
user=bob:mot-de-passe-b; [ $loser = a ] && user=alice:mot-de-passe-a
check "…the other rebases and lands" sh -c "git -C '$TMP/$loser' pull -q --rebase '$(as $user)/git/docs.git' main && git -C '$TMP/$loser' push -q '$(as $user)/git/docs.git' main"
eventually "…and both notes are found" sh -c "curl -s '$URL/api/search?q=dotation' | grep -q lille.md && curl -s '$URL/api/search?q=dotation' | grep -q amiens.md"

# A push cut off mid-way: nothing lands, the server goes on.
head -c 60000000 /dev/urandom >"$TMP/b/modeles/gros.bin"
git -C "$TMP/b" pull -q --rebase "$(as bob:mot-de-passe-b)/git/docs.git" main
git -C "$TMP/b" add -A && git -C "$TMP/b" commit -q -m "Gros fichier"
before=$(git --git-dir="$TMP/docs.git" rev-parse HEAD)
# The push and its helpers in a session of their own, killed together.
setsid git -C "$TMP/b" push -q "$(as bob:mot-de-passe-b)/git/docs.git" main >/dev/null 2>&1 &
cut=$!
# Cut it once git has begun receiving the pack (its quarantine folder).
deadline=$(($(date +%s) + 60))
until ls "$TMP/docs.git/objects" | grep -q incoming || [ "$(date +%s)" -ge "$deadline" ]; do sleep 0.01; done
kill -KILL "-$cut" 2>/dev/null
wait "$cut" 2>/dev/null
check "a push cut off mid-way leaves the repository unchanged" test "$(git --git-dir="$TMP/docs.git" rev-parse HEAD)" = "$before"
check "…and the server still answers" sh -c "curl -s '$URL/healthz' | jq -e '.status == \"ok\"'"
git -C "$TMP/b" reset -q --hard HEAD~1

# A push while a rebuild runs.
"$VIGIE" rebuild --repo "$TMP/docs.git" --db "$TMP/index" --quiet >/dev/null 2>&1 & rebuild=$!
note "$TMP/b/veille-juridique/2026/pendant.md" "Pendant la reconstruction" "" "Note envoyée pendant une reconstruction de l'index."
git -C "$TMP/b" pull -q --rebase "$(as bob:mot-de-passe-b)/git/docs.git" main
git -C "$TMP/b" add -A && git -C "$TMP/b" commit -q -m "Pendant"
check "a push during a rebuild lands" git -C "$TMP/b" push -q "$(as bob:mot-de-passe-b)/git/docs.git" main
wait $rebuild
check "the rebuild finished" test $? -eq 0
eventually "…and the note is found" sh -c "curl -s '$URL/api/search?q=reconstruction' | grep -q pendant.md"

# Access is per repository: a note asking for a per-file restriction is
# refused, and told where it belongs.
git -C "$TMP/a" pull -q --rebase "$(as alice:mot-de-passe-a)/git/docs.git" main
note "$TMP/a/veille-juridique/2026/reservee.md" "Note réservée à Lille" "visibilite: lille
" "Le xylophone budgétaire de Lille."
git -C "$TMP/a" add -A && git -C "$TMP/a" commit -q -m "Note réservée"
check "a note with a visibilite field is refused, saying where it belongs" sh -c "! git -C '$TMP/a' push -q '$(as alice:mot-de-passe-a)/git/docs.git' main 2>'$TMP/o' && grep -q 'reservee.md : champ « visibilite » retiré' '$TMP/o' && grep -q 'dépôt de cette académie' '$TMP/o'"
check "…and nothing of it is indexed" sh -c "curl -s '$(as carol:mot-de-passe-c)/api/search?q=xylophone' | jq -e '.total == 0'"
git -C "$TMP/a" reset -q --hard HEAD~1

check "reindex needs an admin" sh -c "[ \$(curl -s -o /dev/null -w '%{http_code}' -X POST '$URL/api/reindex') = 401 ] && [ \$(curl -s -o /dev/null -w '%{http_code}' -X POST '$(as alice:mot-de-passe-a)/api/reindex') = 403 ]"
check "an admin can reindex" sh -c "curl -s -X POST '$(as carol:mot-de-passe-c)/api/reindex' | jq -e --arg c '$(git --git-dir="$TMP/docs.git" rev-parse HEAD)' '[.. | objects | .commit? // empty] | index(\$c) != null'"
stop_server
start_server "$TMP/docs.git" "$TMP/index" --users "$TMP/users" --groups "$TMP/groups" --anonymous no
host=${URL#http://}
check "without anonymous reading, searching needs an account" sh -c "[ \$(curl -s -o /dev/null -w '%{http_code}' '$URL/api/search?q=x') = 401 ] && [ \$(curl -s -o /dev/null -w '%{http_code}' '$(as dave:mot-de-passe-d)/api/search?q=x') = 200 ]"
finish
