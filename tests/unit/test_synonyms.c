/* Synonyms: expansion of folded queries, outside phrases and fields. */
#include "fixtures.h"
#include "query.h"
#include "search.h"
#include "synonyms.h"
#include "text.h"

#include <stdlib.h>
#include <string.h>

/* The synonyms of text, failing the test if it does not parse. */
static vg_synonyms *parse(const char *text)
{
	vg_synonyms *s = NULL;
	vg_err err;
	ck_assert_int_eq(vg_synonyms_parse(text, strlen(text), &s, &err), 0);
	return s;
}

static vg_synonyms *load(void)
{
	return parse("# sigles\n"
	             "EPLE = établissement public local d'enseignement\n"
	             "DBM = décision budgétaire modificative = budget rectificatif\n"
	             "seul\n"
	             "\n");
}

/* want: the query read (vg_query_describe); groups: the groups it refers
 * to, one per line, their expressions separated by '|'. */
static void assert_expand(vg_synonyms *s, const char *q, const char *want, const char *groups)
{
	char *folded = vg_text_fold_str(q, VG_FOLD_QUERY);
	vg_query *query = NULL;
	vg_err err;
	ck_assert_int_eq(vg_query_parse(&query, folded, s, &err), 0);
	char *got = vg_query_describe(query);
	ck_assert_msg(strcmp(got, want) == 0, "« %s »: got [%s]", q, got);
	const vg_strlist g = query->groups;
	char listed[512] = "";
	for (size_t i = 0; i < g.count; i++) {
		size_t at = strlen(listed);
		snprintf(listed + at, sizeof(listed) - at, "%s%s", i ? "\n" : "", g.items[i]);
	}
	for (char *c = listed; *c; c++)
		if (*c == '\x1f')
			*c = '|';
	ck_assert_msg(strcmp(listed, groups) == 0, "« %s »: groups [%s]", q, listed);
	vg_query_free(query);
	free(got);
	free(folded);
}

START_TEST(an_acronym_expands_to_its_words)
{
	vg_synonyms *s = load();
	assert_expand(s, "EPLE budget", "(syn:0 budget)", "EPLE|etablissement public local d enseignement");
	assert_expand(s, "dbm", "(syn:0)", "DBM|decision budgetaire modificative|budget rectificatif");
	vg_synonyms_free(s);
}
END_TEST

START_TEST(the_words_expand_to_the_acronym)
{
	vg_synonyms *s = load();
	assert_expand(s, "l'établissement public local d'enseignement", "(syn:0)",
	              "etablissement public local d enseignement|EPLE");
	vg_synonyms_free(s);
}
END_TEST

START_TEST(a_group_found_twice_is_listed_once)
{
	vg_synonyms *s = load();
	assert_expand(s, "EPLE DBM eple", "(syn:0 syn:1 syn:0)",
	              "EPLE|etablissement public local d enseignement\n"
	              "DBM|decision budgetaire modificative|budget rectificatif");
	vg_synonyms_free(s);
}
END_TEST

START_TEST(phrases_fields_and_parts_of_words_are_left_alone)
{
	vg_synonyms *s = load();
	assert_expand(s, "\"EPLE\" titre:eple epleX seul", "(\"eple\" XT:eple eplex seul)", "");
	vg_synonyms_free(s);
	assert_expand(NULL, "EPLE", "(eple)", "");
}
END_TEST

START_TEST(a_one_way_abbreviation_expands_only_itself)
{
	vg_synonyms *s = parse("CA => conseil d'administration = chiffre d'affaires\n");
	assert_expand(s, "CA budget", "(syn:0 budget)", "CA|conseil d administration|chiffre d affaires");
	assert_expand(s, "conseil d'administration", "(conseil administration)", "");
	ck_assert(vg_synonyms_knows(s, "ca"));
	ck_assert(!vg_synonyms_knows(s, "conseil"));
	vg_synonyms_free(s);
}
END_TEST

