#!/bin/sh
# Several repositories, each read by its own groups: words planted in every
# part of the notes and attachments of `lille` and `amiens` (title, body,
# keywords, references, path, sidecar) never reach, through any route, an
# account that may not read that repository, nor do their commit ids; what
# one may read is searched as one, references resolve across repositories,
# and a mirror follows its upstream, read-only.
. "$(dirname "$0")/lib.sh"

cd "$TMP"
repository commun anonymous contributors
repository lille lille juristes-lille
repository amiens amiens juristes-amiens
echo "other_refs = yes" >>"$TMP/vigie.conf" # amiens accepts tags, the others do not
# The mirror of an official code, fetched from its upstream.
git init -q -b main "$TMP/upstream"
mkdir -p "$TMP/upstream/code"
printf '# Article R421-58\n\nLe budget de l’établissement est préparé par le chef d’établissement.\n' \
	>"$TMP/upstream/code/article-r421-58.md"
commit_all "$TMP/upstream" 2013-01-01 "Décret n° 2012-1246"
git clone -q --bare "$TMP/upstream" "$TMP/code.git"
"$VIGIE" update --repo "$TMP/code.git" --db "$TMP/index-code" --quiet >/dev/null
printf '[repository code]\npath = %s\nindex = %s\nread = all\ntitle = Code de l’éducation\nupstream = %s\nfetch_every = 1\n' \
	"$TMP/code.git" "$TMP/index-code" "$TMP/upstream" >>"$TMP/vigie.conf"

# A repository whose index its watcher has yet to build.
"$VIGIE" init-repo --bare "$TMP/neuf.git" >/dev/null
printf '[repository neuf]\npath = %s\nindex = %s\nread = anonymous\n' "$TMP/neuf.git" "$TMP/index-neuf" >>"$TMP/vigie.conf"

# plant REPO TAG DATE: a note and an attachment with its sidecar, each
# field holding a word of its own ("${TAG}titre"...).
plant() {
	git clone -q "$TMP/$1.git" "$TMP/w-$1"
	d="$TMP/w-$1/veille-juridique/${2}dossier"
	mkdir -p "$d"
	cat >"$d/note.md" <<NOTE
---
titre: Note ${2}titre
date: $3
domaine: veille-juridique
type: note
academie: $1
mots-cles: [${2}motcle]
references: ["article R. 421-58", "décret n° 2099-$4"]
---
# Note

Le ${2}corps de la note, qui applique l'article R. 421-58.
NOTE
	printf '<html><body><p>La %spiece jointe.</p></body></html>\n' "$2" >"$d/annexe.html"
	printf 'titre: Annexe %sannexe\ndomaine: veille-juridique\n' "$2" >"$d/annexe.html.meta.yml"
	commit_all "$TMP/w-$1" "$3" "Note de $1"
	git -C "$TMP/w-$1" push -q origin HEAD
	"$VIGIE" update --repo "$TMP/$1.git" --db "$TMP/index-$1" --quiet >/dev/null
}
plant lille lilzq 2026-03-02 4141
plant amiens amzq 2026-04-03 4242
LIL_WORDS="lilzqtitre lilzqcorps lilzqmotcle lilzqdossier lilzqpiece lilzqannexe 2099-4141"
AMI_WORDS="amzqtitre amzqcorps amzqmotcle amzqdossier amzqpiece amzqannexe 2099-4242"
# Their own commits: those that planted the words (each repository's
# first commit comes from the template, the same wherever made in the
# same second).
LIL_COMMITS=$(git --git-dir="$TMP/lille.git" rev-list --all -- veille-juridique/lilzqdossier | cut -c1-12 | tr '\n' ' ')
AMI_COMMITS=$(git --git-dir="$TMP/amiens.git" rev-list --all -- veille-juridique/amzqdossier | cut -c1-12 | tr '\n' ' ')
[ -n "$LIL_COMMITS" ] && [ -n "$AMI_COMMITS" ] || { echo "no commit of their own" >&2; exit 1; }
LIL_HEAD=$(git --git-dir="$TMP/lille.git" rev-parse HEAD)
AMI_HEAD=$(git --git-dir="$TMP/amiens.git" rev-parse HEAD)

for u in juriste-lille juriste-amiens comptable-lille admin seul; do
	[ -f "$TMP/users" ] && c=-bB || c=-bcB
	htpasswd $c "$TMP/users" "$u" "mdp-$u" 2>/dev/null
