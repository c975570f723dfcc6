/* OpenDocument (.odt, .ods, .odp) and Office Open XML (.docx, .xlsx, .pptx):
 * the zip read with libzip, each XML part with libxml2's streaming reader;
 * paragraphs, headings, notes, table cells and slide text in reading order,
 * and the metadata of meta.xml or docProps/core.xml. Page headers and
 * footers repeat on every page and are left out. */
#include "extract_formats.h"
#include "strbuf.h"

#include <libxml/xmlreader.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

/* A member larger than this, or compressed more than RATIO times, is a
 * zip bomb rather than a document. */
#define MEMBER_MAX (64u * 1024 * 1024)
#define RATIO 200

static int read_member(zip_t *z, const char *name, char **data, size_t *len, vg_err *err)
{
	zip_stat_t st;
	*data = NULL;
	*len = 0;
	if (zip_stat(z, name, 0, &st) < 0)
		return VG_ENOTFOUND;
	if (st.size > MEMBER_MAX || (st.comp_size > 0 && st.size / st.comp_size > RATIO && st.size > 1024 * 1024))
		return vg_err_set(err, VG_EINVAL, "archive suspecte (bombe de décompression) : %s", name);
	zip_file_t *f = zip_fopen(z, name, 0);
	if (!f)
		return vg_err_set(err, VG_EINVAL, "archive endommagée : %s illisible", name);
	char *buf = malloc(st.size + 1);
	zip_int64_t n = buf ? zip_fread(f, buf, st.size) : -1;
	zip_fclose(f);
	if (n < 0 || (zip_uint64_t)n != st.size) {
		free(buf);
		return vg_err_set(err, VG_EINVAL, "archive endommagée : %s illisible", name);
	}
	buf[n] = '\0';
	*data = buf;
	*len = (size_t)n;
	return 0;
}

/* Local names after which a line or a cell ends. */
static int ends_line(const char *name)
{
	static const char *const lines[] = {"p", "h", "tr", "table-row", "row", "si", "br", "line-break", NULL};
	for (const char *const *l = lines; *l; l++)
		if (strcmp(name, *l) == 0)
			return 1;
	return 0;
}

static int ends_cell(const char *name)
{
	return strcmp(name, "table-cell") == 0 || strcmp(name, "tc") == 0 || strcmp(name, "c") == 0 ||
	       strcmp(name, "tab") == 0;
}

/* Reads an XML part node by node, entities not expanded and nothing
 * fetched, handing each node to visit; the text it grows is bounded. */
typedef void (*node_visit)(xmlTextReaderPtr r, void *ctx);

