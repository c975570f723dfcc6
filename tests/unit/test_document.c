/* Documents: front matter, Markdown body, fallbacks and problems. */
#include "document.h"
#include "fixtures.h"
#include "text.h"

#include <stdlib.h>
#include <string.h>

static vg_doc *parse(const char *path, const char *text)
{
	vg_doc *d = NULL;
	vg_err err;
	vg_doc_context ctx;
	memset(&ctx, 0, sizeof(ctx));
	ctx.commit_date = "2014-03-01";
	int rc = vg_doc_parse(&d, path, text, strlen(text), &ctx, &err);
	ck_assert_msg(rc == 0, "parse %s: %s", path, err.msg);
	return d;
}

START_TEST(front_matter_fields_are_read)
{
	vg_doc *d = parse("comptabilite/regies/note.md",
	                  "---\ntitre: Régie d'avances\ndate: 2024-03-01\ndomaine: Comptabilité\n"
	                  "type: procedure\nacadémie: Lille\nauteur: [Jeanne, Paul]\n"
	                  "references: [\"R. 421-58\", art. L214-6]\nmots-clés: régie, avances\n"
	                  "statut: publié\n---\n# Autre titre\n\nCorps du texte.\n");
	ck_assert_str_eq(d->title, "Régie d'avances");
	ck_assert_str_eq(d->date, "2024-03-01");
	ck_assert_str_eq(d->domaine, "comptabilite");
	ck_assert_str_eq(d->academie, "lille");
	ck_assert_str_eq(d->auteur, "Jeanne, Paul");
	ck_assert_str_eq(d->statut, "publie");
	ck_assert_uint_eq(d->references.count, 2);
	ck_assert_str_eq(d->references.items[0], "R421-58");
	ck_assert_str_eq(d->references.items[1], "L214-6");
	ck_assert_uint_eq(d->mots_cles.count, 2);
	ck_assert_str_eq(d->mots_cles.items[1], "avances");
	ck_assert_int_eq(d->has_front_matter, 1);
	ck_assert_uint_eq(d->problems.count, 0);
	ck_assert_ptr_nonnull(strstr(d->body, "Corps du texte."));
	ck_assert_ptr_null(strstr(d->body, "titre:"));
	vg_doc_free(d);
}
END_TEST

START_TEST(fallbacks_come_from_heading_folder_and_commit)
{
	vg_doc *d = parse("paye/indemnites.md", "Intro.\n\n## Les **indemnités** de *régie*\n\nTexte.\n");
	ck_assert_str_eq(d->title, "Les indemnités de régie");
	ck_assert_str_eq(d->domaine, "paye");
	ck_assert_str_eq(d->date, "2014-03-01");
	vg_doc_free(d);
	d = parse("sans-titre.md", "Juste du texte.\n");
	ck_assert_str_eq(d->title, "sans-titre");
	ck_assert_ptr_null(d->domaine);
	vg_doc_free(d);
}
END_TEST

START_TEST(markdown_body_comes_from_the_syntax_tree)
{
	vg_doc *d = parse("a.md", "# Titre\n\n| seuil | montant |\n|---|---|\n| marché | 40 000 € |\n\n"
	                          "- [x] tâche faite\n\n<script>alert(1)</script>\n\n`code` et [lien](http://x.fr)\n");
	ck_assert_ptr_nonnull(strstr(d->body, "marché"));
	ck_assert_ptr_nonnull(strstr(d->body, "40 000 €"));
	ck_assert_ptr_nonnull(strstr(d->body, "tâche faite"));
	ck_assert_ptr_nonnull(strstr(d->body, "lien"));
	ck_assert_ptr_null(strstr(d->body, "http://x.fr"));
	ck_assert_ptr_null(strstr(d->body, "|"));
	ck_assert_ptr_null(strstr(d->body, "<script>"));
	vg_doc_free(d);
}
END_TEST

