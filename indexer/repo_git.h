/* The indexer's access to a repository, with libgit2's ids: the
 * first-parent history of a branch, tree-to-tree changes with rename
 * detection, blobs straight from the object database (no checkout), and
 * what a push brings. */
#ifndef VG_REPO_GIT_H
#define VG_REPO_GIT_H

#include <git2.h>

#include "repo.h"

/* Resolves ref (NULL or "HEAD": the current branch) to a commit id. When
 * refname is not NULL it receives the full branch name (malloc'd), or
 * "HEAD" for a detached head. */
int vg_repo_resolve(vg_repo *repo, const char *ref, git_oid *out,
                    char **refname, vg_err *err);

/* The branch HEAD names ("refs/heads/main"), malloc'd into *out, even
 * when it has no commit yet; VG_ENOTFOUND for a detached HEAD. */
int vg_repo_head_branch(vg_repo *repo, char **out, vg_err *err);

/* The commits reachable from tip and from no existing ref (what a push
 * brings, seen from its pre-receive hook), oldest first, into *out
 * (free() it). */
int vg_repo_new_commits(vg_repo *repo, const git_oid *tip, git_oid **out, size_t *count, vg_err *err);

/* 1 when commit descends from (or is) ancestor, 0 when not; a negative
 * VG_E* on failure. */
int vg_repo_descends(vg_repo *repo, const git_oid *commit, const git_oid *ancestor, vg_err *err);

/* The first parent of commit into *parent; VG_ENOTFOUND for a root commit. */
int vg_repo_first_parent(vg_repo *repo, const git_oid *commit, git_oid *parent, vg_err *err);

/* Commit id from a full or abbreviated hex id; VG_ENOTFOUND if unknown. */
int vg_repo_lookup_commit(vg_repo *repo, const char *hex, git_oid *out,
                          vg_err *err);

typedef struct vg_commit_info {
	git_oid id;
	int64_t time; /* committer time, seconds since the epoch (UTC) */
} vg_commit_info;

/* The first-parent chain from head back to (not including) stop, or to the
 * root when stop is NULL, returned oldest first in *out (free() it).
 * *stop_found tells whether stop was met; when it was not, the branch no
 * longer descends from stop along first parents. */
int vg_repo_first_parents(vg_repo *repo, const git_oid *head, const git_oid *stop,
                          vg_commit_info **out, size_t *count, int *stop_found,
                          vg_err *err);

typedef enum {
	VG_CHANGE_ADD,
	VG_CHANGE_DELETE,
	VG_CHANGE_MODIFY,
	VG_CHANGE_RENAME
} vg_change_kind;

typedef struct vg_change {
	vg_change_kind kind;
	char *old_path;   /* DELETE, MODIFY, RENAME; else NULL */
	char *new_path;   /* ADD, MODIFY, RENAME; else NULL */
	git_oid old_blob;
	git_oid new_blob;
} vg_change;

/* Changes of regular files between the trees of parent (NULL: the empty
 * tree) and commit, renames detected. *out is freed with
 * vg_repo_changes_free. */
int vg_repo_diff(vg_repo *repo, const git_oid *parent, const git_oid *commit,
                 vg_change **out, size_t *count, vg_err *err);
void vg_repo_changes_free(vg_change *changes, size_t count);

/* Size of a blob, without reading it. */
int vg_repo_blob_size(vg_repo *repo, const git_oid *blob, size_t *size,
                      vg_err *err);

/* Reads a blob into *data (malloc'd, NUL-terminated, free() it). A blob
 * larger than max gives VG_ETOOBIG and *size set, nothing read. */
int vg_repo_blob_read(vg_repo *repo, const git_oid *blob, size_t max,
                      char **data, size_t *size, vg_err *err);

/* The blob id of the regular file at path in commit's tree (VG_ENOTFOUND for
 * anything else there: a folder, a submodule, a symbolic link). */
int vg_repo_blob_at(vg_repo *repo, const git_oid *commit, const char *path, git_oid *blob, vg_err *err);

/* Reads the file at path in commit's tree, as vg_repo_blob_read. */
int vg_repo_file_read(vg_repo *repo, const git_oid *commit, const char *path,
                      size_t max, char **data, size_t *size, vg_err *err);

/* Author name, author email, committer time and subject of a commit, each
 * malloc'd (free() them). */
int vg_repo_commit_describe(vg_repo *repo, const git_oid *commit, char **author,
                            char **email, int64_t *time, char **subject,
                            vg_err *err);

#endif
