#!/bin/sh
# What a push may not do, even with a contributor account: land a bad
# commit hidden behind a fix, change the schema, rewrite or delete the
# indexed branch, create other branches or tags, or exceed the size limit.
# Each refusal is explained in French and changes nothing.
. "$(dirname "$0")/lib.sh"

cd "$TMP"
"$VIGIE" init-repo --bare "$TMP/docs.git" >/dev/null
htpasswd -bcB "$TMP/users" alice 'mdp-alice' 2>/dev/null
htpasswd -bB "$TMP/users" carol 'mdp-carol' 2>/dev/null
printf 'contributors: alice\nadmins: carol\n' >"$TMP/groups"
"$VIGIE" update --repo "$TMP/docs.git" --db "$TMP/index" --quiet >/dev/null
start_server "$TMP/docs.git" "$TMP/index" --users "$TMP/users" --groups "$TMP/groups" --max-push 2M
trap 'stop_server; rm -rf "$TMP"' EXIT
host=${URL#http://}
ALICE="http://alice:mdp-alice@$host/git/docs.git"
CAROL="http://carol:mdp-carol@$host/git/docs.git"
git clone -q "$ALICE" "$TMP/w"
git -C "$TMP/w" config user.name Alice
git -C "$TMP/w" config user.email alice@ac-lille.fr

refs() { git --git-dir="$TMP/docs.git" for-each-ref --format='%(refname) %(objectname)'; }
note() { # note FILE TITLE [DATE]
	printf -- '---\ntitre: %s\n%sdomaine: veille-juridique\ntype: note\nacademie: region\n---\nTexte de la note.\n' \
		"$2" "${3:+date: $3
}" >"$TMP/w/$1"
}
# refused NAME PATTERN GIT-ARGS...: the push fails, says PATTERN, and no ref moves.
refused() {
	name=$1 pattern=$2
	shift 2
	before=$(refs)
	if git -C "$TMP/w" "$@" >"$TMP/o" 2>&1; then
		not_ok "$name (the push landed)"
	elif ! grep -q -- "$pattern" "$TMP/o"; then
		not_ok "$name (no « $pattern » in the answer)"
		sed 's/^/    /' "$TMP/o"
	elif [ "$(refs)" != "$before" ]; then
		not_ok "$name (a ref moved)"
	else
		ok "$name"
	fi
}

# A bad commit followed by its fix, in one push: the bad one is refused.
note veille-juridique/mauvaise.md "Sans date"
git -C "$TMP/w" add -A && git -C "$TMP/w" commit -q -m "Note sans date"
bad=$(git -C "$TMP/w" rev-parse --short=7 HEAD)
note veille-juridique/mauvaise.md "Avec date" 2026-11-20
git -C "$TMP/w" add -A && git -C "$TMP/w" commit -q -m "Date ajoutée"
refused "a bad commit hidden behind its fix is refused" "dans le commit $bad" push -q "$ALICE" main
check "…and the message names the file and field in French" grep -q "mauvaise.md : champ « date » manquant" "$TMP/o"
git -C "$TMP/w" reset -q --soft HEAD~2 && git -C "$TMP/w" commit -q -m "Note datée"
check "the same note in one good commit lands" git -C "$TMP/w" push -q "$ALICE" main

# The schema is the server's: a contributor cannot change it, an admin can.
printf '\n# commentaire ajouté\n' >>"$TMP/w/.vigie/schema.yml"
git -C "$TMP/w" commit -qam "Schéma modifié"
refused "a contributor cannot change the schema" "seuls les administrateurs" push -q "$ALICE" main
check "an admin can" git -C "$TMP/w" push -q "$CAROL" main

# The indexed branch is never rewritten nor deleted.
note veille-juridique/deux.md "Deux" 2026-11-21
git -C "$TMP/w" add -A && git -C "$TMP/w" commit -q -m "Deux"
git -C "$TMP/w" push -q "$ALICE" main
git -C "$TMP/w" reset -q --hard HEAD~1
note veille-juridique/trois.md "Trois" 2026-11-22
git -C "$TMP/w" add -A && git -C "$TMP/w" commit -q -m "Trois"
refused "a force-push that rewrites the branch is refused" "ne peut pas être réécrit" push -q --force "$ALICE" main
refused "…even by an admin" "ne peut pas être réécrit" push -q --force "$CAROL" main
refused "deleting the indexed branch is refused" "ne peut pas être supprimée" push -q "$CAROL" :main

# Other branches and tags are refused unless the repository allows them.
refused "another branch is refused" "n'accepte que la branche refs/heads/main" push -q "$ALICE" HEAD:refs/heads/brouillon
git -C "$TMP/w" tag v1 HEAD
refused "a tag is refused" "n'accepte que la branche" push -q "$ALICE" refs/tags/v1

# Size: a push above max_push is refused.
git -C "$TMP/w" pull -q --rebase "$ALICE" main
head -c 5000000 /dev/urandom >"$TMP/w/modeles/gros.bin"
git -C "$TMP/w" add -A && git -C "$TMP/w" commit -q -m "Gros fichier"
before=$(refs)
check "a push above the size limit is refused with a 413" sh -c "! git -C '$TMP/w' push -q '$ALICE' main >'$TMP/o' 2>&1 && grep -q 413 '$TMP/o'"
check "…and changes nothing" test "$(refs)" = "$before"
head -c 3000000 /dev/zero >"$TMP/body"
code=$(curl -s -o "$TMP/o" -w '%{http_code}' -H 'Content-Type: application/x-git-receive-pack-request' \
	--data-binary "@$TMP/body" "$ALICE/git-receive-pack")
check "an announced oversize push is a 413 explained in French" sh -c "[ $code = 413 ] && grep -q 'envoi trop volumineux' '$TMP/o'"
git -C "$TMP/w" reset -q --hard HEAD~1

# With other_refs, a tag lands (and the branch rules stay).
stop_server
start_server "$TMP/docs.git" "$TMP/index" --users "$TMP/users" --groups "$TMP/groups" --other-refs yes
host=${URL#http://}
ALICE="http://alice:mdp-alice@$host/git/docs.git"
check "with other_refs = yes, a tag is accepted" git -C "$TMP/w" push -q "$ALICE" refs/tags/v1
check "the server still answers after every refusal" sh -c "curl -s '$URL/healthz' | jq -e '.status == \"ok\"'"
finish
