/* Indexing a real git history and searching it: versions, as-of, French
 * analysis, references, problems, incremental updates, rewrites, locks. */
#include "fields.h"
#include "fixtures.h"
#include "xapian_shim.h"
#include "lexicon.h"
#include "catalog.h"
#include "indexer.h"
#include "search.h"
#include "status.h"
#include "store.h"
#include "strbuf.h"

#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#include <string.h>


static int search_has(const char *q, const char *as_of, const char *path)
{
	json_t *r = fx_search(fx_index, q, as_of);
	int has = fx_has_hit(r, path);
	json_decref(r);
	return has;
}

static int search_error(const char *q, const char *as_of, const char *filter, char *msg, size_t msglen)
{
	vg_err err;
	json_t *res = NULL;
	vg_search_req req;
	memset(&req, 0, sizeof(req));
	req.query = q;
	req.as_of = as_of;
	req.filters = &filter;
	req.n_filters = filter ? 1 : 0;
	int rc = fx_search_req(fx_index, &req, &res, &err);
	json_decref(res);
	if (msg)
		snprintf(msg, msglen, "%s", err.msg);
	return rc;
}

#define NOTE "veille-juridique/2012/note-eple.md"
#define REGIE "comptabilite/regies/regies-avances.md"

START_TEST(current_search_sees_only_current_versions)
{
	ck_assert(search_has("enseignement moral et civique", NULL, NOTE));
	ck_assert(!search_has("\"education civique\"", NULL, NOTE));
	ck_assert(search_has("\"education civique\"", "2012-06-01", NOTE));
	ck_assert(!search_has("\"enseignement moral et civique\"", "2012-06-01", NOTE));
}
END_TEST

START_TEST(as_of_a_commit_equals_as_of_its_day)
{
	char *first = fx_sh_out("git -C '%s' rev-list --max-parents=0 HEAD", fx_repo);
	ck_assert(search_has("\"education civique\"", first, NOTE));
	first[8] = '\0';
	ck_assert(search_has("\"education civique\"", first, NOTE));
	free(first);
}
END_TEST

START_TEST(deleted_file_found_only_before_its_deletion)
{
	ck_assert(search_has("assistants d'éducation", "2013-12-31", "paye/procedure-paye.txt"));
	ck_assert(!search_has("assistants d'éducation", NULL, "paye/procedure-paye.txt"));
	/* Deleted documents are found as such, by the commit that deleted
	 * them; a renamed one was not deleted. */
	vg_search_req req;
	json_t *r = NULL;
	vg_err err;
	memset(&req, 0, sizeof(req));
	req.deleted = 1;
	ck_assert_int_eq(fx_search_req(fx_index, &req, &r, &err), 0);
	ck_assert_int_eq(json_integer_value(json_object_get(r, "total")), 1);
	json_t *hit = json_array_get(json_object_get(r, "hits"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(hit, "path")), "paye/procedure-paye.txt");
	char *head = fx_sh_out("git -C '%s' rev-parse HEAD", fx_repo);
	head[strcspn(head, "\n")] = '\0';
	ck_assert_str_eq(json_string_value(json_object_get(hit, "deleted_by")), head);
	char *when = fx_sh_out("git -C '%s' log -1 --format=%%ct HEAD", fx_repo);
	ck_assert_int_eq(json_integer_value(json_object_get(hit, "changed")), atoll(when));
	free(when);
	free(head);
	json_decref(r);
	req.query = "assistants d'éducation";
	ck_assert_int_eq(fx_search_req(fx_index, &req, &r, &err), 0);
	ck_assert(fx_has_hit(r, "paye/procedure-paye.txt"));
	json_decref(r);
	req.query = "régie";
	ck_assert_int_eq(fx_search_req(fx_index, &req, &r, &err), 0);
	ck_assert_int_eq(json_integer_value(json_object_get(r, "total")), 0);
	json_decref(r);
}
END_TEST

START_TEST(accents_case_and_elisions_are_folded)
{
	ck_assert(search_has("etablissement public local", NULL, NOTE));
	ck_assert(search_has("ÉTABLISSEMENTS", NULL, NOTE));
	ck_assert(search_has("l'établissement", NULL, REGIE));
	ck_assert(search_has("l’etablissement", NULL, REGIE));
	ck_assert(search_has("jusqu'a", NULL, NOTE));
}
END_TEST

START_TEST(every_spelling_of_a_reference_finds_the_same_set)
{
	const char *spellings[] = {"R421-58", "R. 421-58", "article R 421-58", "art. R.421-58", "r421-58"};
	char *want = NULL;
	for (size_t i = 0; i < sizeof(spellings) / sizeof(spellings[0]); i++) {
		json_t *r = fx_search(fx_index, spellings[i], NULL);
		char *got = fx_hit_paths(r);
		if (!want)
			want = strdup(got);
		ck_assert_msg(strcmp(got, want) == 0, "%s: %s != %s", spellings[i], got, want);
		ck_assert(fx_has_hit(r, "code/article-r421-58.md"));
		ck_assert(fx_has_hit(r, REGIE));
		free(got);
		json_decref(r);
	}
	/* The article itself ranks first. */
	ck_assert_ptr_eq(strstr(want, "code/article-r421-58.md"), want);
	free(want);
	json_t *r = fx_search(fx_index, "R421-58", NULL);
	json_t *regie = NULL;
	size_t i;
	json_t *h;
	json_array_foreach(json_object_get(r, "hits"), i, h)
		if (strcmp(json_string_value(json_object_get(h, "path")), REGIE) == 0)
			regie = h;
	const char *snip = json_string_value(json_object_get(regie, "snippet"));
	ck_assert_msg(strstr(snip, "<mark>article R. 421-58</mark> du code") != NULL, "%s", snip);
	json_decref(r);
	ck_assert(search_has("L. 421-12", NULL, NOTE));
	ck_assert(search_has("ref:L421-11 etablissements", NULL, NOTE));
	ck_assert(!search_has("ref:L421-11", NULL, REGIE));
}
END_TEST

START_TEST(field_names_wildcards_and_date_ranges)
{
	ck_assert(search_has("régi*", NULL, REGIE));
	ck_assert(search_has("titre:régie", NULL, REGIE));
	ck_assert(!search_has("titre:agent", NULL, REGIE));
	ck_assert(search_has("auteur:juriste", NULL, REGIE));
	ck_assert(search_has("motcle:avances", NULL, REGIE));
	ck_assert(search_has("chemin:regies", NULL, REGIE));
	ck_assert(search_has("domaine:comptabilite academie:lille", NULL, REGIE));
	ck_assert(search_has("régie date:2012-01-01..2012-12-31", NULL, REGIE));
	ck_assert(!search_has("régie date:2013-01-01..2013-12-31", NULL, REGIE));
	ck_assert(search_has("régie annee:2012", NULL, REGIE));
	/* The régie note is dated 2012-01-05: years and months stand for their days. */
	ck_assert(search_has("régie date:2012", NULL, REGIE));
	ck_assert(search_has("régie date:2012-01", NULL, REGIE));
	ck_assert(!search_has("régie date:2012-02", NULL, REGIE));
	ck_assert(search_has("régie date:2011..2012-01", NULL, REGIE));
	ck_assert(!search_has("régie date:2013..", NULL, REGIE));
	ck_assert(search_has("(régie date:..2012)", NULL, REGIE));
	ck_assert(search_has("régie +date:2012", NULL, REGIE));
	ck_assert(search_has("régie -date:2013", NULL, REGIE));
	ck_assert(!search_has("régie -date:2012", NULL, REGIE));
	ck_assert(search_has("régie date:2012,", NULL, REGIE));
	/* Dots outside a date range are punctuation, as in a pasted text. */
	ck_assert(search_has("régie ... avances", NULL, REGIE));
	ck_assert(search_has("régie..avances", NULL, REGIE));
	ck_assert(search_has("crédits OR inexistant", NULL, "comptabilite/budget/dbm.md"));
	ck_assert(!search_has("crédits NOT budgétaire", NULL, "comptabilite/budget/dbm.md"));
	ck_assert(!search_has("crédits SAUF budgétaire", NULL, "comptabilite/budget/dbm.md"));
	/* A folder holds what is under it at any depth, by whole names. */
	const char *folders[][2] = {{"dossier=comptabilite", REGIE}, {"dossier=comptabilite/regies/", REGIE},
	                            {"dossier=/comptabilite/regies", REGIE}, {"dossier=compta", NULL},
	                            {"dossier=veille-juridique", NULL}};
	for (size_t i = 0; i < sizeof(folders) / sizeof(folders[0]); i++) {
		vg_search_req req;
		json_t *r = NULL;
		vg_err err;
		memset(&req, 0, sizeof(req));
		req.query = "régie";
		req.filters = &folders[i][0];
		req.n_filters = 1;
		ck_assert_int_eq(fx_search_req(fx_index, &req, &r, &err), 0);
		ck_assert_msg(fx_has_hit(r, REGIE) == (folders[i][1] != NULL), "%s", folders[i][0]);
		json_decref(r);
	}
	char msg[200];
	ck_assert_int_eq(search_error("régie", NULL, "dossier=/", msg, sizeof(msg)), VG_EINVAL);
	ck_assert_str_eq(msg, "filtre dossier : dossier vide");
}
END_TEST

START_TEST(synonyms_from_the_repository_expand_queries)
{
	ck_assert(search_has("DBM", NULL, "comptabilite/budget/dbm.md"));
	ck_assert(search_has("dbm crédits", NULL, "comptabilite/budget/dbm.md"));
	/* An acronym and its words are one word of the query: the note that
	 * holds the words holds every word, and none is missing. */
	json_t *r = fx_search(fx_index, "DBM crédits", NULL);
	ck_assert(json_is_true(json_object_get(r, "all_words")));
	ck_assert_uint_eq(json_array_size(json_object_get(r, "missing_words")), 0);
	json_decref(r);
	/* The words of an expansion may stand a little apart ("décision
	 * budgétaire modificative n° 2" for "décision modificative"), and an
	 * acronym is never stemmed nor corrected as a typo. */
	ck_assert(search_has("DMO", NULL, "comptabilite/budget/dbm.md"));
	r = fx_search(fx_index, "EPLE", NULL);
	ck_assert(json_is_null(json_object_get(r, "suggestion")));
	ck_assert(json_is_null(json_object_get(r, "corrected")));
	json_decref(r);
}
END_TEST

/* 1 when a message of a file the status reports holds part. */
static int status_says(const vg_status *st, const char *part)
{
	for (size_t i = 0; i < st->n_problems; i++)
		for (size_t k = 0; k < st->problems[i].messages.count; k++)
			if (strstr(st->problems[i].messages.items[k], part))
				return 1;
	return 0;
}

