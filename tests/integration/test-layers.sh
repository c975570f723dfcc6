#!/bin/sh
# The server talks to libvigie only: no server source reaches the Xapian
# shim or libgit2's headers, even through another header.
. "$(dirname "$0")/lib.sh"

cd "$ROOT"
flags="-Iindexer -Iserver -D_GNU_SOURCE $(pkg-config --cflags libmicrohttpd jansson libgit2 xapian-core 2>/dev/null)"
for f in server/*.c; do
	# shellcheck disable=SC2086
	deps=$(${CC:-cc} -M $flags "$f" 2>&1)
	check "$f includes neither the Xapian shim nor libgit2" sh -c "! echo '$deps' | grep -qE 'xapian_shim\.h|repo_git\.h|git2\.h'"
done
finish
