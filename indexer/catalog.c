#include "catalog.h"
#include "fields.h"
#include "legalref.h"
#include "strbuf.h"
#include "text.h"
#include "timeline.h"
#include "xapian_shim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


typedef struct version {
	double from, to;
	json_t *meta;
} version;

static int by_from_desc(const void *a, const void *b)
{
	double fa = ((const version *)a)->from, fb = ((const version *)b)->from;
	return fa < fb ? 1 : fa > fb ? -1 : 0;
}

/* When a version at positions [from, to) was in force: from its commit's
 * day, until the commit that replaced it (none while current); a day not
 * known is "". */
static void in_force(const vg_timeline *tl, double from, double to, char day[11], int *current, char by[41],
                     char until[11])
{
	if (vg_timeline_day_at(tl, from, day) < 0)
		day[0] = '\0';
	*current = to >= VG_SEQ_OPEN;
	const char *commit = *current ? NULL : vg_timeline_commit_at(tl, to);
	snprintf(by, 41, "%s", commit ? commit : "");
	if (*current || vg_timeline_day_at(tl, to, until) < 0)
		until[0] = '\0';
}

int vg_catalog_history(vg_history *out, vg_searcher *s, const char *path, vg_err *err)
{
	unsigned *ids = NULL;
	size_t n = 0;
	version *v = NULL;
	size_t nv = 0;
	char *lineage = NULL;
	int rc;
	vg_xdb *db = vg_searcher_db(s);
	const vg_timeline *tl = vg_searcher_timeline(s);
	memset(out, 0, sizeof(*out));
	char *pterm = vg_fields_path_term(path);
	if (!pterm)
		return vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	/* The newest version at this path gives the document's lineage. */
	rc = vg_xdb_postings(db, pterm, &ids, &n, err);
	free(pterm);
	double best = -1;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		vg_xdoc *d = NULL;
		if ((rc = vg_xdb_get(db, ids[i], &d, err)) < 0)
			break;
		double from = vg_xdoc_get_number(d, VG_SLOT_FROM, 0);
		if (from > best) {
			free(lineage);
			lineage = NULL;
			rc = vg_xdoc_get_value(d, VG_SLOT_LINEAGE, &lineage, NULL, err);
			best = from;
		}
		vg_xdoc_free(d);
	}
	free(ids);
	ids = NULL;
	if (rc == 0 && !lineage)
		rc = vg_err_set(err, VG_ENOTFOUND, "document introuvable : %s", path);
	if (rc < 0)
		goto done;
	char term[64];
	snprintf(term, sizeof(term), VG_P_LINEAGE "%s", lineage);
	if ((rc = vg_xdb_postings(db, term, &ids, &n, err)) < 0)
		goto done;
	v = calloc(n ? n : 1, sizeof(*v));
	if (!v) {
		rc = vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
		goto done;
	}
	for (size_t i = 0; i < n; i++) {
		vg_xdoc *d = NULL;
		if ((rc = vg_fields_load_meta(db, ids[i], &d, &v[nv].meta, err)) == 0) {
			v[nv].from = vg_xdoc_get_number(d, VG_SLOT_FROM, 0);
			v[nv].to = vg_xdoc_get_number(d, VG_SLOT_TO, VG_SEQ_OPEN);
			nv++;
		}
		vg_xdoc_free(d);
		if (rc < 0)
			goto done;
	}
	qsort(v, nv, sizeof(*v), by_from_desc);
	if (nv && !(out->versions = calloc(nv, sizeof(*out->versions)))) {
		rc = vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
		goto done;
	}
	for (size_t i = 0; i < nv; i++) {
		vg_history_version *hv = &out->versions[out->n++];
		const char *commit = json_string_value(json_object_get(v[i].meta, "commit"));
		const char *vpath = json_string_value(json_object_get(v[i].meta, "path"));
		const char *title = json_string_value(json_object_get(v[i].meta, "title"));
		const char *blob = json_string_value(json_object_get(v[i].meta, "blob"));
		hv->commit = strdup(commit ? commit : "");
		hv->path = strdup(vpath ? vpath : "");
		hv->title = title ? strdup(title) : NULL;
		hv->blob = strdup(blob ? blob : "");
		if (!hv->commit || !hv->path || (title && !hv->title) || !hv->blob) {
			rc = vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
			goto done;
		}
		in_force(tl, v[i].from, v[i].to, hv->date, &hv->current, hv->replaced_by, hv->until);
	}
	if (out->n == 0)
		rc = vg_err_set(err, VG_ENOTFOUND, "document introuvable : %s", path);
