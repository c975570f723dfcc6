#include "render.h"
#include "escape.h"
#include "document.h"
#include "strbuf.h"
#include "text.h"

#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>
#include <stdlib.h>
#include <string.h>

static int render_markdown(const char *text, size_t len, char **html, vg_err *err)
{
	cmark_parser *p = vg_doc_markdown_parser();
	if (!p)
		return vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	cmark_parser_feed(p, text, len);
	cmark_node *root = cmark_parser_finish(p);
	/* The page's own <h1> is the title: the note's headings go one level
	 * down. */
	cmark_iter *it = root ? cmark_iter_new(root) : NULL;
	cmark_event_type ev;
	while (it && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		if (ev == CMARK_EVENT_ENTER && cmark_node_get_type(n) == CMARK_NODE_HEADING) {
			int level = cmark_node_get_heading_level(n);
			cmark_node_set_heading_level(n, level < 6 ? level + 1 : 6);
		}
	}
	cmark_iter_free(it);
	/* Without CMARK_OPT_UNSAFE, raw HTML and javascript: links are
	 * dropped: what a note says is shown, never run. */
	char *out = root ? cmark_render_html(root, CMARK_OPT_DEFAULT, cmark_parser_get_syntax_extensions(p))
	                 : NULL;
	cmark_node_free(root);
	cmark_parser_free(p);
	if (!out)
		return vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	/* cmark allocates with its own allocator, which is malloc. */
	*html = out;
	return 0;
}

int vg_render_html(const char *path, const char *data, size_t len, char **html, vg_err *err)
{
	const vg_extractor *ex = vg_doc_extractor_for(path);
	char *utf8 = NULL;
	size_t ulen = 0;
	int recoded, rc;
	*html = NULL;
	if (!ex)
		return vg_err_set(err, VG_EINVAL, "%s : format non pris en charge", path);
	if (ex->attachment)
		return vg_err_set(err, VG_EINVAL, "%s : pièce jointe, lue par son texte extrait", path);
	if (vg_text_is_binary(data, len))
		return vg_err_set(err, VG_EINVAL, "%s : fichier binaire", path);
	if ((rc = vg_text_to_utf8(data, len, &utf8, &ulen, &recoded)) < 0)
		return vg_err_set(err, rc, "mémoire insuffisante");
	size_t start = vg_doc_body_offset(utf8, ulen);
	if (strcmp(ex->name, "markdown") == 0) {
		rc = render_markdown(utf8 + start, ulen - start, html, err);
	} else {
		vg_strbuf b = VG_STRBUF_INIT;
		vg_strbuf_puts(&b, "<pre>");
		vg_escape_html(&b, utf8 + start, ulen - start);
		vg_strbuf_puts(&b, "</pre>\n");
		*html = vg_strbuf_detach(&b);
		rc = *html ? 0 : vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	}
	free(utf8);
	return rc;
}