START_TEST(the_text_of_html_blocks_is_the_documents_text)
{
	/* As the legal codes write some articles. */
	vg_doc *d = parse("article-l1471-1.md",
	                  "# Article L1471-1\n\n<div align=\"left\">Toute action portant sur la rupture du "
	                  "contrat de travail se prescrit par deux ans.<br/><br/>Le premier alin&eacute;a "
	                  "n'est pas applicable.</div>\n\nSuite en Markdown, ligne<br>coupée.\n");
	ck_assert_msg(strstr(d->body, "se prescrit par deux ans.") != NULL, "%s", d->body);
	ck_assert_msg(strstr(d->body, "Le premier alinéa n'est pas applicable.") != NULL, "%s", d->body);
	ck_assert_ptr_null(strstr(d->body, "ans.Le"));
	ck_assert_ptr_null(strstr(d->body, "<"));
	ck_assert_ptr_nonnull(strstr(d->body, "ligne coupée"));
	ck_assert_str_eq(d->title, "Article L1471-1");
	vg_doc_free(d);
}
END_TEST

START_TEST(broken_front_matter_is_reported_and_body_indexed)
{
	vg_doc *d = parse("veille/casse.md", "---\ntitre: [non fermé\ndate: 2013-07-01\n---\n# Note\n\nTexte utile.\n");
	ck_assert_uint_eq(d->problems.count, 1);
	ck_assert_ptr_nonnull(strstr(d->problems.items[0], "veille/casse.md"));
	ck_assert_ptr_nonnull(strstr(d->problems.items[0], "en-tête YAML invalide"));
	ck_assert_str_eq(d->title, "Note");
	ck_assert_ptr_nonnull(strstr(d->body, "Texte utile."));
	vg_doc_free(d);
	d = parse("veille/ouvert.md", "---\ntitre: X\n\nTexte sans fin d'en-tête.\n");
	ck_assert_uint_eq(d->problems.count, 1);
	ck_assert_ptr_nonnull(strstr(d->problems.items[0], "non refermé"));
	vg_doc_free(d);
}
END_TEST

START_TEST(bad_field_values_are_reported_by_field)
{
	vg_doc *d = parse("n.md", "---\ndate: 2023-02-30\nreferences: [pas une référence]\n---\nTexte.\n");
	ck_assert_uint_eq(d->problems.count, 2);
	ck_assert_ptr_nonnull(strstr(d->problems.items[0], "« references »"));
	ck_assert_ptr_nonnull(strstr(d->problems.items[1], "« date »"));
	ck_assert_str_eq(d->date, "2014-03-01");
	vg_doc_free(d);
}
END_TEST

START_TEST(references_in_the_text_are_collected)
{
	vg_doc *d = parse("code/article-r421-57.md",
	                  "# Article R421-57\n\nSous réserve des articles R. 421-58 à R. 421-78 et du "
	                  "décret n° 2012-1246.\n");
	ck_assert_str_eq(d->is_ref, "R421-57");
	/* The range gives every article it spans. */
	ck_assert_uint_eq(d->references.count, 22);
	ck_assert_str_eq(d->references.items[0], "R421-58");
	ck_assert_str_eq(d->references.items[1], "R421-59");
	ck_assert_str_eq(d->references.items[20], "R421-78");
	ck_assert_str_eq(d->references.items[21], "decret-2012-1246");
	vg_doc_free(d);
}
END_TEST

START_TEST(plain_text_and_legacy_encoding)
{
	vg_doc *d = parse("paye/p.txt", "\n  Procédure de paye  \nLigne deux.\n");
	ck_assert_str_eq(d->title, "Procédure de paye");
	ck_assert_str_eq(d->format, "texte");
	vg_doc_free(d);
	d = parse("x.md", "# Coll\xe8ge\n\nr\xe9gie\n");
	ck_assert_str_eq(d->title, "Collège");
	ck_assert_uint_eq(d->problems.count, 1);
	ck_assert_ptr_nonnull(strstr(d->problems.items[0], "Windows-1252"));
	vg_doc_free(d);
}
END_TEST

