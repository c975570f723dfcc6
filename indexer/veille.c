#include "veille.h"
#include "document.h"
#include "fields.h"
#include "legalref.h"
#include "text.h"
#include "timeline.h"
#include "xapian_shim.h"
#include "child.h"

#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

/* Notes are the watch's to follow: this many at most per answer. */
#define VEILLE_MAX_NOTES 10000

/* One version of an article, in the repository it belongs to. */
typedef struct version {
	double from, to;
	json_t *meta;
	char lineage[17];  /* the document across versions and renames */
	unsigned shard;    /* the repository it belongs to */
} version;

/* By repository, then by position in its history. */
static int by_shard_and_from(const void *a, const void *b)
{
	const version *x = a, *y = b;
	if (x->shard != y->shard)
		return (x->shard > y->shard) - (x->shard < y->shard);
	return (x->from > y->from) - (x->from < y->from);
}

/* The newest of the days a..c ("" for none). */
static const char *latest(const char *a, const char *b, const char *c)
{
	const char *best = a ? a : "";
	if (b && strcmp(b, best) > 0)
		best = b;
	if (c && strcmp(c, best) > 0)
		best = c;
	return best;
}

/* {"commit", "path"} of a version, or null. */
static json_t *version_ref(const vg_timeline *tl, const version *v)
{
	if (!v)
		return json_null();
	const char *commit = vg_timeline_commit_at(tl, v->from);
	return json_pack("{s:s?, s:O}", "commit", commit, "path", json_object_get(v->meta, "path"));
}

/* What changed in the versions v[0..n) of one article (one repository,
 * sorted by position) after day, as an article entry, or NULL when
 * nothing did. */
static json_t *article_changes(const vg_timeline *tl, const version *v, size_t n, const char *day,
                               json_t *successor)
{
	json_t *changes = json_array();
	const version *against = NULL, *current = NULL;
	for (size_t i = 0; changes && i < n; i++) {
		char from[11], to[11];
		vg_timeline_day_at(tl, v[i].from, from);
		vg_timeline_day_at(tl, v[i].to, to);
		if (strcmp(from, day) <= 0 && (v[i].to >= VG_SEQ_OPEN || strcmp(to, day) > 0))
			against = &v[i];
		if (v[i].to >= VG_SEQ_OPEN)
			current = &v[i];
		/* A version that came into force after the note; the first one
		 * is the article's creation, not a change of what it cited. */
		if (i > 0 && strcmp(from, day) > 0)
			json_array_append_new(changes, json_pack("{s:s, s:s?, s:s}", "date", from, "commit",
			                                         vg_timeline_commit_at(tl, v[i].from), "kind", "modifié"));
		/* The last version closed: renumbered when the document goes on
		 * as another article, repealed otherwise. */
		if (i + 1 == n && v[i].to < VG_SEQ_OPEN && strcmp(to, day) > 0) {
			json_t *c = json_pack("{s:s, s:s?, s:s}", "date", to, "commit", vg_timeline_commit_at(tl, v[i].to),
			                      "kind", successor ? "renuméroté" : "abrogé");
			if (c && successor)
				json_object_set(c, "renumbered_as", successor);
			json_array_append_new(changes, c);
		}
	}
	if (!changes || json_array_size(changes) == 0) {
		json_decref(changes);
		return NULL;
	}
	const version *last = &v[n - 1];
	return json_pack("{s:O, s:O, s:o, s:o, s:o}", "path", json_object_get(last->meta, "path"), "title",
	                 json_object_get(last->meta, "title"), "changes", changes, "written_against",
	                 version_ref(tl, against), "current", version_ref(tl, current));
}

/* The article that an article's last version became in the same
 * repository (shard k), renumbered, as {"path", "reference", "label"} into
 * *out, or NULL when the document ended there. */
static int successor_of(vg_searcher *s, unsigned k, const version *last, json_t **out, vg_err *err)
{
	char term[32];
	unsigned *ids = NULL;
	size_t n = 0;
	*out = NULL;
	if (!last->lineage[0])
		return 0;
	snprintf(term, sizeof(term), VG_P_LINEAGE "%s", last->lineage);
	vg_xdb *db = vg_searcher_db(s);
	int rc = vg_xdb_postings(db, term, &ids, &n, err);
	for (size_t i = 0; rc == 0 && !*out && i < n; i++) {
		vg_xdoc *d = NULL;
		json_t *meta = NULL;
		if (vg_searcher_shard_of(s, ids[i]) != k)
			continue;
		if ((rc = vg_fields_load_meta(db, ids[i], &d, &meta, err)) == 0 &&
		    vg_xdoc_get_number(d, VG_SLOT_FROM, 0) == last->to) {
			/* Another article; a file that is no article ended it. */
			const char *ref = json_string_value(json_object_get(meta, "is_ref"));
			char label[VG_REF_LABEL_MAX];
			if (ref) {
				vg_legalref_label(ref, label);
				*out = json_pack("{s:O, s:s, s:s}", "path", json_object_get(meta, "path"), "reference", ref,
				                 "label", label);
			}
		}
		json_decref(meta);
		vg_xdoc_free(d);
	}
	free(ids);
	return rc;
}

