/* The legal watch's list narrowed by repository, note, domaine, académie
 * and period of the changes. */
#include "fixtures.h"
#include "indexer.h"
#include "veille.h"

#include <stdlib.h>
#include <string.h>

/* A note of repository repo at path with one article of reference ref
 * changed on each day of days (NULL-terminated). */
static void add_note(vg_veille_list *l, const char *repo, const char *path, const char *domaine,
                     const char *academie, const char *ref, const char *const *days)
{
	vg_veille_note *n = &l->notes[l->n_notes++];
	n->repo = strdup(repo);
	n->path = strdup(path);
	n->domaine = strdup(domaine);
	n->academie = strdup(academie);
	n->articles = calloc(1, sizeof(*n->articles));
	n->n_articles = 1;
	vg_veille_article *a = &n->articles[0];
	snprintf(a->reference, sizeof(a->reference), "%s", ref);
	size_t count = 0;
	while (days[count])
		count++;
	a->changes = calloc(count, sizeof(*a->changes));
	for (size_t k = 0; k < count; k++) {
		vg_veille_change *c = &a->changes[a->n_changes++];
		snprintf(c->date, sizeof(c->date), "%s", days[k]);
		c->kind = "modifié";
	}
}

static void review(vg_veille_list *l)
{
	static const char *const a_days[] = {"2013-01-01", "2016-01-01", NULL}, *const b_days[] = {"2015-06-01", NULL};
	memset(l, 0, sizeof(*l));
	l->notes = calloc(2, sizeof(*l->notes));
	add_note(l, "lille", "a.md", "comptabilite", "lille", "R421-58", a_days);
	add_note(l, "commun", "b.md", "paye", "région", "L421-11", b_days);
}

/* The paths of the notes kept, and their changes' days, "a.md:2013-01-01,...;". */
static char *kept(const vg_veille_list *all, const vg_veille_opts *o)
{
	vg_veille_list r;
	ck_assert_int_eq(vg_veille_filter(&r, all, o), 0);
	static char out[256];
	out[0] = '\0';
	for (size_t i = 0; i < r.n_notes; i++) {
		strcat(out, r.notes[i].path);
		for (size_t j = 0; j < r.notes[i].n_articles; j++)
			for (size_t k = 0; k < r.notes[i].articles[j].n_changes; k++) {
				strcat(out, k ? "," : ":");
				strcat(out, r.notes[i].articles[j].changes[k].date);
			}
		strcat(out, ";");
	}
	vg_veille_list_clear(&r);
	return out;
}

START_TEST(the_review_is_narrowed_without_changing_what_it_holds)
{
	vg_veille_list list, *all = &list;
	review(all);
	vg_veille_opts o;
	memset(&o, 0, sizeof(o));
	ck_assert_str_eq(kept(all, &o), "a.md:2013-01-01,2016-01-01;b.md:2015-06-01;");
	o.repo = "commun";
	ck_assert_str_eq(kept(all, &o), "b.md:2015-06-01;");
	memset(&o, 0, sizeof(o));
	o.academie = "Région";
	ck_assert_str_eq(kept(all, &o), "b.md:2015-06-01;");
	o.academie = NULL;
	o.domaine = "Comptabilité";
	ck_assert_str_eq(kept(all, &o), "a.md:2013-01-01,2016-01-01;");
	o.domaine = NULL;
	/* A period keeps the changes within it: the newest first again. */
	o.until = "2015-12-31";
	ck_assert_str_eq(kept(all, &o), "b.md:2015-06-01;a.md:2013-01-01;");
	o.since = "2014-01-01";
	ck_assert_str_eq(kept(all, &o), "b.md:2015-06-01;");
	o.path = "a.md";
	ck_assert_str_eq(kept(all, &o), "");
	/* The list itself is left as it was. */
	memset(&o, 0, sizeof(o));
	ck_assert_str_eq(kept(all, &o), "a.md:2013-01-01,2016-01-01;b.md:2015-06-01;");
	vg_veille_list_clear(all);
}
END_TEST

static void write_note(const char *repo, const char *path, const char *refs, const char *revu)
{
	char text[512];
	snprintf(text, sizeof(text), "---\ntitre: Note %s\ndate: 2011-01-01\n%s%s%sreferences: [%s]\n---\nLa note.\n", path,
	         revu ? "revu: " : "", revu ? revu : "", revu ? "\n" : "", refs);
	fx_write(repo, path, text);
}

/* The cached review equals the one computed from nothing, and read only
 * what moved; the number of notes it lists. */
