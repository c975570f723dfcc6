/* A new documentation repository made from the repository template
 * (repo-template/): folders, schema, synonyms, guides, sample notes and
 * client-side hooks, committed once. */
#ifndef VG_TEMPLATE_H
#define VG_TEMPLATE_H

#include "error.h"

/* Where the template is: $VIGIE_TEMPLATE, else repo-template/ next to the
 * running program's build folder, else /usr/share/vigie/repo-template.
 * malloc'd, or NULL when none exists. */
char *vg_template_find(void);

/* Creates dest (which must not exist, or be empty) as a git repository
 * holding the template, committed; bare: a bare repository, ready to be
 * served. Uses the git command. */
int vg_template_create(const char *template_dir, const char *dest, int bare, vg_err *err);

#endif
