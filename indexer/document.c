#include "document.h"
#include "extract.h"
#include "extract_formats.h"
#include "strbuf.h"
#include "text.h"

#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

static int extract_markdown(vg_doc *doc, const char *text, size_t len, vg_doc_context *ctx, vg_err *err);
static int extract_plain(vg_doc *doc, const char *text, size_t len, vg_doc_context *ctx, vg_err *err);
static int extract_attachment(vg_doc *doc, const char *data, size_t len, vg_doc_context *ctx, vg_err *err);

static const vg_extractor extractors[] = {
	{"markdown", extract_markdown, 0},
	{"texte", extract_plain, 0},
	{"pdf", extract_attachment, 1},
	{"opendocument", extract_attachment, 1},
	{"office", extract_attachment, 1},
	{"html", extract_attachment, 1},
};

static const vg_format formats[] = {
#define VG_FORMAT(extension, extractor, family, media_type) {extension, extractor, family, media_type},
#include "formats.def"
#undef VG_FORMAT
};

const vg_format *vg_format_of(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	const char *dot = strrchr(base, '.');
	if (!dot || dot == base)
		return NULL;
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (strcasecmp(dot, formats[i].extension) == 0)
			return &formats[i];
	return NULL;
}

const vg_extractor *vg_doc_extractor_for(const char *path)
{
	const vg_format *f = vg_format_of(path);
	for (size_t i = 0; f && i < sizeof(extractors) / sizeof(extractors[0]); i++)
		if (strcmp(extractors[i].name, f->extractor) == 0)
			return &extractors[i];
	return NULL;
}

