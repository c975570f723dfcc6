#!/usr/bin/env bash
# Typo correction on the legal codes: one word of each judged question
# (bench/relevance/*.tsv) mistyped by one edit (a letter left out, doubled
# or replaced, two letters swapped; fixed pseudo-random draws, the same in
# every run), asked of Vigie (vigie-index search, index of HEAD) and of
# Xapian's Omega (omindex --spelling, its CGI with spelling correction and
# the French stemmer), each on the same tree. A correction restores the
# word when the folded word at its place is the one written in the
# question. Prints, per code and pooled, the share restored, corrected to
# another word and left as typed, the share of answers that also changed
# another word of the question, and the ratio of words restored,
# Vigie/Omega. It reports; it does not fail on scores.
# Installs jq and xapian-omega (Debian) when missing.
# Usage: bench/typos.sh [BUILD_DIR]   (BENCH_TYPOS=300 per code,
#   BENCH_TYPO_SEED: other draws, to check on typos not looked at; VIGIE_CORPUS=...)
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
# "typed query<TAB>word<TAB>typo<TAB>place" lines (place: the word's index
# among the question's words, elided forms "l", "qu"... left out).
typos() {
	perl -CSDA -Mutf8 -e '
		use strict; use warnings;
		my ($file, $n) = @ARGV;
		open my $in, "<:encoding(UTF-8)", $file or die "$file: $!\n";
		my @questions;
		while (<$in>) { chomp; my @f = split /\t/; push @questions, $f[3] if $. > 1 && @f >= 5; }
		srand($ENV{BENCH_TYPO_SEED} // 20261204);
		my @letters = ("a" .. "z");
		my $made = 0;
		while ($made < $n) {
			my $q = lc $questions[int rand @questions];
			my @words = grep { length > 1 && !/qu$/ } ($q =~ /(\w+)/g);
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
			# (The word is kept before m{} resets $1.)
			(my $typed = $q) =~ s/(\w+)/my $v = $1; length $v > 1 && $v !~ m{qu$} && $k++ == $place ? $t : $v/ge;
			print "$typed\t$w\t$t\t$place\n";
			$made++;
		}' "$1" "$2"
}

# verdict_of QUESTION WORD TYPO PLACE ANSWER: "restored", "wrong" or
# "typed" (the folded word at PLACE of ANSWER, a corrected query or empty,
# against WORD's and TYPO's; elided forms left out, which a correction may
# add: "qu'elles"), then "changed" when another word of QUESTION was
# changed too.
verdict_of() {
	perl -CSDA -Mutf8 -MUnicode::Normalize -e '
		my ($question, $word, $typo, $place, $answer) = @ARGV;
		sub fold { my $s = NFD(lc shift); $s =~ s/\pM//g; $s }
		sub words { map { fold($_) } grep { length > 1 && !/qu$/i } ($_[0] =~ /(\w+)/g) }
		if ($answer eq "") { print "typed\n"; exit }
		my @asked = words($question), @got = words($answer);
		my $at = defined $got[$place] ? $got[$place] : "";
		my $v = $at eq fold($word) ? "restored" : $at eq fold($typo) ? "typed" : "wrong";
		my $changed = @asked != @got;
		for my $i (0 .. $#asked) { $changed ||= $i != $place && $asked[$i] ne ($got[$i] // "") }
		print $v, $changed ? " changed" : "", "\n";' "$1" "$2" "$3" "$4" "$5"
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
	while IFS=$'\t' read -r typed word typo place; do
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
			read -r v changed < <(verdict_of "$typed" "$word" "$typo" "$place" "${!sys}")
			for set in "$base" all; do
				count[$sys,$set,$v]=$((${count[$sys,$set,$v]:-0} + 1))
				[[ -z $changed ]] || count[$sys,$set,changed]=$((${count[$sys,$set,changed]:-0} + 1))
			done
		done
	done <"$work/typos"
done

fmt='   %-22s %-8s %9s %9s %9s %14s\n'
# shellcheck disable=SC2059 # the format is ours
{
	printf "$fmt" "" "" "restored" "wrong" "as typed" "others changed"
	for set in "${codes[@]}" all; do
		for sys in vigie omega; do
			n=$((${count[$sys,$set,restored]:-0} + ${count[$sys,$set,wrong]:-0} + ${count[$sys,$set,typed]:-0}))
			shares=()
			for v in restored wrong typed changed; do
				shares+=("$(awk -v a="${count[$sys,$set,$v]:-0}" -v n="$n" 'BEGIN { printf "%.3f", n ? a / n : 0 }')")
			done
			printf "$fmt" "$set" "$sys" "${shares[@]}"
		done
	done
}
echo "   words restored, Vigie/Omega: $(ratio "${count[vigie,all,restored]:-0}" "${count[omega,all,restored]:-0}")"
