/* Reading documents: rendering, word diff, the catalog of versions. */
#include "catalog.h"
#include "fixtures.h"
#include "render.h"
#include "wdiff.h"

#include <stdlib.h>
#include <string.h>

START_TEST(markdown_renders_without_raw_html_or_unsafe_links)
{
	const char *md = "---\ntitre: X\n---\n# Titre <script>alert(1)</script>\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
	                 "- [x] fait\n\n<div onclick=\"x()\">brut</div>\n\n[lien](javascript:alert(1)) ~~barré~~ https://education.gouv.fr\n";
	char *html = NULL;
	vg_err err;
	ck_assert_int_eq(vg_render_html("n.md", md, strlen(md), NULL, NULL, &html, &err), 0);
	ck_assert_ptr_null(strstr(html, "titre: X"));
	ck_assert_ptr_null(strstr(html, "<script"));
	ck_assert_ptr_null(strstr(html, "onclick"));
	ck_assert_ptr_null(strstr(html, "javascript:"));
	ck_assert_ptr_nonnull(strstr(html, "<table>"));
	ck_assert_ptr_nonnull(strstr(html, "checkbox"));
	ck_assert_ptr_nonnull(strstr(html, "<del>barré</del>"));
	ck_assert_ptr_nonnull(strstr(html, "<a href=\"https://education.gouv.fr\">"));
	/* The text of raw HTML is shown as text, never its tags. */
	ck_assert_ptr_nonnull(strstr(html, "<p>brut</p>"));
	ck_assert_ptr_null(strstr(html, "raw HTML omitted"));
	free(html);
	ck_assert_int_eq(vg_render_html("p.txt", "a < b\n", 6, NULL, NULL, &html, &err), 0);
	ck_assert_str_eq(html, "<pre>a &lt; b\n</pre>\n");
	free(html);
	ck_assert_int_eq(vg_render_html("x.pdf", "%PDF", 4, NULL, NULL, &html, &err), VG_EINVAL);
}
END_TEST

START_TEST(word_diff_marks_words_inside_a_paragraph)
{
	vg_wdiff_result d;
	vg_err err;
	ck_assert_int_eq(vg_wdiff(&d, "# Article L312-15\n\nL'enseignement d'éducation civique comporte <b>.\nInchangé.\n",
	                          "# Article L312-15\n\nL'enseignement moral et civique comporte <b>.\nInchangé.\nNouveau.\n",
	                          &err), 0);
	ck_assert_uint_eq(d.changes, 2);
	ck_assert_uint_eq(d.n, 4);
	ck_assert_str_eq(d.paras[0].op, "same");
	ck_assert_str_eq(d.paras[1].op, "changed");
	ck_assert_str_eq(d.paras[1].html,
	                 "L'enseignement <del>d'éducation</del><ins>moral et</ins> civique comporte &lt;b&gt;.");
	ck_assert_str_eq(d.paras[3].op, "added");
	json_t *j = vg_wdiff_json(&d);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(j, 1), "op")), "changed");
	json_decref(j);
	vg_wdiff_clear(&d);
}
END_TEST

START_TEST(a_document_knows_its_references_and_who_cites_it)
{
	vg_searcher *s = NULL;
	vg_err err;
	vg_document d;
	json_t *j = NULL;
	ck_assert_int_eq(vg_searcher_open(&s, fx_index, &err), 0);
	ck_assert_int_eq(vg_catalog_document(&d, s, NULL, "comptabilite/regies/regies-avances.md", NULL, &err), 0);
	ck_assert_uint_ge(d.n_cites, 1);
	ck_assert_str_eq(d.cites[0].ref, "R421-58");
	ck_assert_str_eq(d.cites[0].article.path, "code/article-r421-58.md");
	ck_assert(d.current);
	ck_assert_ptr_nonnull(strstr(d.text, "L'agent comptable"));
	/* Its JSON says the same. */
	ck_assert_ptr_nonnull(j = vg_document_json(&d));
	json_t *ref = json_array_get(json_object_get(j, "references"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(ref, "path")), "code/article-r421-58.md");
	ck_assert(json_is_true(json_object_get(json_object_get(j, "version"), "current")));
	json_decref(j);
	vg_document_clear(&d);
	ck_assert_int_eq(vg_catalog_document(&d, s, NULL, "code/article-r421-58.md", NULL, &err), 0);
	ck_assert_uint_eq(d.n_cited_by, 1);
	ck_assert_str_eq(d.cited_by[0].path, "comptabilite/regies/regies-avances.md");
	ck_assert_uint_gt(d.n_related, 0);
	vg_document_clear(&d);
	/* An old version, and a version that does not exist. */
	ck_assert_int_eq(vg_catalog_document(&d, s, NULL, "veille-juridique/2012/note-eple.md", "2012-06-01", &err), 0);
	ck_assert_ptr_nonnull(strstr(d.text, "éducation civique"));
	ck_assert(!d.current && d.replaced_by[0]);
	/* A version never lists itself, among what cites it or is like it. */
	for (size_t k = 0; k < d.n_related; k++)
		ck_assert_str_ne(d.related[k].path, "veille-juridique/2012/note-eple.md");
	for (size_t k = 0; k < d.n_cited_by; k++)
		ck_assert_str_ne(d.cited_by[k].path, "veille-juridique/2012/note-eple.md");
	/* In force from its commit's day until the next version's. */
	ck_assert(d.version_date[0] && d.until[0]);
	ck_assert(strcmp(d.version_date, "2012-06-01") <= 0);
	ck_assert(strcmp(d.until, "2012-06-01") > 0);
	vg_document_clear(&d);
	ck_assert_int_eq(vg_catalog_document(&d, s, NULL, "paye/procedure-paye.txt", NULL, &err), VG_ENOTFOUND);
	ck_assert_int_eq(vg_catalog_document(&d, s, NULL, "paye/procedure-paye.txt", "2013-01-01", &err), 0);
	vg_document_clear(&d);
	vg_strlist words;
	size_t start;
	ck_assert_int_eq(vg_catalog_suggest(&words, s, "régie d'ava", 5, &start, &err), 0);
	ck_assert_uint_ge(words.count, 1);
	ck_assert_str_eq(words.items[0], "avances");
	ck_assert_uint_eq(start, strlen("régie d'"));
	vg_strlist_clear(&words);
	/* Accents as the documents write them; an apostrophe inside a word
	 * is no elision. */
	ck_assert_int_eq(vg_catalog_suggest(&words, s, "rég", 5, &start, &err), 0);
	ck_assert(vg_strlist_has(&words, "régie") || vg_strlist_has(&words, "régies"));
	ck_assert_uint_eq(start, 0);
	vg_strlist_clear(&words);
	vg_searcher_free(s);
}
END_TEST