static int add_problem(vg_doc *doc, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int add_problem(vg_doc *doc, const char *fmt, ...)
{
	char msg[600];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return vg_strlist_add_unique(&doc->problems, msg);
}

/* Access is per repository: a note that asks for a per-file restriction
 * is refused at push time rather than published believing itself private. */
static void retired_visibility(vg_doc *doc)
{
	add_problem(doc, "%s : champ « visibilite » retiré : une note réservée à une académie se range dans le dépôt "
	            "de cette académie", doc->path);
}

int vg_doc_date_valid(const char *s)
{
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return 0;
	int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
	if (y < 1000 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return 0;
	if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 0;
	return 1;
}

void vg_doc_free(vg_doc *doc)
{
	if (!doc)
		return;
	free(doc->path);
	free(doc->title);
	free(doc->date);
	free(doc->domaine);
	free(doc->type);
	free(doc->academie);
	free(doc->auteur);
	free(doc->statut);
	free(doc->remplace);
	free(doc->revu);
	vg_strlist_clear(&doc->mots_cles);
	vg_strlist_clear(&doc->references);
	vg_strlist_clear(&doc->fields);
	vg_strlist_clear(&doc->unknown);
	vg_strlist_clear(&doc->problems);
	vg_strlist_clear(&doc->breadcrumb);
	free(doc->body);
	free(doc->pages);
	free(doc);
}

/* ---- front matter ---------------------------------------------------- */

/* Finds a front matter block: "---" on the first line, closed by "---" or
 * "..." on a line of its own. Sets the YAML span and the body start. */
static int find_front_matter(const char *t, size_t len, size_t *yaml_start,
                             size_t *yaml_end, size_t *body_start)
{
	size_t i;
	if (len < 4 || strncmp(t, "---", 3) != 0)
		return 0;
	i = 3;
	while (i < len && (t[i] == ' ' || t[i] == '\t' || t[i] == '\r'))
		i++;
	if (i >= len || t[i] != '\n')
		return 0;
	i++;
	size_t start = i;
	while (i < len) {
		size_t eol = i;
		while (eol < len && t[eol] != '\n')
			eol++;
		size_t n = eol - i;
		while (n > 0 && (t[i + n - 1] == '\r' || t[i + n - 1] == ' '))
			n--;
		if (n == 3 && (strncmp(t + i, "---", 3) == 0 || strncmp(t + i, "...", 3) == 0)) {
			*yaml_start = start;
			*yaml_end = i;
			*body_start = eol < len ? eol + 1 : eol;
			return 1;
		}
		i = eol + 1;
	}
	/* An opening fence that is never closed: a broken front matter. */
	*yaml_start = start;
	*yaml_end = len;
	*body_start = len;
	return -1;
}

static char *scalar_of(yaml_document_t *d, yaml_node_t *n)
{
	if (!n)
		return NULL;
	if (n->type == YAML_SCALAR_NODE)
		return strndup((const char *)n->data.scalar.value, n->data.scalar.length);
	if (n->type == YAML_SEQUENCE_NODE) {
		vg_strbuf b = VG_STRBUF_INIT;
		for (yaml_node_item_t *it = n->data.sequence.items.start;
		     it < n->data.sequence.items.top; it++) {
			yaml_node_t *c = yaml_document_get_node(d, *it);
			if (c && c->type == YAML_SCALAR_NODE) {
				if (b.len)
					vg_strbuf_puts(&b, ", ");
				vg_strbuf_add(&b, (const char *)c->data.scalar.value, c->data.scalar.length);
			}
		}
		return vg_strbuf_detach(&b);
	}
	return NULL;
}

/* A list field: a YAML sequence of scalars, or one comma-separated scalar. */
static int list_of(yaml_document_t *d, yaml_node_t *n, vg_strlist *out, const char *field,
                   vg_doc *doc)
{
	if (n->type == YAML_SEQUENCE_NODE) {
		for (yaml_node_item_t *it = n->data.sequence.items.start;
		     it < n->data.sequence.items.top; it++) {
			yaml_node_t *c = yaml_document_get_node(d, *it);
			if (!c || c->type != YAML_SCALAR_NODE) {
				add_problem(doc, "%s : champ « %s » : chaque élément doit être un texte",
				            doc->path, field);
				continue;
			}
			char *v = strndup((const char *)c->data.scalar.value, c->data.scalar.length);
			if (!v || vg_strlist_add_unique(out, v) < 0) {
				free(v);
				return VG_ENOMEM;
			}
			free(v);
		}
		return 0;
	}
	if (n->type != YAML_SCALAR_NODE) {
		add_problem(doc, "%s : champ « %s » : une liste est attendue", doc->path, field);
		return 0;
	}
	char *all = strndup((const char *)n->data.scalar.value, n->data.scalar.length);
	if (!all)
		return VG_ENOMEM;
	char *save = NULL;
	for (char *tok = strtok_r(all, ",;", &save); tok; tok = strtok_r(NULL, ",;", &save)) {
		while (*tok == ' ')
			tok++;
		size_t l = strlen(tok);
		while (l > 0 && tok[l - 1] == ' ')
			tok[--l] = '\0';
		if (*tok && vg_strlist_add_unique(out, tok) < 0) {
			free(all);
			return VG_ENOMEM;
		}
	}
	free(all);
	return 0;
}

static int collect_ref(const vg_ref_match *m, void *ctx);

/* Whether the entry names a reference already in the list (a repeat). */
static int contains_ref(const vg_strlist *l, const char *entry)
{
	char canon[VG_REF_MAX];
	return vg_legalref_canonical(entry, canon) == 0 && vg_strlist_has(l, canon);
}

static int apply_field(vg_doc *doc, yaml_document_t *d, const char *key, yaml_node_t *v)
{
	char *folded = vg_text_fold_str(key, 0);
	if (!folded)
		return VG_ENOMEM;
	char **target = NULL;
	const char *canonical = NULL;
	int rc = 0;
	/* The texts of the front matter: the fields of fields.def it sets, and
	 * the keys of notes that are no search field. */
#define VG_AT(member) offsetof(vg_doc, member)
#define VG_NOWHERE SIZE_MAX
#define VG_FIELD(id, name, prefix, kind, facet, label, value, front) {name, front},
	static const struct {
		const char *name;
		size_t offset;
	} scalars[] = {
#include "fields.def"
		{"date", offsetof(vg_doc, date)}, {"remplace", offsetof(vg_doc, remplace)}, {"revu", offsetof(vg_doc, revu)}};
#undef VG_FIELD
#undef VG_NOWHERE
#undef VG_AT
	for (size_t i = 0; i < sizeof(scalars) / sizeof(scalars[0]); i++) {
		if (scalars[i].offset == SIZE_MAX)
			continue;
		if (strcmp(folded, scalars[i].name) == 0) {
			target = (char **)((char *)doc + scalars[i].offset);
			canonical = scalars[i].name;
		}
	}
	if (strncmp(folded, "visibilit", 9) == 0)
		retired_visibility(doc);
	if (strcmp(folded, "mots-cles") == 0 || strcmp(folded, "mots cles") == 0) {
		canonical = "mots-cles";
		rc = list_of(d, v, &doc->mots_cles, key, doc);
	} else if (strcmp(folded, "references") == 0) {
		canonical = "references";
		vg_strlist raw = {NULL, 0};
		rc = list_of(d, v, &raw, key, doc);
		/* An entry may name several references ("articles L. 421-11 et
		 * L. 421-12"); one that names none is reported. */
		for (size_t i = 0; rc == 0 && i < raw.count; i++) {
			size_t before = doc->references.count;
			rc = vg_legalref_scan(raw.items[i], strlen(raw.items[i]), VG_REF_QUERY | VG_REF_RANGES,
			                      collect_ref, doc);
			if (rc == 0 && doc->references.count == before &&
			    !contains_ref(&doc->references, raw.items[i]))
				add_problem(doc, "%s : champ « references » : référence non reconnue « %s »",
				            doc->path, raw.items[i]);
		}
		vg_strlist_clear(&raw);
	}
	if (rc == 0)
		rc = vg_strlist_add_unique(canonical ? &doc->fields : &doc->unknown, canonical ? canonical : key);
	if (target) {
		char *s = scalar_of(d, v);
		if (!s) {
			add_problem(doc, "%s : champ « %s » : un texte est attendu", doc->path, key);
		} else {
			free(*target);
			*target = s;
		}
	}
	free(folded);
	return rc;
}

static int parse_front_matter(vg_doc *doc, const char *yaml, size_t len)
{
	yaml_parser_t parser;
	yaml_document_t d;
	int rc = 0;
	if (!yaml_parser_initialize(&parser))
		return VG_ENOMEM;
	yaml_parser_set_input_string(&parser, (const unsigned char *)yaml, len);
	if (!yaml_parser_load(&parser, &d)) {
		add_problem(doc, "%s : en-tête YAML invalide, ligne %zu : %s%s%s", doc->path,
		            parser.problem_mark.line + 2, parser.problem ? parser.problem : "erreur",
		            parser.context ? " " : "", parser.context ? parser.context : "");
		yaml_parser_delete(&parser);
		return 0;
	}
	yaml_node_t *root = yaml_document_get_root_node(&d);
	if (root && root->type == YAML_MAPPING_NODE) {
		for (yaml_node_pair_t *p = root->data.mapping.pairs.start;
		     rc == 0 && p < root->data.mapping.pairs.top; p++) {
			yaml_node_t *k = yaml_document_get_node(&d, p->key);
			yaml_node_t *v = yaml_document_get_node(&d, p->value);
			if (!k || !v || k->type != YAML_SCALAR_NODE)
				continue;
			char *key = strndup((const char *)k->data.scalar.value, k->data.scalar.length);
			if (!key) {
				rc = VG_ENOMEM;
				break;
			}
			rc = apply_field(doc, &d, key, v);
			free(key);
		}
		doc->has_front_matter = 1;
	} else if (root) {
		add_problem(doc, "%s : en-tête YAML invalide : des paires « champ: valeur » sont attendues",
		            doc->path);
	}
	yaml_document_delete(&d);
	yaml_parser_delete(&parser);
	return rc;
}

/* ---- Markdown ------------------------------------------------------------ */

static pthread_once_t cmark_once = PTHREAD_ONCE_INIT;

static void register_cmark_extensions(void)
{
	cmark_gfm_core_extensions_ensure_registered();
}

/* Attaches the GitHub extensions (tables, strikethrough, autolinks, task
 * lists) so that their text is read like any other. */
cmark_parser *vg_doc_markdown_parser(void)
{
	pthread_once(&cmark_once, register_cmark_extensions);
	cmark_parser *p = cmark_parser_new(CMARK_OPT_DEFAULT);
	if (!p)
		return NULL;
	static const char *const names[] = {"table", "strikethrough", "autolink", "tasklist"};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		cmark_syntax_extension *ext = cmark_find_syntax_extension(names[i]);
		if (ext)
			cmark_parser_attach_syntax_extension(p, ext);
	}
	return p;
}

static int is_block_end(cmark_node *n)
{
	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_PARAGRAPH:
	case CMARK_NODE_HEADING:
	case CMARK_NODE_ITEM:
	case CMARK_NODE_BLOCK_QUOTE:
	case CMARK_NODE_CODE_BLOCK:
	case CMARK_NODE_THEMATIC_BREAK:
		return 1;
	default:
		return 0;
	}
}

