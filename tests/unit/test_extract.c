/* Attachments: text, pages and metadata out of PDF, OpenDocument, Office
 * Open XML and HTML files the test makes itself, and the bad ones
 * (corrupt, encrypted, zip bomb, too big) refused without harm. */
#include "extract.h"
#include "fixtures.h"
#include "indexer.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

static char *work;

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	ck_assert_ptr_nonnull(f);
	vg_strbuf b = VG_STRBUF_INIT;
	vg_strbuf_add_stream(&b, f);
	fclose(f);
	*len = b.len;
	return vg_strbuf_detach(&b);
}

/* A three-page PDF with French text and metadata, made with cairo. */
static void make_pdf(const char *path)
{
	cairo_surface_t *s = cairo_pdf_surface_create(path, 595, 842);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, "Instruction codificatrice M9-6");
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_AUTHOR, "Direction générale des finances publiques");
	cairo_t *c = cairo_create(s);
	const char *pages[] = {"Première page : le budget de l'établissement.",
	                       "Deuxième page : le compte financier et l'agent comptable.",
	                       "Troisième page : la régie d'avances et le régisseur suppléant."};
	for (int i = 0; i < 3; i++) {
		cairo_set_font_size(c, 14);
		cairo_move_to(c, 50, 100);
		cairo_show_text(c, pages[i]);
		cairo_show_page(c);
	}
	cairo_destroy(c);
	cairo_surface_destroy(s);
}

/* A zip with the given parts (name, content; NULL-terminated pairs). */
static void make_zip(const char *path, const char *const *parts)
{
	int e;
	zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &e);
	ck_assert_ptr_nonnull(z);
	for (const char *const *p = parts; *p; p += 2) {
		zip_source_t *src = zip_source_buffer(z, p[1], strlen(p[1]), 0);
		ck_assert_int_ge(zip_file_add(z, p[0], src, ZIP_FL_ENC_UTF_8), 0);
	}
	ck_assert_int_eq(zip_close(z), 0);
}

static json_t *extract_file(const char *format, const char *path)
{
	size_t len;
	char *data = slurp(path, &len);
	json_t *out = NULL;
	vg_err err;
	int rc = vg_extract_here(format, data, len, &out, &err);
	ck_assert_msg(rc == 0, "%s: %s", path, err.msg);
	free(data);
	return out;
}

static void setup(void)
{
	work = fx_tmpdir();
}

static void teardown(void)
{
	fx_rmrf(work);
	free(work);
}

START_TEST(pdf_text_comes_page_by_page_with_its_metadata)
{
	char path[600];
	snprintf(path, sizeof(path), "%s/m96.pdf", work);
	make_pdf(path);
	json_t *o = extract_file("pdf", path);
	const char *text = json_string_value(json_object_get(o, "text"));
	json_t *pages = json_object_get(o, "pages");
	ck_assert_uint_eq(json_array_size(pages), 3);
	const char *third = text + json_integer_value(json_array_get(pages, 2));
	ck_assert_ptr_nonnull(strstr(third, "régisseur suppléant"));
	ck_assert_ptr_null(strstr(text + json_integer_value(json_array_get(pages, 1)), "Première"));
	ck_assert_str_eq(json_string_value(json_object_get(o, "title")), "Instruction codificatrice M9-6");
	ck_assert_str_eq(json_string_value(json_object_get(o, "author")), "Direction générale des finances publiques");
	json_decref(o);
}
END_TEST

