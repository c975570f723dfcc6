/* The repository's metadata schema (.vigie/schema.yml): required fields
 * and allowed values, checked on the notes a push brings, by a pre-receive
 * hook on the server and by `vigie-index check` on a jurist's machine.
 *
 *   requis: [titre, date, domaine, type, academie]
 *   valeurs:
 *     domaine: [comptabilite, veille-juridique, paye, modeles]
 *   exclus: [README.md, CONTRIBUTING.md]     # file names not checked
 *   libelles:                                # what readers see of values
 *     domaine: {comptabilite: Comptabilité}
 */
#ifndef VG_SCHEMA_H
#define VG_SCHEMA_H

#include <jansson.h>
#include <stddef.h>

#include "document.h"
#include "error.h"

#define VG_SCHEMA_PATH ".vigie/schema.yml"

typedef struct vg_schema vg_schema;

/* Parses the schema; the message names the file and line. *out:
 * vg_schema_free. */
int vg_schema_parse(const char *yaml, size_t len, vg_schema **out, vg_err *err);
void vg_schema_free(vg_schema *s);
/* The labels of facet values, {field: {folded value: label}} (borrowed,
 * until vg_schema_free); NULL for no schema. */
json_t *vg_schema_labels(const vg_schema *s);

/* Whether the file at path is a note the schema applies to (Markdown,
 * outside dot folders, not an excluded name). */
int vg_schema_applies(const vg_schema *s, const char *path);

/* Appends to out one French line per problem of doc (file, field,
 * reason), its parsing problems included; returns how many were added. */
size_t vg_schema_check(const vg_schema *s, const vg_doc *doc, vg_strlist *out);

#endif