static int extract_markdown(vg_doc *doc, const char *text, size_t len, vg_doc_context *ctx, vg_err *err)
{
	(void)ctx;
	cmark_parser *parser = vg_doc_markdown_parser();
	if (!parser)
		return vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	cmark_parser_feed(parser, text, len);
	cmark_node *root = cmark_parser_finish(parser);
	cmark_parser_free(parser);
	if (!root)
		return vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");

	vg_strbuf body = VG_STRBUF_INIT, heading = VG_STRBUF_INIT;
	int in_first_heading = 0, seen_heading = 0;
	cmark_iter *it = cmark_iter_new(root);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type type = cmark_node_get_type(n);
		const char *type_name = cmark_node_get_type_string(n);
		if (ev == CMARK_EVENT_ENTER && type == CMARK_NODE_HEADING && !seen_heading) {
			in_first_heading = 1;
			seen_heading = 1;
		}
		if (ev == CMARK_EVENT_EXIT) {
			if (type == CMARK_NODE_HEADING)
				in_first_heading = 0;
			if (is_block_end(n))
				vg_strbuf_putc(&body, '\n');
			else if (type_name && strcmp(type_name, "table_cell") == 0)
				vg_strbuf_puts(&body, " \t ");
			else if (type_name && strcmp(type_name, "table_row") == 0)
				vg_strbuf_putc(&body, '\n');
			continue;
		}
		const char *lit = NULL;
		switch (type) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
		case CMARK_NODE_CODE_BLOCK:
			lit = cmark_node_get_literal(n);
			break;
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
			lit = " ";
			break;
		case CMARK_NODE_HTML_BLOCK: {
			/* The legal codes hold articles in <div> blocks: their
			 * text is the article's. */
			const char *html = cmark_node_get_literal(n);
			if (html && vg_html_fragment_text(html, strlen(html), &body) < 0)
				body.oom = 1;
			vg_strbuf_putc(&body, '\n');
			break;
		}
		case CMARK_NODE_HTML_INLINE:
			/* Tags between words ("<br/>", "<sup>") part nothing but a
			 * line break does. */
			lit = cmark_node_get_literal(n);
			lit = lit && strncasecmp(lit, "<br", 3) == 0 ? " " : NULL;
			break;
		default:
			break;
		}
		if (lit) {
			vg_strbuf_puts(&body, lit);
			if (in_first_heading)
				vg_strbuf_puts(&heading, lit);
		}
	}
	cmark_iter_free(it);
	cmark_node_free(root);
	if (body.oom || heading.oom) {
		vg_strbuf_free(&body);
		vg_strbuf_free(&heading);
		return vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	}
	doc->body_len = body.len;
	doc->body = vg_strbuf_detach(&body);
	if (!doc->title && heading.len > 0)
		doc->title = vg_strbuf_detach(&heading);
	vg_strbuf_free(&heading);
	return doc->body ? 0 : vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
}