done
cat >"$TMP/groups" <<'G'
contributors: juriste-lille juriste-amiens
juristes-lille: juriste-lille
juristes-amiens: juriste-amiens
lille: juriste-lille comptable-lille
amiens: juriste-amiens
admins: admin
G
launch_server --config "$TMP/vigie.conf" --users "$TMP/users" --groups "$TMP/groups" --watch-ms 200
trap 'stop_server; rm -rf "$TMP"' EXIT
host=${URL#http://}
as() { [ "$1" = anonyme ] && echo "$URL" || echo "http://$1:mdp-$1@$host"; }

# leaked WORDS...: the last body ($TMP/body) holds one of them, other than
# those the request itself named ($asked), which an error may repeat.
asked=
leaked() {
	for w in "$@"; do
		case $asked in *"$w"*) continue ;; esac
		grep -aqiF -- "$w" "$TMP/body" && { echo "leaked: $w"; return 0; }
	done
	return 1
}

# Every route a reader may call, with the other repository's words, paths,
# dates and commits in its parameters.
routes() { # routes TAG PATH COMMIT REPO
	t=$1 p=$2 c=$3 r=$4
	for w in ${t}titre ${t}corps ${t}motcle ${t}dossier ${t}piece ${t}annexe; do
		echo "/api/search?q=$w"
		echo "/api/search?q=$w&verbatim=1"
		echo "/api/search?q=titre:$w"
		echo "/api/search?q=$(echo "$w" | cut -c1-6)*"
		echo "/api/search?q=$w&as_of=2026-12-31"
		echo "/api/suggest?q=$(echo "$w" | cut -c1-6)"
		echo "/api/suggest?q=$(echo "$w" | cut -c1-6)&format=opensearch"
		echo "/feed.atom?q=$w"
		echo "/export.csv?q=$w"
	done
	echo "/api/search?q=ref:R421-58"
	echo "/api/search?q=d%C3%A9cret+2099"
	echo "/api/search?academie=$r"
	echo "/api/search?domaine=veille-juridique&limit=100"
	echo "/api/search?q=&sort=recent&limit=100"
	echo "/api/search?q=&sort=date&limit=100"
	echo "/api/search?repo=$r"
	echo "/api/search?q=note&as_of=$c"
	echo "/api/search?q=note&as_of=$(echo "$c" | cut -c1-7)"
	echo "/api/search?like=$p"
	echo "/api/search?like=$p&repo=$r"
	echo "/api/doc?path=$p"
	echo "/api/doc?repo=$r&path=$p"
	echo "/api/doc?path=$p&rev=$c"
	echo "/api/raw?path=$p"
	echo "/api/raw?repo=$r&path=$p"
	echo "/api/raw?path=$(dirname "$p")/annexe.html"
	echo "/api/history?path=$p"
	echo "/api/history?repo=$r&path=$p"
	echo "/api/diff?path=$p&from=$c"
	echo "/api/diff?repo=$r&path=$p&from=$c&to=$c"
	echo "/api/doc?repo=code&path=code/article-r421-58.md"
	echo "/api/fields"
	echo "/feed.atom"
	echo "/feed.atom?repo=$r"
	echo "/export.csv?domaine=veille-juridique"
	echo "/opensearch.xml"
	echo "/healthz"
	echo "/metrics"
	for g in "info/refs?service=git-upload-pack" "info/refs?service=git-receive-pack" "info/refs" "HEAD" \
		"objects/info/packs" "refs/heads/main" "config" "packed-refs"; do
		echo "/git/$r.git/$g"
		echo "/git/$r/$g"
	done
}

