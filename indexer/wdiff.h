/* Comparing two versions of a text paragraph by paragraph, and word by word
 * inside a changed paragraph: legal articles and notes are one paragraph a
 * line, so a line diff alone would mark whole articles as changed. */
#ifndef VG_WDIFF_H
#define VG_WDIFF_H

#include <jansson.h>
#include <stddef.h>

#include "error.h"

/* Compares old and new (UTF-8, paragraphs separated by newlines; blank
 * lines ignored). *out receives a JSON array of paragraphs
 * [{"op": "same"|"changed"|"added"|"removed", "html": "..."}] where html is
 * escaped text with <del>/<ins> around removed and added words. Also sets
 * *changes to the number of changed, added or removed paragraphs. */
int vg_wdiff(const char *old_text, const char *new_text, json_t **out, size_t *changes,
             vg_err *err);

#endif
