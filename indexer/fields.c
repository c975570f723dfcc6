#include "fields.h"
#include "strbuf.h"
#include "hash.h"
#include "legalref.h"
#include "quantity.h"
#include "text.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>


const vg_field vg_fields[VG_N_FIELDS] = {
#define VG_FIELD(id, name, prefix, kind, facet, label, value, front) {name, prefix, kind, facet, label},
#include "fields.def"
#undef VG_FIELD
};

const vg_field *vg_fields_find(const char *name)
{
	for (size_t i = 0; i < VG_N_FIELDS; i++)
		if (strcmp(vg_fields[i].name, name) == 0)
			return &vg_fields[i];
	return NULL;
}

/* The value of each filter field of d (NULL for text fields), in
 * fields.def's order. */
static void filter_values(const vg_doc *d, const char *annee, const char *out[VG_N_FIELDS])
{
	(void)annee;
#define VG_FIELD(id, name, prefix, kind, facet, label, value, front) out[VG_F_##id] = value;
#include "fields.def"
#undef VG_FIELD
}

const char *vg_fields_doc_value(const vg_doc *doc, const char *name)
{
	const vg_field *f = vg_fields_find(name);
	const char *values[VG_N_FIELDS];
	if (!f || f->kind != VG_FILTER)
		return NULL;
	filter_values(doc, NULL, values);
	return values[f - vg_fields];
}

int vg_fields_is_live(vg_xdoc *doc)
{
	return vg_xdoc_get_number(doc, VG_SLOT_TO, 0) >= VG_SEQ_OPEN;
}

/* prefix and name, or for a long name (Xapian terms have at most 245
 * bytes) its hash and length. */
static char *name_term(const char *prefix, const char *name, size_t len)
{
	vg_strbuf b = VG_STRBUF_INIT;
	if (len <= 200) {
		vg_strbuf_puts(&b, prefix);
		vg_strbuf_add(&b, name, len);
	} else {
		char *copy = strndup(name, len);
		if (copy)
			vg_strbuf_printf(&b, "%s#%016llx%zu", prefix, vg_hash(copy, VG_HASH_INIT), len);
		else
			b.oom = 1;
		free(copy);
	}
	return vg_strbuf_detach(&b);
}

char *vg_fields_path_term(const char *path)
{
	return name_term(VG_P_PATH, path, strlen(path));
}

char *vg_fields_folder_term(const char *folder)
{
	return name_term(VG_P_FOLDER, folder, strlen(folder));
}

