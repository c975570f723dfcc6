/* Legal watch: the notes to review because an article they cite changed
 * after them. A note's date is the newest of its `date`, its `revu` and
 * the day its current version was committed; an article (a document that
 * is that reference, in any repository the searcher reads) changed after
 * it when a version of it came into force, or it was repealed or
 * renumbered, after that day. */
#ifndef VG_VEILLE_H
#define VG_VEILLE_H

#include <jansson.h>

#include "error.h"
#include "search.h"
#include "strbuf.h"

typedef struct vg_veille_opts {
	const char *repo;  /* only the notes of this repository (NULL: all) */
	const char *path;  /* only this note (NULL: all) */
	const char *since; /* only changes on or after this day (NULL: all) */
	const char *until; /* only changes on or before this day (NULL: all) */
	const char *domaine;  /* only the notes of this domaine (NULL: all) */
	const char *academie; /* only the notes of this académie (NULL: all) */
} vg_veille_opts;

/* {"notes": [{"repo", "path", "title", "date", "domaine", "academie",
 * "articles": [{"repo", "path", "title", "reference", "label",
 * "changes": [{"date", "commit", "kind": "modifié"|"abrogé"|"renuméroté",
 * and for a renumbering "renumbered_as": {"path", "reference", "label"}}],
 * "written_against": {"commit", "path"} or null,
 * "current": {"commit", "path"} or null}]}]}, the notes whose latest
 * change is newest first. repo is NULL where the searcher names no
 * repository. An unknown domaine or académie is no note; VG_ENOMEM.
 * *out: json_decref. */
int vg_veille_review(vg_searcher *s, const vg_veille_opts *o, json_t **out, vg_err *err);

/* What the last review read, so that the next one reads again only what
 * moved: the notes whose current version is new, the references whose
 * versions changed (and the notes that cite them). One per searcher (its
 * docids are that searcher's); NULL when out of memory. Freeing NULL does
 * nothing. */
typedef struct vg_veille_cache vg_veille_cache;
vg_veille_cache *vg_veille_cache_new(void);
void vg_veille_cache_free(vg_veille_cache *c);

/* Every note to review (vg_veille_review's answer without options), as
 * of s's indexes now, from what c kept of the last review and what moved
 * since; c then keeps this one. A note entry that did not change is the
 * same object as in the last answer. After a failure c is empty and the
 * next review reads everything. *out: json_decref. */
int vg_veille_review_cached(vg_searcher *s, vg_veille_cache *c, json_t **out, vg_err *err);

/* How many notes and references the last review of c had to read. This
 * function can't fail. */
void vg_veille_cache_reads(const vg_veille_cache *c, size_t *notes, size_t *refs);

/* The notes and changes of review (vg_veille_review's answer) that o
 * keeps (repo, path, domaine, academie, since, until), as a new object of
 * the same shape, the newest change first; NULL when out of memory. */
json_t *vg_veille_filter(json_t *review, const vg_veille_opts *o);

/* The review list as French text, a line per note, article and change. */
void vg_veille_text(vg_strbuf *b, json_t *res);

/* Sends the review list res, in French, to address through the sendmail
 * program (-t: the recipients are in the message); VG_EIO with its
 * complaint when it fails or takes longer than a minute. */
int vg_veille_mail(const char *sendmail, const char *address, json_t *res, vg_err *err);

#endif
