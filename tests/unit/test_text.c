/* French folding: the same at index and query time. */
#include "fixtures.h"
#include "lexicon.h"
#include "quantity.h"
#include "text.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

static void assert_fold(const char *in, unsigned flags, const char *want)
{
	char *got = vg_text_fold_str(in, flags);
	ck_assert_ptr_nonnull(got);
	ck_assert_str_eq(got, want);
	free(got);
}

START_TEST(fold_strips_case_and_accents)
{
	assert_fold("Établissements", 0, "etablissements");
	assert_fold("ÉCOLE élève Noël ça", 0, "ecole eleve noel ca");
	assert_fold("œuvre Œdipe cæcum", 0, "oeuvre oedipe caecum");
	assert_fold("Müller naïf", 0, "muller naif");
}
END_TEST

START_TEST(fold_splits_elisions_with_both_apostrophes)
{
	assert_fold("l'établissement", 0, "l etablissement");
	assert_fold("l’établissement", 0, "l etablissement");
	assert_fold("d'avances qu'il jusqu'au lorsqu'elle puisqu'on", 0,
	            "d avances qu il jusqu au lorsqu elle puisqu on");
	/* Not an elision: the apostrophe stays inside the word. */
	assert_fold("aujourd'hui", 0, "aujourd'hui");
}
END_TEST

START_TEST(fold_normalises_spaces_and_quotes)
{
	assert_fold("article\xc2\xa0R.\xe2\x80\xaf" "421", 0, "article r. 421");
	assert_fold("\xc2\xab" "régie\xc2\xbb", 0, "\"regie\"");
	assert_fold("a\tb\x01" "c", 0, "a b c");
}
END_TEST

START_TEST(fold_replaces_invalid_utf8_bytes)
{
	assert_fold("caf\xe9 ok", 0, "caf  ok");
}
END_TEST

START_TEST(fold_map_points_back_to_original)
{
	vg_folded f;
	const char *in = "L'Œuvre été";
	ck_assert_int_eq(vg_text_fold(in, strlen(in), VG_FOLD_MAP, &f), 0);
	ck_assert_str_eq(f.text, "l oeuvre ete");
	ck_assert_ptr_nonnull(f.orig);
	/* "oe" both come from the two bytes of Œ at offset 2. */
	ck_assert_uint_eq(f.orig[2], 2);
	ck_assert_uint_eq(f.orig[3], 2);
	ck_assert_uint_eq(f.orig[4], 4);
	ck_assert_uint_eq(f.orig[f.len], strlen(in));
	vg_folded_clear(&f);
	/* Runs of plain ASCII: each byte maps to itself, controls are spaces. */
	in = "Art.\t12\x7f" "Bis é X";
	ck_assert_int_eq(vg_text_fold(in, strlen(in), VG_FOLD_MAP, &f), 0);
	ck_assert_str_eq(f.text, "art. 12 bis e x");
	for (size_t i = 0; i < 12; i++)
		ck_assert_uint_eq(f.orig[i], i);
	ck_assert_uint_eq(f.orig[12], 12);
	ck_assert_uint_eq(f.orig[13], 14);
	ck_assert_uint_eq(f.orig[14], 15);
	ck_assert_uint_eq(f.orig[f.len], strlen(in));
	vg_folded_clear(&f);
}
END_TEST

START_TEST(query_fold_keeps_operators_and_maps_french_ones)
{
	assert_fold("Régie AND Avances", VG_FOLD_QUERY, "regie AND avances");
	assert_fold("régie OU recettes SAUF DBM", VG_FOLD_QUERY, "regie OR recettes NOT dbm");
	assert_fold("Budget de l'EPLE ET DBM", VG_FOLD_QUERY, "budget de l eple AND dbm");
	/* All in capitals, a query has no operator: a title pasted, caps lock. */
	assert_fold("EPLE ET DBM", VG_FOLD_QUERY, "eple et dbm");
	/* Lower-case operators are ordinary words. */
	assert_fold("et ou", VG_FOLD_QUERY, "et ou");
}
END_TEST

START_TEST(cp1252_files_are_decoded)
{
	char *out = NULL;
	size_t len = 0;
	int recoded = 0;
	ck_assert_int_eq(vg_text_to_utf8("r\xe9gie \x80", 7, &out, &len, &recoded), 0);
	ck_assert_int_eq(recoded, 1);
	ck_assert_str_eq(out, "régie €");
	free(out);
	ck_assert_int_eq(vg_text_to_utf8("régie", strlen("régie"), &out, &len, &recoded), 0);
	ck_assert_int_eq(recoded, 0);
	ck_assert_str_eq(out, "régie");
	free(out);
}
END_TEST