START_TEST(opendocument_and_office_files_keep_reading_order_and_metadata)
{
	char odt[600], docx[600], xlsx[600];
	snprintf(odt, sizeof(odt), "%s/note.odt", work);
	snprintf(docx, sizeof(docx), "%s/note.docx", work);
	snprintf(xlsx, sizeof(xlsx), "%s/seuils.xlsx", work);
	const char *odt_parts[] = {
		"mimetype", "application/vnd.oasis.opendocument.text",
		"content.xml",
		"<?xml version=\"1.0\"?><office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "
		"xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\">"
		"<office:body><office:text><text:h>Procédure de régie</text:h><text:p>Le régisseur tient<text:note text:note-class=\"footnote\">"
		"<text:note-citation>1</text:note-citation><text:note-body><text:p>Article R. 421-60.</text:p></text:note-body>"
		"</text:note> la caisse.</text:p>"
		"<table:table><table:table-row><table:table-cell><text:p>Plafond</text:p></table:table-cell>"
		"<table:table-cell><text:p>2 000 €</text:p></table:table-cell></table:table-row></table:table>"
		"</office:text></office:body></office:document-content>",
		"meta.xml",
		"<?xml version=\"1.0\"?><office:document-meta xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "
		"xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:meta=\"urn:oasis:names:tc:opendocument:xmlns:meta:1.0\">"
		"<office:meta><dc:title>Régie de l'EPLE</dc:title><meta:initial-creator>Agence comptable</meta:initial-creator>"
		"<meta:creation-date>2024-05-02T10:00:00</meta:creation-date></office:meta></office:document-meta>",
		NULL};
	make_zip(odt, odt_parts);
	json_t *o = extract_file("odf", odt);
	const char *text = json_string_value(json_object_get(o, "text"));
	ck_assert_ptr_nonnull(strstr(text, "Procédure de régie\nLe régisseur tient la caisse.\n"));
	ck_assert_ptr_nonnull(strstr(text, "Plafond\n\t2 000 €"));
	/* The note follows the text, without its number. */
	ck_assert_msg(strstr(text, "2 000 €\n\t\nArticle R. 421-60.\n") != NULL, "%s", text);
	ck_assert_str_eq(json_string_value(json_object_get(o, "title")), "Régie de l'EPLE");
	ck_assert_str_eq(json_string_value(json_object_get(o, "author")), "Agence comptable");
	ck_assert_str_eq(json_string_value(json_object_get(o, "date")), "2024-05-02");
	json_decref(o);

	const char *docx_parts[] = {
		"word/document.xml",
		"<?xml version=\"1.0\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>"
		"<w:p><w:r><w:t>Décision budgétaire</w:t></w:r><w:r><w:t xml:space=\"preserve\"> modificative</w:t></w:r></w:p>"
		"<w:p><w:r><w:t>Vote du conseil d'administration.</w:t></w:r></w:p></w:body></w:document>",
		"word/footnotes.xml",
		"<?xml version=\"1.0\"?><w:footnotes xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
		"<w:footnote w:type=\"separator\" w:id=\"-1\"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>"
		"<w:footnote w:id=\"1\"><w:p><w:r><w:t>Article R. 421-60 du code de l'éducation.</w:t></w:r></w:p></w:footnote>"
		"</w:footnotes>",
		"docProps/core.xml",
		"<?xml version=\"1.0\"?><cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" "
		"xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\">"
		"<dc:title>Modèle de DBM</dc:title><dc:creator>Rectorat de Lille</dc:creator>"
		"<dcterms:created>2025-01-15T08:00:00Z</dcterms:created></cp:coreProperties>",
		NULL};
	make_zip(docx, docx_parts);
	o = extract_file("ooxml", docx);
	ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(o, "text")),
	                             "Décision budgétaire modificative\nVote du conseil d'administration.\n"));
	ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(o, "text")),
	                             "\nArticle R. 421-60 du code de l'éducation.\n"));
	ck_assert_str_eq(json_string_value(json_object_get(o, "title")), "Modèle de DBM");
	ck_assert_str_eq(json_string_value(json_object_get(o, "date")), "2025-01-15");
	json_decref(o);

	/* Cells read row by row: shared strings by index (phonetic runs left
	 * out), inline strings, numbers such as account codes; no formulas. */
	const char *xlsx_parts[] = {
		"xl/sharedStrings.xml",
		"<?xml version=\"1.0\"?><sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
		"<si><t>Seuil des marchés</t></si><si><r><t>40 000 € </t></r><r><t>HT</t></r><rPh><t>phon</t></rPh></si>"
		"<si/></sst>",
		"xl/worksheets/sheet2.xml",
		"<?xml version=\"1.0\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
		"<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c></row>"
		"<row r=\"2\"><c r=\"A2\"><v>6068</v></c><c r=\"B2\" t=\"inlineStr\"><is><t>Fournitures</t></is></c>"
		"<c r=\"C2\"><f>SUM(A2:A2)</f><v>6068</v></c><c r=\"D2\" t=\"s\"><v>99</v></c></row></sheetData></worksheet>",
		"xl/worksheets/sheet10.xml",
		"<?xml version=\"1.0\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
		"<row r=\"1\"><c r=\"A1\" t=\"str\"><f>A1</f><v>Deuxième feuille</v></c></row></sheetData></worksheet>",
		NULL};
	make_zip(xlsx, xlsx_parts);
	o = extract_file("ooxml", xlsx);
	const char *cells = json_string_value(json_object_get(o, "text"));
	ck_assert_msg(strstr(cells, "Seuil des marchés\t40 000 € HT\t\n6068\tFournitures\t6068\t\t\n") != NULL, "%s", cells);
	/* Sheets in their numbered order, gaps and all: 2 before 10. */
	ck_assert_ptr_nonnull(strstr(cells, "6068\t\t\n\nDeuxième feuille"));
	ck_assert_ptr_null(strstr(cells, "phon"));
	ck_assert_ptr_null(strstr(cells, "SUM"));
	json_decref(o);
	/* Without a readable sheet, the workbook's strings are still its text. */
	const char *strings_only[] = {xlsx_parts[0], xlsx_parts[1], NULL};
	make_zip(xlsx, strings_only);
	o = extract_file("ooxml", xlsx);
	ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(o, "text")), "Seuil des marchés\n40 000 € HT\n"));
	json_decref(o);
}
END_TEST

