/* The pool of reader handles: one per set of readable repositories, kept
 * for that set only, a repository without an index left out. */
#include "fixtures.h"
#include "readers.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *dir;
static char paths[3][600], indexes[3][600];
static vg_repo_conf confs[3];

static void setup(void)
{
	static const char *const names[] = {"commun", "lille", "neuf"};
	dir = fx_tmpdir();
	for (int i = 0; i < 3; i++) {
		snprintf(paths[i], sizeof(paths[i]), "%s/%s", dir, names[i]);
		snprintf(indexes[i], sizeof(indexes[i]), "%s/index-%s", dir, names[i]);
		fx_git_init(paths[i]);
		char note[200];
		snprintf(note, sizeof(note), "# Note %s\n\nLa régie d'avances du dépôt %s.\n", names[i], names[i]);
		fx_write(paths[i], "notes/regie.md", note);
		fx_commit(paths[i], "2024-05-02", "Note");
		if (i < 2) /* "neuf" has no index yet */
			fx_update(paths[i], indexes[i]);
		confs[i] = (vg_repo_conf){.name = (char *)names[i], .path = paths[i], .index = indexes[i], .read = "all"};
	}
}

static void teardown(void)
{
	fx_rmrf(dir);
	free(dir);
}

static long total_of(vg_searcher *s)
{
	vg_search_req req;
	json_t *r = NULL;
	vg_err err;
	memset(&req, 0, sizeof(req));
	req.query = "régie";
	ck_assert_int_eq(fx_run(s, &req, &r, &err), 0);
	long n = (long)json_integer_value(json_object_get(r, "total"));
	json_decref(r);
	return n;
}

START_TEST(a_handle_reads_its_set_and_nothing_else)
{
	vg_readers *p = NULL;
	vg_reader *a = NULL, *b = NULL;
	vg_err err;
	ck_assert_int_eq(vg_readers_new(&p, confs, 3, 2, &err), 0);
	ck_assert_int_eq(vg_readers_get(p, 1, &a, &err), 0);
	ck_assert_uint_eq(a->n_repos, 1);
	ck_assert_str_eq(a->repos[0].name, "commun");
	ck_assert_ptr_null(vg_reader_find(a, "lille"));
	ck_assert_int_eq(total_of(a->searcher), 1);
	ck_assert_int_eq(vg_readers_get(p, 3, &b, &err), 0);
	ck_assert_uint_eq(b->n_repos, 2);
	ck_assert_ptr_nonnull(vg_reader_find(b, "lille"));
	ck_assert_uint_eq(vg_reader_find(b, "lille")->pos, 1);
	ck_assert_int_eq(total_of(b->searcher), 2);
	ck_assert_int_eq(total_of(vg_reader_find(b, "lille")->searcher), 1);
	vg_readers_put(p, a);
	vg_readers_put(p, b);
	/* Given back, a handle serves its own set again, never another. */
	vg_reader *c = NULL;
	ck_assert_int_eq(vg_readers_get(p, 1, &c, &err), 0);
	ck_assert_ptr_eq(c, a);
	ck_assert_uint_eq(c->set, 1);
	vg_readers_put(p, c);
	ck_assert_int_eq(vg_readers_get(p, 2, &c, &err), 0);
	ck_assert_uint_eq(c->set, 2);
	ck_assert_uint_eq(c->n_repos, 1);
	ck_assert_str_eq(c->repos[0].name, "lille");
	vg_readers_put(p, c);
	/* No repository: refused. */
	ck_assert_int_eq(vg_readers_get(p, 0, &c, &err), VG_EFORBIDDEN);
	vg_readers_free(p);
}
END_TEST

START_TEST(a_repository_without_an_index_is_left_out_until_built)
{
	vg_readers *p = NULL;
	vg_reader *r = NULL;
	vg_err err;
	ck_assert_int_eq(vg_readers_new(&p, confs, 3, 2, &err), 0);
	ck_assert_int_eq(vg_readers_get(p, 4, &r, &err), VG_ENOTFOUND);
	ck_assert_int_eq(vg_readers_get(p, 5, &r, &err), 0);
	ck_assert(r->partial);
	ck_assert_uint_eq(r->n_repos, 1);
	vg_readers_put(p, r); /* not kept: the next one may find the index */
	fx_update(paths[2], indexes[2]);
	ck_assert_int_eq(vg_readers_get(p, 5, &r, &err), 0);
	ck_assert(!r->partial);
	ck_assert_uint_eq(r->n_repos, 2);
	ck_assert_int_eq(total_of(r->searcher), 2);
	vg_readers_put(p, r);
	vg_readers_free(p);
}
END_TEST

Suite *vg_suite_readers(void)
{
	Suite *s = suite_create("readers");
	TCase *tc = tcase_create("readers");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, a_handle_reads_its_set_and_nothing_else);
	tcase_add_test(tc, a_repository_without_an_index_is_left_out_until_built);
	suite_add_tcase(s, tc);
	return s;
}