static int extract_plain(vg_doc *doc, const char *text, size_t len, vg_doc_context *ctx, vg_err *err)
{
	(void)ctx;
	doc->body = strndup(text, len);
	if (!doc->body)
		return vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	doc->body_len = strlen(doc->body);
	if (!doc->title) {
		const char *p = text;
		while (p < text + len && (*p == '\n' || *p == '\r' || *p == ' '))
			p++;
		const char *eol = memchr(p, '\n', (size_t)(text + len - p));
		size_t n = eol ? (size_t)(eol - p) : (size_t)(text + len - p);
		while (n > 0 && (p[n - 1] == '\r' || p[n - 1] == ' '))
			n--;
		if (n > 0 && n <= 200)
			doc->title = strndup(p, n);
	}
	return 0;
}

/* Whether a front matter's text has a line starting with "visibilit". */
static int mentions_visibility(const char *t, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (i > 0 && t[i - 1] != '\n')
			continue;
		size_t j = i;
		while (j < len && (t[j] == ' ' || t[j] == '\t'))
			j++;
		if (len - j >= 9 && strncasecmp(t + j, "visibilit", 9) == 0)
			return 1;
	}
	return 0;
}

/* ---- attachments ---------------------------------------------------------- */

static char *json_str_dup(json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));
	return v && *v ? strdup(v) : NULL;
}