static char *link_r421_58(const char *canon, void *ctx)
{
	(void)ctx;
	return strcmp(canon, "R421-58") == 0 ? strdup("#/doc?path=code%2Farticle-r421-58.md") : NULL;
}

START_TEST(citations_in_the_text_link_to_their_articles)
{
	const char *md = "# T\n\nVoir l'article R. 421-58 et le R. 421-59, `R. 421-58` en code, "
	                 "[un lien sur R. 421-58](https://exemple.fr) déjà.\n";
	char *html = NULL;
	vg_err err;
	ck_assert_int_eq(vg_render_html("n.md", md, strlen(md), link_r421_58, NULL, &html, &err), 0);
	ck_assert_ptr_nonnull(strstr(html, "<a href=\"#/doc?path=code%2Farticle-r421-58.md\">article R. 421-58</a> et le R. 421-59"));
	ck_assert_ptr_nonnull(strstr(html, "<code>R. 421-58</code>"));
	ck_assert_ptr_nonnull(strstr(html, "<a href=\"https://exemple.fr\">un lien sur R. 421-58</a>"));
	ck_assert_ptr_null(strstr(html, "javascript"));
	free(html);
}
END_TEST

START_TEST(an_article_written_in_html_reads_as_text_with_its_links)
{
	const char *md = "# Article L1471-1\n\n<div align=\"left\">Toute action se prescrit par deux ans."
	                 "<br/> <br/>Voir l'article R. 421-58 &amp; la suite.</div>\n\nUne ligne<br/>coupée, "
	                 "<b>en gras</b>.\n";
	char *html = NULL;
	vg_err err;
	ck_assert_int_eq(vg_render_html("n.md", md, strlen(md), link_r421_58, NULL, &html, &err), 0);
	ck_assert_msg(strstr(html, "<p>Toute action se prescrit par deux ans.</p>") != NULL, "%s", html);
	ck_assert_msg(strstr(html, "<p>Voir l'<a href=\"#/doc?path=code%2Farticle-r421-58.md\">article R. 421-58</a>"
	                           " &amp; la suite.</p>") != NULL, "%s", html);
	ck_assert_msg(strstr(html, "Une ligne<br />\ncoupée, en gras.") != NULL, "%s", html);
	ck_assert_ptr_null(strstr(html, "<div"));
	ck_assert_ptr_null(strstr(html, "<b>"));
	free(html);
}
END_TEST

Suite *vg_suite_view(void)
{
	Suite *s = suite_create("view");
	TCase *tc = tcase_create("render");
	tcase_add_test(tc, markdown_renders_without_raw_html_or_unsafe_links);
	tcase_add_test(tc, word_diff_marks_words_inside_a_paragraph);
	tcase_add_test(tc, citations_in_the_text_link_to_their_articles);
	tcase_add_test(tc, an_article_written_in_html_reads_as_text_with_its_links);
	suite_add_tcase(s, tc);
	TCase *cat = tcase_create("catalog");
	tcase_set_timeout(cat, 30);
	tcase_add_unchecked_fixture(cat, fx_indexed_setup, fx_indexed_teardown);
	tcase_add_test(cat, a_document_knows_its_references_and_who_cites_it);
	suite_add_tcase(s, cat);
	return s;
}
