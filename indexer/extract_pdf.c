/* PDF text with poppler's GLib API, page by page, and the document's own
 * title, author and creation date. */
#include "extract_formats.h"
#include "strbuf.h"

#include <poppler.h>
#include <string.h>
#include <time.h>

static json_t *text_or_null(gchar *s)
{
	json_t *j = s && *s ? json_string(s) : json_null();
	g_free(s);
	return j ? j : json_null();
}

int vg_extract_pdf(const char *data, size_t len, json_t **out, vg_err *err)
{
	GError *gerr = NULL;
	GBytes *bytes = g_bytes_new_static(data, len);
	PopplerDocument *doc = poppler_document_new_from_bytes(bytes, NULL, &gerr);
	g_bytes_unref(bytes);
	if (!doc) {
		int encrypted = gerr && gerr->domain == POPPLER_ERROR && gerr->code == POPPLER_ERROR_ENCRYPTED;
		g_clear_error(&gerr);
		return vg_err_set(err, VG_EINVAL, encrypted ? "PDF chiffré : texte inaccessible" : "PDF illisible ou endommagé");
	}
	vg_strbuf text = VG_STRBUF_INIT;
	json_t *pages = json_array();
	int n = poppler_document_get_n_pages(doc);
	for (int i = 0; i < n; i++) {
		PopplerPage *page = poppler_document_get_page(doc, i);
		json_array_append_new(pages, json_integer((json_int_t)text.len));
		if (!page)
			continue;
		gchar *t = poppler_page_get_text(page);
		if (t)
			vg_strbuf_puts(&text, t);
		vg_strbuf_putc(&text, '\n');
		g_free(t);
		g_object_unref(page);
		if (text.len > VG_EXTRACT_MAX_TEXT) {
			vg_strbuf_free(&text);
			json_decref(pages);
			g_object_unref(doc);
			return vg_err_set(err, VG_EINVAL, "PDF au texte démesuré (plus de %u Mo)", VG_EXTRACT_MAX_TEXT >> 20);
		}
	}
	json_t *date = json_null();
	GDateTime *created = poppler_document_get_creation_date_time(doc);
	if (created) {
		gchar *d = g_date_time_format(created, "%Y-%m-%d");
		date = text_or_null(d);
		g_date_time_unref(created);
	}
	*out = json_pack("{s:s%, s:o, s:o, s:o, s:o}", "text", text.ptr ? text.ptr : "", text.len, "pages", pages,
	                 "title", text_or_null(poppler_document_get_title(doc)), "author",
	                 text_or_null(poppler_document_get_author(doc)), "date", date);
	vg_strbuf_free(&text);
	g_object_unref(doc);
	return *out ? 0 : vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
}