# nothing_of READER TAG PATH COMMIT REPO WORDS COMMITS: no route answers
# READER with the repository's words or commit ids.
nothing_of() {
	who=$1 t=$2 p=$3 c=$4 r=$5 words=$6 commits=$7
	base=$(as "$who")
	bad=0
	routes "$t" "$p" "$c" "$r" >"$TMP/routes"
	while read -r route; do
		curl -s -g -o "$TMP/body" "$base$route"
		asked=$route
		if leaked $words $commits; then
			echo "    $who $route"
			bad=1
		fi
	done <"$TMP/routes"
	asked=
	# An upload-pack POST asking for the other repository's head.
	printf '0032want %s\n00000009done\n' "$c" >"$TMP/want"
	curl -s -o "$TMP/body" -H 'Content-Type: application/x-git-upload-pack-request' --data-binary "@$TMP/want" \
		"$base/git/$r.git/git-upload-pack"
	if grep -aq PACK "$TMP/body" || leaked $words $commits; then echo "    $who upload-pack POST"; bad=1; fi
	# The real git client: clone, ls-remote, fetch.
	rm -rf "$TMP/clone"
	if GIT_TERMINAL_PROMPT=0 git clone -q "$base/git/$r.git" "$TMP/clone" 2>/dev/null; then echo "    $who cloned $r"; bad=1; fi
	if GIT_TERMINAL_PROMPT=0 git ls-remote "$base/git/$r.git" >"$TMP/body" 2>&1 && [ -s "$TMP/body" ]; then echo "    $who listed $r"; bad=1; fi
	if leaked $commits; then echo "    $who saw commits of $r"; bad=1; fi
	git init -q "$TMP/fetch-$who-$r"
	if GIT_TERMINAL_PROMPT=0 git -C "$TMP/fetch-$who-$r" fetch -q "$base/git/$r.git" "$c" 2>/dev/null; then echo "    $who fetched from $r"; bad=1; fi
	[ "$bad" -eq 0 ]
}

LIL_NOTE=veille-juridique/lilzqdossier/note.md
AMI_NOTE=veille-juridique/amzqdossier/note.md
eventually "a repository without an index yet is left out, then searched once built" sh -c "curl -s '$URL/api/search?q=note&repo=neuf' | jq -e '[.hits[].repo] | index(\"neuf\") != null'"
eventually "the mirror is served" sh -c "curl -s '$(as comptable-lille)/api/search?q=ref:R421-58' | jq -e '[.hits[].repo] | index(\"code\") != null'"
for who in anonyme juriste-amiens; do
	check "$who gets nothing of lille, through any route" nothing_of "$who" lilzq "$LIL_NOTE" "$LIL_HEAD" lille "$LIL_WORDS" "$LIL_COMMITS"
done
for who in anonyme juriste-lille comptable-lille; do
	check "$who gets nothing of amiens, through any route" nothing_of "$who" amzq "$AMI_NOTE" "$AMI_HEAD" amiens "$AMI_WORDS" "$AMI_COMMITS"
done

# The same routes do speak to who may read: the checks above can fail.
found() { # found READER ROUTE WORD
	curl -s -g "$(as "$1")$2" | grep -aqF -- "$3"
}
for w in lilzqtitre lilzqcorps lilzqmotcle lilzqpiece lilzqannexe "d%C3%A9cret+2099-4141"; do
	check "a Lille reader finds $w" found comptable-lille "/api/search?q=$w" "lilzqdossier/"