START_TEST(problem_files_are_reported_and_indexed_as_well_as_possible)
{
	vg_status st;
	vg_err err;
	ck_assert_int_eq(vg_status_read(&st, fx_index, &err), 0);
	ck_assert(status_says(&st, "veille-juridique/2013/casse.md : en-tête YAML invalide"));
	ck_assert(status_says(&st, "veille-juridique/2013/latin1.md : le fichier n'est pas en UTF-8"));
	ck_assert(status_says(&st, "modeles/binaire.md : fichier binaire"));
	ck_assert_int_eq(st.commits, 3);
	vg_status_clear(&st);
	ck_assert(search_has("dotation globale", NULL, "veille-juridique/2013/casse.md"));
	ck_assert(search_has("régie de recettes", NULL, "veille-juridique/2013/latin1.md"));
	ck_assert(!search_has("binary", NULL, "modeles/binaire.md"));
}
END_TEST

START_TEST(rename_keeps_the_history)
{
	vg_searcher *s = NULL;
	vg_err err;
	vg_history h;
	ck_assert_int_eq(vg_searcher_open(&s, fx_index, &err), 0);
	ck_assert_int_eq(vg_catalog_history(&h, s, REGIE, &err), 0);
	ck_assert_uint_eq(h.n, 2);
	ck_assert_str_eq(h.versions[0].path, REGIE);
	ck_assert_str_eq(h.versions[1].path, "comptabilite/regies/regie-avances.md");
	ck_assert_str_eq(h.versions[1].date, "2012-01-10");
	ck_assert(!h.versions[1].current && h.versions[1].replaced_by[0]);
	ck_assert(h.versions[0].current);
	vg_history_clear(&h);
	ck_assert_int_eq(vg_catalog_history(&h, s, "inconnu.md", &err), VG_ENOTFOUND);
	vg_searcher_free(s);
}
END_TEST

START_TEST(result_has_the_design_json_shape)
{
	json_t *r = fx_search(fx_index, "régie d'avances", NULL);
	const char *top[] = {"query", "as_of", "total", "offset", "limit", "suggestion", "corrected", "all_words",
	                     "missing_words", "hits", "facets", "partial"};
	ck_assert_uint_eq(json_object_size(r), 12);
	for (size_t i = 0; i < 12; i++)
		ck_assert_ptr_nonnull(json_object_get(r, top[i]));
	ck_assert(json_is_true(json_object_get(r, "all_words")));
	ck_assert_uint_eq(json_array_size(json_object_get(r, "missing_words")), 0);
	json_t *hit = json_array_get(json_object_get(r, "hits"), 0);
	const char *keys[] = {"path", "title", "commit", "date", "domaine", "type", "academie", "references", "snippet", "score",
	                      "breadcrumb"};
	ck_assert_uint_eq(json_object_size(hit), 11);
	for (size_t i = 0; i < 11; i++)
		ck_assert_msg(json_object_get(hit, keys[i]) != NULL, "missing %s", keys[i]);
	ck_assert_str_eq(json_string_value(json_object_get(hit, "path")), REGIE);
	ck_assert_str_eq(json_string_value(json_object_get(hit, "academie")), "lille");
	ck_assert_str_eq(json_string_value(json_object_get(hit, "date")), "2012-01-05");
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(hit, "references"), 0)), "R421-58");
	const char *snip = json_string_value(json_object_get(hit, "snippet"));
	ck_assert_msg(strstr(snip, "<mark>régie</mark> d'<mark>avances</mark>") != NULL, "%s", snip);
	json_t *facets = json_object_get(r, "facets");
	ck_assert_ptr_nonnull(json_object_get(facets, "annee"));
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(facets, "domaine"), "comptabilite")), 1);
	json_decref(r);
}
END_TEST

/* fields.def drives every layer: each filter field filters, each facet
 * is counted, each text field is a query prefix. */
START_TEST(every_field_of_the_table_works_in_every_layer)
{
	json_t *r = fx_search(fx_index, "régie", NULL);
	json_t *facets = json_object_get(r, "facets");
	vg_err err;
	for (size_t i = 0; i < VG_N_FIELDS; i++) {
		const vg_field *f = &vg_fields[i];
		ck_assert_ptr_eq(vg_fields_find(f->name), f);
		if (f->facet)
			ck_assert_msg(json_object_get(facets, f->name) != NULL, "facet %s", f->name);
		char *term = NULL;
		int rc = vg_fields_filter_term(f->name, "valeur", &term, &err);
		ck_assert_msg(f->kind == VG_FILTER ? rc == 0 : rc == VG_EINVAL, "filter %s", f->name);
		if (term)
			ck_assert_msg(strncmp(term, f->prefix, strlen(f->prefix)) == 0, "prefix of %s", f->name);
		free(term);
		if (f->kind == VG_TEXT) {
			char q[64];
			snprintf(q, sizeof(q), "%s:regie", f->name);
			json_t *t = fx_search(fx_index, q, NULL);
			ck_assert_msg(json_object_get(t, "hits") != NULL, "query %s", q);
			json_decref(t);
		}
	}
	ck_assert_uint_eq(json_object_size(facets), VG_N_FACETS);
	json_decref(r);
}
END_TEST

START_TEST(snippets_escape_html_but_keep_marks)
{
	json_t *r = fx_search(fx_index, "crédits", NULL);
	const char *snip = json_string_value(json_object_get(json_array_get(json_object_get(r, "hits"), 0), "snippet"));
	ck_assert_msg(strstr(snip, "<mark>crédits</mark> quand a &lt; b &amp; c") != NULL, "%s", snip);
	json_decref(r);
}
END_TEST

/* The versions of path in both indexes, field by field. */
static void assert_same_history(const char *a, const char *b, const char *path)
{
	vg_searcher *sa = NULL, *sb = NULL;
	vg_history ha, hb;
	vg_err err;
	ck_assert_int_eq(vg_searcher_open(&sa, a, &err), 0);
	ck_assert_int_eq(vg_searcher_open(&sb, b, &err), 0);
	int ra = vg_catalog_history(&ha, sa, path, &err), rb = vg_catalog_history(&hb, sb, path, &err);
	ck_assert_int_eq(ra, rb);
	if (ra == 0) {
		ck_assert_uint_eq(ha.n, hb.n);
		for (size_t i = 0; i < ha.n; i++) {
			const vg_history_version *x = &ha.versions[i], *y = &hb.versions[i];
			ck_assert_str_eq(x->commit, y->commit);
			ck_assert_str_eq(x->path, y->path);
			ck_assert_str_eq(x->blob, y->blob);
			ck_assert_str_eq(x->date, y->date);
			ck_assert_int_eq(x->current, y->current);
			ck_assert_str_eq(x->replaced_by, y->replaced_by);
			ck_assert_str_eq(x->until, y->until);
		}
		vg_history_clear(&ha);
		vg_history_clear(&hb);
	}
	vg_searcher_free(sa);
	vg_searcher_free(sb);
}

/* What a search finds in index, as of as_of (NULL: today), or among the
 * deleted documents: its paths. */
static char *found_in(const char *index, const char *as_of, int deleted)
{
	vg_search_req req;
	memset(&req, 0, sizeof(req));
	req.query = "texte";
	req.as_of = as_of;
	req.deleted = deleted;
	req.limit = 100;
	json_t *r = NULL;
	vg_err err;
	ck_assert_int_eq(fx_search_req(index, &req, &r, &err), 0);
	char *paths = fx_hit_paths(r);
	json_decref(r);
	return paths;
}

/* A first build writes the versions that a later commit replaces closed
 * already: the index must be the one that commit-by-commit updates make,
 * whatever the size of its transactions. */
START_TEST(a_first_build_writes_the_history_that_updates_write)
{
	fx_scratch sc, one, small;
	fx_scratch_init(&sc);
	fx_scratch_init(&one);
	fx_scratch_init(&small);
	const char *long_text = "Un texte assez long pour que git reconnaisse le fichier quand il change de nom, "
	                        "avec plusieurs phrases sur la régie, le budget et les marchés de l'établissement.\n";
	char body[512];
	const char *dates[] = {"2020-01-10", "2020-02-10", "2020-03-10", "2020-04-10", "2020-05-10"};
	for (int c = 0; c < 5; c++) {
		snprintf(body, sizeof(body), "# A\n\nLe texte A, version %d.\n", c);
		if (c == 3)
			fx_sh("rm '%s/a.md'", sc.repo);
		else
			fx_write(sc.repo, "a.md", body);
		if (c == 0) {
			fx_write(sc.repo, "b.md", "# B\n\nLe texte B.\n");
			fx_write(sc.repo, "c.md", long_text);
			fx_write(sc.repo, "d.md", "# D\n\nLe texte D.\n");
		} else if (c == 1) {
			fx_sh("rm '%s/b.md' && mv '%s/c.md' '%s/e.md'", sc.repo, sc.repo, sc.repo);
		} else if (c == 2) {
			fx_write(sc.repo, "b.md", "# B\n\nLe texte B, de retour.\n");
			fx_sh("mv '%s/e.md' '%s/f.md' && rm '%s/d.md'", sc.repo, sc.repo, sc.repo);
		} else if (c == 4) {
			fx_sh("mv '%s/f.md' '%s/d.md'", sc.repo, sc.repo);
		}
		fx_commit(sc.repo, dates[c], "Étape");
		fx_update(sc.repo, one.index);
	}
	fx_update(sc.repo, sc.index);
	vg_index_opts opts = fx_index_opts(sc.repo, small.index);
	opts.batch = 1;
	vg_index_stats st;
	vg_err err;
	ck_assert_int_eq(vg_index_update(&opts, &st, &err), 0);
	const char *indexes[] = {sc.index, small.index};
	const char *paths[] = {"a.md", "b.md", "c.md", "d.md", "e.md", "f.md"};
	for (size_t i = 0; i < 2; i++) {
		for (size_t p = 0; p < 6; p++)
			assert_same_history(one.index, indexes[i], paths[p]);
		for (int c = -1; c < 5; c++) {
			char *want = found_in(one.index, c < 0 ? NULL : dates[c], 0), *got = found_in(indexes[i], c < 0 ? NULL : dates[c], 0);
			ck_assert_str_eq(got, want);
			free(want);
			free(got);
		}
		char *want = found_in(one.index, NULL, 1), *got = found_in(indexes[i], NULL, 1);
		ck_assert_str_eq(got, want);
		ck_assert_msg(strlen(got) > 0, "no deletion found"); /* the deletions are compared */
		free(want);
		free(got);
	}
	fx_scratch_done(&sc);
	fx_scratch_done(&one);
	fx_scratch_done(&small);
}
END_TEST

/* The title a text opens with is shown once, above its snippet. */
START_TEST(a_snippet_does_not_repeat_the_title)
{
	fx_scratch sc;
	fx_scratch_init(&sc);
	fx_write(sc.repo, "article-r1.md", "# Article R1\n\nLe régisseur est nommé par le chef d'établissement.\n");
	fx_commit(sc.repo, "2024-01-10", "Code");
	fx_update(sc.repo, sc.index);
	json_t *r = fx_search(sc.index, "régisseur", NULL);
	json_t *hit = json_array_get(json_object_get(r, "hits"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(hit, "title")), "Article R1");
	const char *snip = json_string_value(json_object_get(hit, "snippet"));
	ck_assert_msg(snip && strncmp(snip, "Le <mark>régisseur</mark>", strlen("Le <mark>régisseur</mark>")) == 0, "%s",
	              snip ? snip : "(null)");
	json_decref(r);
	fx_scratch_done(&sc);
}
END_TEST

