/* Legal references: every spelling reduced to one canonical form. */
#include "fixtures.h"
#include "legalref.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct found {
	char all[512];
	size_t n;
} found;

static int collect(const vg_ref_match *m, void *ctx)
{
	found *f = ctx;
	if (f->n++)
		strcat(f->all, ",");
	strcat(f->all, m->canon);
	return 0;
}

static void assert_refs(const char *text, unsigned flags, const char *want)
{
	found f = {"", 0};
	vg_legalref_scan(text, strlen(text), flags, collect, &f);
	ck_assert_msg(strcmp(f.all, want) == 0, "« %s »: got [%s], want [%s]", text, f.all, want);
}

START_TEST(article_spellings_share_one_form)
{
	assert_refs("article R. 421-58", 0, "R421-58");
	assert_refs("art. R421-58", 0, "R421-58");
	assert_refs("voir R 421-58.", 0, "R421-58");
	assert_refs("(R.421-58)", 0, "R421-58");
	assert_refs("L. 214-6 et D. 422-2", 0, "L214-6,D422-2");
	assert_refs("l'article R 222-3-4 du code", 0, "R222-3-4");
	assert_refs("article\xc2\xa0L.\xc2\xa0" "131-1-1", 0, "L131-1-1");
}
END_TEST

START_TEST(lists_of_articles_give_each_reference)
{
	assert_refs("articles L. 421-11 et L. 421-12", 0, "L421-11,L421-12");
	assert_refs("articles R. 421-58 à R. 421-78", 0, "R421-58,R421-78");
}
END_TEST

START_TEST(ranges_give_every_article_they_span)
{
	assert_refs("articles L. 216-4 à L. 216-6", VG_REF_RANGES, "L216-4,L216-5,L216-6");
	assert_refs("R. 421-9 au R. 421-11", VG_REF_RANGES, "R421-9,R421-10,R421-11");
	assert_refs("L. 112-1 \xe2\x80\x93 L. 112-3", VG_REF_RANGES, "L112-1,L112-2,L112-3");
	assert_refs("des articles D. 331-1-2 à l'article D. 331-1-4", VG_REF_RANGES,
	            "D331-1-2,D331-1-3,D331-1-4");
	assert_refs("L. 216-4 à l\xe2\x80\x99" "article L. 216-6", VG_REF_RANGES, "L216-4,L216-5,L216-6");
	assert_refs("articles L. 1 à l'article L. 3", VG_REF_RANGES, "L1,L2,L3");
	assert_refs("l. 1 a l. 3", VG_REF_RANGES | VG_REF_QUERY, "L1,L2,L3");
	/* Without the flag, only what is written. */
	assert_refs("articles L. 216-4 à L. 216-6", 0, "L216-4,L216-6");
	/* Not a range: another code letter or chapter, a reversed or huge span,
	 * neighbours, or no connector. */
	assert_refs("L. 216-4 à R. 216-6", VG_REF_RANGES, "L216-4,R216-6");
	assert_refs("L. 216-4 à L. 217-6", VG_REF_RANGES, "L216-4,L217-6");
	assert_refs("L. 216-6 à L. 216-4", VG_REF_RANGES, "L216-6,L216-4");
	assert_refs("R. 421-1 à R. 421-900", VG_REF_RANGES, "R421-1,R421-900");
	assert_refs("L. 216-4 à L. 216-5", VG_REF_RANGES, "L216-4,L216-5");
	assert_refs("L. 216-4 et L. 216-6", VG_REF_RANGES, "L216-4,L216-6");
	assert_refs("L. 216-4 aux L. 216-6", VG_REF_RANGES, "L216-4,L216-6");
}
END_TEST

START_TEST(acts_are_recognised)
{
	assert_refs("décret n° 2012-1246 du 7 novembre 2012", 0, "decret-2012-1246");
	assert_refs("Décret n°2011-1316", 0, "decret-2011-1316");
	assert_refs("la loi no 2013-595", 0, "loi-2013-595");
	assert_refs("loi n° 63-156 du 23 février 1963", 0, "loi-63-156");
	assert_refs("circulaire n° 2011-117", 0, "circulaire-2011-117");
}
END_TEST

START_TEST(ordinary_text_is_not_a_reference)
{
	assert_refs("La classe A est en salle 12.", 0, "");
	assert_refs("Le budget 2012-2013", 0, "");
	assert_refs("DR 421-58", 0, "");
	assert_refs("article 60 de la loi", 0, "");
	/* Lower-case letters only in queries. */
	assert_refs("r421-58", 0, "");
	assert_refs("r421-58", VG_REF_QUERY, "R421-58");
}
END_TEST

START_TEST(canonical_accepts_one_reference_only)
{
	char out[VG_REF_MAX];
	ck_assert_int_eq(vg_legalref_canonical("r421-58", out), 0);
	ck_assert_str_eq(out, "R421-58");
	ck_assert_int_eq(vg_legalref_canonical("décret-2012-1246", out), 0);
	ck_assert_str_eq(out, "decret-2012-1246");
	ck_assert_int_lt(vg_legalref_canonical("R421-58 R421-59", out), 0);
	ck_assert_int_lt(vg_legalref_canonical("budget", out), 0);
	vg_legalref_term("decret-2012-1246", out);
	ck_assert_str_eq(out, "decret_2012_1246");
}
END_TEST

