/* Breadcrumbs: the headings of the folders a document sits in, read from
 * each folder's README.md ("# Section 3 : Organisation financière"), the
 * way the legal codes and documentation repositories describe their
 * levels. They give a document its context in the index and in results. */
#ifndef VG_BREADCRUMB_H
#define VG_BREADCRUMB_H

#include "document.h"
#include "error.h"
#include "repo_git.h"

/* Headings already read, by README blob id: one cache per thread. */
typedef struct vg_breadcrumbs vg_breadcrumbs;

/* A new empty cache into *out (vg_breadcrumbs_free it); VG_ENOMEM. */
int vg_breadcrumbs_new(vg_breadcrumbs **out, vg_err *err);
/* Frees the cache; freeing NULL does nothing. */
void vg_breadcrumbs_free(vg_breadcrumbs *b);

/* Appends to *out the headings of the folders above path in commit's
 * tree, outermost (the repository's own README.md) first; a folder
 * without a README.md or without a heading is skipped. A README.md's own
 * folder is not above it. Fails only with VG_ENOMEM. */
int vg_breadcrumbs_for(vg_strlist *out, vg_breadcrumbs *b, vg_repo *repo, const git_oid *commit,
                       const char *path, vg_err *err);

/* The first Markdown heading of text[0..len) without its marks, malloc'd
 * into *out, or NULL when there is none; VG_ENOMEM. */
int vg_breadcrumb_heading(char **out, const char *text, size_t len);

#endif
