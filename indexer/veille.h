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
#include "legalref.h"
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

/* A change of an article after the note that cites it. */
typedef struct vg_veille_change {
	char date[11];          /* the day it came into force */
	char commit[41];        /* the commit that made it; "" when unknown */
	const char *kind;       /* "modifié", "abrogé" or "renuméroté" (static) */
	char *renumbered_path;  /* renuméroté: the article it became (NULL otherwise), */
	char renumbered_ref[VG_REF_MAX];        /* its reference */
	char renumbered_label[VG_REF_LABEL_MAX]; /* as the law writes it */
} vg_veille_change;

/* A version of an article: the commit that made it and its path. */
typedef struct vg_veille_version {
	int known;              /* 0: none (the article was not yet in force) */
	char commit[41];
	char *path;
} vg_veille_version;

/* An article a note cites, as the watch found it in one repository. */
typedef struct vg_veille_article {
	char *repo;             /* NULL where the searcher names no repository */
	char *path, *title;
	char reference[VG_REF_MAX];
	char label[VG_REF_LABEL_MAX];
	vg_veille_change *changes; /* since the note, oldest first */
	size_t n_changes;
	vg_veille_version written_against; /* the version in force on the note's day */
	vg_veille_version current;         /* today's */
} vg_veille_article;

/* A note to review: its current version's fields and what changed. */
typedef struct vg_veille_note {
	char *repo;             /* NULL where the searcher names no repository */
	char *path, *title, *domaine, *academie; /* NULL where it has none */
	char date[11];          /* its day: the newest of its date, revu and last commit */
	vg_veille_article *articles;
	size_t n_articles;
} vg_veille_note;

/* Notes to review, the one whose latest change is newest first. Strings
 * are owned; vg_veille_list_clear releases them. */
typedef struct vg_veille_list {
	vg_veille_note *notes;
	size_t n_notes;
} vg_veille_list;

/* Frees what *l holds and zeroes it. This function can't fail. */
void vg_veille_list_clear(vg_veille_list *l);

/* The day of a note's newest change ("" when none). This function can't
 * fail. */
const char *vg_veille_newest_change(const vg_veille_note *n);

/* What a caller adds to the JSON of an article or a change (the commit's
 * subject, a link): called with the object made and what it was made of.
 * Either may be NULL. */
typedef struct vg_veille_json_hooks {
	void (*article)(void *ctx, const vg_veille_article *a, json_t *obj);
	void (*change)(void *ctx, const vg_veille_article *a, const vg_veille_change *c, json_t *obj);
	void *ctx;
} vg_veille_json_hooks;

/* DESIGN.md's JSON of the list: {"notes": [{"repo", "path", "title",
 * "date", "domaine", "academie", "articles": [{"path", "title",
 * "changes": [{"date", "commit", "kind", and for a renumbering
 * "renumbered_as": {"path", "reference", "label"}}], "written_against":
 * {"commit", "path"} or null, "current": the same, "repo", "reference",
 * "label"}]}]}; hooks may be NULL. NULL when out of memory. */
json_t *vg_veille_json(const vg_veille_list *l, const vg_veille_json_hooks *hooks);
/* The "articles" array of one note, as vg_veille_json makes it. */
json_t *vg_veille_articles_json(const vg_veille_note *n, const vg_veille_json_hooks *hooks);

/* The notes to review in the repositories s reads that o keeps, into
 * *out. An unknown domaine or académie is no note; VG_ENOMEM, VG_EIO,
 * VG_ECORRUPT from the index. */
int vg_veille_review(vg_veille_list *out, vg_searcher *s, const vg_veille_opts *o, vg_err *err);

/* What the last review read, so that the next one reads again only what
 * moved: the notes whose current version is new, the references whose
 * versions changed (and the notes that cite them). One per searcher (its
 * docids are that searcher's); NULL when out of memory. Freeing NULL does
 * nothing. */
typedef struct vg_veille_cache vg_veille_cache;
vg_veille_cache *vg_veille_cache_new(void);
void vg_veille_cache_free(vg_veille_cache *c);

/* Every note to review (vg_veille_review without options), as of s's
 * indexes now, into *out, from what c kept of the last review and what
 * moved since; c then keeps this one. After a failure c is empty and the
 * next review reads everything. */
int vg_veille_review_cached(vg_veille_list *out, vg_searcher *s, vg_veille_cache *c, vg_err *err);

/* How many notes and references the last review of c had to read. This
 * function can't fail. */
void vg_veille_cache_reads(const vg_veille_cache *c, size_t *notes, size_t *refs);

/* The notes and changes of all that o keeps (repo, path, domaine,
 * academie, since, until), copied into *out, the newest change first;
 * VG_ENOMEM (*out is then empty). */
int vg_veille_filter(vg_veille_list *out, const vg_veille_list *all, const vg_veille_opts *o);

/* The list as French text, a line per note, article and change. */
void vg_veille_text(vg_strbuf *b, const vg_veille_list *l);

/* Sends the list, in French, to address through the sendmail program (-t:
 * the recipients are in the message); VG_EIO with its complaint when it
 * fails or takes longer than a minute. */
int vg_veille_mail(const char *sendmail, const char *address, const vg_veille_list *l, vg_err *err);

#endif