START_TEST(binary_and_unknown_formats_are_refused)
{
	vg_doc *d = NULL;
	vg_err err;
	ck_assert_int_eq(vg_doc_parse(&d, "a.md", "ab\0cd", 5, NULL, &err), VG_EINVAL);
	ck_assert_ptr_nonnull(strstr(err.msg, "binaire"));
	ck_assert_int_eq(vg_doc_parse(&d, "image.png", "x", 1, NULL, &err), VG_EINVAL);
	ck_assert_ptr_null(vg_doc_extractor_for("README"));
	ck_assert_str_eq(vg_doc_extractor_for("a/B.MD")->name, "markdown");
	ck_assert(vg_doc_date_valid("2024-02-29"));
	ck_assert(!vg_doc_date_valid("2023-02-29"));
	ck_assert(!vg_doc_date_valid("2023-1-1"));
}
END_TEST


/* Notes mangled a few thousand ways (reproducibly): each one is parsed or
 * refused as binary, never crashes, and what is kept is valid UTF-8 with a
 * valid date. The ASan build runs this too. */
static unsigned mangle_seed = 2026;
static unsigned mangle_rand(unsigned n)
{
	mangle_seed ^= mangle_seed << 13;
	mangle_seed ^= mangle_seed >> 17;
	mangle_seed ^= mangle_seed << 5;
	return mangle_seed % n;
}

static void assert_kept_text(const char *s)
{
	if (s)
		ck_assert_msg(vg_utf8_valid(s, strlen(s)), "invalid UTF-8 kept: %s", s);
}

/* Access is per repository: a per-file restriction is refused, however
 * it is written, even in a front matter that does not parse. */
START_TEST(a_visibility_field_is_refused_however_written)
{
	static const char *const notes[] = {
		"---\ntitre: Note\nvisibilite: lille\n---\nTexte.\n",
		"---\ntitre: Note\n\"visibilité\": lille\n---\nTexte.\n",
		"---\n{titre: Note, visibilite: lille}\n---\nTexte.\n",
		"---\ntitre: Tarif : confidentiel\nvisibilite: amiens\n---\nTexte.\n",
	};
	for (size_t i = 0; i < sizeof(notes) / sizeof(notes[0]); i++) {
		vg_doc *d = parse("veille/note.md", notes[i]);
		int named = 0;
		for (size_t k = 0; k < d->problems.count; k++)
			named |= strstr(d->problems.items[k], "veille/note.md : champ « visibilite » retiré") != NULL;
		ck_assert_msg(named, "note %zu accepted", i);
		vg_doc_free(d);
	}
	vg_doc *d = parse("veille/note.md", "---\ntitre: Visibilité du budget\n---\nTexte.\n");
	ck_assert_uint_eq(d->problems.count, 0);
	vg_doc_free(d);
}
END_TEST