/* The versions of one reference in the repositories read, as last
 * loaded, and what tells whether they moved since. */
typedef struct ref_versions {
	char canon[VG_REF_MAX];
	char *fingerprint;  /* each version's docid and positions */
	version *v;         /* nv versions, by repository then position */
	size_t nv;
	json_t **successor; /* per repository: what its last version became, or NULL */
	size_t n_shards;
	int reloaded;       /* loaded by the review that kept it */
} ref_versions;

static void ref_free(ref_versions *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nv; i++)
		json_decref(r->v[i].meta);
	for (size_t k = 0; r->successor && k < r->n_shards; k++)
		json_decref(r->successor[k]);
	free(r->successor);
	free(r->v);
	free(r->fingerprint);
	free(r);
}

/* The documents that are reference canon, and their docids and positions
 * as text: the same text, the same versions. */
static int ref_fingerprint(vg_searcher *s, const char *canon, unsigned **ids, size_t *n, char **fp, vg_err *err)
{
	char form[VG_REF_MAX], term[VG_REF_MAX + 8];
	vg_legalref_term(canon, form);
	snprintf(term, sizeof(term), VG_P_IS "%s", form);
	*fp = NULL;
	vg_xdb *db = vg_searcher_db(s);
	int rc = vg_xdb_postings(db, term, ids, n, err);
	vg_strbuf b = VG_STRBUF_INIT;
	vg_strbuf_puts(&b, "");
	for (size_t i = 0; rc == 0 && i < *n; i++) {
		vg_xdoc *d = NULL;
		if ((rc = vg_xdb_get(db, (*ids)[i], &d, err)) == 0)
			vg_strbuf_printf(&b, "%u:%.0f:%.0f;", (*ids)[i], vg_xdoc_get_number(d, VG_SLOT_FROM, 0),
			                 vg_xdoc_get_number(d, VG_SLOT_TO, VG_SEQ_OPEN));
		vg_xdoc_free(d);
	}
	if (rc == 0 && b.oom)
		rc = vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	if (rc == 0)
		*fp = vg_strbuf_detach(&b);
	vg_strbuf_free(&b);
	return rc;
}

/* Loads the versions ids[0..n) of r, each repository's in its order, and
 * what each repository's last one became when it closed. */
static int ref_load(vg_searcher *s, ref_versions *r, const unsigned *ids, size_t n, vg_err *err)
{
	vg_xdb *db = vg_searcher_db(s);
	r->n_shards = vg_searcher_shard_count(s);
	r->v = calloc(n ? n : 1, sizeof(*r->v));
	r->successor = calloc(r->n_shards ? r->n_shards : 1, sizeof(*r->successor));
	if (!r->v || !r->successor)
		return vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		vg_xdoc *d = NULL;
		char *lin = NULL;
		version *v = &r->v[r->nv];
		if ((rc = vg_fields_load_meta(db, ids[i], &d, &v->meta, err)) == 0 &&
		    (rc = vg_xdoc_get_value(d, VG_SLOT_LINEAGE, &lin, NULL, err)) == 0) {
			v->from = vg_xdoc_get_number(d, VG_SLOT_FROM, 0);
			v->to = vg_xdoc_get_number(d, VG_SLOT_TO, VG_SEQ_OPEN);
			snprintf(v->lineage, sizeof(v->lineage), "%s", lin ? lin : "");
			v->shard = vg_searcher_shard_of(s, ids[i]);
			r->nv++;
		} else {
			json_decref(v->meta);
			v->meta = NULL;
		}
		free(lin);
		vg_xdoc_free(d);
	}
	qsort(r->v, r->nv, sizeof(*r->v), by_shard_and_from);
	for (size_t i = 0; rc == 0 && i < r->nv; i++) {
		const version *last = &r->v[i];
		if ((i + 1 == r->nv || r->v[i + 1].shard != last->shard) && last->to < VG_SEQ_OPEN)
			rc = successor_of(s, last->shard, last, &r->successor[last->shard], err);
	}
	return rc;
}