done
check "…and reads the note" found comptable-lille "/api/doc?path=$LIL_NOTE" lilzqcorps
check "an admin reads every repository as one" sh -c "curl -s '$(as admin)/api/search?q=note&limit=100' | jq -e '.facets.repo | has(\"lille\") and has(\"amiens\")'"
check "hits, documents and history name their repository" sh -c "curl -s '$(as juriste-lille)/api/search?q=lilzqtitre' | jq -e '.hits[0].repo == \"lille\"' && curl -s '$(as juriste-lille)/api/doc?path=$LIL_NOTE' | jq -e '.repo == \"lille\"' && curl -s '$(as juriste-lille)/api/history?repo=lille&path=$LIL_NOTE' | jq -e '.repo == \"lille\"'"
check "a facet and a filter by repository" sh -c "curl -s '$(as juriste-lille)/api/search?q=budget' | jq -e '.facets.repo | type == \"object\"' && curl -s '$(as juriste-lille)/api/search?q=note&repo=lille' | jq -e '(.hits | length) > 0 and ([.hits[].repo] | unique) == [\"lille\"]'"
check "…whose facet, with one repository chosen, still counts the other readable ones, and only those" sh -c "curl -s '$(as juriste-lille)/api/search?q=note&repo=lille' | jq -e '(.facets.repo | has(\"lille\") and has(\"commun\") and (has(\"amiens\") | not)) and ([.hits[].repo] | unique == [\"lille\"])' >/dev/null"
check "a repository one may not read is as unknown as one that does not exist" sh -c "curl -s '$(as juriste-lille)/api/search?q=note&repo=amiens' >'$TMP/a' && curl -s '$(as juriste-lille)/api/search?q=note&repo=nulle' | sed 's/nulle/amiens/' | cmp -s - '$TMP/a'"
check "a reference in a Lille note links to the article of the mirrored code" sh -c "curl -s '$(as comptable-lille)/api/doc?repo=lille&path=$LIL_NOTE' | grep -q 'repo=code&amp;path=code%2Farticle-r421-58.md'"
check "…and the article lists it among the documents citing it, for Lille only" sh -c "curl -s '$(as comptable-lille)/api/doc?repo=code&path=code/article-r421-58.md' | grep -q 'lilzqdossier' && ! curl -s '$(as juriste-amiens)/api/doc?repo=code&path=code/article-r421-58.md' | grep -q 'lilzqdossier' && curl -s '$(as juriste-amiens)/api/doc?repo=code&path=code/article-r421-58.md' | grep -q 'amzqdossier'"
check "as of a date, each repository at that date" sh -c "curl -s '$(as admin)/api/search?q=note&as_of=2026-03-15' | grep -q lilzqdossier && ! curl -s '$(as admin)/api/search?q=note&as_of=2026-03-15' | grep -q amzqdossier"
check "as of a commit of one repository, the others at its day" sh -c "curl -s '$(as admin)/api/search?q=note&as_of=$LIL_HEAD' | grep -q lilzqdossier && ! curl -s '$(as admin)/api/search?q=note&as_of=$LIL_HEAD' | grep -q amzqdossier"
check "an account in no group reads only what is open to all" sh -c "curl -s '$(as seul)/api/fields' | jq -e '[.repositories[].name] | index(\"code\") != null and index(\"lille\") == null'"

