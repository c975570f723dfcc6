/* The repository schema: required fields and allowed values, for notes and
 * for the sidecars of attachments. */
#include "fixtures.h"
#include "notecheck.h"
#include "schema.h"

#include <stdlib.h>
#include <string.h>

static const char *schema_text = "requis: [titre, date, domaine]\n"
                                 "valeurs:\n  domaine: [comptabilite, paye]\n  academie: [lille, amiens, region]\n";

static vg_strlist check(const char *files_and_contents[])
{
	char *dir = fx_tmpdir();
	fx_write(dir, ".vigie/schema.yml", schema_text);
	const char *names[16];
	size_t n = 0;
	for (const char **f = files_and_contents; *f; f += 2) {
		fx_write(dir, f[0], f[1]);
		names[n++] = f[0];
	}
	vg_strlist problems = {NULL, 0};
	vg_err err;
	ck_assert_int_eq(vg_check_files(dir, names, n, &problems, &err), 0);
	fx_rmrf(dir);
	free(dir);
	return problems;
}

START_TEST(a_good_note_passes)
{
	const char *files[] = {"comptabilite/ok.md", "---\ntitre: Bon\ndate: 2024-01-01\ndomaine: Comptabilité\n---\nTexte.\n",
	                       "README.md", "# Pas une note\n", NULL};
	vg_strlist p = check(files);
	ck_assert_uint_eq(p.count, 0);
	vg_strlist_clear(&p);
}
END_TEST

START_TEST(each_problem_names_file_and_field)
{
	const char *files[] = {"paye/a.md", "---\ntitre: A\ndomaine: compta\nacademie: paris\n---\nTexte.\n",
	                       "paye/b.md", "Pas d'en-tête.\n",
	                       "paye/c.md", "---\ntitre: C\ndate: 2024-13-01\ndomaine: paye\n---\n",
	                       NULL};
	vg_strlist p = check(files);
	const char *want[] = {"paye/a.md : champ « date » manquant",
	                      "paye/a.md : champ « domaine » : « compta » n'est pas une valeur autorisée (comptabilite, paye)",
	                      "paye/a.md : champ « academie » : « paris » n'est pas une valeur autorisée (lille, amiens, region)",
	                      "paye/b.md : en-tête YAML absent (champs requis : titre, date, domaine)",
	                      "paye/c.md : champ « date » : « 2024-13-01 » n'est pas une date AAAA-MM-JJ valide"};
	ck_assert_uint_eq(p.count, 5);
	for (size_t i = 0; i < 5; i++) {
		int found = 0;
		for (size_t k = 0; k < p.count; k++)
			found |= strcmp(p.items[k], want[i]) == 0;
		ck_assert_msg(found, "missing: %s", want[i]);
	}
	vg_strlist_clear(&p);
}
END_TEST

START_TEST(sidecars_of_attachments_are_checked_too)
{
	const char *files[] = {"comptabilite/m96.pdf.meta.yml", "titre: M9-6\ndomaine: autre\n", NULL};
	vg_strlist p = check(files);
	ck_assert_uint_eq(p.count, 2);
	ck_assert_str_eq(p.items[0], "comptabilite/m96.pdf.meta.yml : champ « date » manquant");
	vg_strlist_clear(&p);
}
END_TEST

/* The labels readers see of facet values, keyed by the folded value. */
START_TEST(labels_of_values_are_read_with_their_accents)
{
	static const char yaml[] = "valeurs:\n  domaine: [comptabilite]\nlibelles:\n  Domaine:\n    Comptabilité: Comptabilité\n"
	                           "    paye: Paye du personnel\n";
	vg_schema *s = NULL;
	vg_err err;
	ck_assert_int_eq(vg_schema_parse(yaml, sizeof(yaml) - 1, &s, &err), 0);
	json_t *d = json_object_get(vg_schema_labels(s), "domaine");
	ck_assert_str_eq(json_string_value(json_object_get(d, "comptabilite")), "Comptabilité");
	ck_assert_str_eq(json_string_value(json_object_get(d, "paye")), "Paye du personnel");
	vg_schema_free(s);
	static const char bad[] = "libelles:\n  domaine: [comptabilite]\n";
	ck_assert_int_eq(vg_schema_parse(bad, sizeof(bad) - 1, &s, &err), VG_EINVAL);
	ck_assert_ptr_nonnull(strstr(err.msg, "« libelles » de « domaine »"));
}
END_TEST

START_TEST(a_broken_schema_is_reported_with_its_line)
{
	vg_schema *s = NULL;
	vg_err err;
	const char *bad = "requis: [titre\nvaleurs: x\n";
	ck_assert_int_eq(vg_schema_parse(bad, strlen(bad), &s, &err), VG_EINVAL);
	ck_assert_ptr_nonnull(strstr(err.msg, ".vigie/schema.yml"));
	ck_assert_int_eq(vg_schema_parse(schema_text, strlen(schema_text), &s, &err), 0);
	ck_assert(vg_schema_applies(s, "paye/note.md"));
	ck_assert(!vg_schema_applies(s, "paye/README.md"));
	ck_assert(!vg_schema_applies(s, ".vigie/notes.md"));
	ck_assert(!vg_schema_applies(s, "paye/tableau.pdf"));
	vg_schema_free(s);
}
END_TEST

Suite *vg_suite_schema(void)
{
	Suite *s = suite_create("schema");
	TCase *tc = tcase_create("check");
	tcase_add_test(tc, a_good_note_passes);
	tcase_add_test(tc, each_problem_names_file_and_field);
	tcase_add_test(tc, sidecars_of_attachments_are_checked_too);
	tcase_add_test(tc, a_broken_schema_is_reported_with_its_line);
	tcase_add_test(tc, labels_of_values_are_read_with_their_accents);
	suite_add_tcase(s, tc);
	return s;
}
