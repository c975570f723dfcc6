/* Synonyms from the repository's .vigie/synonymes.txt: each line lists
 * equivalent expressions separated by "=" ("EPLE = établissement public
 * local d'enseignement"); "#" starts a comment. A query that contains one
 * expression, in any form of its words (same French stems), searches for
 * all of them. */
#ifndef VG_SYNONYMS_H
#define VG_SYNONYMS_H

#include <stddef.h>

#include "error.h"
#include "strlist.h"

typedef struct vg_synonyms vg_synonyms;

/* A line "A => B = C" expands A only: B and C are not expanded to it (for
 * an abbreviation that means other things elsewhere). */

/* The abbreviations of EPLE accounting, school administration, payroll
 * and labour law, and the everyday words for the codes' terms, that ship
 * with Vigie (indexer/jargon.txt), in the same format; every repository's
 * synonyms come after them. */
extern const char vg_synonyms_shipped[];

/* Parses the file content (may be empty). *out is freed with
 * vg_synonyms_free. */
int vg_synonyms_parse(const char *text, size_t len, vg_synonyms **out, vg_err *err);
void vg_synonyms_free(vg_synonyms *s);

/* When an expression of s (may be NULL) begins at q[at], the start of a
 * word of the folded query q[0..len), *end receives where it ends and
 * *group the index in *groups of its group, added there unless it is
 * already (its expressions separated by \x1f, the one found first, or
 * the query's words when they are another form of it, an acronym as
 * written in capitals: "DUER"), and it returns 1; 0 when none
 * begins there (a field name, "type:", is none); VG_ENOMEM. */
int vg_synonyms_match(const vg_synonyms *s, const char *q, size_t len, size_t at, vg_strlist *groups, size_t *end,
                      size_t *group);

/* 1 when the folded word is an expression of its own that the query
 * expands ("cdi"): it means something even where no document uses it. */
int vg_synonyms_knows(const vg_synonyms *s, const char *word);

#endif