/* The article entries of r (one per repository holding it) that changed
 * after day, appended to articles. */
static void ref_articles(vg_searcher *s, const ref_versions *r, const char *day, json_t *articles)
{
	char label[VG_REF_LABEL_MAX];
	vg_legalref_label(r->canon, label);
	for (size_t i = 0, m; i < r->nv; i += m) {
		unsigned k = r->v[i].shard;
		for (m = 1; i + m < r->nv && r->v[i + m].shard == k; m++)
			;
		json_t *a = article_changes(vg_searcher_shard_timeline(s, k), &r->v[i], m, day, r->successor[k]);
		if (!a)
			continue;
		const char *repo = vg_searcher_repo_name(s, k);
		json_object_set_new(a, "repo", repo ? json_string(repo) : json_null());
		json_object_set_new(a, "reference", json_string(r->canon));
		json_object_set_new(a, "label", json_string(label));
		json_array_append_new(articles, a);
	}
}

/* ---- the list --------------------------------------------------------- */

static void version_clear(vg_veille_version *v)
{
	free(v->path);
	memset(v, 0, sizeof(*v));
}

static void article_clear(vg_veille_article *a)
{
	free(a->repo);
	free(a->path);
	free(a->title);
	for (size_t i = 0; i < a->n_changes; i++)
		free(a->changes[i].renumbered_path);
	free(a->changes);
	version_clear(&a->written_against);
	version_clear(&a->current);
	memset(a, 0, sizeof(*a));
}

static void note_clear(vg_veille_note *n)
{
	free(n->repo);
	free(n->path);
	free(n->title);
	free(n->domaine);
	free(n->academie);
	for (size_t i = 0; i < n->n_articles; i++)
		article_clear(&n->articles[i]);
	free(n->articles);
	memset(n, 0, sizeof(*n));
}

void vg_veille_list_clear(vg_veille_list *l)
{
	for (size_t i = 0; i < l->n_notes; i++)
		note_clear(&l->notes[i]);
	free(l->notes);
	memset(l, 0, sizeof(*l));
}

const char *vg_veille_newest_change(const vg_veille_note *n)
{
	const char *best = "";
	for (size_t i = 0; i < n->n_articles; i++)
		for (size_t k = 0; k < n->articles[i].n_changes; k++)
			if (strcmp(n->articles[i].changes[k].date, best) > 0)
				best = n->articles[i].changes[k].date;
	return best;
}

static int by_newest_change(const void *a, const void *b)
{
	return strcmp(vg_veille_newest_change(b), vg_veille_newest_change(a));
}

static char *copy_of(const char *s, int *oom)
{
	char *c = s ? strdup(s) : NULL;
	*oom |= s && !c;
	return c;
}

/* A version of a review entry ({"commit", "path"} or null) into v. */
static void version_from(json_t *j, vg_veille_version *v, int *oom)
{
	if (!json_is_object(j))
		return;
	v->known = 1;
	snprintf(v->commit, sizeof(v->commit), "%s", json_string_value(json_object_get(j, "commit")) ?: "");
	v->path = vg_fields_meta_string(j, "path", oom);
}

/* A review entry of the cache (article_changes, note_entry) into n. */
static void note_from(json_t *e, vg_veille_note *n, int *oom)
{
	n->repo = vg_fields_meta_string(e, "repo", oom);
	n->path = vg_fields_meta_string(e, "path", oom);
	n->title = vg_fields_meta_string(e, "title", oom);
	n->domaine = vg_fields_meta_string(e, "domaine", oom);
	n->academie = vg_fields_meta_string(e, "academie", oom);
	snprintf(n->date, sizeof(n->date), "%s", json_string_value(json_object_get(e, "date")) ?: "");
	json_t *articles = json_object_get(e, "articles");
	if (!(n->articles = calloc(json_array_size(articles) + 1, sizeof(*n->articles)))) {
		*oom = 1;
		return;
	}
	size_t i, k;
	json_t *a, *c;
	json_array_foreach(articles, i, a) {
		vg_veille_article *t = &n->articles[n->n_articles++];
		t->repo = vg_fields_meta_string(a, "repo", oom);
		t->path = vg_fields_meta_string(a, "path", oom);
		t->title = vg_fields_meta_string(a, "title", oom);
		snprintf(t->reference, sizeof(t->reference), "%s", json_string_value(json_object_get(a, "reference")) ?: "");
		snprintf(t->label, sizeof(t->label), "%s", json_string_value(json_object_get(a, "label")) ?: "");
		version_from(json_object_get(a, "written_against"), &t->written_against, oom);
		version_from(json_object_get(a, "current"), &t->current, oom);
		json_t *changes = json_object_get(a, "changes");
		if (!(t->changes = calloc(json_array_size(changes) + 1, sizeof(*t->changes)))) {
			*oom = 1;
			return;
		}
		json_array_foreach(changes, k, c) {
			vg_veille_change *ch = &t->changes[t->n_changes++];
			const char *kind = json_string_value(json_object_get(c, "kind")) ?: "";
			ch->kind = strcmp(kind, "renuméroté") == 0 ? "renuméroté" : strcmp(kind, "abrogé") == 0 ? "abrogé" : "modifié";
			snprintf(ch->date, sizeof(ch->date), "%s", json_string_value(json_object_get(c, "date")) ?: "");
			snprintf(ch->commit, sizeof(ch->commit), "%s", json_string_value(json_object_get(c, "commit")) ?: "");
			json_t *as = json_object_get(c, "renumbered_as");
			if (json_is_object(as)) {
				ch->renumbered_path = copy_of(json_string_value(json_object_get(as, "path")) ?: "", oom);
				snprintf(ch->renumbered_ref, sizeof(ch->renumbered_ref), "%s",
				         json_string_value(json_object_get(as, "reference")) ?: "");
				snprintf(ch->renumbered_label, sizeof(ch->renumbered_label), "%s",
				         json_string_value(json_object_get(as, "label")) ?: "");
			}
		}
	}
}