START_TEST(html_gives_visible_text_and_title)
{
	const char *html = "<html><head><title>Page du BO</title><style>p{}</style><script>var x = 'caché';</script></head>"
	                   "<body><h1>Note de service</h1><p>Les <b>EPLE</b> transmettent le compte financier.</p></body></html>";
	json_t *o = NULL;
	vg_err err;
	ck_assert_int_eq(vg_extract_here("html", html, strlen(html), &o, &err), 0);
	const char *text = json_string_value(json_object_get(o, "text"));
	ck_assert_ptr_nonnull(strstr(text, "Les EPLE transmettent le compte financier."));
	ck_assert_ptr_null(strstr(text, "caché"));
	ck_assert_ptr_null(strstr(text, "p{}"));
	ck_assert_str_eq(json_string_value(json_object_get(o, "title")), "Page du BO");
	json_decref(o);
}
END_TEST

START_TEST(bad_files_are_refused_with_a_reason)
{
	json_t *o = NULL;
	vg_err err;
	ck_assert_int_eq(vg_extract_here("pdf", "%PDF-1.4 garbage", 16, &o, &err), VG_EINVAL);
	ck_assert_ptr_nonnull(strstr(err.msg, "PDF illisible"));
	ck_assert_int_eq(vg_extract_here("ooxml", "PK\x03\x04 not a zip", 15, &o, &err), VG_EINVAL);

	char pdf[600], enc[600], bomb[600];
	snprintf(pdf, sizeof(pdf), "%s/clair.pdf", work);
	snprintf(enc, sizeof(enc), "%s/chiffre.pdf", work);
	make_pdf(pdf);
	ck_assert_int_eq(fx_sh("qpdf --encrypt utilisateur proprietaire 256 -- '%s' '%s'", pdf, enc), 0);
	size_t len;
	char *data = slurp(enc, &len);
	ck_assert_int_eq(vg_extract_here("pdf", data, len, &o, &err), VG_EINVAL);
	ck_assert_ptr_nonnull(strstr(err.msg, "PDF chiffré"));
	free(data);

	/* 50 MB of zeros compress to almost nothing: a zip bomb. */
	snprintf(bomb, sizeof(bomb), "%s/bombe.docx", work);
	size_t big = 50u * 1024 * 1024;
	char *zeros = calloc(1, big + 1);
	memset(zeros, ' ', big);
	const char *parts[] = {"word/document.xml", zeros, NULL};
	make_zip(bomb, parts);
	free(zeros);
	data = slurp(bomb, &len);
	ck_assert_uint_lt(len, 1024 * 1024);
	ck_assert_int_eq(vg_extract_here("ooxml", data, len, &o, &err), VG_EINVAL);
	ck_assert_ptr_nonnull(strstr(err.msg, "bombe"));
	free(data);

	/* Entities are never expanded: a billion laughs is a few words. */
	char laughs[600];
	snprintf(laughs, sizeof(laughs), "%s/rires.odt", work);
	const char *lol[] = {
		"content.xml",
		"<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY a \"hahahahahahahahahaha\">"
		"<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">"
		"<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\"><!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">"
		"<!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\"><!ENTITY g \"&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;\">]>"
		"<d><p>Début &g; fin</p></d>",
		NULL};
	make_zip(laughs, lol);
	data = slurp(laughs, &len);
	if (vg_extract_here("odf", data, len, &o, &err) == 0) {
		ck_assert_uint_lt(json_string_length(json_object_get(o, "text")), 1000);
		json_decref(o);
	}
	free(data);
}
END_TEST

START_TEST(the_extraction_process_has_limits)
{
	char pdf[600];
	snprintf(pdf, sizeof(pdf), "%s/m96.pdf", work);
	make_pdf(pdf);
	size_t len;
	char *data = slurp(pdf, &len);
	char *json = NULL;
	vg_err err;
	vg_extract_limits ok = VG_EXTRACT_DEFAULT_LIMITS;
	ck_assert_int_eq(vg_extract_run("pdf", data, len, &ok, &json, &err), 0);
	ck_assert_ptr_nonnull(strstr(json, "régisseur suppléant"));
	free(json);
#if !defined(__SANITIZE_ADDRESS__)
	/* 8 MB of address space is far too little for poppler: refused, no crash. */
	vg_extract_limits tiny = {8u * 1024 * 1024, 10};
	ck_assert_int_eq(vg_extract_run("pdf", data, len, &tiny, &json, &err), VG_EINVAL);
	ck_assert_ptr_nonnull(strstr(err.msg, "extraction"));
#endif
	free(data);
}
END_TEST

