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
} version;

static int by_from(const void *a, const void *b)
{
	const version *x = a, *y = b;
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

/* The article entries of reference canon (one per repository holding it)
 * that changed after day, appended to articles. */
static int reference_changes(vg_searcher *s, const char *canon, const char *day, json_t *articles, vg_err *err)
{
	vg_xdb *db = vg_searcher_db(s);
	char form[VG_REF_MAX], term[VG_REF_MAX + 8], label[VG_REF_LABEL_MAX];
	vg_legalref_term(canon, form);
	snprintf(term, sizeof(term), VG_P_IS "%s", form);
	vg_legalref_label(canon, label);
	unsigned *ids = NULL;
	size_t n = 0;
	int rc = vg_xdb_postings(db, term, &ids, &n, err);
	version *v = rc == 0 ? calloc(n ? n : 1, sizeof(*v)) : NULL;
	unsigned *shard = rc == 0 ? calloc(n ? n : 1, sizeof(*shard)) : NULL;
	if (rc == 0 && (!v || !shard))
		rc = vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	size_t nv = 0;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		vg_xdoc *d = NULL;
		char *lin = NULL;
		if ((rc = vg_fields_load_meta(db, ids[i], &d, &v[nv].meta, err)) == 0 &&
		    (rc = vg_xdoc_get_value(d, VG_SLOT_LINEAGE, &lin, NULL, err)) == 0) {
			v[nv].from = vg_xdoc_get_number(d, VG_SLOT_FROM, 0);
			v[nv].to = vg_xdoc_get_number(d, VG_SLOT_TO, VG_SEQ_OPEN);
			snprintf(v[nv].lineage, sizeof(v[nv].lineage), "%s", lin ? lin : "");
			shard[nv++] = vg_searcher_shard_of(s, ids[i]);
		} else {
			json_decref(v[nv].meta);
			v[nv].meta = NULL;
		}
		free(lin);
		vg_xdoc_free(d);
	}
	/* Each repository's versions in their own order of positions. */
	for (size_t k = 0; rc == 0 && k < vg_searcher_shard_count(s); k++) {
		version *mine = calloc(nv ? nv : 1, sizeof(*mine));
		size_t m = 0;
		if (!mine) {
			rc = vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
			break;
		}
		for (size_t i = 0; i < nv; i++)
			if (shard[i] == k)
				mine[m++] = v[i];
		qsort(mine, m, sizeof(*mine), by_from);
		json_t *next = NULL;
		if (m && mine[m - 1].to < VG_SEQ_OPEN && (rc = successor_of(s, (unsigned)k, &mine[m - 1], &next, err)) < 0) {
			free(mine);
			break;
		}
		json_t *a = m ? article_changes(vg_searcher_shard_timeline(s, (unsigned)k), mine, m, day, next) : NULL;
		json_decref(next);
		if (a) {
			const char *repo = vg_searcher_repo_name(s, (unsigned)k);
			json_object_set_new(a, "repo", repo ? json_string(repo) : json_null());
			json_object_set_new(a, "reference", json_string(canon));
			json_object_set_new(a, "label", json_string(label));
			json_array_append_new(articles, a);
		}
		free(mine);
	}
	for (size_t i = 0; i < nv; i++)
		json_decref(v[i].meta);
	free(v);
	free(shard);
	free(ids);
	return rc;
}

/* The day of the newest change of a note entry. */
static const char *newest_change(json_t *note)
{
	const char *best = "";
	size_t i, j;
	json_t *a, *c;
	json_array_foreach(json_object_get(note, "articles"), i, a) {
		json_array_foreach(json_object_get(a, "changes"), j, c) {
			const char *d = json_string_value(json_object_get(c, "date"));
			if (d && strcmp(d, best) > 0)
				best = d;
		}
	}
	return best;
}

static int by_newest_change(const void *a, const void *b)
{
	return strcmp(newest_change(*(json_t *const *)b), newest_change(*(json_t *const *)a));
}

/* 1 when a change of that day is in the period asked. */
static int in_period(const vg_veille_opts *o, const char *day)
{
	return (!o->since || strcmp(day, o->since) >= 0) && (!o->until || strcmp(day, o->until) <= 0);
}