static size_t review_again(vg_searcher *s, vg_veille_cache *c, json_t **kept, size_t notes_read, size_t refs_read)
{
	vg_err err;
	vg_veille_opts o;
	vg_veille_list cached, full;
	memset(&o, 0, sizeof(o));
	ck_assert_int_eq(vg_searcher_refresh(s, &err), 0);
	ck_assert_int_eq(vg_veille_review_cached(&cached, s, c, &err), 0);
	ck_assert_int_eq(vg_veille_review(&full, s, &o, &err), 0);
	json_t *cj = vg_veille_json(&cached, NULL), *fj = vg_veille_json(&full, NULL);
	char *a = json_dumps(cj, JSON_SORT_KEYS), *b = json_dumps(fj, JSON_SORT_KEYS);
	ck_assert_str_eq(a, b);
	free(a);
	free(b);
	size_t notes = 0, refs = 0;
	vg_veille_cache_reads(c, &notes, &refs);
	ck_assert_uint_eq(notes, notes_read);
	ck_assert_uint_eq(refs, refs_read);
	json_decref(fj);
	json_decref(*kept);
	*kept = cj;
	size_t n = cached.n_notes;
	vg_veille_list_clear(&cached);
	vg_veille_list_clear(&full);
	return n;
}

START_TEST(the_review_reads_again_only_what_moved)
{
	fx_scratch sc;
	fx_scratch_init(&sc);
	fx_write(sc.repo, "code/article-r421-58.md", "# Article R421-58\n\nLe budget est préparé.\n");
	fx_write(sc.repo, "code/article-r421-59.md", "# Article R421-59\n\nLe budget est voté.\n");
	fx_commit(sc.repo, "2010-01-01", "Code");
	write_note(sc.repo, "notes/a.md", "\"article R. 421-58\"", NULL);
	write_note(sc.repo, "notes/b.md", "\"article R. 421-59\"", NULL);
	fx_commit(sc.repo, "2011-01-01", "Notes");
	fx_update(sc.repo, sc.index);
	vg_searcher *s = NULL;
	vg_err err;
	ck_assert_int_eq(vg_searcher_open(&s, sc.index, &err), 0);
	vg_veille_cache *c = vg_veille_cache_new();
	json_t *r = NULL;
	ck_assert_uint_eq(review_again(s, c, &r, 2, 2), 0);

	/* An amendment: only its article is read again. */
	fx_write(sc.repo, "code/article-r421-58.md", "# Article R421-58\n\nLe budget est préparé et adopté.\n");
	fx_commit(sc.repo, "2012-01-01", "Décret modifiant R421-58");
	fx_update(sc.repo, sc.index);
	ck_assert_uint_eq(review_again(s, c, &r, 0, 1), 1);
	json_t *a_entry = json_array_get(json_object_get(r, "notes"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(a_entry, "path")), "notes/a.md");

	/* A new note (written after the change): only it is read; the other
	 * entry is the same. */
	write_note(sc.repo, "notes/c.md", "\"article R. 421-58\", \"article R. 421-59\"", NULL);
	fx_commit(sc.repo, "2013-01-01", "Nouvelle note");
	fx_update(sc.repo, sc.index);
	char *before = json_dumps(a_entry, JSON_SORT_KEYS);
	ck_assert_uint_eq(review_again(s, c, &r, 1, 0), 1);
	int same = 0;
	for (size_t i = 0; i < 2; i++) {
		char *now = json_dumps(json_array_get(json_object_get(r, "notes"), i), JSON_SORT_KEYS);
		same |= now && strcmp(now, before) == 0;
		free(now);
	}
	ck_assert(same);
	free(before);

	/* A review recorded clears the note; a repeal brings back those that
	 * cite the article. */
	write_note(sc.repo, "notes/a.md", "\"article R. 421-58\"", "2014-01-01");
	fx_commit(sc.repo, "2014-01-01", "Note revue");
	fx_update(sc.repo, sc.index);
	ck_assert_uint_eq(review_again(s, c, &r, 1, 0), 0);
	fx_sh("git -C '%s' rm -q code/article-r421-59.md", sc.repo);
	fx_commit(sc.repo, "2015-01-01", "Abrogation de R421-59");
	fx_update(sc.repo, sc.index);
	ck_assert_uint_eq(review_again(s, c, &r, 0, 1), 2);

	/* The sc.index built again: everything is read again. */
	vg_index_opts o = fx_index_opts(sc.repo, sc.index);
	vg_index_stats st;
	ck_assert_int_eq(vg_index_rebuild(&o, &st, &err), 0);
	ck_assert_uint_eq(review_again(s, c, &r, 3, 2), 2);
	json_decref(r);
	vg_veille_cache_free(c);
	vg_searcher_free(s);
	fx_scratch_done(&sc);
}
END_TEST

Suite *vg_suite_veille(void)
{
	Suite *s = suite_create("veille");
	TCase *tc = tcase_create("filter");
	tcase_add_test(tc, the_review_is_narrowed_without_changing_what_it_holds);
	suite_add_tcase(s, tc);
	tc = tcase_create("incremental");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, the_review_reads_again_only_what_moved);
	suite_add_tcase(s, tc);
	return s;
}
