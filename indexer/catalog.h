/* Looking documents up in the index: one version of a document with what
 * surrounds it (references, citing documents, related ones), its history,
 * and completions for search-as-you-type. */
#ifndef VG_CATALOG_H
#define VG_CATALOG_H

#include <jansson.h>

#include "error.h"
#include "search.h"

/* The version of path visible at rev (NULL: current; a date or a commit
 * id) in the one index s reads: its metadata as stored, plus "version"
 * {commit, date, current, replaced_by}, "references" [{ref, repo, path,
 * title}] (path: the document that is that article, or null), "cited_by"
 * and "related" [{repo, path, title, date, revu, note}] (note: a watched
 * note, see veille.h), and "text", the plain body. The
 * current version's references and citing documents are looked up in
 * around (every repository the reader may read; NULL: s). VG_ENOTFOUND
 * when there is no such version. */
int vg_catalog_document(vg_searcher *s, vg_searcher *around, const char *path, const char *rev, json_t **out,
                        vg_err *err);

/* The version of path at rev as vg_catalog_document gives it (metadata,
 * "version", "text"), without what surrounds it: references as the
 * document lists them, no "cited_by" nor "related". VG_ENOTFOUND when
 * there is no such version. */
int vg_catalog_version(vg_searcher *s, const char *path, const char *rev, json_t **out, vg_err *err);

/* The plain text of the version of path at rev (NULL: current; a date or
 * a commit id) into *text (free it), without what surrounds it.
 * VG_ENOTFOUND when there is no such version. */
int vg_catalog_text(vg_searcher *s, const char *path, const char *rev, char **text, vg_err *err);

/* One version in a document's history. */
typedef struct vg_history_version {
	char *commit;        /* the commit that wrote it */
	char date[11];       /* that commit's day, "YYYY-MM-DD" ("" when unknown) */
	char *path;          /* where it was */
	char *title;         /* its title; NULL when it has none */
	char *blob;          /* its git blob */
	int current;         /* 1 while no commit has replaced it */
	char replaced_by[41]; /* otherwise: the commit that replaced or deleted it */
	char until[11];      /* and that commit's day */
} vg_history_version;

typedef struct vg_history {
	vg_history_version *versions; /* newest first */
	size_t n;
} vg_history;

/* The versions of the document at path, followed across renames, into
 * *out (vg_history_clear releases them; on failure there is nothing to
 * release). VG_ENOTFOUND for an unknown path, VG_ENOMEM, VG_EIO or
 * VG_ECORRUPT from the index. */
int vg_catalog_history(vg_history *out, vg_searcher *s, const char *path, vg_err *err);
/* Frees what *h holds and zeroes it. This function can't fail. */
void vg_history_clear(vg_history *h);

/* {"query", "completions": [...]}: indexed words that start like the last
 * word of prefix, most frequent first, at most limit. */
int vg_catalog_suggest(vg_searcher *s, const char *prefix, unsigned limit, json_t **out, vg_err *err);

#endif