/* Text and metadata from vigie-extract (or its cached answer); the sidecar,
 * read before, wins over the file's own metadata. */
static int extract_attachment(vg_doc *doc, const char *data, size_t len, vg_doc_context *ctx, vg_err *err)
{
	char *answer = NULL;
	const char *json_text = ctx ? ctx->extracted : NULL;
	int rc = 0;
	if (!json_text) {
		vg_extract_limits limits = VG_EXTRACT_DEFAULT_LIMITS;
		rc = vg_extract_run(vg_extract_format(doc->path), data, len, &limits, &answer, err);
		if (rc == VG_EINVAL && ctx) {
			/* A failure is an answer too: not retried on a rebuild. */
			json_t *e = json_pack("{s:s}", "error", err->msg);
			ctx->extracted_out = e ? json_dumps(e, JSON_COMPACT) : NULL;
			json_decref(e);
		}
		if (rc < 0)
			return rc;
		json_text = answer;
		if (ctx)
			ctx->extracted_out = strdup(answer);
	}
	json_error_t jerr;
	json_t *o = json_loads(json_text, 0, &jerr);
	free(answer);
	if (!o)
		return vg_err_set(err, VG_EINVAL, "réponse d'extraction illisible");
	if (json_is_string(json_object_get(o, "error"))) {
		rc = vg_err_set(err, VG_EINVAL, "%s", json_string_value(json_object_get(o, "error")));
		json_decref(o);
		return rc;
	}
	json_t *text = json_object_get(o, "text");
	doc->body_len = json_string_length(text);
	doc->body = strndup(json_string_value(text) ? json_string_value(text) : "", doc->body_len);
	json_t *pages = json_object_get(o, "pages");
	if (json_array_size(pages) > 1 && (doc->pages = calloc(json_array_size(pages), sizeof(size_t)))) {
		size_t i;
		json_t *p;
		json_array_foreach(pages, i, p) doc->pages[i] = (size_t)json_integer_value(p);
		doc->n_pages = json_array_size(pages);
	}
	if (!doc->title)
		doc->title = json_str_dup(o, "title");
	if (!doc->auteur)
		doc->auteur = json_str_dup(o, "author");
	if (!doc->date)
		doc->date = json_str_dup(o, "date");
	json_decref(o);
	return doc->body ? 0 : vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
}

/* ---- the whole document ---------------------------------------------------- */

size_t vg_doc_body_offset(const char *text, size_t len)
{
	size_t bom = (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) ? 3 : 0;
	size_t ys, ye, bs;
	return find_front_matter(text + bom, len - bom, &ys, &ye, &bs) > 0 ? bom + bs : bom;
}

