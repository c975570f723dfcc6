/* The legal watch's list narrowed by repository, note, domaine, académie
 * and period of the changes. */
#include "fixtures.h"
#include "veille.h"

#include <string.h>

static json_t *review(void)
{
	json_error_t e;
	json_t *r = json_loads(
		"{\"notes\": ["
		"{\"repo\": \"lille\", \"path\": \"a.md\", \"domaine\": \"comptabilite\", \"academie\": \"lille\","
		" \"articles\": [{\"reference\": \"R421-58\", \"changes\": [{\"date\": \"2013-01-01\"}, {\"date\": \"2016-01-01\"}]}]},"
		"{\"repo\": \"commun\", \"path\": \"b.md\", \"domaine\": \"paye\", \"academie\": \"région\","
		" \"articles\": [{\"reference\": \"L421-11\", \"changes\": [{\"date\": \"2015-06-01\"}]}]}]}",
		0, &e);
	ck_assert_ptr_nonnull(r);
	return r;
}

/* The paths of the notes kept, and their changes' days, "a.md:2013-01-01,...;". */
static char *kept(json_t *all, const vg_veille_opts *o)
{
	json_t *r = vg_veille_filter(all, o);
	static char out[256];
	size_t i, j, k;
	json_t *n, *a, *c;
	out[0] = '\0';
	json_array_foreach(json_object_get(r, "notes"), i, n) {
		strcat(out, json_string_value(json_object_get(n, "path")));
		json_array_foreach(json_object_get(n, "articles"), j, a)
			json_array_foreach(json_object_get(a, "changes"), k, c) {
				strcat(out, k ? "," : ":");
				strcat(out, json_string_value(json_object_get(c, "date")));
			}
		strcat(out, ";");
	}
	json_decref(r);
	return out;
}

START_TEST(the_review_is_narrowed_without_changing_what_it_holds)
{
	json_t *all = review();
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
	json_decref(all);
}
END_TEST

Suite *vg_suite_veille(void)
{
	Suite *s = suite_create("veille");
	TCase *tc = tcase_create("filter");
	tcase_add_test(tc, the_review_is_narrowed_without_changing_what_it_holds);
	suite_add_tcase(s, tc);
	return s;
}
