#!/usr/bin/perl
# A query log for the search benchmarks, drawn from a code's repository:
# for each article at HEAD, a pair and a triple of its consecutive words
# (letters only, four or more of them), the article's reference in one of
# the spellings users type ("R421-58", "R. 421-58", "art. R 421-58",
# "article R421-58"), and the judged questions of the TSV files given.
# One query per line, each once, in a fixed pseudo-random order (the same
# log for the same repository).
# Usage: bench/query-log.pl REPO [QUESTIONS.tsv...] > LOG
use strict;
use warnings;
use utf8;
use File::Find;

binmode STDOUT, ':encoding(UTF-8)';
my $repo = shift @ARGV or die "usage: query-log.pl REPO [QUESTIONS.tsv...]\n";
-d $repo or die "query-log.pl: $repo is not a folder\n";

# A small linear congruential generator: the same sequence everywhere.
my $state = 20261202;
sub draw {
	my ($n) = @_;
	$state = ($state * 1103515245 + 12345) % 2147483648;
	return $state % $n;
}

my @files;
find({ wanted => sub { push @files, $_ if m{/article-[^/]*\.md$} }, no_chdir => 1 }, $repo);
@files = sort @files;

my (%seen, @log);
sub add {
	my ($q) = @_;
	push @log, $q unless $seen{$q}++;
}

my @spellings = ('%s%s', '%s. %s', 'art. %s %s', 'article %s%s');
for my $f (@files) {
	open my $in, '<:encoding(UTF-8)', $f or die "query-log.pl: $f: $!\n";
	local $/;
	my $text = <$in>;
	close $in;
	$text =~ s/\A---\n.*?\n---\n//s;   # front matter
	$text =~ s/^#.*$//mg;               # headings ("Article R421-58")
	my @words = map { lc } ($text =~ /(\p{L}{4,})/g);
	if (@words >= 3) {
		my $k = draw(@words - 2);
		add("$words[$k] $words[$k + 1]");
		$k = draw(@words - 2);
		add("$words[$k] $words[$k + 1] $words[$k + 2]");
	}
	if ($f =~ m{article-([a-z]+)(\d[\d-]*)\.md$}) {
		my ($kind, $number) = (uc $1, $2);
		my $s = $spellings[draw(scalar @spellings)];
		add(sprintf($s, $kind, $number));
	}
}
for my $tsv (@ARGV) {
	open my $in, '<:encoding(UTF-8)', $tsv or die "query-log.pl: $tsv: $!\n";
	<$in>;                               # header
	while (my $line = <$in>) {
		chomp $line;
		my @cols = split /\t/, $line;
		add($cols[3]) if @cols >= 4 && length $cols[3];
	}
	close $in;
}
# Shuffled, so that no run of queries comes from one part of the code.
for (my $i = $#log; $i > 0; $i--) {
	my $j = draw($i + 1);
	@log[$i, $j] = @log[$j, $i];
}
print "$_\n" for @log;