static json_t *version_json(const vg_veille_version *v)
{
	if (!v->known)
		return json_null();
	return json_pack("{s:s?, s:s?}", "commit", v->commit[0] ? v->commit : NULL, "path", v->path);
}

static json_t *change_json(const vg_veille_article *a, const vg_veille_change *c, const vg_veille_json_hooks *hooks)
{
	json_t *o = json_pack("{s:s, s:s?, s:s}", "date", c->date, "commit", c->commit[0] ? c->commit : NULL, "kind",
	                      c->kind);
	if (o && c->renumbered_path) {
		json_t *as = json_pack("{s:s, s:s, s:s}", "path", c->renumbered_path, "reference", c->renumbered_ref, "label",
		                       c->renumbered_label);
		if (!as || json_object_set_new(o, "renumbered_as", as) < 0) {
			json_decref(o);
			return NULL;
		}
	}
	if (o && hooks && hooks->change)
		hooks->change(hooks->ctx, a, c, o);
	return o;
}

json_t *vg_veille_articles_json(const vg_veille_note *n, const vg_veille_json_hooks *hooks)
{
	json_t *list = json_array();
	for (size_t i = 0; list && i < n->n_articles; i++) {
		const vg_veille_article *a = &n->articles[i];
		json_t *changes = json_array();
		for (size_t k = 0; changes && k < a->n_changes; k++)
			if (json_array_append_new(changes, change_json(a, &a->changes[k], hooks)) < 0) {
				json_decref(changes);
				changes = NULL;
			}
		json_t *o = changes ? json_pack("{s:s?, s:s?, s:o, s:o, s:o, s:s?, s:s, s:s}", "path", a->path, "title",
		                                a->title, "changes", changes, "written_against",
		                                version_json(&a->written_against), "current", version_json(&a->current),
		                                "repo", a->repo, "reference", a->reference, "label", a->label)
		                    : NULL;
		if (o && hooks && hooks->article)
			hooks->article(hooks->ctx, a, o);
		if (json_array_append_new(list, o) < 0) {
			json_decref(list);
			list = NULL;
		}
	}
	return list;
}

json_t *vg_veille_json(const vg_veille_list *l, const vg_veille_json_hooks *hooks)
{
	json_t *notes = json_array();
	for (size_t i = 0; notes && i < l->n_notes; i++) {
		const vg_veille_note *n = &l->notes[i];
		json_t *articles = vg_veille_articles_json(n, hooks);
		json_t *o = articles ? json_pack("{s:s?, s:s?, s:s?, s:s, s:s?, s:s?, s:o}", "repo", n->repo, "path", n->path,
		                                 "title", n->title, "date", n->date, "domaine", n->domaine, "academie",
		                                 n->academie, "articles", articles)
		                     : NULL;
		if (json_array_append_new(notes, o) < 0) {
			json_decref(notes);
			notes = NULL;
		}
	}
	return notes ? json_pack("{s:o}", "notes", notes) : NULL;
}

/* 1 when a change of that day is in the period asked. */
static int in_period(const vg_veille_opts *o, const char *day)
{
	return (!o->since || strcmp(day, o->since) >= 0) && (!o->until || strcmp(day, o->until) <= 0);
}