static int collect_ref(const vg_ref_match *m, void *ctx)
{
	vg_doc *doc = ctx;
	return vg_strlist_add_unique(&doc->references, m->canon) < 0 ? VG_ENOMEM : 0;
}

static char *trimmed_copy(const char *s)
{
	char *copy = strdup(s);
	if (copy) {
		const char *t = vg_text_trim(copy);
		memmove(copy, t, strlen(t) + 1);
	}
	return copy;
}

static int fill_fallbacks(vg_doc *doc, const vg_doc_context *ctx)
{
	if (doc->title) {
		char *t = trimmed_copy(doc->title);
		if (!t)
			return VG_ENOMEM;
		free(doc->title);
		doc->title = t;
	}
	if (!doc->title || !*doc->title) {
		const char *base = strrchr(doc->path, '/');
		base = base ? base + 1 : doc->path;
		const char *dot = strrchr(base, '.');
		free(doc->title);
		doc->title = dot && dot != base ? strndup(base, (size_t)(dot - base)) : strdup(base);
		if (!doc->title)
			return VG_ENOMEM;
	}
	/* The repository's own README and CONTRIBUTING guide its contributors;
	 * accountants look for the documents. */
	if (!doc->type && !strchr(doc->path, '/') &&
	    (strcasecmp(doc->path, "README.md") == 0 || strcasecmp(doc->path, "CONTRIBUTING.md") == 0) &&
	    !(doc->type = strdup(VG_TYPE_GUIDE)))
		return VG_ENOMEM;
	if (!doc->domaine) {
		const char *slash = strchr(doc->path, '/');
		if (slash && !(doc->domaine = strndup(doc->path, (size_t)(slash - doc->path))))
			return VG_ENOMEM;
	}
	if (doc->date && !vg_doc_date_valid(doc->date)) {
		add_problem(doc, "%s : champ « date » : « %s » n'est pas une date AAAA-MM-JJ valide",
		            doc->path, doc->date);
		free(doc->date);
		doc->date = NULL;
	}
	if (doc->revu && !vg_doc_date_valid(doc->revu)) {
		add_problem(doc, "%s : champ « revu » : « %s » n'est pas une date AAAA-MM-JJ valide", doc->path, doc->revu);
		free(doc->revu);
		doc->revu = NULL;
	}
	if (!doc->date && ctx && ctx->commit_date && !(doc->date = strdup(ctx->commit_date)))
		return VG_ENOMEM;
	/* Facet values are compared folded: "Lille" and "lille" are one. */
	char **facets[] = {&doc->domaine, &doc->type, &doc->academie, &doc->statut};
	for (size_t i = 0; i < sizeof(facets) / sizeof(facets[0]); i++) {
		if (!*facets[i])
			continue;
		char *t = trimmed_copy(*facets[i]);
		char *f = t ? vg_text_fold_str(t, 0) : NULL;
		free(t);
		if (!f)
			return VG_ENOMEM;
		free(*facets[i]);
		*facets[i] = f;
	}
	return 0;
}

int vg_doc_parse_sidecar(vg_doc **out, const char *path, const char *yaml, size_t len, vg_err *err)
{
	vg_doc *doc = calloc(1, sizeof(*doc));
	*out = NULL;
	if (!doc || !(doc->path = strdup(path)) || parse_front_matter(doc, yaml, len) < 0) {
		vg_doc_free(doc);
		return vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	}
	if (!vg_utf8_valid(yaml, len))
		add_problem(doc, "%s : le fichier n'est pas en UTF-8", path);
	if (doc->date && !vg_doc_date_valid(doc->date))
		add_problem(doc, "%s : champ « date » : « %s » n'est pas une date AAAA-MM-JJ valide", path, doc->date);
	/* Facet values are compared folded, as for notes. */
	char **facets[] = {&doc->domaine, &doc->type, &doc->academie, &doc->statut};
	for (size_t i = 0; i < sizeof(facets) / sizeof(facets[0]); i++) {
		char *f = *facets[i] ? vg_text_fold_str(*facets[i], 0) : NULL;
		if (f) {
			free(*facets[i]);
			*facets[i] = f;
		}
	}
	*out = doc;
	return 0;
}

