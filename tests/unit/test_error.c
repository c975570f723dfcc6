/* Error codes: one table gives each its name, API code, HTTP status and
 * French label. */
#include "fixtures.h"

#include <string.h>

START_TEST(every_code_has_its_row)
{
	const int codes[] = {VG_OK, VG_ENOMEM, VG_EINVAL, VG_ENOTFOUND, VG_EIO, VG_ELOCKED, VG_EINTERNAL,
	                     VG_EQUERY, VG_ETOOBIG, VG_ECORRUPT, VG_EREWRITTEN};
	size_t n = sizeof(codes) / sizeof(codes[0]);
	for (size_t i = 0; i < n; i++) {
		ck_assert_str_ne(vg_err_name(codes[i]), "VG_EUNKNOWN");
		ck_assert_ptr_nonnull(vg_err_label(codes[i]));
		for (size_t k = 0; k < i; k++)
			ck_assert_str_ne(vg_err_api_code(codes[i]), vg_err_api_code(codes[k]));
	}
	ck_assert_str_eq(vg_err_name(VG_ENOTFOUND), "VG_ENOTFOUND");
	ck_assert_str_eq(vg_err_api_code(VG_EQUERY), "bad_query");
	ck_assert_uint_eq(vg_err_http_status(VG_ENOTFOUND), 404);
	ck_assert_uint_eq(vg_err_http_status(VG_ELOCKED), 503);
	ck_assert_str_eq(vg_err_label(VG_ENOTFOUND), "introuvable");
	/* An unknown code is an internal error, never a success. */
	ck_assert_str_eq(vg_err_name(-99), "VG_EUNKNOWN");
	ck_assert_uint_eq(vg_err_http_status(-99), 500);
}
END_TEST

START_TEST(a_failing_call_reads_as_one_statement)
{
	vg_err err;
	vg_err_clear(&err);
	ck_assert_int_eq(err.code, VG_OK);
	ck_assert_int_eq(vg_err_set(&err, VG_EINVAL, "champ « %s » invalide", "date"), VG_EINVAL);
	ck_assert_str_eq(err.msg, "champ « date » invalide");
	ck_assert_int_eq(vg_err_set(NULL, VG_EIO, "sans enregistrement"), VG_EIO);
}
END_TEST

Suite *vg_suite_error(void)
{
	Suite *s = suite_create("error");
	TCase *tc = tcase_create("table");
	tcase_add_test(tc, every_code_has_its_row);
	tcase_add_test(tc, a_failing_call_reads_as_one_statement);
	suite_add_tcase(s, tc);
	return s;
}
