#!/usr/bin/env bash
# Typo correction on the legal codes: one word of each judged question
# (bench/relevance/*.tsv) mistyped by one edit (a letter left out, doubled
# or replaced, two letters swapped; fixed pseudo-random draws, the same in
# every run), asked of Vigie (vigie-index search, index of HEAD) and of
# Xapian's Omega (omindex --spelling, its CGI with spelling correction and
# the French stemmer), each on the same tree. A correction restores the
# word when the folded word at its place is the one written in the
# question. Prints, per code and pooled, the share restored, corrected to
# another word and left as typed, and the ratio of words restored,
# Vigie/Omega. It reports; it does not fail on scores.
# Installs jq and xapian-omega (Debian) when missing.
# Usage: bench/typos.sh [BUILD_DIR]   (BENCH_TYPOS=300 per code, VIGIE_CORPUS=...)
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
bench_init "$@"
per_code=$(positive_int BENCH_TYPOS 300)
OMEGA_CGI=/usr/lib/cgi-bin/omega/omega
need jq jq
need omindex xapian-omega
need "$OMEGA_CGI" xapian-omega

mkdir -p "$TMP/omega/data" "$TMP/omega/templates" "$TMP/omega/log" "$TMP/omega/cdb"
cat >"$TMP/omega/omega.conf" <<EOF
database_dir $TMP/omega/data
template_dir $TMP/omega/templates
log_dir $TMP/omega/log
cdb_dir $TMP/omega/cdb
EOF
# shellcheck disable=SC2016 # OmegaScript, not shell expansions
printf '%s\n' '$httpheader{Content-Type,text/plain; charset=utf-8}$set{stemmer,french}$set{flag_spelling_correction,true}$setmap{prefix,,$split{ S B F},title,S,author,A,topic,B}$if{$error,error: $error
}suggestion: $suggestion
omega-done' >"$TMP/omega/templates/typos"

# typos FILE.tsv N: N questions of FILE with one word mistyped, as
# "typed<TAB>word<TAB>place" lines (place: the word's index among the
# question's words, as words_of splits them).
typos() {
	perl -CSDA -Mutf8 -e '
		use strict; use warnings;
		my ($file, $n) = @ARGV;
		open my $in, "<:encoding(UTF-8)", $file or die "$file: $!\n";
		my @questions;
		while (<$in>) { chomp; my @f = split /\t/; push @questions, $f[3] if $. > 1 && @f >= 5; }
		srand(20261204);
		my @letters = ("a" .. "z");
		my $made = 0;
		while ($made < $n) {
			my $q = lc $questions[int rand @questions];
			my @words = ($q =~ /(\w+)/g);
			my @long = grep { length $words[$_] >= 5 && $words[$_] !~ /\d/ } 0 .. $#words;
			next unless @long;
			my $place = $long[int rand @long];
			my $w = $words[$place];
			my $i = int rand length $w;
			my $kind = int rand 4;
			my $t = $w;
			if ($kind == 0) { substr($t, $i, 1) = ""; }
			elsif ($kind == 1) { substr($t, $i, 0) = substr($w, $i, 1); }
			elsif ($kind == 2) { substr($t, $i, 1) = $letters[int rand @letters]; }
			else { next if $i + 1 >= length $w; substr($t, $i, 2) = reverse substr($w, $i, 2); }
			next if $t eq $w;
			my $k = 0;
			(my $typed = $q) =~ s/(\w+)/$k++ == $place ? $t : $1/ge;
			print "$typed\t$w\t$place\n";
			$made++;
		}' "$1" "$2"
}

# verdict_of WORD PLACE ANSWER: "restored", "wrong" or "none", the folded
# word at PLACE of ANSWER (a corrected query, or empty) against WORD's.
verdict_of() {
	perl -CSDA -Mutf8 -MUnicode::Normalize -e '
		my ($word, $place, $answer) = @ARGV;
		sub fold { my $s = NFD(lc shift); $s =~ s/\pM//g; $s }
		if ($answer eq "") { print "none\n"; exit }
		my @words = ($answer =~ /(\w+)/g);
		print defined $words[$place] && fold($words[$place]) eq fold($word) ? "restored\n" : "wrong\n";' "$1" "$2" "$3"
}

declare -A count
header "typos: $per_code mistyped questions per code, Vigie (vigie-index search) and Omega (omindex --spelling)" \
	"one edit in one word of 5 letters or more of each judged question; the same draws in every run"
codes=()
for tsv in "$REPO_ROOT"/bench/relevance/*.tsv; do
	base=$(basename "$tsv" .tsv)
	case $base in
	education) bundle=code-de-l-education ;;
	travail) bundle=code-du-travail ;;
	*) continue ;;
	esac
	codes+=("$base")
	work=$TMP/$base
	clone_corpus "$bundle" "$work/repo"
	"$VIGIE" update --repo "$work/repo" --db "$work/vdb" --head-only --quiet >"$work/index.log" 2>&1 ||
		{ tail -n 20 "$work/index.log" >&2 && die "vigie-index update failed on $bundle"; }
	mkdir "$work/checkout"
	git -C "$work/repo" archive HEAD | tar -x -C "$work/checkout"
	omindex --db "$TMP/omega/data/$base" --url / --stemmer=french --spelling --mime-type=md:text/plain \
		"$work/checkout" >"$work/omindex.log" 2>&1 || { tail -n 20 "$work/omindex.log" >&2 && die "omindex failed on $bundle"; }
	typos "$tsv" "$per_code" >"$work/typos"
	while IFS=$'\t' read -r typed word place; do
		vigie=$("$VIGIE" search --db "$work/vdb" --json --limit 1 "$typed" | jq -r '.corrected // .suggestion // ""') ||
			die "vigie-index search failed on «$typed»"
		QUERY_STRING="DB=$base&FMT=typos&P=$(urlencode "$typed")" REQUEST_METHOD=GET \
			OMEGA_CONFIG_FILE="$TMP/omega/omega.conf" "$OMEGA_CGI" </dev/null >"$work/omega.out" 2>&1 ||
			die "Omega failed on «$typed»"
		if ! grep -q '^omega-done$' "$work/omega.out" || grep -q '^error: ' "$work/omega.out"; then
			cat "$work/omega.out" >&2
			die "Omega failed on «$typed»"
		fi
		omega=$(sed -n 's/^suggestion: //p' "$work/omega.out")
		for sys in vigie omega; do
			v=$(verdict_of "$word" "$place" "${!sys}")
			count[$sys,$base,$v]=$((${count[$sys,$base,$v]:-0} + 1))
			count[$sys,all,$v]=$((${count[$sys,all,$v]:-0} + 1))
		done
	done <"$work/typos"
done

fmt='   %-22s %-8s %9s %9s %9s\n'
# shellcheck disable=SC2059 # the format is ours
{
	printf "$fmt" "" "" "restored" "wrong" "as typed"
	for set in "${codes[@]}" all; do
		for sys in vigie omega; do
			n=$((${count[$sys,$set,restored]:-0} + ${count[$sys,$set,wrong]:-0} + ${count[$sys,$set,none]:-0}))
			shares=()
			for v in restored wrong none; do
				shares+=("$(awk -v a="${count[$sys,$set,$v]:-0}" -v n="$n" 'BEGIN { printf "%.3f", n ? a / n : 0 }')")
			done
			printf "$fmt" "$set" "$sys" "${shares[@]}"
		done
	done
}
echo "   words restored, Vigie/Omega: $(ratio "${count[vigie,all,restored]:-0}" "${count[omega,all,restored]:-0}")"
