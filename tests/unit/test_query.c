/* The query language read into its tree (query.c). */
#include "fixtures.h"
#include "query.h"
#include "text.h"

#include <stdlib.h>
#include <string.h>

/* The query q as read (vg_query_describe), or the error's message. */
static char *read_as(const char *q, int *plain)
{
	char *folded = vg_text_fold_str(q, VG_FOLD_QUERY);
	ck_assert_ptr_nonnull(folded);
	vg_text_split_inversions(folded);
	vg_query *query = NULL;
	vg_err err;
	char *got;
	if (vg_query_parse(&query, folded, NULL, &err) < 0) {
		ck_assert_int_eq(err.code, VG_EQUERY);
		got = strdup(err.msg);
	} else {
		got = vg_query_describe(query);
		if (plain)
			*plain = query->plain;
	}
	vg_query_free(query);
	free(folded);
	return got;
}

static void assert_reads(const char *q, const char *want)
{
	char *got = read_as(q, NULL);
	ck_assert_msg(strcmp(got, want) == 0, "« %s »: got [%s], want [%s]", q, got, want);
	free(got);
}

static void assert_refused(const char *q, const char *part)
{
	char *got = read_as(q, NULL);
	ck_assert_msg(strstr(got, part) != NULL, "« %s »: got [%s], want an error with [%s]", q, got, part);
	free(got);
}

START_TEST(plain_words_drop_stop_words_unless_nothing_else_is_there)
{
	int plain = 0;
	char *got = read_as("le budget de l'établissement", &plain);
	ck_assert_str_eq(got, "(budget etablissement)");
	ck_assert(plain);
	free(got);
	assert_reads("le", "(le)");
	assert_reads("peut-on modifier le budget ?", "(modifier budget)");
	/* So is the word of a prepositional phrase, and only there. */
	assert_reads("à partir de quel âge", "(age)");
	assert_reads("au cours de l'année scolaire", "(annee scolaire)");
	assert_reads("partir en congé", "(partir conge)");
	assert_reads("les cas de recours", "(cas recours)");
	assert_reads("\"à partir de\" 16 ans", "(\"a partir de\" 16 ans)");
	assert_reads("à partir de", "(a partir de)");
	assert_reads("", "");
}
END_TEST

START_TEST(signs_phrases_and_prefixes_are_clauses_of_their_own)
{
	assert_reads("+budget -régie \"le budget initial\" régi*", "(+budget -regie \"le budget initial\" regi*)");
	assert_reads("+le budget", "(+le budget)");
	/* Words joined by punctuation stay one clause (the index reads a
	 * phrase), other punctuation parts them. */
	assert_reads("demi-pension, cantine; 10,5 p. 12..14", "(demi-pension cantine 10,5 p. 12 14)");
	/* Unclosed quotes and parentheses close at the end; a stray one is
	 * left out. */
	assert_reads("\"non fermé ( AND", "(\"non ferme ( and\")");
	assert_reads("budget (régie avances", "(budget regie avances)");
	assert_reads("budget) régie", "(budget regie)");
}
END_TEST

START_TEST(fields_are_searched_or_filtered_as_fields_def_says)
{
	assert_reads("titre:budget domaine:comptabilite titre:\"budget initial\" -type:guide",
	             "(XT:budget XD=comptabilite XT:\"budget initial\" -XTY=guide)");
	/* Not a field: words joined by a colon. */
	assert_reads("couleur:bleu", "(couleur:bleu)");
	assert_reads("titre: budget", "(budget)");
}
END_TEST

START_TEST(references_in_any_spelling_are_one_clause)
{
	assert_reads("article R. 421-58 du code", "(ref:r421_58 code)");
	assert_reads("art R 421-58", "(ref:r421_58)");
	assert_reads("ref:R421-58 budget", "(ref=r421_58 budget)");
	/* Quoted, a reference alone is that reference; among other words, a
	 * phrase. */
	assert_reads("\"article R. 421-58\"", "(ref:r421_58)");
	assert_reads("\"L. 1234-9\" budget", "(ref:l1234_9 budget)");
	assert_reads("\"selon l article R. 421-58\"", "(\"selon l article r. 421-58\")");
	assert_refused("ref:rien", "« rien » n'est pas une référence");
	/* A range asks for every article it spans; with operators, its ends. */
	assert_reads("articles R. 421-58 à R. 421-60", "(ref:r421_58 ref:r421_59 ref:r421_60)");
	assert_reads("L. 1 a L. 3 budget", "(ref:l1 ref:l2 ref:l3 budget)");
	assert_reads("R421-58 à R421-60 ET budget", "((ref:r421_58 ref:r421_60) AND (budget))");
	assert_reads("R421-58 a budget", "(ref:r421_58 budget)");
	assert_reads("articles L. 1 à l'article L. 3", "(ref:l1 ref:l2 ref:l3)");
	assert_reads("L. 1 à l\xe2\x80\x99" "article L. 3", "(ref:l1 ref:l2 ref:l3)");
}
END_TEST

START_TEST(date_ranges_read_years_months_and_days)
{
	assert_reads("date:2023 budget", "(date:20230101..20231231 budget)");
	assert_reads("date:2023-03..2024", "(date:20230301..20241231)");
	assert_reads("date:..2023-06-15", "(date:..20230615)");
	assert_reads("-date:2012", "(-date:20120101..20121231)");
	assert_reads("\"régie date:2012\"", "(\"regie date:2012\")");
	assert_reads("date:)", "");
	assert_refused("date:hier..demain", "plage de dates illisible");
	assert_refused("date:2023-13", "plage de dates illisible");
}
END_TEST