START_TEST(a_word_on_page_three_is_found_on_page_three)
{
	char repo[600], index[600];
	snprintf(repo, sizeof(repo), "%s/docs", work);
	snprintf(index, sizeof(index), "%s/index", work);
	fx_git_init(repo);
	fx_sh("mkdir -p '%s/comptabilite'", repo);
	char pdf[700];
	snprintf(pdf, sizeof(pdf), "%s/comptabilite/m96.pdf", repo);
	make_pdf(pdf);
	fx_write(repo, "comptabilite/m96.pdf.meta.yml",
	         "titre: Instruction M9-6, extrait\ndomaine: comptabilite\ntype: circulaire\nacademie: region\n");
	fx_commit(repo, "2025-02-01", "Instruction M9-6");
	fx_update(repo, index);
	json_t *r = fx_search(index, "régisseur suppléant", NULL);
	json_t *hit = json_array_get(json_object_get(r, "hits"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(hit, "path")), "comptabilite/m96.pdf");
	ck_assert_str_eq(json_string_value(json_object_get(hit, "title")), "Instruction M9-6, extrait");
	ck_assert_str_eq(json_string_value(json_object_get(hit, "format")), "pdf");
	ck_assert_int_eq(json_integer_value(json_object_get(hit, "page")), 3);
	json_decref(r);
	/* Only the sidecar changes: the PDF gets the new metadata, from the cache. */
	fx_write(repo, "comptabilite/m96.pdf.meta.yml",
	         "titre: Instruction M9-6, extrait revu\ndomaine: comptabilite\ntype: circulaire\nacademie: region\n");
	fx_commit(repo, "2025-03-01", "Titre revu");
	fx_update(repo, index);
	r = fx_search(index, "régisseur", NULL);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(r, "hits"), 0), "title")),
	                 "Instruction M9-6, extrait revu");
	json_decref(r);
	ck_assert_int_eq(fx_sh("ls '%s'/extracts/v*/*/*.json | wc -l | grep -qx 1", index), 0);
}
END_TEST

/* A symbolic link is not a file of the repository, even named .html and
 * with a sidecar: no version of it, when the sidecar changes or after it
 * is deleted. */
START_TEST(a_symbolic_link_with_a_sidecar_is_not_indexed)
{
	char repo[600], index[600];
	snprintf(repo, sizeof(repo), "%s/docs", work);
	snprintf(index, sizeof(index), "%s/index", work);
	fx_git_init(repo);
	ck_assert_int_eq(fx_sh("ln -s ailleurs.html '%s/lien.html'", repo), 0);
	fx_write(repo, "lien.html.meta.yml", "titre: Lien symbolique\n");
	fx_write(repo, "note.md", "# Note\n\nUne note symbolique.\n");
	fx_commit(repo, "2025-02-01", "Lien");
	fx_update(repo, index);
	fx_write(repo, "lien.html.meta.yml", "titre: Lien symbolique revu\n");
	fx_commit(repo, "2025-03-01", "Titre revu");
	fx_update(repo, index);
	ck_assert_int_eq(fx_sh("cd '%s' && git rm -q lien.html lien.html.meta.yml", repo), 0);
	fx_commit(repo, "2025-04-01", "Sans lien");
	fx_update(repo, index);
	const char *dates[] = {"2025-02-01", "2025-03-01", NULL};
	for (size_t i = 0; i < 3; i++) {
		json_t *r = fx_search(index, "symbolique", dates[i]);
		ck_assert(fx_has_hit(r, "note.md"));
		ck_assert_msg(!fx_has_hit(r, "lien.html"), "as of %s", dates[i] ? dates[i] : "now");
		json_decref(r);
	}
}
END_TEST

Suite *vg_suite_extract(void)
{
	Suite *s = suite_create("extract");
	TCase *tc = tcase_create("formats");
	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, pdf_text_comes_page_by_page_with_its_metadata);
	tcase_add_test(tc, opendocument_and_office_files_keep_reading_order_and_metadata);
	tcase_add_test(tc, html_gives_visible_text_and_title);
	tcase_add_test(tc, bad_files_are_refused_with_a_reason);
	tcase_add_test(tc, the_extraction_process_has_limits);
	tcase_add_test(tc, a_word_on_page_three_is_found_on_page_three);
	tcase_add_test(tc, a_symbolic_link_with_a_sidecar_is_not_indexed);
	suite_add_tcase(s, tc);
	return s;
}
