/* Checking notes against the repository's schema before they land: the
 * files a push changes (pre-receive hook) or files on disk (a jurist's
 * machine, before committing or pushing). */
#ifndef VG_NOTECHECK_H
#define VG_NOTECHECK_H

#include <stddef.h>

#include "document.h"
#include "error.h"
#include "repo.h"

/* Checks the notes added or modified between old (NULL: none, every file
 * of new is checked) and new, with the schema of new's tree. Appends one
 * French line per problem to problems. No schema: nothing to check. */
int vg_check_commits(vg_repo *repo, const git_oid *old, const git_oid *new_commit,
                     vg_strlist *problems, vg_err *err);

/* Checks files of a work tree (paths relative to root; none: every note of
 * the tree) with root/.vigie/schema.yml. */
int vg_check_files(const char *root, const char *const *files, size_t n, vg_strlist *problems,
                   vg_err *err);

#endif