/* A term per folder above the document's path. */
static int add_folders(vg_xdoc *xd, const char *path, vg_err *err)
{
	for (const char *slash = strchr(path, '/'); slash; slash = strchr(slash + 1, '/')) {
		char *t = name_term(VG_P_FOLDER, path, (size_t)(slash - path));
		if (!t)
			return vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
		int rc = vg_xdoc_add_term(xd, t, 0, err);
		free(t);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* Indexes s (original text) folded, under prefix, wdf_inc per occurrence. */
static int index_text(vg_xgen *gen, vg_xdoc *xd, const char *s, size_t len, unsigned wdf_inc,
                      const char *prefix, unsigned flags, vg_err *err)
{
	vg_folded f;
	if (!s || len == 0)
		return 0;
	if (vg_text_fold(s, len, 0, &f) < 0)
		return vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	int rc = vg_xgen_index(gen, xd, f.text, f.len, wdf_inc, prefix, flags, err);
	vg_folded_clear(&f);
	return rc;
}

/* Blanks the letter and numbers of a code article cited in the folded
 * text ("l. 1226-10" of "article l. 1226-10"), which the reference's own
 * term stands for: as words, its numbers matched "10 %" or "35 heures". */
static int blank_article_number(const vg_ref_match *m, void *ctx)
{
	vg_folded *f = ctx;
	if (!strchr("LRDA", m->canon[0]) || !(m->canon[1] >= '0' && m->canon[1] <= '9'))
		return 0; /* a text ("décret n° 2012-1246"): its year is a word */
	char letter = (char)(m->canon[0] - 'A' + 'a');
	for (size_t i = m->start; i < m->end; i++) {
		if (f->text[i] == letter && (i == m->start || f->text[i - 1] == ' ')) {
			memset(f->text + i, ' ', m->end - i);
			break;
		}
	}
	return 0;
}

/* Indexes the body (without its first line when it is the title and
 * skip_title), with positions, and a term per kind of quantity it states,
 * weighing as a word would: it stands for the word that names it in
 * questions ("âge" for "seize ans"). */
static int index_body(vg_xgen *gen, vg_xdoc *xd, const vg_doc *doc, int skip_title, vg_err *err)
{
	vg_folded f;
	const char *body = doc->body;
	size_t len = doc->body_len, tlen = strlen(doc->title);
	if (skip_title && len > tlen && strncmp(body, doc->title, tlen) == 0 && body[tlen] == '\n') {
		body += tlen + 1;
		len -= tlen + 1;
	}
	if (!body || len == 0)
		return 0;
	if (vg_text_fold(body, len, 0, &f) < 0)
		return vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	vg_legalref_scan(f.text, f.len, VG_REF_QUERY, blank_article_number, &f);
	int rc = vg_xgen_index(gen, xd, f.text, f.len, 1, "", 0, err);
	unsigned stated = rc < 0 ? 0 : vg_quantity_stated(f.text, f.len);
	vg_folded_clear(&f);
	for (unsigned kind = 1; rc == 0 && kind < 1u << VG_QTY_KINDS; kind <<= 1)
		if (stated & kind)
			rc = vg_xdoc_add_term(xd, vg_quantity_term(kind), 1, err);
	return rc;
}

static int add_bool(vg_xdoc *xd, const char *prefix, const char *value, vg_err *err)
{
	if (!value || !*value)
		return 0;
	vg_strbuf b = VG_STRBUF_INIT;
	vg_strbuf_printf(&b, "%s%s", prefix, value);
	char *t = vg_strbuf_detach(&b);
	if (!t)
		return vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	int rc = vg_xdoc_add_term(xd, t, 0, err);
	free(t);
	return rc;
}

static int set_str_value(vg_xdoc *xd, unsigned slot, const char *v, vg_err *err)
{
	return v && *v ? vg_xdoc_set_value(xd, slot, v, strlen(v), err) : 0;
}

/* The facet values in VG_SLOT_FACETS, in fields.def's order, joined by
 * \x1f. */
static int set_facets(vg_xdoc *xd, const char *const values[VG_N_FIELDS], vg_err *err)
{
	vg_strbuf b = VG_STRBUF_INIT;
	int first = 1;
	for (size_t i = 0; i < VG_N_FIELDS; i++) {
		if (!vg_fields[i].facet)
			continue;
		if (!first)
			vg_strbuf_putc(&b, '\x1f');
		vg_strbuf_puts(&b, values[i] ? values[i] : "");
		first = 0;
	}
	int rc = b.oom ? vg_err_set(err, VG_ENOMEM, "mémoire insuffisante")
	               : vg_xdoc_set_value(xd, VG_SLOT_FACETS, b.ptr, b.len, err);
	vg_strbuf_free(&b);
	return rc;
}

/* A JSON string of s; a file name that is not UTF-8 (git allows any
 * bytes) is decoded as Windows-1252 rather than lost. */
static json_t *text_json(const char *s)
{
	if (!s)
		return json_null();
	json_t *j = json_string(s);
	if (j)
		return j;
	char *utf8 = NULL;
	size_t len;
	int recoded;
	if (vg_text_to_utf8(s, strlen(s), &utf8, &len, &recoded) < 0)
		return NULL;
	j = json_stringn(utf8, len);
	free(utf8);
	return j;
}

static json_t *list_json(const vg_strlist *l)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < l->count; i++)
		json_array_append_new(a, text_json(l->items[i]));
	return a;
}

static int set_data(vg_xdoc *xd, json_t *meta, const char *body, size_t body_len, vg_err *err)
{
	char *js = json_dumps(meta, JSON_COMPACT);
	if (!js)
		return vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	vg_strbuf b = VG_STRBUF_INIT;
	vg_strbuf_add(&b, js, strlen(js) + 1); /* keeps the NUL separator */
	vg_strbuf_add(&b, body ? body : "", body ? body_len : 0);
	free(js);
	if (b.oom)
		return vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	int rc = vg_xdoc_set_data(xd, b.ptr, b.len, err);
	vg_strbuf_free(&b);
	return rc;
}

/* Whether doc's title is only the article it is: "Article L3121-35". */
static int title_names_only(const vg_doc *doc)
{
	char canon[VG_REF_MAX];
	const char *t = doc->title;
	if (!doc->is_ref[0] || strncasecmp(t, "article ", 8) != 0)
		return 0;
	return vg_legalref_canonical(t + 8, canon) == 0 && strcmp(canon, doc->is_ref) == 0;
}