/* A domain without a label in the schema is named by the heading of its
 * folder's README.md, however many folders the repository has. */
START_TEST(a_domain_is_labelled_by_its_folder_heading)
{
	fx_scratch sc;
	fx_scratch_init(&sc);
	fx_write(sc.repo, "partie-reglementaire/README.md", "# Partie réglementaire\n\n- [Article](article-r1.md)\n");
	fx_write(sc.repo, "partie-reglementaire/article-r1.md", "# Article R1\n\nLe texte.\n");
	/* More than a thousand folders, whose terms sort before the domains'. */
	for (int i = 0; i < 40; i++) {
		char path[400];
		int at = snprintf(path, sizeof(path), "annexes/c%02d", i);
		for (int depth = 0; depth < 26; depth++)
			at += snprintf(path + at, sizeof(path) - (size_t)at, "/d%02d", depth);
		snprintf(path + at, sizeof(path) - (size_t)at, "/note.md");
		fx_write(sc.repo, path, "# Note\n\nUne annexe.\n");
	}
	fx_commit(sc.repo, "2024-01-10", "Code");
	fx_update(sc.repo, sc.index);
	vg_searcher *s = NULL;
	vg_err err;
	ck_assert_int_eq(vg_searcher_open(&s, sc.index, &err), 0);
	json_t *domaines = json_object_get(vg_searcher_labels(s), "domaine");
	ck_assert_str_eq(json_string_value(json_object_get(domaines, "partie-reglementaire")), "Partie réglementaire");
	vg_searcher_free(s);
	fx_scratch_done(&sc);
}
END_TEST

/* Of two words as close to a typo, the one that goes with the query's
 * other words is meant, though the other is more frequent; alone, the
 * typo takes the more frequent one. */
START_TEST(a_typo_is_corrected_to_the_word_that_goes_with_the_others)
{
	fx_scratch sc;
	fx_scratch_init(&sc);
	for (int i = 0; i < 3; i++) {
		char path[32], body[160];
		snprintf(path, sizeof(path), "agence-%d.md", i);
		snprintf(body, sizeof(body), "# Agence %d\n\nL'agence de services tient les dossiers du personnel.\n", i);
		fx_write(sc.repo, path, body);
	}
	for (int i = 0; i < 2; i++) {
		char path[32], body[160];
		snprintf(path, sizeof(path), "regie-%d.md", i);
		snprintf(body, sizeof(body), "# Régie %d\n\nLa régie paie une avance sur les frais de déplacement.\n", i);
		fx_write(sc.repo, path, body);
	}
	for (int i = 0; i < 4; i++) {
		char path[32], body[160];
		snprintf(path, sizeof(path), "degre-%d.md", i);
		snprintf(body, sizeof(body), "# Degré %d\n\nLe second degré compte des collèges et des lycées de toute nature.\n", i);
		fx_write(sc.repo, path, body);
	}
	fx_commit(sc.repo, "2024-01-10", "Notes");
	fx_update(sc.repo, sc.index);
	/* Without a French dictionary to tell a typo, it is a suggestion. */
	json_t *r = fx_search(sc.index, "regie d avence", NULL);
	ck_assert_str_eq(json_string_value(json_object_get(r, "suggestion")), "regie d avance");
	json_decref(r);
	r = fx_search(sc.index, "avence", NULL);
	ck_assert_str_eq(json_string_value(json_object_get(r, "suggestion")), "agence");
	json_decref(r);
	/* The initial mistyped too: "degré" is as close and more frequent. */
	r = fx_search(sc.index, "degie d avance", NULL);
	ck_assert_str_eq(json_string_value(json_object_get(r, "suggestion")), "régie d avance");
	json_decref(r);
	/* A question's word mistyped is that word, which says nothing of the
	 * subject: not another word ("combinés"). */
	r = fx_search(sc.index, "combiien de frais", NULL);
	ck_assert_str_eq(json_string_value(json_object_get(r, "suggestion")), "combien de frais");
	json_decref(r);
	/* ...but a word of the documents as close is meant ("notre" is a
	 * stop word), and an elided form is never one ("lorsqu"). */
	r = fx_search(sc.index, "natre des frais", NULL);
	ck_assert_str_eq(json_string_value(json_object_get(r, "suggestion")), "nature des frais");
	json_decref(r);
	r = fx_search(sc.index, "lorsqe les frais", NULL);
	ck_assert_str_eq(json_string_value(json_object_get(r, "suggestion")), "lorsque les frais");
	json_decref(r);
	fx_scratch_done(&sc);
}
END_TEST

START_TEST(a_long_text_shows_the_passage_that_holds_the_words)
{
	fx_scratch sc;
	fx_scratch_init(&sc);
	vg_strbuf b = VG_STRBUF_INIT;
	vg_strbuf_puts(&b, "# Recueil\n\n");
	for (int i = 0; i < 3000; i++)
		vg_strbuf_printf(&b, "Paragraphe %d sans objet. ", i);
	vg_strbuf_puts(&b, "Le régisseur suppléant remplace le titulaire. ");
	for (int i = 0; i < 1000; i++)
		vg_strbuf_printf(&b, "Suite %d. ", i);
	fx_write(sc.repo, "recueil.md", b.ptr);
	vg_strbuf_free(&b);
	fx_commit(sc.repo, "2024-01-10", "Recueil");
	fx_update(sc.repo, sc.index);
	json_t *r = fx_search(sc.index, "régisseur suppléant", NULL);
	const char *snip = json_string_value(json_object_get(json_array_get(json_object_get(r, "hits"), 0), "snippet"));
	ck_assert_ptr_nonnull(snip);
	ck_assert_msg(strstr(snip, "<mark>régisseur</mark> <mark>suppléant</mark> remplace") != NULL, "%s", snip);
	/* Text left out on both sides is said to be. */
	ck_assert_msg(strncmp(snip, "...", 3) == 0, "%s", snip);
	ck_assert_msg(strlen(snip) >= 3 && strcmp(snip + strlen(snip) - 3, "...") == 0, "%s", snip);
	json_decref(r);
	fx_scratch_done(&sc);
}
END_TEST

START_TEST(a_broad_search_in_a_large_index_estimates_its_counts_from_a_sample)
{
	fx_scratch sc;
	fx_scratch_init(&sc);
	for (int i = 0; i < 400; i++) {
		char path[64], text[256];
		snprintf(path, sizeof(path), "notes/note-%03d.md", i);
		snprintf(text, sizeof(text), "---\ntitre: Note %d\ndomaine: %s\n---\n# Note %d\n\nLe budget %s.\n", i,
		         i < 150 ? "comptabilite" : "veille-juridique", i, i % 10 == 0 ? "et le régisseur" : "voté");
		fx_write(sc.repo, path, text);
	}
	fx_commit(sc.repo, "2024-01-10", "Notes");
	fx_update(sc.repo, sc.index);
	vg_searcher *s = NULL;
	vg_err err;
	json_t *r = NULL;
	vg_search_req req;
	memset(&req, 0, sizeof(req));
	ck_assert_int_eq(vg_searcher_open(&s, sc.index, &err), 0);
	vg_searcher_count_exactly(s, 100);
	/* Few matches: counted one by one. */
	req.query = "régisseur";
	ck_assert_int_eq(fx_run(s, &req, &r, &err), 0);
	ck_assert_int_eq(json_integer_value(json_object_get(r, "total")), 40);
	ck_assert(!json_is_true(json_object_get(r, "partial")));
	json_decref(r);
	/* Many: estimated from a sample, and said to be; the page is the same. */
	req.query = "budget";
	ck_assert_int_eq(fx_run(s, &req, &r, &err), 0);
	json_int_t total = json_integer_value(json_object_get(r, "total"));
	json_t *domaine = json_object_get(json_object_get(r, "facets"), "domaine");
	json_int_t compta = json_integer_value(json_object_get(domaine, "comptabilite"));
	json_int_t veille = json_integer_value(json_object_get(domaine, "veille-juridique"));
	ck_assert(json_is_true(json_object_get(r, "partial")));
	ck_assert_msg(total >= 300 && total <= 500, "total %lld", (long long)total);
	ck_assert_msg(compta >= 100 && compta <= 200 && veille >= 180 && veille <= 320, "%lld %lld", (long long)compta,
	              (long long)veille);
	ck_assert_uint_eq(json_array_size(json_object_get(r, "hits")), 10);
	json_decref(r);
	/* A filtered facet, counted without its filter, is an estimate too,
	 * and still offers the value chosen. */
	const char *compta_only[] = {"domaine=comptabilite"};
	req.filters = compta_only;
	req.n_filters = 1;
	ck_assert_int_eq(fx_run(s, &req, &r, &err), 0);
	domaine = json_object_get(json_object_get(r, "facets"), "domaine");
	ck_assert(json_is_true(json_object_get(r, "partial")));
	ck_assert_int_gt(json_integer_value(json_object_get(domaine, "comptabilite")), 0);
	ck_assert_int_gt(json_integer_value(json_object_get(domaine, "veille-juridique")), 0);
	json_decref(r);
	req.filters = NULL;
	req.n_filters = 0;
	/* With a small repository beside, each is sampled at the same rate:
	 * the small one is not counted sixteen times over. */
	fx_scratch small;
	fx_scratch_init(&small);
	for (int i = 0; i < 5; i++) {
		char path[64];
		snprintf(path, sizeof(path), "note-%d.md", i);
		fx_write(small.repo, path, "# Note\n\nLe budget voté.\n");
	}
	fx_commit(small.repo, "2024-01-10", "Notes");
	fx_update(small.repo, small.index);
	const char *dirs[] = {sc.index, small.index}, *names[] = {"grand", "petit"};
	vg_searcher *both = NULL;
	ck_assert_int_eq(vg_searcher_open_many(&both, dirs, names, 2, &err), 0);
	vg_searcher_count_exactly(both, 100);
	ck_assert_int_eq(fx_run(both, &req, &r, &err), 0);
	total = json_integer_value(json_object_get(r, "total"));
	ck_assert_msg(total >= 300 && total <= 520, "total %lld", (long long)total);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(json_object_get(r, "facets"), "repo"), "petit")), 5);
	json_decref(r);
	vg_searcher_free(both);
	fx_scratch_done(&small);
	/* Counting every match gives the exact figures. */
	vg_searcher_count_exactly(s, 0);
	ck_assert_int_eq(fx_run(s, &req, &r, &err), 0);
	domaine = json_object_get(json_object_get(r, "facets"), "domaine");
	ck_assert_int_eq(json_integer_value(json_object_get(r, "total")), 400);
	ck_assert_int_eq(json_integer_value(json_object_get(domaine, "comptabilite")), 150);
	ck_assert(!json_is_true(json_object_get(r, "partial")));
	json_decref(r);
	vg_searcher_free(s);
	fx_scratch_done(&sc);
}
END_TEST