static int xml_walk(const char *xml, size_t len, node_visit visit, void *ctx, const vg_strbuf *grown, vg_err *err)
{
	xmlTextReaderPtr r = xmlReaderForMemory(xml, (int)len, NULL, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (!r)
		return vg_err_set(err, VG_EINVAL, "XML illisible");
	int ret;
	while ((ret = xmlTextReaderRead(r)) == 1) {
		visit(r, ctx);
		if (grown->len > VG_EXTRACT_MAX_TEXT) {
			xmlFreeTextReader(r);
			return vg_err_set(err, VG_EINVAL, "document au texte démesuré");
		}
	}
	xmlFreeTextReader(r);
	if (ret < 0)
		return vg_err_set(err, VG_EINVAL, "XML endommagé");
	return grown->oom ? vg_err_set(err, VG_ENOMEM, "mémoire insuffisante") : 0;
}

/* The node's local name when it ends an element (or is an empty one). */
static const char *closing(xmlTextReaderPtr r)
{
	int type = xmlTextReaderNodeType(r);
	if (type == XML_READER_TYPE_END_ELEMENT || (type == XML_READER_TYPE_ELEMENT && xmlTextReaderIsEmptyElement(r)))
		return (const char *)xmlTextReaderConstLocalName(r);
	return NULL;
}

static int is_text(int type)
{
	return type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
	       type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE;
}

/* Every text node, lines and cells ended where the markup ends them. An
 * OpenDocument note's body is set aside and follows the text, so that it
 * does not cut the sentence it hangs on; its number is left out. */
typedef struct text_walk {
	vg_strbuf *out;
	vg_strbuf notes;
	int in_citation;
	int in_note; /* depth: a note may hold a note */
} text_walk;

static void visit_text(xmlTextReaderPtr r, void *ctx)
{
	text_walk *w = ctx;
	int type = xmlTextReaderNodeType(r);
	const char *name = (const char *)xmlTextReaderConstLocalName(r);
	if (type == XML_READER_TYPE_ELEMENT || type == XML_READER_TYPE_END_ELEMENT) {
		int open = type == XML_READER_TYPE_ELEMENT && !xmlTextReaderIsEmptyElement(r);
		if (strcmp(name, "note-citation") == 0)
			w->in_citation = open;
		else if (strcmp(name, "note-body") == 0 && open)
			w->in_note++;
		else if (strcmp(name, "note-body") == 0 && type == XML_READER_TYPE_END_ELEMENT && w->in_note > 0)
			w->in_note--;
	}
	vg_strbuf *to = w->in_note ? &w->notes : w->out;
	const char *closed = closing(r);
	if (is_text(type) && !w->in_citation) {
		const xmlChar *v = xmlTextReaderConstValue(r);
		if (v)
			vg_strbuf_puts(to, (const char *)v);
	} else if (closed && ends_line(closed)) {
		vg_strbuf_putc(to, '\n');
	} else if (closed && ends_cell(closed)) {
		vg_strbuf_putc(to, '\t');
	}
}

static int xml_text(const char *xml, size_t len, vg_strbuf *out, vg_err *err)
{
	text_walk w = {out, VG_STRBUF_INIT, 0, 0};
	int rc = xml_walk(xml, len, visit_text, &w, out, err);
	if (rc == 0 && w.notes.len)
		vg_strbuf_add(out, w.notes.ptr, w.notes.len);
	if (rc == 0 && (w.notes.oom || out->oom))
		rc = vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	vg_strbuf_free(&w.notes);
	return rc;
}

/* A workbook's shared strings (xl/sharedStrings.xml, one <si> each, its
 * phonetic runs left out), NUL-separated in buf, starts[i] the i-th. */
typedef struct shared_strings {
	vg_strbuf buf;
	size_t *starts;
	size_t count, cap;
	size_t start;
	int in_phonetic;
} shared_strings;

static void visit_shared_string(xmlTextReaderPtr r, void *ctx)
{
	shared_strings *ss = ctx;
	int type = xmlTextReaderNodeType(r);
	const char *name = (const char *)xmlTextReaderConstLocalName(r);
	const char *closed = closing(r);
	if (type == XML_READER_TYPE_ELEMENT && strcmp(name, "si") == 0)
		ss->start = ss->buf.len;
	else if (type == XML_READER_TYPE_ELEMENT && strcmp(name, "rPh") == 0)
		ss->in_phonetic = !xmlTextReaderIsEmptyElement(r);
	else if (type == XML_READER_TYPE_END_ELEMENT && strcmp(name, "rPh") == 0)
		ss->in_phonetic = 0;
	else if (is_text(type) && !ss->in_phonetic)
		vg_strbuf_puts(&ss->buf, (const char *)xmlTextReaderConstValue(r));
	if (closed && strcmp(closed, "si") == 0) {
		if (ss->count == ss->cap) {
			size_t cap = ss->cap ? ss->cap * 2 : 64;
			size_t *grown = realloc(ss->starts, cap * sizeof(*grown));
			if (!grown) {
				ss->buf.oom = 1;
				return;
			}
			ss->starts = grown;
			ss->cap = cap;
		}
		vg_strbuf_putc(&ss->buf, '\0');
		ss->starts[ss->count++] = ss->start;
	}
}

/* One worksheet, row by row: shared strings by their index, inline
 * strings, and values (numbers such as account codes); formulas left out. */
typedef struct sheet {
	const shared_strings *ss;
	vg_strbuf *out;
	int shared, in_value, in_inline;
} sheet;

static void visit_cell(xmlTextReaderPtr r, void *ctx)
{
	sheet *sh = ctx;
	int type = xmlTextReaderNodeType(r);
	const char *name = (const char *)xmlTextReaderConstLocalName(r);
	if (type == XML_READER_TYPE_ELEMENT && strcmp(name, "c") == 0) {
		xmlChar *t = xmlTextReaderGetAttribute(r, (const xmlChar *)"t");
		sh->shared = t && strcmp((const char *)t, "s") == 0;
		xmlFree(t);
	} else if (type == XML_READER_TYPE_ELEMENT || type == XML_READER_TYPE_END_ELEMENT) {
		int open = type == XML_READER_TYPE_ELEMENT && !xmlTextReaderIsEmptyElement(r);
		if (strcmp(name, "v") == 0)
			sh->in_value = open;
		else if (strcmp(name, "is") == 0)
			sh->in_inline = open;
	} else if (type == XML_READER_TYPE_TEXT && (sh->in_value || sh->in_inline)) {
		const char *v = (const char *)xmlTextReaderConstValue(r);
		if (sh->in_value && sh->shared) {
			char *end;
			unsigned long i = strtoul(v, &end, 10);
			if (end != v && i < sh->ss->count)
				vg_strbuf_puts(sh->out, sh->ss->buf.ptr + sh->ss->starts[i]);
		} else {
			vg_strbuf_puts(sh->out, v);
		}
	}
	const char *closed = closing(r);
	if (closed && strcmp(closed, "c") == 0) {
		vg_strbuf_putc(sh->out, '\t');
		sh->shared = 0;
	}
	else if (closed && strcmp(closed, "row") == 0)
		vg_strbuf_putc(sh->out, '\n');
}

static int sheet_text(const char *xml, size_t len, const shared_strings *ss, vg_strbuf *out, vg_err *err)
{
	sheet sh = {ss, out, 0, 0, 0};
	return xml_walk(xml, len, visit_cell, &sh, out, err);
}

/* The number in a member's name ("sheet12.xml": 12), for ordering. */
static unsigned long name_number(const char *name)
{
	const char *base = strrchr(name, '/');
	base = base ? base + 1 : name;
	while (*base && (*base < '0' || *base > '9'))
		base++;
	return strtoul(base, NULL, 10);
}

static int by_number(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	unsigned long nx = name_number(x), ny = name_number(y);
	if (nx != ny)
		return nx < ny ? -1 : 1;
	return strcmp(x, y);
}

/* The XML members directly in folder (sheets, slides), by the number in
 * their names: whatever they are called and even with gaps. *n of them;
 * the names belong to the archive. NULL when none. */
static const char **members_in_order(zip_t *z, const char *folder, size_t *n)
{
	zip_int64_t entries = zip_get_num_entries(z, 0);
	size_t flen = strlen(folder), count = 0;
	const char **names = NULL;
	*n = 0;
	for (zip_int64_t i = 0; i < entries && count < 10000; i++) {
		const char *name = zip_get_name(z, (zip_uint64_t)i, 0);
		size_t len = name ? strlen(name) : 0;
		if (len <= flen + 4 || strncmp(name, folder, flen) != 0 || strchr(name + flen, '/') ||
		    strcmp(name + len - 4, ".xml") != 0)
			continue;
		const char **grown = realloc(names, (count + 1) * sizeof(*grown));
		if (!grown)
			break;
		names = grown;
		names[count++] = name;
	}
	if (count)
		qsort(names, count, sizeof(*names), by_number);
	*n = count;
	return names;
}

/* First text of an element (by local name) in an XML part, or NULL. */
static char *element_text(const char *xml, size_t len, const char *const *names)
{
	xmlTextReaderPtr r = xmlReaderForMemory(xml, (int)len, NULL, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	char *found = NULL;
	while (r && !found && xmlTextReaderRead(r) == 1) {
		if (xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT)
			continue;
		const char *name = (const char *)xmlTextReaderConstLocalName(r);
		for (const char *const *n = names; name && *n; n++) {
			if (strcmp(name, *n) == 0) {
				xmlChar *s = xmlTextReaderReadString(r);
				if (s && *s)
					found = strdup((const char *)s);
				xmlFree(s);
				break;
			}
		}
	}
	if (r)
		xmlFreeTextReader(r);
	return found;
}

static json_t *take(char *s)
{
	json_t *j = s ? json_string(s) : json_null();
	free(s);
	return j ? j : json_null();
}

int vg_extract_zip_office(const char *data, size_t len, json_t **out, vg_err *err)
{
	zip_error_t zerr;
	zip_error_init(&zerr);
	zip_source_t *src = zip_source_buffer_create(data, len, 0, &zerr);
	zip_t *z = src ? zip_open_from_source(src, ZIP_RDONLY, &zerr) : NULL;
	if (!z) {
		if (src)
			zip_source_free(src);
		zip_error_fini(&zerr);
		return vg_err_set(err, VG_EINVAL, "archive illisible ou endommagée");
	}
	zip_error_fini(&zerr);
	vg_strbuf text = VG_STRBUF_INIT;
	char *part = NULL, *meta = NULL;
	size_t plen = 0, mlen = 0;
	int rc = 0;
	const char *meta_name = "meta.xml";
	int found = read_member(z, "content.xml", &part, &plen, err);
	if (found == 0) {
		rc = xml_text(part, plen, &text, err); /* OpenDocument */
	} else if (found != VG_ENOTFOUND) {
		rc = found;
	} else {
		/* Office Open XML: the parts that hold text, in order. */
		meta_name = "docProps/core.xml";
		int any = 0, r = 0;
		/* A text, then its footnotes and endnotes (where references to
		 * the law often are). */
		static const char *const word[] = {"word/document.xml", "word/footnotes.xml", "word/endnotes.xml", NULL};
		for (const char *const *w = word; *w && rc == 0; w++) {
			free(part);
			part = NULL;
			r = read_member(z, *w, &part, &plen, err);
			if (r == VG_EINVAL)
				rc = r;
			else if (r == 0 && (rc = xml_text(part, plen, &text, err)) == 0)
				any = 1;
		}
		shared_strings ss = {VG_STRBUF_INIT, NULL, 0, 0, 0, 0};
		free(part);
		part = NULL;
		r = read_member(z, "xl/sharedStrings.xml", &part, &plen, err);
		if (r == VG_EINVAL)
			rc = r;
		else if (r == 0 && rc == 0)
			rc = xml_walk(part, plen, visit_shared_string, &ss, &ss.buf, err);
		/* Worksheets, then slides, in their numbered order. */
		static const char *const folders[] = {"xl/worksheets/", "ppt/slides/", NULL};
		for (const char *const *folder = folders; *folder && rc == 0; folder++) {
			size_t n = 0;
			const char **names = members_in_order(z, *folder, &n);
			for (size_t i = 0; i < n && rc == 0; i++) {
				free(part);
				part = NULL;
				if ((rc = read_member(z, names[i], &part, &plen, err)) == 0 &&
				    (rc = folder == folders ? sheet_text(part, plen, &ss, &text, err)
				                            : xml_text(part, plen, &text, err)) == 0) {
					vg_strbuf_putc(&text, '\n');
					any = 1;
				}
			}
			free(names);
		}
		/* A workbook without readable sheets still has its strings. */
		if (rc == 0 && !any && ss.count > 0) {
			for (size_t i = 0; i < ss.count; i++) {
				vg_strbuf_puts(&text, ss.buf.ptr + ss.starts[i]);
				vg_strbuf_putc(&text, '\n');
			}
			any = 1;
		}
		vg_strbuf_free(&ss.buf);
		free(ss.starts);
		if (rc == 0 && !any)
			rc = vg_err_set(err, VG_EINVAL, "ni OpenDocument ni Office Open XML : contenu introuvable");
	}
	json_t *title = json_null(), *author = json_null(), *date = json_null();
	if (rc == 0 && read_member(z, meta_name, &meta, &mlen, err) == 0) {
		static const char *const t[] = {"title", NULL};
		static const char *const a[] = {"initial-creator", "creator", NULL};
		static const char *const d[] = {"creation-date", "created", NULL};
		json_decref(title);
		json_decref(author);
		json_decref(date);
		title = take(element_text(meta, mlen, t));
		author = take(element_text(meta, mlen, a));
		char *when = element_text(meta, mlen, d);
		if (when && strlen(when) >= 10)
			when[10] = '\0';
		date = take(when);
	}
	if (rc == 0) {
		*out = json_pack("{s:s%, s:o, s:o, s:o}", "text", text.ptr ? text.ptr : "", text.len, "title", title,
		                 "author", author, "date", date);
		if (!*out)
			rc = vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	} else {
		json_decref(title);
		json_decref(author);
		json_decref(date);
	}
	free(part);
	free(meta);
	vg_strbuf_free(&text);
	zip_close(z);
	return rc;
}
