#!/bin/sh
# Legal watch on real repositories and the real server: a note citing an
# article of a mirrored code is to review once the code amends the article
# after the note's date, with the amending text and the comparison; a new
# version of the note, or `revu:`, clears it; a repeal is one too; an
# article of a repository the reader may not read is never mentioned.
. "$(dirname "$0")/lib.sh"

cd "$TMP"
# The code, as its upstream publishes it.
git init -q -b main "$TMP/upstream"
mkdir -p "$TMP/upstream/code"
printf '# Article R421-58\n\nLe budget est préparé par le chef d’établissement.\n' >"$TMP/upstream/code/article-r421-58.md"
printf '# Article R421-59\n\nLe conseil d’administration vote le budget.\n' >"$TMP/upstream/code/article-r421-59.md"
commit_all "$TMP/upstream" 2010-01-01 "Décret n° 2009-1 du 1er janvier 2009"
git clone -q --bare "$TMP/upstream" "$TMP/code.git"
"$VIGIE" update --repo "$TMP/code.git" --db "$TMP/index-code" --quiet >/dev/null
printf '[repository code]\npath = %s\nindex = %s\nread = all\nupstream = %s\nfetch_every = 1\n' \
	"$TMP/code.git" "$TMP/index-code" "$TMP/upstream" >>"$TMP/vigie.conf"
repository commun all contributors
# A code only Amiens reads, that a note of commun also cites.
git init -q -b main "$TMP/w-prive"
mkdir -p "$TMP/w-prive/code"
printf '# Article D999-1\n\nUn article réservé.\n' >"$TMP/w-prive/code/article-d999-1.md"
commit_all "$TMP/w-prive" 2010-01-01 "Premier texte"
printf '# Article D999-1\n\nUn article réservé, modifié.\n' >"$TMP/w-prive/code/article-d999-1.md"
commit_all "$TMP/w-prive" 2015-01-01 "Texte modificatif secret"
git clone -q --bare "$TMP/w-prive" "$TMP/prive.git"
"$VIGIE" update --repo "$TMP/prive.git" --db "$TMP/index-prive" --quiet >/dev/null
printf '[repository prive]\npath = %s\nindex = %s\nread = amiens\n' "$TMP/prive.git" "$TMP/index-prive" >>"$TMP/vigie.conf"

