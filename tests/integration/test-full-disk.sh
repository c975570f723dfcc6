#!/bin/sh
# A full disk stops indexing with a French message, /healthz says so with
# a 503 rather than "ok", and all is well again once space returns. The
# index lives on a small tmpfs of its own: this needs root (CI runs as
# root); elsewhere it says it was skipped.
. "$(dirname "$0")/lib.sh"

mnt="$TMP/disque"
mkdir -p "$mnt"
if [ "$(id -u)" != 0 ] || ! mount -t tmpfs -o size=1m tmpfs "$mnt" 2>/dev/null; then
	echo "# test-full-disk.sh: skipped (needs to mount a tmpfs, as root in CI)"
	echo "# test-full-disk.sh: 0 passed, 0 failed"
	exit 0
fi
trap 'stop_server; umount "$mnt" 2>/dev/null; rm -rf "$TMP"' EXIT
cd "$TMP"
git init -q -b main "$TMP/docs"
printf '# Une note\n\nPremière note.\n' >"$TMP/docs/note.md"
commit_all "$TMP/docs" 2026-11-20 "Première note"
"$VIGIE" update --repo "$TMP/docs" --db "$mnt/index" --quiet >/dev/null
start_server "$TMP/docs" "$mnt/index" --watch-ms 200
eventually "the index fits: /healthz is a 200" sh -c "[ \$(curl -s -o /dev/null -w '%{http_code}' '$URL/healthz') = 200 ]"

# Far more notes than the disk holds.
mkdir -p "$TMP/docs/lot"
awk 'BEGIN { for (i = 1; i <= 3000; i++) { f = sprintf("'"$TMP"'/docs/lot/note-%d.md", i);
	printf "# Note %d\n\nMot%d unique, budget %d, r\303\251gie %d et contr\303\264le %d de l\047\303\251tablissement.\n", i, i, i % 7, i % 11, i % 13 > f; close(f) } }'
commit_all "$TMP/docs" 2026-11-21 "Trois mille notes"
eventually "a full disk turns /healthz into a 503" sh -c "[ \$(curl -s -o '$TMP/h' -w '%{http_code}' '$URL/healthz') = 503 ]"
check "…saying in French that the disk is full" grep -q 'disque plein' "$TMP/h"
check "…and searches still answer from the index as it was" sh -c "curl -s '$URL/api/search?q=note' | grep -q 'note.md'"

mount -o remount,size=256m "$mnt"
EVENTUALLY_SECONDS=90 eventually "once space returns, the index catches up and /healthz is a 200 again" sh -c "[ \$(curl -s -o /dev/null -w '%{http_code}' '$URL/healthz') = 200 ]"
check "…with the new notes" sh -c "curl -s '$URL/api/search?q=mot1234' | grep -q 'note-1234.md'"
finish