START_TEST(the_shipped_abbreviations_parse_and_expand)
{
	vg_synonyms *s = parse(vg_synonyms_shipped);
	assert_expand(s, "durée d'un CDD", "(duree syn:0)", "CDD|contrat a duree determinee");
	/* An apostrophe inside a word is the word's, as in the index. */
	assert_expand(s, "CPH", "(syn:0)", "CPH|conseil de prud'hommes");
	/* Everyday words expand to the codes' own, not the other way. */
	assert_expand(s, "travail au noir", "(syn:0)", "travail au noir|travail dissimule|au black|au noir");
	assert_expand(s, "travail dissimulé", "(travail dissimule)", "");
	/* A key as written wins over another key of the same stem. */
	assert_expand(s, "boss", "(syn:0)", "boss|chef d entreprise|employeur|patronne|patron");
	/* Short words are found as written, or plural, only: "faces" is not
	 * "fac". */
	assert_expand(s, "faces", "(faces)", "");
	ck_assert(!vg_synonyms_knows(s, "faces"));
	ck_assert(vg_synonyms_knows(s, "ados"));
	assert_expand(s, "facs", "(syn:0)", "facs|universite|fac");
	/* The longest expression wins, in any form: not "prime" alone. */
	vg_synonyms *more = parse("prime = gratification\nprime de fin de contrat => indemnité de fin de contrat\n");
	assert_expand(more, "prime de fin de contrats", "(syn:0)",
	              "prime de fin de contrats|indemnite de fin de contrat|prime de fin de contrat");
	vg_synonyms_free(more);
	/* Nor does a word joined to the next one end an expression; words
	 * joined by a hyphen are another form of an expression's. */
	assert_expand(s, "bac+2", "(bac+2)", "");
	assert_expand(s, "burn-outs", "(syn:0)", "burn outs|epuisement professionnel|burn out|burnout");
	assert_expand(s, "prof-docs", "(prof-docs)", "");
	/* An expression never swallows an operator, a sign or a prefix. */
	assert_expand(s, "heures NOT sup", "((heures) NOT (sup))", "");
	assert_expand(s, "heures -sup", "(heures -sup)", "");
	assert_expand(s, "cantines*", "(cantines*)", "");
	vg_synonyms_free(s);
}
END_TEST

START_TEST(other_forms_of_an_expression_are_found_and_searched_as_typed)
{
	vg_synonyms *s = load();
	assert_expand(s, "les établissements publics locaux d'enseignement", "(syn:0)",
	              "etablissements publics locaux d enseignement|etablissement public local d enseignement|EPLE");
	/* An acronym is found as written only. */
	assert_expand(s, "eples", "(eples)", "");
	ck_assert(vg_synonyms_knows(s, "decisions budgetaires modificatives") == 0);
	vg_synonyms_free(s);
	s = parse("cantine => restauration scolaire\n");
	assert_expand(s, "prix des cantines", "(prix syn:0)", "cantines|restauration scolaire|cantine");
	ck_assert(vg_synonyms_knows(s, "cantines"));
	vg_synonyms_free(s);
}
END_TEST

START_TEST(snippet_marks_map_back_to_the_original_text)
{
	const char *orig = "L'Établissement & l'œuvre";
	vg_folded f;
	ck_assert_int_eq(vg_text_fold(orig, strlen(orig), VG_FOLD_MAP, &f), 0);
	/* As MSet::snippet marks "etablissement" and "oeuvre" in folded text. */
	char *html = vg_search_map_snippet("l \x01" "etablissement\x02 &amp; l \x01oeuvre\x02\x03", f.text,
	                                   f.len, f.orig, orig, NULL);
	ck_assert_str_eq(html, "L'<mark>Établissement</mark> &amp; l'<mark>œuvre</mark> ...");
	free(html);
	vg_folded_clear(&f);
}
END_TEST

Suite *vg_suite_synonyms(void)
{
	Suite *s = suite_create("synonyms");
	TCase *tc = tcase_create("expand");
	tcase_add_test(tc, an_acronym_expands_to_its_words);
	tcase_add_test(tc, the_words_expand_to_the_acronym);
	tcase_add_test(tc, a_group_found_twice_is_listed_once);
	tcase_add_test(tc, phrases_fields_and_parts_of_words_are_left_alone);
	tcase_add_test(tc, snippet_marks_map_back_to_the_original_text);
	tcase_add_test(tc, a_one_way_abbreviation_expands_only_itself);
	tcase_add_test(tc, the_shipped_abbreviations_parse_and_expand);
	tcase_add_test(tc, other_forms_of_an_expression_are_found_and_searched_as_typed);
	suite_add_tcase(s, tc);
	return s;
}