done:
	if (rc < 0)
		vg_history_clear(out);
	for (size_t i = 0; i < nv; i++)
		json_decref(v[i].meta);
	free(v);
	free(ids);
	free(lineage);
	return rc;
}

void vg_history_clear(vg_history *h)
{
	for (size_t i = 0; i < h->n; i++) {
		free(h->versions[i].commit);
		free(h->versions[i].path);
		free(h->versions[i].title);
		free(h->versions[i].blob);
	}
	free(h->versions);
	memset(h, 0, sizeof(*h));
}

static void link_clear(vg_doc_link *l)
{
	free(l->repo);
	free(l->path);
	free(l->title);
	free(l->date);
	free(l->revu);
	memset(l, 0, sizeof(*l));
}

/* The link to a document of repository repo (NULL: one repository) from
 * its stored metadata; VG_ENOMEM. */
static int link_of(vg_doc_link *l, const char *repo, json_t *meta)
{
	int oom = 0;
	l->repo = repo ? strdup(repo) : NULL;
	l->path = vg_fields_meta_string(meta, "path", &oom);
	l->title = vg_fields_meta_string(meta, "title", &oom);
	l->date = vg_fields_meta_string(meta, "date", &oom);
	l->revu = vg_fields_meta_string(meta, "revu", &oom);
	l->note = json_is_true(json_object_get(meta, "watched"));
	return oom || (repo && !l->repo) ? VG_ENOMEM : 0;
}

/* The hits, but for the document at path except of repository except_repo
 * (any of its versions: a version never lists itself), at most limit, into
 * *out; none when the search fails. VG_ENOMEM. */
static int hit_list(vg_searcher *s, vg_xsearch *spec, const char *except_repo, const char *except, unsigned limit,
                    vg_doc_link **out, size_t *n, vg_err *err)
{
	vg_xmset *m = NULL;
	*out = NULL;
	*n = 0;
	spec->n_shards = vg_searcher_shard_count(s);
	if (vg_xdb_search(vg_searcher_db(s), spec, &m, err) < 0)
		return 0;
	int rc = 0;
	unsigned size = vg_xmset_size(m);
	if (size && !(*out = calloc(size, sizeof(**out))))
		rc = VG_ENOMEM;
	for (unsigned i = 0; rc == 0 && i < size && *n < limit; i++) {
		unsigned docid;
		json_t *meta = NULL;
		const char *repo = vg_searcher_repo_name(s, vg_xmset_hit_shard(m, i));
		if (vg_fields_hit_meta(m, i, &docid, &meta, err) == 0 &&
		    !(except && strcmp(json_string_value(json_object_get(meta, "path")) ?: "", except) == 0 &&
		      (!repo || !except_repo || strcmp(repo, except_repo) == 0)))
			rc = link_of(&(*out)[(*n)++], repo, meta);
		json_decref(meta);
	}
	vg_xmset_free(m);
	return rc;
}

/* Documents holding term, as of position pos (< 0: current). */
static int documents_with(vg_searcher *s, const char *term, double pos, const char *except_repo, const char *except,
                          unsigned limit, vg_doc_link **out, size_t *n, vg_err *err)
{
	vg_xfilter f = {"t", term};
	vg_xsearch spec;
	char guide[32];
	const char *exclude[] = {guide};
	memset(&spec, 0, sizeof(spec));
	/* The repositories' own guides cite articles as examples. */
	vg_fields_guide_term(guide);
	spec.exclude = exclude;
	spec.n_exclude = 1;
	spec.filters = &f;
	spec.n_filters = 1;
	spec.as_of = pos;
	spec.limit = limit + 1;
	return hit_list(s, &spec, except_repo, except, limit, out, n, err);
}

/* Each reference d cites with the document that is that article as of
 * pos, if any. */