htpasswd -bcB "$TMP/users" jl mdp-jl 2>/dev/null
htpasswd -bB "$TMP/users" ja mdp-ja 2>/dev/null
printf 'contributors: jl ja\namiens: ja\n' >"$TMP/groups"
launch_server --config "$TMP/vigie.conf" --users "$TMP/users" --groups "$TMP/groups" --watch-ms 200
trap 'stop_server; rm -rf "$TMP"' EXIT
host=${URL#http://}
JL="http://jl:mdp-jl@$host"
JA="http://ja:mdp-ja@$host"

# A note of 2011 citing both articles and the private one, pushed then.
git clone -q "$JL/git/commun.git" "$TMP/w"
note() { # note DATE [extra front matter]
	printf -- '---\ntitre: Préparation du budget\ndate: %s\ndomaine: comptabilite\ntype: note\nacademie: region\nreferences: ["article R. 421-58", "article R. 421-59", "article D. 999-1"]\n%s---\nLa note sur le budget.\n' \
		"$1" "${2:-}" >"$TMP/w/comptabilite/budget/note-budget.md"
}
# push_note DAY MESSAGE: commits the notes' clone on that day and pushes it.
push_note() {
	commit_all "$TMP/w" "$1" "$2"
	git -C "$TMP/w" push -q origin HEAD
}
note 2011-03-01
push_note 2011-03-01 "Note sur le budget"
eventually "the note is indexed" sh -c "curl -s '$JL/api/search?q=ref:R421-58' | grep -q note-budget.md"
check "nothing to review before the code moves" sh -c "curl -s '$JL/api/veille' | jq -e '.notes == []'"

# The code amends R. 421-58 and repeals R. 421-59, after the note.
printf '# Article R421-58\n\nLe budget est préparé par le chef d’établissement et adopté en conseil.\n' >"$TMP/upstream/code/article-r421-58.md"
commit_all "$TMP/upstream" 2013-01-01 "Décret n° 2012-1193 du 26 octobre 2012"
git -C "$TMP/upstream" rm -q code/article-r421-59.md
commit_all "$TMP/upstream" 2014-09-01 "Décret n° 2014-7 abrogeant l'article R. 421-59"
EVENTUALLY_SECONDS=60 eventually "once the mirror fetched the amendment, the note is to review" sh -c "curl -s '$JL/api/veille' >'$TMP/v' && grep -q note-budget.md '$TMP/v' && grep -q '2014-09-01' '$TMP/v'"
check "…for R. 421-58, amended on the day in force, with the amending text" sh -c "jq -e '.notes[0].articles[] | select(.reference == \"R421-58\") | .changes[0] | .date == \"2013-01-01\" and .kind == \"modifié\" and .text == \"Décret n° 2012-1193 du 26 octobre 2012\"' '$TMP/v'"
check "…with the comparison between the version cited and today's" sh -c "url=\$(jq -r '.notes[0].articles[] | select(.reference == \"R421-58\") | .diff' '$TMP/v' | sed 's/^#\/comparer?//') && curl -s '$JL/api/diff?'\"\$url\" | grep -q 'adopté en conseil'"
check "…and for R. 421-59, repealed" sh -c "jq -e '.notes[0].articles[] | select(.reference == \"R421-59\") | .changes[-1] | .kind == \"abrogé\" and .date == \"2014-09-01\"' '$TMP/v'"
check "an article of a repository the reader may not read is not mentioned" sh -c "! grep -q 'D999-1\|article-d999-1\|secret' '$TMP/v'"
check "…but is to one who may read it" sh -c "curl -s '$JA/api/veille' | jq -e '.notes[0].articles[] | select(.reference == \"D999-1\") | .changes[0].text == \"Texte modificatif secret\"'"
check "the note's page says what to review" sh -c "curl -s '$JL/api/doc?repo=commun&path=comptabilite/budget/note-budget.md' | jq -e '[.to_review[].reference] | sort == [\"R421-58\", \"R421-59\"]'"
check "an article's page marks the citing note as written before its version in force" sh -c "curl -s '$JL/api/doc?repo=code&path=code/article-r421-58.md' | jq -e '.cited_by[] | select(.path == \"comptabilite/budget/note-budget.md\") | .note == true and .date == \"2011-03-01\"' && curl -s '$JL/api/doc?repo=code&path=code/article-r421-58.md' | jq -e '.version.date == \"2013-01-01\"'"
check "an article's page has nothing to review" sh -c "curl -s '$JL/api/doc?repo=code&path=code/article-r421-58.md' | jq -e '.to_review == []'"
check "since a day, only the changes from that day" sh -c "curl -s '$JL/api/veille?since=2014-01-01' | jq -e '[.notes[0].articles[].reference] == [\"R421-59\"]'"
check "search has an « à revoir » facet counting the notes to review among its matches" sh -c "curl -s '$JL/api/search?q=budget' | jq -e '.facets.a_revoir.oui == 1' && curl -s '$JL/api/fields' | jq -e '(.fields[] | select(.name == \"a_revoir\") | .facet) and .labels.a_revoir.oui == \"Notes à revoir\"'"
check "…and a_revoir=oui keeps only them, a bad value being a 400 in French" sh -c "curl -s '$JL/api/search?q=budget&a_revoir=oui' | jq -e '[.hits[].path] == [\"comptabilite/budget/note-budget.md\"] and .facets.a_revoir.oui == 1' && [ \$(curl -s -o '$TMP/b' -w '%{http_code}' '$JL/api/search?q=budget&a_revoir=non') = 400 ] && grep -q 'a_revoir' '$TMP/b'"
check "a period (du, au) keeps the changes made within it" sh -c "curl -s '$JL/api/veille?du=2013-01-01&au=2013-12-31' | jq -e '[.notes[0].articles[].reference] == [\"R421-58\"]' && curl -s '$JL/api/veille?au=2012-12-31' | jq -e '.notes == []'"
check "a domaine and an académie keep their notes, others none" sh -c "curl -s '$JL/api/veille?domaine=comptabilite&academie=region' | jq -e '.notes[0].path == \"comptabilite/budget/note-budget.md\"' && curl -s '$JL/api/veille?domaine=paye' | jq -e '.notes == []' && curl -s '$JL/api/veille?academie=amiens' | jq -e '.notes == []'"
check "a bad day is a 400 in French" sh -c "[ \$(curl -s -o '$TMP/b' -w '%{http_code}' '$JL/api/veille?since=hier') = 400 ] && grep -q 'AAAA-MM-JJ' '$TMP/b' && [ \$(curl -s -o '$TMP/b' -w '%{http_code}' '$JL/api/veille?au=2013-13-45') = 400 ] && grep -q '« au »' '$TMP/b'"
check "an unreadable repository is as unknown as a missing one" sh -c "[ \$(curl -s -o /dev/null -w '%{http_code}' '$JL/api/veille?repo=prive') = 404 ] && [ \$(curl -s -o /dev/null -w '%{http_code}' '$JL/api/veille?repo=nulle') = 404 ]"
check "/veille.atom has an entry per change, in French, linking to the note" sh -c "curl -s '$JL/veille.atom' >'$TMP/a.xml' && xmllint --noout '$TMP/a.xml' && [ \$(grep -c '<entry>' '$TMP/a.xml') = 2 ] && grep -q 'article R. 421-58 modifié le 1er janvier 2013' '$TMP/a.xml' && grep -q 'repo=commun&amp;path=comptabilite%2Fbudget%2Fnote-budget.md' '$TMP/a.xml'"
# The weekly digest, through a sendmail that records what it is given.
printf '#!/bin/sh\necho "$*" >"%s/sendmail.args"\ncat >"%s/sendmail.msg"\n' "$TMP" "$TMP" >"$TMP/sendmail"
chmod +x "$TMP/sendmail"
check "the digest is mailed in French to the address given" sh -c "'$VIGIE' veille --db '$TMP/index-commun' --db '$TMP/index-code' --name commun --name code --only commun --mail juristes@ac-lille.fr --sendmail '$TMP/sendmail' | grep -q 'message envoyé à juristes@ac-lille.fr' && grep -q -- '-t' '$TMP/sendmail.args' && grep -q '^To: juristes@ac-lille.fr' '$TMP/sendmail.msg' && grep -q '^Subject: =?UTF-8?Q?Vigie_:_1_note_=C3=A0_revoir?=' '$TMP/sendmail.msg' && grep -q 'note-budget.md' '$TMP/sendmail.msg' && grep -q 'modifié le 2013-01-01' '$TMP/sendmail.msg'"
check "…and nothing is sent for a repository without notes to review" sh -c "rm -f '$TMP/sendmail.msg'; '$VIGIE' veille --db '$TMP/index-commun' --db '$TMP/index-code' --name commun --name code --only code --mail x@y --sendmail '$TMP/sendmail' | grep -q 'aucun message' && [ ! -e '$TMP/sendmail.msg' ]"
cp "$TMP/vigie.conf" "$TMP/digest.conf"
printf '[repository commun]\nveille_mail = veille-commune@ac-lille.fr\n' >>"$TMP/digest.conf"
check "vigie-server --send-veille mails each repository's digest to its configured address" sh -c "rm -f '$TMP/sendmail.msg'; '$VIGIE_SERVER' --config '$TMP/digest.conf' --send-veille --sendmail '$TMP/sendmail' >'$TMP/d.out' && grep -q 'dépôt « commun » : 1 note(s) à revoir, message envoyé à veille-commune@ac-lille.fr' '$TMP/d.out' && grep -q '^To: veille-commune@ac-lille.fr' '$TMP/sendmail.msg' && grep -q 'note-budget.md' '$TMP/sendmail.msg' && grep -q 'article R. 421-58' '$TMP/sendmail.msg'"
check "…with only what every recipient may read" sh -c "! grep -q 'D. 999-1\|d999-1\|secret' '$TMP/sendmail.msg'"
check "vigie-index veille lists it from the indexes" sh -c "'$VIGIE' veille --db '$TMP/index-commun' --db '$TMP/index-code' --name commun --name code | grep -q 'modifié le 2013-01-01'"

# A review recorded in the note clears it, for what changed before it.
git -C "$TMP/w" pull -q --rebase
note 2011-03-01 "revu: 2014-10-01
"
push_note 2011-03-02 "Note revue"
eventually "revu: clears the note" sh -c "curl -s '$JL/api/veille' | jq -e '.notes == []'"
check "…and its search facet, a_revoir=oui then finding nothing" sh -c "curl -s '$JL/api/search?q=budget' | jq -e '.facets | has(\"a_revoir\") | not' && curl -s '$JL/api/search?q=budget&a_revoir=oui' | jq -e '.total == 0'"
# A later amendment makes it to review again; a new version clears it.
printf '# Article R421-58\n\nLe budget est préparé, adopté et transmis.\n' >"$TMP/upstream/code/article-r421-58.md"
commit_all "$TMP/upstream" 2016-01-01 "Décret n° 2015-99"
EVENTUALLY_SECONDS=60 eventually "a later amendment makes it to review again" sh -c "curl -s '$JL/api/veille' | grep -q '2016-01-01'"
note 2016-02-01
push_note 2016-02-01 "Note mise à jour"
eventually "a new version of the note clears it" sh -c "curl -s '$JL/api/veille' | jq -e '.notes == []'"

# A renumbering: the article goes on under another number.
printf '# Article R421-60\n\nLes modifications apportées au budget initial en cours d’exercice sont adoptées\ndans les mêmes conditions que le budget initial, par le conseil d’administration\nde l’établissement, sur proposition du chef d’établissement.\n' >"$TMP/upstream/code/article-r421-60.md"
commit_all "$TMP/upstream" 2016-03-01 "Décret n° 2016-1"
EVENTUALLY_SECONDS=60 eventually "a new article of the code is mirrored" sh -c "curl -s '$JL/api/search?q=ref:R421-60' | grep -q article-r421-60.md"
printf -- '---\ntitre: Décision modificative\ndate: 2016-04-01\ndomaine: comptabilite\ntype: note\nacademie: region\nreferences: ["article R. 421-60"]\n---\nLa note sur les décisions modificatives.\n' >"$TMP/w/comptabilite/budget/note-dbm.md"
push_note 2016-04-01 "Note sur les décisions modificatives"
git -C "$TMP/upstream" mv code/article-r421-60.md code/article-r421-61.md
sed -i 's/^# Article R421-60$/# Article R421-61/' "$TMP/upstream/code/article-r421-61.md"
commit_all "$TMP/upstream" 2016-05-01 "Décret n° 2016-2 renumérotant l'article R. 421-60"
EVENTUALLY_SECONDS=60 eventually "a renumbered article makes its notes to review, as renumbered, with its new number" sh -c "curl -s '$JL/api/veille' >'$TMP/v' && jq -e '.notes[0].path == \"comptabilite/budget/note-dbm.md\" and (.notes[0].articles[0].changes[-1] | .kind == \"renuméroté\" and .date == \"2016-05-01\" and .renumbered_as.reference == \"R421-61\" and .renumbered_as.path == \"code/article-r421-61.md\")' '$TMP/v'"
check "…which the feed names too" sh -c "curl -s '$JL/veille.atom' | grep -q 'article R. 421-60 renuméroté en article R. 421-61 le 1er mai 2016'"
finish
