/* Child processes: fed and read at once, within a deadline. */
#include "child.h"
#include "fixtures.h"

#include <string.h>
#include <sys/wait.h>
#include <time.h>

START_TEST(a_child_is_fed_and_read_at_once)
{
	/* More than a pipe holds each way: neither side may wait on the other. */
	size_t len = 1 << 20;
	char *input = malloc(len);
	for (size_t i = 0; i < len; i++)
		input[i] = (char)('a' + i % 26);
	char *argv[] = {"sh", "-c", "cat; echo fini >&2; exit 3", NULL};
	vg_strbuf out = VG_STRBUF_INIT, err_out = VG_STRBUF_INIT;
	int status, timed_out;
	vg_err err;
	ck_assert_int_eq(vg_child_run(argv, input, len, 30000, &out, &err_out, &status, &timed_out, &err), 0);
	ck_assert_int_eq(timed_out, 0);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 3);
	ck_assert_uint_eq(out.len, len);
	ck_assert(memcmp(out.ptr, input, len) == 0);
	ck_assert_ptr_nonnull(strstr(err_out.ptr, "fini"));
	vg_strbuf_free(&out);
	vg_strbuf_free(&err_out);
	free(input);
}
END_TEST

START_TEST(a_child_past_its_deadline_is_killed)
{
	char *argv[] = {"sleep", "30", NULL};
	int status, timed_out;
	vg_err err;
	time_t start = time(NULL);
	ck_assert_int_eq(vg_child_run(argv, NULL, 0, 200, NULL, NULL, &status, &timed_out, &err), 0);
	ck_assert_int_eq(timed_out, 1);
	ck_assert(WIFSIGNALED(status));
	ck_assert(time(NULL) - start < 25);
}
END_TEST

START_TEST(a_missing_program_is_an_error_and_leaves_nothing_open)
{
	char *argv[] = {"/nonexistent/vigie-program", NULL};
	vg_child c;
	vg_err err;
	ck_assert_int_eq(vg_child_spawn(&c, argv, NULL, VG_CHILD_IN | VG_CHILD_OUT, &err), VG_EIO);
	ck_assert_int_eq(c.pid, 0);
	ck_assert_int_eq(c.in, -1);
	ck_assert_int_eq(c.out, -1);
	ck_assert_int_eq(vg_child_finish(NULL, 0, NULL), 0);
}
END_TEST

Suite *vg_suite_child(void)
{
	Suite *s = suite_create("child");
	TCase *tc = tcase_create("processes");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, a_child_is_fed_and_read_at_once);
	tcase_add_test(tc, a_child_past_its_deadline_is_killed);
	tcase_add_test(tc, a_missing_program_is_an_error_and_leaves_nothing_open);
	suite_add_tcase(s, tc);
	return s;
}