/* 1 when a note's field value is the value asked, as the index folds
 * both (accents and case aside). */
static int same_value(const char *v, const char *asked)
{
	if (!asked)
		return 1;
	if (!v)
		return 0;
	char *a = vg_text_fold_str(v, 0), *b = vg_text_fold_str(asked, 0);
	int same = a && b && strcmp(a, b) == 0;
	free(a);
	free(b);
	return same;
}

static void version_copy(vg_veille_version *to, const vg_veille_version *from, int *oom)
{
	*to = *from;
	to->path = copy_of(from->path, oom);
}

/* The changes of a in the period, copied into *to; 0 when none. */
static int article_in_period(vg_veille_article *to, const vg_veille_article *a, const vg_veille_opts *o, int *oom)
{
	size_t kept = 0;
	for (size_t k = 0; k < a->n_changes; k++)
		kept += in_period(o, a->changes[k].date);
	if (!kept)
		return 0;
	if (!(to->changes = calloc(kept, sizeof(*to->changes)))) {
		*oom = 1;
		return 0;
	}
	for (size_t k = 0; k < a->n_changes; k++) {
		if (!in_period(o, a->changes[k].date))
			continue;
		vg_veille_change *c = &to->changes[to->n_changes++];
		*c = a->changes[k];
		c->renumbered_path = copy_of(a->changes[k].renumbered_path, oom);
	}
	to->repo = copy_of(a->repo, oom);
	to->path = copy_of(a->path, oom);
	to->title = copy_of(a->title, oom);
	memcpy(to->reference, a->reference, sizeof(to->reference));
	memcpy(to->label, a->label, sizeof(to->label));
	version_copy(&to->written_against, &a->written_against, oom);
	version_copy(&to->current, &a->current, oom);
	return 1;
}

int vg_veille_filter(vg_veille_list *out, const vg_veille_list *all, const vg_veille_opts *o)
{
	int oom = 0;
	memset(out, 0, sizeof(*out));
	if (!(out->notes = calloc(all->n_notes + 1, sizeof(*out->notes))))
		return VG_ENOMEM;
	for (size_t i = 0; i < all->n_notes && !oom; i++) {
		const vg_veille_note *n = &all->notes[i];
		if ((o->repo && (!n->repo || strcmp(n->repo, o->repo) != 0)) ||
		    (o->path && (!n->path || strcmp(n->path, o->path) != 0)) || !same_value(n->domaine, o->domaine) ||
		    !same_value(n->academie, o->academie))
			continue;
		vg_veille_note *k = &out->notes[out->n_notes++];
		if (!(k->articles = calloc(n->n_articles + 1, sizeof(*k->articles)))) {
			oom = 1;
			break;
		}
		for (size_t j = 0; j < n->n_articles; j++)
			k->n_articles += article_in_period(&k->articles[k->n_articles], &n->articles[j], o, &oom);
		if (!k->n_articles) {
			note_clear(k);
			out->n_notes--;
			continue;
		}
		k->repo = copy_of(n->repo, &oom);
		k->path = copy_of(n->path, &oom);
		k->title = copy_of(n->title, &oom);
		k->domaine = copy_of(n->domaine, &oom);
		k->academie = copy_of(n->academie, &oom);
		memcpy(k->date, n->date, sizeof(k->date));
	}
	/* A period may leave another change the newest of a note. */
	qsort(out->notes, out->n_notes, sizeof(*out->notes), by_newest_change);
	if (oom) {
		vg_veille_list_clear(out);
		return VG_ENOMEM;
	}
	return 0;
}

/* What a note's current version says for the watch, and what it gave. */
typedef struct note_info {
	json_t *base;  /* {"repo", "path", "title", "date", "domaine", "academie"} */
	json_t *refs;  /* the references it cites */
	json_t *entry; /* its review entry, or NULL: nothing to review */
	int computed;  /* entry is made */
} note_info;

/* The notes (by docid) and references (by canonical form) of the last
 * review: their "index" objects give each one's place in its array. */
struct vg_veille_cache {
	note_info *notes;
	size_t n_notes;
	json_t *note_index;
	ref_versions **refs;
	size_t n_refs;
	json_t *ref_index;
	char *generations;            /* of the indexes read (vg_searcher_generations) */
	size_t notes_read, refs_read; /* by the last review */
};

vg_veille_cache *vg_veille_cache_new(void)
{
	return calloc(1, sizeof(vg_veille_cache));
}