static int cited_articles(vg_searcher *s, vg_document *d, double pos, vg_err *err)
{
	if (d->references.count && !(d->cites = calloc(d->references.count, sizeof(*d->cites))))
		return VG_ENOMEM;
	for (size_t i = 0; i < d->references.count; i++) {
		vg_doc_ref *c = &d->cites[d->n_cites++];
		const char *canon = d->references.items[i];
		char form[VG_REF_MAX], term[VG_REF_MAX + 8];
		snprintf(c->ref, sizeof(c->ref), "%s", canon);
		vg_legalref_label(canon, c->label);
		vg_legalref_term(canon, form);
		snprintf(term, sizeof(term), VG_P_IS "%s", form);
		vg_doc_link *docs = NULL;
		size_t n = 0;
		int rc = documents_with(s, term, pos, NULL, NULL, 1, &docs, &n, err);
		if (n) {
			c->article = docs[0];
			memset(&docs[0], 0, sizeof(docs[0]));
		}
		for (size_t k = 0; k < n; k++)
			link_clear(&docs[k]);
		free(docs);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* The version of path at rev: its position *pos, docid, document (*d,
 * vg_xdoc_free it) and stored data (*data, free it). */
static int open_version(vg_searcher *s, const char *path, const char *rev, double *pos, unsigned *docid, vg_xdoc **d,
                        char **data, size_t *len, vg_err *err)
{
	int rc;
	*docid = 0;
	*d = NULL;
	*data = NULL;
	if ((rc = vg_searcher_position(s, rev, pos, err)) < 0 ||
	    (rc = vg_searcher_find_version(s, path, *pos, docid, err)) < 0)
		return rc;
	if (!*docid)
		return vg_err_set(err, VG_ENOTFOUND, "document introuvable : %s%s%s", path,
		                  rev && *rev ? " au " : "", rev && *rev ? rev : "");
	if ((rc = vg_xdb_get(vg_searcher_db(s), *docid, d, err)) == 0)
		rc = vg_xdoc_get_data(*d, data, len, err);
	return rc;
}

int vg_catalog_text(vg_searcher *s, const char *path, const char *rev, char **text, vg_err *err)
{
	double pos;
	unsigned docid;
	vg_xdoc *d = NULL;
	char *data = NULL;
	size_t len = 0, blen;
	json_t *meta = NULL;
	const char *body;
	*text = NULL;
	int rc = open_version(s, path, rev, &pos, &docid, &d, &data, &len, err);
	if (rc == 0 && (rc = vg_fields_parse_data(data, len, &meta, &body, &blen, err)) == 0 &&
	    !(*text = strndup(body, blen)))
		rc = vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	json_decref(meta);
	free(data);
	vg_xdoc_free(d);
	return rc;
}

/* The version of path at rev into *d, its position and docid. */
static int version_of(vg_document *d, vg_searcher *s, const char *path, const char *rev, double *pos, unsigned *docid,
                      vg_err *err)
{
	const vg_timeline *tl = vg_searcher_timeline(s);
	vg_xdoc *x = NULL;
	char *data = NULL;
	size_t len = 0, blen;
	json_t *meta = NULL;
	const char *body;
	int rc, oom = 0;
	memset(d, 0, sizeof(*d));
	if ((rc = open_version(s, path, rev, pos, docid, &x, &data, &len, err)) == 0 &&
	    (rc = vg_fields_parse_data(data, len, &meta, &body, &blen, err)) == 0) {
		char **strings[] = {&d->path,    &d->title,  &d->commit, &d->blob,  &d->date,
		                    &d->domaine, &d->type,   &d->academie, &d->auteur, &d->statut,
		                    &d->remplace, &d->revu,  &d->is_ref, &d->format};
		static const char *const keys[] = {"path",   "title",  "commit", "blob",     "date",
		                                   "domaine", "type",  "academie", "auteur", "statut",
		                                   "remplace", "revu", "is_ref", "format"};
		for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			*strings[i] = vg_fields_meta_string(meta, keys[i], &oom);
		oom |= vg_fields_meta_strings(meta, "mots_cles", &d->mots_cles) < 0 ||
		       vg_fields_meta_strings(meta, "references", &d->references) < 0 ||
		       vg_fields_meta_strings(meta, "problems", &d->problems) < 0 ||
		       vg_fields_meta_strings(meta, "breadcrumb", &d->breadcrumb) < 0;
		d->watched = json_is_true(json_object_get(meta, "watched"));
		json_t *pages = json_object_get(meta, "pages");
		if (json_array_size(pages) && !(d->pages = calloc(json_array_size(pages), sizeof(*d->pages))))
			oom = 1;
		for (size_t i = 0; d->pages && i < json_array_size(pages); i++)
			d->pages[d->n_pages++] = (unsigned long long)json_integer_value(json_array_get(pages, i));
		/* In force from the day its commit landed until the day the next
		 * one replaced it (the corpora's commits are dated as the law
		 * came into force). */
		double from = vg_xdoc_get_number(x, VG_SLOT_FROM, 0), to = vg_xdoc_get_number(x, VG_SLOT_TO, VG_SEQ_OPEN);
		in_force(tl, from, to, d->version_date, &d->current, d->replaced_by, d->until);
		/* The text as stored, NUL bytes and all. */
		if ((d->text = malloc(blen + 1))) {
			memcpy(d->text, body, blen);
			d->text[blen] = '\0';
			d->text_len = blen;
		} else {
			oom = 1;
		}
		if (oom)
			rc = vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	}
	json_decref(meta);
	free(data);
	vg_xdoc_free(x);
	if (rc < 0)
		vg_document_clear(d);
	return rc;
}

int vg_catalog_version(vg_document *out, vg_searcher *s, const char *path, const char *rev, vg_err *err)
{
	double pos;
	unsigned docid = 0;
	return version_of(out, s, path, rev, &pos, &docid, err);
}

int vg_catalog_document(vg_document *out, vg_searcher *s, vg_searcher *around, const char *path, const char *rev,
                        vg_err *err)
{
	double pos;
	unsigned docid = 0;
	int rc = version_of(out, s, path, rev, &pos, &docid, err);
	if (rc < 0)
		return rc;
	/* What it cites, what cites it and what is like it, as of the same
	 * position: time travel holds from one link to the next. Today's
	 * version looks in every repository read; a past one in its own,
	 * whose positions it shares. */
	vg_searcher *links = around && pos < 0 ? around : s;
	const char *self = vg_searcher_repo_name(s, 0);
	out->surrounded = 1;
	rc = cited_articles(links, out, pos, err);
	if (rc == 0 && out->is_ref) {
		char form[VG_REF_MAX], term[VG_REF_MAX + 8];
		vg_legalref_term(out->is_ref, form);
		snprintf(term, sizeof(term), VG_P_REF "%s", form);
		rc = documents_with(links, term, pos, self, path, 50, &out->cited_by, &out->n_cited_by, err);
	}
	if (rc == 0) {
		vg_xsearch spec;
		memset(&spec, 0, sizeof(spec));
		spec.as_of = pos;
		spec.like = docid;
		spec.limit = 6;
		rc = hit_list(s, &spec, NULL, path, 5, &out->related, &out->n_related, err);
	}
	if (rc < 0) {
		vg_document_clear(out);
		return vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	}
	return 0;
}

void vg_document_clear(vg_document *d)
{
	char **strings[] = {&d->path,     &d->title, &d->commit, &d->blob,   &d->date,   &d->domaine, &d->type,
	                    &d->academie, &d->auteur, &d->statut, &d->remplace, &d->revu, &d->is_ref, &d->format,
	                    &d->text};
	for (size_t i = 0; i < sizeof(strings) / sizeof(strings[0]); i++)
		free(*strings[i]);
	vg_strlist_clear(&d->mots_cles);
	vg_strlist_clear(&d->references);
	vg_strlist_clear(&d->problems);
	vg_strlist_clear(&d->breadcrumb);
	free(d->pages);
	for (size_t i = 0; i < d->n_cites; i++)
		link_clear(&d->cites[i].article);
	free(d->cites);
	for (size_t i = 0; i < d->n_cited_by; i++)
		link_clear(&d->cited_by[i]);
	free(d->cited_by);
	for (size_t i = 0; i < d->n_related; i++)
		link_clear(&d->related[i]);
	free(d->related);
	memset(d, 0, sizeof(*d));
}

static json_t *links_json(const vg_doc_link *links, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < n; i++) {
		const vg_doc_link *l = &links[i];
		json_t *o = json_pack("{s:s?, s:s?, s:s?, s:s?, s:s?, s:b}", "repo", l->repo, "path", l->path, "title",
		                      l->title, "date", l->date, "revu", l->revu, "note", l->note);
		if (json_array_append_new(a, o) < 0) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

static json_t *cites_json(const vg_document *d)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < d->n_cites; i++) {
		const vg_doc_ref *c = &d->cites[i];
		json_t *o = json_pack("{s:s, s:s}", "ref", c->ref, "label", c->label);
		/* An article found says its repository, null with one. */
		if (o && c->article.path)
			json_object_set_new(o, "repo", c->article.repo ? json_string(c->article.repo) : json_null());
		if (o) {
			json_object_set_new(o, "path", c->article.path ? json_string(c->article.path) : json_null());
			json_object_set_new(o, "title", c->article.title ? json_string(c->article.title) : json_null());
		}
		if (json_array_append_new(a, o) < 0) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

/* Sets o[key] to v (taken); 0, or -1 when v is NULL (o is then freed). */
static int set_or_drop(json_t **o, const char *key, json_t *v)
{
	if (*o && v && json_object_set_new(*o, key, v) == 0)
		return 0;
	json_decref(*o);
	*o = NULL;
	return -1;
}

json_t *vg_document_json(const vg_document *d)
{
	json_t *o = json_pack("{s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:o, s:o, s:s?, "
	                      "s:o, s:s?, s:b}",
	                      "path", d->path, "title", d->title, "commit", d->commit, "blob", d->blob, "date", d->date,
	                      "domaine", d->domaine, "type", d->type, "academie", d->academie, "auteur", d->auteur,
	                      "statut", d->statut, "remplace", d->remplace, "revu", d->revu, "mots_cles",
	                      vg_strings_json(&d->mots_cles), "references",
	                      d->surrounded ? cites_json(d) : vg_strings_json(&d->references), "is_ref", d->is_ref,
	                      "problems", vg_strings_json(&d->problems), "format", d->format, "watched", d->watched);
	if (o && d->breadcrumb.count)
		set_or_drop(&o, "breadcrumb", vg_strings_json(&d->breadcrumb));
	if (o && d->n_pages) {
		json_t *pages = json_array();
		for (size_t i = 0; pages && i < d->n_pages; i++)
			if (json_array_append_new(pages, json_integer((json_int_t)d->pages[i])) < 0) {
				json_decref(pages);
				pages = NULL;
			}
		set_or_drop(&o, "pages", pages);
	}
	if (o)
		set_or_drop(&o, "version",
		            json_pack("{s:s?, s:s?, s:b, s:s?, s:s?}", "commit", d->commit, "date",
		                      d->version_date[0] ? d->version_date : NULL, "current", d->current, "replaced_by",
		                      d->replaced_by[0] ? d->replaced_by : NULL, "until", d->until[0] ? d->until : NULL));
	if (o) {
		/* A text that is not UTF-8 (the indexer converts them) is shown
		 * empty rather than not at all. */
		json_t *text = json_stringn(d->text ? d->text : "", d->text_len);
		set_or_drop(&o, "text", text ? text : json_string(""));
	}
	if (o && d->surrounded && set_or_drop(&o, "cited_by", links_json(d->cited_by, d->n_cited_by)) == 0)
		set_or_drop(&o, "related", links_json(d->related, d->n_related));
	return o;
}

int vg_catalog_suggest(vg_strlist *out, vg_searcher *s, const char *prefix, unsigned limit, size_t *start,
                       vg_err *err)
{
	char **words = NULL;
	size_t n = 0;
	vg_folded f;
	memset(out, 0, sizeof(*out));
	*start = 0;
	if (vg_text_fold(prefix, strlen(prefix), VG_FOLD_MAP, &f) < 0)
		return vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	/* Complete the last word typed (folding split its elision off). */
	char *last = strrchr(f.text, ' ');
	last = last ? last + 1 : f.text;
	*start = f.orig[last - f.text];
	/* Typed with its accents ("élè"), the word is one written so
	 * ("élèves", not "élection"), when the documents have one: more
	 * words are read to find those. */
	char *typed = NULL;
	for (const char *p = prefix + *start; *p && !typed; p++)
		if ((unsigned char)*p >= 0x80)
			typed = vg_text_lower(prefix + *start, strlen(prefix + *start));
	int rc = 0;
	if (strlen(last) >= 2)
		rc = vg_xdb_complete(vg_searcher_db(s), last, typed ? limit * 4 : limit, &words, &n, err);
	vg_strlist others = {NULL, 0};
	for (size_t i = 0; rc == 0 && i < n && out->count < limit; i++) {
		char *written = vg_searcher_written_form(s, words[i]);
		const char *w = written ? written : words[i];
		int as_typed = !typed || strncmp(w, typed, strlen(typed)) == 0;
		if (vg_strlist_add_unique(as_typed ? out : &others, w) < 0)
			rc = vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
		free(written);
	}
	int none_as_typed = out->count == 0;
	for (size_t i = 0; rc == 0 && none_as_typed && i < others.count && i < limit; i++)
		if (vg_strlist_add(out, others.items[i]) < 0)
			rc = vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	vg_strlist_clear(&others);
	free(typed);
	for (size_t i = 0; i < n; i++)
		free(words[i]);
	free(words);
	vg_folded_clear(&f);
	if (rc < 0)
		vg_strlist_clear(out);
	return rc;
}