int vg_doc_parse(vg_doc **out, const char *path, const char *data, size_t len,
                 vg_doc_context *ctx, vg_err *err)
{
	const vg_extractor *ex = vg_doc_extractor_for(path);
	char *utf8 = NULL;
	size_t ulen = 0;
	int recoded = 0, rc;

	*out = NULL;
	if (!ex)
		return vg_err_set(err, VG_EINVAL, "%s : format non pris en charge", path);
	if (!ex->attachment && vg_text_is_binary(data, len))
		return vg_err_set(err, VG_EINVAL, "%s : fichier binaire, non indexé", path);
	vg_doc *doc = calloc(1, sizeof(*doc));
	if (!doc || !(doc->path = strdup(path))) {
		free(doc);
		return vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	}
	doc->format = ex->name;
	if (ex->attachment) {
		/* Metadata from the sidecar FILE.meta.yml, then the file's text. */
		if (ctx && ctx->sidecar && (rc = parse_front_matter(doc, ctx->sidecar, ctx->sidecar_len)) < 0) {
			vg_err_set(err, rc, "mémoire insuffisante");
			goto fail;
		}
		vg_err e;
		if ((rc = ex->extract(doc, data, len, ctx, &e)) < 0) {
			vg_err_set(err, rc, "%s : %s", path, e.msg);
			goto fail;
		}
		goto analysed;
	}
	if ((rc = vg_text_to_utf8(data, len, &utf8, &ulen, &recoded)) < 0) {
		vg_err_set(err, rc, "mémoire insuffisante");
		goto fail;
	}
	if (recoded)
		add_problem(doc, "%s : le fichier n'est pas en UTF-8 ; lu comme Windows-1252", path);

	size_t ys = 0, ye = 0, bs = 0;
	const char *text = utf8;
	size_t tlen = ulen;
	if (tlen >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) /* byte-order mark */
		text += 3, tlen -= 3;
	int fm = find_front_matter(text, tlen, &ys, &ye, &bs);
	if (fm < 0) {
		add_problem(doc, "%s : en-tête YAML non refermé (ligne « --- » manquante)", path);
		bs = 0;
	} else if (fm > 0) {
		if ((rc = parse_front_matter(doc, text + ys, ye - ys)) < 0) {
			vg_err_set(err, rc, "mémoire insuffisante");
			goto fail;
		}
	}
	if (fm != 0 && mentions_visibility(text, fm > 0 ? ye : tlen))
		retired_visibility(doc); /* even where the front matter does not parse */
	if ((rc = ex->extract(doc, text + bs, tlen - bs, ctx, err)) < 0)
		goto fail;
analysed:
	if ((rc = fill_fallbacks(doc, ctx)) < 0) {
		vg_err_set(err, rc, "mémoire insuffisante");
		goto fail;
	}
	if (vg_legalref_from_path(path, doc->is_ref) < 0)
		doc->is_ref[0] = '\0';
	if ((rc = vg_legalref_scan(doc->title, strlen(doc->title), VG_REF_RANGES, collect_ref, doc)) != 0 ||
	    (rc = vg_legalref_scan(doc->body, doc->body_len, VG_REF_RANGES, collect_ref, doc)) != 0) {
		vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
		goto fail;
	}
	/* An article naming itself in its heading does not cite itself. */
	for (size_t i = 0; doc->is_ref[0] && i < doc->references.count; i++) {
		if (strcmp(doc->references.items[i], doc->is_ref) == 0) {
			free(doc->references.items[i]);
			memmove(&doc->references.items[i], &doc->references.items[i + 1],
			        (doc->references.count - i - 1) * sizeof(char *));
			doc->references.count--;
			break;
		}
	}
	free(utf8);
	*out = doc;
	return 0;
fail:
	free(utf8);
	vg_doc_free(doc);
	return rc < 0 ? rc : VG_ENOMEM;
}
