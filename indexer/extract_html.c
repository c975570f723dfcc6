/* HTML saved from the web: visible text only (no script, style or head),
 * title from <title> or the first heading, with libxml2's HTML parser. */
#include "extract_formats.h"
#include "strbuf.h"

#include <libxml/HTMLparser.h>
#include <string.h>
#include <strings.h>

static int hidden(const char *name)
{
	static const char *const names[] = {"script", "style", "noscript", "head", "template", "svg", NULL};
	for (const char *const *n = names; *n; n++)
		if (strcasecmp(name, *n) == 0)
			return 1;
	return 0;
}

static int block(const char *name)
{
	static const char *const names[] = {"p", "div", "li", "tr", "br", "h1", "h2", "h3", "h4", "h5", "h6",
	                                    "section", "article", "table", "ul", "ol", "dd", "dt", "pre", NULL};
	for (const char *const *n = names; *n; n++)
		if (strcasecmp(name, *n) == 0)
			return 1;
	return 0;
}

static void walk(xmlNode *n, vg_strbuf *text, char **heading, int depth)
{
	for (; n && depth < 200; n = n->next) {
		if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
			if (n->content)
				vg_strbuf_puts(text, (const char *)n->content);
			continue;
		}
		if (n->type != XML_ELEMENT_NODE || hidden((const char *)n->name))
			continue;
		if (!*heading && n->name[0] == 'h' && n->name[1] >= '1' && n->name[1] <= '6' && !n->name[2]) {
			xmlChar *s = xmlNodeGetContent(n);
			if (s && *s)
				*heading = strdup((const char *)s);
			xmlFree(s);
		}
		walk(n->children, text, heading, depth + 1);
		if (block((const char *)n->name))
			vg_strbuf_putc(text, '\n');
		else if (strcasecmp((const char *)n->name, "td") == 0 || strcasecmp((const char *)n->name, "th") == 0)
			vg_strbuf_putc(text, '\t');
	}
}

static xmlNode *find(xmlNode *n, const char *name, int depth)
{
	for (; n && depth < 50; n = n->next) {
		if (n->type == XML_ELEMENT_NODE && strcasecmp((const char *)n->name, name) == 0)
			return n;
		xmlNode *c = find(n->children, name, depth + 1);
		if (c)
			return c;
	}
	return NULL;
}

int vg_html_fragment_text(const char *html, size_t len, vg_strbuf *text)
{
	htmlDocPtr doc = htmlReadMemory(html, (int)len, NULL, "UTF-8",
	                                HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
	                                    HTML_PARSE_NONET | HTML_PARSE_NOIMPLIED);
	if (!doc)
		return 0;
	char *heading = NULL;
	walk(doc->children, text, &heading, 0);
	free(heading);
	xmlFreeDoc(doc);
	return text->oom ? -1 : 0;
}

int vg_extract_html(const char *data, size_t len, json_t **out, vg_err *err)
{
	htmlDocPtr doc = htmlReadMemory(data, (int)len, NULL, NULL,
	                                HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
	if (!doc)
		return vg_err_set(err, VG_EINVAL, "HTML illisible");
	vg_strbuf text = VG_STRBUF_INIT;
	char *heading = NULL, *title = NULL;
	xmlNode *root = xmlDocGetRootElement(doc);
	xmlNode *t = find(root, "title", 0);
	if (t) {
		xmlChar *s = xmlNodeGetContent(t);
		if (s && *s)
			title = strdup((const char *)s);
		xmlFree(s);
	}
	xmlNode *body = find(root, "body", 0);
	walk(body ? body->children : root, &text, &heading, 0);
	*out = json_pack("{s:s%, s:s?}", "text", text.ptr ? text.ptr : "", text.len, "title", title ? title : heading);
	free(title);
	free(heading);
	vg_strbuf_free(&text);
	xmlFreeDoc(doc);
	return *out ? 0 : vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
}