int vg_fields_build(vg_xgen *gen, const vg_doc *doc, const char *commit_hex,
                    const char *blob_hex, vg_xdoc **out, vg_err *err)
{
	vg_xdoc *xd = NULL;
	json_t *meta = NULL;
	int rc;
	char *pterm = NULL;

	*out = NULL;
	if ((rc = vg_xdoc_new(&xd, err)) < 0)
		return rc;
	size_t tlen = strlen(doc->title);
	/* Title words weigh thrice in the plain text, and make a field. Only
	 * the body and the title field keep positions for phrase searches. An
	 * article's title that only names it ("Article L3121-35") says nothing
	 * of its text: it is not in the plain words at all, nor the same
	 * heading atop its text, which ranked the articles numbered 35 first
	 * for "35 heures" (the article is found by its reference). */
	int names_only = title_names_only(doc);
	if ((!names_only && (rc = index_text(gen, xd, doc->title, tlen, 3, "", VG_XGEN_NO_POSITIONS, err)) < 0) ||
	    (rc = index_text(gen, xd, doc->title, tlen, 1, VG_PREFIX(TITLE), 0, err)) < 0 ||
	    (rc = index_body(gen, xd, doc, names_only, err)) < 0)
		goto fail;
	if (doc->auteur && (rc = index_text(gen, xd, doc->auteur, strlen(doc->auteur), 1, VG_PREFIX(AUTHOR),
	                                    VG_XGEN_NO_POSITIONS, err)) < 0)
		goto fail;
	for (size_t i = 0; i < doc->mots_cles.count; i++) {
		const char *k = doc->mots_cles.items[i];
		if ((rc = index_text(gen, xd, k, strlen(k), 1, VG_PREFIX(KEYWORD), VG_XGEN_NO_POSITIONS, err)) < 0 ||
		    (rc = index_text(gen, xd, k, strlen(k), 2, "", VG_XGEN_NO_POSITIONS, err)) < 0)
			goto fail;
	}
	/* The headings above it are its context: words of the text, and a
	 * field of their own. */
	for (size_t i = 0; i < doc->breadcrumb.count; i++) {
		/* Only what a level is about: "Section 3 : Organisation
		 * financière" gives "Organisation financière"; a heading without
		 * such a label ("Partie législative", the code's name) is every
		 * document's and says nothing of one. */
		const char *h = strstr(doc->breadcrumb.items[i], " : ");
		if (!h)
			continue;
		h += 3;
		if ((rc = index_text(gen, xd, h, strlen(h), 1, "", 0, err)) < 0 ||
		    (rc = index_text(gen, xd, h, strlen(h), 1, VG_PREFIX(SECTION), VG_XGEN_NO_POSITIONS, err)) < 0)
			goto fail;
	}
	/* Path words: "comptabilite/regies/regie-avances.md" → chemin:regies. */
	if ((rc = index_text(gen, xd, doc->path, strlen(doc->path), 1, VG_PREFIX(PATHWORD),
	                     VG_XGEN_NO_POSITIONS, err)) < 0)
		goto fail;
	for (size_t i = 0; i < doc->references.count; i++) {
		char term[VG_REF_MAX + 8], form[VG_REF_MAX];
		vg_legalref_term(doc->references.items[i], form);
		snprintf(term, sizeof(term), VG_P_REF "%s", form);
		if ((rc = vg_xdoc_add_term(xd, term, 1, err)) < 0)
			goto fail;
	}
	if (doc->is_ref[0]) {
		/* The article itself ranks first for its own reference. */
		char term[VG_REF_MAX + 8], form[VG_REF_MAX];
		vg_legalref_term(doc->is_ref, form);
		snprintf(term, sizeof(term), VG_P_REF "%s", form);
		if ((rc = vg_xdoc_add_term(xd, term, 5, err)) < 0 ||
		    (rc = add_bool(xd, VG_P_IS, form, err)) < 0)
			goto fail;
	}
	char annee[5] = "";
	char date8[9] = "";
	if (doc->date) {
		memcpy(annee, doc->date, 4);
		annee[4] = '\0';
		snprintf(date8, sizeof(date8), "%.4s%.2s%.2s", doc->date, doc->date + 5, doc->date + 8);
	}
	if (!(pterm = vg_fields_path_term(doc->path))) {
		rc = vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
		goto fail;
	}
	const char *values[VG_N_FIELDS];
	filter_values(doc, annee, values);
	for (size_t i = 0; i < VG_N_FIELDS; i++)
		if (vg_fields[i].kind == VG_FILTER && (rc = add_bool(xd, vg_fields[i].prefix, values[i], err)) < 0)
			goto fail;
	if ((rc = vg_xdoc_add_term(xd, pterm, 0, err)) < 0 || (rc = add_folders(xd, doc->path, err)) < 0 ||
	    (rc = vg_xdoc_add_term(xd, VG_T_DOC, 0, err)) < 0)
		goto fail;
	if (doc->problems.count && (rc = vg_xdoc_add_term(xd, VG_T_PROBLEM, 0, err)) < 0)
		goto fail;
	/* What legal watch follows: a note (its front matter says it was
	 * written by a jurist) citing articles, not an article of a code. */
	int watched = doc->has_front_matter && doc->references.count && !doc->is_ref[0];
	if (watched && (rc = vg_xdoc_add_term(xd, VG_T_CITES, 0, err)) < 0)
		goto fail;
	const char *base = strrchr(doc->path, '/');
	if (strcasecmp(base ? base + 1 : doc->path, "README.md") == 0 && (rc = vg_xdoc_add_term(xd, VG_T_INDEX, 0, err)) < 0)
		goto fail;
	if ((rc = set_str_value(xd, VG_SLOT_DATE, date8, err)) < 0 ||
	    (rc = set_facets(xd, values, err)) < 0)
		goto fail;

	meta = json_pack("{s:o, s:o, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, "
	                 "s:o, s:o, s:s}",
	                 "path", text_json(doc->path), "title", text_json(doc->title), "commit",
	                 commit_hex, "blob", blob_hex, "date", text_json(doc->date), "domaine",
	                 text_json(doc->domaine), "type", text_json(doc->type), "academie",
	                 text_json(doc->academie), "auteur", text_json(doc->auteur), "statut",
	                 text_json(doc->statut), "remplace", text_json(doc->remplace), "revu", text_json(doc->revu),
	                 "mots_cles",
	                 list_json(&doc->mots_cles), "references", list_json(&doc->references),
	                 "is_ref", text_json(doc->is_ref[0] ? doc->is_ref : NULL),
	                 "problems", list_json(&doc->problems), "format", doc->format);
	if (meta)
		json_object_set_new(meta, "watched", json_boolean(watched));
	if (!meta) {
		rc = vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
		goto fail;
	}
	if (doc->breadcrumb.count)
		json_object_set_new(meta, "breadcrumb", list_json(&doc->breadcrumb));
	if (doc->n_pages) {
		/* Where each page starts in the text: hits know their page. */
		json_t *pages = json_array();
		for (size_t i = 0; pages && i < doc->n_pages; i++)
			json_array_append_new(pages, json_integer((json_int_t)doc->pages[i]));
		json_object_set_new(meta, "pages", pages ? pages : json_null());
	}
	if ((rc = set_data(xd, meta, doc->body, doc->body_len, err)) < 0)
		goto fail;
	json_decref(meta);
	free(pterm);
	*out = xd;
	return 0;
fail:
	json_decref(meta);
	free(pterm);
	vg_xdoc_free(xd);
	return rc;
}

