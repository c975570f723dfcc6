#!/bin/sh
# The git bridge serves only git's smart protocol, and decides clone or push
# from the program git http-backend will run and the repository the URL
# names: an account that may not read a repository cannot get its objects
# through any /git/ URL form, nor learn that it exists.
. "$(dirname "$0")/lib.sh"

cd "$TMP"
# docs: Amiens only; commun: everyone reads, contributors push.
repository docs amiens
repository commun all
git clone -q "$TMP/docs.git" "$TMP/w"
git -C "$TMP/w" config user.name Admin; git -C "$TMP/w" config user.email admin@ac-amiens.fr
printf -- '---\ntitre: Tarif confidentiel\ndate: 2026-11-20\ndomaine: veille-juridique\ntype: note\nacademie: amiens\n---\nLe zygomorphe tarifaire d’Amiens.\n' \
	>"$TMP/w/veille-juridique/amiens-seul.md"
commit_all "$TMP/w" 2026-11-20 "Note réservée à Amiens"
git -C "$TMP/w" push -q origin HEAD
secret_blob=$(git -C "$TMP/w" rev-parse HEAD:veille-juridique/amiens-seul.md)
# One loose object, for the dumb protocol's object URLs.
loose=$(printf 'zygomorphe en clair\n' | git --git-dir="$TMP/docs.git" hash-object -w --stdin)