static void cache_clear(vg_veille_cache *c)
{
	for (size_t i = 0; i < c->n_notes; i++) {
		json_decref(c->notes[i].base);
		json_decref(c->notes[i].refs);
		json_decref(c->notes[i].entry);
	}
	free(c->notes);
	for (size_t i = 0; i < c->n_refs; i++)
		ref_free(c->refs[i]);
	free(c->refs);
	json_decref(c->note_index);
	json_decref(c->ref_index);
	free(c->generations);
	memset(c, 0, sizeof(*c));
}

void vg_veille_cache_free(vg_veille_cache *c)
{
	if (!c)
		return;
	cache_clear(c);
	free(c);
}

void vg_veille_cache_reads(const vg_veille_cache *c, size_t *notes, size_t *refs)
{
	*notes = c->notes_read;
	*refs = c->refs_read;
}

/* The place of key in index, or -1. */
static long place_of(json_t *index, const char *key)
{
	json_t *at = json_object_get(index, key);
	return at ? (long)json_integer_value(at) : -1;
}

/* The versions of reference canon for this review (into next): the last
 * review's when none of them moved, loaded again otherwise. */
static int review_ref(vg_searcher *s, vg_veille_cache *last, vg_veille_cache *next, const char *canon,
                      ref_versions **out, vg_err *err)
{
	long at = place_of(next->ref_index, canon);
	if (at >= 0) {
		*out = next->refs[at];
		return 0;
	}
	unsigned *ids = NULL;
	size_t n = 0;
	char *fp = NULL;
	int rc = ref_fingerprint(s, canon, &ids, &n, &fp, err);
	long old = rc == 0 ? place_of(last->ref_index, canon) : -1;
	ref_versions *r = NULL;
	if (old >= 0 && last->refs[old] && strcmp(last->refs[old]->fingerprint, fp) == 0) {
		r = last->refs[old];
		last->refs[old] = NULL;
		r->reloaded = 0;
	} else if (rc == 0) {
		if (!(r = calloc(1, sizeof(*r)))) {
			rc = vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
		} else {
			snprintf(r->canon, sizeof(r->canon), "%s", canon);
			r->fingerprint = fp;
			fp = NULL;
			r->reloaded = 1;
			rc = ref_load(s, r, ids, n, err);
			next->refs_read++;
		}
	}
	free(fp);
	free(ids);
	/* Each cited reference is kept once: the array has room for all. */
	if (rc == 0 && json_object_set_new(next->ref_index, canon, json_integer((json_int_t)next->n_refs)) < 0)
		rc = vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	if (rc < 0) {
		ref_free(r);
		return rc;
	}
	next->refs[next->n_refs++] = r;
	*out = r;
	return 0;
}

/* What the watch needs of note hit i of m (its day, its references). */
static int note_base(vg_searcher *s, vg_xmset *m, unsigned i, note_info *ni, vg_err *err)
{
	unsigned docid, k = vg_xmset_hit_shard(m, i);
	json_t *meta = NULL;
	int rc = vg_fields_hit_meta(m, i, &docid, &meta, err);
	if (rc == 0) {
		/* The note's day: its date, its review, or its last commit. */
		char committed[11];
		vg_timeline_day_at(vg_searcher_shard_timeline(s, k), vg_xmset_hit_number(m, i, VG_SLOT_FROM), committed);
		const char *day = latest(json_string_value(json_object_get(meta, "date")),
		                         json_string_value(json_object_get(meta, "revu")), committed);
		ni->base = json_pack("{s:s?, s:O, s:O, s:s, s:O, s:O}", "repo", vg_searcher_repo_name(s, k), "path",
		                     json_object_get(meta, "path"), "title", json_object_get(meta, "title"), "date", day,
		                     "domaine", json_object_get(meta, "domaine"), "academie", json_object_get(meta, "academie"));
		json_t *refs = json_object_get(meta, "references");
		ni->refs = json_is_array(refs) ? json_incref(refs) : json_array();
		if (!ni->base || !ni->refs)
			rc = vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	}
	json_decref(meta);
	return rc;
}

/* The review entry of a note, from its references' versions, or NULL
 * when nothing it cites changed after it. */
static int note_entry(vg_searcher *s, vg_veille_cache *last, vg_veille_cache *next, note_info *ni, vg_err *err)
{
	const char *day = json_string_value(json_object_get(ni->base, "date"));
	json_t *articles = json_array(), *ref;
	size_t j;
	int rc = articles ? 0 : vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	json_array_foreach(rc == 0 ? ni->refs : NULL, j, ref) {
		ref_versions *r = NULL;
		if (rc == 0 && json_is_string(ref) && (rc = review_ref(s, last, next, json_string_value(ref), &r, err)) == 0)
			ref_articles(s, r, day, articles);
	}
	json_decref(ni->entry);
	ni->entry = NULL;
	ni->computed = rc == 0;
	if (rc == 0 && json_array_size(articles) > 0) {
		ni->entry = json_copy(ni->base);
		if (!ni->entry || json_object_set(ni->entry, "articles", articles) < 0)
			rc = vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	}
	json_decref(articles);
	return rc;
}

