#!/bin/sh
# The Debian package, as an operator meets it: built with Debian's tools,
# clean under lintian, installed with dpkg, serving and taking pushes from
# the installed files, upgraded, then purged without a trace. make install
# lays the same files. It needs root (CI runs as root); elsewhere it says
# it was skipped.
. "$(dirname "$0")/lib.sh"

if [ "$(id -u)" != 0 ] || ! command -v dpkg-buildpackage >/dev/null; then
	echo "# test-package.sh: skipped (needs root and dpkg-buildpackage, as in CI)"
	echo "# test-package.sh: 0 passed, 0 failed"
	exit 0
fi
if dpkg-query -W -f='${Status}' vigie 2>/dev/null | grep -q installed; then
	echo "# test-package.sh: skipped (a vigie package is installed on this machine)"
	echo "# test-package.sh: 0 passed, 0 failed"
	exit 0
fi
cd "$ROOT"
trap 'stop_server; dpkg --purge vigie >/dev/null 2>&1; rm -rf "$TMP"' EXIT

check "the package builds with dpkg-buildpackage" make --no-print-directory deb
deb=$(ls build/deb/vigie_*_*.deb | head -1)
check "lintian finds no error nor warning" sh -c "lintian '$deb' 2>&1 | grep -v 'root privileges' | grep -qE '^[EW]:' && exit 1 || exit 0"

# make install lays what the package holds (less Debian's docs; manual
# pages compressed there).
make --no-print-directory install DESTDIR="$TMP/inst" PREFIX=/usr SYSCONFDIR=/etc LIBEXECDIR=/usr/libexec \
	UNITDIR=/lib/systemd/system >/dev/null
(cd "$TMP/inst" && find . -type f | sort) >"$TMP/installed"
dpkg-deb -c "$deb" | awk '$1 !~ /^d/ {print $6}' | grep -v '^./usr/share/doc/' | sed 's/\.gz$//' | sort >"$TMP/packaged"
check "make install DESTDIR=... lays the same files as the package" cmp "$TMP/installed" "$TMP/packaged"

check "dpkg installs it" dpkg -i "$deb"
check "…with its programs, data, configuration and units in Debian's places" sh -c \
	"test -x /usr/bin/vigie-server && test -x /usr/bin/vigie-index && test -x /usr/libexec/vigie/vigie-extract && \
	 test -f /usr/share/vigie/web/index.html && test -d /usr/share/vigie/repo-template/.vigie && \
	 test -f /etc/vigie/vigie.conf && test -f /lib/systemd/system/vigie-server.service && test -f /lib/systemd/system/vigie-veille.timer && \
	 test -f /usr/share/man/man5/vigie.conf.5.gz"
check "…a vigie system user and /var/lib/vigie" sh -c "getent passwd vigie >/dev/null && [ \$(stat -c %U /var/lib/vigie) = vigie ]"
check "…and /etc/vigie/vigie.conf is a conffile" sh -c "dpkg-query -W -f='\${Conffiles}' vigie | grep -q /etc/vigie/vigie.conf"

# The installed programs find each other and their data.
check "the installed vigie-index makes a repository from the installed template" \
	/usr/bin/vigie-index init-repo --bare "$TMP/docs.git"
check "…and indexes it" /usr/bin/vigie-index update --repo "$TMP/docs.git" --db "$TMP/index" --quiet
htpasswd -bcB "$TMP/users" alice 'mdp-alice' 2>/dev/null
printf 'contributors: alice\n' >"$TMP/groups"
"/usr/bin/vigie-server" --repo "$TMP/docs.git" --index "$TMP/index" --port 0 --users "$TMP/users" \
	--groups "$TMP/groups" --watch-ms 200 >"$TMP/server.out" 2>"$TMP/server.log" &
SERVER_PID=$!
deadline=$(($(date +%s) + 60))
until grep -q 'écoute sur' "$TMP/server.out" 2>/dev/null || [ "$(date +%s)" -ge "$deadline" ]; do sleep 0.05; done
URL=$(sed -n 's/.*écoute sur \(http[^ ]*\)\/$/\1/p' "$TMP/server.out")
check "the installed vigie-server serves the installed page" sh -c "curl -s '$URL/' | grep -q '<html'"
check "…and searches" sh -c "curl -s '$URL/api/search?q=r%C3%A9gie' | grep -q 'regie-avances.md'"
host=${URL#http://}
git clone -q "http://alice:mdp-alice@$host/git/docs.git" "$TMP/w"
printf -- '---\ntitre: Note du paquet\ndate: 2026-11-20\ndomaine: veille-juridique\ntype: note\nacademie: region\n---\nLe zinzolin paquetage.\n' \
	>"$TMP/w/veille-juridique/paquet.md"
git -C "$TMP/w" add -A
git -C "$TMP/w" -c user.name=Alice -c user.email=alice@ac-lille.fr commit -q -m "Note du paquet"
check "a push goes through the installed hook" git -C "$TMP/w" push -q "http://alice:mdp-alice@$host/git/docs.git" HEAD
eventually "…and the note is found" sh -c "curl -s '$URL/api/search?q=zinzolin' | grep -q paquet.md"
stop_server

# An upgrade keeps the operator's configuration.
echo "# réglage de l'exploitant" >>/etc/vigie/vigie.conf
dpkg-deb -R "$deb" "$TMP/next"
sed -i 's/^Version: .*/Version: 99.0.0/' "$TMP/next/DEBIAN/control"
dpkg-deb --root-owner-group -b "$TMP/next" "$TMP/vigie_99.0.0.deb" >/dev/null
check "a newer version installs over it" dpkg -i "$TMP/vigie_99.0.0.deb"
check "…as 99.0.0" sh -c "[ \$(dpkg-query -W -f='\${Version}' vigie) = 99.0.0 ]"
check "…keeping the operator's configuration" grep -q "réglage de l'exploitant" /etc/vigie/vigie.conf
# An index of an older format is rebuilt by the next update, into a new
# generation (the old one serves until the swap).
before=$(readlink "$TMP/index/current")
xapian-metadata set "$TMP/index/current" vg:format 1
check "…and the next update rebuilds an index of an older format" sh -c "/usr/bin/vigie-index update --repo '$TMP/docs.git' --db '$TMP/index' >'$TMP/up' 2>&1 && grep -q 'index au format 1' '$TMP/up' && [ \"\$(readlink '$TMP/index/current')\" != '$before' ] && [ \"\$(xapian-metadata get '$TMP/index/current' vg:format)\" != 1 ]"

# Purge leaves nothing.
dpkg -L vigie | while read -r f; do [ -f "$f" ] && echo "$f"; done >"$TMP/files"
check "purge removes the package" dpkg --purge vigie
check "…and every file it installed" sh -c "! while read -r f; do [ -e \"\$f\" ] && echo \"\$f\"; done <'$TMP/files' | grep -q ."
check "…its configuration, state folder and user" sh -c "[ ! -e /etc/vigie/vigie.conf ] && [ ! -e /var/lib/vigie ] && ! getent passwd vigie >/dev/null"
finish
