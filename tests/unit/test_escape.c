/* Escaping for HTML, XML, URLs and log lines, done in one place. */
#include "escape.h"
#include "fixtures.h"

#include <stdlib.h>
#include <string.h>

static char *escaped(int (*fn)(vg_strbuf *, const char *), const char *s)
{
	vg_strbuf b = VG_STRBUF_INIT;
	ck_assert_int_eq(fn(&b, s), 0);
	vg_strbuf_puts(&b, "");
	return vg_strbuf_detach(&b);
}

START_TEST(xml_has_no_control_characters)
{
	char *x = escaped(vg_escape_xml, "R\xc3\xa9gie <a>\x0c & \"b\"\n");
	ck_assert_str_eq(x, "R\xc3\xa9gie &lt;a&gt;  &amp; &quot;b&quot;\n");
	free(x);
}
END_TEST

START_TEST(urls_keep_only_unreserved_characters)
{
	char *u = escaped(vg_escape_url, "régie d'avances/R.421-58 ~a&b=c");
	ck_assert_str_eq(u, "r%C3%A9gie%20d%27avances%2FR.421-58%20~a%26b%3Dc");
	free(u);
}
END_TEST

START_TEST(log_fields_cannot_split_a_line)
{
	char *l = escaped(vg_escape_log, "/api/doc\n2030 faux\\x\x7f");
	ck_assert_str_eq(l, "/api/doc\\x0a2030\\x20faux\\x5cx\\x7f");
	ck_assert_ptr_null(strchr(l, '\n'));
	free(l);
}
END_TEST

Suite *vg_suite_escape(void)
{
	Suite *s = suite_create("escape");
	TCase *tc = tcase_create("encoders");
	tcase_add_test(tc, xml_has_no_control_characters);
	tcase_add_test(tc, urls_keep_only_unreserved_characters);
	tcase_add_test(tc, log_fields_cannot_split_a_line);
	suite_add_tcase(s, tc);
	return s;
}