int vg_fields_build_skipped(const char *path, const char *commit_hex, const char *blob_hex,
                            const char *reason, vg_xdoc **out, vg_err *err)
{
	vg_xdoc *xd = NULL;
	int rc;
	*out = NULL;
	char *pterm = vg_fields_path_term(path);
	json_t *meta = json_pack("{s:o, s:o, s:s, s:s, s:[o]}", "path", text_json(path), "title",
	                         text_json(path), "commit", commit_hex, "blob", blob_hex, "problems",
	                         text_json(reason));
	if (!pterm || !meta) {
		rc = vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
		goto done;
	}
	if ((rc = vg_xdoc_new(&xd, err)) < 0 || (rc = vg_xdoc_add_term(xd, pterm, 0, err)) < 0 ||
	    (rc = vg_xdoc_add_term(xd, VG_T_PROBLEM, 0, err)) < 0 ||
	    (rc = set_data(xd, meta, "", 0, err)) < 0)
		goto done;
	*out = xd;
	xd = NULL;
done:
	vg_xdoc_free(xd);
	json_decref(meta);
	free(pterm);
	return rc;
}

int vg_fields_parse_data(const char *data, size_t len, json_t **meta, const char **body,
                         size_t *body_len, vg_err *err)
{
	const char *nul = memchr(data, '\0', len);
	size_t jlen = nul ? (size_t)(nul - data) : len;
	json_error_t jerr;
	*meta = json_loadb(data, jlen, 0, &jerr);
	if (!*meta)
		return vg_err_set(err, VG_ECORRUPT, "données de document illisibles : %s", jerr.text);
	*body = nul ? nul + 1 : data + len;
	*body_len = nul ? len - jlen - 1 : 0;
	return 0;
}