START_TEST(binary_detection_and_utf8_validation)
{
	ck_assert(vg_text_is_binary("ab\0cd", 5));
	ck_assert(!vg_text_is_binary("abcd", 4));
	ck_assert(vg_utf8_valid("été", strlen("été")));
	ck_assert(!vg_utf8_valid("\xc3\x28", 2));
	ck_assert(vg_text_is_stopword("de"));
	ck_assert(!vg_text_is_stopword("regie"));
}
END_TEST

START_TEST(sizes_and_white_space_are_read_in_one_place)
{
	unsigned long long n;
	ck_assert_int_eq(vg_text_parse_size("10", 100, &n), 0);
	ck_assert_uint_eq(n, 10);
	ck_assert_int_eq(vg_text_parse_size("64K", 1 << 20, &n), 0);
	ck_assert_uint_eq(n, 64 * 1024);
	ck_assert_int_eq(vg_text_parse_size("2G", 1ULL << 40, &n), 0);
	ck_assert_uint_eq(n, 2ULL << 30);
	const char *bad[] = {"", "k", "-1", " 5", "5 ", "5x", "65535k", "99999999999999999999999"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(vg_text_parse_size(bad[i], 65535, &n) == VG_EINVAL, "%s", bad[i]);
	char s[] = " \t valeur # x \r\n";
	ck_assert_str_eq(vg_text_trim(s), "valeur # x");
}
END_TEST

START_TEST(quantities_stated_and_asked_are_recognised)
{
	const char *t = "entre six ans et seize ans";
	ck_assert_uint_eq(vg_quantity_stated(t, strlen(t)), VG_QTY_DURATION | VG_QTY_YEARS);
	t = "une majoration de 10 % ou de dix pour cent";
	ck_assert_uint_eq(vg_quantity_stated(t, strlen(t)), VG_QTY_RATE);
	t = "dans un delai de deux mois, pour 1 500 euros, au moins cinquante salaries";
	ck_assert_uint_eq(vg_quantity_stated(t, strlen(t)), VG_QTY_DURATION | VG_QTY_AMOUNT | VG_QTY_HEADCOUNT);
	/* A number alone, or a word that is not a unit, states nothing. */
	t = "l article 12 des annees passees, trois membres, le 1er janvier";
	ck_assert_uint_eq(vg_quantity_stated(t, strlen(t)), 0);
	ck_assert_uint_eq(vg_quantity_named("age"), VG_QTY_YEARS);
	ck_assert_uint_eq(vg_quantity_named("delai"), VG_QTY_DURATION);
	ck_assert_uint_eq(vg_quantity_named("budget"), 0);
	ck_assert_uint_eq(vg_quantity_asked("combien d heures par jour"), VG_QTY_DURATION);
	ck_assert_uint_eq(vg_quantity_asked("a partir de combien de salaries"), VG_QTY_HEADCOUNT);
	ck_assert_uint_eq(vg_quantity_asked("jusqu a quel age"), VG_QTY_YEARS);
	ck_assert_uint_eq(vg_quantity_asked("quel taux"), VG_QTY_RATE);
	ck_assert_uint_eq(vg_quantity_asked("qui nomme l agent comptable"), 0);
	for (unsigned kind = 1; kind < 1u << VG_QTY_KINDS; kind <<= 1)
		ck_assert_ptr_nonnull(vg_quantity_term(kind));
	ck_assert_ptr_null(vg_quantity_term(VG_QTY_DURATION | VG_QTY_RATE));
}
END_TEST

START_TEST(the_thesaurus_gives_one_word_synonyms_folded)
{
	vg_lexicon *l = NULL;
	vg_err err;
	ck_assert_int_eq(vg_lexicon_new(&l, NULL, NULL, &err), 0);
	vg_strlist syn = {NULL, 0};
	ck_assert_int_eq(vg_lexicon_synonyms(l, "patron", &syn), 0);
	int employeur = 0, maitre = 0;
	for (size_t i = 0; i < syn.count; i++) {
		employeur |= strcmp(syn.items[i], "employeur") == 0;
		maitre |= strcmp(syn.items[i], "maitre") == 0; /* "maître", folded */
		ck_assert_msg(!strchr(syn.items[i], ' ') && !strchr(syn.items[i], '-') && strcmp(syn.items[i], "patron") != 0,
		              "%s", syn.items[i]);
	}
	ck_assert(employeur && maitre);
	vg_strlist_clear(&syn);
	/* The other way, and a word it does not know. */
	ck_assert_int_eq(vg_lexicon_synonyms(l, "employeur", &syn), 0);
	int patron = 0;
	for (size_t i = 0; i < syn.count; i++)
		patron |= strcmp(syn.items[i], "patron") == 0;
	ck_assert(patron);
	vg_strlist_clear(&syn);
	ck_assert_int_eq(vg_lexicon_synonyms(l, "zzqxw", &syn), 0);
	ck_assert_uint_eq(syn.count, 0);
	vg_lexicon_free(l);
}
END_TEST

static void assert_spelt(const char *typed, const char *want)
{
	char *got = vg_text_spell_out(typed);
	ck_assert_ptr_nonnull(got);
	ck_assert_msg(strcmp(got, want) == 0, "%s: %s", typed, got);
	free(got);
}

START_TEST(shorthand_is_written_out_as_the_documents_write_it)
{
	assert_spelt("C.D.D. de remplacement", "CDD de remplacement");
	assert_spelt("élus au C.H.S.C.T", "élus au CHSCT");
	assert_spelt("les 35h", "les 35 heures");
	assert_spelt("travail de nuit 21h 6h", "travail de nuit 21 heures 6 heures");
	assert_spelt("pause à 8h30", "pause à 8 heures 30");
	assert_spelt("48 h maximum", "48 heures maximum");
	assert_spelt("24h/24", "24 heures/24");
	/* Neither a reference, a page, a name nor a word with digits. */
	static const char *const unchanged[] = {"art. R.421-58", "p. 12", "M. Dupont", "C.D.Dupont", "L3121h",
	                                        "35hab", "h2o", "R. 1234-9", "3 heures"};
	for (size_t i = 0; i < sizeof(unchanged) / sizeof(unchanged[0]); i++)
		assert_spelt(unchanged[i], unchanged[i]);
	ck_assert_uint_eq(vg_utf8_length("régie"), 5);
}
END_TEST

/* Whether words[0..n) holds want. */
static int has_word(char words[][VG_WORD_MAX], size_t n, const char *want)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(words[i], want) == 0)
			return 1;
	return 0;
}