START_TEST(operators_bind_as_xapian_reads_them)
{
	int plain = 1;
	char *got = read_as("budget ET régie", &plain);
	ck_assert_str_eq(got, "((budget) AND (regie))");
	ck_assert(!plain);
	free(got);
	assert_reads("budget OR régie AND avances", "((budget) OR ((regie) AND (avances)))");
	assert_reads("budget AND régie OR avances", "(((budget) AND (regie)) OR (avances))");
	assert_reads("budget SAUF régie", "((budget) NOT (regie))");
	assert_reads("budget AND NOT régie", "((budget) NOT (regie))");
	assert_reads("NOT régie", "(* NOT (regie))");
	assert_reads("(budget OR régie) AND titre:avances", "((((budget) OR (regie))) AND (XT:avances))");
	assert_reads("budget NEAR/3 initial", "((budget NEAR/3 initial))");
	assert_reads("budget ADJ initial rectificatif", "((budget ADJ/10 initial) rectificatif)");
}
END_TEST

START_TEST(an_operator_without_its_words_is_refused_in_french)
{
	assert_refused("budget AND", "« ET (AND) » sans mots à sa droite");
	assert_refused("OU budget", "« OU (OR) » sans mots à sa gauche");
	assert_refused("titre: OR NOT", "requête mal formée");
	assert_refused("budget NEAR \"a b\"", "« NEAR » joint des mots simples");
	assert_refused("NEAR budget", "requête mal formée");
	/* An operator after punctuation is one, and what follows NEAR is a
	 * word or nothing. */
	assert_refused("a,NEAR +(b) x", "mots simples");
	assert_refused("budget,NEAR -(régie)", "mots simples");
	int plain = 1;
	char *got = read_as("budget,AND régie", &plain);
	ck_assert_str_eq(got, "((budget) AND (regie))");
	ck_assert(!plain);
	free(got);
}
END_TEST

START_TEST(operators_are_words_inside_quotes)
{
	int plain = 0;
	char *got = read_as("\"droits ET obligations\" lycée", &plain);
	ck_assert_str_eq(got, "(\"droits et obligations\" lycee)");
	ck_assert(plain);
	free(got);
	assert_reads("\"DROITS ET DEVOIRS\"", "(\"droits et devoirs\")");
	/* A query all in capitals has words, not operators. */
	got = read_as("DROITS ET DEVOIRS DES ÉLÈVES", &plain);
	ck_assert_str_eq(got, "(droits devoirs eleves)");
	ck_assert(plain);
	free(got);
	/* Capitals glued to a word are no operator either. */
	got = read_as("foo-AND bar", &plain);
	ck_assert(plain);
	free(got);
}
END_TEST

START_TEST(nesting_is_bounded)
{
	char deep[1100] = "";
	for (int i = 0; i < 500; i++)
		strcat(deep, "(");
	strcat(deep, "budget AND régie");
	assert_refused(deep, "trop imbriquée");
	deep[0] = '\0';
	for (int i = 0; i < 100; i++)
		strcat(deep, "NOT ");
	strcat(deep, "budget");
	assert_refused(deep, "trop imbriquée");
	assert_reads("((budget AND régie))", "((((budget) AND (regie))))");
}
END_TEST

START_TEST(near_joins_single_words_with_one_window)
{
	assert_reads("titre:budget NEAR/3 initial", "((XT:budget NEAR/3 initial))");
	assert_reads("budget NEAR/ initial", "((budget NEAR/10 initial))");
	assert_refused("budget NEAR/3 initial NEAR/1 rectificatif", "même distance");
	assert_refused("budget NEAR initial ADJ rectificatif", "même distance");
	assert_refused("art. R421-58 NEAR budget", "mots simples");
}
END_TEST

START_TEST(punctuation_alone_is_an_empty_query)
{
	static const char *const empty[] = {"!", ")", "(", "-", "+", "*", "\"\"", "titre:", "ref:", ",,,;;;"};
	for (size_t i = 0; i < sizeof(empty) / sizeof(empty[0]); i++)
		assert_reads(empty[i], "");
	/* A stop word beside NOT is all there is on its side. */
	assert_reads("le NOT école", "((le) NOT (ecole))");
}
END_TEST

START_TEST(dates_are_days_of_the_calendar_in_order)
{
	assert_refused("date:2023-02-31", "plage de dates illisible");
	assert_refused("date:2023..2010", "plage de dates illisible");
	assert_reads("ref:\"L121-1\" école", "(ref=l121_1 ecole)");
}
END_TEST

Suite *vg_suite_query(void)
{
	Suite *s = suite_create("query");
	TCase *t = tcase_create("query");
	tcase_add_test(t, plain_words_drop_stop_words_unless_nothing_else_is_there);
	tcase_add_test(t, signs_phrases_and_prefixes_are_clauses_of_their_own);
	tcase_add_test(t, fields_are_searched_or_filtered_as_fields_def_says);
	tcase_add_test(t, references_in_any_spelling_are_one_clause);
	tcase_add_test(t, date_ranges_read_years_months_and_days);
	tcase_add_test(t, operators_bind_as_xapian_reads_them);
	tcase_add_test(t, an_operator_without_its_words_is_refused_in_french);
	tcase_add_test(t, operators_are_words_inside_quotes);
	tcase_add_test(t, nesting_is_bounded);
	tcase_add_test(t, near_joins_single_words_with_one_window);
	tcase_add_test(t, punctuation_alone_is_an_empty_query);
	tcase_add_test(t, dates_are_days_of_the_calendar_in_order);
	suite_add_tcase(s, t);
	return s;
}