/* 1 when a reference of the note was loaded again by this review: its
 * entry must be made again. */
static int cites_moved(vg_searcher *s, vg_veille_cache *last, vg_veille_cache *next, const note_info *ni, int *moved,
                       vg_err *err)
{
	json_t *ref;
	size_t j;
	*moved = 0;
	json_array_foreach(ni->refs, j, ref) {
		ref_versions *r = NULL;
		int rc = json_is_string(ref) ? review_ref(s, last, next, json_string_value(ref), &r, err) : 0;
		if (rc < 0)
			return rc;
		*moved |= r && r->reloaded;
	}
	return 0;
}

/* The current notes of s that cite references, into next: the last
 * review's for a version it saw, read otherwise. */
static int review_notes(vg_searcher *s, vg_veille_cache *last, vg_veille_cache *next, vg_err *err)
{
	vg_xfilter note_filters[1] = {{"t", VG_T_CITES}};
	char guide[32];
	const char *exclude[] = {VG_T_INDEX, guide};
	vg_xsearch spec;
	vg_xmset *m = NULL;
	vg_fields_guide_term(guide);
	memset(&spec, 0, sizeof(spec));
	spec.filters = note_filters;
	spec.n_filters = 1;
	spec.exclude = exclude;
	spec.n_exclude = 2;
	spec.as_of = -1;
	spec.limit = VEILLE_MAX_NOTES;
	spec.n_shards = vg_searcher_shard_count(s);
	int rc = vg_xdb_search(vg_searcher_db(s), &spec, &m, err);
	size_t n = rc == 0 ? vg_xmset_size(m) : 0, refs = 0;
	if (rc == 0) {
		next->notes = calloc(n ? n : 1, sizeof(*next->notes));
		next->note_index = json_object();
		next->ref_index = json_object();
		if (!next->notes || !next->note_index || !next->ref_index)
			rc = vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	}
	for (unsigned i = 0; rc == 0 && i < n; i++) {
		char key[16];
		snprintf(key, sizeof(key), "%u", vg_xmset_hit_docid(m, i));
		long old = place_of(last->note_index, key);
		note_info *ni = &next->notes[next->n_notes];
		int fresh = old < 0 || !last->notes[old].base;
		if (!fresh) {
			*ni = last->notes[old];
			memset(&last->notes[old], 0, sizeof(*ni));
		} else if ((rc = note_base(s, m, i, ni, err)) == 0) {
			next->notes_read++;
		}
		next->n_notes++;
		if (rc == 0 && json_object_set_new(next->note_index, key, json_integer((json_int_t)i)) < 0)
			rc = vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
		refs += rc == 0 ? json_array_size(ni->refs) : 0;
	}
	vg_xmset_free(m);
	/* Room for every reference cited, once each. */
	if (rc == 0 && !(next->refs = calloc(refs ? refs : 1, sizeof(*next->refs))))
		rc = vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	for (size_t i = 0; rc == 0 && i < next->n_notes; i++) {
		note_info *ni = &next->notes[i];
		int moved = 0;
		/* A note of the last review keeps its entry unless what it
		 * cites moved. */
		if ((rc = cites_moved(s, last, next, ni, &moved, err)) == 0 && (moved || !ni->computed))
			rc = note_entry(s, last, next, ni, err);
	}
	return rc;
}

int vg_veille_review_cached(vg_veille_list *out, vg_searcher *s, vg_veille_cache *c, vg_err *err)
{
	vg_veille_cache next;
	memset(&next, 0, sizeof(next));
	memset(out, 0, sizeof(*out));
	/* An index built again names other documents by the same docids. */
	next.generations = vg_searcher_generations(s);
	if (!next.generations)
		return vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	if (!c->generations || strcmp(c->generations, next.generations) != 0)
		cache_clear(c);
	int rc = review_notes(s, c, &next, err), oom = 0;
	if (rc == 0 && !(out->notes = calloc(next.n_notes + 1, sizeof(*out->notes))))
		oom = 1;
	for (size_t i = 0; rc == 0 && !oom && i < next.n_notes; i++)
		if (next.notes[i].entry)
			note_from(next.notes[i].entry, &out->notes[out->n_notes++], &oom);
	if (rc == 0 && oom)
		rc = vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	if (rc == 0)
		qsort(out->notes, out->n_notes, sizeof(*out->notes), by_newest_change);
	else
		vg_veille_list_clear(out);
	/* What the last review had and this one did not keep goes; after a
	 * failure, everything does, and the next review reads all again. */
	cache_clear(c);
	if (rc < 0)
		cache_clear(&next);
	else
		*c = next;
	return rc;
}