START_TEST(filters_sort_pagination_and_suggestions)
{
	vg_searcher *s = NULL;
	vg_err err;
	json_t *r = NULL;
	const char *filters[] = {"domaine=veille-juridique", "academie=Amiens"};
	vg_search_req req;
	memset(&req, 0, sizeof(req));
	req.filters = filters;
	req.n_filters = 2;
	req.sort_by_date = 1;
	vg_lexicon *lexicon = NULL;
	ck_assert_int_eq(vg_lexicon_new(&lexicon, NULL, NULL, &err), 0);
	ck_assert_int_eq(vg_searcher_open(&s, fx_index, &err), 0);
	vg_searcher_use_lexicon(s, lexicon);
	ck_assert_int_eq(fx_run(s, &req, &r, &err), 0);
	ck_assert_int_eq(json_integer_value(json_object_get(r, "total")), 1);
	ck_assert(fx_has_hit(r, NOTE));
	json_decref(r);
	/* A filtered facet counts as if its own filter were not there: with
	 * Lille chosen, Amiens is still offered, with what ticking it too
	 * would add; the other facets count Lille's documents. */
	const char *lille[] = {"academie=Lille"};
	req.filters = lille;
	req.n_filters = 1;
	ck_assert_int_eq(fx_run(s, &req, &r, &err), 0);
	json_t *by_academie = json_object_get(json_object_get(r, "facets"), "academie");
	json_t *by_domaine = json_object_get(json_object_get(r, "facets"), "domaine");
	ck_assert_int_eq(json_integer_value(json_object_get(r, "total")), json_integer_value(json_object_get(by_academie, "lille")));
	ck_assert_int_gt(json_integer_value(json_object_get(by_academie, "amiens")), 0);
	ck_assert_ptr_null(json_object_get(by_domaine, "veille-juridique"));
	json_decref(r);
	req.filters = NULL;
	req.n_filters = 0;
	req.limit = 2;
	req.offset = 1;
	ck_assert_int_eq(fx_run(s, &req, &r, &err), 0);
	ck_assert_uint_eq(json_array_size(json_object_get(r, "hits")), 2);
	ck_assert_int_eq(json_integer_value(json_object_get(r, "offset")), 1);
	json_t *h0 = json_array_get(json_object_get(r, "hits"), 0), *h1 = json_array_get(json_object_get(r, "hits"), 1);
	ck_assert(strcmp(json_string_value(json_object_get(h0, "date")), json_string_value(json_object_get(h1, "date"))) >= 0);
	json_decref(r);
	memset(&req, 0, sizeof(req));
	req.query = "etablisement";
	/* A typo is corrected at once, accents restored from the documents... */
	ck_assert_int_eq(fx_run(s, &req, &r, &err), 0);
	ck_assert_str_eq(json_string_value(json_object_get(r, "corrected")), "établissement");
	ck_assert(json_is_null(json_object_get(r, "suggestion")));
	ck_assert_int_gt(json_integer_value(json_object_get(r, "total")), 0);
	json_decref(r);
	/* A typo known by its stem only ("budgett" is "budget" to Snowball)
	 * is one too, when no French word is written so. */
	req.query = "budgett";
	ck_assert_int_eq(fx_run(s, &req, &r, &err), 0);
	ck_assert_str_eq(json_string_value(json_object_get(r, "corrected")), "budget");
	json_decref(r);
	req.query = "etablisement";
	/* ...unless the words are asked as typed: then it is a suggestion. */
	req.verbatim = 1;
	ck_assert_int_eq(fx_run(s, &req, &r, &err), 0);
	ck_assert_str_eq(json_string_value(json_object_get(r, "suggestion")), "établissement");
	ck_assert(json_is_null(json_object_get(r, "corrected")));
	ck_assert_int_eq(json_integer_value(json_object_get(r, "total")), 0);
	json_decref(r);
	/* A word the documents do not use finds those that use a word of the
	 * same meaning (both ways in the thesaurus), below any own match. */
	memset(&req, 0, sizeof(req));
	req.query = "vérification";
	ck_assert_int_eq(fx_run(s, &req, &r, &err), 0);
	ck_assert(json_is_null(json_object_get(r, "corrected")));
	ck_assert(fx_has_hit(r, REGIE));
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(r, "missing_words"), 0)), "vérification");
	json_decref(r);
	/* A word is never corrected to one that says nothing ("sup" is not "sur"). */
	memset(&req, 0, sizeof(req));
	req.query = "heures sup";
	ck_assert_int_eq(fx_run(s, &req, &r, &err), 0);
	ck_assert_msg(json_is_null(json_object_get(r, "corrected")), "%s",
	              json_string_value(json_object_get(r, "corrected")));
	json_decref(r);
	/* Acronyms and French words the documents do not use are not typos. */
	const char *not_typos[] = {"PSE budget", "cantine budget"};
	for (size_t i = 0; i < 2; i++) {
		memset(&req, 0, sizeof(req));
		req.query = not_typos[i];
		ck_assert_int_eq(fx_run(s, &req, &r, &err), 0);
		ck_assert_msg(json_is_null(json_object_get(r, "corrected")), "%s", not_typos[i]);
		ck_assert(json_is_false(json_object_get(r, "all_words")));
		json_decref(r);
	}
	memset(&req, 0, sizeof(req));
	req.like = NOTE;
	ck_assert_int_eq(fx_run(s, &req, &r, &err), 0);
	ck_assert(!fx_has_hit(r, NOTE));
	ck_assert_int_gt(json_integer_value(json_object_get(r, "total")), 0);
	json_decref(r);
	vg_searcher_free(s);
	vg_lexicon_free(lexicon);
}
END_TEST

START_TEST(bad_queries_give_clear_errors)
{
	char msg[512];
	ck_assert_int_eq(search_error("a* b* c* d* e* f*", NULL, NULL, msg, sizeof(msg)), VG_EQUERY);
	ck_assert_ptr_nonnull(strstr(msg, "au plus 5 mots"));
	ck_assert_int_eq(search_error("ref:budget", NULL, NULL, msg, sizeof(msg)), VG_EQUERY);
	ck_assert_ptr_nonnull(strstr(msg, "référence"));
	ck_assert_int_eq(search_error("r\xe9gie", NULL, NULL, msg, sizeof(msg)), VG_EQUERY);
	ck_assert_ptr_nonnull(strstr(msg, "UTF-8"));
	char big[2000];
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	ck_assert_int_eq(search_error(big, NULL, NULL, msg, sizeof(msg)), VG_EQUERY);
	ck_assert_ptr_nonnull(strstr(msg, "1999 caractères, maximum 1000"));
	/* The bound counts characters, as the search box does, not bytes. */
	char accents[140 * 13 + 1] = ""; /* 980 characters, 1820 bytes */
	for (size_t i = 0; i < 140; i++)
		memcpy(accents + 13 * i, "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9 ", 13);
	ck_assert_int_eq(search_error(accents, NULL, NULL, msg, sizeof(msg)), 0);
	ck_assert_int_eq(search_error("x", NULL, "couleur=bleu", msg, sizeof(msg)), VG_EINVAL);
	ck_assert_ptr_nonnull(strstr(msg, "couleur"));
	ck_assert_int_eq(search_error("x", "hier", NULL, msg, sizeof(msg)), VG_EINVAL);
	ck_assert_int_eq(search_error("x", "1999-01-01", NULL, msg, sizeof(msg)), VG_ENOTFOUND);
	/* Odd but harmless syntax is accepted. */
	ck_assert_int_eq(search_error("\"non fermé ( AND", NULL, NULL, NULL, 0), 0);
	ck_assert_int_eq(search_error("titre: OR NOT", NULL, NULL, msg, sizeof(msg)), VG_EQUERY);
	ck_assert_ptr_nonnull(strstr(msg, "requête mal formée"));
	ck_assert_int_eq(search_error("date:hier..demain", NULL, NULL, msg, sizeof(msg)), VG_EQUERY);
	ck_assert_ptr_nonnull(strstr(msg, "plage de dates illisible"));
	/* In a phrase, "date:2012" is only words. */
	ck_assert_int_eq(search_error("\"régie date:2012\"", NULL, NULL, msg, sizeof(msg)), 0);
	ck_assert_int_eq(search_error("date:)", NULL, NULL, msg, sizeof(msg)), 0);
}
END_TEST

START_TEST(incremental_update_touches_only_the_new_commit)
{
	char *copy = fx_tmpdir();
	char idx[600];
	snprintf(idx, sizeof(idx), "%s/index", copy);
	ck_assert_int_eq(fx_sh("git clone -q '%s' '%s/docs'", fx_repo, copy), 0);
	char r2[600];
	snprintf(r2, sizeof(r2), "%s/docs", copy);
	fx_update(r2, idx);
	fx_write(r2, "veille-juridique/2014/nouvelle.md", "# Mutualisation\n\nVeille mutualisée entre Lille et Amiens.\n");
	fx_commit(r2, "2014-05-02", "Nouvelle note");
	vg_index_opts o;
	vg_index_stats st;
	vg_err err;
	memset(&o, 0, sizeof(o));
	o.repo = r2;
	o.index = idx;
	ck_assert_int_eq(vg_index_update(&o, &st, &err), 0);
	ck_assert_uint_eq(st.commits, 1);
	ck_assert_uint_eq(st.added, 1);
	ck_assert_int_eq(st.full, 0);
	json_t *r = fx_search(idx, "mutualisée", NULL);
	ck_assert(fx_has_hit(r, "veille-juridique/2014/nouvelle.md"));
	json_decref(r);
	ck_assert_int_eq(vg_index_update(&o, &st, &err), 0);
	ck_assert_int_eq(st.up_to_date, 1);

	/* History rewritten: the index is rebuilt. */
	ck_assert_int_eq(fx_sh("git -C '%s' reset -q --hard HEAD~1", r2), 0);
	fx_write(r2, "veille-juridique/2014/autre.md", "# Autre\n\nUne autre note.\n");
	fx_commit(r2, "2014-05-03", "Autre note");
	ck_assert_int_eq(vg_index_update(&o, &st, &err), 0);
	ck_assert_int_eq(st.rewritten, 1);
	r = fx_search(idx, "mutualisée", NULL);
	ck_assert_int_eq(json_integer_value(json_object_get(r, "total")), 0);
	json_decref(r);
	ck_assert(search_has("\"education civique\"", "2012-06-01", NOTE));

	/* Another writer holds the lock. */
	int fd;
	ck_assert_int_eq(vg_store_lock(idx, 0, &fd, &err), 0);
	ck_assert_int_eq(vg_index_update(&o, &st, &err), VG_ELOCKED);
	ck_assert_ptr_nonnull(strstr(err.msg, "autre mise à jour"));
	vg_store_unlock(fd);
	fx_rmrf(copy);
	free(copy);
}
END_TEST