START_TEST(derivations_pair_nouns_and_their_verbs_both_ways)
{
	static const char *const pairs[][2] = {
	    {"modification", "modifier"},  {"composition", "composer"}, {"admission", "admettre"},
	    {"perception", "percevoir"},     {"reduction", "reduire"},    {"attribution", "attribuer"},
	    {"ordonnateur", "ordonner"},   {"signature", "signer"},     {"surveillance", "surveiller"},
	    {"definition", "definir"},     {"employeur", "employer"},   {"etablissement", "etablir"},
	};
	char out[16][VG_WORD_MAX];
	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		size_t n = vg_text_derivations(pairs[i][0], out, 16);
		ck_assert_msg(has_word(out, n, pairs[i][1]), "%s -> %s", pairs[i][0], pairs[i][1]);
		n = vg_text_derivations(pairs[i][1], out, 16);
		ck_assert_msg(has_word(out, n, pairs[i][0]), "%s -> %s", pairs[i][1], pairs[i][0]);
	}
	/* Too short a stem gives nothing: "nature" is not "ner". */
	ck_assert_uint_eq(vg_text_derivations("nature", out, 16), 0);
	ck_assert_uint_le(vg_text_derivations("administrer", out, 2), 2);
}
END_TEST

Suite *vg_suite_text(void)
{
	Suite *s = suite_create("text");
	TCase *tc = tcase_create("fold");
	tcase_add_test(tc, fold_strips_case_and_accents);
	tcase_add_test(tc, the_thesaurus_gives_one_word_synonyms_folded);
	tcase_add_test(tc, derivations_pair_nouns_and_their_verbs_both_ways);
	tcase_add_test(tc, shorthand_is_written_out_as_the_documents_write_it);
	tcase_add_test(tc, fold_splits_elisions_with_both_apostrophes);
	tcase_add_test(tc, fold_normalises_spaces_and_quotes);
	tcase_add_test(tc, fold_replaces_invalid_utf8_bytes);
	tcase_add_test(tc, fold_map_points_back_to_original);
	tcase_add_test(tc, query_fold_keeps_operators_and_maps_french_ones);
	tcase_add_test(tc, cp1252_files_are_decoded);
	tcase_add_test(tc, binary_detection_and_utf8_validation);
	tcase_add_test(tc, sizes_and_white_space_are_read_in_one_place);
	tcase_add_test(tc, quantities_stated_and_asked_are_recognised);
	suite_add_tcase(s, tc);
	return s;
}