int vg_fields_load_meta(vg_xdb *db, unsigned docid, vg_xdoc **doc, json_t **meta, vg_err *err)
{
	char *data = NULL;
	size_t len = 0, blen;
	const char *body;
	*doc = NULL;
	*meta = NULL;
	int rc;
	if ((rc = vg_xdb_get(db, docid, doc, err)) == 0 && (rc = vg_xdoc_get_data(*doc, &data, &len, err)) == 0)
		rc = vg_fields_parse_data(data, len, meta, &body, &blen, err);
	free(data);
	return rc;
}

int vg_fields_hit_meta(vg_xmset *m, unsigned i, unsigned *docid, json_t **meta, vg_err *err)
{
	char *data = NULL;
	size_t len = 0, blen;
	const char *body;
	int pct;
	*meta = NULL;
	int rc = vg_xmset_hit(m, i, docid, &pct, &data, &len, err);
	if (rc == 0)
		rc = vg_fields_parse_data(data, len, meta, &body, &blen, err);
	free(data);
	return rc;
}

void vg_fields_guide_term(char out[32])
{
	snprintf(out, 32, "%s%s", VG_PREFIX(TYPE), VG_TYPE_GUIDE);
}

int vg_fields_filter_term(const char *field, const char *value, char **term, vg_err *err)
{
	*term = NULL;
	char *f = vg_text_fold_str(field, 0);
	char *v = vg_text_fold_str(value, 0);
	int rc = 0;
	if (!f || !v) {
		rc = vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
		goto done;
	}
	vg_strbuf b = VG_STRBUF_INIT;
	if (strcmp(f, "ref") == 0) {
		char canon[VG_REF_MAX];
		if (vg_legalref_canonical(value, canon) < 0) {
			rc = vg_err_set(err, VG_EINVAL, "filtre ref : « %s » n'est pas une référence reconnue",
			                value);
			goto done;
		}
		char form[VG_REF_MAX];
		vg_legalref_term(canon, form);
		vg_strbuf_printf(&b, VG_P_REF "%s", form);
	} else if (strcmp(f, "dossier") == 0) {
		/* As written, case kept: "partie-legislative/livre-iv/". */
		size_t start = strspn(value, "/"), len = strlen(value + start);
		while (len && value[start + len - 1] == '/')
			len--;
		char *t = len ? name_term(VG_P_FOLDER, value + start, len) : NULL;
		if (!t) {
			rc = len ? vg_err_set(err, VG_ENOMEM, "mémoire insuffisante")
			         : vg_err_set(err, VG_EINVAL, "filtre dossier : dossier vide");
			goto done;
		}
		vg_strbuf_puts(&b, t);
		free(t);
	} else {
		const vg_field *def = vg_fields_find(f);
		if (def && def->kind == VG_FILTER)
			vg_strbuf_printf(&b, "%s%s", def->prefix, v);
		if (b.len == 0 && !b.oom) {
			vg_strbuf known = VG_STRBUF_INIT;
			for (size_t i = 0; i < VG_N_FIELDS; i++)
				if (vg_fields[i].kind == VG_FILTER)
					vg_strbuf_printf(&known, "%s, ", vg_fields[i].name);
			rc = vg_err_set(err, VG_EINVAL, "filtre inconnu « %s » (%sref ou dossier)", field, known.ptr ? known.ptr : "");
			vg_strbuf_free(&known);
			goto done;
		}
	}
	if (!(*term = vg_strbuf_detach(&b)))
		rc = vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
done:
	free(f);
	free(v);
	return rc;
}

char *vg_fields_meta_string(json_t *meta, const char *key, int *oom)
{
	const char *v = json_string_value(json_object_get(meta, key));
	char *copy = v ? strdup(v) : NULL;
	*oom |= v && !copy;
	return copy;
}

int vg_fields_meta_strings(json_t *meta, const char *key, vg_strlist *out)
{
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(meta, key), i, v) {
		if (json_is_string(v) && vg_strlist_add(out, json_string_value(v)) < 0)
			return VG_ENOMEM;
	}
	return 0;
}