START_TEST(rebuild_swaps_in_an_identical_index)
{
	vg_index_opts o;
	vg_index_stats st;
	vg_err err;
	json_t *before = fx_search(fx_index, "régie OR budget OR note", NULL);
	memset(&o, 0, sizeof(o));
	o.repo = fx_repo;
	o.index = fx_index;
	vg_searcher *s = NULL;
	ck_assert_int_eq(vg_searcher_open(&s, fx_index, &err), 0);
	ck_assert_int_eq(vg_index_rebuild(&o, &st, &err), 0);
	/* A searcher opened before keeps working, then moves on refresh. */
	vg_search_req req;
	memset(&req, 0, sizeof(req));
	req.query = "régie";
	json_t *r = NULL;
	ck_assert_int_eq(fx_run(s, &req, &r, &err), 0);
	json_decref(r);
	ck_assert_int_eq(vg_searcher_refresh(s, &err), 0);
	vg_searcher_free(s);
	json_t *after = fx_search(fx_index, "régie OR budget OR note", NULL);
	char *a = fx_hit_paths(before), *b = fx_hit_paths(after);
	ck_assert_str_eq(a, b);
	free(a);
	free(b);
	json_decref(before);
	json_decref(after);
}
END_TEST

/* After an upgrade that changed what an index holds, the next update
 * rebuilds it into a new generation (searched meanwhile in the old one)
 * instead of adding to it. */
START_TEST(an_index_of_an_older_format_is_rebuilt_on_update)
{
	char *dir = fx_tmpdir();
	char repo[600], index[600];
	snprintf(repo, sizeof(repo), "%s/r", dir);
	snprintf(index, sizeof(index), "%s/i", dir);
	fx_git_init(repo);
	fx_write(repo, "notes/regie.md", "# Régie\n\nLa régie d'avances.\n");
	fx_commit(repo, "2024-05-02", "Note");
	fx_update(repo, index);
	char *first = NULL;
	vg_err err;
	ck_assert_int_eq(vg_store_current(index, &first, &err), 0);
	char *gen1 = realpath(first, NULL);
	/* The index as an older Vigie left it: format 1. */
	vg_xdb *db = NULL;
	ck_assert_int_eq(vg_xdb_open(&db, gen1, VG_XDB_WRITE, &err), 0);
	ck_assert_int_eq(vg_xdb_begin(db, &err), 0);
	ck_assert_int_eq(vg_xdb_set_meta(db, "vg:format", "1", 1, &err), 0);
	ck_assert_int_eq(vg_xdb_commit(db, &err), 0);
	vg_xdb_free(db);
	vg_searcher *s = NULL;
	ck_assert_int_eq(vg_searcher_open(&s, index, &err), 0);
	vg_index_opts o = fx_index_opts(repo, index);
	vg_index_stats st;
	ck_assert_int_eq(vg_index_update(&o, &st, &err), 0);
	ck_assert(st.reformatted);
	ck_assert(!st.rewritten);
	char *second = NULL;
	ck_assert_int_eq(vg_store_current(index, &second, &err), 0);
	char *gen2 = realpath(second, NULL);
	ck_assert_str_ne(gen1, gen2);
	/* The searcher opened on the old generation moves to the new one. */
	ck_assert_int_eq(vg_searcher_refresh(s, &err), 0);
	char *data = NULL;
	size_t len = 0;
	ck_assert_int_eq(vg_xdb_get_meta(vg_searcher_db(s), "vg:format", &data, &len, &err), 0);
	ck_assert_int_eq(atoi(data), VG_INDEX_FORMAT);
	free(data);
	vg_searcher_free(s);
	/* Once rebuilt, updates are incremental again. */
	ck_assert_int_eq(vg_index_update(&o, &st, &err), 0);
	ck_assert(st.up_to_date && !st.reformatted);
	free(first);
	free(second);
	free(gen1);
	free(gen2);
	fx_rmrf(dir);
	free(dir);
}
END_TEST

/* The facet values of a domaine count in a search of "budget" by s. */
static json_int_t domaine_count(vg_searcher *s, const char *as_of, const char *value)
{
	vg_search_req req;
	memset(&req, 0, sizeof(req));
	req.query = "budget";
	req.as_of = as_of;
	json_t *r = NULL;
	vg_err err;
	ck_assert_int_eq(fx_run(s, &req, &r, &err), 0);
	json_t *n = json_object_get(json_object_get(json_object_get(r, "facets"), "domaine"), value);
	json_int_t count = n ? json_integer_value(n) : 0;
	json_decref(r);
	return count;
}

static void write_notes(const char *repo, const char *domaine, int from, int to)
{
	for (int i = from; i < to; i++) {
		char path[64], text[160];
		snprintf(path, sizeof(path), "notes/note-%02d.md", i);
		snprintf(text, sizeof(text), "---\ntitre: Note %d\ndomaine: %s\n---\nLe budget voté.\n", i, domaine);
		fx_write(repo, path, text);
	}
}

static void index_commit(fx_scratch *sc, const char *date)
{
	fx_commit(sc->repo, date, "Notes");
	fx_update(sc->repo, sc->index);
}

/* A handle counts an index's facets from what it read of it before: as
 * the index grows under it or is rebuilt, the counts stay those of the
 * matches; and so they do with another index beside it. */
START_TEST(facet_counts_follow_the_index_a_handle_reads)
{
	fx_scratch sc;
	fx_scratch_init(&sc);
	write_notes(sc.repo, "comptabilite", 0, 10);
	write_notes(sc.repo, "paie", 10, 30);
	index_commit(&sc, "2024-01-10");
	vg_searcher *s = NULL;
	vg_err err;
	ck_assert_int_eq(vg_searcher_open(&s, sc.index, &err), 0);
	ck_assert_int_eq(domaine_count(s, NULL, "comptabilite"), 10);
	ck_assert_int_eq(domaine_count(s, NULL, "paie"), 20);
	/* One note moves to another domaine, five are new. */
	write_notes(sc.repo, "veille-juridique", 0, 1);
	write_notes(sc.repo, "veille-juridique", 30, 35);
	index_commit(&sc, "2024-03-01");
	ck_assert_int_eq(vg_searcher_refresh(s, &err), 0);
	ck_assert_int_eq(domaine_count(s, NULL, "comptabilite"), 9);
	ck_assert_int_eq(domaine_count(s, NULL, "veille-juridique"), 6);
	ck_assert_int_eq(domaine_count(s, NULL, "paie"), 20);
	ck_assert_int_eq(domaine_count(s, "2024-02-01", "comptabilite"), 10);
	ck_assert_int_eq(domaine_count(s, "2024-02-01", "veille-juridique"), 0);
	/* Rebuilt: a new database, read from the start. */
	vg_index_opts o = fx_index_opts(sc.repo, sc.index);
	vg_index_stats st;
	ck_assert_int_eq(vg_index_rebuild(&o, &st, &err), 0);
	ck_assert_int_eq(vg_searcher_refresh(s, &err), 0);
	ck_assert_int_eq(domaine_count(s, NULL, "comptabilite"), 9);
	ck_assert_int_eq(domaine_count(s, NULL, "veille-juridique"), 6);
	/* Two indexes as one, the other growing: counted over both. */
	fx_scratch other;
	fx_scratch_init(&other);
	write_notes(other.repo, "paie", 0, 4);
	index_commit(&other, "2024-01-10");
	const char *dirs[] = {sc.index, other.index}, *names[] = {"commun", "amiens"};
	vg_searcher *both = NULL;
	ck_assert_int_eq(vg_searcher_open_many(&both, dirs, names, 2, &err), 0);
	ck_assert_int_eq(domaine_count(both, NULL, "paie"), 24);
	write_notes(other.repo, "paie", 4, 7);
	index_commit(&other, "2024-04-01");
	ck_assert_int_eq(vg_searcher_refresh(both, &err), 0);
	ck_assert_int_eq(domaine_count(both, NULL, "paie"), 27);
	ck_assert_int_eq(domaine_count(both, NULL, "comptabilite"), 9);
	vg_searcher_free(both);
	/* One repository named: its facet is its total, and the only others
	 * are fields.def's. */
	vg_searcher *one = NULL;
	ck_assert_int_eq(vg_searcher_open_many(&one, dirs + 1, names + 1, 1, &err), 0);
	vg_search_req req;
	memset(&req, 0, sizeof(req));
	req.query = "budget";
	json_t *r = NULL;
	ck_assert_int_eq(fx_run(one, &req, &r, &err), 0);
	json_t *facets = json_object_get(r, "facets");
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(facets, "repo"), "amiens")), 7);
	const char *name;
	json_t *value;
	json_object_foreach(facets, name, value) {
		int known = strcmp(name, "repo") == 0;
		for (size_t f = 0; !known && f < VG_N_FIELDS; f++)
			known = vg_fields[f].facet && strcmp(name, vg_fields[f].name) == 0;
		ck_assert_msg(known, "facet « %s »", name);
	}
	json_decref(r);
	vg_searcher_free(one);
	fx_scratch_done(&other);
	vg_searcher_free(s);
	fx_scratch_done(&sc);
}
END_TEST

/* Several repositories' indexes searched as one: each hit says its
 * repository, a facet counts them, and "as of" follows each one's own
 * history. */