# Pushes, per repository.
push_note() { # push_note WHO REPO FILE
	rm -rf "$TMP/p"
	git clone -q "$(as "$1")/git/$2.git" "$TMP/p" 2>/dev/null || return 1
	printf -- '---\ntitre: Note de %s\ndate: 2026-11-20\ndomaine: veille-juridique\ntype: note\nacademie: region\n---\nTexte.\n' "$1" \
		>"$TMP/p/veille-juridique/$3"
	commit_all "$TMP/p" 2026-11-20 "Note"
	git -C "$TMP/p" push -q origin HEAD 2>"$TMP/push.err"
}
check "a Lille jurist pushes to lille" push_note juriste-lille lille depuis-lille.md
check "…and to commun" push_note juriste-lille commun depuis-lille.md
check "a repository refuses tags unless it allows other refs" sh -c "git -C '$TMP/p' tag v1 && ! git -C '$TMP/p' push -q origin v1 2>/dev/null && rm -rf '$TMP/pa' && git clone -q '$(as juriste-amiens)/git/amiens.git' '$TMP/pa' && git -C '$TMP/pa' tag v1 && git -C '$TMP/pa' push -q origin v1"
check "a Lille accountant may read lille but not push to it" sh -c "! GIT_TERMINAL_PROMPT=0 git -C '$TMP/p' push -q '$(as comptable-lille)/git/lille.git' HEAD 2>'$TMP/o' && grep -q 403 '$TMP/o'"
check "nobody pushes to a mirror, admins included, and git says why" sh -c "rm -rf '$TMP/m' && git clone -q '$(as admin)/git/code.git' '$TMP/m' && echo x >'$TMP/m/x.md' && git -C '$TMP/m' add x.md && git -C '$TMP/m' -c user.name=A -c user.email=a@b commit -q -m x && ! git -C '$TMP/m' push -q origin HEAD 2>'$TMP/o' && grep -q 403 '$TMP/o' && [ \$(curl -s -o '$TMP/b' -w '%{http_code}' '$(as admin)/git/code.git/info/refs?service=git-receive-pack') = 403 ] && grep -q 'miroir en lecture seule' '$TMP/b'"
printf '# Article R421-59\n\nLe conseil d’administration adopte le budget.\n' >"$TMP/upstream/code/article-r421-59.md"
commit_all "$TMP/upstream" 2014-01-01 "Décret suivant"
EVENTUALLY_SECONDS=60 eventually "the mirror follows its upstream" sh -c "curl -s '$(as admin)/api/search?q=ref:R421-59' | grep -q article-r421-59.md"
check "/healthz and /metrics count a mirror's fetches" sh -c "curl -s '$(as admin)/healthz' | jq -e '[.repositories[] | select(.mirror) | .mirror.fetches >= 1] | length > 0 and all' && curl -s '$(as admin)/metrics' | grep -q '^vigie_mirror_fetches_total{repo=.code.} [1-9]' && curl -s '$(as admin)/metrics' | grep -q '^vigie_mirror_fetch_failures_total{repo=.code.} 0'"
# Concurrent readers of every kind of query, empty ones included (the
# match-all query is built for each, never shared between threads): 900
# requests, 12 at a time, from one curl.
concurrent_readers() {
	: >"$TMP/many"
	i=0
	while [ $i -lt 300 ]; do
		printf 'url = "%s/export.csv?n=%s"\noutput = /dev/null\nurl = "%s/api/search?q=&n=%s"\noutput = /dev/null\nurl = "%s/api/doc?repo=commun&path=veille-juridique/2026/mutualisation-veille.md&n=%s"\noutput = /dev/null\n' \
			"$URL" $i "$URL" $i "$URL" $i >>"$TMP/many"
		i=$((i + 1))
	done
	curl -s --parallel --parallel-max 12 --config "$TMP/many" && kill -0 "$SERVER_PID"
}
check "concurrent searches, exports and documents leave the server standing" concurrent_readers
check "a parameter name with a NUL byte is refused, and poisons no cached answer" sh -c "[ \$(curl -s -o /dev/null -w '%{http_code}' '$URL/api/search?q%00=qpoisonz') = 400 ] && curl -s '$URL/api/search?q=qpoisonz' | jq -e '.total == 0'"
check "/healthz speaks of each readable repository" sh -c "curl -s '$(as juriste-lille)/healthz' | jq -e '[.repositories[].repo] | index(\"lille\") != null and index(\"amiens\") == null'"
# SIGHUP: the file and the command line again, rules applied by name.
git init -q --bare "$TMP/nouveau.git"
sed -i '/^\[repository lille\]/,/^\[/ s/^read = lille$/read = juristes-lille/' "$TMP/vigie.conf"
sed -i "\|^upstream = $TMP/upstream\$|d; /^fetch_every = 1\$/d" "$TMP/vigie.conf"
sed -i '/^\[repository neuf\]/,$ s|^read = anonymous$|read = anonymous\nupstream = https://vigie-bot:s3cr3t-t0ken@127.0.0.1:1/x.git\nfetch_every = 1|' "$TMP/vigie.conf"
printf '[repository nouveau]\npath = %s\nindex = %s\nread = anonymous\n' "$TMP/nouveau.git" "$TMP/index-nouveau" >>"$TMP/vigie.conf"
kill -HUP "$SERVER_PID"
eventually "after SIGHUP, accounts given on the command line still log in" sh -c "grep -q 'configuration rechargée' '$TMP/server.log' && curl -s '$(as juriste-lille)/api/fields' | jq -e '.user == \"juriste-lille\"'"
check "…a read right removed is removed, though a repository was added too" sh -c "curl -s '$(as comptable-lille)/api/search?q=lilzqcorps' | jq -e '.total == 0' && [ \$(curl -s -o /dev/null -w '%{http_code}' '$(as comptable-lille)/git/lille.git/info/refs?service=git-upload-pack') = 404 ]"
check "…a repository that is no longer a mirror checks what is pushed to it" sh -c "grep -q vigie-server '$TMP/code.git/hooks/pre-receive' && rm -rf '$TMP/pc' && git clone -q '$(as juriste-lille)/git/code.git' '$TMP/pc' && git -C '$TMP/pc' checkout -q --orphan autre && git -C '$TMP/pc' -c user.name=A -c user.email=a@b commit -q -m x && ! git -C '$TMP/pc' push -q -f origin autre:main 2>'$TMP/o' && grep -qi 'refus' '$TMP/o'"
EVENTUALLY_SECONDS=60 eventually "…and a mirror's failed fetch is reported without the upstream's credentials" sh -c "curl -s '$(as admin)/healthz' >'$TMP/h' && grep -q 'git fetch https://127.0.0.1:1/x.git a échoué' '$TMP/h' && ! grep -q 's3cr3t' '$TMP/h'"
finish