START_TEST(article_files_are_their_reference)
{
	char out[VG_REF_MAX];
	ck_assert_int_eq(vg_legalref_from_path("partie-reglementaire/livre-iv/article-r421-58.md", out), 0);
	ck_assert_str_eq(out, "R421-58");
	ck_assert_int_eq(vg_legalref_from_path("article-l131-1-1.md", out), 0);
	ck_assert_str_eq(out, "L131-1-1");
	ck_assert_int_lt(vg_legalref_from_path("partie/README.md", out), 0);
	ck_assert_int_lt(vg_legalref_from_path("article-premier.md", out), 0);
}
END_TEST

START_TEST(single_number_articles_are_references)
{
	char out[VG_REF_MAX];
	assert_refs("article L1 du code du travail", 0, "L1");
	assert_refs("art R 421-58", VG_REF_QUERY, "R421-58");
	assert_refs("art L1", 0, "L1");
	assert_refs("l'art plastique", 0, "");
	/* A query may cite one as the law does, without "article". */
	assert_refs("L. 1", VG_REF_QUERY, "L1");
	assert_refs("l.2 consultation", VG_REF_QUERY, "L2");
	assert_refs("L. 1", 0, "");
	assert_refs("l 1", VG_REF_QUERY, "");
	ck_assert_int_eq(vg_legalref_canonical("L2", out), 0);
	ck_assert_str_eq(out, "L2");
	ck_assert_int_eq(vg_legalref_canonical("l.2", out), 0);
	ck_assert_str_eq(out, "L2");
	ck_assert_int_eq(vg_legalref_from_path("partie-legislative/chapitre-preliminaire/article-l1.md", out), 0);
	ck_assert_str_eq(out, "L1");
	ck_assert_int_lt(vg_legalref_canonical("L", out), 0);
	ck_assert_int_lt(vg_legalref_canonical("2012", out), 0);
}
END_TEST

/* One definition of a reference: whatever the scanner finds, in any of
 * the spellings people write, the parser accepts as it is, and the article
 * file named after it is that reference. */
START_TEST(every_scanned_form_is_parsed_and_named_back)
{
	unsigned seed = 12345;
	for (int k = 0; k < 2000; k++) {
		char number[32] = "", text[96], canon[VG_REF_MAX], path[96];
		int groups = 1 + (int)((seed = seed * 1103515245u + 12345u) >> 16) % 3;
		for (int g = 0; g < groups; g++) {
			unsigned v = 1 + ((seed = seed * 1103515245u + 12345u) >> 16) % (g ? 99 : 9999);
			snprintf(number + strlen(number), sizeof(number) - strlen(number), "%s%u", g ? "-" : "", v);
		}
		char letter = "LRDA"[((seed = seed * 1103515245u + 12345u) >> 16) % 4];
		switch (k % 5) {
		case 0: snprintf(text, sizeof(text), "article %c. %s", letter, number); break;
		case 1: snprintf(text, sizeof(text), "art. %c%s", letter, number); break;
		case 2: snprintf(text, sizeof(text), "art %c %s", letter, number); break;
		case 3: snprintf(text, sizeof(text), "articles %c.%s et", letter, number); break;
		default: snprintf(text, sizeof(text), "(voir l'article %c. %s)", letter, number); break;
		}
		found f = {"", 0};
		vg_legalref_scan(text, strlen(text), 0, collect, &f);
		ck_assert_msg(f.n == 1, "« %s »: %zu references", text, f.n);
		ck_assert_int_eq(vg_legalref_canonical(f.all, canon), 0);
		ck_assert_str_eq(canon, f.all);
		char term[VG_REF_MAX];
		vg_legalref_term(canon, term);
		for (char *c = term; *c; c++)
			if (*c == '_')
				*c = '-';
		snprintf(path, sizeof(path), "partie/article-%s.md", term);
		ck_assert_int_eq(vg_legalref_from_path(path, canon), 0);
		ck_assert_msg(strcmp(canon, f.all) == 0, "%s is %s", path, canon);
		/* Typed in a query as the law cites it, without "article". */
		char typed[64];
		snprintf(typed, sizeof(typed), k % 2 ? "%c. %s" : "%c.%s", k % 4 < 2 ? letter : letter - 'A' + 'a', number);
		found q = {"", 0};
		vg_legalref_scan(typed, strlen(typed), VG_REF_QUERY, collect, &q);
		ck_assert_msg(strcmp(q.all, f.all) == 0, "« %s »: [%s]", typed, q.all);
	}
}
END_TEST

START_TEST(references_read_as_the_law_writes_them)
{
	char out[VG_REF_LABEL_MAX];
	vg_legalref_label("R421-58", out);
	ck_assert_str_eq(out, "article R. 421-58");
	vg_legalref_label("L1", out);
	ck_assert_str_eq(out, "article L. 1");
	vg_legalref_label("decret-2012-1246", out);
	ck_assert_str_eq(out, "décret n° 2012-1246");
	vg_legalref_label("arrete-2020-12", out);
	ck_assert_str_eq(out, "arrêté n° 2020-12");
}
END_TEST

Suite *vg_suite_legalref(void)
{
	Suite *s = suite_create("legalref");
	TCase *tc = tcase_create("scan");
	tcase_add_test(tc, article_spellings_share_one_form);
	tcase_add_test(tc, lists_of_articles_give_each_reference);
	tcase_add_test(tc, ranges_give_every_article_they_span);
	tcase_add_test(tc, acts_are_recognised);
	tcase_add_test(tc, ordinary_text_is_not_a_reference);
	tcase_add_test(tc, canonical_accepts_one_reference_only);
	tcase_add_test(tc, article_files_are_their_reference);
	tcase_add_test(tc, single_number_articles_are_references);
	tcase_add_test(tc, every_scanned_form_is_parsed_and_named_back);
	tcase_add_test(tc, references_read_as_the_law_writes_them);
	suite_add_tcase(s, tc);
	return s;
}
