#!/bin/sh
# /healthz tells whether the index keeps up: a 503 saying why when its
# last update failed or the branch has been ahead of it for too long, a 200
# again once it has caught up; /metrics counts the updates and failures.
. "$(dirname "$0")/lib.sh"

cd "$TMP"
"$VIGIE" init-repo --bare "$TMP/docs.git" >/dev/null
"$VIGIE" update --repo "$TMP/docs.git" --db "$TMP/index" --quiet >/dev/null
# What interrupted pushes left behind two hours ago, and a push under way.
mkdir -p "$TMP/docs.git/objects/tmp_objdir-incoming-ancien/pack" "$TMP/docs.git/objects/tmp_objdir-incoming-encours"
touch -d '2 hours ago' "$TMP/docs.git/objects/tmp_objdir-incoming-ancien"
start_server "$TMP/docs.git" "$TMP/index" --watch-ms 200 --health-max-lag 2
trap 'stop_server; rm -rf "$TMP"' EXIT
code() { curl -s -o "$TMP/health" -w '%{http_code}' "$URL/healthz"; }

eventually "a server that has caught up is healthy" sh -c "[ \$(curl -s -o '$TMP/h' -w '%{http_code}' '$URL/healthz') = 200 ] && jq -e '[.. | objects | .updates? // empty] | any(. > 0)' '$TMP/h'"

eventually "a stale push quarantine is removed" test ! -e "$TMP/docs.git/objects/tmp_objdir-incoming-ancien"
check "…but not one under way" test -d "$TMP/docs.git/objects/tmp_objdir-incoming-encours"
rmdir "$TMP/docs.git/objects/tmp_objdir-incoming-encours"

# The repository becomes unreadable: every update fails.
mv "$TMP/docs.git" "$TMP/docs.git.ailleurs"
eventually "a failed update turns /healthz into a 503" sh -c "[ \$(curl -s -o '$TMP/h' -w '%{http_code}' '$URL/healthz') = 503 ]"
check "…that says why, in French" sh -c "jq -e '.status == \"failing\"' '$TMP/h' && grep -q 'dernière mise à jour de l.index a échoué' '$TMP/h'"
check "…and /metrics counts the failures" sh -c "curl -s '$URL/metrics' | grep -q '^vigie_index_update_failures_total{repo=.[a-z.-]*.} [1-9]'"
mv "$TMP/docs.git.ailleurs" "$TMP/docs.git"
eventually "once the repository is back, /healthz is a 200 again" sh -c "[ \$(curl -s -o /dev/null -w '%{http_code}' '$URL/healthz') = 200 ]"

# Another writer holds the index while the branch moves on.
git clone -q "$TMP/docs.git" "$TMP/w"
printf -- '---\ntitre: Nouvelle\ndate: 2026-11-20\ndomaine: veille-juridique\ntype: note\nacademie: region\n---\nTexte.\n' \
	>"$TMP/w/veille-juridique/nouvelle.md"
commit_all "$TMP/w" 2026-11-20 "Nouvelle note"
rm -f "$TMP/locked"
flock "$TMP/index/lock" sh -c "touch '$TMP/locked'; sleep 8" &
holder=$!
deadline=$(($(date +%s) + 30))
while [ ! -e "$TMP/locked" ] && [ "$(date +%s)" -lt "$deadline" ]; do sleep 0.05; done
git -C "$TMP/w" push -q origin HEAD
eventually "an index left behind the branch for longer than health_max_lag is a 503" sh -c "[ \$(curl -s -o '$TMP/h' -w '%{http_code}' '$URL/healthz') = 503 ] && jq -e '.status == \"behind\"' '$TMP/h'"
check "…saying how late it is, in time and in commits" sh -c "grep -q 'de retard sur la branche' '$TMP/h' && jq -e '[.. | objects | .behind_commits? // empty] | index(1) != null' '$TMP/h'"
wait "$holder"
EVENTUALLY_SECONDS=60 eventually "…and a 200 once it has caught up" sh -c "[ \$(curl -s -o '$TMP/h' -w '%{http_code}' '$URL/healthz') = 200 ] && jq -e '([.. | objects | .behind_seconds? // empty] | all(. == 0)) and ([.. | objects | .behind_commits? // empty] | (length > 0 and all(. == 0)))' '$TMP/h'"
check "/metrics tells the time since the last update" sh -c "curl -s '$URL/metrics' | grep -q '^vigie_index_seconds_since_update{repo=.[a-z.-]*.} [0-9]'"
finish
