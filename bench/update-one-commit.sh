#!/usr/bin/env bash
# Incremental update after one new commit (one Markdown legal-watch note),
# for both corpora, on an index of the whole history. Target: < 100 ms.
# Each run is interleaved with a HEAD-only full index of the same repository
# into a fresh database, the reference for the ratio printed.
# Usage: bench/update-one-commit.sh [BUILD_DIR]   (BENCH_RUNS=5, VIGIE_CORPUS=...)
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
bench_init "$@"

# add_note REPO N: commits note N, a legal-watch note with front matter.
add_note() {
	local dir=$1/veille-juridique
	mkdir -p "$dir"
	cat >"$dir/note-bench-$2.md" <<EOF
---
titre: "Prélèvement sur fonds de roulement : note de veille n° $2"
date: $(date +%F)
domaine: veille-juridique
type: note
academie: lille
references: [R421-58]
---
# Prélèvement sur fonds de roulement (note $2)

L'article R. 421-58 du code de l'éducation précise les conditions dans
lesquelles le conseil d'administration d'un EPLE peut décider d'un
prélèvement sur fonds de roulement. L'agent comptable vérifie que le
niveau du fonds de roulement reste suffisant après l'opération.
EOF
	git -C "$1" add veille-juridique
	bench_commit "$1" "Note de veille n° $2"
}

rows=()
# run_corpus NAME LABEL: measures one corpus, appends a row to the summary.
run_corpus() {
	local name=$1 repo=$TMP/$1 db=$TMP/db u_ms=() f_ms=() i before after
	clone_corpus "$name" "$repo"
	"$VIGIE" update --repo "$repo" --db "$db" --quiet >/dev/null
	before=$(status_field "$db" versions)
	for ((i = 1; i <= RUNS; i++)); do
		add_note "$repo" "$i"
		measure "$VIGIE" update --repo "$repo" --db "$db" --quiet
		u_ms+=("$MS")
		rm -rf "$TMP/full"
		measure "$VIGIE" update --repo "$repo" --db "$TMP/full" --head-only --quiet
		f_ms+=("$MS")
	done
	after=$(status_field "$db" versions)
	((after - before == RUNS)) || die "$2: expected $RUNS new versions, got $((after - before))"
	rows+=("$2|$(min "${u_ms[@]}") ms|$(median "${u_ms[@]}") ms|$(secs "$(median "${f_ms[@]}")")|$(ratio "$(median "${u_ms[@]}")" "$(median "${f_ms[@]}")")|$(verdict "$(median "${u_ms[@]}")" '<' 100 ms)")
	rm -rf "$repo" "$db" "$TMP/full"
}

header "update-one-commit: one new note, incremental update of a whole-history index"
run_corpus code-de-l-education "Code de l'education"
run_corpus code-du-travail "Code du travail"
fmt='   %-20s %10s %13s %13s %12s   %s\n'
# shellcheck disable=SC2059 # the format is ours
printf "$fmt" "" "update min" "update median" "full (HEAD)" "update/full" "(medians)"
for row in "${rows[@]}"; do
	IFS='|' read -r -a f <<<"$row"
	# shellcheck disable=SC2059
	printf "$fmt" "${f[@]}"
done