START_TEST(several_indexes_are_searched_as_one)
{
	char *dir = fx_tmpdir();
	char commun[600], lille[600], ic[600], il[600];
	snprintf(commun, sizeof(commun), "%s/commun", dir);
	snprintf(lille, sizeof(lille), "%s/lille", dir);
	snprintf(ic, sizeof(ic), "%s/index-commun", dir);
	snprintf(il, sizeof(il), "%s/index-lille", dir);
	fx_git_init(commun);
	fx_write(commun, "comptabilite/regie.md", "# Régie commune\n\nLa régie d'avances mutualisée.\n");
	fx_commit(commun, "2020-01-10", "Régie commune");
	fx_git_init(lille);
	fx_write(lille, "notes/regie-lille.md", "# Régie de Lille\n\nLa régie d'avances du lycée de Lille.\n");
	fx_commit(lille, "2024-05-02", "Régie de Lille");
	fx_write(lille, "notes/autre.md", "# Autre\n\nUne note sans rapport.\n");
	fx_commit(lille, "2024-06-01", "Autre");
	fx_update(commun, ic);
	fx_update(lille, il);

	const char *dirs[] = {ic, il}, *names[] = {"commun", "lille"};
	vg_searcher *s = NULL;
	vg_err err;
	ck_assert_int_eq(vg_searcher_open_many(&s, dirs, names, 2, &err), 0);
	vg_search_req req;
	memset(&req, 0, sizeof(req));
	req.query = "régie avances";
	json_t *r = NULL;
	ck_assert_int_eq(fx_run(s, &req, &r, &err), 0);
	ck_assert_int_eq(json_integer_value(json_object_get(r, "total")), 2);
	json_t *h;
	size_t i;
	int seen_commun = 0, seen_lille = 0;
	json_array_foreach(json_object_get(r, "hits"), i, h) {
		const char *repo = json_string_value(json_object_get(h, "repo"));
		const char *path = json_string_value(json_object_get(h, "path"));
		ck_assert_ptr_nonnull(repo);
		seen_commun |= strcmp(repo, "commun") == 0 && strcmp(path, "comptabilite/regie.md") == 0;
		seen_lille |= strcmp(repo, "lille") == 0 && strcmp(path, "notes/regie-lille.md") == 0;
	}
	ck_assert(seen_commun && seen_lille);
	json_t *by_repo = json_object_get(json_object_get(r, "facets"), "repo");
	ck_assert_int_eq(json_integer_value(json_object_get(by_repo, "commun")), 1);
	ck_assert_int_eq(json_integer_value(json_object_get(by_repo, "lille")), 1);
	json_decref(r);
	/* As of a date, each repository at that date in its own history:
	 * Lille's note did not exist yet in 2022. */
	req.as_of = "2022-01-01";
	ck_assert_int_eq(fx_run(s, &req, &r, &err), 0);
	ck_assert_int_eq(json_integer_value(json_object_get(r, "total")), 1);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(r, "hits"), 0), "repo")), "commun");
	by_repo = json_object_get(json_object_get(r, "facets"), "repo");
	ck_assert_ptr_null(json_object_get(by_repo, "lille"));
	json_decref(r);
	req.as_of = "2024-05-20";
	ck_assert_int_eq(fx_run(s, &req, &r, &err), 0);
	ck_assert_int_eq(json_integer_value(json_object_get(r, "total")), 2);
	json_decref(r);
	/* As of a commit: its repository there, the others on its day. */
	char *first_lille = fx_sh_out("git -C '%s' rev-parse HEAD~1", lille);
	first_lille[strcspn(first_lille, "\n")] = '\0';
	req.as_of = first_lille;
	ck_assert_int_eq(fx_run(s, &req, &r, &err), 0);
	ck_assert_int_eq(json_integer_value(json_object_get(r, "total")), 2);
	json_decref(r);
	free(first_lille);
	req.as_of = "0123456789abcdef";
	ck_assert_int_eq(fx_run(s, &req, &r, &err), VG_ENOTFOUND);
	/* Documents by path need one repository's searcher. */
	double pos;
	ck_assert_int_eq(vg_searcher_position(s, "2024-01-01", &pos, &err), VG_EINVAL);
	unsigned docid;
	ck_assert_int_eq(vg_searcher_find_version(s, "notes/regie-lille.md", -1, &docid, &err), VG_EINVAL);
	vg_searcher_free(s);
	fx_rmrf(dir);
	free(dir);
}
END_TEST

/* The paths query finds in index, best first, comma-separated. */
static char *found_in_order(const char *index, const char *query)
{
	json_t *r = fx_search(index, query, NULL);
	char *paths = fx_hit_paths(r);
	json_decref(r);
	return paths;
}

/* query's first hit in index is path, and all_words says whether any
 * document holds every word. */
static void assert_first_hit(const char *index, const char *query, const char *path, int all_words)
{
	json_t *r = fx_search(index, query, NULL);
	char *paths = fx_hit_paths(r);
	size_t n = strlen(path);
	ck_assert_msg(strncmp(paths, path, n) == 0 && (paths[n] == ',' || !paths[n]), "%s: %s", query, paths);
	ck_assert_msg(json_is_true(json_object_get(r, "all_words")) == all_words, "%s: all_words", query);
	free(paths);
	json_decref(r);
}

/* An expression of the synonyms file matches its words in any form (a
 * phrase names only the forms it is written in) and is never corrected as
 * a typo; the articles a query's
 * references name rank before the texts that cite them all. */
START_TEST(expressions_match_every_form_and_references_name_their_articles)
{
	fx_scratch sc;
	fx_scratch_init(&sc);
	fx_write(sc.repo, ".vigie/synonymes.txt",
	         "voyage scolaire => sortie scolaire\nburn-out => épuisement professionnel\n"
	         "ASEM = agent spécialisé des écoles maternelles\n");
	fx_write(sc.repo, "ecole/agents.md", "# Agents\n\nLes agents spécialisés des écoles maternelles assistent les maîtres.\n");
	fx_write(sc.repo, "ecole/tarifs.md", "# Tarifs\n\nLe tarif de la demi-pension est voté.\n");
	fx_write(sc.repo, "ca/voyages.md", "# Voyages\n\nLes voyages scolaires sont votés par le conseil.\n");
	fx_write(sc.repo, "ca/sante.md", "# Santé\n\nPrévenir l'épuisement professionnel.\n");
	fx_write(sc.repo, "ca/atelier.md", "# Atelier\n\nLe burin du graveur.\n");
	fx_write(sc.repo, "ca/outils.md", "# Outils\n\nUn autre burin.\n");
	fx_write(sc.repo, "code/article-r1-1.md", "# Article R1-1\n\nLe budget est voté.\n");
	fx_write(sc.repo, "code/article-r1-2.md", "# Article R1-2\n\nLe compte est arrêté.\n");
	fx_write(sc.repo, "notes/renvois.md", "# Renvois\n\nVoir les articles R. 1-1 et R. 1-2, et encore R. 1-1 et R. 1-2.\n");
	fx_commit(sc.repo, "2020-01-10", "Textes");
	fx_update(sc.repo, sc.index);
	json_t *r = fx_search(sc.index, "voyage scolaire", NULL);
	ck_assert(fx_has_hit(r, "ca/voyages.md"));
	json_decref(r);
	/* An expansion's words in their other forms too: plurals here. */
	r = fx_search(sc.index, "ASEM", NULL);
	ck_assert(fx_has_hit(r, "ecole/agents.md"));
	json_decref(r);
	/* So do words joined by a hyphen, unquoted. */
	r = fx_search(sc.index, "demi-pensions", NULL);
	ck_assert(fx_has_hit(r, "ecole/tarifs.md"));
	json_decref(r);
	r = fx_search(sc.index, "\"demi-pensions\"", NULL);
	ck_assert(!fx_has_hit(r, "ecole/tarifs.md"));
	json_decref(r);
	/* Nor is one a typo: "burn" is not "burin". */
	r = fx_search(sc.index, "burn-out", NULL);
	ck_assert(json_is_null(json_object_get(r, "corrected")));
	ck_assert_msg(json_is_null(json_object_get(r, "suggestion")), "%s",
	              json_string_value(json_object_get(r, "suggestion")));
	ck_assert(fx_has_hit(r, "ca/sante.md"));
	json_decref(r);
	r = fx_search(sc.index, "R1-1 R1-2", NULL);
	char *paths = fx_hit_paths(r);
	ck_assert_msg(strncmp(paths, "code/article-r1-1.md,code/article-r1-2.md", 41) == 0 ||
	                  strncmp(paths, "code/article-r1-2.md,code/article-r1-1.md", 41) == 0,
	              "%s", paths);
	ck_assert(fx_has_hit(r, "notes/renvois.md"));
	ck_assert(json_is_true(json_object_get(r, "all_words")));
	free(paths);
	json_decref(r);
	/* The article first, though no document holds every word. */
	assert_first_hit(sc.index, "R1-1 compte", "code/article-r1-1.md", 0);
	fx_scratch_done(&sc);
}
END_TEST

/* A title that only names an article is none of its words, nor the
 * numbers of an article cited: "35 heures" finds the text that says so
 * before article L1-35, which its reference finds, quoted or not. */
START_TEST(an_article_name_weighs_no_more_than_its_text)
{
	fx_scratch sc;
	fx_scratch_init(&sc);
	fx_write(sc.repo, "code/article-l1-35.md", "# Article L1-35\n\nLe repos quotidien dure onze heures.\n");
	fx_write(sc.repo, "code/article-l1-36.md",
	         "# Article L1-36\n\nLa durée du travail est de 35 heures par semaine, et les heures au-delà sont "
	         "des heures supplémentaires payées davantage que les autres heures de la semaine.\n");
	fx_write(sc.repo, "notes/renvoi.md", "# Renvoi\n\nSelon l'article L. 1-35, les heures de repos sont dues.\n");
	fx_commit(sc.repo, "2020-01-10", "Code");
	fx_update(sc.repo, sc.index);
	assert_first_hit(sc.index, "35 heures", "code/article-l1-36.md", 1);
	/* Nor are the numbers of an article cited: the reference stands for
	 * them. */
	json_t *r = fx_search(sc.index, "35", NULL);
	ck_assert(!fx_has_hit(r, "notes/renvoi.md"));
	json_decref(r);
	char *paths = found_in_order(sc.index, "L1-35");
	ck_assert_msg(strcmp(paths, "code/article-l1-35.md,notes/renvoi.md") == 0, "%s", paths);
	free(paths);
	assert_first_hit(sc.index, "\"Article L1-35\"", "code/article-l1-35.md", 1);
	/* Named, the article comes first, before the note that cites it and
	 * holds every word. */
	assert_first_hit(sc.index, "L1-35 article", "code/article-l1-35.md", 1);
	assert_first_hit(sc.index, "35", "code/article-l1-36.md", 1);
	fx_scratch_done(&sc);
}
END_TEST

/* A repository where one note holds every word of "régisseur budget
 * conseil" once among many others, one holds only the rare word
 * "régisseur", many times, and ten hold the two common words. */
START_TEST(every_word_ranks_first_then_rare_words_before_many_common_ones)
{
	char path[64];
	fx_scratch sc;
	fx_scratch_init(&sc);
	fx_write(sc.repo, "tous.md",
	         "# Organisation\n\nLe régisseur, le budget et le conseil figurent ici parmi bien d'autres "
	         "sujets : locaux, élèves, horaires, transports, cantine, sorties, examens, bourses.\n");
	fx_write(sc.repo, "rare.md", "# Régies\n\nLe régisseur est nommé ; le régisseur rend compte ; un régisseur "
	                          "suppléant remplace le régisseur.\n");
	for (int i = 0; i < 10; i++) {
		snprintf(path, sizeof(path), "commun-%d.md", i);
		fx_write(sc.repo, path, "# Séance\n\nLe conseil adopte le budget.\n");
	}
	fx_commit(sc.repo, "2024-01-10", "Notes");
	fx_update(sc.repo, sc.index);
	json_t *r = fx_search(sc.index, "régisseur budget conseil", NULL);
	char *paths = fx_hit_paths(r);
	ck_assert_msg(strncmp(paths, "tous.md,rare.md,", 16) == 0, "%s", paths);
	ck_assert(json_is_true(json_object_get(r, "all_words")));
	free(paths);
	json_decref(r);
	/* Without the note that holds them all, none holds every word. */
	assert_first_hit(sc.index, "régisseur budget conseil -organisation", "rare.md", 0);
	fx_scratch_done(&sc);
}
END_TEST

