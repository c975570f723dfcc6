#include "render.h"
#include "escape.h"
#include "extract_formats.h"
#include "legalref.h"
#include "document.h"
#include "strbuf.h"
#include "text.h"

#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct cut {
	size_t start, end;
	char *url;
} cut;

typedef struct cuts {
	cut *v;
	size_t n, cap;
	vg_render_link link;
	void *ctx;
} cuts;

static int collect_cut(const vg_ref_match *m, void *p)
{
	cuts *c = p;
	char *url = c->link(m->canon, c->ctx);
	if (!url)
		return 0;
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 8;
		cut *grown = realloc(c->v, cap * sizeof(*grown));
		if (!grown) {
			free(url);
			return VG_ENOMEM;
		}
		c->v = grown;
		c->cap = cap;
	}
	c->v[c->n++] = (cut){m->start, m->end, url};
	return 0;
}

static cmark_node *text_node(const char *s, size_t n)
{
	cmark_node *t = cmark_node_new(CMARK_NODE_TEXT);
	char *copy = t ? strndup(s, n) : NULL;
	if (copy)
		cmark_node_set_literal(t, copy);
	free(copy);
	return t;
}

/* Each reference in text node n (outside links and code) becomes a link
 * node, the text around it text nodes. */
static int link_references(cmark_node *n, vg_render_link link, void *ctx)
{
	const char *lit = cmark_node_get_literal(n);
	if (!lit)
		return 0;
	cuts c = {NULL, 0, 0, link, ctx};
	size_t len = strlen(lit);
	int rc = vg_legalref_scan(lit, len, 0, collect_cut, &c);
	size_t done = 0;
	for (size_t i = 0; rc == 0 && i < c.n; i++) {
		cmark_node *before = c.v[i].start > done ? text_node(lit + done, c.v[i].start - done) : NULL;
		cmark_node *a = cmark_node_new(CMARK_NODE_LINK);
		cmark_node *label = text_node(lit + c.v[i].start, c.v[i].end - c.v[i].start);
		if ((c.v[i].start > done && !before) || !a || !label) {
			cmark_node_free(before);
			cmark_node_free(a);
			cmark_node_free(label);
			rc = VG_ENOMEM;
			break;
		}
		cmark_node_set_url(a, c.v[i].url);
		cmark_node_append_child(a, label);
		if (before)
			cmark_node_insert_before(n, before);
		cmark_node_insert_before(n, a);
		done = c.v[i].end;
	}
	if (rc == 0 && c.n) {
		char *rest = strdup(lit + done);
		if (rest)
			cmark_node_set_literal(n, rest);
		free(rest);
	}
	for (size_t i = 0; i < c.n; i++)
		free(c.v[i].url);
	free(c.v);
	return rc;
}

/* Raw HTML is never rendered (see below), but its text is the document's:
 * the legal codes write some articles in <div> blocks. Each HTML block
 * becomes paragraphs of its visible text, each <br> a line break; other
 * inline tags are dropped, the text around them kept. -1 when out of
 * memory. */
static int html_as_text(cmark_node *root)
{
	cmark_node **html = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;
	cmark_iter *it = cmark_iter_new(root);
	cmark_event_type ev;
	while (it && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(it);
		cmark_node_type type = cmark_node_get_type(node);
		if (ev != CMARK_EVENT_ENTER || (type != CMARK_NODE_HTML_BLOCK && type != CMARK_NODE_HTML_INLINE))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			cmark_node **grown = realloc(html, cap * sizeof(*grown));
			if (!grown) {
				rc = -1;
				break;
			}
			html = grown;
		}
		html[n++] = node;
	}
	cmark_iter_free(it);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		const char *lit = cmark_node_get_literal(html[i]);
		if (cmark_node_get_type(html[i]) == CMARK_NODE_HTML_INLINE) {
			if (lit && strncasecmp(lit, "<br", 3) == 0) {
				cmark_node *br = cmark_node_new(CMARK_NODE_LINEBREAK);
				if (!br || !cmark_node_insert_before(html[i], br)) {
					cmark_node_free(br);
					rc = -1;
				}
			}
			continue;
		}
		vg_strbuf text = VG_STRBUF_INIT;
		if (lit && vg_html_fragment_text(lit, strlen(lit), &text) < 0)
			rc = -1;
		for (const char *line = text.ptr; rc == 0 && line && *line;) {
			size_t len = strcspn(line, "\n");
			size_t start = strspn(line, " \t");
			if (start < len) {
				cmark_node *para = cmark_node_new(CMARK_NODE_PARAGRAPH);
				cmark_node *t = text_node(line + start, len - start);
				if (!para || !t || !cmark_node_append_child(para, t) ||
				    !cmark_node_insert_before(html[i], para)) {
					cmark_node_free(t);
					cmark_node_free(para);
					rc = -1;
				}
			}
			line += len + (line[len] == '\n');
		}
		vg_strbuf_free(&text);
	}
	for (size_t i = 0; i < n; i++)
		cmark_node_free(html[i]);
	free(html);
	return rc;
}

static int render_markdown(const char *text, size_t len, vg_render_link link, void *ctx, char **html, vg_err *err)
{
	cmark_parser *p = vg_doc_markdown_parser();
	if (!p)
		return vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	cmark_parser_feed(p, text, len);
	cmark_node *root = cmark_parser_finish(p);
	int in_link = 0, oom = root && html_as_text(root) < 0;
	/* The page's own <h1> is the title: the note's headings go one level
	 * down. */
	cmark_iter *it = root && !oom ? cmark_iter_new(root) : NULL;
	cmark_event_type ev;
	cmark_node **texts = NULL;
	size_t n_texts = 0, cap = 0;
	while (it && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type type = cmark_node_get_type(n);
		if (ev == CMARK_EVENT_ENTER && type == CMARK_NODE_HEADING) {
			int level = cmark_node_get_heading_level(n);
			cmark_node_set_heading_level(n, level < 6 ? level + 1 : 6);
		}
		if (type == CMARK_NODE_LINK)
			in_link += ev == CMARK_EVENT_ENTER ? 1 : -1;
		/* The text nodes where references become links (not in links). */
		if (link && ev == CMARK_EVENT_ENTER && type == CMARK_NODE_TEXT && !in_link) {
			if (n_texts == cap) {
				cap = cap ? cap * 2 : 64;
				cmark_node **grown = realloc(texts, cap * sizeof(*grown));
				if (!grown) {
					oom = 1;
					break;
				}
				texts = grown;
			}
			texts[n_texts++] = n;
		}
	}
	cmark_iter_free(it);
	for (size_t i = 0; !oom && i < n_texts; i++)
		oom = link_references(texts[i], link, ctx) < 0;
	free(texts);
	/* Without CMARK_OPT_UNSAFE, raw HTML and javascript: links are
	 * dropped: what a note says is shown, never run. */
	char *out = root ? cmark_render_html(root, CMARK_OPT_DEFAULT, cmark_parser_get_syntax_extensions(p))
	                 : NULL;
	cmark_node_free(root);
	cmark_parser_free(p);
	if (oom) {
		free(out);
		out = NULL;
	}
	if (!out)
		return vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	/* cmark allocates with its own allocator, which is malloc. */
	*html = out;
	return 0;
}

int vg_render_html(const char *path, const char *data, size_t len, vg_render_link link, void *ctx, char **html,
                   vg_err *err)
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
		rc = render_markdown(utf8 + start, ulen - start, link, ctx, html, err);
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