/* 1 when a note's field value is the value asked, as the index folds
 * both (accents and case aside). */
static int same_value(json_t *field, const char *asked)
{
	const char *v = json_string_value(field);
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

/* Appends to list a copy of entry whose key holds what was kept of it
 * (taken), unless nothing was. */
static void keep_with(json_t *list, json_t *entry, const char *key, json_t *kept)
{
	if (!json_array_size(kept)) {
		json_decref(kept);
		return;
	}
	json_t *copy = json_copy(entry);
	json_object_set_new(copy, key, kept);
	json_array_append_new(list, copy);
}

json_t *vg_veille_filter(json_t *review, const vg_veille_opts *o)
{
	json_t *kept = json_array();
	size_t i, j, k;
	json_t *note, *a, *c;
	json_array_foreach(json_object_get(review, "notes"), i, note) {
		const char *repo = json_string_value(json_object_get(note, "repo"));
		const char *path = json_string_value(json_object_get(note, "path"));
		if ((o->repo && (!repo || strcmp(repo, o->repo) != 0)) || (o->path && (!path || strcmp(path, o->path) != 0)) ||
		    !same_value(json_object_get(note, "domaine"), o->domaine) ||
		    !same_value(json_object_get(note, "academie"), o->academie))
			continue;
		json_t *articles = json_array();
		json_array_foreach(json_object_get(note, "articles"), j, a) {
			json_t *changes = json_array();
			json_array_foreach(json_object_get(a, "changes"), k, c)
				if (in_period(o, json_string_value(json_object_get(c, "date")) ?: ""))
					json_array_append(changes, c);
			keep_with(articles, a, "changes", changes);
		}
		keep_with(kept, note, "articles", articles);
	}
	/* A period may leave another change the newest of a note. */
	size_t n = json_array_size(kept);
	json_t **sorted = n ? calloc(n, sizeof(*sorted)) : NULL;
	if (sorted) {
		json_array_foreach(kept, i, note)
			sorted[i] = json_incref(note);
		qsort(sorted, n, sizeof(*sorted), by_newest_change);
		json_array_clear(kept);
		for (i = 0; i < n; i++)
			json_array_append_new(kept, sorted[i]);
		free(sorted);
	}
	return json_pack("{s:o}", "notes", kept);
}

/* Every note to review that s reads, the newest change first. */
static int review_all(vg_searcher *s, json_t **out, vg_err *err)
{
	vg_xfilter note_filters[1] = {{"t", VG_T_CITES}};
	char guide[32];
	const char *exclude[] = {VG_T_INDEX, guide};
	vg_xsearch spec;
	vg_xmset *m = NULL;
	*out = NULL;
	vg_fields_guide_term(guide);
	memset(&spec, 0, sizeof(spec));
	spec.query = "";
	spec.filters = note_filters;
	spec.n_filters = 1;
	spec.exclude = exclude;
	spec.n_exclude = 2;
	spec.as_of = -1;
	spec.limit = VEILLE_MAX_NOTES;
	spec.n_shards = vg_searcher_shard_count(s);
	int rc = vg_xdb_search(vg_searcher_db(s), &spec, &m, err);
	json_t **notes = rc == 0 ? calloc(vg_xmset_size(m) + 1, sizeof(*notes)) : NULL;
	size_t nn = 0;
	if (rc == 0 && !notes)
		rc = vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	for (unsigned i = 0; rc == 0 && i < vg_xmset_size(m); i++) {
		unsigned docid;
		json_t *meta = NULL;
		unsigned k = vg_xmset_hit_shard(m, i);
		const char *repo = vg_searcher_repo_name(s, k);
		if ((rc = vg_fields_hit_meta(m, i, &docid, &meta, err)) < 0) {
			json_decref(meta);
			break;
		}
		/* The note's day: its date, its review, or its last commit. */
		char committed[11];
		vg_timeline_day_at(vg_searcher_shard_timeline(s, k), vg_xmset_hit_number(m, i, VG_SLOT_FROM), committed);
		const char *day = latest(json_string_value(json_object_get(meta, "date")),
		                         json_string_value(json_object_get(meta, "revu")), committed);
		json_t *articles = json_array();
		size_t j;
		json_t *ref;
		json_array_foreach(articles ? json_object_get(meta, "references") : NULL, j, ref) {
			if (rc == 0 && json_is_string(ref))
				rc = reference_changes(s, json_string_value(ref), day, articles, err);
		}
		if (rc == 0 && articles && json_array_size(articles) > 0) {
			notes[nn++] = json_pack("{s:s?, s:O, s:O, s:s, s:O, s:O, s:O}", "repo", repo, "path",
			                        json_object_get(meta, "path"), "title", json_object_get(meta, "title"), "date",
			                        day, "domaine", json_object_get(meta, "domaine"), "academie",
			                        json_object_get(meta, "academie"), "articles", articles);
		}
		json_decref(articles);
		json_decref(meta);
	}
	vg_xmset_free(m);
	json_t *list = rc == 0 ? json_array() : NULL;
	if (rc == 0) {
		qsort(notes, nn, sizeof(*notes), by_newest_change);
		for (size_t i = 0; list && i < nn; i++)
			json_array_append(list, notes[i]);
		if (!list || !(*out = json_pack("{s:o}", "notes", list)))
			rc = vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	}
	for (size_t i = 0; i < nn; i++)
		json_decref(notes[i]);
	free(notes);
	return rc;
}

int vg_veille_review(vg_searcher *s, const vg_veille_opts *o, json_t **out, vg_err *err)
{
	json_t *all = NULL;
	*out = NULL;
	int rc = review_all(s, &all, err);
	/* Every option narrows the whole list, as the server narrows the one
	 * it keeps (vg_veille_filter). */
	if (rc == 0 && !(*out = vg_veille_filter(all, o)))
		rc = vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	json_decref(all);
	return rc;
}

void vg_veille_text(vg_strbuf *b, json_t *res)
{
	size_t i, j, k;
	json_t *note, *a, *ch;
	json_array_foreach(json_object_get(res, "notes"), i, note) {
		const char *repo = json_string_value(json_object_get(note, "repo"));
		vg_strbuf_printf(b, "%s%s%s (%s) — %s\n", repo ? repo : "", repo ? ":" : "",
		                 json_string_value(json_object_get(note, "path")), json_string_value(json_object_get(note, "date")),
		                 json_string_value(json_object_get(note, "title")));
		json_array_foreach(json_object_get(note, "articles"), j, a) {
			vg_strbuf_printf(b, "  %s (%s)\n", json_string_value(json_object_get(a, "label")),
			                 json_string_value(json_object_get(a, "path")));
			json_array_foreach(json_object_get(a, "changes"), k, ch) {
				const char *as = json_string_value(json_object_get(json_object_get(ch, "renumbered_as"), "label"));
				vg_strbuf_printf(b, "    %s%s%s le %s (commit %.10s)\n", json_string_value(json_object_get(ch, "kind")),
				                 as ? " en " : "", as ? as : "", json_string_value(json_object_get(ch, "date")),
				                 json_string_value(json_object_get(ch, "commit")) ?: "");
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

int vg_veille_mail(const char *sendmail, const char *address, json_t *res, vg_err *err)
{
	size_t n = json_array_size(json_object_get(res, "notes"));
	char subject[96];
	snprintf(subject, sizeof(subject), "Vigie : %zu note%s à revoir", n, n > 1 ? "s" : "");
	vg_strbuf m = VG_STRBUF_INIT, out = VG_STRBUF_INIT, errout = VG_STRBUF_INIT;
	vg_strbuf_printf(&m, "To: %s\nSubject: ", address);
	header_word(&m, subject);
	vg_strbuf_puts(&m, "\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n"
	                   "Bonjour,\n\nLes articles que citent ces notes ont été modifiés ou abrogés depuis la date de la note "
	                   "(ou de sa dernière revue). Après vérification, indiquez-le par un champ « revu: AAAA-MM-JJ » "
	                   "dans l'en-tête de la note.\n\n");
	vg_veille_text(&m, res);
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