START_TEST(mangled_notes_never_crash)
{
	static const char base[] =
		"---\ntitre: Régie d'avances\ndate: 2024-03-01\ndomaine: comptabilite\n"
		"références: [\"R. 421-58\", décret n° 2012-1246]\nmots-clés: [régie, avances]\n"
		"remplace: ancienne.md\n---\n# Titre\n\nL'article R. 421-58 et l’EPLE.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n";
	static const char *const pieces[] = {"---\n", ":", "[", "]", "{", "}", "&a ", "*a", "!!binary ", "\xff",
	                                     "\xc3", "\xe2\x80", "\"", "'", "\n", "\t", "- ", "? ", "|", "<", "é",
	                                     "\r\n", "%YAML 1.1\n", "R. ", "n° ", "# ", "```\n"};
	char buf[sizeof(base) + 64];
	int parsed = 0, with_problems = 0;
	for (int round = 0; round < 3000; round++) {
		size_t len = sizeof(base) - 1;
		memcpy(buf, base, len);
		for (unsigned k = 1 + mangle_rand(6); k > 0; k--) {
			size_t at = mangle_rand((unsigned)len);
			if (mangle_rand(2)) {
				buf[at] = (char)(1 + mangle_rand(255));
			} else {
				const char *p = pieces[mangle_rand(sizeof(pieces) / sizeof(pieces[0]))];
				size_t n = strlen(p);
				if (len + n >= sizeof(buf))
					continue;
				memmove(buf + at + n, buf + at, len - at);
				memcpy(buf + at, p, n);
				len += n;
			}
		}
		vg_doc *d = NULL;
		vg_err err;
		vg_doc_context ctx;
		memset(&ctx, 0, sizeof(ctx));
		ctx.commit_date = "2014-03-01";
		int rc = vg_doc_parse(&d, round % 2 ? "veille/note.md" : "veille/note.txt", buf, len, &ctx, &err);
		ck_assert_msg(rc == 0 || rc == VG_EINVAL, "round %d: %s", round, err.msg);
		if (rc == 0) {
			ck_assert_ptr_nonnull(d->body);
			ck_assert_ptr_nonnull(d->title);
			assert_kept_text(d->title);
			assert_kept_text(d->body);
			assert_kept_text(d->auteur);
			ck_assert_msg(d->date && vg_doc_date_valid(d->date), "round %d: date %s", round, d->date);
			parsed++;
			with_problems += d->problems.count > 0;
			vg_doc_free(d);
		}
		d = NULL;
		rc = vg_doc_parse_sidecar(&d, "a.pdf.meta.yml", buf + 4, len - 4, &err);
		ck_assert_msg(rc == 0 || rc == VG_EINVAL, "round %d (sidecar): %s", round, err.msg);
		vg_doc_free(d);
	}
	/* The mangling reaches both the happy path and the problem reports. */
	ck_assert_int_gt(parsed, 1000);
	ck_assert_int_gt(with_problems, 300);
}
END_TEST

/* formats.def drives every layer: each row has its extractor, an
 * attachment its vigie-extract family, and a download its media type. */
START_TEST(every_format_of_the_table_is_read_and_served)
{
	const char *paths[] = {"a.md", "a.markdown", "a.txt", "a.pdf", "a.odt", "a.ods", "a.odp", "a.docx", "a.xlsx",
	                       "a.pptx", "a.html", "b/A.HTM"};
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		const vg_format *f = vg_format_of(paths[i]);
		const vg_extractor *ex = vg_doc_extractor_for(paths[i]);
		ck_assert_msg(f && ex, "%s", paths[i]);
		ck_assert_str_eq(ex->name, f->extractor);
		ck_assert_msg((f->family != NULL) == (ex->attachment != 0), "%s", paths[i]);
		ck_assert_ptr_nonnull(f->media_type);
	}
	ck_assert_ptr_null(vg_format_of("image.png"));
	ck_assert_ptr_null(vg_format_of(".md"));
	ck_assert_ptr_null(vg_doc_extractor_for("README"));
}
END_TEST

Suite *vg_suite_document(void)
{
	Suite *s = suite_create("document");
	TCase *tc = tcase_create("parse");
	tcase_add_test(tc, front_matter_fields_are_read);
	tcase_add_test(tc, fallbacks_come_from_heading_folder_and_commit);
	tcase_add_test(tc, markdown_body_comes_from_the_syntax_tree);
	tcase_add_test(tc, the_text_of_html_blocks_is_the_documents_text);
	tcase_add_test(tc, broken_front_matter_is_reported_and_body_indexed);
	tcase_add_test(tc, bad_field_values_are_reported_by_field);
	tcase_add_test(tc, references_in_the_text_are_collected);
	tcase_add_test(tc, plain_text_and_legacy_encoding);
	tcase_add_test(tc, binary_and_unknown_formats_are_refused);
	tcase_add_test(tc, a_visibility_field_is_refused_however_written);
	tcase_add_test(tc, mangled_notes_never_crash);
	tcase_add_test(tc, every_format_of_the_table_is_read_and_served);
	suite_add_tcase(s, tc);
	return s;
}