START_TEST(a_question_for_a_quantity_finds_the_text_that_states_one)
{
	fx_scratch sc;
	fx_scratch_init(&sc);
	/* The answer never says "âge"; the other note does, without an age. */
	fx_write(sc.repo, "obligation.md", "# Obligation\n\nL'instruction est obligatoire entre six ans et seize ans.\n");
	fx_write(sc.repo, "progression.md", "# Progression\n\nL'instruction obligatoire tient compte de l'âge de l'enfant.\n");
	fx_write(sc.repo, "conge.md", "# Congé\n\nLe mois du congé de formation, le mois venu.\n");
	fx_write(sc.repo, "duree.md", "# Congé\n\nLe congé de formation dure au plus douze mois, selon les besoins "
	                           "du service, après avis du chef de service.\n");
	fx_commit(sc.repo, "2024-01-10", "Notes");
	fx_update(sc.repo, sc.index);
	/* "combien de mois" asks for a duration without naming one. */
	json_t *r = fx_search(sc.index, "combien de mois de congé de formation", NULL);
	char *paths = fx_hit_paths(r);
	ck_assert_msg(strncmp(paths, "duree.md,", 9) == 0, "%s", paths);
	free(paths);
	json_decref(r);
	r = fx_search(sc.index, "jusqu'à quel âge l'instruction est-elle obligatoire ?", NULL);
	paths = fx_hit_paths(r);
	ck_assert_msg(strncmp(paths, "obligation.md,", 14) == 0, "%s", paths);
	ck_assert(json_is_true(json_object_get(r, "all_words")));
	free(paths);
	json_decref(r);
	/* A quoted word is the word: no quantity stands for it. */
	r = fx_search(sc.index, "\"âge\" instruction", NULL);
	paths = fx_hit_paths(r);
	ck_assert_msg(strncmp(paths, "progression.md,", 15) == 0, "%s", paths);
	free(paths);
	json_decref(r);
	fx_scratch_done(&sc);
}
END_TEST

/* Ends the indexing process at the first problem file reported. */
static void exit_at_report(void *ctx, const char *commit_hex, const char *message)
{
	(void)ctx;
	(void)commit_hex;
	(void)message;
	_exit(0);
}

/* Indexes sc's repository in a process that ends at the first problem
 * file reported, batch versions per transaction. */
static void index_until_first_report(const fx_scratch *sc, size_t batch)
{
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		vg_index_opts o = fx_index_opts(sc->repo, sc->index);
		vg_index_stats st;
		vg_err err;
		o.batch = batch;
		o.threads = 1;
		o.report = exit_at_report;
		vg_index_update(&o, &st, &err);
		_exit(1);
	}
	int status = 0;
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

START_TEST(an_update_interrupted_within_a_commit_resumes_where_it_stopped)
{
	char path[64], text[128];
	fx_scratch sc;
	fx_scratch_init(&sc);
	for (int i = 1; i <= 10; i++) {
		snprintf(path, sizeof(path), "note-%02d.md", i);
		/* The fifth one's front matter is broken: it is reported. */
		snprintf(text, sizeof(text), "%s# Note %d\n\nMot%d unique.\n", i == 5 ? "---\ntitre: [\n---\n" : "", i, i);
		fx_write(sc.repo, path, text);
	}
	fx_commit(sc.repo, "2024-01-10", "Notes");
	/* Two operations per transaction: the process ends after the fourth
	 * was committed, inside the commit's ten. */
	index_until_first_report(&sc, 2);
	json_t *r = fx_search(sc.index, "mot1 mot2 mot3 mot4 mot5 mot6", NULL);
	ck_assert_int_eq(json_integer_value(json_object_get(r, "total")), 4);
	json_decref(r);
	/* The update goes on from there: each note once. */
	fx_update(sc.repo, sc.index);
	for (int i = 1; i <= 10; i++) {
		char q[16];
		snprintf(q, sizeof(q), "mot%d", i);
		r = fx_search(sc.index, q, NULL);
		ck_assert_msg(json_integer_value(json_object_get(r, "total")) == 1, "%s", q);
		json_decref(r);
	}
	r = fx_search(sc.index, "unique", NULL);
	ck_assert_int_eq(json_integer_value(json_object_get(r, "total")), 10);
	json_decref(r);
	/* Not written twice, not even as a version replaced at once. */
	vg_err err;
	vg_status st;
	ck_assert_int_eq(vg_status_read(&st, sc.index, &err), 0);
	ck_assert_uint_eq(st.versions, 10);
	vg_status_clear(&st);
	fx_scratch_done(&sc);
}
END_TEST

/* Three commits: a.md in three versions, b.md, and a note whose broken
 * front matter is reported at the second; index (may be NULL) updated
 * after each. */
static void three_versions_of_a(const fx_scratch *sc, const char *index)
{
	const char *dates[] = {"2020-01-10", "2020-02-10", "2020-03-10"};
	for (int v = 0; v < 3; v++) {
		char text[64];
		snprintf(text, sizeof(text), "# A\n\nLe texte A, version %d.\n", v);
		fx_write(sc->repo, "a.md", text);
		if (v == 0)
			fx_write(sc->repo, "b.md", "# B\n\nLe texte B.\n");
		if (v == 1)
			fx_write(sc->repo, "broken.md", "---\ntitre: [\n---\nLe texte cassé.\n");
		fx_commit(sc->repo, dates[v], "Étape");
		if (index)
			fx_update(sc->repo, index);
	}
}

/* A first build that stops after writing versions closed at a commit it
 * had not reached yet goes on from there with the same history. */
START_TEST(a_first_build_interrupted_keeps_the_versions_it_wrote_closed)
{
	fx_scratch sc, one;
	fx_scratch_init(&sc);
	fx_scratch_init(&one);
	three_versions_of_a(&sc, one.index);
	/* One version per transaction: the process ends at broken.md, after
	 * the second version of a.md was written, closed at the third commit. */
	index_until_first_report(&sc, 1);
	fx_update(sc.repo, sc.index);
	assert_same_history(one.index, sc.index, "a.md");
	assert_same_history(one.index, sc.index, "b.md");
	assert_same_history(one.index, sc.index, "broken.md");
	vg_searcher *s = NULL;
	vg_history h;
	vg_err err;
	ck_assert_int_eq(vg_searcher_open(&s, sc.index, &err), 0);
	ck_assert_int_eq(vg_catalog_history(&h, s, "a.md", &err), 0);
	ck_assert_uint_eq(h.n, 3);
	vg_history_clear(&h);
	vg_searcher_free(s);
	for (int c = 0; c < 4; c++) {
		const char *dates[] = {NULL, "2020-01-10", "2020-02-10", "2020-03-10"};
		char *want = found_in(one.index, dates[c], 0), *got = found_in(sc.index, dates[c], 0);
		ck_assert_str_eq(got, want);
		free(want);
		free(got);
	}
	fx_scratch_done(&sc);
	fx_scratch_done(&one);
}
END_TEST

/* ...and when the history was rewritten meanwhile, past the versions it
 * wrote closed, the index is rebuilt rather than left with versions
 * closed by a commit that never came. */
START_TEST(a_first_build_interrupted_then_rewritten_is_rebuilt)
{
	fx_scratch sc, fresh;
	fx_scratch_init(&sc);
	fx_scratch_init(&fresh);
	three_versions_of_a(&sc, NULL);
	index_until_first_report(&sc, 1);
	ck_assert_int_eq(fx_sh("cd '%s' && git reset -q --hard HEAD~1", sc.repo), 0);
	fx_write(sc.repo, "b.md", "# B\n\nLe texte B, autrement.\n");
	fx_commit(sc.repo, "2020-03-11", "Autre fin");
	fx_update(sc.repo, sc.index);
	fx_update(sc.repo, fresh.index);
	assert_same_history(fresh.index, sc.index, "a.md");
	assert_same_history(fresh.index, sc.index, "b.md");
	char *want = found_in(fresh.index, NULL, 0), *got = found_in(sc.index, NULL, 0);
	ck_assert_str_eq(got, want);
	ck_assert_msg(strstr(got, "a.md") != NULL, "%s", got);
	free(want);
	free(got);
	fx_scratch_done(&sc);
	fx_scratch_done(&fresh);
}
END_TEST

/* A folder whose name begins another's ("section-9", "section-9-bis")
 * comes after it in git's trees: adding the other changes nothing in it. */
START_TEST(a_new_folder_named_after_another_leaves_it_alone)
{
	fx_scratch sc;
	fx_scratch_init(&sc);
	fx_write(sc.repo, "section-9/a.md", "# A\n\nLe texte A.\n");
	fx_write(sc.repo, "section-9/b.md", "# B\n\nLe texte B.\n");
	fx_commit(sc.repo, "2020-01-10", "Section 9");
	fx_write(sc.repo, "section-9-bis/c.md", "# C\n\nLe texte C.\n");
	fx_commit(sc.repo, "2020-02-10", "Section 9 bis");
	fx_update(sc.repo, sc.index);
	vg_searcher *s = NULL;
	vg_history h;
	vg_err err;
	ck_assert_int_eq(vg_searcher_open(&s, sc.index, &err), 0);
	ck_assert_int_eq(vg_catalog_history(&h, s, "section-9/a.md", &err), 0);
	ck_assert_uint_eq(h.n, 1);
	ck_assert_str_eq(h.versions[0].date, "2020-01-10");
	vg_history_clear(&h);
	vg_searcher_free(s);
	fx_scratch_done(&sc);
}
END_TEST

/* Names that git's pathspecs read specially (a leading '#', a trailing
 * space) and a submodule that becomes a file, in a commit that also adds
 * and deletes files, which is when renames are looked for: every change
 * reaches the index, in a first build as in an update. */
START_TEST(a_commit_that_adds_and_deletes_keeps_every_name)
{
	fx_scratch sc, first;
	fx_scratch_init(&sc);
	fx_scratch_init(&first);
	fx_write(sc.repo, "#ancien.md", "# Ancien\n\nLe texte ancien, sur la régie.\n");
	fx_write(sc.repo, "garde.md", "# Garde\n\nLe texte gardé.\n");
	fx_commit(sc.repo, "2020-01-10", "Début");
	ck_assert_int_eq(fx_sh("cd '%s' && git update-index --add --cacheinfo 160000,$(git rev-parse HEAD),'#module.md' "
	                       "&& GIT_AUTHOR_DATE=2020-01-11T12:00:00Z GIT_COMMITTER_DATE=2020-01-11T12:00:00Z "
	                       "git commit -q -m Module",
	                       sc.repo),
	                 0);
	fx_update(sc.repo, sc.index);
	ck_assert_int_eq(fx_sh("cd '%s' && git rm -q --cached '#module.md' && git rm -q '#ancien.md'", sc.repo), 0);
	fx_write(sc.repo, "#module.md", "# Module\n\nLe texte du module, devenu un fichier.\n");
	fx_write(sc.repo, "#nouveau.md", "# Nouveau\n\nUn autre texte, sur les marchés.\n");
	fx_write(sc.repo, "suite .md", "# Suite\n\nLe texte qui suit.\n");
	fx_commit(sc.repo, "2020-02-10", "Noms");
	fx_update(sc.repo, sc.index);
	fx_update(sc.repo, first.index);
	const char *indexes[] = {sc.index, first.index};
	for (size_t i = 0; i < 2; i++) {
		json_t *r = fx_search(indexes[i], "texte", NULL);
		char *paths = fx_hit_paths(r);
		ck_assert_msg(fx_has_hit(r, "#module.md") && fx_has_hit(r, "#nouveau.md") && fx_has_hit(r, "suite .md") &&
		                  fx_has_hit(r, "garde.md") && !fx_has_hit(r, "#ancien.md"),
		              "%s: %s", i ? "first build" : "update", paths);
		free(paths);
		json_decref(r);
		r = fx_search(indexes[i], "texte", "2020-01-10");
		ck_assert(fx_has_hit(r, "#ancien.md"));
		json_decref(r);
	}
	fx_scratch_done(&sc);
	fx_scratch_done(&first);
}
END_TEST

