/* Checking notes against the repository's schema before they land: the
 * files a push changes (pre-receive hook) or files on disk (a jurist's
 * machine, before committing or pushing). */
#ifndef VG_NOTECHECK_H
#define VG_NOTECHECK_H

#include <stddef.h>

#include "document.h"
#include "error.h"
#include "repo_git.h"

/* Checks the notes added or modified between old (NULL: none, every file
 * of new is checked) and new, with the schema of new's tree. Appends one
 * French line per problem to problems. No schema: nothing to check. */
int vg_check_commits(vg_repo *repo, const git_oid *old, const git_oid *new_commit,
                     vg_strlist *problems, vg_err *err);

/* What a push may do besides bringing valid notes. */
typedef struct vg_push_policy {
	const char *branch;    /* the indexed branch ("refs/heads/main"), or NULL */
	int other_refs;        /* other branches and tags may be pushed */
	int may_change_schema; /* .vigie/schema.yml may change (admins) */
} vg_push_policy;

/* Checks one ref update of a push, from its pre-receive hook (old and
 * new_commit are zero ids for a creation and a deletion): refs other than
 * the branch unless allowed, deleting or rewriting the branch, a change
 * of the schema, then the notes and sidecars of every commit the push
 * brings, with the schema as it is on the server's branch. Appends one
 * French line per problem to problems; fails only when the repository
 * cannot be read (VG_EIO, VG_ENOTFOUND) or with VG_ENOMEM. */
int vg_check_push(vg_repo *repo, const vg_push_policy *policy, const char *ref, const git_oid *old,
                  const git_oid *new_commit, vg_strlist *problems, vg_err *err);

/* Checks files of a work tree (paths relative to root; none: every note of
 * the tree) with root/.vigie/schema.yml. */
int vg_check_files(const char *root, const char *const *files, size_t n, vg_strlist *problems,
                   vg_err *err);

#endif