htpasswd -bcB "$TMP/users" lil 'mdp-lil' 2>/dev/null
htpasswd -bB "$TMP/users" adm 'mdp-adm' 2>/dev/null
htpasswd -bB "$TMP/users" rdr 'mdp-rdr' 2>/dev/null
printf 'contributors: lil\nadmins: adm\nlille: lil rdr\n' >"$TMP/groups"
"$VIGIE" update --repo "$TMP/docs.git" --db "$TMP/index-docs" --quiet >/dev/null
launch_server --config "$TMP/vigie.conf" --users "$TMP/users" --groups "$TMP/groups"
trap 'stop_server; rm -rf "$TMP"' EXIT
host=${URL#http://}
as() { echo "http://$1@$host"; }
LIL=$(as lil:mdp-lil)
ADM=$(as adm:mdp-adm)

# code METHOD URL [curl options...]: the status; the body goes to $TMP/body.
code() {
	m=$1 u=$2
	shift 2
	curl -s -g -o "$TMP/body" -w '%{http_code}' -X "$m" "$@" "$u"
}
# leaks: the last body holds the restricted note's words or object ids.
leaks() { grep -aqE "zygomorphe|$secret_blob|$loose|PACK" "$TMP/body"; }
refused() { # refused WANT METHOD URL [curl options...]
	want=$1
	shift
	got=$(code "$@")
	[ "$got" = "$want" ] && ! leaks
}

check "the admin clones with the real git client" git clone -q "$ADM/git/docs.git" "$TMP/adm"
check "…and gets the restricted note" test -f "$TMP/adm/veille-juridique/amiens-seul.md"
check "a Lille contributor cannot clone it, nor tell it from a repository that does not exist" sh -c "! git clone -q '$LIL/git/docs.git' '$TMP/c1' 2>'$TMP/o' && ! git clone -q '$LIL/git/nulle-part.git' '$TMP/c2' 2>'$TMP/o2' && sed 's/docs/X/' '$TMP/o' >'$TMP/o1' && sed 's/nulle-part/X/' '$TMP/o2' | cmp -s - '$TMP/o1'"
check "anonymous users are asked to log in for it, as for any name" sh -c "[ \$(curl -s -o /dev/null -w '%{http_code}' '$URL/git/docs.git/info/refs?service=git-upload-pack') = 401 ] && [ \$(curl -s -o /dev/null -w '%{http_code}' '$URL/git/nulle-part.git/info/refs?service=git-upload-pack') = 401 ]"
check "…nor list its refs, with either protocol version" sh -c "! git ls-remote '$LIL/git/docs.git' >/dev/null 2>&1 && ! git -c protocol.version=2 ls-remote '$LIL/git/docs.git' >/dev/null 2>&1"

# The hole this test is for: receive-pack named in the query, upload-pack served.
check "a second service parameter is refused (receive-pack first)" \
	refused 400 GET "$LIL/git/commun.git/info/refs?service=git-receive-pack&service=git-upload-pack"
check "a second service parameter is refused (upload-pack first)" \
	refused 400 GET "$LIL/git/commun.git/info/refs?service=git-upload-pack&service=git-receive-pack"
check "…and on a repository it may not read, the answer is the unknown one" \
	refused 404 GET "$LIL/git/docs.git/info/refs?service=git-receive-pack&service=git-upload-pack"
head=$(git --git-dir="$TMP/docs.git" rev-parse HEAD)
printf '0032want %s\n00000009done\n' "$head" >"$TMP/want"
check "an upload-pack POST is a fetch whatever its query says" \
	refused 404 POST "$LIL/git/docs.git/git-upload-pack?service=git-receive-pack" \
	-H 'Content-Type: application/x-git-upload-pack-request' --data-binary "@$TMP/want"
check "…and the same POST is served to the admin (the request is real)" \
	sh -c "[ \$(curl -s -o '$TMP/pack' -w '%{http_code}' -H 'Content-Type: application/x-git-upload-pack-request' --data-binary '@$TMP/want' '$ADM/git/docs.git/git-upload-pack') = 200 ] && grep -aq PACK '$TMP/pack'"
check "an upload-pack advertisement asked with receive-pack's URL suffix is refused" \
	refused 404 GET "$LIL/git/docs.git/info/refs/git-receive-pack?service=git-upload-pack"

# The dumb protocol is off, for everyone, whatever the query says.
for who in LIL ADM; do
	eval "base=\$$who"
	check "dumb HTTP is off for $who: /info/refs without a service" refused 404 GET "$base/git/docs.git/info/refs"
	for p in "HEAD" "objects/info/packs" "objects/info/alternates" \
		"objects/$(echo "$loose" | cut -c1-2)/$(echo "$loose" | cut -c3-)" "config" "description"; do
		check "dumb HTTP is off for $who: /$p" refused 404 GET "$base/git/docs.git/$p?service=git-receive-pack"
	done
	packfile=$(cd "$TMP/docs.git" && ls objects/pack/*.pack 2>/dev/null | head -1)
	[ -n "$packfile" ] && check "dumb HTTP is off for $who: a pack file" refused 404 GET "$base/git/docs.git/$packfile"
done

# Other URL forms are not git's: 404, never a guess.
for p in "info/refs/" "/info/refs" "./info/refs" "x/../info/refs" "info/refs%2F" "git-upload-pack/" \
	"info/refs?" "INFO/REFS" "info/refs/../../docs.git/info/refs"; do
	check "URL form /git/docs.git/$p is a 404" refused 404 GET "$LIL/git/docs.git/$p?service=git-receive-pack" --path-as-is
done
check "an unknown service is a 404" refused 404 GET "$LIL/git/docs.git/info/refs?service=git-upload-archive"
check "a GET of git-upload-pack is a 404" refused 404 GET "$ADM/git/docs.git/git-upload-pack"
check "a POST to info/refs is a 404" refused 404 POST "$ADM/git/docs.git/info/refs?service=git-upload-pack" --data-binary "@$TMP/want"
check "the name without .git is the same repository" sh -c "[ \$(curl -s -o /dev/null -w '%{http_code}' '$ADM/git/docs/info/refs?service=git-upload-pack') = 200 ]"
check "another repository name is a 404" refused 404 GET "$ADM/git/autre.git/info/refs?service=git-upload-pack"
check "a parent folder is a 404" refused 404 GET "$ADM/git/docs.git/../docs.git/info/refs?service=git-upload-pack" --path-as-is

# Push stays what it was: contributors only, decided by receive-pack.
check "anonymous users are asked to log in for receive-pack" refused 401 GET "$URL/git/commun.git/info/refs?service=git-receive-pack"
check "a reader account is refused receive-pack" refused 403 GET "$(as rdr:mdp-rdr)/git/commun.git/info/refs?service=git-receive-pack"
check "a reader's receive-pack POST is refused too" refused 403 POST "$(as rdr:mdp-rdr)/git/commun.git/git-receive-pack?service=git-upload-pack" --data-binary "@$TMP/want"
check "a contributor who may not read a repository cannot push to it" refused 404 GET "$LIL/git/docs.git/info/refs?service=git-receive-pack"
git clone -q "$LIL/git/commun.git" "$TMP/lil"
printf -- '---\ntitre: Note de Lille\ndate: 2026-11-21\ndomaine: veille-juridique\ntype: note\nacademie: lille\n---\nUne note de Lille.\n' \
	>"$TMP/lil/veille-juridique/lille.md"
git -C "$TMP/lil" -c user.name=Lil -c user.email=lil@ac-lille.fr add -A
git -C "$TMP/lil" -c user.name=Lil -c user.email=lil@ac-lille.fr commit -q -m "Note de Lille"
check "a contributor pushes with the real git client" git -C "$TMP/lil" push -q origin HEAD
check "…and the branch moved" test "$(git --git-dir="$TMP/commun.git" rev-parse HEAD)" = "$(git -C "$TMP/lil" rev-parse HEAD)"
finish