START_TEST(a_phrase_never_spans_two_fields)
{
	fx_scratch sc;
	fx_scratch_init(&sc);
	fx_write(sc.repo, "sec/README.md", "# Section 1 : Organisation financière\n");
	fx_write(sc.repo, "sec/note.md", "---\ntitre: Zorglub quintal\n---\nLe budget est voté.\n");
	fx_commit(sc.repo, "2020-01-01", "Note");
	fx_update(sc.repo, sc.index);
	json_t *r = fx_search(sc.index, "\"budget est vote\"", NULL);
	ck_assert(fx_has_hit(r, "sec/note.md"));
	json_decref(r);
	/* The heading above it, its title and its text are each a phrase of
	 * their own: their words are not one after the other. */
	static const char *const across[] = {"\"financiere le\"", "\"organisation budget\"", "\"quintal le\"",
	                                     "\"zorglub budget\""};
	for (size_t k = 0; k < sizeof(across) / sizeof(across[0]); k++) {
		r = fx_search(sc.index, across[k], NULL);
		ck_assert_msg(!fx_has_hit(r, "sec/note.md"), "%s", across[k]);
		json_decref(r);
	}
	fx_scratch_done(&sc);
}
END_TEST

/* An expression of the synonyms typed as words finds the documents that
 * hold its words apart when none holds it whole (the page names it as
 * typed, accents kept), and those that hold it whole first; quoted, it
 * stays a phrase. A noun finds the forms of the verb of its family that
 * the index knows ("composition": "composer", and so "composé"). */
START_TEST(an_expression_no_document_holds_is_searched_by_its_words)
{
	fx_scratch sc;
	fx_scratch_init(&sc);
	fx_write(sc.repo, ".vigie/synonymes.txt", "RTT = réduction du temps de travail\n");
	fx_write(sc.repo, "temps.md", "# Temps\n\nLa durée du temps de travail est fixée par le conseil.\n");
	fx_write(sc.repo, "budget.md", "# Budget\n\nLe budget est voté. Le directeur peut composer les classes.\n");
	fx_write(sc.repo, "ecole.md", "# École\n\nLe conseil d'école est composé du directeur et des maîtres.\n");
	fx_commit(sc.repo, "2020-01-10", "Textes");
	fx_update(sc.repo, sc.index);
	json_t *r = fx_search(sc.index, "réduction du temps de travail", NULL);
	ck_assert(fx_has_hit(r, "temps.md"));
	ck_assert(!fx_has_hit(r, "budget.md"));
	ck_assert(json_is_false(json_object_get(r, "all_words")));
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(r, "missing_words"), 0)),
	                 "réduction du temps de travail");
	json_decref(r);
	r = fx_search(sc.index, "\"réduction du temps de travail\"", NULL);
	ck_assert_int_eq(json_integer_value(json_object_get(r, "total")), 0);
	json_decref(r);
	assert_first_hit(sc.index, "composition conseil école", "ecole.md", 1);
	fx_write(sc.repo, "rtt.md", "# Jours\n\nLa réduction du temps de travail donne des jours de repos.\n");
	fx_commit(sc.repo, "2020-01-11", "RTT");
	fx_update(sc.repo, sc.index);
	assert_first_hit(sc.index, "réduction du temps de travail", "rtt.md", 1);
	fx_scratch_done(&sc);
}
END_TEST

/* Words as the documents and users write them: an apostrophe inside a
 * word ("prud'homal") is no elision to correct, a correction takes its
 * accents from a form in lower case ("Etablissement" opens a sentence)
 * and keeps an elision typed without its apostrophe ("detablissement"),
 * a question's verbs ("dois-je") are not words of its subject, "3750" is
 * also "3 750", "soustraitant" is "sous-traitant", and a
 * snippet marks the words of an expression, not its "de" and "à". */
START_TEST(words_are_read_as_they_are_written)
{
	fx_scratch sc;
	fx_scratch_init(&sc);
	fx_write(sc.repo, ".vigie/synonymes.txt",
	         "CDI = contrat de travail à durée indéterminée\nCPH => conseil de prud’hommes\n");
	fx_write(sc.repo, "cph.md",
	         "# Conseil\n\nLe conseiller prud'homal siège au conseil de prud'hommes et au conseil de "
	         "l'établissement.\n");
	fx_write(sc.repo, "etab.md",
	         "# Etablissement\n\nEtablissement public : l'établissement est administré par un conseil. Un local.\n");
	fx_write(sc.repo, "cdi.md", "# Contrat\n\nLe contrat de travail à durée indéterminée est la forme normale. Un local.\n");
	fx_write(sc.repo, "amende.md", "# Sanction\n\nLe fait est puni d'une amende de 3 750 euros. Le sous-traitant paie.\n");
	fx_commit(sc.repo, "2020-01-10", "Textes");
	fx_update(sc.repo, sc.index);
	json_t *r = fx_search(sc.index, "conseiller prud'homal", NULL);
	ck_assert(json_is_null(json_object_get(r, "corrected")));
	ck_assert(json_is_null(json_object_get(r, "suggestion")));
	ck_assert(fx_has_hit(r, "cph.md"));
	json_decref(r);
	/* An abbreviation of words that hold an apostrophe ("prud'hommes"). */
	assert_first_hit(sc.index, "CPH", "cph.md", 1);
	r = fx_search(sc.index, "etablisement", NULL);
	/* (A suggestion here: this searcher has no French lexicon to tell a
	 * typo.) */
	ck_assert_str_eq(json_string_value(json_object_get(r, "suggestion")), "établissement");
	json_decref(r);
	/* A number typed in one piece is also the law's "3 750". */
	assert_first_hit(sc.index, "amende 3750 euros", "amende.md", 1);
	/* A compound typed in one piece is the compound. */
	r = fx_search(sc.index, "soustraitant", NULL);
	ck_assert_str_eq(json_string_value(json_object_get(r, "suggestion")), "sous-traitant");
	json_decref(r);
	/* An elision typed without its apostrophe keeps it. */
	r = fx_search(sc.index, "conseil detablissement", NULL);
	ck_assert_str_eq(json_string_value(json_object_get(r, "suggestion")), "conseil d'établissement");
	json_decref(r);
	r = fx_search(sc.index, "dois-je signer un CDI", NULL);
	ck_assert_msg(json_is_null(json_object_get(r, "suggestion")), "%s",
	              json_string_value(json_object_get(r, "suggestion")));
	ck_assert(fx_has_hit(r, "cdi.md"));
	for (size_t i = 0; i < json_array_size(json_object_get(r, "missing_words")); i++)
		ck_assert_str_ne(json_string_value(json_array_get(json_object_get(r, "missing_words"), i)), "dois");
	const char *snippet = json_string_value(json_object_get(json_array_get(json_object_get(r, "hits"), 0), "snippet"));
	ck_assert_ptr_nonnull(strstr(snippet, "<mark>contrat</mark>"));
	ck_assert_msg(!strstr(snippet, "<mark>de</mark>") && !strstr(snippet, "<mark>à</mark>"), "%s", snippet);
	json_decref(r);
	fx_scratch_done(&sc);
}
END_TEST

Suite *vg_suite_index(void)
{
	Suite *s = suite_create("index");
	TCase *tc = tcase_create("standard-repository");
	tcase_set_timeout(tc, 60);
	tcase_add_unchecked_fixture(tc, fx_indexed_setup, fx_indexed_teardown);
	tcase_add_test(tc, current_search_sees_only_current_versions);
	tcase_add_test(tc, as_of_a_commit_equals_as_of_its_day);
	tcase_add_test(tc, deleted_file_found_only_before_its_deletion);
	tcase_add_test(tc, accents_case_and_elisions_are_folded);
	tcase_add_test(tc, every_spelling_of_a_reference_finds_the_same_set);
	tcase_add_test(tc, field_names_wildcards_and_date_ranges);
	tcase_add_test(tc, synonyms_from_the_repository_expand_queries);
	tcase_add_test(tc, problem_files_are_reported_and_indexed_as_well_as_possible);
	tcase_add_test(tc, rename_keeps_the_history);
	tcase_add_test(tc, result_has_the_design_json_shape);
	tcase_add_test(tc, every_field_of_the_table_works_in_every_layer);
	tcase_add_test(tc, several_indexes_are_searched_as_one);
	tcase_add_test(tc, an_index_of_an_older_format_is_rebuilt_on_update);
	tcase_add_test(tc, snippets_escape_html_but_keep_marks);
	tcase_add_test(tc, filters_sort_pagination_and_suggestions);
	tcase_add_test(tc, bad_queries_give_clear_errors);
	tcase_add_test(tc, incremental_update_touches_only_the_new_commit);
	tcase_add_test(tc, rebuild_swaps_in_an_identical_index);
	tcase_add_test(tc, every_word_ranks_first_then_rare_words_before_many_common_ones);
	tcase_add_test(tc, an_article_name_weighs_no_more_than_its_text);
	tcase_add_test(tc, expressions_match_every_form_and_references_name_their_articles);
	tcase_add_test(tc, a_question_for_a_quantity_finds_the_text_that_states_one);
	tcase_add_test(tc, an_update_interrupted_within_a_commit_resumes_where_it_stopped);
	tcase_add_test(tc, a_first_build_interrupted_keeps_the_versions_it_wrote_closed);
	tcase_add_test(tc, a_first_build_interrupted_then_rewritten_is_rebuilt);
	tcase_add_test(tc, a_first_build_writes_the_history_that_updates_write);
	tcase_add_test(tc, a_commit_that_adds_and_deletes_keeps_every_name);
	tcase_add_test(tc, a_new_folder_named_after_another_leaves_it_alone);
	tcase_add_test(tc, a_snippet_does_not_repeat_the_title);
	tcase_add_test(tc, a_domain_is_labelled_by_its_folder_heading);
	tcase_add_test(tc, a_typo_is_corrected_to_the_word_that_goes_with_the_others);
	tcase_add_test(tc, a_long_text_shows_the_passage_that_holds_the_words);
	tcase_add_test(tc, a_phrase_never_spans_two_fields);
	tcase_add_test(tc, an_expression_no_document_holds_is_searched_by_its_words);
	tcase_add_test(tc, words_are_read_as_they_are_written);
	tcase_add_test(tc, a_broad_search_in_a_large_index_estimates_its_counts_from_a_sample);
	tcase_add_test(tc, facet_counts_follow_the_index_a_handle_reads);
	suite_add_tcase(s, tc);
	return s;
}