int vg_veille_review(vg_veille_list *out, vg_searcher *s, const vg_veille_opts *o, vg_err *err)
{
	vg_veille_list all;
	memset(out, 0, sizeof(*out));
	memset(&all, 0, sizeof(all));
	vg_veille_cache *c = vg_veille_cache_new();
	int rc = c ? vg_veille_review_cached(&all, s, c, err) : vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	vg_veille_cache_free(c);
	/* Every option narrows the whole list, as the server narrows the one
	 * it keeps (vg_veille_filter). */
	if (rc == 0 && vg_veille_filter(out, &all, o) < 0)
		rc = vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	vg_veille_list_clear(&all);
	return rc;
}

void vg_veille_text(vg_strbuf *b, const vg_veille_list *l)
{
	for (size_t i = 0; i < l->n_notes; i++) {
		const vg_veille_note *n = &l->notes[i];
		vg_strbuf_printf(b, "%s%s%s (%s) — %s\n", n->repo ? n->repo : "", n->repo ? ":" : "", n->path ? n->path : "",
		                 n->date, n->title ? n->title : "");
		for (size_t j = 0; j < n->n_articles; j++) {
			const vg_veille_article *a = &n->articles[j];
			vg_strbuf_printf(b, "  %s (%s)\n", a->label, a->path ? a->path : "");
			for (size_t k = 0; k < a->n_changes; k++) {
				const vg_veille_change *ch = &a->changes[k];
				const char *as = ch->renumbered_path ? ch->renumbered_label : NULL;
				vg_strbuf_printf(b, "    %s%s%s le %s (commit %.10s)\n", ch->kind, as ? " en " : "", as ? as : "",
				                 ch->date, ch->commit);
			}
		}
	}
}

/* An RFC 2047 header word for UTF-8 text (quoted-printable, "Q"). */
static void header_word(vg_strbuf *b, const char *s)
{
	vg_strbuf_puts(b, "=?UTF-8?Q?");
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == ' ')
			vg_strbuf_putc(b, '_');
		else if (*p >= 0x80 || *p == '=' || *p == '?' || *p == '_' || *p < 0x20)
			vg_strbuf_printf(b, "=%02X", *p);
		else
			vg_strbuf_putc(b, (char)*p);
	}
	vg_strbuf_puts(b, "?=");
}

int vg_veille_mail(const char *sendmail, const char *address, const vg_veille_list *l, vg_err *err)
{
	size_t n = l->n_notes;
	char subject[96];
	snprintf(subject, sizeof(subject), "Vigie : %zu note%s à revoir", n, n > 1 ? "s" : "");
	vg_strbuf m = VG_STRBUF_INIT, out = VG_STRBUF_INIT, errout = VG_STRBUF_INIT;
	vg_strbuf_printf(&m, "To: %s\nSubject: ", address);
	header_word(&m, subject);
	vg_strbuf_puts(&m, "\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n"
	                   "Bonjour,\n\nLes articles que citent ces notes ont été modifiés ou abrogés depuis la date de la note "
	                   "(ou de sa dernière revue). Après vérification, indiquez-le par un champ « revu: AAAA-MM-JJ » "
	                   "dans l'en-tête de la note.\n\n");
	vg_veille_text(&m, l);
	vg_strbuf_puts(&m, "\n-- \nVigie, veille juridique des académies de Lille et d'Amiens\n");
	char *argv[] = {(char *)sendmail, "-t", "-oi", NULL};
	int status = 0, timed_out = 0;
	int rc = m.oom ? vg_err_set(err, VG_ENOMEM, "mémoire insuffisante")
	               : vg_child_run(argv, m.ptr, m.len, 60000, &out, &errout, &status, &timed_out, err);
	if (rc == 0 && (timed_out || !WIFEXITED(status) || WEXITSTATUS(status) != 0))
		rc = vg_err_set(err, VG_EIO, "%s n'a pas envoyé le message%s%.*s", sendmail, errout.len ? " : " : "",
		                (int)errout.len, errout.ptr ? errout.ptr : "");
	vg_strbuf_free(&m);
	vg_strbuf_free(&out);
	vg_strbuf_free(&errout);
	return rc;
}
