/* Read-only access to a documentation repository through libgit2, as
 * the server needs it: opening, the branch head, blobs and commits named
 * by their hex ids. The indexer's fuller interface, with libgit2's types,
 * is repo_git.h. A vg_repo is used by one thread at a time; open one per
 * thread. */
#ifndef VG_REPO_H
#define VG_REPO_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

typedef struct vg_repo vg_repo;

/* Opens a bare or non-bare repository at path. *out is freed with
 * vg_repo_free. */
int vg_repo_open(vg_repo **out, const char *path, vg_err *err);
void vg_repo_free(vg_repo *repo);
/* Opens the repository a git hook runs in (GIT_DIR and the quarantine's
 * GIT_OBJECT_DIRECTORY / GIT_ALTERNATE_OBJECT_DIRECTORIES). */
int vg_repo_open_env(vg_repo **out, vg_err *err);

/* The repository's git folder (".git" or the bare repository itself), with
 * a final slash; borrowed until vg_repo_free. */
const char *vg_repo_gitdir(vg_repo *repo);

/* The commit id the branch HEAD names, as 40 hex digits and a NUL, into
 * out; VG_ENOTFOUND for an empty repository. */
int vg_repo_head_hex(vg_repo *repo, char out[41], vg_err *err);
/* How many first-parent commits lead from head_hex back to since_hex
 * (all of them when since_hex is not among them) into *n. */
int vg_repo_count_since_hex(vg_repo *repo, const char *head_hex, const char *since_hex, size_t *n, vg_err *err);

/* Reads the blob hex (at most max bytes, VG_ETOOBIG beyond) into *data
 * (malloc'd, NUL-terminated) and *size; VG_ENOTFOUND for an unknown or
 * malformed id. */
int vg_repo_read_blob_hex(vg_repo *repo, const char *hex, size_t max, char **data, size_t *size, vg_err *err);

/* Author name and email, committer time and subject of commit hex, each
 * malloc'd (free() them); VG_ENOTFOUND for an unknown or malformed id. */
int vg_repo_describe_hex(vg_repo *repo, const char *hex, char **author, char **email, int64_t *time,
                         char **subject, vg_err *err);

/* Removes the quarantine folders of pushes (objects/tmp_objdir-incoming-*
 * and objects/incoming-*) untouched for max_age_s seconds: an interrupted
 * push leaves them behind. *removed (may be NULL) receives how many. This
 * function can't fail. */
void vg_repo_remove_stale_quarantines(vg_repo *repo, long max_age_s, size_t *removed);

#endif
