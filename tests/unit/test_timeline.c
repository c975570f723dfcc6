/* The index's own plumbing: the first-parent timeline that dates every
 * version ("as of" a day or a commit), and the store of generations that
 * lets a rebuild swap in while searches go on. */
#include "fixtures.h"
#include "store.h"
#include "timeline.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Three commits: 2020-01-10, 2020-01-10 again, 2021-06-01. */
static vg_timeline three(vg_tl_entry e[3])
{
	memset(e, 0, 3 * sizeof(*e));
	snprintf(e[0].id, sizeof(e[0].id), "%040d", 1);
	snprintf(e[1].id, sizeof(e[1].id), "abcd%036d", 2);
	snprintf(e[2].id, sizeof(e[2].id), "abcde%035d", 3);
	e[0].time = 1578650400; /* 2020-01-10 10:00 UTC */
	e[1].time = 1578693600; /* 2020-01-10 22:00 UTC */
	e[2].time = 1622548800; /* 2021-06-01 12:00 UTC */
	vg_timeline tl = {e, 3, 0, 2};
	return tl;
}

START_TEST(a_day_is_its_last_commit_and_a_commit_is_itself)
{
	vg_tl_entry e[3];
	vg_timeline tl = three(e);
	long pos;
	vg_err err;
	ck_assert_int_eq(vg_timeline_resolve(&tl, "2020-01-10", &pos, &err), 0);
	ck_assert_int_eq(pos, 1);
	ck_assert_int_eq(vg_timeline_resolve(&tl, "2020-12-31", &pos, &err), 0);
	ck_assert_int_eq(pos, 1);
	ck_assert_int_eq(vg_timeline_resolve(&tl, "2030-01-01", &pos, &err), 0);
	ck_assert_int_eq(pos, 2);
	ck_assert_int_eq(vg_timeline_resolve(&tl, "2019-12-31", &pos, &err), VG_ENOTFOUND);
	ck_assert_ptr_nonnull(strstr(err.msg, "aucun commit au 2019-12-31"));
	ck_assert_int_eq(vg_timeline_resolve(&tl, e[2].id, &pos, &err), 0);
	ck_assert_int_eq(pos, 2);
	/* A prefix of two commits is ambiguous; a prefix of one is that one;
	 * under four digits it is no commit at all. */
	ck_assert_int_eq(vg_timeline_resolve(&tl, "abcd", &pos, &err), VG_EINVAL);
	ck_assert_ptr_nonnull(strstr(err.msg, "ambigu"));
	ck_assert_int_eq(vg_timeline_resolve(&tl, "abcde", &pos, &err), 0);
	ck_assert_int_eq(pos, 2);
	ck_assert_int_eq(vg_timeline_resolve(&tl, "abc", &pos, &err), VG_EINVAL);
	ck_assert_int_eq(vg_timeline_resolve(&tl, "hier", &pos, &err), VG_EINVAL);
	char day[11];
	ck_assert_int_eq(vg_timeline_day_at(&tl, 1, day), 0);
	ck_assert_str_eq(day, "2020-01-10");
	ck_assert_int_eq(vg_timeline_day_at(&tl, 3, day), -1);
	ck_assert_str_eq(day, "");
	ck_assert_str_eq(vg_timeline_commit_at(&tl, 0), e[0].id);
	ck_assert_ptr_null(vg_timeline_commit_at(&tl, -1));
	/* History kept only from a base position on. */
	tl.base = 2;
	ck_assert_int_eq(vg_timeline_resolve(&tl, "2020-06-01", &pos, &err), VG_ENOTFOUND);
	ck_assert_ptr_nonnull(strstr(err.msg, "n'est indexé qu'à partir du 2021-06-01"));
}
END_TEST

START_TEST(generations_swap_whole_and_stamps_follow)
{
	char *dir = fx_tmpdir();
	char index[600];
	snprintf(index, sizeof(index), "%s/index", dir);
	char *current = NULL, *gen = NULL, stamp1[512], stamp2[512];
	vg_err err;
	ck_assert_int_eq(vg_store_current(index, &current, &err), VG_ENOTFOUND);
	ck_assert_ptr_nonnull(strstr(err.msg, "vigie-index update"));
	vg_store_stamp(index, stamp1, sizeof(stamp1));
	ck_assert_str_eq(stamp1, "");
	int fd = -1;
	ck_assert_int_eq(vg_store_lock(index, 0, &fd, &err), 0);
	/* A second writer is told, not blocked. */
	int fd2 = -1;
	ck_assert_int_eq(vg_store_lock(index, 0, &fd2, &err), VG_ELOCKED);
	ck_assert_int_eq(vg_store_new_generation(index, &gen, &err), 0);
	fx_sh("mkdir -p '%s' && touch '%s/iamglass'", gen, gen);
	ck_assert_int_eq(vg_store_swap(index, gen, &err), 0);
	ck_assert_int_eq(vg_store_current(index, &current, &err), 0);
	vg_store_stamp(index, stamp1, sizeof(stamp1));
	ck_assert_str_ne(stamp1, "");
	free(gen);
	gen = NULL;
	/* A new generation changes the stamp the answer cache is keyed by. */
	ck_assert_int_eq(vg_store_new_generation(index, &gen, &err), 0);
	fx_sh("mkdir -p '%s' && touch '%s/iamglass'", gen, gen);
	ck_assert_int_eq(vg_store_swap(index, gen, &err), 0);
	vg_store_stamp(index, stamp2, sizeof(stamp2));
	ck_assert_str_ne(stamp1, stamp2);
	vg_store_unlock(fd);
	free(gen);
	free(current);
	fx_rmrf(dir);
	free(dir);
}
END_TEST

Suite *vg_suite_timeline(void)
{
	Suite *s = suite_create("timeline");
	TCase *tc = tcase_create("timeline");
	tcase_add_test(tc, a_day_is_its_last_commit_and_a_commit_is_itself);
	tcase_add_test(tc, generations_swap_whole_and_stamps_follow);
	suite_add_tcase(s, tc);
	return s;
}
